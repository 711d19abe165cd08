"""Printing a report: Jinja2 templates (scalelang/templates/report/*.j2) and per-format filters.

Owns the three backends. Markdown and LaTeX print mathematics as LaTeX (``$...$``) and put the
phase diagram beside the report (PNG for Markdown, PDF for LaTeX); HTML prints mathematics as
MathML and inlines the diagram as SVG, so that the page is one self-contained file that needs no
network (no MathJax, no fonts, no scripts).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

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
    "\u00b1": r"$\pm$",
    "\u2026": r"\dots{}",
}  # Greek: the preamble (scalelang.algebra.notation)


def format_of(path: str | Path, explicit: str | None = None) -> str | None:
    if explicit:
        return {"markdown": "md", "htm": "html", "latex": "tex"}.get(explicit, explicit)
    return FORMATS.get(Path(path).suffix.lower())


# ---- escaping -----------------------------------------------------------------------------------
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
        .replace("`", "\\`")  # no code span opens in the middle of the text
        .replace("[", "\\[")  # nor a link or an image: [text](javascript:...), ![](http://...)
        .replace("]", "\\]")
    )


def _code_md(s: str) -> str:
    """``s`` as one Markdown code span: fenced by more backticks than any run in it (CommonMark),
    so a backtick in a file name or an override cannot end the span and make the rest markup."""
    s = one_line(str(s))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", s)), default=0) + 1)
    pad = " " if s[:1] == "`" or s[-1:] == "`" else ""
    return f"{fence}{pad}{s}{pad}{fence}"


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
    env.filters["oneline"] = one_line
    env.filters["code"] = _code_md
    return env


def _and_list(nodes) -> list:
    out: list = []
    for i, node in enumerate(nodes):
        if i:
            out.append(", ")
        out.append(node)
    return out


# ---- the entry points ---------------------------------------------------------------------------
def render(
    solution,
    fmt: str,
    stem: str | Path | None = None,
    overrides: dict | None = None,
    source: str | None = None,
    draw_figure: bool = True,
    fragment: bool = False,
) -> str:
    """The report as text. ``stem`` (a path without suffix) says where the Markdown/LaTeX figure is
    written (``figure_path``) and how the report refers to it; HTML inlines its SVG.
    ``draw_figure=False`` skips drawing (the text still refers to the figure file).
    ``fragment`` (LaTeX only): the answer, the figure and the boundaries, to ``\\input`` into a
    paper, instead of a standalone document."""
    if fmt not in TEMPLATES:
        raise ValueError(f"unknown report format {fmt!r}: use md, html or tex")
    if fragment and fmt != "tex":
        raise ValueError("a fragment is LaTeX: write OUT.tex (or --format tex) with --fragment")
    report = build(solution, overrides, source)
    figure, why = figure_of(solution)
    figure_name = None
    if figure is not None:
        if fmt == "html":
            draw(solution, figure, ("svg",))
        else:
            path = figure_path(Path(stem) if stem is not None else Path(solution.problem.name), fmt)
            figure_name = path.name
            if draw_figure:
                path.parent.mkdir(parents=True, exist_ok=True)
                draw(solution, figure, (FIGURE_SUFFIX[fmt],), stem=str(path.with_suffix("")))
    from scalelang.support.version import __version__

    env = _environment(fmt)
    values = dict(
        r=report,
        figure=figure,
        no_figure=why,
        figure_name=figure_name,
        version=__version__,
        unicode_greek=mf.UNICODE_GREEK_TEX,
        heading="section*",
    )
    if not fragment:
        html_source = source_html(solution.problem.source_text) if fmt == "html" else None
        return env.get_template(TEMPLATES[fmt]).render(**values, source_html=html_source)
    body = env.get_template("fragment.body.tex.j2").render(**values)
    used = tuple((code, tex) for code, tex in mf.UNICODE_GREEK_TEX if chr(int(code, 16)) in body)
    return env.get_template("fragment.tex.j2").render(**values, greek_used=used) + body


def one_line(text: str) -> str:
    """``text`` without line breaks or other control characters: what a LaTeX comment (which ends
    at the line's end) may hold of a file name or an override."""
    return re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", " ", str(text))


def figure_path(stem: Path, fmt: str) -> Path:
    """Where the figure of a Markdown or LaTeX report at ``stem`` goes: ``stem-phases.png`` or
    ``.pdf`` beside it (not ``stem.pdf``, which is pdflatex's own output). The name is made of
    safe characters only: the report refers to it in ``\\includegraphics{...}`` and ``![](...)``,
    where a brace, percent sign or bracket of an output name would end the command."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", stem.name) or "report"
    return stem.parent / f"{safe}{FIGURE_TAIL}.{FIGURE_SUFFIX[fmt]}"


def source_html(text: str) -> Markup | None:
    """The .scale file as HTML, highlighted by the .scale lexer (inline styles: the report stays
    one self-contained file); escaped plain text where Pygments is not installed."""
    if not text:
        return None
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
    except ModuleNotFoundError:
        return Markup(html.escape(text))
    from scalelang.frontend.highlight import lexer_class

    formatter = HtmlFormatter(nowrap=True, noclasses=True, style="friendly")
    return Markup(highlight(text, lexer_class()(), formatter))


def write(
    solution,
    out: str | Path,
    fmt: str | None = None,
    overrides: dict | None = None,
    source: str | None = None,
    fragment: bool = False,
) -> list[Path]:
    """Write the report to ``out`` (and its figure beside it); returns the paths written.
    ``fragment``: a LaTeX fragment to ``\\input`` (``render``)."""
    out = Path(out)
    fmt = format_of(out, fmt)
    if fmt is None:
        raise ValueError(
            f"cannot tell the report format from {out.name!r}: use .md, .html or .tex, or --format"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.with_suffix("")
    text = render(solution, fmt, stem, overrides, source, fragment=fragment)
    out.write_text(text, encoding="utf-8")
    written = [out]
    if fmt != "html" and figure_path(stem, fmt).exists():
        written.append(figure_path(stem, fmt))
    return written
