"""The ``scalelang`` command line: one subcommand per module in ``scalelang.commands``.

Owns argument parsing and exit codes only. Each subcommand lives in its own module exposing
``register(subparsers)``, which adds its parser and sets ``func`` to a function of the parsed
arguments returning the exit code (0 clean, 1 errors in the user's files, 2 bad usage).
Errors in user input arrive as ``ScaleError`` and are printed once, at the edge, by the subcommand
(``scalelang.commands.common``); a path the system refuses is printed here.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys

from scalelang.support import collector
from scalelang.support.version import __version__

# The subcommands, in the order --help lists them.
COMMANDS = ("check", "solve", "report", "codegen", "validate", "fit", "lsp")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of ``only`` when it names one: a command line that
    starts with a subcommand is parsed by that subcommand's parser alone, so the others' modules
    (and what they import) are not loaded for it; anything else (``--help``, a misspelt
    command) gets the full parser and its full message."""
    parser = argparse.ArgumentParser(
        prog="scalelang",
        description="Compile scaling arguments for feature learning: from a .scale file to P*.",
    )
    parser.add_argument("--version", action="version", version=f"scalelang {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only in COMMANDS else COMMANDS:
        importlib.import_module(f"scalelang.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on bad usage, 0 on --help/--version
        return int(exit_.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C: one line, not a traceback through the solver
        print(f"scalelang {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `scalelang solve ... | head`: the reader left, not an error
        sys.stderr.close()
        return 0
    except OSError as error:  # a path the system refuses (a folder, a file in the way, no rights)
        if error.filename is None:  # not about a path: a fault of ours or of the machine
            raise
        from scalelang.commands.common import cannot_use

        print(f"scalelang {args.command}: error: {cannot_use(error)}", file=sys.stderr)
        return 2


def run() -> None:
    """The console entry point: ``main`` in a process that ends when the command does.

    Two settings of the cycle collector suit such a process. Solving allocates millions of small
    exact numbers and tuples that reference counting frees at once, yet every 700 allocations
    trigger a young collection that finds nothing to free: a larger first threshold makes these
    rare (and the older generations' thresholds make full collections rarer still, which costs
    some memory on long runs, never correctness). And when the command is done, ``gc.freeze``
    spares the interpreter's final collection a walk over every object of a heap that is about
    to go anyway. Both cut ``scalelang solve``'s
    wall time on the examples (benchmarks/solve_bench.py times it end to end), as does pausing
    the collector while the command starts (``support.collector``). ``main`` itself, as tests and
    notebooks call it, leaves the collector alone.
    """
    gc.set_threshold(10_000, 50, 50)
    collector.pause()
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
