"""The phase diagram as a picture: matplotlib drawing of ``plane.Plane``.

Owns the look of the figure and its legends. Two axes: a map, each winning assignment one colour
(one SVG group ``phase-region-<slug>`` per assignment, whatever the number of its polygons), each
phase labelled with its number, mechanism and P* exponent (``phase-label-<slug>-<k>``), phase
boundaries as solid lines numbered B1, B2, ... (listed with their equations in the report), and
changes of formula inside one assignment's region as dotted lines, and the data-limited part
(P* below the data floor, ``plane.Plane.limited``) hatched and named in the legend. One axis:
the exponent of P* against it, coloured by the winner, with the breakpoints marked (and the floor
as a dashed line). No axis or more than two: none.

Text in the SVG is drawn as paths (``svg.fonttype = path``), so the figure needs no font and the
HTML report stays one self-contained file. Output is deterministic (fixed hash salt, no dates).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from scalelang.algebra import notation as mf
from scalelang.exponents import Affine, to_rational
from scalelang.report.model import mechanism, short, slug, tied
from scalelang.report.plane import Plane, area, centroid, plane_of

PALETTE = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#c44e52",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
    "#1f9e89",
    "#b5651d",
)


@dataclass
class Figure:
    kind: str  # "map" (two axes) or "curve" (one axis)
    plane: Plane
    axes_text: list  # rich text per axis: what it is
    regions: list  # legend rows: {index, mechanism, tied, exponent (Node), colour}
    boundaries: list  # legend rows: {label, relation (Node), plane (Node), between}
    winners: list  # distinct winning assignments (patterns dicts), colour order
    svg: str = ""
    files: dict = field(default_factory=dict)  # suffix -> path written
    # the data floor (a Node, d) where part of the picture is data-limited (P* below it), else None
    floor: mf.Node | None = None


def figure_of(solution) -> tuple[Figure | None, str]:
    """The figure, or None with a sentence saying why there is none."""
    plane = plane_of(solution)
    if plane is None:
        axes = solution.space.coordinates
        free = solution.space.unit is not None
        k = len(axes) if free else max(len(axes) - 1, 0)
        if k == 0:
            return None, (
                "No phase diagram: after fixing the input scale, no ratio of scales or "
                "free exponent is left, so the answer is one monomial."
            )
        return None, (
            f"No phase diagram: the answer depends on {k} exponents and a picture shows "
            "at most two; fix some with --set (e.g. --set N1=d)."
        )
    if not plane.regions:
        return None, "No phase diagram: no phase is full-dimensional in the drawing plane."
    return _describe(solution, plane), ""


def _describe(solution, plane: Plane) -> Figure:
    axes = plane.axes
    winners: list = []
    for region in plane.regions:
        w = region.phase.winners[0]
        if w not in winners:
            winners.append(w)
    axes_text = []
    for name in axes.names:
        label = mf.Sym(axes.labels[name])
        if axes.scales[name]:
            base = axes.base
            scale = mf.Sym(axes.scales[name])
            axes_text.append(
                [
                    label,
                    " = log ",
                    scale,
                    " / log ",
                    mf.Sym(base),
                    ", i.e. ",
                    mf.Row((scale, mf.op("=", "="), mf.Pow(mf.Sym(base), label))),
                ]
            )
        else:
            axes_text.append([label, " (a free exponent of the file)"])
    regions = []
    seen = set()
    for region in plane.regions:
        if region.index in seen:
            continue
        seen.add(region.index)
        phase = region.phase
        regions.append(
            {
                "index": region.index + 1,
                "mechanism": mechanism(phase.winners[0]),
                "tied": tied(phase),
                "exponent": exponent_node(plane, region.value, solution),
                "colour": PALETTE[winners.index(phase.winners[0]) % len(PALETTE)],
            }
        )
    regions.sort(key=lambda r: r["index"])
    boundaries = []
    for label, line, between in _boundary_lines(plane):
        lifted = axes.lift(line)
        relation = solution.space.relation(lifted, "==")
        boundaries.append(
            {
                "label": label,
                "relation": mf.relation(relation, _order(solution)),
                "plane": _plane_relation(
                    axes, line, getattr(relation.lhs, "name", None), _axis_order(axes, solution)
                ),
                "between": between,
            }
        )
    kind = "map" if plane.dimension == 2 else "curve"
    floor = None
    if plane.limited:
        floor = mf.from_sympy(solution.data_limited.floor.expr, _order(solution))
    return Figure(kind, plane, axes_text, regions, boundaries, winners, floor=floor)


def _order(solution) -> tuple:
    return solution.space.order


def _axis_order(axes, solution) -> tuple:
    """The axes' labels (nu1, nu2) in the order of their scales (``ScaleSpace.order``)."""
    order = _order(solution)
    ranked = sorted(axes.names, key=lambda n: order.index(n) if n in order else len(order))
    return tuple(axes.labels[n] for n in ranked)


def _plane_relation(axes, line: Affine, pivot: str | None, order: tuple) -> mf.Node:
    """``line = 0`` in the diagram's coordinates, solved for the axis of the scale the equation
    in the scales is solved for (N1 = N2^(4/5)/d: nu1 = (4 nu2 - 5)/5); otherwise as an affine
    relation (nu1 + nu2 = 2)."""
    if pivot in axes.names and line.coeff(pivot) != 0:
        solved = line * (-1 / line.coeff(pivot))
        rest = {axes.labels[n]: c for n, c in solved.coeffs.items() if n != pivot}
        return mf.Row(
            (mf.Sym(axes.labels[pivot]), mf.op("=", "="), mf.affine(rest, solved.const, order))
        )
    symbols = {n: sympy.Symbol(axes.labels[n], real=True) for n in axes.names}
    plane_expr = sum(
        (to_rational(c) * symbols[n] for n, c in line.coeffs.items()), to_rational(line.const)
    )
    return mf.relation(sympy.Eq(plane_expr, 0, evaluate=False), order)


def exponent_node(plane: Plane, value: Affine, solution) -> mf.Node:
    """P* ~ kappa d^(affine in the axes) for a region's value over the plane."""
    labels = plane.axes.labels
    coeffs = {labels[n]: c for n, c in value.coeffs.items()}
    base = plane.axes.base or solution.space.unit or "d"
    if not coeffs and value.const in (0, 1):
        body = mf.Sym(base) if value.const == 1 else mf.Num(Fraction(1))
    else:
        exponent = mf.affine(coeffs, value.const, _axis_order(plane.axes, solution))
        body = mf.Pow(mf.Sym(base), exponent)
    if getattr(solution, "_kappa_symbolic", True):
        body = mf.Row((mf.Sym("kappa"), body), "\\,")
    return mf.Row(
        (mf.Raw("P^*", "<msup><mi>P</mi><mo>*</mo></msup>"), mf.op("\\propto", "\u221d"), body)
    )


def _boundary_lines(plane: Plane) -> list:
    """(label, line, between text) for every line carrying a phase boundary, numbered in order
    of first appearance."""
    lines: dict = {}
    for seg in plane.segments:
        if seg.kind != "phase":
            continue
        a = mechanism(plane.regions[seg.between[0]].phase.winners[0])
        b = mechanism(plane.regions[seg.between[1]].phase.winners[0])
        entry = lines.setdefault(seg.line, [])
        pair = f"{a} | {b}"
        if pair not in entry:
            entry.append(pair)
    return [(f"B{i + 1}", line, "; ".join(pairs)) for i, (line, pairs) in enumerate(lines.items())]


# ---- drawing ------------------------------------------------------------------------------
def draw(solution, figure: Figure, formats=("svg",), stem=None) -> None:
    """Draw the figure; ``svg`` goes to ``figure.svg`` (a string without XML prologue), other
    formats to ``stem.<suffix>`` files recorded in ``figure.files``. A PDF is the LaTeX report's
    figure, so its text is set in Computer Modern, the font of the document around it."""
    import matplotlib.pyplot as plt

    for fmt in formats:
        fig, _ = _figure(solution, figure, latex=fmt == "pdf")
        try:
            if fmt == "svg":
                buffer = io.StringIO()
                fig.savefig(buffer, format="svg", metadata={"Date": None})
                figure.svg = _strip_prologue(buffer.getvalue())
            else:
                path = f"{stem}.{fmt}"
                meta = {"CreationDate": None, "ModDate": None} if fmt == "pdf" else {}
                fig.savefig(path, format=fmt, dpi=150, metadata=meta)
                figure.files[fmt] = path
        finally:
            plt.close(fig)


def label_boxes(solution, figure: Figure, latex: bool = False) -> dict:
    """The drawn labels' boxes in display coordinates, by their SVG id: what the tests check
    does not overlap."""
    import matplotlib.pyplot as plt

    fig, labels = _figure(solution, figure, latex)
    try:
        renderer = fig.canvas.get_renderer()
        return {label.artist.get_gid(): _box(label.artist, renderer) for label in labels}
    finally:
        plt.close(fig)


FONTS = {  # matplotlib settings per document: the LaTeX report's figure speaks Computer Modern
    False: {},
    True: {
        "mathtext.fontset": "cm",
        "font.family": ["cmr10", "DejaVu Serif"],  # DejaVu for what cmr10 lacks (an en dash)
        "axes.formatter.use_mathtext": True,  # cmr10 has no minus sign of its own
    },
}


def _figure(solution, figure: Figure, latex: bool):
    """The matplotlib figure, laid out, with its labels moved apart; and the labels."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    settings = {"svg.hashsalt": "scalelang", "svg.fonttype": "path", "path.simplify": False}
    with matplotlib.rc_context({**settings, **FONTS[latex]}):
        fig, ax = plt.subplots(figsize=(7.6, 5.2) if figure.kind == "map" else (7.6, 4.4))
        if figure.kind == "map":
            labels = _draw_map(solution, figure, ax)
        else:
            labels = _draw_curve(solution, figure, ax)
        fig.tight_layout()
        _separate(fig, ax, labels)
    return fig, labels


@dataclass
class _Label:
    """A text artist and the places (data coordinates) it may stand, best first."""

    artist: object
    places: list


def _box(artist, renderer):
    """The label's box in display coordinates, with its white frame and a little air."""
    box = artist.get_window_extent(renderer)
    pad = 0.35 * artist.get_fontsize()
    return (box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)


def _overlap(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _separate(fig, ax, labels: list) -> None:
    """Put each label, in order, at its first place where it overlaps no label placed before it
    and stays inside the axes; where no place is free, at the one that overlaps least."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    inside = (frame.x0, frame.y0, frame.x1, frame.y1)
    placed: list = []
    for label in labels:
        best, least = None, None
        for place in label.places:
            label.artist.set_position(place)
            box = _box(label.artist, renderer)
            clash = sum(_overlap(box, other) for other in placed)
            area = (box[2] - box[0]) * (box[3] - box[1])
            clash += area - _overlap(box, inside)  # the part outside the axes
            if least is None or clash < least:
                best, least = place, clash
            if clash == 0:
                break
        label.artist.set_position(best)
        placed.append(_box(label.artist, renderer))


LIMITED = {"facecolor": "none", "edgecolor": "#333333", "hatch": "////", "linewidth": 0}


def _legend(ax, figure: Figure) -> None:
    """One swatch per winning assignment, beside the axes; and the hatching of the data-limited
    part, named, where there is one."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=_colour(figure, p), alpha=0.55, label=mechanism(p)) for p in figure.winners
    ]
    if figure.floor is not None:
        floor = figure.floor.latex()
        handles.append(
            Patch(
                **{**LIMITED, "linewidth": 0.5},
                label=f"data-limited: $P^* < {floor}$,\nanswer $\\max(P^*, {floor})$",
            )
        )
        if figure.kind == "curve":
            handles.append(
                Line2D([], [], color="#333333", lw=0.8, ls="--", label=f"$P^* = {floor}$")
            )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
        title="winning assignment",
        title_fontsize=8,
    )


def _inner_places(vertices, centre) -> list:
    """Places inside a convex region: its centroid, then points towards each vertex."""
    cx, cy = (float(c) for c in centre)
    places = [(cx, cy)]
    for t in (0.35, 0.6):
        for x, y in vertices:
            places.append((cx + t * (float(x) - cx), cy + t * (float(y) - cy)))
    return places


def _along(segments) -> list:
    """Places along a boundary's segments, the longest first, from the middle outwards."""
    ordered = sorted(
        segments, key=lambda s: -float((s.b[0] - s.a[0]) ** 2 + (s.b[1] - s.a[1]) ** 2)
    )
    places = []
    for seg in ordered:
        for t in (0.5, 0.3, 0.7, 0.15, 0.85):
            places.append(
                (
                    float(seg.a[0] + t * (seg.b[0] - seg.a[0])),
                    float(seg.a[1] + t * (seg.b[1] - seg.a[1])),
                )
            )
    return places


def _hatch(ax, polygons: list) -> None:
    """The data-limited part (``Plane.limited``), hatched over the phases' colours: one SVG group
    ``data-limited``."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    if not polygons:
        return
    verts, codes = [], []
    for poly in polygons:
        verts += poly + [poly[0]]
        codes += [Path.MOVETO] + [Path.LINETO] * (len(poly) - 1) + [Path.CLOSEPOLY]
    ax.add_patch(PathPatch(Path(verts, codes), **LIMITED, gid="data-limited", zorder=1.5))


def _strip_prologue(svg: str) -> str:
    start = svg.find("<svg")
    svg = svg[start:]
    return svg.replace("<svg ", '<svg role="img" aria-label="phase diagram" ', 1)


def _colour(figure: Figure, patterns: dict) -> str:
    return PALETTE[figure.winners.index(patterns) % len(PALETTE)]


def _tex(node: mf.Node) -> str:
    return "$" + node.latex() + "$"


def _axis_label(figure: Figure, i: int) -> str:
    axes = figure.plane.axes
    name = axes.names[i]
    sym = mf.Sym(axes.labels[name]).latex()
    if axes.scales[name]:
        return (
            f"${sym} = \\log {mf.Sym(axes.scales[name]).latex()}"
            f" / \\log {mf.Sym(axes.base).latex()}$"
        )
    return f"${sym}$"


def _draw_map(solution, figure: Figure, ax) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    plane = figure.plane
    (x0, x1), (y0, y1) = [(float(a), float(b)) for a, b in plane.box]
    box_area = (plane.box[0][1] - plane.box[0][0]) * (plane.box[1][1] - plane.box[1][0])
    for patterns in figure.winners:
        verts, codes = [], []
        for region in plane.regions:
            if region.phase.winners[0] != patterns:
                continue
            poly = [(float(x), float(y)) for x, y in region.vertices]
            verts += poly + [poly[0]]
            codes += [Path.MOVETO] + [Path.LINETO] * (len(poly) - 1) + [Path.CLOSEPOLY]
        patch = PathPatch(
            Path(verts, codes),
            facecolor=_colour(figure, patterns),
            alpha=0.55,
            edgecolor="none",
            gid=f"phase-region-{slug(patterns)}",
        )
        ax.add_patch(patch)
    _hatch(ax, [[(float(x), float(y)) for x, y in poly] for poly in plane.limited])
    for seg in plane.segments:
        xs = [float(seg.a[0]), float(seg.b[0])]
        ys = [float(seg.a[1]), float(seg.b[1])]
        if seg.kind == "phase":
            ax.plot(xs, ys, color="black", lw=1.3, solid_capstyle="round")
        else:
            ax.plot(xs, ys, color="#444444", lw=0.8, ls=(0, (1.5, 2)))
    names = {line: label for label, line, _ in _boundary_lines(plane)}
    big_labels, small_labels, line_labels = [], [], []
    seen = set()
    for region in plane.regions:
        if region.index in seen:
            continue
        seen.add(region.index)
        patterns = region.phase.winners[0]
        xs = [v[0] for v in region.vertices]
        ys = [v[1] for v in region.vertices]
        big = (
            max(xs) - min(xs) >= (x1 - x0) * 0.24
            and max(ys) - min(ys) >= (y1 - y0) * 0.14
            and area(region.vertices) >= box_area / 20
        )
        number = region.index + 1
        exponent = exponent_node(plane, region.value, solution)
        text = (f"[{number}] {short(patterns)}\n" + _tex(exponent)) if big else f"[{number}]"
        places = _inner_places(region.vertices, centroid(region.vertices))
        artist = ax.text(
            *places[0],
            text,
            fontsize=8 if big else 7,
            ha="center",
            va="center",
            zorder=6,
            gid=f"phase-label-{slug(patterns)}-{number}",
            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.7),
        )
        (big_labels if big else small_labels).append(_Label(artist, places))
    for line, name in names.items():
        places = _along([s for s in plane.segments if s.kind == "phase" and s.line == line])
        if not places:
            continue
        artist = ax.text(
            *places[0],
            name,
            fontsize=7,
            ha="center",
            va="center",
            zorder=5,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="black", lw=0.5),
            gid=f"boundary-label-{name}",
        )
        line_labels.append(_Label(artist, places))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(_axis_label(figure, 0))
    ax.set_ylabel(_axis_label(figure, 1))
    ax.set_title(f"{solution.problem.name}: phases of P*", fontsize=10)
    _legend(ax, figure)
    return big_labels + line_labels + small_labels


def _draw_curve(solution, figure: Figure, ax) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    plane = figure.plane
    name = plane.axes.names[0]
    x0, x1 = (float(v) for v in plane.box[0])
    points = []
    for region in plane.regions:
        lo, hi = region.vertices[0][0], region.vertices[1][0]
        v = region.value
        points.append((region, lo, hi, v.coeff(name) * lo + v.const, v.coeff(name) * hi + v.const))
    ys = [float(p) for r in points for p in r[3:]]
    ylo, yhi = min(0.0, min(ys)), max(ys)
    pad = max(0.5, 0.15 * (yhi - ylo))
    ylo, yhi = ylo - (0 if ylo == 0 else pad), yhi + 2.5 * pad
    for patterns in figure.winners:
        verts, codes = [], []
        for region, lo, hi, _, _ in points:
            if region.phase.winners[0] != patterns:
                continue
            rect = [(float(lo), ylo), (float(hi), ylo), (float(hi), yhi), (float(lo), yhi)]
            verts += rect + [rect[0]]
            codes += [Path.MOVETO] + [Path.LINETO] * 3 + [Path.CLOSEPOLY]
        ax.add_patch(
            PathPatch(
                Path(verts, codes),
                facecolor=_colour(figure, patterns),
                alpha=0.25,
                edgecolor="none",
                gid=f"phase-region-{slug(patterns)}",
            )
        )
    _hatch(
        ax,
        [
            [(float(lo), ylo), (float(hi), ylo), (float(hi), yhi), (float(lo), yhi)]
            for (lo,), (hi,) in plane.limited
        ],
    )
    if plane.floor is not None and plane.limited:
        f = plane.floor
        ax.plot(
            [x0, x1],
            [float(f.coeff(name) * x + f.const) for x in (x0, x1)],
            color="#333333",
            lw=0.8,
            ls="--",
        )
    for region, lo, hi, vlo, vhi in points:
        patterns = region.phase.winners[0]
        ax.plot(
            [float(lo), float(hi)],
            [float(vlo), float(vhi)],
            color=_colour(figure, patterns),
            lw=2.6,
            solid_capstyle="butt",
        )
    names = {line: label for label, line, _ in _boundary_lines(plane)}
    line_labels, phase_labels = [], []
    for seg in plane.segments:
        x = float(seg.a[0])
        if seg.kind == "phase":
            ax.axvline(x, color="black", lw=1.0)
            places = [(x, yhi - k * pad) for k in (0.3, 0.7, 1.1, 1.5)]
            artist = ax.text(
                *places[0],
                names[seg.line],
                fontsize=7,
                ha="center",
                va="center",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="black", lw=0.5),
                gid=f"boundary-label-{names[seg.line]}",
            )
            line_labels.append(_Label(artist, places))
        else:
            ax.axvline(x, color="#444444", lw=0.8, ls=(0, (1.5, 2)))
    width = x1 - x0
    for region, lo, hi, vlo, vhi in points:
        patterns = region.phase.winners[0]
        mid = float(lo + hi) / 2
        number = region.index + 1
        big = (hi - lo) >= Fraction(width).limit_denominator() / 6 if width else True
        exponent = exponent_node(plane, region.value, solution)
        text = f"[{number}] {short(patterns)}\n" + _tex(exponent) if big else f"[{number}]"
        y = float(vlo + vhi) / 2
        places = [(mid, y + k * pad) for k in (0.6, 1.2, -1.4, 1.8)]
        artist = ax.text(
            *places[0],
            text,
            fontsize=8 if big else 7,
            ha="center",
            va="bottom",
            zorder=6,
            gid=f"phase-label-{slug(patterns)}-{number}",
            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.7),
        )
        phase_labels.append(_Label(artist, places))
    ax.set_xlim(x0, x1)
    ax.set_ylim(ylo, yhi)
    ax.set_xlabel(_axis_label(figure, 0))
    base = mf.Sym(plane.axes.base or solution.space.unit or "d").latex()
    kappa = "/\\kappa" if getattr(solution, "_kappa_symbolic", True) else ""
    ax.set_ylabel(f"$\\log (P^*{kappa}) / \\log {base}$")
    ax.set_title(f"{solution.problem.name}: exponent of P*", fontsize=10)
    _legend(ax, figure)
    return line_labels + phase_labels
