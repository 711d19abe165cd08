"""Polyhedra in coordinate space: regions where a piece, a phase or an infeasibility holds.

Owns ``Polyhedron`` (a conjunction of ``Affine >= 0`` over named coordinates) and the exact
operations the engine needs on it: full-dimensionality with an interior witness point, implication
of an inequality, irredundant form, intersection, membership. Every operation is an exact LP from
``simplex``; nothing here knows about energies.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Iterable, Mapping

from .affine import Affine
from .simplex import maximize

ZERO = Fraction(0)


def _scaled(form: Affine) -> Affine:
    """Positive multiple with max |coefficient| 1, so parallel copies of a row coincide."""
    coeffs = form.coeffs
    if not coeffs:
        return form
    m = max(abs(v) for v in coeffs.values())
    return form * (1 / m)


class Polyhedron:
    """``{s : g(s) >= 0 for g in inequalities}`` over ``coordinates``; immutable.

    Built through ``Polyhedron.make`` the rows are scaled and de-duplicated cheaply; call
    ``irredundant()`` for the minimal description (one LP per row).
    """

    __slots__ = ("coordinates", "inequalities", "_interior", "_minimal")

    def __init__(self, coordinates: Iterable[str], inequalities: Iterable[Affine] = ()):
        self.coordinates = tuple(coordinates)
        self.inequalities = tuple(inequalities)
        self._interior = False  # not computed yet
        self._minimal = False

    @classmethod
    def make(cls, coordinates, inequalities) -> "Polyhedron":
        """Scale rows, keep the tightest of parallel rows, drop rows that hold trivially."""
        best: dict = {}
        bad = False
        for g in inequalities:
            g = _scaled(g)
            if g.is_constant():
                bad = bad or g.const < 0
                continue
            key = tuple(sorted(g.coeffs.items()))
            if key not in best or g.const < best[key].const:
                best[key] = g
        rows = list(best.values())
        if bad:
            rows.append(Affine.constant(-1))
        return cls(coordinates, rows)

    def __repr__(self):
        return f"Polyhedron({', '.join(str(g) + ' >= 0' for g in self.inequalities) or 'everything'})"

    def describe(self, render: Callable[[Affine], str] | None = None) -> str:
        """Inequalities as relations ``lhs >= rhs``; ``render`` prints each side (default: affine)."""
        if not self.inequalities:
            return "everywhere"
        out = []
        for g in self.inequalities:
            pos = Affine({n: c for n, c in g.coeffs.items() if c > 0}, max(g.const, ZERO))
            neg = Affine({n: -c for n, c in g.coeffs.items() if c < 0}, max(-g.const, ZERO))
            show = render or str
            out.append(f"{show(pos)} >= {show(neg)}")
        return ", ".join(out)

    def _rows(self, extra=()):
        rows = []
        for g in tuple(self.inequalities) + tuple(extra):
            rows.append((g.vector(self.coordinates), g.const))
        return rows

    def __and__(self, other) -> "Polyhedron":
        if isinstance(other, Polyhedron):
            other = other.inequalities
        return Polyhedron.make(self.coordinates, self.inequalities + tuple(other))

    intersect = __and__

    def contains(self, point: Mapping[str, object], strict: bool = False) -> bool:
        vals = [g(point) for g in self.inequalities]
        return all(v > 0 for v in vals) if strict else all(v >= 0 for v in vals)

    def interior_point(self) -> dict | None:
        """A point where every non-constant row is > 0 (an L-inf ball fits), or None if the set
        is not full-dimensional. Cached."""
        if self._interior is not False:
            return self._interior
        q = len(self.coordinates)
        rows = []
        for g in self.inequalities:
            if g.is_constant():
                if g.const < 0:
                    self._interior = None
                    return None
                continue
            vec = g.vector(self.coordinates)
            width = sum(abs(v) for v in vec)
            rows.append((vec + [-width], g.const))
        rows.append(([ZERO] * q + [Fraction(-1)], Fraction(1)))  # eps <= 1
        res = maximize([ZERO] * q + [Fraction(1)], rows)
        if res.status != "optimal" or res.value <= 0:
            self._interior = None
        else:
            self._interior = dict(zip(self.coordinates, res.x[:q]))
        return self._interior

    def is_full_dimensional(self) -> bool:
        return self.interior_point() is not None

    def minimum(self, form: Affine) -> Fraction | None:
        """min of ``form`` over the set; None if unbounded below (the set must be non-empty)."""
        vec = form.vector(self.coordinates)
        res = maximize([-v for v in vec], self._rows())
        if res.status == "infeasible":
            raise ValueError("minimum over an empty polyhedron")
        if res.status == "unbounded":
            return None
        return -res.value + form.const

    def implies(self, form: Affine) -> bool:
        """True if ``form >= 0`` holds on the whole set."""
        if form.is_constant():
            return form.const >= 0
        m = self.minimum(form)
        return m is not None and m >= 0

    def irredundant(self) -> "Polyhedron":
        """Same set, no row implied by the others (for full-dimensional sets)."""
        if self._minimal:
            return self
        rows = list(Polyhedron.make(self.coordinates, self.inequalities).inequalities)
        i = 0
        while i < len(rows):
            others = Polyhedron(self.coordinates, rows[:i] + rows[i + 1:])
            if others.inequalities and others.implies(rows[i]):
                del rows[i]
            else:
                i += 1
        out = Polyhedron(self.coordinates, rows)
        out._minimal = True
        out._interior = self._interior
        return out

    def __eq__(self, other):
        return (isinstance(other, Polyhedron) and self.coordinates == other.coordinates
                and set(self.inequalities) == set(other.inequalities))

    def __hash__(self):
        return hash((self.coordinates, frozenset(self.inequalities)))


def domain_polyhedron(coordinates, domain) -> Polyhedron:
    """The caller's domain (iterable of Affine >= 0) as an irredundant polyhedron."""
    return Polyhedron.make(tuple(coordinates), tuple(domain)).irredundant()
