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


def load_or_report(path: str, overrides: dict, then=None, command: str = "scalelang"):
    """Load (and optionally process) a file; on a user error print it and return the exit code."""
    from scalelang.frontend import load_problem

    def load():
        problem = load_problem(Path(path), overrides=overrides)
        return then(problem) if then else problem

    return reporting(path, load, command)


def reporting(path: str, action, command: str = "scalelang"):
    """``action()`` for an existing file; a missing file is bad usage (exit 2), errors in the
    user's files are printed with their places (exit 1). One place for what every subcommand does."""
    from scalelang.diagnostics import ScaleError, format_error

    if not Path(path).is_file():
        print(f"{command}: error: no such file: {path}", file=sys.stderr)
        return 2
    try:
        return action()
    except ScaleError as error:
        print(format_error(error), file=sys.stderr)
        return 1
