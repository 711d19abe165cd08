"""Printing a report: Jinja2 templates (scalelang/templates/report/*.j2) and per-format filters.

Owns the three backends. Markdown and LaTeX print mathematics as LaTeX (``$...$``) and put the
phase diagram beside the report (PNG for Markdown, PDF for LaTeX); HTML prints mathematics as
MathML and inlines the diagram as SVG, so that the page is one self-contained file that needs no
network (no MathJax, no fonts, no scripts).
"""

from __future__ import annotations

import html
from pathlib import Path

import jinja2

from scalelang.algebra import notation as mf
from scalelang.report.diagram import draw, figure_of
from scalelang.report.model import build

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".tex": "tex"}
TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2", "tex": "report.tex.j2"}
FIGURE_SUFFIX = {"md": "png", "tex": "pdf", "html": "svg"}
FIGURE_TAIL = "-phases"  # OUT.md -> OUT-phases.png, OUT.tex -> OUT-phases.pdf

_TEX_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
_TEX_UNICODE = {
    "\u221d": r"$\propto$",
    "\u2248": r"$\approx$",
    "\u2264": r"$\leq$",
    "\u2265": r"$\geq$",
    "\u2013": "--",
    "\u2014": "---",
    "\u00b7": r"$\cdot$",
    "\u00b2": r"$^2$",
    "\u00d7": r"$\times$",
    "\u223c": r"$\sim$",
    "\u2212": "$-$",
    "\u2026": r"\dots{}",
}  # Greek: the preamble (scalelang.algebra.notation)


def format_of(path: str | Path, explicit: str | None = None) -> str | None:
    if explicit:
        return {"markdown": "md", "htm": "html", "latex": "tex"}.get(explicit, explicit)
    return FORMATS.get(Path(path).suffix.lower())


# ---- escaping ------------------------------------------------------------------------------------------
def _escape_md(s: str) -> str:
    """Text that Markdown (and the MathJax of its viewers) shows as written: a ``$`` in a
    pattern's doc would otherwise pair with a later one and turn the words between into maths."""
    return (
        str(s)
        .replace("\\", "\\\\")
        .replace("*", "\\*")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("$", "\\$")
    )


def _escape_tex(s: str) -> str:
    out = []
    for ch in str(s):
        out.append(_TEX_SPECIALS.get(ch) or _TEX_UNICODE.get(ch) or ch)
    return "".join(out)


def _escape_html(s: str) -> str:
    return html.escape(str(s), quote=False)


ESCAPE = {"md": _escape_md, "tex": _escape_tex, "html": _escape_html}


def _math(fmt: str):
    def render(node, display: bool = False) -> str:
        if node is None:
            return "\u2013" if fmt != "tex" else "--"
        if isinstance(node, str):
            return ESCAPE[fmt](node)
        if fmt == "html":
            return mf.to_mathml(node, display)
        tex = node.latex()
        return (
            f"$${tex}$$" if display and fmt == "md" else (f"\\[{tex}\\]" if display else f"${tex}$")
        )

    return render


def _rich(fmt: str):
    math = _math(fmt)

    def render(items) -> str:
        if isinstance(items, (str, mf.Node)):
            items = [items]
        return "".join(math(item) for item in items)

    return render


def _environment(fmt: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("scalelang", "templates/report"),
        autoescape=False,  # every value goes through a filter that escapes for its format
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["m"] = _math(fmt)
    env.filters["rich"] = _rich(fmt)
    env.filters["e"] = ESCAPE[fmt]
    env.filters["ands"] = lambda nodes: _rich(fmt)(_and_list(nodes))
    return env


def _and_list(nodes) -> list:
    out: list = []
    for i, node in enumerate(nodes):
        if i:
            out.append(", ")
        out.append(node)
    return out


# ---- the entry points ---------------------------------------------------------------------------------
def render(
    solution,
    fmt: str,
    stem: str | Path | None = None,
    overrides: dict | None = None,
    source: str | None = None,
    draw_figure: bool = True,
) -> str:
    """The report as text. ``stem`` (a path without suffix) says where the Markdown/LaTeX figure is
    written (``stem-phases.png`` / ``stem-phases.pdf``) and how the report refers to it; HTML
    inlines its SVG.
    ``draw_figure=False`` skips drawing (the text still refers to the figure file)."""
    if fmt not in TEMPLATES:
        raise ValueError(f"unknown report format {fmt!r}: use md, html or tex")
    report = build(solution, overrides, source)
    figure, why = figure_of(solution)
    figure_name = None
    if figure is not None:
        if fmt == "html":
            draw(solution, figure, ("svg",))
        else:
            stem = Path(stem) if stem is not None else Path(solution.problem.name)
            figure_stem = stem.parent / f"{stem.name}{FIGURE_TAIL}"  # not stem.pdf: pdflatex's own
            figure_name = f"{figure_stem.name}.{FIGURE_SUFFIX[fmt]}"
            if draw_figure:
                stem.parent.mkdir(parents=True, exist_ok=True)
                draw(solution, figure, (FIGURE_SUFFIX[fmt],), stem=str(figure_stem))
    template = _environment(fmt).get_template(TEMPLATES[fmt])
    from scalelang.support.version import __version__

    return template.render(
        r=report,
        figure=figure,
        no_figure=why,
        figure_name=figure_name,
        version=__version__,
        unicode_greek=mf.UNICODE_GREEK_TEX,
    )


def write(
    solution,
    out: str | Path,
    fmt: str | None = None,
    overrides: dict | None = None,
    source: str | None = None,
) -> list[Path]:
    """Write the report to ``out`` (and its figure beside it); returns the paths written."""
    out = Path(out)
    fmt = format_of(out, fmt)
    if fmt is None:
        raise ValueError(
            f"cannot tell the report format from {out.name!r}: use .md, .html or .tex, or --format"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.with_suffix("")
    text = render(solution, fmt, stem, overrides, source)
    out.write_text(text, encoding="utf-8")
    written = [out]
    figure = out.parent / f"{stem.name}{FIGURE_TAIL}.{FIGURE_SUFFIX[fmt]}"
    if fmt != "html" and figure.exists():
        written.append(figure)
    return written
