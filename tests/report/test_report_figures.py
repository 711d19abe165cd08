"""Each problem gets the right kind of figure: none without a free ratio or exponent, a curve with
one, a map with two; and the geometry is exact (every phase of the box is drawn once)."""

from fractions import Fraction

import pytest

from scalelang.report import render
from scalelang.report.diagram import figure_of
from scalelang.report.plane import area, plane_of

from .report_helpers import solved

CASES = [
    ("cnn_patches", (), None),  # no scale ratio: none
    ("fcn3_he3", (("N1", "d"), ("N2", "d")), None),  # everything tied: none
    ("fcn2_he3", (), "curve"),  # one ratio N/d
    ("attention_head", (), "curve"),  # one ratio L/d
    ("fcn3_he3_proportional", (("a2", "1"),), "curve"),  # one free exponent
    ("fcn3_he3", (), "map"),  # two ratios
    ("fcn3_he3_proportional", (), "map"),  # two free exponents
]


@pytest.mark.parametrize("name, overrides, kind", CASES)
def test_kind_of_figure(name, overrides, kind):
    figure, why = figure_of(solved(name, overrides))
    if kind is None:
        assert figure is None and why.startswith("No phase diagram")
    else:
        assert figure is not None and figure.kind == kind


def test_no_figure_in_report_without_ratio():
    text = render(solved("cnn_patches"), "html")
    assert "<svg" not in text and "No phase diagram" in text


def test_map_tiles_the_box_exactly():
    plane = plane_of(solved("fcn3_he3"))
    (x0, x1), (y0, y1) = plane.box
    assert (x0, y0) == (0, 0) and x1 >= 6 and y1 >= 6
    total = sum(area(r.vertices) for r in plane.regions)
    assert total == (x1 - x0) * (y1 - y0)  # exact Fractions: no gap, no overlap


def test_map_boundaries_match_the_solution():
    solution = solved("fcn3_he3")
    figure, _ = figure_of(solution)
    relations = {b["relation"].latex() for b in figure.boundaries}
    assert "N_{1} = d" in relations  # spec-gp against gp-spec etc.
    assert any("d^{5}" in r for r in relations)


def test_curve_breakpoints_for_fcn2():
    plane = plane_of(solved("fcn2_he3"))
    phase_points = sorted(s.a[0] for s in plane.segments if s.kind == "phase")
    assert phase_points == [Fraction(1, 3), Fraction(5)]
    piece_points = [s.a[0] for s in plane.segments if s.kind == "piece"]
    assert piece_points == [Fraction(1)]


@pytest.mark.parametrize("name, overrides, kind", [c for c in CASES if c[2]])
@pytest.mark.parametrize("latex", [False, True], ids=["svg", "latex-fonts"])
def test_no_label_stands_on_another(name, overrides, kind, latex):
    """Phase numbers, their formulas and the boundary names are moved apart until no two label
    boxes (with their white frames) intersect (fcn3_he3's B10 used to sit on phase [11])."""
    from itertools import combinations

    from scalelang.report.diagram import _overlap, label_boxes

    solution = solved(name, overrides)
    figure, _ = figure_of(solution)
    boxes = label_boxes(solution, figure, latex)
    assert boxes
    clashes = [(a, b) for (a, x), (b, y) in combinations(boxes.items(), 2) if _overlap(x, y) > 0]
    assert clashes == []


def test_the_latex_figure_speaks_computer_modern(tmp_path):
    """The LaTeX report's PDF figure embeds the Computer Modern fonts of the document (text and
    mathematics); the HTML report's SVG keeps matplotlib's sans serif."""
    import re

    from scalelang.report.diagram import draw

    solution = solved("fcn2_he3")
    figure, _ = figure_of(solution)
    draw(solution, figure, ("pdf",), str(tmp_path / "figure"))
    fonts = set(re.findall(rb"/BaseFont /\w+\+(\w+)", (tmp_path / "figure.pdf").read_bytes()))
    assert {b"Cmr10", b"Cmmi10"} <= fonts and not any(b"DejaVu" in f for f in fonts)


def _drawn(solution):
    """The figure's matplotlib artists: the hatched patch (or None) and the legend's labels."""
    import matplotlib.pyplot as plt

    from scalelang.report.diagram import _figure

    figure, _ = figure_of(solution)
    fig, _ = _figure(solution, figure, latex=False)
    try:
        ax = fig.axes[0]
        hatched = [p for p in ax.patches if p.get_gid() == "data-limited"]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        return figure, hatched, legend
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    "name, overrides, limited",
    [
        ("fcn3_he3", (), True),  # every GFL phase: P* below d wherever it wins
        ("fcn2_he3", (), True),  # the curve: GFL below nu = 1/3
        ("fcn3_he3_proportional", (), True),
        ("attention_head", (), False),  # P* never below d
        ("fcn2_he3", (("N", "d^6"),), None),  # one phase (gp), no figure at all
    ],
)
def test_the_data_limited_part_is_hatched_and_named(name, overrides, limited):
    solution = solved(name, overrides)
    assert (solution.data_limited is not None) == bool(limited)
    if limited is None:
        assert figure_of(solution)[0] is None
        return
    figure, hatched, legend = _drawn(solution)
    named = [t for t in legend if t.startswith("data-limited: $P^* < d$")]
    if limited:
        assert len(hatched) == 1 and hatched[0].get_hatch() and figure.floor.latex() == "d"
        assert named == ["data-limited: $P^* < d$,\nanswer $\\max(P^*, d)$"]
        assert "Hatched: data-limited" in render(solution, "md", draw_figure=False)
    else:
        assert hatched == [] and named == [] and figure.floor is None
        assert "Hatched" not in render(solution, "md", draw_figure=False)


def test_the_hatched_part_is_exactly_where_p_star_is_below_the_floor():
    """fcn3: the GFL phases lie below d wherever they win, so the hatching covers exactly their
    regions; with kappa = 1/d in fcn2 specialization's P* ~ sqrt(N/d) lies below d only where
    N < d^3, so the hatching of its phase [1, 5] stops at nu = 3."""
    solution = solved("fcn3_he3")
    plane = plane_of(solution)
    below = [short.phase for short in solution.data_limited.below]
    assert all("gfl" in phase.winners[0].values() for phase in below)
    covered = sum(area(r.vertices) for r in plane.regions if r.phase in below)
    assert covered > 0 and sum(area(p) for p in plane.limited) == covered
    curve = plane_of(solved("fcn2_he3", (("kappa", "d^-1"),)))
    intervals = sorted((Fraction(lo), Fraction(hi)) for (lo,), (hi,) in curve.limited)
    assert intervals == [(0, Fraction(1, 3)), (Fraction(1, 3), 1), (1, 3)]
