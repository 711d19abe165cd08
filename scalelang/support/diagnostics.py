"""Errors as values: a positioned message, the one exception that carries them, and their printing.

Owns ``Diagnostic``, ``ScaleError`` and how they are printed (``FILE:LINE:COL: error: MESSAGE``,
the source line, a caret under the span, an optional hint). Any phase of the compiler may raise
``ScaleError``; it is caught and printed once, at the edge (the command line). This module knows
nothing about the grammar or the theory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scalelang.support.span import UNKNOWN, Span


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a user's input, at ``span``."""

    span: Span
    message: str
    hint: str | None = None
    severity: str = "error"


class ScaleError(Exception):
    """Every error found in a user's input, raised once.

    ``diagnostics`` lists them in source order; ``sources`` optionally maps a span's path to the
    text it points into, for inputs that are not files on disk (the ``--set`` overrides, an
    in-memory text, the packaged stdlib).
    """

    def __init__(
        self,
        diagnostics: list[Diagnostic] | Diagnostic,
        sources: dict[str, str] | None = None,
    ) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        self.sources: dict[str, str] = dict(sources or {})
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{first.span!r}: {first.message}" if first else "error"
        if len(self.diagnostics) > 1:
            summary += f" (and {len(self.diagnostics) - 1} more)"
        super().__init__(summary)


class ScaleWarning(UserWarning):
    """A warning about a user's file (``lint``), as the Python API raises it through
    ``warnings``."""


def error(span: Span, message: str, hint: str | None = None) -> ScaleError:
    """A ScaleError with a single diagnostic (a convenience for one-off errors)."""
    return ScaleError([Diagnostic(span, message, hint)])


def source_lines(text: str) -> list[str]:
    r"""The lines of a source as the parser numbers them: split at ``\n`` alone (lark counts no
    other line break), after the byte-order mark that the parser drops. ``str.splitlines`` would
    also split at \r, \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029, which a comment may hold,
    and every later line would show the text of another."""
    return text.removeprefix("\ufeff").split("\n")


# Shown as a space: characters that a terminal takes as a line break or a carriage return, and
# that would break the line shown from the caret under it (one for one, so columns still match).
_SHOWN = str.maketrans(dict.fromkeys("\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


def format_diagnostic(diag: Diagnostic, source_text: str | None) -> str:
    """``FILE:LINE:COL: error: MESSAGE``, then the source line with a caret, then the hint."""
    span = diag.span
    lines = [f"{span.path}:{span.line}:{span.column}: {diag.severity}: {diag.message}"]
    numbered = source_lines(source_text) if source_text is not None else []
    if 1 <= span.line <= len(numbered):
        text = numbered[span.line - 1].removesuffix("\r").translate(_SHOWN)
        start = max(span.column - 1, 0)
        if span.end_line == span.line and span.end_column > span.column:
            stop = span.end_column - 1
        else:
            stop = len(text.rstrip())
        stop = min(max(stop, start + 1), max(len(text), start + 1))
        text, start, stop = _window(text, start, stop)
        # Keep tabs so that the caret lines up with the text above it.
        pad = "".join(c if c == "\t" else " " for c in text[:start])
        lines.append(f"    {text}")
        lines.append(f"    {pad}^{'~' * (stop - start - 1)}")
    if diag.hint:
        lines.append(f"  hint: {diag.hint}")
    return "\n".join(lines)


WIDTH = 100  # the most of a source line an error shows


def _window(text: str, start: int, stop: int) -> tuple[str, int, int]:
    """At most WIDTH characters of a long line, around the place (a generated 50 KB sum would
    otherwise fill the terminal), with ``...`` where it is cut; the span moves with it."""
    if len(text) <= WIDTH:
        return text, start, stop
    left = max(0, min(start - WIDTH // 4, len(text) - WIDTH))
    right = left + WIDTH
    shown = ("..." if left else "") + text[left:right] + ("..." if right < len(text) else "")
    shift = (3 if left else 0) - left
    return shown, start + shift, min(stop, right) + shift


def format_error(err: ScaleError, sources: dict[str, str] | None = None) -> str:
    """Every diagnostic of ``err``, each with its source line (read from disk when not given)."""
    known = dict(err.sources)
    known.update(sources or {})
    out = []
    for diag in err.diagnostics:
        path = diag.span.path
        if path not in known:
            try:
                known[path] = Path(path).read_text(encoding="utf-8")
            except (OSError, ValueError):
                known[path] = None
        out.append(format_diagnostic(diag, known[path]))
    return "\n".join(out)


def errors_json(err: ScaleError) -> dict:
    """The diagnostics as plain data: ``{"errors": [{"file", "line", "column", "end_line",
    "end_column", "message", "hint"}]}`` (what ``solve --json`` prints when there is no answer)."""
    return {
        "errors": [
            {
                "file": d.span.path,
                "line": d.span.line,
                "column": d.span.column,
                "end_line": d.span.end_line,
                "end_column": d.span.end_column,
                "message": d.message,
                "hint": d.hint,
            }
            for d in err.diagnostics
        ]
    }


def sort_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Source order (by file, then line and column), keeping the first of exact duplicates."""
    seen = set()
    unique = []
    for d in diags:
        key = (d.span, d.message)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    order = {}
    for d in unique:
        order.setdefault(d.span.path, len(order))
    return sorted(unique, key=lambda d: (order[d.span.path], d.span.line, d.span.column))


__all__ = [
    "Diagnostic",
    "ScaleError",
    "UNKNOWN",
    "error",
    "format_diagnostic",
    "format_error",
    "sort_diagnostics",
    "source_lines",
]
