"""``scalelang check FILE...``: parse and check .scale files, print every error with its place.

Exit 0 when every file is clean, 1 when some file has errors, 2 on bad usage (a missing file, a
malformed --set). A file of declarations only (a module such as the stdlib) is checked as such.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scalelang.support.diagnostics import ScaleError, format_error


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="parse and check .scale files",
        description="Parse and check .scale files; print each error as FILE:LINE:COL with a caret.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a .scale file")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=EXPR",
        help="override a scale, free exponent, constant or the noise (repeatable)",
    )  # fmt: skip
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing for clean files")
    parser.set_defaults(func=run)


def run(args) -> int:
    from scalelang.commands.common import missing_file, print_warnings
    from scalelang.frontend.load import check_file, read_source
    from scalelang.frontend.overrides import parse_assignments
    from scalelang.theory.scales import scale_space

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
