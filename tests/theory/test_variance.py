"""Pre-activation variances that are not O(1): how a neuron's output scales with them.

A power law (x^3, relu) scales exactly: phi(sqrt(q) g) = q^(p/2) phi(g). An activation that is
not one (erf, tanh) was once taken at unit variance whatever q was, with a caveat; a reviewer
showed that where q goes to zero this gives exponents that are too low. There phi acts through
its Taylor series, phi(sqrt(q) g) = sum_t a_t q^(t/2) g^t: its j-th Hermite coefficient is of
order q^(t/2) with t the lowest Taylor degree >= j of j's parity (erf: t = j), so erf at small
variance behaves like z + z^3 + z^5 + ... with each power weighted by its own degree.
"""

import sympy
from conftest import assignment, solve_text, three_layer, two_layer

from scalelang.algebra.hermite import Z, graded


def test_erf_at_vanishing_variance_acts_as_its_taylor_series():
    """First-layer prior 1/d^2: q = d * (1/d^2) = 1/d. Lazily He3(w.x) has relative eigenvalue
    d^-3 in (Q/q)^3, weighted by q^3 (Taylor degree 3): eigenvalue N (1/N) d^-6, so E = d^6, as
    for x^3 (a pure cubic weights every power by q^3). M specialists at amplitude A (their
    pre-activation variance A q, 1 <= A <= 1/q = d) output erf(sqrt(A q) w.x), whose He3 part is
    (A q)^(3/2) a_3 He3: spike (M/N) (A q)^3 = M A^3/(N d^3), a_y = N d^3/(M A^3); their cost is
    the relative norm d times A: E = M d A + N d^3/(M A^3). It falls as A grows: at A = d (O(1)
    pre-activations, a reviewer's specialist on w itself) E = M d^2 + N/M = 2 sqrt(N) d at
    M = sqrt(N)/d (which needs N >= d^2). At the typical size A = 1 it was sqrt(N) d^2.
    """
    text = two_layer(patterns="gp | spec | gfl").replace("normal(0, 1/d)", "normal(0, 1/d^2)")
    cubic = solve_text(text.replace("erf(W x)", "x^3(W x)"))
    data = solve_text(text)
    assert assignment(data, h="gp")["exponents"] == {"d": "6"}
    spec = assignment(data, h="spec")
    assert spec["exponents"] == {"N": "1/2", "d": "1"}
    assert spec["optimum"] == {"M": "sqrt(N)/d", "A": "d"}
    for pattern in ("gp", "spec", "gfl"):
        assert assignment(data, h=pattern)["exponents"] == assignment(cubic, h=pattern)["exponents"]
    assert not any("variance" in c for c in data["caveats"])


def test_specialists_at_unit_variance_keep_their_typical_amplitude():
    """With the standard prior q = 1: no amplitude parameter (fcn2's answers are the paper's)."""
    spec = assignment(solve_text(two_layer(patterns="gp | spec")), h="spec")
    assert spec["optimum"] == {"M": "sqrt(N)/sqrt(d)"}


def test_mean_field_hidden_prior_scales_the_second_erf_layer():
    """W2 ~ 1/N1^2: q2 = N1 * (1/N1^2) = 1/N1 (erf outputs are O(1)). The second erf layer then
    acts through its first power with weight q2: Q3 carries He3(w.x) lazily at (1/N2) N2 q2 d^-3
    = 1/(N1 d^3), so E = N1 d^3 (d^3 at unit variance). M1 first-layer specialists spike Q2 by
    M1/N1^2 along He3, relative M1/N1 to q2; through the second layer that is (1/N1)(M1/N1):
    a_y = N1^2/M1, balanced with the cost M1 d at M1 = N1/sqrt(d): E = N1 sqrt(d). A linear
    second layer in place of erf gives the same (the reviewer's cross-check)."""
    text = three_layer().replace("normal(0, 1/N1)", "normal(0, 1/N1^2)")
    data = solve_text(text)
    linear = solve_text(text.replace("erf(W2 h1)", "linear(W2 h1)"))
    assert assignment(data, h1="gp", h2="gp")["exponents"] == {"N1": "1", "d": "3"}
    assert assignment(data, h1="spec", h2="gp")["exponents"] == {"N1": "1", "d": "1/2"}
    for key in (("gp", "gp"), ("spec", "gp")):
        mine = assignment(data, h1=key[0], h2=key[1])["exponents"]
        assert mine == assignment(linear, h1=key[0], h2=key[1])["exponents"]


def test_a_variance_that_vanishes_only_somewhere_earns_a_caveat_an_assumption_settles():
    """Prior N/d^2 gives q = N/d: below 1 where N < d, above where N > d. Taken at unit
    variance, with a caveat that says the exponents are too low where q -> 0; with `assume
    N <= d` the Taylor regime holds throughout (lazy: N (1/N) (N/d)^3 d^-3, E = d^6/N^3)."""
    text = two_layer(patterns="gp | spec").replace("normal(0, 1/d)", "normal(0, N/d^2)")
    mixed = solve_text(text)
    assert any("goes to zero in part of the scales" in c for c in mixed["caveats"])
    settled = solve_text(text.replace("predict P", "assume N <= d\npredict P"))
    assert not any("variance" in c for c in settled["caveats"])
    assert assignment(settled, h="gp")["exponents"] == {"N": "-3", "d": "6"}


def test_taylor_orders():
    """erf: every odd degree at its own order; z + z^9 makes He3 only at order 9; softplus is
    z/2 plus an even function, so no odd degree above 1; relu has no Taylor series at 0."""
    erf = graded(sympy.erf(Z), 5)
    assert erf.content == {1, 3, 5} and [erf.order[j] for j in (1, 3, 5)] == [1, 3, 5]
    assert erf.variance_order == 1
    sparse = graded(Z + Z**9, 3)
    assert sparse.order[3] == 9 and sparse.order[1] == 1
    softplus = graded(sympy.log(1 + sympy.exp(Z)), 4)
    assert softplus.content == {0, 1, 2, 4} and softplus.variance_order == 0
    assert graded(sympy.Max(Z, 0), 3) is None


def _small_prior(**kw):
    return two_layer(**kw).replace("normal(0, 1/d)", "normal(0, 1/d^2)")


def test_only_specialists_grow_their_amplitude():
    """x^3 with prior 1/d^2 (q = 1/d) learning He1 at N = d. Spec: E = M d A + N d^3/(M A^3)
    (the slope of z^3 at variance A q is 3 A q), least at M = 1, A^4 = N d^2 = d^3: d^(7/4).
    Magnetization gets no A: its strength beta already trades amplitude for count (with an A,
    beta < 1 acted as a fraction of a neuron at full amplitude, and mag won at d^(3/2))."""
    data = solve_text(
        _small_prior(activation="x^3", target="He1(w . x)", patterns="gp | spec | mag"), N="d"
    )
    assert data["p_star"]["exponents"] == {"d": "7/4", "kappa": "1"}
    assert data["p_star"]["patterns"] == {"h": "spec"}
    assert data["p_star"]["optimum"] == {"M": "1", "A": "d**(3/4)"}
    assert "A" not in assignment(data, h="mag")["optimum"]


def test_a_cost_without_the_norm_gets_no_amplitude():
    """A user's specialist whose cost ignores the feature's norm would grow A for free."""
    flat = (
        'pattern flat "specialists priced by the width"\n    param M in [1, width]\n'
        "    cost  M * width\n    spike M carrying activation\nend\n"
    )
    data = solve_text(_small_prior(patterns="gp | flat", extra=flat))
    assert all("A" not in piece["optimum"] for piece in assignment(data, h="flat")["pieces"])


def test_gaussian_feature_learning_may_amplify_to_order_one():
    """erf, prior 1/d^2: the teacher direction's eigenvalue is 1/d^2, so D <= d^2 keeps it O(1)
    (it was D <= q/lambda = d, the bulk's variance). E = N D + d^6/D^3: (d^6 N^3)^(1/4) wherever
    N <= d^6, d^(9/4) at N = d (it was d^3 at the old bound)."""
    data = solve_text(_small_prior(patterns="gp | gfl"))
    gfl = assignment(data, h="gfl")
    assert gfl["exponents"] == {"N": "3/4", "d": "3/2"} and gfl["region"] == ["N <= d**6"]
