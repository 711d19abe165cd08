"""Jupyter display of a Solution: ``_repr_html_`` (answer, phase table, diagram, assignments) and
``_repr_latex_`` (P* as one formula, or as cases over the phases).

Owns only the notebook view; the content comes from ``model`` and ``diagram`` like the reports.
"""

from __future__ import annotations

from scalelang.algebra import notation as mf
from scalelang.report.model import build


def repr_html(solution) -> str:
    from scalelang.report.output import _environment

    report = build(solution)
    figure = None
    try:
        from scalelang.report.diagram import draw, figure_of

        figure, _ = figure_of(solution)
        if figure is not None:
            draw(solution, figure, ("svg",))
    except ModuleNotFoundError:  # matplotlib is optional: no picture, the rest still shows
        figure = None
    return _environment("html").get_template("notebook.html.j2").render(r=report, figure=figure)


def repr_latex(solution) -> str:
    report = build(solution)
    answer = report.answer
    if answer["single"]:
        return f"$${answer['p_star'].latex()}$$"
    rows = []
    for phase in answer["phases"]:
        body = phase["p_star"].items[-1].latex()  # the right-hand side of P* \propto ...
        where = ",\\ ".join(node.latex() for node in phase["where"]) or "\\text{everywhere}"
        mechanism = "".join(_latex_part(part) for part in phase["mechanism"])
        rows.append(f"{body} & {where} \\quad ({mechanism})")
    cases = " \\\\ ".join(rows)
    return f"$$P^* \\propto \\begin{{cases}} {cases} \\end{{cases}}$$"


def _latex_part(part) -> str:
    """A piece of rich text in a LaTeX formula: words as \\text, mathematics as itself."""
    if isinstance(part, str):
        return "\\text{" + part.replace("_", "\\_") + "}"
    return part.latex()


__all__ = ["repr_html", "repr_latex", "mf"]
