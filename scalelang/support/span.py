"""Source positions: how a place in a file is named.

Owns ``Span`` and ``UNKNOWN``; the errors that carry spans to the user, and their printing, live in
``scalelang.support.diagnostics``. It may not know the grammar.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A region of a source file: 1-based line and column of its start and end."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __repr__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


UNKNOWN = Span("<unknown>", 0, 0, 0, 0)
