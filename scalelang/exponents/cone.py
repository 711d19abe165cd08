"""Scale invariance: solve on the slice where one coordinate is 1, answer on the whole cone.

Owns ``Slice``: the choice of the coordinate to fix, and the maps between the cone (the caller's
coordinates) and the slice (one coordinate fewer) for forms, polyhedra and programs. Value
functions and phases are lifted back to the cone where they are defined (``parametric``,
``envelope``), with these maps.

Why: when every scale form is linear (no constant part) and the domain is a cone, the leading-order
answer is positively homogeneous: multiplying every log-scale by lambda > 0 multiplies every value,
optimum and region inequality by lambda. If the domain keeps a coordinate c positive (every scale
is at least 1, so c >= 0 is a domain row), the slice c = 1 meets every ray of the domain's interior
once and carries the whole answer. There, each exact question (an LP per polyhedron) has one
variable fewer, and a problem in (d, N) is a problem on a line. A form ``a.x + b*c`` on the cone is
``a.x + b`` on the slice; a slice region ``{g(x) + k >= 0}`` is the cone
``{g(x) + k*c >= 0, c >= 0}``.
Problems with free exponents (forms with constants) are not homogeneous and are solved as they are.
"""

from __future__ import annotations

from typing import Iterable

from .affine import Affine, Q
from .polyhedron import Polyhedron
from .program import Bound, Program, Term

_FOUND: dict = {}  # (coordinates, domain) -> Slice or None, for the run


class Slice:
    """The slice ``unit = 1`` of a homogeneous problem over ``coordinates`` on the cone
    ``domain``."""

    def __init__(self, unit: str, coordinates: tuple, domain: Polyhedron):
        self.unit = unit
        self.coordinates = coordinates
        self.domain = domain
        self.reduced = tuple(c for c in coordinates if c != unit)
        self.reduced_domain = self.down_polyhedron(domain).irredundant()

    @classmethod
    def find(
        cls, coordinates: tuple, domain: Polyhedron, forms: Iterable[Affine]
    ) -> "Slice | None":
        """The slice to solve on, or None when the problem is not scale invariant (a form or a
        domain row with a constant part) or has a single coordinate (nothing left to slice)."""
        if any(f.const for f in forms):
            return None
        key = (coordinates, domain)
        if key not in _FOUND:
            if len(_FOUND) >= 1000:  # a long notebook session: forget rather than grow forever
                _FOUND.clear()
            _FOUND[key] = cls._choose(coordinates, domain)
        return _FOUND[key]

    @classmethod
    def _choose(cls, coordinates: tuple, domain: Polyhedron) -> "Slice | None":
        if len(coordinates) < 2 or any(g.const for g in domain.inequalities):
            return None
        for c in coordinates:
            if domain.implies(Affine.var(c)):
                return cls(c, coordinates, domain)
        return None

    def matches(self, other: "Slice | None") -> bool:
        return (
            other is not None
            and other.unit == self.unit
            and other.coordinates == self.coordinates
            and other.domain == self.domain
        )

    # ---- forms and polyhedra -------------------------------------------------------------------
    def down(self, form: Affine) -> Affine:
        """``a.x + b*c`` on the cone is ``a.x + b`` on the slice."""
        memo = form.memo()
        key = ("slice", self.unit)
        out = memo.get(key)
        if out is None:
            coeffs = {n: v for n, v in form._items if n != self.unit}
            out = memo[key] = Affine(coeffs, form.const + form.coeff(self.unit))
        return out

    def up(self, form: Affine) -> Affine:
        """The homogeneous form on the cone that is ``form`` on the slice (remembered on the
        form, as ``down``: every piece of every value function solved on the slice comes up)."""
        memo = form.memo()
        key = ("cone", self.unit)
        out = memo.get(key)
        if out is None:
            items = [(n, v) for n, v in form._items if n != self.unit]
            if form.const:
                items.append((self.unit, form.const))
            out = memo[key] = Affine._exact(tuple(sorted(items)), Q(0))
        return out

    def down_polyhedron(self, poly: Polyhedron) -> Polyhedron:
        return Polyhedron.make(self.reduced, [self.down(g) for g in poly.inequalities])

    def up_polyhedron(self, poly: Polyhedron) -> Polyhedron:
        """The cone over a slice region (its rows stay facets; ``unit >= 0`` may be redundant).
        A point known inside the slice region, lifted to ``unit = 1``, is inside the cone."""
        rows = [self.up(g) for g in poly.inequalities] + [Affine.var(self.unit)]
        out = Polyhedron.make(self.coordinates, rows)
        point = poly.known_point()
        if point is not None:
            out._witness = self.up_point(point)
        return out

    def up_point(self, point: dict) -> dict:
        return {**point, self.unit: Q(1)}

    # ---- programs, value functions, phases -----------------------------------------------------
    def down_program(self, program: Program) -> Program:
        terms = tuple(
            Term(dict(t.var_exponents), self.down(t.scale_form), t.label) for t in program.terms
        )
        bounds = tuple(
            Bound(dict(b.var_exponents), self.down(b.scale_form), b.label) for b in program.bounds
        )
        return Program(program.variables, terms, bounds, program.label)
