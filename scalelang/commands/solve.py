"""``scalelang solve FILE [--set NAME=EXPR]... [--json]``: the prediction, in words or as JSON."""

from __future__ import annotations

import json
import sys

from scalelang.commands.common import (
    add_limit_arguments,
    add_set_argument,
    limits,
    load_or_report,
    parse_sets,
)


def register(subparsers) -> None:
    parser = subparsers.add_parser("solve", help="predict P*: mechanism, optimum, phases")
    parser.add_argument("file", help="the .scale file")
    add_set_argument(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object on standard output")
    parser.add_argument(
        "--assignments",
        action="store_true",
        help="also each pattern assignment's own piecewise energy (computed by "
        "default only for problems with few assignments)",
    )
    parser.add_argument(
        "--ties",
        action="store_true",
        help="list every tied assignment (by default a long tie is written as "
        "sets of patterns per layer)",
    )
    add_limit_arguments(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from scalelang.pipeline import solve
    from scalelang.report.terminal import summary
    from scalelang.support.progress import on_terminal

    overrides = parse_sets(args.set)
    if overrides is None:
        return 2
    loaded = load_or_report(
        args.file,
        overrides,
        lambda p: solve(p, on_terminal(), assignments=args.assignments or None, **limits(args)),
        as_json=args.json,
    )
    if isinstance(loaded, int):
        return loaded
    if args.json:
        json.dump(loaded.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(summary(loaded, all_ties=args.ties))
    return 0
