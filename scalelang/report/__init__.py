"""Reports: the answer of a .scale file as Markdown, HTML or LaTeX, with its phase diagram.

Owns the report backend (docs/reports.md). It reads a solved ``Solution`` only: ``model`` (what
the report says) -> ``plane`` (the exact phase diagram geometry) -> ``diagram`` (matplotlib) ->
``output`` (Jinja2 templates in scalelang/templates/report, one backend per format), reached
through ``render`` and ``write`` here. ``notebook`` gives ``Solution._repr_html_`` /
``_repr_latex_``; ``terminal`` is the short text answer of ``scalelang solve``. It never solves
and never changes a solution.
``dump`` prints the earlier stages' results as text (``scalelang check --dump``).
"""

from __future__ import annotations


def render(solution, fmt: str, stem=None, overrides=None, source=None, draw_figure=True) -> str:
    """The report as text in ``fmt`` ("md", "html" or "tex")."""
    from scalelang.report.output import render as _render

    return _render(solution, fmt, stem, overrides, source, draw_figure)


def write(solution, out, fmt=None, overrides=None, source=None):
    """Write the report to ``out`` (format from its suffix unless ``fmt``); returns the paths."""
    from scalelang.report.output import write as _write

    return _write(solution, out, fmt, overrides, source)


__all__ = ["render", "write"]
