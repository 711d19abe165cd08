"""He_m targets through activations that do or do not carry degree m: exponents from the rules.

The expectation is derived here independently of scalelang's Hermite code: numpy's Gauss-Hermite
quadrature decides whether the activation has a non-zero He_m coefficient c_m. The rules then say:
- two layers, lazy: He_m reaches the readout with eigenvalue c_m^2 d^-m, so E = d^m;
- two layers, specialization: M neurons locked onto w.x output phi(w.x), which contains He_m
  when c_m != 0; cost M*d, readout norm N/M, so E = (N d)^(1/2) at M = (N/d)^(1/2);
- c_m = 0 (and no higher power of the same parity to pair with the bulk): no route exists, and
  scalelang must say so with a positioned error instead of an exponent.
"""

import math

import numpy as np
import pytest
from conftest import assignment, solve_text, three_layer, two_layer

from scalelang import load
from scalelang.support.diagnostics import ScaleError

ACTIVATIONS = {
    "erf": np.vectorize(math.erf),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "x^2": lambda z: z**2,
    "x^3": lambda z: z**3,
    "linear": lambda z: z,
}


def carries(name: str, m: int) -> bool:
    nodes, weights = np.polynomial.hermite_e.hermegauss(160)
    basis = np.polynomial.hermite_e.hermeval(nodes, [0] * m + [1])
    c = np.sum(weights * ACTIVATIONS[name](nodes) * basis) / math.sqrt(2 * math.pi)
    return abs(c) > 1e-6 * math.factorial(m)


CASES = [(a, m) for a in ACTIVATIONS for m in range(1, 7)]


@pytest.mark.parametrize("activation,m", CASES)
def test_two_layer_degree(activation, m):
    text = two_layer(activation=activation, target=f"He{m}(w . x)", patterns="gp | spec")
    if not carries(activation, m):
        with pytest.raises(ScaleError, match=f"He{m}"):
            solve_text(text)
        return
    data = solve_text(text)
    assert assignment(data, h="gp")["exponents"] == {"d": str(m)}
    spec = assignment(data, h="spec")
    assert spec["exponents"] == {"N": "1/2", "d": "1/2"}
    assert spec["optimum"] == {"M": "sqrt(N)/sqrt(d)"}


@pytest.mark.parametrize("m", [1, 3, 5])
def test_three_layer_erf_odd_degrees(m):
    """Odd m through erf: lazy d^m; GP-Spec (N2 d)^(1/2); Spec-Mag (N1 N2 d)^(1/3) for every m,
    since the specialists' output carries He_m with the same spike whatever m is."""
    data = solve_text(three_layer(target=f"He{m}(w . x)"))
    assert assignment(data, h1="gp", h2="gp")["exponents"] == {"d": str(m)}
    assert assignment(data, h1="gp", h2="spec")["exponents"] == {"N2": "1/2", "d": "1/2"}
    assert assignment(data, h1="spec", h2="mag")["exponents"] == {
        "N1": "1/3",
        "N2": "1/3",
        "d": "1/3",
    }


def test_two_relu_layers_carry_he3_lazily_and_a_biased_specialist_carries_it():
    """ReLU has no He3 coefficient, yet two lazy ReLU layers carry He3: layer 1 makes He1 (norm d)
    and He2 (norm d^2), and layer 2's square term multiplies them, He1*He2 containing He3, with
    eigenvalue d^-1 * d^-2: E = d^3.

    A second-layer specialist locked onto w.x does carry He3: relu has mean 1/sqrt(2 pi), so
    layer 1's outputs share a mean and every layer-2 neuron sees a random bias b of order one
    (variance c_0^2 N1 * 1/N1). relu(b + z) is not relu(z): its He3 coefficient is the third
    derivative of relu smoothed by the Gaussian, at b, over 3!, which is
    -b exp(-b^2/2) / (6 sqrt(2 pi)): non-zero for b != 0. So GP-Spec is M2 d + N2/M2, balanced
    at M2 = (N2/d)^(1/2): E = (N2 d)^(1/2), as for erf. (Before biases were tracked this
    assignment had no energy.)"""
    data = solve_text(three_layer(activation="relu", h1="gp", h2="gp | spec"))
    assert assignment(data, h1="gp", h2="gp")["exponents"] == {"d": "3"}
    assert assignment(data, h1="gp", h2="spec")["exponents"] == {"N2": "1/2", "d": "1/2"}


def test_a_bias_lets_an_odd_activation_after_a_non_zero_mean_one_carry_an_even_degree():
    """sigmoid then erf, target He2, both layers lazy. erf is odd, so erf(z) alone has no even
    degree; but sigmoid's mean 1/2 gives every second-layer neuron a bias b of order one, and
    erf(b + z) is neither odd nor even. In kernel terms Q2/q2 = rho0 + delta with rho0 of order
    one and delta containing He1(w.x) He1(w.x') / d (sigmoid's c_1); erf's third power of the
    normalized kernel, (rho0 + delta)^3, has 3 rho0 delta^2, and delta^2 contains He2 at 1/d^2:
    a_y = d^2. (Before biases were tracked: "no assignment carries He2".)"""
    text = three_layer(activation="sigmoid", h1="gp", h2="gp", target="He2(w . x)")
    data = solve_text(text.replace("h2 = sigmoid", "h2 = erf"))
    assert assignment(data, h1="gp", h2="gp")["exponents"] == {"d": "2"}


def test_he3_through_one_relu_layer_is_a_positioned_error():
    with pytest.raises(ScaleError) as error:
        solve_text(two_layer(activation="relu", target="He3(w . x)"))
    diagnostic = error.value.diagnostics[0]
    assert "He3(w . x)" in diagnostic.message
    assert diagnostic.span.line > 0


@pytest.mark.parametrize("m", [13, 21, 31])
def test_high_odd_degrees_through_erf_specialize_directly(m):
    """erf is odd with every odd Hermite coefficient non-zero, however small c_m = E[erf He_m]/m!
    gets (about 1e-13 at m = 21, while its normalized size c_m sqrt(m!) is about 1e-3): spec
    carries He_m from one layer, E = (N d)^(1/2), and lazy learning costs d^m."""
    data = solve_text(two_layer(target=f"He{m}(w . x)", patterns="gp | spec"))
    assert assignment(data, h="spec")["exponents"] == {"N": "1/2", "d": "1/2"}
    assert assignment(data, h="gp")["exponents"] == {"d": str(m)}


def test_a_second_layer_route_does_not_replace_a_small_first_layer_coefficient():
    """erf(z/4) has every odd coefficient, He13's included: first-layer specialists carry He13,
    E = M1 d + N1/M1 = (N1 d)^(1/2) = d^(3/2) at N1 = d^2. Dropping that coefficient as zero
    made the answer d^(9/4), through He11 * He1 * He1 in the second layer."""
    text = (
        three_layer(target="He13(w . x)", h1="gp | spec", h2="gp")
        .replace("problem three_layer", "problem three_layer\nactivation e4(z) = erf(z/4)")
        .replace("h1 = erf(W1 x)", "h1 = e4(W1 x)")
    )
    data = solve_text(text, N1="d^2", N2="d^2")
    assert data["p_star"]["exponents"] == {"d": "3/2", "kappa": "1"}


@pytest.mark.parametrize(
    "activation, target, d_exponent",
    [
        ("z^3 - 3*z", "He1(w . x)", "2"),
        ("z + z^4 - 6*z^2 + 3", "He2(w . x)", "3"),
    ],
)
def test_a_power_above_the_target_degree_carries_it_with_bulk_pairs(activation, target, d_exponent):
    """He3 (content {3}) makes He1 only in its third power: He1 of w.x times a pair of bulk
    directions, relative eigenvalue d^-1 * d^-1, so lazy a_y = d^2. z + He4 (content {1, 4})
    makes He2 only in its fourth power: He1^2 times a bulk pair, d^-2 * d^-1, so a_y = d^3."""
    text = (
        two_layer(target=target, patterns="gp")
        .replace("problem two_layer", f"problem two_layer\nactivation act(z) = {activation}")
        .replace("erf(W x)", "act(W x)")
    )
    assert solve_text(text)["p_star"]["exponents"] == {"d": d_exponent, "kappa": "1"}


@pytest.mark.parametrize(
    "activation, degree, carried",
    [
        ("z**2", 3, {0, 2, 3, 4, 6}),  # (b + He3)^2: He3^2 has 0, 2, 4, 6; no He1, no He5
        ("z", 3, {0, 3}),
        ("z", 4, {0, 4}),
        ("z**2", 5, {0, 2, 4, 5, 6}),
        ("z**2", 1, {0, 1, 2}),
        ("erf(z)", 3, {0, 1, 2, 3, 4, 5, 6}),  # not a polynomial: every power of He3
        ("erf(z)", 2, {0, 2, 4, 6}),  # He2 is even in u, whatever the bias
    ],
)
def test_a_biased_specialist_carries_the_degrees_of_the_powers_of_its_feature(
    activation, degree, carried
):
    """phi(b + F) = sum_j a_j(b) F^j, j up to phi's polynomial degree: the degrees carried are
    those of He_k^j over those j (a review found every degree up to p k claimed)."""
    import sympy

    from scalelang.algebra.hermite import Z, biased_content

    expr = sympy.sympify(activation, locals={"z": Z})
    assert biased_content(expr, degree, 6) == carried


def test_a_squared_he3_specialist_output_carries_no_he1():
    """h1 = z^3 - 3z + 1 (He3 plus a mean), h2 = x^2, target He3 + He1, N1 = N2 = d. A first-layer
    specialist outputs He3(w.x) + 1, and (b + He3)^2 has no He1, so locking h2 onto He3 leaves He1
    at its lazy norm d^2: spec-spec is at least d^2. Best is spec-mag: h1's specialists bring He3
    to norm N1/M1 (M1 d + N1/M1, at most (N1 d)^(1/2) = d), and magnetizing h2 along He1 (cost
    beta d^2, a_y term N2/beta) balances at beta = N2^(1/2)/d: N2^(1/2) d = d^(3/2). (With every
    degree claimed, spec-spec gave d.)"""
    text = three_layer(target="He3(w . x) + He1(w . x)", h1="gp | spec", h2="gp | spec | mag")
    text = text.replace("h1 = erf", "h1 = he3c").replace("h2 = erf", "h2 = x^2")
    text = text.replace("layer   h1", "activation he3c(z) = z^3 - 3*z + 1\nlayer   h1")
    data = solve_text(text, N1="d", N2="d")
    assert data["p_star"]["exponents"] == {"d": "3/2", "kappa": "1"}


def test_a_spike_of_high_degree_squared_by_the_next_layer():
    """Specialists of z^3 - 3z (= He3) output He3(w.x) alone; a following x^2 layer squares it,
    and He3 * He3 contains He2: the target He2(w.x) reaches the readout at the spike's strength
    squared, (M1/N1)^2 relative, so a_y = (N1/M1)^2 and E = M1 d + (N1/M1)^2. At N1 = N2 = d
    the balance M1^3 = d gives E ~ d^(4/3), below every route through features of degree <= 2
    (d^(3/2)). Seen only because features are kept up to twice the target's degree."""
    text = """problem gap
activation he3(z) = z^3 - 3*z
scale d, N1, N2
scale P
noise kappa = 1
input   x ~ gaussian(d)
teacher w ~ sphere(d)
target  y = He2(w . x)
layer   h1 = he3(W1 x)   width N1   prior W1 ~ normal(0, 1/d)
layer   h2 = x^2(W2 h1)  width N2   prior W2 ~ normal(0, 1/N1)
readout f = a . h2                  prior a ~ normal(0, 1/N2)
predict P
"""
    answer = load(text).solve(N1="d", N2="d").to_json()["p_star"]
    assert answer["expr"] == "d**(4/3)*kappa"
    assert answer["locked"] == {"h1": "spec on He1(w . x)"}
    assert answer["optimum"] == {"M1": "d**(1/3)"}
