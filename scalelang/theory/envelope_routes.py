"""Which routes of an eigenvalue can be the largest: the exact upper envelope of a route set.

A feature's eigenvalue is the largest of its routes (``kernels``). The pairwise test
(``kernels.prune_pairwise``: one route below another by a product of known-small factors)
leaves many routes that are each below the *maximum of several others*, never the largest
anywhere. They
cost nothing in the answer but compound: every later layer multiplies them together, and the
candidate energies multiply with them. A route is kept here only if some point of the region
makes it strictly larger than every other kept route; the test is an exact linear program in
the logs, so a route goes only with a proof (docs/method.md, section 2, "Routes").

The region is where the tracker's dominance already lives (``kernels.Algebra``): the logs of
names known to be at least 1 are non-negative, the known-small monomials (the patterns' bounds
met so far, and the bulk's 1/d) have non-positive logs. It is a cone, so "strictly larger
somewhere" is an LP with a bounded margin ``t <= 1``. Points where a route was found largest
are remembered per region and tried first: a route that is the strict maximum at a known point
is kept without an LP (a point is a proof of keeping; only dropping needs the LP).
"""

from __future__ import annotations

from functools import lru_cache
from math import lcm

from scalelang.algebra.monomial import Mono
from scalelang.exponents.simplex import maximize_integer

_WITNESSES_PER_REGION = 48


def upper_envelope(at_least_one: frozenset, small: frozenset, routes) -> frozenset[Mono]:
    """The routes that are, somewhere in the region, strictly above every other one kept.

    Routes are taken in sorted order and each is dropped when the others still kept are never
    all below it: the maximum over the kept set then equals the maximum over all routes at
    every point of the region (of two routes equal everywhere, the first goes)."""
    ordered = sorted(set(routes))
    if len(ordered) < 2:
        return frozenset(ordered)
    names = {name for m in ordered for name, _ in m.powers}
    # Only what the routes' names meet shapes the region the LPs see: the same routes under
    # bounds on other names share one answer and one set of points.
    return _envelope(
        frozenset(at_least_one & names),
        frozenset(m for m in small if m.names() <= names),
        tuple(ordered),
    )


@lru_cache(maxsize=65536)
def _envelope(at_least_one: frozenset, small: frozenset, ordered: tuple) -> frozenset[Mono]:
    region = _Region.of(at_least_one, small)
    names = sorted({name for m in ordered for name, _ in m.powers})
    vectors, scale = _integer_vectors(ordered, names)
    kept = _kept_at_witnesses(region, names, vectors)
    alive = list(range(len(ordered)))
    for i in range(len(ordered)):
        if i in kept:
            continue
        others = [j for j in alive if j != i]
        point = _strict_maximum_point(region, names, vectors, i, others)
        if point is None:
            alive.remove(i)
        else:
            region.remember({name: value for name, value in zip(names, point) if value})
    return frozenset(ordered[i] for i in alive)


def _integer_vectors(monos: tuple, names: list) -> tuple[list, int]:
    """Each monomial's exponents over ``names``, times one common denominator."""
    exponents = [[m.exponent(name) for name in names] for m in monos]
    scale = lcm(1, *(e.denominator for row in exponents for e in row))
    return [[int(e * scale) for e in row] for row in exponents], scale


def _kept_at_witnesses(region: "_Region", names: list, vectors: list) -> set[int]:
    """Routes that are the strict maximum at a remembered point of the region."""
    kept = set()
    for point in region.witnesses:
        values = [sum(v * point.get(name, 0) for v, name in zip(row, names)) for row in vectors]
        top = max(values)
        winners = [i for i, value in enumerate(values) if value == top]
        if len(winners) == 1:
            kept.add(winners[0])
    return kept


def _strict_maximum_point(region, names: list, vectors: list, i: int, others: list):
    """A point of the region where route ``i`` exceeds every route in ``others`` (exact LP:
    maximize t with log r_i - log r_j >= t for each j, t <= 1), or None where none exists."""
    width = len(names) + 1  # the logs of the names, then the margin t
    rows = list(region.rows(names))
    rows.append((tuple([0] * len(names) + [-1, 1]), 1))  # 1 - t >= 0
    top = vectors[i]
    for j in others:
        gap = [a - b for a, b in zip(top, vectors[j])]
        rows.append((tuple(gap + [-1, 0]), 1))  # gap . x - t >= 0
    # The logs of names known >= 1 are non-negative variables (``_Region.rows`` leaves their
    # rows out), and so is t: a positive margin is all that is asked, and t = 0 at the origin
    # makes every row hold at the start (no phase 1).
    result = maximize_integer([0] * (width - 1) + [1], rows, region.nonnegative(names))
    if result.status != "optimal" or result.value <= 0:
        return None
    return result.x[:-1]


class _Region:
    """The cone of one ``Algebra`` (its known-large names and known-small monomials), with the
    points found inside it so far."""

    _made: dict = {}

    def __init__(self, at_least_one: frozenset, small: frozenset):
        self.at_least_one = at_least_one
        self.small = tuple(sorted(small))
        self.names = sorted(at_least_one | {name for m in small for name, _ in m.powers})
        self.witnesses: list[dict] = []
        self._rows: dict = {}

    @classmethod
    def of(cls, at_least_one: frozenset, small: frozenset) -> "_Region":
        key = (at_least_one, small)
        if key not in cls._made:
            if len(cls._made) > 4096:
                cls._made.clear()
            cls._made[key] = cls(at_least_one, small)
        return cls._made[key]

    def rows(self, names: list) -> tuple:
        """The cone's inequalities as integer rows over ``names`` and the margin (``a.x >= 0``),
        but for the logs of names known >= 1: those are the LP's non-negative variables
        (``nonnegative``)."""
        key = tuple(names)
        if key not in self._rows:
            rows = []
            for mono in self.small:
                exponents = [-mono.exponent(name) for name in names]
                scale = lcm(1, *(e.denominator for e in exponents))
                rows.append((tuple(int(e * scale) for e in exponents) + (0, 0), 1))
            self._rows[key] = tuple(rows)
        return self._rows[key]

    def nonnegative(self, names: list) -> frozenset:
        """The indices among ``names`` of the names known >= 1, and of the margin after them."""
        known = (k for k, name in enumerate(names) if name in self.at_least_one)
        return frozenset((*known, len(names)))

    def remember(self, point: dict) -> None:
        if len(self.witnesses) < _WITNESSES_PER_REGION:
            self.witnesses.append(point)
