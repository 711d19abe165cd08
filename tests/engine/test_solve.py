"""solve(): docs/method.md §10 energies entered directly, bounds that bind, errors that name."""

from fractions import Fraction as F

import pytest
import sympy
from engine_energies import COORDS3, DOM3, N1, N2, M, N, d, energies3

from scalelang.exponents import (
    Affine,
    Bound,
    EngineError,
    Program,
    Term,
    program_from_sympy,
    solve,
    to_monomial,
)

X = Affine.var


def piece_with(vf, balanced):
    return next(p for p in vf.pieces if set(p.balanced) == set(balanced))


def test_spec_mag_balances_three_terms():
    _, _, mag = energies3()
    vf = solve(mag, COORDS3, DOM3)
    p = piece_with(vf, {"M1*d", "N1*beta/M1", "N2/beta"})
    third = F(1, 3)
    assert p.value == Affine({"d": third, "N1": third, "N2": third})
    assert p.optimum["beta"] == Affine({"N2": F(2, 3), "N1": -third, "d": -third})
    assert p.optimum["M1"] == Affine({"N1": third, "N2": third, "d": F(-2, 3)})
    assert p.unique and p.binding == ()
    # the three terms are equal at the optimum
    assert set(p.term_values.values()) == {p.value}
    # in the proportional regime N1 = N2 = d this piece holds and gives d
    pt = {"d": 1, "N1": 1, "N2": 1}
    assert p.region.contains(pt) and vf.value_at(pt) == 1
    assert to_monomial(p.value) == (N1 * N2 * d) ** sympy.Rational(1, 3)


def test_gp_spec_and_gp():
    gp, spec, _ = energies3()
    vf = solve(spec, COORDS3, DOM3)
    p = piece_with(vf, {"M2*d", "N2/M2"})
    assert p.value == Affine({"N2": F(1, 2), "d": F(1, 2)})
    assert p.optimum["M2"] == Affine({"N2": F(1, 2), "d": F(-1, 2)})
    assert "M2*d balances N2/M2 at M2 = (N2/d)^(1/2)" in vf.trace()
    vf = solve(gp, COORDS3, DOM3)
    assert len(vf.pieces) == 1 and vf.pieces[0].value == Affine({"d": 3})


def test_two_layer_spec():
    log = {"d": X("d"), "N": X("N")}
    prog = program_from_sympy(M * d + N / M, [M], [(1, M, N)], log)
    vf = solve(prog, ("d", "N"), (X("d"), X("N")))
    assert len(vf.pieces) == 2
    low = vf.piece_at({"d": 2, "N": 1})  # N < d: M = 1 binds, minimum d
    assert low.binding == ("1 <= M",) and low.optimum["M"] == Affine() and low.value == X("d")
    high = vf.piece_at({"d": 1, "N": 2})
    assert high.value == Affine({"d": F(1, 2), "N": F(1, 2)})
    # the boundary between the pieces is N = d
    assert (low.value - high.value).normalized() in {(X("N") - X("d")), X("d") - X("N")}
    assert any(g.normalized() == X("d") - X("N") for g in low.region.inequalities)
    assert "bound 1 <= M binds, M*d dominates at M = 1; minimum d" in vf.trace()


def test_free_exponents_proportional_point():
    a1, a2 = sympy.symbols("a1 a2")
    log = {"d": Affine.constant(1), "N1": X("a1"), "N2": X("a2")}
    dom = (X("a1"), X("a2"))
    for prog in energies3(log)[1:]:
        vf = solve(prog, ("a1", "a2"), dom)
        assert vf.value_at({"a1": 1, "a2": 1}) == 1
    _, _, mag = energies3(log)
    vf = solve(mag, ("a1", "a2"), dom)
    p = vf.piece_at({"a1": 1, "a2": 1})
    assert p.value == Affine({"a1": F(1, 3), "a2": F(1, 3)}, F(1, 3))
    assert "d^(" in vf.trace()


def test_bound_between_variables_and_not_unique_flag():
    # K appears in no term: its optimum is a face; a vertex valid throughout is chosen
    prog = Program(
        ("M", "K"),
        (Term({"M": 1}, X("d"), "M*d"), Term({"M": -1}, X("N"), "N/M")),
        (
            Bound({"M": -1}, Affine(), "1 <= M"),
            Bound({"M": 1}, X("N"), "M <= N"),
            Bound({"K": -1}, Affine(), "1 <= K"),
            Bound({"K": 1, "M": -1}, Affine(), "K <= M"),
        ),
    )
    vf = solve(prog, ("d", "N"), (X("d"), X("N")))
    # where M = 1 binds, 1 <= K <= M pins K too; where M balances, K is free in [1, M]
    assert [p.unique for p in vf.pieces] == [p.binding[:1] == ("1 <= M",) for p in vf.pieces]
    for p in vf.pieces:
        pt = p.region.interior_point()
        k, m = p.optimum["K"](pt), p.optimum["M"](pt)
        assert 0 <= k <= m


def test_unbounded_names_term():
    prog = program_from_sympy(M * d + N / M, [M], [(1, M, None)], {"d": X("d"), "N": X("N")})
    solve(prog, ("d", "N"), (X("d"), X("N")))  # bounded: balanced
    prog = program_from_sympy(N / M, [M], [(1, M, None)], {"d": X("d"), "N": X("N")})
    with pytest.raises(EngineError, match=r"nothing bounds M from above in 'N/M'"):
        solve(prog, ("d", "N"), (X("d"), X("N")))


def test_infeasible_names_bounds():
    prog = program_from_sympy(M * d, [M], [(N, M, 1)], {"d": X("d"), "N": X("N")})
    with pytest.raises(EngineError, match=r"'N <= M'.*'M <= 1'|'M <= 1'.*'N <= M'"):
        solve(prog, ("d", "N"), (X("d"), X("N") - 1))


def test_partly_infeasible_reports_region():
    # M <= N and d <= M: possible only where N >= d
    prog = program_from_sympy(M + N / M, [M], [(d, M, N)], {"d": X("d"), "N": X("N")})
    vf = solve(prog, ("d", "N"), (X("d"), X("N")))
    assert vf.infeasible and vf.value_at({"d": 2, "N": 1}) is None
    assert vf.value_at({"d": 1, "N": 4}) == 2  # M = N^(1/2) = 2 >= d


def test_sympy_errors_name_term():
    log = {"d": X("d"), "N": X("N")}
    with pytest.raises(EngineError, match="'-N/M'|non-positive"):
        program_from_sympy(M * d - N / M, [M], [], log)
    with pytest.raises(EngineError, match="exp.*not a monomial"):
        program_from_sympy(M * d + sympy.exp(M), [M], [], log)
    with pytest.raises(EngineError, match="not a monomial"):
        program_from_sympy(M * d + sympy.sqrt(N + M), [M], [], log)


def test_labels_and_constants_dropped():
    log = {"d": X("d"), "N": X("N")}
    prog = program_from_sympy(3 * M * d + N / (2 * M), [M], [(1, M, N)], log)
    assert [b.label for b in prog.bounds] == ["1 <= M", "M <= N"]
    term = next(t for t in prog.terms if t.label == "3*M*d")
    assert term.scale_form == X("d") and term.exponent("M") == 1
