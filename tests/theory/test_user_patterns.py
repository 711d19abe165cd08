"""Patterns a researcher writes in the file: their effects scale with the layer's width as
their costs and bounds do (a `width` in a spike or amplify line is the layer's width, not 1)."""

from conftest import assignment, solve_text, two_layer


def test_a_spike_of_the_whole_width():
    """A pattern that spikes every neuron onto the feature at cost `norm`.

    The cost is the norm of w.x in the input kernel: eigenvalue 1/d, so norm d. The spike of
    strength N (the width) along He3 reaches the readout kernel as v_a * N = (1/N) * N = 1, so
    a_y = 1 and E = d + 1: P* ~ d, whatever N is. Read as a spike of 1, it would give
    a_y = N and P* ~ N + d.
    """
    text = two_layer(
        patterns="gp | whole",
        extra="""pattern whole "every neuron locks on"
    cost norm
    spike width carrying activation
end""",
    )
    data = solve_text(text)
    assert assignment(data, h="whole")["exponents"] == {"d": "1"}
    assert data["p_star"]["exponents"] == {"d": "1", "kappa": "1"}


def test_an_amplification_by_the_width():
    """A pattern that amplifies w.x by the width N at cost N, with N = d^(1/2).

    He1's eigenvalue goes from 1/d to N/d = d^(-1/2) (within O(1) variance). The lazy map takes
    He3 to (N/d)^3 = d^(-3/2) in the readout kernel, whose scale is N * (1/N) = 1, so
    a_y = d^(3/2), and E = d^(1/2) + d^(3/2) ~ d^(3/2). Read as an amplification by 1 it would be
    the lazy d^3.
    """
    text = two_layer(
        patterns="gp | wide",
        extra="""pattern wide "amplify by the width"
    cost width
    amplify width
end""",
    )
    data = solve_text(text, N="d^(1/2)")
    assert assignment(data, h="wide")["exponents"] == {"d": "3/2"}
    assert assignment(data, h="gp")["exponents"] == {"d": "3"}
