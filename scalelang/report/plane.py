"""The phase diagram's geometry, exactly: which plane is drawn, and each phase clipped to it.

Owns the choice of axes and the exact clipping of the solution's phase cells (engine Polyhedra,
``Affine >= 0`` rows over the coordinates) to a bounding box of the drawing plane, and of the
part of each where P* lies below the data floor (``Solution.data_limited``). Everything is
``Fraction`` arithmetic; floats appear only in ``diagram.py`` when the picture is drawn.

Axes (docs/reports.md, "Phase diagrams"):
- coordinates that are logs of independent scales are homogeneous (only ratios of logs matter),
  so the input scale's log is fixed to 1 and the others become axes in exponent coordinates,
  nu = log N / log d;
- coordinates that are free exponents (N1 = d^a1) are the axes themselves;
- zero axes: no figure; one: the P* exponent against it; two: a map; more: no figure (fix some
  with --set).
The box is [0, B] on each axis (the domain makes every scale at least 1), with B a little past
the last breakpoint, so that every phase that exists shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil

from scalelang.exponents import Affine

ZERO = Fraction(0)
FAR = Fraction(40)


@dataclass
class Axes:
    names: tuple  # plane coordinates (solution coordinates, or free exponents)
    base: str | None  # the coordinate fixed to 1 (homogeneous case), else None
    labels: dict  # plane coordinate -> symbol used in formulas (nu, nu_1, a1)
    scales: dict  # plane coordinate -> the scale whose exponent it is (N1), or None

    def restrict(self, form: Affine) -> Affine:
        """A form over the coordinates as a form over the plane (base log = 1)."""
        const = form.const + (form.coeff(self.base) if self.base else 0)
        return Affine({n: form.coeff(n) for n in self.names}, const)

    def lift(self, form: Affine) -> Affine:
        """A form over the plane back over the coordinates (homogeneous: const -> base)."""
        if self.base is None:
            return form
        coeffs = dict(form.coeffs)
        if form.const:
            coeffs[self.base] = form.const
        return Affine(coeffs)


def axes_of(solution) -> Axes:
    space = solution.space
    coords = tuple(space.coordinates)
    if space.unit is None:
        base = space.input_scale if space.input_scale in coords else (coords[0] if coords else None)
        names = tuple(c for c in coords if c != base)
        if len(names) == 1:
            labels = {names[0]: "nu"}
        else:
            digits = [
                n.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_") for n in names
            ]
            if all(digits) and len(set(digits)) == len(digits):
                labels = {n: f"nu{d}" for n, d in zip(names, digits)}
            else:
                labels = {n: f"nu_{n}" for n in names}
        return Axes(names, base, labels, {n: n for n in names})
    return Axes(coords, None, {n: n for n in coords}, {n: None for n in coords})


@dataclass
class Region:
    """One phase of the solution clipped to the plane: a polygon (2-D) or an interval (1-D)."""

    phase: object  # the solution's Phase
    index: int  # position of the phase in solution.phases
    vertices: list  # 2-D: [(x, y)] counter-clockwise; 1-D: [(lo,), (hi,)]
    value: Affine  # log P* over the plane (kappa's monomial part included)


@dataclass
class Segment:
    """A piece of a boundary between two regions: ``line`` (over the plane) = 0 along it."""

    a: tuple
    b: tuple
    line: Affine
    between: tuple  # (region index, region index)
    kind: str  # "phase" (different winning assignments) or "piece" (same winner, new formula)


@dataclass
class Plane:
    axes: Axes
    box: tuple  # (lo, hi) per axis
    regions: list = field(default_factory=list)
    segments: list = field(default_factory=list)
    # where P* lies below the data floor (``theory.data_limit``): polygons (2-D) or intervals
    # (1-D), each inside one region, and the floor's log over the plane
    limited: list = field(default_factory=list)
    floor: Affine | None = None

    @property
    def dimension(self) -> int:
        return len(self.axes.names)


def plane_of(solution) -> Plane | None:
    """The exact phase diagram of a solution, or None when it has no 1-D or 2-D picture."""
    axes = axes_of(solution)
    k = len(axes.names)
    if k not in (1, 2):
        return None
    kappa = getattr(solution, "_kappa_form", Affine())
    bounds = {n: _bounds(solution, axes, n) for n in axes.names}
    far = {
        n: (lo if lo is not None else -FAR, hi if hi is not None else FAR)
        for n, (lo, hi) in bounds.items()
    }
    top = _box_top(solution, axes, far)
    box = tuple(
        (lo if lo is not None else -top, hi if hi is not None else top)
        for lo, hi in (bounds[n] for n in axes.names)
    )
    plane = Plane(axes, box)
    for index, phase in enumerate(solution.phases):
        value = axes.restrict(phase.value + kappa)
        for cell in phase.cells:
            rows = [axes.restrict(g) for g in cell.inequalities]
            shape = _clip(rows, box, k, axes.names)
            if shape is not None:
                plane.regions.append(Region(phase, index, shape, value))
    plane.segments = _segments(plane) if k == 2 else _points(plane)
    _data_limited(plane, solution, k)
    return plane


def _data_limited(plane: Plane, solution, k: int) -> None:
    """Each region's part where P* < the data floor (``Solution.data_limited``), exactly: the
    region cut by the half-plane floor - log P* >= 0 (kept where it has area or length)."""
    limited = getattr(solution, "data_limited", None)
    if limited is None:
        return
    plane.floor = plane.axes.restrict(limited.floor.value)
    below = [id(short.phase) for short in limited.below]
    for region in plane.regions:
        if id(region.phase) not in below:
            continue
        gap = plane.floor - region.value  # > 0 where P* < floor
        if k == 2:
            shape = _half_plane(region.vertices, gap, plane.axes.names)
            if len(shape) >= 3 and _area(shape) > 0:
                plane.limited.append(shape)
        else:
            shape = _clip([gap], (tuple(v[0] for v in region.vertices),), 1, plane.axes.names)
            if shape is not None:
                plane.limited.append(shape)


def _bounds(solution, axes: Axes, name: str) -> tuple:
    """The domain's own limits on an axis: (0, None) when the axis is the exponent of a scale
    (at least 1); an upper limit where the domain has one (L <= d gives nu <= 1)."""
    lo = hi = None
    for g in solution.space.domain:
        r = axes.restrict(g)
        if set(r.coeffs) != {name}:
            continue
        c = r.coeff(name)
        if c > 0:
            lo = max(lo, -r.const / c) if lo is not None else -r.const / c
        else:
            hi = min(hi, -r.const / c) if hi is not None else -r.const / c
    return lo, hi


def _box_top(solution, axes: Axes, far: dict) -> Fraction:
    """A little past the largest breakpoint of the diagram inside [lo, FAR]."""
    k = len(axes.names)
    box = tuple(far[n] for n in axes.names)
    largest = Fraction(1)
    for phase in solution.phases:
        for cell in phase.cells:
            shape = _clip([axes.restrict(g) for g in cell.inequalities], box, k, axes.names)
            for vertex in shape or []:
                for x in vertex:
                    if abs(x) < FAR:
                        largest = max(largest, abs(x))
    return Fraction(int(ceil(largest + max(1, largest / 5))))


# ---- clipping -----------------------------------------------------------------------------------
def _clip(rows, box, k, names):
    if k == 1:
        lo, hi = box[0]
        name = None
        for g in rows:
            names = g.names
            if not names:
                if g.const < 0:
                    return None
                continue
            name = names[0]
            c = g.coeff(name)
            bound = -g.const / c
            if c > 0:
                lo = max(lo, bound)
            else:
                hi = min(hi, bound)
        return [(lo,), (hi,)] if lo < hi else None
    (x0, x1), (y0, y1) = box
    polygon = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    for g in rows:
        polygon = _half_plane(polygon, g, names)
        if len(polygon) < 3:
            return None
    if _area(polygon) <= 0:
        return None
    return polygon


def _eval2(g: Affine, p, names) -> Fraction:
    return g.coeff(names[0]) * p[0] + g.coeff(names[1]) * p[1] + g.const


def _half_plane(polygon, g: Affine, names):
    """Sutherland-Hodgman: the part of the polygon where g >= 0 (exact)."""
    out = []
    n = len(polygon)
    for i in range(n):
        p, q = polygon[i], polygon[(i + 1) % n]
        gp, gq = _eval2(g, p, names), _eval2(g, q, names)
        if gp >= 0:
            out.append(p)
        if (gp > 0 > gq) or (gp < 0 < gq):
            t = gp / (gp - gq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    cleaned = []
    for v in out:
        if not cleaned or cleaned[-1] != v:
            cleaned.append(v)
    if len(cleaned) > 1 and cleaned[0] == cleaned[-1]:
        cleaned.pop()
    return cleaned


def _area(polygon) -> Fraction:
    total = ZERO
    for i in range(len(polygon)):
        (x0, y0), (x1, y1) = polygon[i], polygon[(i + 1) % len(polygon)]
        total += x0 * y1 - x1 * y0
    return total / 2


def centroid(polygon):
    a = _area(polygon)
    cx = cy = ZERO
    for i in range(len(polygon)):
        (x0, y0), (x1, y1) = polygon[i], polygon[(i + 1) % len(polygon)]
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (cx / (6 * a), cy / (6 * a))


def area(polygon) -> Fraction:
    return _area(polygon)


# ---- boundaries ---------------------------------------------------------------------------------
def _winner_key(phase) -> tuple:
    return tuple(sorted(phase.winners[0].items()))


def _line_through(p, q, names) -> Affine:
    """The form a x + b y + c, zero on the line pq, scaled so that the first non-zero of (a, b)
    is 1 (so that segments on one line share one form)."""
    a = q[1] - p[1]
    b = p[0] - q[0]
    c = -(a * p[0] + b * p[1])
    s = a if a != 0 else b
    return Affine({names[0]: a / s, names[1]: b / s}, c / s)


def _segments(plane: Plane) -> list:
    names = plane.axes.names
    (x0, x1), (y0, y1) = plane.box
    edges = []
    for r_index, region in enumerate(plane.regions):
        poly = region.vertices
        for i in range(len(poly)):
            p, q = poly[i], poly[(i + 1) % len(poly)]
            if p[0] == q[0] and p[0] in (x0, x1) or p[1] == q[1] and p[1] in (y0, y1):
                continue  # on the box: not a boundary
            edges.append((r_index, p, q, _line_through(p, q, names)))
    found = []
    for i, (ri, p, q, line) in enumerate(edges):
        for rj, r, s, other in edges[i + 1 :]:
            if rj == ri or other != line:
                continue
            overlap = _overlap(p, q, r, s)
            if overlap is None:
                continue
            a_key = _winner_key(plane.regions[ri].phase)
            b_key = _winner_key(plane.regions[rj].phase)
            kind = "phase" if a_key != b_key else "piece"
            found.append(Segment(overlap[0], overlap[1], line, (ri, rj), kind))
    return found


def _overlap(p, q, r, s):
    """The common part of two collinear segments, or None if it is a point or empty."""
    axis = 0 if p[0] != q[0] else 1

    def span(a, b):
        return (a, b) if a[axis] <= b[axis] else (b, a)

    (a0, a1), (b0, b1) = span(p, q), span(r, s)
    lo = a0 if a0[axis] >= b0[axis] else b0
    hi = a1 if a1[axis] <= b1[axis] else b1
    return (lo, hi) if lo[axis] < hi[axis] else None


def _points(plane: Plane) -> list:
    """1-D: the breakpoints between consecutive intervals."""
    name = plane.axes.names[0]
    ordered = sorted(range(len(plane.regions)), key=lambda i: plane.regions[i].vertices[0][0])
    found = []
    for i, j in zip(ordered, ordered[1:]):
        a, b = plane.regions[i], plane.regions[j]
        x = a.vertices[1][0]
        if x != b.vertices[0][0]:
            continue
        kind = "phase" if _winner_key(a.phase) != _winner_key(b.phase) else "piece"
        found.append(Segment((x,), (x,), Affine({name: 1}, -x), (i, j), kind))
    return found
