"""``scalelang fit RESULTS...``: fit the exponent of P_1/2 in d and give a verdict per exponent.

Prints a Markdown report (or JSON with --json); writes the collapse plot with --plot when
matplotlib is installed. Exit 0 when the fit ran, 1 when the results cannot be fitted, 2 on bad
usage. The verdict is in the report, not in the exit code (use --strict for that).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scalelang.commands.common import positive, refuse_overwriting


def _alignment_level(text: str) -> float:
    """A level of the alignment A_f, strictly between 0 and 1 (where the curves can cross it)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number between 0 and 1, got {text!r}"
        ) from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"an alignment level lies between 0 and 1, got {text}")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fit",
        help="fit measured exponents in simulation results against the prediction",
        description="For every d the P where alignment crosses 0.3..0.5 (and 1/2 alone), the "
        "exponent of that in d with bootstrap intervals, specialist counts, and a verdict "
        "(docs/simulation.md).",
    )
    parser.add_argument(
        "results",
        metavar="RESULTS",
        nargs="+",
        help="JSON-lines files written by a generated script, or folders of them (the shards of "
        "a sweep run as several jobs); one problem at a time",
    )
    parser.add_argument(
        "--predicted-exponent", metavar="Q", help="override the exponent recorded in the results"
    )
    parser.add_argument(
        "--level",
        type=_alignment_level,
        default=0.5,
        help="alignment level of the reported crossings (default 0.5)",
    )
    parser.add_argument(
        "--levels",
        type=_alignment_level,
        nargs="+",
        metavar="A",
        help="levels whose crossings give the exponent (default 0.3 0.35 0.4 0.45 0.5; "
        "--levels 0.5 for the crossing of 1/2 alone)",
    )
    parser.add_argument("--dims", type=int, nargs="+", metavar="D", help="fit these d only")
    parser.add_argument(
        "--boot", type=positive(int), default=2000, help="bootstrap replicates (default 2000)"
    )
    parser.add_argument("--plot", metavar="PNG", help="write the collapse plot here")
    parser.add_argument("-o", "--output", metavar="OUT.md", help="write the report here too")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless the verdict is PASS")
    parser.set_defaults(func=run)


def run(args) -> int:
    from scalelang.simulation.fit import fit_results

    missing = [r for r in args.results if not Path(r).exists()]
    if missing:
        print(f"scalelang fit: error: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    if any(
        output and refuse_overwriting(output, args.results, "scalelang fit")
        for output in (args.output, args.plot)
    ):
        return 2
    try:
        from scalelang.simulation.fit import LEVELS

        report = fit_results(
            args.results[0] if len(args.results) == 1 else args.results,
            args.predicted_exponent,
            args.level,
            args.boot,
            args.plot,
            levels=tuple(args.levels) if args.levels else LEVELS,
            dims=tuple(args.dims) if args.dims else None,
        )
    except ValueError as err:
        print(f"scalelang fit: error: {err}", file=sys.stderr)
        return 1
    text = json.dumps(report.to_json(), indent=2) if args.json else report.to_markdown()
    if args.output:
        Path(args.output).write_text(report.to_markdown(), encoding="utf-8")
    print(text)
    if args.strict and not report.passes:
        return 1
    return 0
