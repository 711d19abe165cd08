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
