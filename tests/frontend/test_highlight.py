"""Highlighting (scalelang/frontend/highlight.py) colours what the parser reads: its word lists
are held against the Lark grammar, the checker's built-in functions and the stdlib's
declarations; the committed TextMate grammar is the generated one; and the Pygments lexer, found
through the package's entry point, reads every example and stdlib module without an error token."""

import json
import re
from pathlib import Path

import lark
import pytest

from scalelang.frontend import highlight
from scalelang.frontend.expressions import BUILTINS
from scalelang.support.resources import grammar_text, stdlib_modules, stdlib_path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "examples").glob("*.scale")) + [stdlib_path(m) for m in stdlib_modules()]


def grammar():
    return lark.Lark(grammar_text(), parser="lalr", start="module")


def keyword_of(parser, terminal_name):
    pattern = next(t.pattern for t in parser.terminals if t.name == terminal_name)
    word = pattern.value if pattern.type == "str" else None
    return word if word and re.fullmatch(r"[a-z]+", word) else None


def test_the_keywords_are_the_grammars():
    parser = grammar()
    words = {keyword_of(parser, t.name) for t in parser.terminals} - {None}
    assert set(highlight.STATEMENTS) | set(highlight.CLAUSES) == words


def test_statement_words_are_those_that_start_a_statement():
    parser = grammar()
    first = {
        keyword_of(parser, rule.expansion[0].name)
        for rule in parser.rules
        if rule.origin.name.endswith(("_stmt", "_decl")) and rule.expansion
    } - {None}
    assert set(highlight.STATEMENTS) == first


def test_builtin_functions_are_the_checkers():
    assert set(highlight.FUNCTIONS) == set(BUILTINS)


def test_stdlib_names_are_what_the_stdlib_declares():
    """Read from the modules: an activation, a target function and a pattern are among them,
    a power activation (x^2) is not (its own rule colours it), and no keyword is."""
    names = set(highlight.stdlib_names())
    assert {"erf", "cubic", "staircase"} <= names and len(names) >= 15
    assert not {n for n in names if n.startswith("x^")}
    assert not names & (set(highlight.STATEMENTS) | set(highlight.CLAUSES))


def test_the_committed_textmate_grammar_is_the_generated_one():
    committed = json.loads((ROOT / "editors" / "scale.tmLanguage.json").read_text())
    assert committed == highlight.textmate(), "regenerate: python -m scalelang.frontend.highlight"
    for rule in committed["patterns"]:
        re.compile(rule["match"])  # Oniguruma reads these; Python's re is a close check


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_the_lexer_reads_every_file_without_an_error_token(path):
    pygments = pytest.importorskip("pygments")
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Error, Keyword, Name

    try:
        lexer = get_lexer_by_name("scale")  # through the entry point of an installed scalelang
    except pygments.util.ClassNotFound:
        lexer = highlight.lexer_class()()
    tokens = list(lexer.get_tokens(path.read_text(encoding="utf-8")))
    assert not [value for kind, value in tokens if kind in Error]
    keywords = {value for kind, value in tokens if kind in Keyword}
    assert keywords, "no keyword coloured"
    assert all(kind not in Name.Builtin for kind, value in tokens if value in {"x", "N", "d"})
