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
