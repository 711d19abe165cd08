"""``scalelang report FILE [--set NAME=EXPR]... -o OUT.{md,html,tex} [--format F]``.

Writes a report (docs/reports.md): the problem, the answer with its mechanism, every assignment,
the derivation, the phase diagram. The format comes from the suffix of OUT, or from --format.
"""

from __future__ import annotations

import sys

from scalelang.commands.common import (
    add_limit_arguments,
    add_set_argument,
    cannot_use,
    limits,
    load_or_report,
    parse_sets,
    refuse_overwriting,
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="write a report (Markdown, HTML or LaTeX) with the phase diagram"
    )
    parser.add_argument("file", help="the .scale file")
    add_set_argument(parser)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the report file: OUT.md, OUT.html or OUT.tex (the figure of a "
        "Markdown or LaTeX report is written beside it as OUT-phases.png or .pdf)",
    )
    parser.add_argument(
        "--format",
        choices=("md", "html", "tex"),
        help="the format, when OUT's suffix does not say it",
    )
    parser.add_argument(
        "--fragment",
        action="store_true",
        help="LaTeX only: write the answer, the phase diagram and the boundaries as a fragment to "
        "\\input into a paper (its first lines list the packages it needs), not a document",
    )
    add_limit_arguments(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from scalelang.pipeline import solve
    from scalelang.report.output import format_of
    from scalelang.support.progress import on_terminal

    fmt = format_of(args.output, args.format)
    if fmt is None:
        print(
            f"scalelang: error: cannot tell the report format from {args.output!r}; use .md, "
            ".html or .tex, or --format md|html|tex",
            file=sys.stderr,
        )
        return 2
    if args.fragment and fmt != "tex":
        print(
            f"scalelang report: error: --fragment writes LaTeX; name the output OUT.tex, not "
            f"{args.output!r}",
            file=sys.stderr,
        )
        return 2
    overrides = parse_sets(args.set)
    if overrides is None:
        return 2
    if refuse_overwriting(args.output, [args.file], "scalelang report"):
        return 2
    solution = load_or_report(
        args.file, overrides, lambda p: solve(p, on_terminal(), **limits(args))
    )
    if isinstance(solution, int):
        return solution
    try:
        from scalelang.report.output import write

        written = write(
            solution, args.output, fmt, overrides, source=args.file, fragment=args.fragment
        )
    except ModuleNotFoundError as missing:
        if missing.name and missing.name.startswith("matplotlib"):
            print(
                "scalelang: error: the phase diagram needs matplotlib: "
                "pip install 'scalelang[report]'",
                file=sys.stderr,
            )
            return 2
        raise
    except OSError as error:
        print(f"scalelang report: error: {cannot_use(error)}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0
