"""``scalelang lsp``: the language server for editors, on standard input and output.

Editors start it themselves (see editors/README.md). It needs pygls: ``pip install
'scalelang[lsp]'``; without it the command says so and exits 2.
"""

from __future__ import annotations

import sys

from scalelang.support import collector


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "lsp",
        help="run the language server (errors while typing, P* on hover) on stdio",
        description="Speak the Language Server Protocol on standard input and output: the "
        "errors and warnings of `check` while a .scale file is edited, and on hover what a name "
        "means and, on the predict line, the derived P* and mechanism.",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    try:
        from scalelang.lsp import serve
    except ModuleNotFoundError as missing:
        if missing.name and missing.name.split(".")[0] in ("pygls", "lsprotocol"):
            print(
                "scalelang lsp: error: the language server needs pygls: "
                "pip install 'scalelang[lsp]'",
                file=sys.stderr,
            )
            return 2
        raise
    collector.resume()  # a server runs as long as the editor: it must collect (support.collector)
    serve()
    return 0
