"""The language server: ``scalelang lsp`` speaks the Language Server Protocol on stdio (pygls).

While a .scale file is edited, the editor shows what ``scalelang check`` prints — every error and
warning at its line and column, with its hint — after each change; hovering a scale, a layer or
the readout says what it is, and hovering ``predict`` shows the derived P* and mechanism. The
solve runs in the background once the file checks clean, and an edit abandons it at its next
progress step (the solver reports each stage and assignment to ``progress``: that is where it
stops). Everything the server says comes from the pipeline (scalelang.pipeline).
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import sympy
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from scalelang import pipeline
from scalelang.algebra.notation import show
from scalelang.problem import Problem
from scalelang.support.diagnostics import Diagnostic, ScaleError
from scalelang.support.version import __version__

WORD = re.compile(r"[^\W\d]\w*")
CODE = re.compile(r'(?:[^#"]|"[^"]*")*')  # a line up to its comment


class _Abandoned(Exception):
    """The document changed while it was being solved: the answer would be stale."""


@dataclass
class _Document:
    """What the server knows of one open file: its latest check and, once solved, the answer."""

    generation: int = 0
    problem: Problem | None = None
    answer: str | None = None  # the terminal summary of the solution
    failure: str | None = None  # why the solve gave no answer
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Watch:
    """A progress sink that ends a solve whose document has changed since it started."""

    def __init__(self, document: _Document, generation: int):
        self.document, self.generation = document, generation

    def _check(self) -> None:
        if self.document.generation != self.generation:
            raise _Abandoned

    def stage(self, name: str, total: int = 0) -> None:
        self._check()

    def step(self) -> None:
        self._check()

    def finish(self) -> None:
        pass


class ScaleServer(LanguageServer):
    """Diagnostics on open and change, hover, and a background solve per document."""

    def __init__(self):
        super().__init__("scalelang", __version__)
        self.documents: dict[str, _Document] = {}
        self.solver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scalelang-solve")

    def refresh(self, uri: str) -> None:
        """Check the document's current text, publish what was found, and start its solve."""
        text = self.workspace.get_text_document(uri).source
        document = self.documents.setdefault(uri, _Document())
        with document.lock:
            document.generation += 1
            generation = document.generation
            document.problem, document.answer, document.failure = None, None, None
        path = to_fs_path(uri) or uri
        try:
            problem = pipeline.load(path, text=text)
            pipeline.scales(problem)  # the scales' own checks, as `scalelang check` runs them
            found = list(problem.warnings)
        except ScaleError as error:
            problem, found = None, error.diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[_lsp(d, path) for d in found])
        )
        if problem is not None:
            document.problem = problem
            self.solver.submit(_solve, document, problem, generation)


def _solve(document: _Document, problem: Problem, generation: int) -> None:
    """Solve ``problem`` and keep its answer, unless the document changed meanwhile."""
    try:
        solution = pipeline.solve(problem, _Watch(document, generation))
        answer, failure = repr(solution), None
    except _Abandoned:
        return
    except ScaleError as error:
        answer, failure = None, "; ".join(d.message for d in error.diagnostics)
    with document.lock:
        if document.generation == generation:
            document.answer, document.failure = answer, failure


def _lsp(diagnostic: Diagnostic, path: str) -> types.Diagnostic:
    """A diagnostic as the protocol has it: 0-based positions; one in another file (an import,
    the stdlib) is shown on the first line, naming its place."""
    span = diagnostic.span
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    if span.path != path or span.line < 1:
        start = end = types.Position(0, 0)
        message = f"{span!r}: {message}"
    else:
        start = types.Position(span.line - 1, max(span.column - 1, 0))
        end_line, end_column = max(span.end_line, span.line), max(span.end_column, span.column + 1)
        end = types.Position(end_line - 1, end_column - 1)
    severity = (
        types.DiagnosticSeverity.Warning
        if diagnostic.severity == "warning"
        else types.DiagnosticSeverity.Error
    )
    return types.Diagnostic(
        range=types.Range(start, end), message=message, severity=severity, source="scalelang"
    )


def hover_text(
    problem: Problem | None, answer: str | None, failure: str | None, line: str, character: int
) -> str | None:
    """What hovering at ``character`` of ``line`` says (Markdown), or None for nothing."""
    word = _word_at(line, character)
    if word is None or problem is None:
        return None
    if word in ("predict", problem.predict) and line.lstrip().startswith("predict"):
        if answer is not None:
            return f"```text\n{answer}\n```"
        return f"no answer: {failure}" if failure else "solving… (hover again in a moment)"
    return _meaning(problem, word)


def _word_at(line: str, character: int) -> str | None:
    """The name under ``character``, outside comments and strings."""
    code = CODE.match(line).group()
    for match in WORD.finditer(code):
        if match.start() <= character <= match.end():
            return match.group()
    return None


def _meaning(problem: Problem, word: str) -> str | None:
    """A scale, layer or readout named ``word``, described from the checked problem."""
    for scale in problem.scales:
        if scale.name == word:
            if scale.name == problem.predict:
                role = "the scale this file predicts"
            elif scale.definition is None:
                role = "an independent scale: a coordinate of the answer"
            else:
                role = f"= {show(scale.definition)}"
            widths = [
                layer.name
                for layer in problem.layers
                if scale.name in {s.name for s in sympy.sympify(layer.width).free_symbols}
            ]
            also = f"; the width of {', '.join(widths)}" if widths else ""
            return f"**scale {scale.name}**: {role}{also}"
    for layer in problem.layers:
        if word in (layer.name, layer.weight):
            allowed = " | ".join(problem.allowed_patterns.get(layer.name, ()))
            return (
                f"**{layer.kind} layer {layer.name}** = {layer.activation.name}({layer.weight} "
                f"{layer.input_name}), width {show(layer.width)}, prior {layer.weight} ~ "
                f"normal(0, {show(layer.variance)}); patterns tried: {allowed}"
            )
    readout = problem.readout
    if word in (readout.name, readout.weight):
        return (
            f"**readout {readout.name}** = {readout.weight} . {readout.input_name}, prior "
            f"{readout.weight} ~ normal(0, {show(readout.variance)})"
        )
    return None


def build() -> ScaleServer:
    """The server with its features registered."""
    server = ScaleServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ScaleServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ScaleServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ScaleServer, params: types.DidCloseTextDocumentParams) -> None:
        document = ls.documents.pop(params.text_document.uri, None)
        if document is not None:
            document.generation += 1  # abandon its solve

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ScaleServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return None
        lines = ls.workspace.get_text_document(params.text_document.uri).lines
        if params.position.line >= len(lines):
            return None
        with document.lock:
            text = hover_text(
                document.problem,
                document.answer,
                document.failure,
                lines[params.position.line],
                params.position.character,
            )
        if text is None:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text))

    return server


def serve() -> None:
    """Run the server on standard input and output until the editor closes it."""
    build().start_io()
