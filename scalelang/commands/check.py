"""``scalelang check FILE...``: parse and check .scale files, print every error with its place.

Exit 0 when every file is clean, 1 when some file has errors, 2 on bad usage (a missing file, a
malformed --set). A file of declarations only (a module such as the stdlib) is checked as such.

``--dump ast|problem|lowered`` prints one stage's output instead of "ok" (scalelang.report.dump):
the syntax tree as written, the checked Problem (with --set applied), or the candidate energies
of every pattern assignment. Each comes from scalelang.pipeline, the stages the other commands run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scalelang.commands.common import add_set_argument
from scalelang.report.dump import ASSIGNMENTS_SHOWN, CANDIDATES_SHOWN
from scalelang.support.diagnostics import ScaleError, format_error


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="parse and check .scale files",
        description="Parse and check .scale files; print each error as FILE:LINE:COL with a caret.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a .scale file")
    add_set_argument(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing for clean files")
    parser.add_argument(
        "--dump", choices=("ast", "problem", "lowered"), metavar="STAGE",
        help="print a stage's output: ast (the syntax tree as written, --set not applied), "
        "problem (the checked problem) or lowered (the candidate energies per pattern assignment)",
    )  # fmt: skip
    parser.add_argument(
        "--full", action="store_true",
        help=f"with --dump lowered: every candidate (by default {CANDIDATES_SHOWN} per assignment "
        f"and {ASSIGNMENTS_SHOWN} assignments, then a count of the rest)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def run(args) -> int:
    from scalelang.commands.common import missing_file, print_warnings
    from scalelang.frontend.load import check_file, read_source
    from scalelang.frontend.overrides import parse_assignments
    from scalelang.theory.scales import scale_space

    if args.full and args.dump != "lowered":
        print("scalelang check: error: --full goes with --dump lowered", file=sys.stderr)
        return 2
    missing = [f for f in args.files if not Path(f).is_file()]
    for f in missing:
        print(f"scalelang check: error: {missing_file(f)}", file=sys.stderr)
    if missing:
        return 2
    try:
        overrides = parse_assignments(args.set)
    except ScaleError as err:
        print(format_error(err), file=sys.stderr)
        return 2
    status = 0
    for f in args.files:
        try:
            text = read_source(f)
        except ScaleError as err:  # the file's content is wrong, as for solve: exit 1
            print(format_error(err), file=sys.stderr)
            status = 1
            continue
        if args.dump:
            status = max(status, _dump(args, f, text, overrides))
            continue
        try:
            problem = check_file(f, text, overrides or None)
            if problem is not None:
                scale_space(problem)  # the scales' own checks: every scale large, assumptions hold
        except ScaleError as err:
            print(format_error(err, {f: text}), file=sys.stderr)
            count = len(err.diagnostics)
            print(f"{f}: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
            status = 1
            continue
        warned = len(problem.warnings) if problem is not None else 0
        if warned:
            print_warnings(problem)
        if not args.quiet:
            kind = "module" if problem is None else f"problem {problem.name}"
            also = f", {warned} warning{'s' if warned != 1 else ''}" if warned else ""
            print(f"{f}: ok ({kind}{also})")
    return status


def _dump(args, f: str, text: str, overrides: dict) -> int:
    """Print ``args.dump``'s output for the file ``f``; its errors as ``check`` prints them."""
    from scalelang import pipeline
    from scalelang.commands.common import print_warnings
    from scalelang.report import dump

    try:
        if args.dump == "ast":
            print(dump.dump_ast(pipeline.parse(f, text)), end="")
            return 0
        problem = pipeline.load(f, text, overrides or None)
        space = pipeline.scales(problem)  # the scales' checks, as for a plain check
        if args.dump == "problem":
            output = dump.dump_problem(problem)
        else:
            shown = None if args.full else CANDIDATES_SHOWN
            output = dump.dump_lowered(
                pipeline.lowered(problem, space),
                f"{problem.name} ({problem.source_path})",
                candidates_shown=shown,
                assignments_shown=None if args.full else ASSIGNMENTS_SHOWN,
            )
    except ScaleError as err:
        print(format_error(err, {f: text}), file=sys.stderr)
        count = len(err.diagnostics)
        print(f"{f}: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    print_warnings(problem)
    print(output, end="")
    return 0
