"""Several groups in one layer: targets that are sums of single-index terms over several
teachers (docs/method.md, section 4, "Groups").

The hand derivation behind every test here: a group of M specialists on He1(t.x) prices its own
teacher only (cost M d + N/M in the two-layer erf network of docs/method.md, section 10), and the
readout norm of a term He_k(t.x) is carried by its own teacher's group. With one group per term,
the energy is the sum of one single-index energy per term, and the groups' widths share the
layer's: sum M <= N is, to leading order, each M <= N. So k terms of equal degree over k
independent teachers cost k times one teacher's energy: P* is one teacher's, to leading order,
and the winner holds one group per teacher.
"""

from fractions import Fraction

import pytest
from conftest import solve_text, three_layer, two_layer

from scalelang import load
from scalelang.support.diagnostics import ScaleError


def teachers(text, names):
    lines = "\n".join(f"teacher {name} ~ sphere(d)" for name in names)
    return text.replace("teacher w ~ sphere(d)", lines)


def answer(data):
    """Each phase's P* and region, with the mechanism's groups left out."""
    return [(p["p_star"], tuple(p["region"])) for p in data["phases"]]


def test_two_cubic_terms_cost_what_one_does_with_a_group_each():
    """He3(w.x) + He3(v.x), erf, two layers: one teacher's phases (d^3 lazily where N >= d^5,
    sqrt(N d) by specialists, d where M >= 1 binds, (N d)^(3/4) by GFL where N <= d^(1/3)), each
    feature-learning phase now by one group per teacher."""
    one = solve_text(two_layer())
    two = solve_text(teachers(two_layer(target="He3(w . x) + He3(v . x)"), "wv"))
    assert answer(two) == answer(one)
    mechanisms = {p["locked"].get("h") for p in two["phases"]}
    assert mechanisms == {
        None,
        "spec on He1(w . x) + spec on He1(v . x)",
        "gfl on He1(w . x) + gfl on He1(v . x)",
    }


def test_each_group_has_its_own_optimum_and_the_lower_bound_binds_for_each():
    """Where N <= d, each group's M >= 1 binds (M d + N/M is least at M = 1): both groups sit at
    one neuron; where N >= d, each balances at M = sqrt(N/d)."""
    solution = load(teachers(two_layer(target="He3(w . x) + He3(v . x)"), "wv")).solve()
    narrow = solution.phase_at({"d": 1, "N": Fraction(1, 2)})
    wide = solution.phase_at({"d": 1, "N": 2})
    text = solution.to_json()
    optimum = {tuple(p["region"]): p["optimum"] for p in text["phases"]}
    assert {"M_w", "M_v"} <= set(optimum[tuple(str(r) for r in narrow.region)])
    assert optimum[tuple(str(r) for r in narrow.region)]["M_w"] == "1"
    assert optimum[tuple(str(r) for r in wide.region)]["M_v"] == "sqrt(N)/sqrt(d)"


def test_three_teachers_three_groups():
    """He3 over three teachers: three groups, the same P* as one teacher."""
    target = "He3(u . x) + He3(v . x) + He3(w . x)"
    three = solve_text(teachers(two_layer(target=target), "uvw"))
    assert answer(three) == answer(solve_text(two_layer()))
    assert any(p["locked"].get("h", "").count(" + ") == 2 for p in three["phases"])


@pytest.mark.parametrize("activation, degree", [("relu", 2), ("tanh", 1), ("erf", 1)])
def test_other_activations_and_degrees(activation, degree):
    """The derivation does not depend on the activation or the degree: two terms of equal
    degree over two teachers answer as one does."""
    one = two_layer(activation=activation, target=f"He{degree}(w . x)")
    two = two_layer(activation=activation, target=f"He{degree}(w . x) + He{degree}(v . x)")
    assert answer(solve_text(teachers(two, "wv"))) == answer(solve_text(one))


def test_a_term_the_lazy_route_carries_needs_no_group():
    """He1(w.x) + He3(v.x), erf: the linear term reaches the readout lazily at norm d, below
    sqrt(N d) wherever N >= d, so specialists need only a group on v there; where N <= d^(1/3)
    GFL's (N d)^(3/4) is below d, and both directions are amplified."""
    data = solve_text(teachers(two_layer(target="He1(w . x) + He3(v . x)"), "wv"))
    by_p = {p["p_star"]: p["locked"].get("h") for p in data["phases"]}
    assert by_p["sqrt(N)*sqrt(d)*kappa"] == "spec on He1(v . x)"
    assert by_p["N**(3/4)*d**(3/4)*kappa"] == "gfl on He1(w . x) + gfl on He1(v . x)"


def test_three_layers():
    """fcn3 (h1: gp | spec, h2: gp | spec | mag) learning He3(w.x) + He3(v.x): one teacher's
    phases, each specialist layer with a group per teacher."""
    one = solve_text(three_layer())
    two = solve_text(teachers(three_layer(target="He3(w . x) + He3(v . x)"), "wv"))
    assert answer(two) == answer(one)
    assert all(" + " in " ".join(p["locked"].values()) for p in two["phases"] if p["locked"])


POINTS = [{"d": 1, "N": Fraction(n, 10)} for n in (3, 7, 15, 25, 45, 70)]


@pytest.mark.parametrize(
    "activation, first, second",
    [("erf", 3, 1), ("erf", 1, 3), ("relu", 2, 2), ("relu", 1, 2), ("tanh", 3, 3)],
)
def test_adding_a_teacher_term_never_lowers_p_star(activation, first, second):
    """A second term can only add to the energy (every candidate of the two-term target, with
    its second term's readout norm dropped, is a candidate of the one-term target)."""
    one = load(two_layer(activation=activation, target=f"He{first}(w . x)")).solve()
    target = f"He{first}(w . x) + He{second}(v . x)"
    two = load(teachers(two_layer(activation=activation, target=target), "wv")).solve()
    for point in POINTS:
        low, high = one.phase_at(point), two.phase_at(point)
        if low is not None and high is not None:
            assert high.value(point) >= low.value(point)


# ---- combinations of teacher directions (docs/method.md, section 4, "Combinations") ----------
#
# The hand derivation: for c = (u ± w)/sqrt(2), He2(c) = (He2(u) + He2(w))/2 ± He1(u) He1(w)
# (the Hermite addition theorem), so the two groups' outputs differ by the product, and each
# carries it with weight of order one. A group of M specialists on c costs M times the mean of
# u's and w's relative norms, d in the first layer, as one teacher's specialists do; its spike
# gives He1(u) He1(w) the eigenvalue a group on w gives He2(w). So a product of degree k over
# several teachers costs what He_k of one teacher costs, in every phase specialists win; and GFL
# amplifies each factor's direction (a group per teacher), the product's eigenvalue growing with
# their product as He_k's does with D^k.


def test_the_product_of_two_directions_costs_what_one_squared_direction_does():
    """He1(u.x) He1(w.x) through ReLU against He2(w.x): d^2 lazily where N >= d^3, sqrt(N d) by
    specialists on (u ± w)/sqrt(2), d where M >= 1 binds, (N d)^(2/3) by GFL on u and w; the
    same phases. At N = d the answer is kappa d (it was kappa d^(3/2), by GFL on one direction,
    when a layer could lock onto one teacher only)."""
    one = solve_text(two_layer(activation="relu", target="He2(w . x)"))
    product = teachers(two_layer(activation="relu", target="He1(u . x) * He1(w . x)"), "uw")
    data = solve_text(product)
    assert answer(data) == answer(one)
    mechanisms = {p["locked"].get("h") for p in data["phases"]}
    assert "spec on He1((u ± w)/sqrt(2) . x)" in mechanisms
    assert "gfl on He1(u . x) + gfl on He1(w . x)" in mechanisms
    tied = load(product).solve(N="d").to_json()
    assert tied["p_star"]["expr"] == "d*kappa"


@pytest.mark.parametrize(
    "activation, product, power",
    [
        ("x^2", "He1(u . x) * He1(w . x)", "He2(w . x)"),
        ("erf", "He1(u . x) * He1(v . x) * He1(w . x)", "He3(w . x)"),
        ("erf", "He2(u . x) * He1(w . x)", "He3(w . x)"),
    ],
)
def test_products_answer_as_one_direction_of_the_same_degree(activation, product, power):
    """x^2 carries He2(c), erf He3(c): a product of total degree k over two or three teachers
    (with a group on (u ± v ± w)/sqrt(3) for three) answers as He_k of one teacher."""
    names = "uvw" if "v . x" in product else "uw"
    data = solve_text(teachers(two_layer(activation=activation, target=product), names))
    assert answer(data) == answer(solve_text(two_layer(activation=activation, target=power)))


def test_a_product_beside_a_single_direction_holds_a_group_on_each():
    """He1(u.x) He1(w.x) + He2(v.x) through ReLU: a group on (u ± w)/sqrt(2) and one on v, each
    as cheap as one teacher's: the one-teacher He2 answer again."""
    target = "He1(u . x) * He1(w . x) + He2(v . x)"
    data = solve_text(teachers(two_layer(activation="relu", target=target), "uwv"))
    assert answer(data) == answer(solve_text(two_layer(activation="relu", target="He2(w . x)")))
    assert {p["locked"].get("h") for p in data["phases"]} >= {
        "spec on He1(v . x) + spec on He1((u ± w)/sqrt(2) . x)"
    }


def test_a_product_in_a_deeper_layer():
    """Three layers (h1: gp | spec, h2: gp | spec | mag) through ReLU: the product's groups
    may sit in either layer, and the phases are those of He2(w.x)."""
    one = solve_text(three_layer(activation="relu", target="He2(w . x)"))
    target = "He1(u . x) * He1(w . x)"
    two = solve_text(teachers(three_layer(activation="relu", target=target), "uw"))
    assert answer(two) == answer(one)


# ---- more networks: other degrees and activations, mean-field, groups in two layers ---------


@pytest.mark.parametrize(
    "network, activation, degree, names",
    [
        ("two", "relu", 4, "wv"),
        ("two", "erf", 3, "uvw"),
        ("three", "tanh", 3, "wv"),
        ("three", "erf", 1, "uvw"),
    ],
)
def test_sums_over_teachers_answer_as_one_teacher(network, activation, degree, names):
    """He_k over two or three teachers, each term its own group, in two- and three-layer
    networks: one teacher's phases (the module's derivation holds layer by layer: a group per
    teacher in whichever layer learns, the costs adding)."""
    make = two_layer if network == "two" else three_layer
    target = " + ".join(f"He{degree}({t} . x)" for t in names)
    one = solve_text(make(activation=activation, target=f"He{degree}(w . x)"))
    many = solve_text(teachers(make(activation=activation, target=target), names))
    assert answer(many) == answer(one)


def test_a_mean_field_readout():
    """Readout variance 1/N^2: one group per teacher, and the mean-field answer of one teacher
    (N sqrt(d) where N >= sqrt(d); d below it down to N = d^(1/4); GFL's N d^(3/4) there)."""
    one = solve_text(two_layer(readout_var="1/N^2"))
    text = two_layer(readout_var="1/N^2", target="He3(w . x) + He3(v . x)")
    two = solve_text(teachers(text, "wv"))
    assert answer(two) == answer(one)
    assert {p["p_star"] for p in two["phases"]} == {
        "N*sqrt(d)*kappa",
        "d*kappa",
        "N*d**(3/4)*kappa",
    }


def mixed_network(first: str, second: str, target: str) -> str:
    """Three layers with different activations and three teachers u, v, w."""
    text = three_layer(target=target)
    text = text.replace("erf(W1 x)", f"{first}(W1 x)").replace("erf(W2 h1)", f"{second}(W2 h1)")
    return teachers(text, "uvw")


def test_a_combination_in_one_layer_and_a_single_direction_in_another():
    """erf then ReLU learning He1(u.x) He1(w.x) + He3(v.x). erf carries He3 (odd) and ReLU He2
    (even): h1's specialists on v give He3(v.x) (M1 d + N1/M1, sqrt(N1 d) at M1 = sqrt(N1/d),
    as in the two-layer network), and h2's on (u ± w)/sqrt(2) give the product (its input
    kernel has He1 of u and w at relative eigenvalue 1/d through the lazy erf layer, so it
    costs M2 d + N2/M2, sqrt(N2 d)). The energies add: P* is the larger, sqrt(N1 d) where
    N1 >= N2. At N1 = d^2, N2 = d (inside that phase's region: N2 >= sqrt(N1/d)) P* is
    d^(3/2), by h1 on v and h2 on the combination."""
    solution = load(mixed_network("erf", "relu", "He1(u . x) * He1(w . x) + He3(v . x)")).solve()
    point = {"d": 1, "N1": 2, "N2": 1}
    phase = solution.phase_at(point)
    assert phase.value(point) == Fraction(3, 2)
    locked = solution.to_json()["phases"][solution.phases.index(phase)]["locked"]
    assert locked == {"h1": "spec on He1(v . x)", "h2": "spec on He1((u ± w)/sqrt(2) . x)"}


def test_a_product_of_three_directions_is_as_uncarried_as_he3_through_relu():
    """ReLU's Hermite content is He1 and the even degrees: a product of three teachers'
    projections (degree 3) has no route to the readout, as He3 of one teacher has none, and the
    error says so at the target's line."""
    product = "He1(u . x) * He1(v . x) * He1(w . x)"
    text = teachers(two_layer(activation="relu", target=product), "uvw")
    with pytest.raises(ScaleError, match="no pattern assignment carries"):
        load(text).solve()
    with pytest.raises(ScaleError, match="no pattern assignment carries"):
        load(two_layer(activation="relu", target="He3(w . x)")).solve()


# ---- mixtures named in a patterns line (``patterns h: gp | spec + gfl``) ---------------------


def test_a_mixture_holds_a_group_of_each_pattern():
    """He3(w.x) + He1(v.x), erf, h: gp | spec + gfl: a group of spec on one teacher and one of
    gfl on the other, each pricing its own term. With spec on w (cost M_w d, He3's norm N/M_w as
    one teacher's specialists give it) and gfl on v (cost D_v N, He1's norm d/D_v):
    E = M_w d + D_v N + N/M_w + d/D_v. GFL's D_v >= 1 makes E >= N, and M_w = D_v = 1 reach it
    where N >= d: E ~ N up to N = d^3, where gp's d^3 takes over. At N = d^2, P* = kappa d^2,
    by the mixture."""
    text = teachers(two_layer(target="He3(w . x) + He1(v . x)", patterns="gp | spec + gfl"), "wv")
    solution = load(text).solve()
    point = {"d": 1, "N": 2}
    phase = solution.phase_at(point)
    assert phase.value(point) == 2
    locked = solution.to_json()["phases"][solution.phases.index(phase)]["locked"]
    assert locked == {"h": "spec on He1(w . x) + gfl on He1(v . x)"}
    assert phase.winners == [{"h": "spec + gfl"}]


def test_a_mixture_of_one_pattern_is_a_choice_of_its_groups():
    """h: gp | spec + spec holds exactly two groups of specialists, which is what spec finds for
    two cubic terms: the same phases where specialists win."""
    target = "He3(w . x) + He3(v . x)"
    groups = solve_text(teachers(two_layer(target=target, patterns="gp | spec + spec"), "wv"))
    found = solve_text(teachers(two_layer(target=target, patterns="gp | spec"), "wv"))
    assert answer(groups) == answer(found)


def test_where_the_groups_fill_the_layer():
    """Readout variance 1/N^3: a group of M specialists costs M d and leaves He3's norm N^3/M, so
    M ~ N^(3/2)/sqrt(d), which passes the layer's width where N >= d. There the shared width
    binds (sum M <= N, each M <= N at leading order): M_w = M_v = N, and E = N d + N^2 ~ N^2.
    The two-teacher answer is one teacher's."""
    one = solve_text(two_layer(readout_var="1/N^3"))
    text = two_layer(readout_var="1/N^3", target="He3(w . x) + He3(v . x)")
    two = solve_text(teachers(text, "wv"))
    assert answer(two) == answer(one)
    full = next(p for p in two["phases"] if p["region"] == ["N >= d"])
    assert full["p_star"] == "N**2*kappa"
    assert full["optimum"] == {"M_w": "N", "M_v": "N"}
