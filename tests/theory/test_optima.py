"""Every optimum the answer reports holds on the whole region it is reported for.

A region of an assignment's envelope gives its first winner's optimum of the variational
parameters (affine in the coordinates there), and each tied winner's at a point of it. Checked
exactly at grid points strictly inside each
region: the optimum meets every bound of the candidate, and its largest term is the region's
value. Regression: merging cells with the same value but different optima once kept one
optimum for both, which broke the bounds in the other cell (fcn3: D2 ~ N1/d^(1/3) reported
where N1 < d^(1/3)).
"""

from fractions import Fraction as F
from itertools import product
from pathlib import Path

import pytest

from scalelang import exponents as engine
from scalelang.api import load
from scalelang.theory.lower import lower
from scalelang.theory.scales import scale_space
from scalelang.theory.solve import _shown_pieces, _Solver

ROOT = Path(__file__).resolve().parents[2]


def grid(coordinates, unit):
    """Points of coordinate space; with free exponents the coordinates are exponents."""
    values = [F(n, 3) for n in range(0, 25, 2)] if unit else [F(n, 4) for n in range(1, 25, 3)]
    return [dict(zip(coordinates, p)) for p in product(values, repeat=len(coordinates))]


def holds(program, piece, value, point) -> bool:
    u = {k: v(point) for k, v in piece.optimum.items()}

    def linear(item):
        return sum(c * u.get(n, 0) for n, c in item.var_exponents)

    bounds_ok = all(linear(b) <= b.scale_form(point) for b in program.bounds)  # a.u <= h(s)
    terms = [linear(t) + t.scale_form(point) for t in program.terms]
    return bounds_ok and max(terms) == value(point)


@pytest.mark.parametrize("name", ["fcn3_he3", "fcn3_he3_proportional", "fcn2_he3"])
def test_reported_optima_hold_on_their_regions(name):
    problem = load(ROOT / "examples" / f"{name}.scale").problem
    space = scale_space(problem)
    solver = _Solver(problem, space, lower(problem, space))
    points = grid(space.coordinates, space.unit)
    checked = 0
    for assignment in solver.lowered.assignments:
        programs = {i: solver._program(c) for i, c in enumerate(assignment.candidates)}
        solved = {i: solver._solve_candidate(c) for i, c in enumerate(assignment.candidates)}
        solved = {i: vf for i, vf in solved.items() if vf is not None}
        if not solved:
            continue
        envelope = engine.compare(list(solved.items()), space.coordinates, space.domain)
        for region in envelope.regions:  # the engine: the first winner's piece, everywhere
            key = region.winners[0]
            for p in (p for p in points if region.region.contains(p, strict=True)):
                assert holds(programs[key], region.pieces[key], region.value, p), (
                    dict(assignment.patterns),
                    key,
                    region.region,
                    p,
                )
                checked += 1
            for key in region.winners[1:]:  # tied winners: at a point of the region
                piece = region.pieces[key]
                meet = region.region & piece.region
                point = meet.interior_point()
                assert point is not None and holds(programs[key], piece, region.value, point), (
                    dict(assignment.patterns),
                    key,
                    region.region,
                )
        for value, key, polyhedron, piece in _shown_pieces(envelope):  # what the answer shows
            for p in (p for p in points if polyhedron.contains(p, strict=True)):
                assert holds(programs[key], piece, value, p), (dict(assignment.patterns), p)
    assert checked > 100
