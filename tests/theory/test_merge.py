"""Phases merged where one winner keeps one formula (scalelang.theory.merge): the engine splits
scale space wherever the set of tied assignments changes, and a reader wants one phase per winner
and formula. Winners, P*, optima and boundaries stay the engine's."""

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest

import scalelang
from scalelang.theory import merge

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

FOUR_LAZY = """problem four_lazy
scale d, N1, N2, N3, N4
scale P
input x ~ gaussian(d)
teacher w ~ sphere(d)
target y = He3(w . x)
layer h1 = erf(W1 x) width N1 prior W1 ~ normal(0, 1/d)
layer h2 = erf(W2 h1) width N2 prior W2 ~ normal(0, 1/N1)
layer h3 = erf(W3 h2) width N3 prior W3 ~ normal(0, 1/N2)
layer h4 = erf(W4 h3) width N4 prior W4 ~ normal(0, 1/N3)
readout f = a . h4 prior a ~ normal(0, 1/N4)
patterns h1: gp | spec
patterns h2: gp | spec
patterns h3: gp | spec
patterns h4: gp | spec
predict P
"""


def solved(source, merged=True, monkeypatch=None):
    if not merged:
        monkeypatch.setattr(merge, "merged", lambda phases, relations: phases)
    problem = scalelang.load(source)
    return problem.solve()


def formulas(solution) -> list:
    return [
        (json.dumps(p.winners[0]), str(p.value), str(sorted(p.piece.optimum.items())))
        for p in solution.phases
    ]


def test_one_winner_with_one_formula_is_one_phase():
    """fcn3: h1 = gp, h2 = spec gives P* ~ kappa d with M2 ~ 1 on two adjacent cells, one where
    spec-mag and spec-gfl tie with it and one where they do not: one phase, whose region is
    their union, with those two tied on part of it only."""
    solution = scalelang.load(EXAMPLES / "fcn3_he3.scale").solve()
    assert len(solution.phases) == 10
    assert len(set(formulas(solution))) == len(solution.phases)
    [phase] = [
        p
        for p in solution.phases
        if p.winners[0] == {"h1": "gp", "h2": "spec"}
        and str(p.value.const) == "0"
        and dict(p.value.coeffs) == {"d": 1}
    ]
    assert [str(r) for r in phase.region] == ["N1 >= d", "N2 >= d**(1/3)", "N2 <= d"]
    assert phase.winners[1:] == []
    assert phase.tied_in_part == [{"h1": "spec", "h2": "mag"}, {"h1": "spec", "h2": "gfl"}]
    data = solution.to_json()
    entry = next(
        p for p in data["phases"] if p["region"] == ["N1 >= d", "N2 >= d**(1/3)", "N2 <= d"]
    )
    assert entry["tied"] == [] and len(entry["tied_in_part"]) == 2
    assert all(p["tied_in_part"] == [] for p in data["phases"] if p is not entry)


def test_a_union_no_two_cells_of_which_are_convex_is_still_found():
    """Four lazy-or-specialized layers: the engine's 147 cells (most of them P* ~ kappa d with
    different ties) are 9 phases, one per winner and formula, each one convex region."""
    solution = solved(FOUR_LAZY)
    assert len(solution.phases) == 9
    assert len(set(formulas(solution))) == 9
    regions = {
        json.dumps(p.winners[0]) + str(p.value): [str(r) for r in p.region] for p in solution.phases
    }
    assert regions['{"h1": "gp", "h2": "gp", "h3": "gp", "h4": "spec"}d'] == ["N4 <= d"]
    assert all(len(p.cells) == 1 for p in solution.phases)


@pytest.mark.parametrize("source", [EXAMPLES / "fcn3_he3.scale", FOUR_LAZY])
def test_merging_changes_no_answer(source, monkeypatch):
    """At random points, the winner, P* and every assignment tied there are those of the
    engine's cells; the boundaries between different winners are the same."""
    merged = solved(source)
    with monkeypatch.context() as patch:
        cells = solved(source, merged=False, monkeypatch=patch)
    assert len(cells.phases) > len(merged.phases)
    assert merged.to_json()["boundaries"] == cells.to_json()["boundaries"]
    random.seed(22)
    coordinates = merged.space.coordinates
    checked = 0
    for _ in range(300):
        point = {c: Fraction(random.randint(0, 600), 97) for c in coordinates}
        point["d"] = Fraction(1)
        before, after = cells.phase_at(point), merged.phase_at(point)
        if before is None:
            continue
        checked += 1
        assert after.winners[0] == before.winners[0] and after.value == before.value
        tied_here = before.winners[1:]
        assert all(w in tied_here for w in after.winners[1:])  # tied throughout: tied here
        assert all(w in after.winners[1:] + after.tied_in_part for w in tied_here)
    assert checked > 250
