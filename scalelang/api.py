"""The Python API for notebooks: ``scalelang.load(path_or_text).solve(N="d")``.

Owns the friendly surface over the pipeline; it adds no behaviour of its own.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

from scalelang.frontend.load import read_source
from scalelang.pipeline import load as load_problem
from scalelang.pipeline import solve, with_overrides
from scalelang.problem import OVERRIDES, PYTHON, Problem
from scalelang.support.diagnostics import ScaleError, ScaleWarning, format_diagnostic
from scalelang.theory.solve import Solution


class Model:
    """A loaded .scale file; ``solve(**overrides)`` answers it, overrides as in ``--set``."""

    def __init__(self, source: str | Path, text: str | None):
        self.source = source
        self.text = text
        self.problem: Problem = load_problem(source, text=text)
        for warning in self.problem.warnings:
            shown = format_diagnostic(
                warning, text if text is not None else read_source(str(source))
            )
            warnings.warn(shown, ScaleWarning, stacklevel=4)  # at the caller of scalelang.load

    def solve(self, **overrides) -> Solution:
        problem = self.problem
        if overrides:
            try:
                problem = with_overrides(problem, {k: str(v) for k, v in overrides.items()}, PYTHON)
            except ScaleError as error:
                raise _placed_in_python(error) from None
        return solve(problem)

    def __repr__(self) -> str:
        parts = [
            f"{layer.kind} {layer.name}" if layer.kind != "dense" else layer.name
            for layer in self.problem.layers
        ]
        if self.problem.readout.name not in {layer.name for layer in self.problem.layers}:
            parts.append(self.problem.readout.name)
        return f"<scalelang problem {self.problem.name}: {' -> '.join(parts)}>"


def load(path_or_text: str | Path) -> Model:
    """Load a .scale file by path, or from its text: a string with a newline, an empty one (an
    empty file's text, not the path "."), or one line with a space that names no file and does
    not end in .scale (``load("scale d")``)."""
    if isinstance(path_or_text, str) and _is_text(path_or_text):
        return Model("<text>", path_or_text)
    return Model(Path(path_or_text), None)


def _is_text(value: str) -> bool:
    if "\n" in value or not value.strip():
        return True
    return " " in value.strip() and not value.endswith(".scale") and not Path(value).exists()


def _placed_in_python(error: ScaleError) -> ScaleError:
    """Errors in overrides point at ``solve()``, where a notebook gave them as keywords (the
    overrides module worded them for Python already: ``surface=PYTHON``)."""

    def place(span):
        return replace(span, path=IN_PYTHON) if span.path == OVERRIDES else span

    diagnostics = [replace(d, span=place(d.span)) for d in error.diagnostics]
    sources = {(IN_PYTHON if k == OVERRIDES else k): v for k, v in (error.sources or {}).items()}
    return ScaleError(diagnostics, sources=sources)


IN_PYTHON = "solve()"  # the place of an override given as a keyword of Model.solve
