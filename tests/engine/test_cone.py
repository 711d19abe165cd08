"""Solving on a slice of a scale-invariant problem gives the cone's answer (exponents.cone).

Each check solves the same problem twice, on the slice (the default) and on the cone itself
(slicing switched off), and compares the answers exactly at many points of the domain: the
values, the optimum, the winners of a comparison and the phase boundaries."""

from fractions import Fraction as F
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scalelang.exponents import (
    Affine,
    Bound,
    Program,
    Term,
    compare,
    compare_assignments,
    cone,
    solve,
)
from tests.engine.engine_energies import COORDS3, DOM3, energies3

POINTS3 = [
    {"d": F(a), "N1": F(b), "N2": F(c)}
    for a, b, c in product((1, 2, 3), (1, 3, 7, 12), (1, 2, 5, 17))
]


@pytest.fixture
def on_cone(monkeypatch):
    """Run the engine without slicing (a fresh cache, and no slice ever chosen)."""

    def unsliced():
        monkeypatch.setattr(cone, "_FOUND", {})
        monkeypatch.setattr(cone.Slice, "_choose", classmethod(lambda cls, c, d: None))

    return unsliced


def test_a_homogeneous_problem_is_solved_on_a_slice():
    _, _, mag = energies3()
    vf = solve(mag, COORDS3, DOM3)
    sliced, reduced = vf.sliced
    assert sliced.unit == "d" and reduced.coordinates == ("N1", "N2")
    assert all(p.value.const == 0 for p in vf.pieces)  # answers come back homogeneous


def test_free_exponents_are_not_sliced():
    prog = Program(
        ("M",),
        (Term({"M": 1}, Affine.constant(1), "M*d"), Term({"M": -1}, Affine({"a": 1}), "N/M")),
        (Bound({"M": -1}, Affine(), "1 <= M"), Bound({"M": 1}, Affine({"a": 1}), "M <= N")),
    )
    vf = solve(prog, ("a", "b"), (Affine.var("a"), Affine.var("b")))
    assert vf.sliced is None


def test_value_and_optimum_match_the_cone(on_cone):
    sliced = [solve(p, COORDS3, DOM3) for p in energies3()]
    on_cone()
    whole = [solve(p, COORDS3, DOM3) for p in energies3()]
    assert all(vf.sliced is None for vf in whole)
    for a, b in zip(sliced, whole):
        for point in POINTS3:
            assert a.value_at(point) == b.value_at(point)
            pa, pb = a.piece_at(point), b.piece_at(point)
            if pa is not None and pb is not None and pa.unique and pb.unique:
                assert {k: v(point) for k, v in pa.optimum.items()} == {
                    k: v(point) for k, v in pb.optimum.items()
                }


def test_comparison_matches_the_cone(on_cone):
    def phases():
        return compare([(p.label, solve(p, COORDS3, DOM3)) for p in energies3()], COORDS3, DOM3)

    sliced = phases()
    on_cone()
    whole = phases()
    for point in POINTS3:
        assert sliced.winner_at(point) == whole.winner_at(point)
        mine = [r for r in sliced.regions if r.region.contains(point, strict=True)]
        theirs = [r for r in whole.regions if r.region.contains(point, strict=True)]
        assert [(r.winners, r.value) for r in mine] == [(r.winners, r.value) for r in theirs]
    assert set(sliced.boundaries) == set(whole.boundaries)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-2, 2), st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=3
    )
)
def test_branch_and_bound_matches_the_cone(costs):
    """Chains of random two-term layer costs u_l * s / u_(l-1)^a: the same winners everywhere."""

    def program_of(prefix):
        terms, bounds = [], []
        for layer, c in enumerate(prefix):
            a, p, q = costs[c]
            prev = {f"u{layer - 1}": -a} if layer else {}
            terms += [
                Term({f"u{layer}": 1, **prev}, Affine({"d": p, "N": q}), f"t{layer}"),
                Term({f"u{layer}": -1}, Affine({"N": 1}), f"N/u{layer}"),
            ]
            bounds += [
                Bound({f"u{layer}": -1}, Affine(), f"1 <= u{layer}"),
                Bound({f"u{layer}": 1}, Affine.var("N"), f"u{layer} <= N"),
            ]
        variables = tuple(f"u{layer}" for layer in range(len(prefix)))
        return Program(variables, tuple(terms), tuple(bounds))

    coords, dom = ("d", "N"), (Affine.var("d"), Affine.var("N"))
    choices = [range(len(costs))] * 2
    sliced = compare_assignments(choices, program_of, coords, dom)
    saved = dict(cone._FOUND)
    cone._FOUND.clear()
    cone._FOUND[(coords, sliced.domain)] = None
    try:
        whole = compare_assignments(choices, program_of, coords, dom)
    finally:
        cone._FOUND.clear()
        cone._FOUND.update(saved)
    for n in range(12):
        point = {"d": F(1), "N": F(2 * n + 1, 7)}  # off the boundaries, which are rational
        assert sliced.winner_at(point) == whole.winner_at(point)
