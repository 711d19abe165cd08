"""What every subcommand that reads a .scale file shares: --set parsing and error printing."""

from __future__ import annotations

import sys
from pathlib import Path


def parse_sets(items: list[str]) -> dict | None:
    """``["N=d", "a1=1"]`` -> ``{"N": "d", "a1": "1"}``; None (after a message) when malformed."""
    overrides = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            print(f"scalelang: error: --set expects NAME=EXPR, got {item!r}", file=sys.stderr)
            return None
        overrides[name.strip()] = value.strip()
    return overrides


def load_or_report(path: str, overrides: dict, then=None):
    """Load (and optionally process) a file; on a user error print it and return the exit code."""
    from scalelang.diagnostics import ScaleError, format_error
    from scalelang.frontend import load_problem

    file = Path(path)
    if not file.is_file():
        print(f"scalelang: error: no such file: {path}", file=sys.stderr)
        return 2
    try:
        problem = load_problem(file, overrides=overrides)
        return then(problem) if then else problem
    except ScaleError as error:
        print(format_error(error), file=sys.stderr)
        return 1
