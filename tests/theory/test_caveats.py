"""Caveats the answer carries: a dense network's P* below d (no learner finds a direction in d
dimensions from fewer than about d samples, which the scale analysis does not see), and a target
over several teachers where a layer's groups cannot cover it (products of teachers; layers other
than dense)."""

from conftest import solve_text, two_layer


def below(data):
    return [c for c in data["caveats"] if c.startswith("P* falls below d")]


def test_gaussian_feature_learning_below_d_is_flagged():
    """GFL balances N D against the readout norm at E = (d N)^(3/4), which wins over
    specialization's d only where N < d^(1/3), exactly where (d N)^(3/4) < d."""
    [note] = below(solve_text(two_layer()))
    assert "h=gfl (P* ~ (d N)^(3/4)) wherever it wins" in note
    assert "h=spec" not in note  # its P* ~ d and sqrt(N d) are never below d


def test_a_partly_low_phase_says_where():
    """kappa = 1/d makes every P* = kappa E smaller by d: specialization's balanced
    sqrt(N d)/d = sqrt(N/d) is below d only where N < d^3, part of its phase d <= N <= d^5, and
    the note names that part."""
    text = two_layer(patterns="gp | spec").replace("noise kappa = 1", "noise kappa = d^-1")
    [note] = below(solve_text(text))
    assert "h=spec (P* ~ sqrt(N/d)) where N < d^3" in note


def test_p_star_of_order_d_is_not_flagged():
    assert not below(solve_text(two_layer(patterns="gp | spec"), N="d"))


def test_groups_per_teacher_lift_the_one_feature_caveat_in_dense_networks():
    """He3(w.x) + He3(v.x): a dense layer may hold one group of specialists per term
    (docs/method.md, section 4, "Groups"), so the answer carries no caveat about it; a
    convolution's layer still locks onto one feature at a time, and says so."""
    text = two_layer(target="He3(w . x) + He3(v . x)").replace(
        "teacher w ~ sphere(d)", "teacher w ~ sphere(d)\nteacher v ~ sphere(d)"
    )
    assert not any("different teachers" in c for c in solve_text(text)["caveats"])
    conv = CONV.replace("He3(w . x)", "He3(w . x) + He3(v . x)").replace(
        "teacher w ~ sphere(d)", "teacher w ~ sphere(d)\nteacher v ~ sphere(d)"
    )
    [note] = [c for c in solve_text(conv)["caveats"] if "different teachers" in c]
    assert "only in networks of dense layers" in note
    assert not any("different teachers" in c for c in solve_text(CONV)["caveats"])


CONV = """problem conv
scale d
scale P
constant C = 2
constant n = 4
noise kappa = 1
input   x ~ gaussian(d)
teacher w ~ sphere(d)
target  y = He3(w . x)
conv    h = erf(W x)  channels C  patches n  prior W ~ normal(0, 1/d)
readout f = a . h                           prior a ~ normal(0, 1/(C*n))
predict P
"""


def test_a_product_carries_the_combination_caveat_only_in_the_taylor_regime():
    """He1(u.x) He1(w.x): groups on (u ± w)/sqrt(2) learn it where the layer's activation is
    taken at unit variance (docs/method.md, section 4, "Combinations"), so no caveat there; with
    a first-layer prior of 1/d^2 the pre-activation variance is 1/d, softplus is in its Taylor
    regime, where combinations are not derived, and the answer says so."""
    teachers = ("teacher w ~ sphere(d)", "teacher u ~ sphere(d)\nteacher w ~ sphere(d)")
    text = two_layer(activation="relu", target="He1(u . x) * He1(w . x)").replace(*teachers)
    assert not any("combinations of their directions" in c for c in solve_text(text)["caveats"])
    small = two_layer(activation="softplus", target="He1(u . x) * He1(w . x)").replace(*teachers)
    small = small.replace("normal(0, 1/d)", "normal(0, 1/d^2)")
    [note] = [c for c in solve_text(small)["caveats"] if "combinations of their directions" in c]
    assert "Taylor regime (h;" in note


def test_the_data_floor_holds_for_every_layer_kind():
    """cnn_patches answers kappa d^(3/4) by GFL with n = 4 patches: each sample still carries one
    scalar label, so finding the teacher's d numbers takes about d samples; the answer keeps
    P* = kappa d^(3/4) and adds the data-limited max(P*, d) = d with its reason."""
    from pathlib import Path

    import scalelang

    example = Path(__file__).resolve().parents[2] / "examples" / "cnn_patches.scale"
    solution = scalelang.load(str(example)).solve()
    data = solution.to_json()
    assert data["p_star"]["expr"] == "d**(3/4)*kappa"  # the method's answer is unchanged
    limited = data["data_limited"]
    assert limited["floor"] == "d" and "one scalar label" in limited["reason"]
    assert limited["below"] == [
        {"patterns": {"h": "gfl"}, "p_star": "d**(3/4)*kappa", "where": "everywhere it wins"}
    ]
    assert below(data) and "max(P*, d) ~ d for h=gfl, wherever it wins" in repr(solution)


def test_no_data_limit_where_p_star_stays_above_the_floor():
    data = solve_text(two_layer(patterns="gp | spec"), N="d")
    assert data["data_limited"] is None and not below(data)
