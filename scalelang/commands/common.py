"""What every subcommand that reads a .scale file shares: --set parsing and error printing."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

# A solve's limits, sized for a laptop; past one the solve stops with a positioned error that says
# what made the problem large and what to do (pipeline.too_large), instead of running on, being
# killed, or ending in a MemoryError. Time: a laptop's patience for one solve. Memory: GiB of
# resident memory the solve may grow by, half of an 8 GiB laptop. Candidates: the candidate
# energies a solve compares (and the pattern assignments, and the routes and candidates its
# lowering builds): the benchmarks' erf chains of depth 4 compare 2,820 after 4,181 steps of
# lowering, and depth 5's lowering held 416 MiB after 14,338 steps, so 100,000 is far beyond what
# finishes in the time limit and about where the memory limit would be reached.
TIME_LIMIT = 600.0
MEMORY_LIMIT = 4.0
MAX_CANDIDATES = 100_000


def add_set_argument(parser) -> None:
    """``--set NAME=EXPR``, repeatable: every subcommand that reads a .scale file takes it."""
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=EXPR",
        help="override a scale, free exponent, constant or the noise for this run, e.g. --set N=d "
        "(repeatable)",
    )


def add_limit_arguments(parser) -> None:
    """``--time-limit SECONDS``, ``--memory-limit GIB`` and ``--max-candidates N`` for the
    subcommands that solve (``pipeline.solve``; ``limits`` reads them back)."""
    parser.add_argument(
        "--time-limit",
        type=positive(float),
        default=TIME_LIMIT,
        metavar="SECONDS",
        help=f"stop a solve that runs longer, saying what made it large (default {TIME_LIMIT:g})",
    )
    parser.add_argument(
        "--memory-limit",
        type=positive(float),
        default=MEMORY_LIMIT,
        metavar="GIB",
        help="stop a solve whose resident memory grows by more GiB, saying what made it large "
        f"(default {MEMORY_LIMIT:g})",
    )
    parser.add_argument(
        "--max-candidates",
        type=positive(int),
        default=MAX_CANDIDATES,
        metavar="N",
        help="stop a solve with more candidate energies (or pattern assignments, or routes and "
        f"candidates in its lowering), saying what made it large (default {MAX_CANDIDATES})",
    )


def limits(args) -> dict:
    """The limit arguments as ``pipeline.solve``'s keywords."""
    return {
        "time_limit": args.time_limit,
        "memory_limit": args.memory_limit,
        "max_candidates": args.max_candidates,
    }


def parse_sets(items: list[str]) -> dict | None:
    """``["N=d", "a1=1"]`` -> ``{"N": "d", "a1": "1"}``; None (after a message) when malformed."""
    from scalelang.frontend.overrides import parse_assignments
    from scalelang.support.diagnostics import ScaleError, format_error

    try:
        return parse_assignments(items)
    except ScaleError as error:
        print(format_error(error), file=sys.stderr)
        return None


def load_or_report(
    path: str, overrides: dict, then=None, command: str = "scalelang", as_json: bool = False
):
    """Load (and optionally process) a file; on a user error print it and return the exit code."""
    from scalelang.frontend.load import load_problem

    def load():
        problem = load_problem(Path(path), overrides=overrides)
        print_warnings(problem)
        return then(problem) if then else problem

    return reporting(path, load, command, as_json)


def print_warnings(problem) -> None:
    """The file's warnings (``lint``) on standard error, placed and shown like errors."""
    from scalelang.frontend.load import read_source
    from scalelang.support.diagnostics import format_diagnostic

    if problem.warnings:
        text = read_source(problem.source_path)
        for warning in problem.warnings:
            print(format_diagnostic(warning, text), file=sys.stderr)


def cannot_use(error: OSError) -> str:
    """An operating system's refusal in words that name the path and what is wrong with it
    ("File exists" from making a folder under a file says nothing useful)."""
    path = Path(error.filename) if error.filename else None
    if path is not None:
        in_the_way = isinstance(error, (FileExistsError, NotADirectoryError))
        blocking = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)
        if in_the_way and blocking is not None:
            return f"cannot write there: {blocking} is a file, not a folder"
        if isinstance(error, IsADirectoryError) or (
            isinstance(error, FileExistsError) and path.is_dir()
        ):
            return f"cannot write {path}: it is a folder; give a file name"
        return f"cannot use {path}: {error.strerror or error}"
    return f"{error.strerror or error}"


def refuse_overwriting(output, inputs, command: str) -> bool:
    """True (after saying so) when writing ``output`` would replace one of the command's input
    files: ``report x.scale -o x.scale`` once did."""
    out = Path(output)
    for source in inputs:
        if out.exists() and Path(source).exists() and out.resolve() == Path(source).resolve():
            print(
                f"{command}: error: the output {output} is the input file {source}; "
                "choose another name",
                file=sys.stderr,
            )
            return True
    return False


def positive(kind):
    """An argparse type: a number of ``kind`` that must be > 0 (a grid of zero sizes is no grid)."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not 0 < value < math.inf:
            raise argparse.ArgumentTypeError(f"must be > 0 and finite, got {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def missing_file(path) -> str:
    """Why ``path`` cannot be read as a .scale file (a folder is not a missing file)."""
    if Path(path).is_dir():
        return f"{path} is a folder; give a .scale file"
    return f"no such file: {path}"


def reporting(path: str, action, command: str = "scalelang", as_json: bool = False):
    """``action()`` for an existing file; a missing file is bad usage (exit 2), errors in the
    user's files are printed with their places (exit 1). One place for what every subcommand does.
    With ``as_json`` the errors also go to standard output as ``{"errors": [...]}``, so that a
    program reading the JSON learns why there is no answer."""
    from scalelang.support.diagnostics import ScaleError, errors_json, format_error

    if not Path(path).is_file():
        print(f"{command}: error: {missing_file(path)}", file=sys.stderr)
        return 2
    try:
        return action()
    except ScaleError as error:
        print(format_error(error), file=sys.stderr)
        if as_json:
            json.dump(errors_json(error), sys.stdout, indent=2)
            sys.stdout.write("\n")
        return 1
