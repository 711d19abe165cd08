"""Parsing: .scale text to the AST of ``scalelang.frontend.ast``, with positions and plain-language
errors.

Owns the lark parser (built from grammar/scale.lark, LALR with positions propagated, and kept
built in the cache folder), the transformer that builds AST nodes, and the translation of lark's
exceptions into ``Diagnostic``s. When a file does not parse, each statement is parsed on its own
so that every broken line is reported in one run. It knows nothing about what the statements
mean.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import sys
from functools import lru_cache

import lark
from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from scalelang.frontend import ast
from scalelang.problem import COMMAND_LINE, Surface
from scalelang.support import cache
from scalelang.support.diagnostics import Diagnostic, ScaleError
from scalelang.support.resources import grammar_text
from scalelang.support.span import Span
from scalelang.support.version import __version__

STATEMENT_KEYWORDS = (
    "problem", "import", "scale", "constant", "noise", "input", "teacher", "target", "layer",
    "conv", "attention", "readout", "patterns", "predict", "assume", "activation", "function",
    "pattern",
)  # fmt: skip
PATTERN_KEYWORDS = ("param", "cost", "amplify", "spike", "end")
MAX_NESTING = 100  # why: the tree is built, checked and lowered by recursive code (ours, lark's,
#                    sympy's); past this depth Python's recursion limit would end it in a traceback


# What the parser is built with (``parser``); part of the key of its cached copy.
PARSER_OPTIONS = {
    "start": ["module", "expr"],
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": True,
    "maybe_placeholders": True,
}


@lru_cache(maxsize=1)
def parser() -> Lark:
    """The lark parser for whole files (start ``module``) and lone expressions (start ``expr``).

    Building its LALR tables takes about as long as checking a small file, so the built parser
    is kept in scalelang's cache folder (``support.cache``) under a key of everything it is
    built from (``parser_key``). A copy that is missing, unreadable, corrupt or of another key
    is rebuilt (and rewritten); a folder that cannot be written is skipped."""
    grammar = grammar_text()
    key = parser_key(grammar)
    return _cached_parser(key) or _built_parser(grammar, key)


def parser_key(grammar: str) -> str:
    """The cached parser's key: a hash of the grammar's text, the options, and the versions of
    lark (the tables' format), scalelang and Python (the pickle's)."""
    parts = (grammar, repr(sorted(PARSER_OPTIONS.items())), lark.__version__, __version__)
    digest = hashlib.sha256("\0".join((*parts, sys.version)).encode("utf-8"))
    return f"parser-{__version__}-{digest.hexdigest()[:32]}.lark"


def _cached_parser(key: str) -> Lark | None:
    """The parser kept under ``key`` (lark's own serialization, ``Lark.save``), or None when there
    is none or it does not load."""
    saved = cache.read_keyed(key)
    if saved is None:
        return None
    try:
        return Lark.load(io.BytesIO(saved))
    except Exception:  # a corrupt or cut file: what unpickling raises varies; build afresh
        return None


def _built_parser(grammar: str, key: str) -> Lark:
    built = Lark(grammar, **PARSER_OPTIONS)
    saved = io.BytesIO()
    built.save(saved)
    cache.write_keyed(key, saved.getvalue())
    return built


def parse(text: str, path: str = "<string>") -> ast.Module:
    """Parse a whole file; raise ScaleError listing every line that does not parse."""
    module, diagnostics, _ = parse_partial(text, path)
    if diagnostics:
        raise ScaleError(diagnostics, sources={path: text})
    return module


def parse_partial(
    text: str, path: str = "<string>"
) -> tuple[ast.Module, list[Diagnostic], frozenset[str]]:
    """Parse as much as possible.

    Returns the module of every statement that parsed, the syntax errors, and the names that occur
    in the lines that did not parse (a later check should not call those names undeclared: the
    broken line may have declared them).
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors write: not content
    lines = text.split("\n")
    try:
        tree = parser().parse(text + "\n", start="module")
    except UnexpectedInput:
        pass
    else:
        diagnostics, broken = _drop_deep_statements(tree, path, lines)
        return _Builder(path, text).transform(tree), diagnostics, frozenset(broken)
    statements: list = []
    diagnostics: list[Diagnostic] = []
    broken: set[str] = set()
    for first, last in _chunks(lines):
        # Each statement is parsed on its own and its places shifted by ``first`` lines (padding
        # it with ``first`` newlines instead made a long file's recovery quadratic).
        chunk = "\n".join(lines[first:last]) + "\n"
        try:
            tree = parser().parse(chunk, start="module")
        except UnexpectedInput as exc:
            diagnostics.append(_shifted(_diagnostic(exc, path, chunk), first))
            for line in lines[first:last]:
                broken.update(re.findall(r"[^\W\d]\w*", line.split("#", 1)[0]))
            continue
        deep, names = _drop_deep_statements(tree, path, lines, first)
        diagnostics.extend(deep)
        broken.update(names)
        statements.extend(_Builder(path, chunk, line_shift=first).transform(tree).statements)
    span = Span(path, 1, 1, max(len(lines), 1), 1)
    return ast.Module(path, tuple(statements), span), diagnostics, frozenset(broken)


def parse_expr(
    text: str,
    path: str = "<string>",
    line: int = 1,
    column: int = 1,
    surface: Surface = COMMAND_LINE,
) -> ast.Expr:
    """Parse a lone expression (the right side of a ``--set``) whose first character is at
    ``line``:``column`` of ``path``; raise ScaleError if it does not parse. ``surface``: where
    the override was given, which the hints name."""
    padded = " " * (column - 1) + text
    if "\n" in text or "\r" in text:
        at = column + min(i for i in (text.find("\n"), text.find("\r")) if i >= 0)
        raise ScaleError(
            [
                Diagnostic(
                    Span(path, line, at, line, at + 1),
                    "a line break inside an override's value",
                    f"write the value on one line, such as {surface.words('N', 'd^(1/2)')}",
                )
            ]
        )
    try:
        tree = parser().parse(padded, start="expr")
    except UnexpectedInput as exc:
        diag = _diagnostic(exc, path, padded, expression=surface)
        shifted = dataclasses.replace(diag.span, line=line, end_line=line)
        raise ScaleError([dataclasses.replace(diag, span=shifted)]) from None
    depth = _nesting(tree)
    if depth > MAX_NESTING:
        span = Span(path, line, column, line, column + len(text))
        raise ScaleError([_too_deep(span, depth)])
    return _Builder(path, padded, line - 1).transform(tree)


def _nesting(tree: Tree) -> int:
    """How deeply the tree's nodes nest, counted without recursion (the tree may be deep)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tree))
    return deepest


def _too_deep(span: Span, depth: int) -> Diagnostic:
    return Diagnostic(
        span,
        f"an expression here nests {depth} levels deep; scalelang handles at most {MAX_NESTING}",
        "each term of a sum, factor of a product, sign or power adds a level: write it more "
        "simply, or name parts of it with `constant` or `function`",
    )


def _drop_deep_statements(
    tree: Tree, path: str, lines: list[str], shift: int = 0
) -> tuple[list[Diagnostic], set[str]]:
    """Remove from a parsed module the statements nested too deeply to build, and report each
    at its line (the tree's lines plus ``shift``); also return the names on those lines (see
    ``parse_partial``)."""
    diagnostics, names, kept = [], set(), []
    for child in tree.children:
        depth = _nesting(child) if isinstance(child, Tree) else 0
        if depth <= MAX_NESTING:
            kept.append(child)
            continue
        meta = child.meta
        at = meta.line + shift
        diagnostics.append(_too_deep(Span(path, at, meta.column, at, meta.column + 1), depth))
        for line in lines[at - 1 : meta.end_line + shift]:
            names.update(re.findall(r"[^\W\d]\w*", line.split("#", 1)[0]))
    tree.children = kept
    return diagnostics, names


def _shifted(diagnostic: Diagnostic, lines: int) -> Diagnostic:
    """``diagnostic`` moved down by ``lines`` (found in a statement parsed on its own)."""
    span = diagnostic.span
    moved = dataclasses.replace(span, line=span.line + lines, end_line=span.end_line + lines)
    return dataclasses.replace(diagnostic, span=moved)


def _first_word(line: str) -> str:
    match = re.match(r"\s*([^\W\d]\w*)", line.split("#", 1)[0])
    return match.group(1) if match else ""


def _chunks(lines: list[str]):
    """(first, last) line ranges of the statements, guessed from each line's first word."""
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].split("#", 1)[0].strip():
            i += 1
            continue
        j = i + 1
        if _first_word(lines[i]) == "pattern":
            while j < n:
                word = _first_word(lines[j])
                j += 1
                if word == "end":
                    break
                if word in STATEMENT_KEYWORDS:
                    j -= 1
                    break
        yield i, j
        i = j


# ---- building the AST -------------------------------------------------------------------------


@v_args(meta=True)
class _Builder(Transformer):
    """lark tree -> ast nodes. One method per grammar rule (or alias)."""

    def __init__(self, path: str, text: str, line_shift: int = 0) -> None:
        super().__init__(visit_tokens=False)
        self.path = path
        self.lines = text.split("\n")
        self.shift = line_shift

    def _span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.path, 1, 1, 1, 1)
        return Span(
            self.path,
            meta.line + self.shift,
            meta.column,
            meta.end_line + self.shift,
            meta.end_column,
        )

    def _name(self, tok: Token) -> ast.Name:
        span = Span(
            self.path, tok.line + self.shift, tok.column, tok.end_line + self.shift, tok.end_column
        )
        return ast.Name(str(tok), span)

    def _text(self, span: Span) -> str:
        line = span.line - self.shift
        if span.line != span.end_line or not 1 <= line <= len(self.lines):
            return ""
        return self.lines[line - 1][span.column - 1 : span.end_column - 1]

    # module and statements

    def module(self, meta, children):
        statements = tuple(c for c in children if c is not None)
        return ast.Module(self.path, statements, self._span(meta))

    def problem_stmt(self, meta, ch):
        return ast.ProblemStmt(self._name(ch[0]), self._span(meta))

    def import_stmt(self, meta, ch):
        return ast.Import(str(ch[0])[1:-1], self._span(meta))

    def scale_stmt(self, meta, ch):
        return ast.ScaleStmt(tuple(ch), self._span(meta))

    def scale_item(self, meta, ch):
        return ast.ScaleItem(self._name(ch[0]), ch[1] if len(ch) > 1 else None, self._span(meta))

    def constant_stmt(self, meta, ch):
        return ast.Constant(self._name(ch[0]), ch[1] if len(ch) > 1 else None, self._span(meta))

    def noise_stmt(self, meta, ch):
        return ast.Noise(self._name(ch[0]), ch[1], self._span(meta))

    def input_stmt(self, meta, ch):
        tokens = ch[2] if len(ch) > 2 else None
        return ast.InputStmt(self._name(ch[0]), ch[1], self._span(meta), tokens)

    def tokens(self, meta, ch):
        return ast.Tokens(ch[0], self._name(ch[1]), self._span(meta))

    def teacher_stmt(self, meta, ch):
        return ast.TeacherStmt(self._name(ch[0]), ch[1], self._span(meta))

    def target_stmt(self, meta, ch):
        expr = ch[1]
        return ast.Target(self._name(ch[0]), expr, self._text(expr.span), self._span(meta))

    def layer_stmt(self, meta, ch):
        name, activation, weight, inp, width, prior = ch
        return ast.LayerStmt(
            self._name(name), activation, self._name(weight), self._name(inp), width, prior,
            self._span(meta),
        )  # fmt: skip

    def conv_stmt(self, meta, ch):
        name, activation, weight, inp, channels, patches, prior = ch
        return ast.LayerStmt(
            self._name(name), activation, self._name(weight), self._name(inp), channels, prior,
            self._span(meta), kind="conv", patches=patches,
        )  # fmt: skip

    def attention_stmt(self, meta, ch):
        (
            name,
            normalizer,
            query,
            weight,
            key,
            value_weight,
            value_input,
            heads,
            prior,
            value_prior,
        ) = ch
        return ast.AttentionStmt(
            self._name(name), self._name(normalizer), self._name(query), self._name(weight),
            self._name(key), self._name(value_weight), self._name(value_input), heads, prior,
            value_prior, self._span(meta),
        )  # fmt: skip

    def readout_stmt(self, meta, ch):
        name, weight, inp, prior = ch
        return ast.ReadoutStmt(
            self._name(name), self._name(weight), self._name(inp), prior, self._span(meta)
        )

    def prior(self, meta, ch):
        return ast.Prior(self._name(ch[0]), ch[1], self._span(meta))

    def patterns_stmt(self, meta, ch):
        return ast.PatternsStmt(self._name(ch[0]), tuple(ch[1:]), self._span(meta))

    def pattern_choice(self, meta, ch):
        names = tuple(self._name(t) for t in ch)
        return names[0] if len(names) == 1 else ast.Mixture(names, self._span(meta))

    def assume_stmt(self, meta, ch):
        return ast.Assume(ch[0], str(ch[1]), ch[2], self._span(meta))

    def predict_stmt(self, meta, ch):
        return ast.Predict(self._name(ch[0]), self._span(meta))

    # declarations

    def activation_name(self, meta, ch):
        text = str(ch[0]) if len(ch) == 1 or ch[1] is None else f"{ch[0]}^{ch[1]}"
        return ast.Name(text, self._span(meta))

    def activation_decl(self, meta, ch):
        return ast.ActivationDecl(ch[0], self._name(ch[1]), ch[2], self._span(meta))

    def function_decl(self, meta, ch):
        params = tuple(self._name(t) for t in ch[1:-1] if t is not None)
        return ast.FunctionDecl(self._name(ch[0]), params, ch[-1], self._span(meta))

    def pattern_decl(self, meta, ch):
        name, rest = ch[0], ch[1:]
        doc = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            doc = str(rest[0])[1:-1]
            rest = rest[1:]
        elif rest and rest[0] is None:
            rest = rest[1:]
        lines = tuple(r for r in rest if r is not None)
        return ast.PatternDecl(self._name(name), doc, lines, self._span(meta))

    def bound_open(self, meta, ch):
        return str(ch[0])

    bound_close = bound_open

    def param_line(self, meta, ch):
        name, opening, lower, upper, closing = ch
        return ast.ParamLine(
            self._name(name), lower, upper, opening == "[", closing == "]", self._span(meta)
        )

    def cost_line(self, meta, ch):
        return ast.CostLine(ch[0], self._span(meta))

    def amplify_line(self, meta, ch):
        return ast.AmplifyLine(ch[0], self._span(meta))

    def spike_line(self, meta, ch):
        return ast.SpikeLine(ch[0], self._name(ch[1]), self._span(meta))

    # expressions

    def number(self, meta, ch):
        return ast.Number(str(ch[0]), self._span(meta))

    def name(self, meta, ch):
        return self._name(ch[0])

    def _binop(op):  # noqa: N805 - a method factory used in the class body
        def build(self, meta, ch):
            return ast.BinOp(op, ch[0], ch[1], self._span(meta))

        return build

    add, sub, mul, div, pow = _binop("+"), _binop("-"), _binop("*"), _binop("/"), _binop("^")

    def neg(self, meta, ch):
        return ast.Neg(ch[0], self._span(meta))

    def call(self, meta, ch):
        args = tuple(c for c in ch[1:] if c is not None)
        return ast.Call(self._name(ch[0]), args, self._span(meta))

    def dot(self, meta, ch):
        return ast.Dot(self._name(ch[0]), self._name(ch[1]), self._span(meta))


# ---- syntax errors in plain words -------------------------------------------------------------

# Common mistakes, each shown by a few lines that make it (each must fail to parse); lark's
# match_examples finds the one whose parser state matches the error.
_EXAMPLES = {
    "a layer needs a width before its prior: "
    "`layer h = erf(W x) width N prior W ~ normal(0, 1/d)`": [
        "layer h = erf(W x) prior W ~ normal(0, 1/d)\n",
    ],
    "a layer needs a prior after its width: `... width N prior W ~ normal(0, 1/d)`": [
        "layer h = erf(W x) width N\n",
    ],
    "a layer applies its activation to a weight times its input, written `erf(W x)`": [
        "layer h = erf(W, x) width N prior W ~ normal(0, 1/d)\n",
        "layer h = erf(x) width N prior W ~ normal(0, 1/d)\n",
        "layer h = erf(W * x) width N prior W ~ normal(0, 1/d)\n",
        "layer h = erf W x width N prior W ~ normal(0, 1/d)\n",
    ],
    "an attention head is written `attention f = softmax(q W x) V x heads H prior W ~ normal(0, "
    "1/d^2) "
    "prior V ~ normal(0, 1/d)`": [
        "attention f = softmax(q W x) V x prior W ~ normal(0, 1/d^2) prior V ~ normal(0, 1/d)\n",
        "attention f = softmax(q W x) V x heads H prior W ~ normal(0, 1/d^2)\n",
        "attention f = softmax(q W x) heads H prior W ~ normal(0, 1/d^2) prior V ~ normal(0, "
        "1/d)\n",
        "attention f = softmax(W x) V x heads H prior W ~ normal(0, 1/d^2) prior V ~ normal(0, "
        "1/d)\n",
    ],
    "context tokens are written `input x ~ gaussian(d) tokens L query q`": [
        "input x ~ gaussian(d) tokens L\n",
        "input x ~ gaussian(d) query q\n",
    ],
    "a readout is written `readout f = a . h prior a ~ normal(0, 1/N)`": [
        "readout f = a h prior a ~ normal(0, 1/N)\n",
        "readout f = a * h prior a ~ normal(0, 1/N)\n",
        "readout f = a . h\n",
    ],
    "two names in a row: write a projection as `w . x` and a product as `a * b`": [
        "target y = He3(w x)\n",
        "noise k = a b\n",
    ],
    "separate the scales with commas: `scale A, B`": ["scale d N\n"],
    "a patterns line is written `patterns h: gp | spec`": [
        "patterns h gp | spec\n",
        "patterns h: gp, spec\n",
        "patterns h: gp spec\n",
    ],
    "a distribution takes its arguments in parentheses, e.g. `gaussian(d)` or `normal(0, 1/d)`": [
        "input x ~ gaussian\n",
        "teacher w ~ sphere\n",
        "layer h = erf(W x) width N prior W ~ normal\n",
    ],
    "a parameter's range is an interval such as `[1, inf)` or `(0, width]`": [
        "pattern p\nparam D in 1, inf)\nend\n",
        "pattern p\nparam D [1, inf)\nend\n",
        "pattern p\nparam D in [1 inf)\nend\n",
    ],
    "a spike says what it carries: `spike M carrying activation` or `spike M carrying linear`": [
        "pattern p\nspike M\nend\n",
    ],
    "a pattern block must be closed by a line `end`": [
        "pattern p\ncost 0\n",
        "pattern p\ncost 0\n\n",
        "pattern p\ncost 0",
    ],
    'write an import as `import "path/to/module.scale"`': ["import foo\n"],
}


@lru_cache(maxsize=1)
def _example_errors() -> tuple:
    """(label, parser state, accepted terminals, token) of every example in ``_EXAMPLES``."""
    found = []
    for label, texts in _EXAMPLES.items():
        for text in texts:
            try:
                parser().parse(text, start="module")
            except UnexpectedToken as exc:
                found.append((label, exc.state.position, frozenset(exc.accepts or ()), exc.token))
    return tuple(found)


def _match_example(exc: UnexpectedToken) -> str | None:
    """The label of the example that failed in the same parser state (like lark's
    ``match_examples``, but blind to how many lines came before: the stack depth differs)."""
    if exc.state is None:
        return None
    position, accepts = exc.state.position, frozenset(exc.accepts or ())
    candidate = None
    for label, ex_position, ex_accepts, ex_token in _example_errors():
        if ex_position == position and ex_accepts == accepts:
            if ex_token.type == exc.token.type and str(ex_token) == str(exc.token):
                return label
            if candidate is None or ex_token.type == exc.token.type:
                candidate = label
    return candidate


_READABLE = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": 'a quoted string ("...")',
    "_NL": "the end of the line",
    "$END": "the end of the file",
}


def _describe(terminal: str) -> str:
    if terminal in _READABLE:
        return _READABLE[terminal]
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    if isinstance(pattern, PatternStr):
        return f"'{pattern.value}'"
    return terminal.lower()


def _expected(names) -> str:
    words = sorted({_describe(t) for t in names})
    if len(words) > 8:
        words = words[:8] + ["..."]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _diagnostic(
    exc: UnexpectedInput, path: str, text: str, expression: Surface | None = None
) -> Diagnostic:
    """One lark exception as a positioned, plain-language diagnostic."""
    lines = text.split("\n")
    if isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream] if 0 <= exc.pos_in_stream < len(text) else "?"
        span = Span(path, exc.line, exc.column, exc.line, exc.column + 1)
        return Diagnostic(span, f"unexpected character {char!r}", _char_hint(char))
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        line = tok.line if isinstance(tok.line, int) else len(lines)
        column = tok.column if isinstance(tok.column, int) else 1
        if tok.type in ("_NL", "$END"):
            # Point just past the last character of the line that ended too early.
            line = min(line, len(lines)) if tok.type == "_NL" else _last_line(lines)
            column = len(lines[line - 1].split("#", 1)[0].rstrip()) + 1 if lines else 1
            span = Span(path, line, column, line, column + 1)
        else:
            span = Span(path, line, column, line, column + max(len(str(tok)), 1))
        label = None if expression is not None else _match_example(exc)
        expected = set(exc.expected or ()) | set(getattr(exc, "accepts", None) or ())
        if label:
            return Diagnostic(span, label)
        if tok.type == "NAME" and expected & {k.upper() for k in STATEMENT_KEYWORDS}:
            return Diagnostic(
                span,
                f"unknown statement {str(tok)!r}",
                "a line starts with one of: " + ", ".join(STATEMENT_KEYWORDS),
            )
        if tok.type == "NAME" and expected & {k.upper() for k in PATTERN_KEYWORDS}:
            return Diagnostic(
                span,
                f"unknown line {str(tok)!r} in a pattern block",
                "a pattern's lines start with param, cost, amplify or spike; the block ends with "
                "end",
            )
        if expression is not None and not expected - {"$END"} and tok.type not in ("_NL", "$END"):
            return Diagnostic(
                span,
                f"unexpected {_describe_token(tok)} after a complete expression",
                "an override's value is one expression, such as d^(1/2); give each "
                f"override its own {expression.one_each}",
            )
        if tok.type in ("_NL", "$END"):
            return Diagnostic(span, f"the line ends too early: expected {_expected(expected)}")
        return Diagnostic(
            span, f"unexpected {_describe_token(tok)}: expected {_expected(expected)}"
        )
    if isinstance(exc, UnexpectedEOF):
        line = _last_line(lines)
        column = len(lines[line - 1]) + 1 if lines else 1
        return Diagnostic(Span(path, line, column, line, column + 1), "unexpected end of the file")
    return Diagnostic(Span(path, 1, 1, 1, 2), f"syntax error: {exc}")


def _describe_token(tok: Token) -> str:
    if tok.type == "NAME":
        return f"name {str(tok)!r}"
    if tok.type == "NUMBER":
        return f"number {str(tok)}"
    return f"{str(tok)!r}"


def _last_line(lines: list[str]) -> int:
    for i in range(len(lines), 0, -1):
        if lines[i - 1].split("#", 1)[0].strip():
            return i
    return 1


def _char_hint(char: str) -> str | None:
    if char == '"':
        return "a quoted string must end on the same line"
    if char in "{}":
        return "scalelang has no braces: one statement per line"
    if char == ";":
        return "scalelang has no semicolons: one statement per line"
    return _LOOKALIKES.get(char)


# Characters pasted from typeset mathematics, and what to type instead.
_LOOKALIKES = {
    "\u00b7": "write the dot product with '.': w . x",
    "\u22c5": "write the dot product with '.': w . x",
    "\u2022": "write the dot product with '.': w . x",
    "\u00d7": "write a product with '*'",
    "\u2212": "write a minus sign with '-'",
    "\u2013": "write a minus sign with '-'",
    "\u00b2": "write a power with '^': z^2",
    "\u00b3": "write a power with '^': z^3",
    "\u221a": "write a square root as a power: N^(1/2)",
    "\u2264": "write '<='",
    "\u2265": "write '>='",
}
