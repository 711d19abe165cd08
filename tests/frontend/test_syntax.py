"""Syntax errors: plain words, exact positions, every broken line reported in one run."""

import pytest

from scalelang.frontend.syntax import parse
from scalelang.support.diagnostics import ScaleError, format_diagnostic

from .helpers import BASE, errors, replace_line


def syntax_errors(text):
    with pytest.raises(ScaleError) as info:
        parse(text, "t.scale")
    return [(d.span.line, d.span.column, d.message) for d in info.value.diagnostics]


@pytest.mark.parametrize(
    "line, col, message",
    [
        ("scale d N", 9, "separate the scales with commas: `scale A, B`"),
        (
            "layer h = erf(W x) prior W ~ normal(0, 1/d)",
            20,
            "a layer needs a width before its prior",
        ),
        ("layer h = erf(W x) width N", 27, "a layer needs a prior after its width"),
        ("target y = He3(w x)", 18, "two names in a row"),
        ("readout f = a h prior a ~ normal(0, 1/N)", 15, "a readout is written"),
        ("patterns h gp | spec", 12, "a patterns line is written"),
        ("input x ~ gaussian", 19, "a distribution takes its arguments in parentheses"),
        ("foo bar", 1, "unknown statement 'foo'"),
        ("scale N = d $", 13, "unexpected character '$'"),
        ("noise k = 1 +", 14, "the line ends too early"),
    ],
)
def test_syntax_messages(line, col, message):
    [(row, c, msg)] = syntax_errors(line + "\n")
    assert (row, c) == (1, col)
    assert msg.startswith(message)


def test_every_broken_line_is_reported():
    text = "scale d N\nscale P\nfoo\nlayer h = erf(W x) width N\n"
    assert [(row, c) for row, c, _ in syntax_errors(text)] == [(1, 9), (3, 1), (4, 27)]


def test_pattern_block_without_end():
    text = "pattern p\n    cost 0\nscale d\n"
    [(row, c, msg)] = syntax_errors(text)
    assert row == 2 and msg == "a pattern block must be closed by a line `end`"


def test_syntax_and_check_errors_together_without_noise():
    # line 2 is broken (it declared d and N): no "undeclared scale" errors follow from it,
    # but the unrelated mistake on line 10 is still found.
    text = replace_line(2, "scale d N")
    text = replace_line(10, "patterns h: gp | lazy", text)
    assert errors(text) == [
        (2, 9, "separate the scales with commas: `scale A, B`"),
        (10, 18, "unknown pattern 'lazy'"),
    ]


def test_format_diagnostic_caret_and_hint():
    try:
        parse("foo bar\n", "t.scale")
    except ScaleError as err:
        text = format_diagnostic(err.diagnostics[0], "foo bar\n")
    assert text.splitlines() == [
        "t.scale:1:1: error: unknown statement 'foo'",
        "    foo bar",
        "    ^~~",
        "  hint: a line starts with one of: problem, import, scale, constant, noise, input, "
        "teacher, "
        "target, layer, conv, attention, readout, patterns, predict, assume, activation, function, "
        "pattern",
    ]


def test_comments_and_blank_lines_are_ignored():
    text = "# a comment\n\n" + BASE.replace("scale P", "scale P   # samples")
    assert parse(text, "t.scale").statements[1].items[0].name.span.line == 4


def test_ast_repr_is_readable():
    module = parse("scale N = d^nu\n", "t.scale")
    assert repr(module.statements[0]) == (
        "ScaleStmt(items=(ScaleItem(name=Name(id='N'), definition=BinOp(op='^', "
        "left=Name(id='d'), right=Name(id='nu'))),))"
    )


@pytest.mark.parametrize(
    "line, text",
    [
        (7, "target y = " + " + ".join(["He1(w . x)"] * 600)),
        (4, "noise kappa = " + "-" * 1000 + "1"),
        (8, "layer h = erf(W x) width N prior W ~ normal(0, 1/" + "d^" * 1000 + "1)"),
    ],
)
def test_deep_expressions_are_positioned_errors(line, text):
    """Expressions too deep for the recursive code behind the parser get one error at their
    statement, not a RecursionError, and nothing follows from the statement's absence."""
    [(row, c, message)] = errors(replace_line(line, text))
    assert (row, c) == (line, 1)
    assert message.startswith("an expression here nests") and "at most 100" in message


def test_expressions_just_within_the_nesting_limit_are_solved():
    """A target of 45 terms (its statement nests 2 levels per term) still goes through."""
    from scalelang.api import load as load_api

    text = replace_line(7, "target y = " + " + ".join(["He1(w . x)"] * 45))
    assert load_api(text).solve(N="d").to_json()["p_star"]["exponents"]


def test_a_deep_override_is_a_positioned_error():
    [(line, column, message)] = errors(BASE, overrides={"N": "d" + "^d" * 300})
    assert (line, column) == (1, 3) and message.startswith("an expression here nests")


def test_a_pattern_block_left_open_at_the_end_of_the_file():
    for text in ("pattern p\n    cost 0\n", "pattern p\n    cost 0\n\n", "pattern p\n    cost 0"):
        [(line, _, msg)] = syntax_errors(text)
        assert line == 2 and msg == "a pattern block must be closed by a line `end`"


def test_a_byte_order_mark_is_not_content():
    from scalelang.frontend.load import load_problem

    assert load_problem("t.scale", text="\ufeff" + BASE).name == "t"


def test_recovery_places_errors_far_down_a_long_file():
    """Each statement is parsed on its own after a syntax error and shifted to its line: an error,
    and a too-deep expression, far down a long file are reported at their own lines."""
    from scalelang.frontend.syntax import MAX_NESTING, parse_partial

    head = "scale d\n" + "".join(f"scale N{i}\n" for i in range(300))
    deep = "-" * (2 * MAX_NESTING) + "1"
    text = head + "layer h = = erf\n" + "scale Q\n" + f"noise c = {deep}\n" + "scale R\n"
    module, diagnostics, broken = parse_partial(text, "long.scale")
    assert [d.span.line for d in diagnostics] == [302, 304]
    assert diagnostics[0].span.column == 11
    assert diagnostics[1].message.startswith("an expression here nests")
    assert len(module.statements) == 301 + 2
    assert module.statements[-1].span.line == 305
    assert "h" in broken and "c" in broken
