"""The data floor: P* = kappa E beside what any learner needs to find the target at all.

The scale analysis prices how a network can learn; it does not see that the data must first pin
the target down. Every sample carries one scalar label, whatever the architecture: patches and
context tokens are many looks at one input, but they come with one label. Finding a teacher
direction in D dimensions means pinning down about D numbers, so it takes of order D samples
whatever the learner, and T teachers take about the sum of their dimensions: at leading order the
largest, d in every example. Where kappa E falls below that floor the data, not the mechanism,
limit learning, and the data-limited answer is max(kappa E, floor) (docs/method.md, section 6).
P* = kappa E stays the method's answer; this module only says where the floor lies above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from scalelang.algebra import notation
from scalelang.algebra.monomial import NotMonomial, mono_from_sympy
from scalelang.exponents import Affine, Polyhedron
from scalelang.theory.scales import ScaleSpace

REASON = (
    "with fewer than about {floor} samples no learner can find {what} (each sample carries one "
    "scalar label), so there the data, not these mechanisms, limit learning"
)


@dataclass(frozen=True)
class Floor:
    """The samples any learner needs: ``value`` its log over the coordinates, ``expr`` itself."""

    value: Affine
    expr: sympy.Expr
    teachers: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why the floor holds, in one sentence."""
        n = len(self.teachers)
        dim = notation.from_sympy(sympy.sympify(self.expr)).plain()
        what = (
            f"a direction in {dim} dimensions" if n == 1 else f"{n} directions in {dim} dimensions"
        )
        return REASON.format(what=what, floor=dim)


@dataclass(frozen=True)
class Shortfall:
    """A phase where kappa E lies below the floor: everywhere it wins, or where ``relation``."""

    phase: object  # theory.solve.Phase
    everywhere: bool
    relation: sympy.Basic | None  # floor > kappa E, where not everywhere


@dataclass(frozen=True)
class DataLimited:
    """A solution's data floor and the phases whose P* lies below it."""

    floor: Floor
    below: tuple[Shortfall, ...]


def of(solution) -> DataLimited | None:
    """Where the data limit a ``theory.solve.Solution`` more than its mechanisms; None where
    P* never falls below the floor (or the floor is not a monomial in the scales)."""
    floor = floor_of(solution.problem, solution.space)
    if floor is None:
        return None
    below = shortfalls(solution.phases, floor, solution.kappa_form, solution.space)
    return DataLimited(floor, tuple(below)) if below else None


def floor_of(problem, space: ScaleSpace) -> Floor | None:
    """The largest teacher dimension as the floor (the sum of T dimensions is that to leading
    order); None where a dimension is not a monomial in the scales."""
    constants = set(getattr(problem, "constants", {}) or {})
    best = None
    for teacher in problem.teachers:
        try:
            value = space.log(mono_from_sympy(sympy.sympify(teacher.dim), constants))
        except (NotMonomial, KeyError):
            return None
        if best is None or _larger(value, best[0], space):
            best = (value, teacher.dim)
    if best is None:
        return None
    return Floor(best[0], best[1], tuple(t.name for t in problem.teachers))


def shortfalls(phases, floor: Floor, kappa_form: Affine, space: ScaleSpace) -> list[Shortfall]:
    """The phases where kappa E < floor somewhere (on an open part of the phase)."""
    found = []
    for phase in phases:
        gap = floor.value - phase.value - kappa_form  # > 0 where P* < floor
        if gap.is_constant():
            below = [cell for cell in phase.cells if gap.const > 0]
        else:
            below = [cell for cell in phase.cells if (cell & [gap]).is_full_dimensional()]
        if below:
            everywhere = all(cell.implies(gap) for cell in below)
            relation = None if everywhere else space.relation(gap, ">")
            found.append(Shortfall(phase, everywhere, relation))
    return found


def _larger(a: Affine, b: Affine, space: ScaleSpace) -> bool:
    """Whether ``a`` is at least ``b`` over the whole domain, and differs (dimensions compared
    where one is everywhere the larger; otherwise the first teacher's is kept)."""
    domain = Polyhedron.make(space.coordinates, list(space.domain))
    return domain.implies(a - b) and a != b
