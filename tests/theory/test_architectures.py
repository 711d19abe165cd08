"""Convolutional patches (docs/method.md §7, §10): exponents from the same rules as the FCN."""

from pathlib import Path

from conftest import assignment, solve_text

from scalelang.api import load

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_cnn_example_learns_by_gaussian_feature_learning_at_d_to_three_quarters():
    data = load(EXAMPLES / "cnn_patches.scale").solve().to_json()
    assert data["p_star"]["exponents"] == {"d": "3/4", "kappa": "1"}
    assert data["p_star"]["patterns"] == {"h": "gfl"}
    assert data["p_star"]["optimum"] == {"D": "d**(3/4)"}


def test_cnn_with_channels_and_patches_as_scales():
    """Filters shared by n patches: the GFL cost is paid once per channel (C*D); the per-patch
    readout (prior 1/(C n)) keeps only same-patch terms, so He3 on a patch has eigenvalue
    (1/(C n)) * C * (D/d)^3 and the patch-averaged target has a_y = n d^3 / D^3.
    E = C D + n d^3/D^3 balances at D = (n d^3/C)^(1/4): E = C^(3/4) n^(1/4) d^(3/4).
    Specialization of M <= C channels costs M d and leaves a_y = C n / M: E = (C n d)^(1/2)."""
    text = (EXAMPLES / "cnn_patches.scale").read_text()
    text = text.replace("constant C = 2", "scale C, n").replace("constant n = 4", "")
    data = solve_text(text)
    assert assignment(data, h="gfl")["exponents"] == {"C": "3/4", "d": "3/4", "n": "1/4"}
    assert assignment(data, h="spec")["exponents"] == {"C": "1/2", "d": "1/2", "n": "1/2"}
    assert assignment(data, h="gp")["exponents"] == {"d": "3", "n": "1"}


def test_conv_must_read_the_input():
    text = (EXAMPLES / "cnn_patches.scale").read_text().replace("erf(W x)", "erf(W y)")
    import pytest

    from scalelang.support.diagnostics import ScaleError

    with pytest.raises(ScaleError) as error:
        solve_text(text)
    assert any("conv h must read the input x" in d.message for d in error.value.diagnostics)


def test_assume_restricts_the_domain_to_one_phase():
    """fcn2 is piecewise in (d, N); `assume N >= d` and `assume N <= d^5` leave only the
    specialization phase, so p_star is the single monomial (N d)^(1/2)."""
    text = (
        (EXAMPLES / "fcn2_he3.scale")
        .read_text()
        .replace("predict P", "assume N >= d\nassume N <= d^5\npredict P")
    )
    data = solve_text(text)
    assert data["p_star"]["exponents"] == {"N": "1/2", "d": "1/2", "kappa": "1"}
    assert data["p_star"]["patterns"] == {"h": "spec"}


def test_assumption_about_the_predicted_scale_is_an_error():
    import pytest

    from scalelang.support.diagnostics import ScaleError

    text = (
        (EXAMPLES / "fcn2_he3.scale").read_text().replace("predict P", "assume P <= d\npredict P")
    )
    with pytest.raises(ScaleError) as error:
        solve_text(text)
    (diagnostic,) = error.value.diagnostics
    assert "the scale being predicted" in diagnostic.message and diagnostic.span.line == 18
