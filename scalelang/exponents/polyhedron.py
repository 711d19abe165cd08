"""Polyhedra in coordinate space: regions where a piece, a phase or an infeasibility holds.

Owns ``Polyhedron`` (a conjunction of ``Affine >= 0`` over named coordinates) and the exact
operations the engine needs on it: full-dimensionality with an interior witness point, implication
of an inequality, irredundant form, intersection, membership. Every operation is an exact LP from
``simplex``; nothing here knows about energies.

Speed (the envelope asks tens of thousands of these questions): answers are cached per polyhedron,
rows are handed to the LP solver as cached integer rows, whole LPs are remembered for the run
(about half of them are asked again by other polyhedra), and questions that a cheap exact argument
settles skip the LP -- two rows that are opposite sides of one hyperplane (``g >= 0`` and
``-g + c >= 0`` with ``c <= 0``) make the set flat; a row parallel to ``form`` and no looser
implies it; a known point where every row is strictly positive proves full dimension. None of
these changes an answer: each is a proof, and the LP runs whenever no proof is at hand.
"""

from __future__ import annotations

from math import gcd
from operator import mul
from typing import Callable, Iterable, Mapping

from .affine import Affine, Q
from .simplex import StandardLP, integer_row, maximize_integer

ZERO = Q(0)


def scaled(form: Affine) -> Affine:
    """Positive multiple with max |coefficient| 1, so parallel copies of a row coincide (also
    how callers tell a region's row from a domain row the engine returned rescaled)."""
    memo = form.memo()
    out = memo.get("scaled")
    if out is None:
        coeffs = form.coeffs
        if not coeffs:
            out = form
        else:
            m = max(abs(v) for v in coeffs.values())
            out = form if m == 1 else form * (1 / m)
        memo["scaled"] = out
        out.memo()["scaled"] = out
    return out


def _direction(form: Affine) -> tuple:
    """The coefficients of a scaled row (hashable): rows with equal directions are parallel."""
    return form._items


def _opposite(form: Affine) -> tuple:
    """The direction of ``-form`` (for a scaled row)."""
    memo = form.memo()
    out = memo.get("opposite")
    if out is None:
        out = memo["opposite"] = tuple((n, -c) for n, c in form._items)
    return out


def _int_row(form: Affine, coordinates: tuple) -> tuple:
    """The row ``form >= 0`` as the LP solver's cached integer row over ``coordinates``."""
    memo = form.memo()
    out = memo.get(coordinates)
    if out is None:
        out = memo[coordinates] = integer_row(form.vector(coordinates), form.const)
    return out


def _interior_row(form: Affine, coordinates: tuple) -> tuple:
    """The row ``form - |a|_1 * eps >= 0`` of the interior-point LP, cached like ``_int_row``."""
    memo = form.memo()
    key = ("interior", coordinates)
    out = memo.get(key)
    if out is None:
        ints, scale = _int_row(form, coordinates)
        out = memo[key] = (ints[:-1] + (-sum(abs(v) for v in ints[:-1]), ints[-1]), scale)
    return out


_SOLVED: dict = {}  # (objective, rows) -> LPResult
_SOLVED_LIMIT = 50_000  # a few tens of MB at most; cleared whole when full


def _maximize(c: tuple, rows: list, nonnegative: frozenset = frozenset()):
    """``maximize_integer``, remembered for the run: the envelope and the parametric solver ask
    the same small LPs again and again (about half of the calls on a deep network are repeats).
    Results are never modified by their users, so one object can serve every asker."""
    key = (c, tuple(rows), nonnegative)
    res = _SOLVED.get(key)
    if res is None:
        if len(_SOLVED) >= _SOLVED_LIMIT:
            _SOLVED.clear()
        res = _SOLVED[key] = maximize_integer(list(c), rows, nonnegative)
    return res


def _flat(rows) -> bool:
    """True if two scaled rows ``g >= 0`` and ``-g + c >= 0`` have ``g.const + c <= 0``: the set
    then lies in a hyperplane (or is empty), so it has no interior. A cheap exact test."""
    seen = {}
    for g in rows:
        if not g._items:
            continue
        g = scaled(g)
        d = _direction(g)
        other = seen.get(_opposite(g))
        if other is not None and other + g.const <= 0:
            return True
        prev = seen.get(d)
        if prev is None or g.const < prev:
            seen[d] = g.const
    return False


def _strictly_inside(rows, point, coordinates) -> bool:
    """True if every non-constant row is > 0 at ``point`` and no constant row is negative
    (exact, on the rows' cached integer forms and the point over a common denominator)."""
    P = _integer_point(point, coordinates)
    for g in rows:
        if g._items:
            ints = _int_row(g, coordinates)[0]
            if sum(a * x for a, x in zip(ints, P)) <= 0:  # a.x + b, times den
                return False
        elif g.const < 0:
            return False
    return True


def _integer_point(point, coordinates) -> list:
    """``[x_1 * den, ..., x_q * den, den]`` in ints, den > 0 the lcm of the denominators."""
    den = 1
    for c in coordinates:
        q = point[c].denominator
        den = den * q // gcd(den, q)
    return [int(point[c] * den) for c in coordinates] + [den]


class Polyhedron:
    """``{s : g(s) >= 0 for g in inequalities}`` over ``coordinates``; immutable.

    Built through ``Polyhedron.make`` the rows are scaled and de-duplicated cheaply; call
    ``irredundant()`` for the minimal description (one LP per row).
    """

    __slots__ = (
        "coordinates",
        "inequalities",
        "_interior",
        "_minimal",
        "_full",
        "_implied",
        "_witness",
        "_standard",
        "_minima",
    )

    def __init__(self, coordinates: Iterable[str], inequalities: Iterable[Affine] = ()):
        self.coordinates = tuple(coordinates)
        self.inequalities = tuple(inequalities)
        self._interior = False  # not computed yet
        self._minimal = False
        self._full = None  # full-dimensional? (None: not known yet)
        self._implied = {}  # form -> implies(form)
        self._witness = None  # some point where every row is > 0, if one is known
        self._standard = None  # its own LP, kept between calls (``minimum_kept``)
        # a form's linear part -> its minimum (``minimum_kept``); None until the set's first LP
        # question (``_implies`` asks that one afresh, later ones on the kept LP)
        self._minima = None

    @classmethod
    def make(cls, coordinates, inequalities) -> "Polyhedron":
        """Scale rows, keep the tightest of parallel rows, drop rows that hold trivially."""
        best: dict = {}
        bad = False
        for g in inequalities:
            g = scaled(g)
            if g.is_constant():
                bad = bad or g.const < 0
                continue
            key = g._items  # sorted by name: parallel scaled rows share it
            if key not in best or g.const < best[key].const:
                best[key] = g
        rows = list(best.values())
        if bad:
            rows.append(Affine.constant(-1))
        return cls(coordinates, rows)

    def __repr__(self):
        return (
            f"Polyhedron({', '.join(str(g) + ' >= 0' for g in self.inequalities) or 'everything'})"
        )

    def describe(self, render: Callable[[Affine], str] | None = None) -> str:
        """Inequalities as relations ``lhs >= rhs``; ``render`` prints each side (default:
        affine)."""
        if not self.inequalities:
            return "everywhere"
        out = []
        for g in self.inequalities:
            pos = Affine({n: c for n, c in g.coeffs.items() if c > 0}, max(g.const, ZERO))
            neg = Affine({n: -c for n, c in g.coeffs.items() if c < 0}, max(-g.const, ZERO))
            show = render or str
            out.append(f"{show(pos)} >= {show(neg)}")
        return ", ".join(out)

    def _rows(self):
        return [_int_row(g, self.coordinates) for g in self.inequalities]

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
        self._interior = self._chebyshev()
        self._full = self._interior is not None
        return self._interior

    def _chebyshev(self) -> dict | None:
        """The LP behind ``interior_point``: maximize eps with ``g - |a|_1 eps >= 0``, eps <= 1.
        Only a positive eps answers, so eps is a non-negative variable: one column, not the
        difference of two, in the LP the deep networks' comparisons ask most often.

        Which point it returns depends on the rows (a redundant row can cap eps), and callers
        such as the parametric solver pick bases at it, so it is computed on the description at
        hand, never borrowed from another description of the same set."""
        if self._full is False or _flat(self.inequalities):
            return None
        q = len(self.coordinates)
        rows = []
        for g in self.inequalities:
            if g.is_constant():
                if g.const < 0:
                    return None
                continue
            rows.append(_interior_row(g, self.coordinates))
        rows.append(((0,) * q + (-1, 1), 1))  # eps <= 1
        res = _maximize((0,) * q + (1,), rows, frozenset({q}))
        if res.status != "optimal" or res.value <= 0:
            return None
        return dict(zip(self.coordinates, res.x[:q]))

    def is_full_dimensional(self, hints: Iterable = ()) -> bool:
        """Whether the set has interior. ``hints`` are points to try first: one where every row
        is strictly positive proves it without an LP."""
        if self._full is not None:
            return self._full
        if self._interior is not False:
            return self._interior is not None
        for point in hints:
            if point is not None and _strictly_inside(self.inequalities, point, self.coordinates):
                self._full = True
                self._witness = point
                return True
        if len(self.coordinates) <= 2:
            made = Polyhedron.make(self.coordinates, self.inequalities).inequalities
            self._full = _has_interior_low_dim(made, self.coordinates)
            return self._full
        return self.interior_point() is not None

    def offer_point(self, point) -> "Polyhedron":
        """Keep ``point`` as the set's witness if every row is > 0 there (no LP), and return
        the set. A caller that knows a point of the set, such as the parameter at which the
        parametric solver found a basis, spares ``irredundant`` the LP that finds one; which
        point it is changes no answer (the witness only proves rows facets and sets full)."""
        if point is None or self.known_point() is not None:
            return self
        if _strictly_inside(self.inequalities, point, self.coordinates):
            self._full = True
            self._witness = point
        return self

    def known_point(self) -> dict | None:
        """A strictly interior point if one is already known (no LP), else None."""
        return self._interior or self._witness

    def minimum(self, form: Affine) -> Q | None:
        """min of ``form`` over the set; None if unbounded below (the set must be non-empty)."""
        vec = form.vector(self.coordinates)
        res = _maximize(tuple(-v for v in vec), self._rows())
        if res.status == "infeasible":
            raise ValueError("minimum over an empty polyhedron")
        if res.status == "unbounded":
            return None
        return -res.value + form.const

    def minimum_kept(self, form: Affine) -> Q | None:
        """``minimum``, on the set's own LP kept between calls: its first phase runs once and
        each call starts from the last call's optimum, so a set asked about many forms (an
        envelope cell, which every later candidate asks) pays a few pivots per form. Answers are
        remembered by the form's linear part: candidates of neighbouring assignments share
        forms, and ask again."""
        if self._minima is None:
            self._minima = {}
        linear = form._items
        if linear not in self._minima:
            self._minima[linear] = self._minimum_kept(form)
        low = self._minima[linear]
        return None if low is None else low + form.const

    def _minimum_kept(self, form: Affine) -> Q | None:
        """The minimum of ``form``'s linear part (its constant left out) on the kept LP."""
        if not self.inequalities:  # the whole space: an LP without rows has no columns either
            return None if form._items else ZERO
        if self._standard is None:
            self._standard = _standard_lp(self.inequalities, self.coordinates)
        if not self._standard.feasible:
            raise ValueError("minimum over an empty polyhedron")
        vec = form.vector(self.coordinates)
        cost = [-v for v in vec] + list(vec) + [0] * len(self.inequalities)
        res = self._standard.solve([cost])
        return None if res.status == "unbounded" else -res.value

    def implies(self, form: Affine) -> bool:
        """True if ``form >= 0`` holds on the whole set."""
        if form.is_constant():
            return form.const >= 0
        known = self._implied.get(form)
        if known is None:
            known = self._implied[form] = self._implies(form)
        return known

    def _implies(self, form: Affine) -> bool:
        point = self.known_point()
        if point is not None and form(point) < 0:
            return False  # a point of the set breaks it: no LP needed
        s = scaled(form)
        d, o = _direction(s), _opposite(s)
        for g in self.inequalities:
            if g._items:
                g = scaled(g)
                if g._items == d and g.const <= s.const:
                    return True  # form = g + (non-negative constant)
                if g._items == o and self._full and g.const + s.const <= 0:
                    return False  # form <= 0 on the set, < 0 inside it
        if self._minima is None:  # the set's first LP question: a fresh LP, remembered
            self._minima = {}
            m = self.minimum(form)
        else:  # asked again (a merge tests every row of one cell against another): kept LP
            m = self.minimum_kept(form)
        return m is not None and m >= 0

    def irredundant(self) -> "Polyhedron":
        """Same set, no row implied by the others (for full-dimensional sets)."""
        if self._minimal:
            return self
        rows = list(Polyhedron.make(self.coordinates, self.inequalities).inequalities)
        point = self.known_point()
        if len(self.coordinates) <= 2 and self._full is None and point is None:
            self._full = _has_interior_low_dim(rows, self.coordinates)  # rows are made already
        if len(self.coordinates) <= 2 and self.is_full_dimensional((point,)):
            facets = _shoot_facets(rows, point, self.coordinates) if point else ()
            return self._minimal_copy(
                [g for g in rows if g in facets or _edge_has_length(g, rows, self.coordinates)]
            )
        if point is None and len(rows) > 2:
            point = self._witness = self._chebyshev()  # a witness only: see _chebyshev
        if point is not None:
            return self._minimal_copy(_facets_by_shooting(rows, point, self.coordinates))
        i = 0  # no interior (or at most two rows): each row against the others
        while i < len(rows):
            if _implied_by(rows[:i] + rows[i + 1 :], rows[i], self.coordinates):
                del rows[i]
            else:
                i += 1
        return self._minimal_copy(rows)

    def _minimal_copy(self, rows: list) -> "Polyhedron":
        out = Polyhedron(self.coordinates, rows)
        out._minimal = True
        out._interior = self._interior
        out._full = self._full
        out._witness = self._witness
        return out

    def __eq__(self, other):
        return (
            isinstance(other, Polyhedron)
            and self.coordinates == other.coordinates
            and set(self.inequalities) == set(other.inequalities)
        )

    def __hash__(self):
        return hash((self.coordinates, frozenset(self.inequalities)))


def _standard_lp(rows, coordinates: tuple) -> StandardLP:
    """``g(s) >= 0`` for each row g in standard form, over ``s = sp - sm`` and one slack t per
    row: ``a.sp - a.sm - t = -b``, every variable non-negative (``Polyhedron.minimum_kept``)."""
    m = len(rows)
    E, e = [], []
    for i, g in enumerate(rows):
        a = g.vector(coordinates)
        E.append(list(a) + [-v for v in a] + [-1 if k == i else 0 for k in range(m)])
        e.append(-g.const)
    return StandardLP(E, e)


def _facets_by_shooting(rows: list, point: Mapping, coordinates: tuple) -> list:
    """The rows that are facets of the set ``rows`` describe, ``point`` strictly inside it
    (Clarkson's method: Clarkson, "More output-sensitive geometric algorithms", FOCS 1994).

    Facets found by shooting along the rows' normals (``_shoot_facets``) are kept in ``known``.
    Each other row r is asked how low it goes on the set ``known`` alone, a relaxation of the
    whole set: at least 0 there, r is implied by facets, so redundant. Else the LP's point x,
    where r < 0, lies in that relaxation, and the segment from ``point`` to x leaves the whole
    set through a facet: the row reached first (``_first_crossing``), which joins ``known``. The
    LPs have the facets found so far as rows, not every other row, and most rows are settled
    by one. A tie at the crossing proves nothing; that row is then asked against every other."""
    shot = _shoot_facets(rows, point, coordinates)
    known = [g for g in rows if g in shot]
    redundant = set()
    for r in rows:
        while r not in known and r not in redundant:
            low = _lowest_point(known, r, coordinates)
            if low is None:
                redundant.add(r)
                continue
            open_rows = [g for g in rows if g not in known and g not in redundant]
            h = _first_crossing(open_rows, point, low)
            if h is not None:
                known.append(h)
                continue
            others = [g for g in rows if g is not r and g not in redundant]
            if _implied_by(others, r, coordinates):
                redundant.add(r)
            else:
                known.append(r)
    return [g for g in rows if g in known]


def _implied_by(rows: list, form: Affine, coordinates: tuple) -> bool:
    """Whether ``rows >= 0`` imply ``form >= 0`` (one LP; no rows imply nothing here)."""
    return bool(rows) and Polyhedron(coordinates, rows).implies(form)


def _lowest_point(rows: list, form: Affine, coordinates: tuple) -> dict | None:
    """A point of ``{rows >= 0}`` where ``form < 0`` (the minimum of ``form`` there, with
    ``form >= -1`` added so that it is attained), or None when ``form >= 0`` on that set."""
    floor = _int_row(form + 1, coordinates)
    lp_rows = [_int_row(g, coordinates) for g in rows] + [floor]
    res = _maximize(tuple(-v for v in form.vector(coordinates)), lp_rows)
    if form.const - res.value >= 0:
        return None
    return dict(zip(coordinates, res.x))


def _first_crossing(rows: list, start: Mapping, end: Mapping) -> Affine | None:
    """The row whose value reaches 0 first on the segment from ``start`` (every row > 0) to
    ``end``, if exactly one row does so first; None on a tie (or if none reaches 0)."""
    best, tie = None, False
    for g in rows:
        at_end = g(end)
        if at_end >= 0:
            continue
        at_start = g(start)
        t = at_start / (at_start - at_end)
        if best is None or t < best[0]:
            best, tie = (t, g), False
        elif t == best[0]:
            tie = True
    return None if best is None or tie else best[1]


def _shoot_facets(rows: list, point: Mapping, coordinates: tuple) -> set:
    """Rows proved to be facets by ray shooting from a strictly interior point, without an LP.

    From ``point`` move along ``-a`` (the inward normal of row ``a.x + b >= 0``, reversed). The
    row reached first is zero there while every other row is still > 0, so that row is not
    implied by the others: it is a facet. Ties prove nothing (the LP decides those rows).
    Exact integer arithmetic on the rows' cached integer forms. Along ``-a_g`` row h falls at the
    rate ``a_h . a_g``: one product per pair of rows, shared by the two shots it serves.
    """
    *P, den = _integer_point(point, coordinates)
    live = [(g, _int_row(g, coordinates)[0]) for g in rows if g._items]
    normals = [ints[:-1] for _, ints in live]
    at_p = [sum(map(mul, a, P)) + ints[-1] * den for a, (_, ints) in zip(normals, live)]  # > 0
    gram = [[0] * len(live) for _ in live]
    for i, a in enumerate(normals):
        for j in range(i, len(live)):
            gram[i][j] = gram[j][i] = sum(map(mul, a, normals[j]))
    found = set()
    for slopes in gram:
        best = None  # (numerator, denominator) of the first hitting time, and the row
        tie = False
        for (h, _), value, slope in zip(live, at_p, slopes):  # slope > 0: h falls along the ray
            if slope <= 0:
                continue
            if best is None:
                best, tie = (value, slope, h), False
                continue
            lhs, rhs = value * best[1], best[0] * slope
            if lhs < rhs:
                best, tie = (value, slope, h), False
            elif lhs == rhs:
                tie = True
        if best is not None and not tie:
            found.add(best[2])
    return found


def _edge_has_length(g: Affine, rows: list, coordinates: tuple) -> bool:
    """In one or two dimensions, whether row ``g`` is a facet of the full-dimensional set that
    ``rows`` (scaled, de-duplicated by ``make``) describe: no LP needed.

    In the plane, walk the line ``g = 0`` as ``p0 + t * v``: every other row bounds t from one
    side (or is a constant on the line). ``g`` is a facet exactly when the t-interval left has
    positive length. A redundant row's line meets the set in at most a vertex; a facet's line
    carries an edge, and no other row can have that line, since ``make`` kept one row per
    direction and a row along the same line facing the other way would make the set flat. On a
    line (one dimension) every row left by ``make`` is a facet of a full-dimensional set.
    Integer arithmetic on the cached integer rows: t's are compared by cross-multiplication."""
    if not g._items:
        return False
    if len(coordinates) == 1:
        return True
    (a, b, c), _ = _int_row(g, coordinates)
    norm = a * a + b * b  # p0 = -c (a, b) / norm, the point of the line nearest the origin
    bounds = []  # on t, times norm
    for h in rows:
        if h is g or not h._items:
            continue
        (d, e, f), _ = _int_row(h, coordinates)
        slope = e * a - d * b  # h along v = (-b, a)
        at_p0 = f * norm - c * (d * a + e * b)  # h(p0), times norm
        if slope == 0:
            if at_p0 <= 0:
                return False  # the whole line is outside h, or on h's boundary: no interior
            continue
        bounds.append((at_p0, slope))  # slope * t + at_p0 >= 0
    return _leaves_interval(bounds)


def _leaves_interval(bounds) -> bool:
    """Whether the rows ``a * t + b >= 0`` (each ``(b, a)`` in integers, a != 0) leave an
    interval of positive length: the largest lower bound -b/a (a > 0) lies below the smallest
    upper bound (a < 0). Bounds are compared by cross-multiplication, denominators made > 0."""
    lo = hi = None  # (numerator, denominator > 0)
    for b, a in bounds:
        if a > 0:
            if lo is None or -b * lo[1] > lo[0] * a:
                lo = (-b, a)
        elif hi is None or b * hi[1] < hi[0] * -a:
            hi = (b, -a)
    return lo is None or hi is None or lo[0] * hi[1] < hi[0] * lo[1]


def _has_interior_low_dim(rows, coordinates: tuple) -> bool:
    """Full dimension in one or two dimensions, without an LP, for ``rows`` as ``make`` leaves
    them (scaled, one per direction). On a line: the largest lower bound lies below the smallest
    upper bound. In the plane: some row keeps an edge of positive length (``_edge_has_length``)
    -- a full-dimensional set other than the plane has a facet, and next to the middle of such an
    edge every row is > 0."""
    if any(g.is_constant() for g in rows):
        return False  # make keeps a constant row only to say that one was negative
    if not rows:
        return True
    if len(coordinates) == 2:
        return any(_edge_has_length(g, rows, coordinates) for g in rows)
    return _leaves_interval(tuple(reversed(_int_row(g, coordinates)[0])) for g in rows)


def merge_convex(entries: list) -> list:
    """``[(Polyhedron, payload), ...]`` with every pair whose union is convex merged, until no
    pair is left (a merged entry keeps the first payload). The entries must have disjoint
    interiors, like the cells of an envelope."""
    group = list(entries)
    apart = set()  # pairs whose union is not convex: they stay so until one of them changes
    merged = True
    while merged and len(group) > 1:
        merged = False
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                pair = (group[i][0], group[j][0])
                facet = None if pair in apart else _shared_facet(*pair)
                if facet is None:
                    continue
                union = _convex_union(*pair, facet)
                if union is None:
                    apart.add(pair)
                    continue
                group[i] = (union, group[i][1])
                del group[j]
                merged = True
                break
            if merged:
                break
    return group


def _shared_facet(A: Polyhedron, B: Polyhedron) -> Affine | None:
    """A facet row of A whose opposite is a facet row of B, or None: necessary for a convex
    union of two interior-disjoint cells. (If A | B = C is convex, a hyperplane H separating them
    gives A = C & H+ and B = C & H-, so H carries a facet of each; irredundant rows are scaled
    alike, so the two rows are exact opposites.) A cheap filter before the LPs of the test."""
    rows = set(B.inequalities)
    return next((g for g in A.inequalities if -g in rows), None)


def _convex_union(A: Polyhedron, B: Polyhedron, facet: Affine) -> Polyhedron | None:
    """A | B as a polyhedron if that union is convex, else None, for cells across ``facet``
    (``_shared_facet``): the envelope test of Bemporad, Fukuda and Torrisi, or where both cells
    are irredundant its shortcut (``_union_across_facet``)."""
    if A._minimal and B._minimal:  # irredundant: every row a facet
        return _union_across_facet(A, B, facet)
    return _envelope_union(A, B)


def _envelope_union(A: Polyhedron, B: Polyhedron) -> Polyhedron | None:
    """``_convex_union`` of any two cells: the rows of each that hold on the other (the
    envelope), and the parts of it beyond the others' rows checked to lie in the other cell."""
    env_a = [g for g in A.inequalities if B.implies(g)]
    env_b = [g for g in B.inequalities if A.implies(g)]
    env = Polyhedron.make(A.coordinates, env_a + env_b)
    for own, kept, other in ((A, env_a, B), (B, env_b, A)):
        for g in own.inequalities:
            if g in kept:
                continue
            outside = env & (-g,)  # the part of the hull beyond this facet must lie in the other
            if outside.is_full_dimensional() and not all(
                outside.implies(h) for h in other.inequalities
            ):
                return None
    return env.irredundant()


def _union_across_facet(A: Polyhedron, B: Polyhedron, g: Affine) -> Polyhedron | None:
    """``_convex_union`` of irredundant, interior-disjoint A and B, where g is a facet row of A
    whose opposite -g is one of B's (``_shared_facet``). Their union C is convex exactly when
    every other row of each holds on the other: if C is convex, g = 0 separates A = C & {g >= 0}
    from B, and each other facet of A is a facet of C, so holds on B (and alike for B);
    conversely those rows describe a convex set whose parts on either side of g = 0 are A and
    B. So the first row that fails answers, where the general test asks every row; the union is
    the envelope test's (the rows of each that hold on the other)."""
    if not all(B.implies(h) for h in A.inequalities if h != g):
        return None
    if not all(A.implies(h) for h in B.inequalities if h != -g):
        return None
    rows = [h for h in A.inequalities if h != g] + [h for h in B.inequalities if h != -g]
    inside = A.known_point() or B.known_point()  # inside A or B, so inside their union
    return Polyhedron.make(A.coordinates, rows).offer_point(inside).irredundant()


def domain_polyhedron(coordinates, domain) -> Polyhedron:
    """The caller's domain (iterable of Affine >= 0) as an irredundant polyhedron."""
    return Polyhedron.make(tuple(coordinates), tuple(domain)).irredundant()
