"""The Python API for notebooks: ``scalelang.load(path_or_text).solve(N="d")``.

Owns the friendly surface over the pipeline; it adds no behaviour of its own.
"""

from __future__ import annotations

from pathlib import Path

from scalelang.frontend import load_problem
from scalelang.problem import Problem
from scalelang.solve import Solution, solve


class Model:
    """A loaded .scale file; ``solve(**overrides)`` answers it, overrides as in ``--set``."""

    def __init__(self, source: str | Path, text: str | None):
        self.source = source
        self.text = text
        self.problem: Problem = load_problem(source, text=text)

    def solve(self, **overrides) -> Solution:
        problem = self.problem
        if overrides:
            problem = load_problem(self.source, text=self.text,
                                   overrides={k: str(v) for k, v in overrides.items()})
        return solve(problem)

    def __repr__(self) -> str:
        parts = [f"{layer.kind} {layer.name}" if layer.kind != "dense" else layer.name
                 for layer in self.problem.layers]
        if self.problem.readout.name not in {layer.name for layer in self.problem.layers}:
            parts.append(self.problem.readout.name)
        return f"<scalelang problem {self.problem.name}: {' -> '.join(parts)}>"


def load(path_or_text: str | Path) -> Model:
    """Load a .scale file by path, or from its text (anything containing a newline)."""
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return Model("<text>", path_or_text)
    return Model(Path(path_or_text), None)
