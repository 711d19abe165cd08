"""Prior variances written in the file change the answer the way the rules say."""

from conftest import assignment, solve_text, two_layer


def test_mean_field_readout():
    """Readout prior 1/N^2 instead of 1/N (mean-field).

    The readout kernel is v_a * sum_i phi(h_i) phi(h_i'): with v_a = 1/N^2 and N lazy neurons its
    scale is N * v_a = 1/N, so He3 has eigenvalue d^-3 / N and a_y = N d^3 for the lazy network.
    M specialists add a spike v_a * M = M / N^2 along He3, so a_y = N^2/M, and with the cost M*d
    the energy M d + N^2/M balances at M = N/sqrt(d): E = N sqrt(d) (instead of sqrt(N d)).
    """
    data = solve_text(two_layer(readout_var="1/N^2", patterns="gp | spec"))
    assert assignment(data, h="gp")["exponents"] == {"N": "1", "d": "3"}
    spec = assignment(data, h="spec")
    assert spec["exponents"] == {"N": "1", "d": "1/2"}
    assert spec["optimum"] == {"M": "N/sqrt(d)"}


def test_wider_readout_variance_helps_lazy_learning():
    """Readout prior 1/sqrt(N): the readout kernel's scale is N * N^-1/2 = sqrt(N), so the lazy
    norm of He3 is d^3/sqrt(N), and the spike M/sqrt(N) gives a_y = sqrt(N)/M:
    E = M d + sqrt(N)/M, balanced at M = N^(1/4)/d^(1/2), E = N^(1/4) d^(1/2)."""
    data = solve_text(two_layer(readout_var="1/N^(1/2)", patterns="gp | spec"))
    assert assignment(data, h="gp")["exponents"] == {"N": "-1/2", "d": "3"}
    assert assignment(data, h="spec")["exponents"] == {"N": "1/4", "d": "1/2"}


def test_the_predicted_scale_may_not_set_a_width():
    import pytest

    from scalelang.support.diagnostics import ScaleError

    text = two_layer().replace("width N", "width P")
    with pytest.raises(ScaleError) as error:
        solve_text(text)
    (diagnostic,) = error.value.diagnostics
    assert "uses P, the scale being predicted" in diagnostic.message
    line = text.splitlines()[diagnostic.span.line - 1]  # the caret is under the width, not the line
    assert line[diagnostic.span.column - 1 : diagnostic.span.end_column - 1] == "P"


def test_magnetization_needs_a_linear_response():
    """abs is even: its outputs have no degree-1 Hermite coefficient, so a layer-wide mean along
    w.x changes nothing linear and cannot carry He1; nor can the even lazy kernel."""
    import pytest

    from scalelang.support.diagnostics import ScaleError

    with pytest.raises(ScaleError, match="He1"):
        solve_text(two_layer(activation="abs", target="He1(w . x)", patterns="gp | mag"))


def test_an_o1_constant_noise_keeps_the_symbol_kappa():
    text = two_layer(extra="constant sigma2 = 2").replace("noise kappa = 1", "noise kappa = sigma2")
    data = solve_text(text, N="d")
    assert data["p_star"]["exponents"] == {"d": "1", "kappa": "1"}
