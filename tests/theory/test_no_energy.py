"""When nothing can be solved, the error says why and points at the line to change."""

from pathlib import Path

import pytest

from scalelang.api import load
from scalelang.support.diagnostics import ScaleError

ROOT = Path(__file__).resolve().parents[2]
FCN2 = "".join(
    line
    for line in (ROOT / "examples" / "fcn2_he3.scale").read_text().splitlines(True)
    if not line.startswith("patterns")
)


def diagnostic(text, **overrides):
    with pytest.raises(ScaleError) as info:
        load(text).solve(**overrides)
    [d] = info.value.diagnostics
    return d


def line_of(text, start):
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_assumption_contradicted_by_a_set_value_points_at_the_assumption():
    text = (ROOT / "examples" / "attention_head.scale").read_text()
    d = diagnostic(text, L="d^2")
    assert d.span.line == line_of(text, "assume") and "no region" in d.message


def test_the_assumption_that_leaves_no_region_is_the_one_blamed():
    """L <= d holds with L = d^(1/3); d <= L^2 then does not: the second line is at fault."""
    text = (ROOT / "examples" / "attention_head.scale").read_text()
    text = text.replace("assume L <= d", "assume L <= d\nassume d <= L^2")
    d = diagnostic(text, L="d^(1/3)")
    assert d.span.line == line_of(text, "assume d <= L^2") and "assumptions above it" in d.message
    d = diagnostic(text, L="d^3")
    assert d.span.line == line_of(text, "assume L <= d")


def test_a_small_scale_from_a_set_value_points_at_the_set():
    d = diagnostic(FCN2 + "patterns h: gp | spec\n", N="d^-1")
    assert (d.span.path, d.span.line, d.span.column) == (
        "--set",
        1,
        1,
    ) and "is not large" in d.message


def test_a_noise_that_uses_p_points_at_the_noise():
    text = FCN2.replace("noise kappa = 1", "noise kappa = P") + "patterns h: gp | spec\n"
    d = diagnostic(text)
    assert (d.span.line, d.span.column) == (
        line_of(text, "noise"),
        15,
    ) and "the noise uses P" in d.message


def test_assumption_made_trivial_by_a_set_value_just_holds():
    text = (ROOT / "examples" / "attention_head.scale").read_text()
    p_star = load(text).solve(L="d").to_json()["p_star"]
    assert p_star["exponents"]["d"] == "2"  # (L d^3)^(1/2) at L = d


def test_patterns_that_cannot_carry_the_target_are_named():
    text = FCN2 + "patterns h: mag\n"
    d = diagnostic(text)
    assert d.span.line == line_of(text, "target")
    assert "h: mag" in d.hint and "Hermite" not in d.message


def test_infeasible_bounds_point_at_the_patterns_line():
    text = FCN2.replace("predict P", "") + (
        'pattern narrow "amplify by at least the width"\n'
        "    param D in [width, inf)\n    cost  width * D\n    amplify D\nend\n"
        "patterns h: narrow\npredict P\n"
    )
    d = diagnostic(text, N="d^2")  # D >= N = d^2, yet He1 (1/d) amplified by D <= d
    assert d.span.line == line_of(text, "patterns h") and "infeasible" in d.message


def test_uncarried_degree_still_blames_the_hermite_content():
    text = FCN2.replace("erf(W x)", "relu(W x)")
    d = diagnostic(text)
    assert "He3" in d.message and "Hermite content of relu" in d.hint
    assert "relu has no Hermite coefficient of degree 3)" in d.hint  # odd ones above 1 vanish


def test_infeasible_bounds_blame_the_layer_whose_pattern_has_them():
    text = (ROOT / "examples" / "fcn3_he3.scale").read_text()
    text = "".join(
        line for line in text.splitlines(True) if not line.startswith(("patterns", "predict"))
    )
    text += (
        'pattern narrow "amplify by at least the width"\n'
        "    param D in [width, inf)\n    cost  width * D\n    amplify D\nend\n"
        "patterns h1: gp\npatterns h2: narrow\npredict P\n"
    )
    d = diagnostic(text, N1="d", N2="d^4")  # D >= d^4 exceeds every 1/eigenvalue up to d^3
    assert d.span.line == line_of(text, "patterns h2")


@pytest.mark.parametrize(
    "activation, target, words",
    [
        ("erf", "He2(w . x)", "odd functions of odd functions are odd"),
        ("erf", "He4(w . x)", "odd functions of odd functions are odd"),
        ("abs", "He3(w . x)", "abs (in h) has no odd part"),
    ],
)
def test_a_parity_mismatch_says_no_depth_helps(activation, target, words):
    """A bias-free network of odd activations is an odd function of its input, and one with an
    even activation anywhere is even: adding layers cannot help, so the hint must not say so."""
    text = FCN2.replace("erf(W x)", f"{activation}(W x)").replace("He3(w . x)", target)
    d = diagnostic(text)
    assert words in d.hint and "add a layer" not in d.hint


def test_the_parity_hint_names_the_even_layer_not_the_others():
    """abs then relu, target He1: the first layer makes the network even; relu has an odd part,
    so the hint must blame abs in h1 alone (it blamed "abs, relu" and then recommended relu)."""
    from conftest import three_layer

    text = three_layer(activation="abs", target="He1(w . x)").replace("h2 = abs", "h2 = relu")
    d = diagnostic(text)
    assert "abs (in h1) has no odd part" in d.hint and "relu has" not in d.hint


def test_assumptions_that_leave_an_equality_suggest_stating_it():
    text = (
        FCN2.replace("predict P", "assume d <= N\nassume N <= d\npredict P")
        + "patterns h: gp | spec\n"
    )
    d = diagnostic(text)
    assert d.span.line == line_of(text, "assume N <= d") and "scale N = d" in d.hint


def test_an_even_layer_after_an_odd_one_makes_the_network_even():
    """erf then abs, target He3: erf(w.x) is odd and has no mean, so abs of it is even and the
    network makes no odd degree; the hint blames abs in h2. (After a layer of mixed parity, such
    as relu, the neurons have biases and an even activation no longer makes the network even.)"""
    from conftest import three_layer

    text = three_layer(activation="erf").replace("h2 = erf", "h2 = abs")
    d = diagnostic(text)
    assert "abs (in h2) has no odd part" in d.hint


def test_a_teacher_named_like_a_hermite_function_counts_no_degree():
    """The target's degree comes from its terms, not from the text the lowering writes: a
    teacher He1w in He2(He1w . x) made the degree read 3 (odd), and erf's parity hint was lost."""
    text = FCN2.replace("w ~ sphere", "He1w ~ sphere").replace("He3(w . x)", "He2(He1w . x)")
    d = diagnostic(text)
    assert "odd functions of odd functions are odd" in d.hint and "add a layer" not in d.hint
