"""A softmax attention head (docs/method.md §8, §10): sqrt(L d^3) from the same kernel rules.

Setting (docs/method.md section 8): L context tokens x_l and a query q, logits s_l = q W x_l with
W ~ N(0, v_W) entrywise, value V ~ N(0, v_V), target (1/sqrt L) sum_l He1(u.q) He1(w.x_l)
He1(v.x_l).
- logit kernel v_W (q.q')(x.x'): variance v_W d^2, eigenvalue v_W along He1(u.q) He1(w.x);
- softmax linearized at O(1) logits: L A_l = 1 + s_l - mean(s), content {0, 1};
- output kernel (v_V H / L) * (attention kernel o x.x'): He1(u.q)He1(w.x)He1(v.x) has eigenvalue
  v_V H v_W / L, so lazily a_y = L / (H v_W v_V) = L d^3;
- GFL on the logit feature (cost H D, bound D / d^2 <= 1): E = H D + L d^3 / (H D).
"""

from pathlib import Path

from conftest import assignment, solve_text

from scalelang.algebra.monomial import Mono
from scalelang.api import load
from scalelang.theory.kernels import Algebra, hadamard, logit_kernel, token_kernel

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "attention_head.scale"
TEXT = EXAMPLE.read_text().replace("assume L <= d\n", "")  # the whole (d, L) quadrant


def phase_json(data, patterns):
    return [p for p in data["phases"] if p["patterns"] == patterns]


def test_example_assumes_soft_attention_and_gets_one_answer():
    data = load(EXAMPLE).solve().to_json()
    assert data["p_star"]["exponents"] == {"L": "1/2", "d": "3/2", "kappa": "1"}
    assert data["p_star"]["patterns"] == {"f": "gfl"}
    assert data["p_star"]["optimum"] == {"D": "sqrt(L)*d**(3/2)"}


def test_without_the_assumption_gfl_wins_where_L_is_at_most_d():
    solution = load(TEXT).solve()
    phase = solution.phase_at({"d": 2, "L": 1})  # L <= d: the rules' scope
    data = solution.to_json()
    (inside,) = [p for p in data["phases"] if p["region"] == ["L <= d"]]
    assert inside["patterns"] == {"f": "gfl"}
    assert inside["exponents"] == {"L": "1/2", "d": "3/2", "kappa": "1"}
    assert inside["optimum"] == {"D": "sqrt(L)*d**(3/2)"}
    assert inside["tied"] == [{"f": "mag"}]  # a layer-wide mean on the logits: the same balance
    assert phase is not None and phase.winners[0] == {"f": "gfl"}
    gfl = assignment(data, f="gfl")
    assert gfl["exponents"] == {"L": "1/2", "d": "3/2"}
    assert gfl["locked"] == {"f": "gfl on He1(u . q)*He1(v . x)"}
    assert sorted(gfl["balanced"]) == ["D", "L*d**3/D"]


def test_lazy_head_needs_L_d3():
    data = solve_text(TEXT)
    assert assignment(data, f="gp")["exponents"] == {"L": "1", "d": "3"}


def test_hard_attention_is_where_the_logit_bound_binds():
    """D <= d^2 (the amplified logit keeps O(1) variance) binds when L >= d: there E = d^2 + L d,
    which specialization of the one head (M = 1: cost d^2, a_y = L d) and magnetization at its
    bound reach too. docs/method.md: outside the linearized softmax's scope."""
    data = solve_text(TEXT)
    (outside,) = [p for p in data["phases"] if p["region"] == ["L >= d"]]
    assert outside["exponents"] == {"L": "1", "d": "1", "kappa": "1"}
    assert outside["patterns"] == {"f": "gfl"} and outside["tied"] == [{"f": "spec"}, {"f": "mag"}]
    (bound,) = [p for p in assignment(data, f="gfl")["pieces"] if p["region"] == ["L >= d"]]
    assert bound["optimum"] == {"D": "d**2"}
    assert bound["binding"][0].startswith("D * (d**(-2)) <= 1")


def test_value_prior_changes_the_answer_as_the_rules_say():
    """Value prior 1/d^2: lazy a_y = L / (v_W v_V) = L d^4. GFL would balance at D = L^(1/2) d^2,
    past the bound d^2 for every L >= 1, so D = d^2 and E = d^2 + L d^2: P* ~ L d^2 everywhere,
    reached also by the head specializing (M = 1: d^2 + L d^2) or magnetizing at its bound."""
    data = solve_text(TEXT.replace("prior V ~ normal(0, 1/d)", "prior V ~ normal(0, 1/d^2)"))
    assert data["p_star"]["exponents"] == {"L": "1", "d": "2", "kappa": "1"}
    assert data["p_star"]["patterns"] == {"f": "gfl"}
    assert assignment(data, f="gp")["exponents"] == {"L": "1", "d": "4"}


def test_heads_as_a_scale():
    """H heads each with a value of prior 1/d: the output kernel gains H, GFL costs H D:
    E = H D + L d^3/(H D), balanced at D = (L d^3)^(1/2)/H: E = (L d^3)^(1/2) for any H;
    M <= H specialized heads give M d^2 + L d/M, the same balance; lazily L d^3 / H."""
    text = TEXT.replace("scale d, L", "scale d, L, H").replace("heads 1", "heads H")
    data = solve_text(text)
    assert assignment(data, f="gfl")["exponents"] == {"L": "1/2", "d": "3/2"}
    assert assignment(data, f="gfl")["optimum"] == {"D": "sqrt(L)*d**(3/2)/H"}
    assert assignment(data, f="spec")["exponents"] == {"L": "1/2", "d": "3/2"}
    assert assignment(data, f="gp")["exponents"] == {"H": "-1", "L": "1", "d": "3"}


def test_large_logits_earn_a_caveat():
    data = solve_text(TEXT.replace("prior W ~ normal(0, 1/d^2)", "prior W ~ normal(0, 1/d)"))
    assert any("pre-activations of f have variance ~ d" in c for c in data["caveats"])
    assert not solve_text(TEXT)["caveats"]


def test_context_only_target_through_uniform_attention():
    """He1(w.x) averaged over tokens: the constant part of L A_l (uniform attention) times the
    value: eigenvalue v_V / L, a_y = L d, and no pattern of the logits helps."""
    data = solve_text(TEXT.replace("He1(u . q) * He1(w . x) * He1(v . x)", "He1(w . x)"))
    assert data["p_star"]["exponents"] == {"L": "1", "d": "1", "kappa": "1"}
    assert data["p_star"]["patterns"] == {"f": "gp"}


def test_overrides_tie_the_context_length():
    data = solve_text(TEXT, L="d^(1/2)")
    assert data["p_star"]["exponents"] == {"d": "7/4", "kappa": "1"}


def test_logit_kernel_and_value_map():
    d = Mono.symbol("d")
    algebra = Algebra(teachers=3, max_degree=3, bulk=d**-1, at_least_one=frozenset({"d"}))
    logits = logit_kernel(algebra, d**-2, d, [0], [1, 2])
    assert logits.variance == Mono.symbol("d") ** 0
    assert logits.eigen == {(1, 1, 0): frozenset({d**-2}), (1, 0, 1): frozenset({d**-2})}
    out = hadamard(algebra, logits, token_kernel(algebra, d, [1, 2]), Mono.symbol("L") ** -1)
    assert out.eigenvalues((1, 1, 1)) == frozenset({d**-2 / Mono.symbol("L")})
    # He1(w.x) He1(w.x) = He2(w.x) + 1: the same-token product rule
    assert (
        out.eigenvalues((1, 2, 0))
        == out.eigenvalues((1, 0, 0))
        == frozenset({d**-2 / Mono.symbol("L")})
    )


def test_small_logits_are_soft_attention_weighted_by_their_variance():
    """W ~ 1/d^3: the logits have variance q = d^2 v_W = 1/d, the linear regime of the softmax
    (exact as q -> 0, not hard attention). The logit feature's eigenvalue is v_W = 1/d^3, so
    lazily a_y = L / (v_W v_V) = L d^4, and GFL amplifies it up to O(1) (D <= 1/v_W = d^3):
    E = D + L d^4 / D = 2 d^2 sqrt(L) at D = d^2 sqrt(L). It was taken at O(1) logits, with a
    caveat calling it hard attention, and gave the 1/d^2 answer sqrt(d^3 L)."""
    text = EXAMPLE.read_text().replace("prior W ~ normal(0, 1/d^2)", "prior W ~ normal(0, 1/d^3)")
    data = solve_text(text)
    assert data["p_star"]["exponents"] == {"L": "1/2", "d": "2", "kappa": "1"}
    assert data["p_star"]["optimum"] == {"D": "sqrt(L)*d**2"}
    assert not any("hard attention" in c for c in data["caveats"])
    large = solve_text(EXAMPLE.read_text().replace("normal(0, 1/d^2)", "normal(0, 1/d)"))
    assert any("hard attention" in c for c in large["caveats"])
