"""Lines are numbered as the parser numbers them: at \\n alone.

``str.splitlines`` also breaks at \\v, \\f, \\x1c-\\x1e, \\x85, \\u2028 and \\u2029; one of them
in a comment would make every later error show the text of another line, its caret under
nothing."""

import pytest

from scalelang.cli import main
from scalelang.support.diagnostics import ScaleError, format_error

from .helpers import load, replace_line

BREAKS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def _with_comment(text: str, char: str) -> str:
    """``text`` with a comment holding ``char`` on line 2, before everything after it."""
    return text.replace("scale d, N\n", f"scale d, N   # widths{char}and dimension\n")


def _formatted(text: str) -> list[str]:
    with pytest.raises(ScaleError) as caught:
        load(text)
    return format_error(caught.value, {"t.scale": text}).split("\n")


@pytest.mark.parametrize("char", BREAKS, ids=repr)
def test_an_error_after_a_comment_with_a_line_break_character_shows_its_own_line(char):
    text = _with_comment(replace_line(11, "predict P +"), char)
    shown = _formatted(text)
    assert shown[0].startswith("t.scale:11:11: error: unexpected '+'")
    assert shown[1:3] == ["    predict P +", "              ^"]


@pytest.mark.parametrize("char", BREAKS, ids=repr)
def test_the_line_of_the_error_shows_such_a_character_as_one_space(char):
    text = replace_line(11, f"predict Q  # a{char}b")
    shown = _formatted(text)
    assert shown[0].startswith("t.scale:11:9: error: predict needs a scale, and 'Q'")
    assert shown[1:3] == ["    predict Q  # a b", "            ^"]


@pytest.mark.parametrize("char", BREAKS, ids=repr)
def test_a_warning_quotes_the_text_of_its_own_line(char):
    text = _with_comment(
        replace_line(8, "layer h = erf(W x) width N prior W ~ normal(0, d^3/2)"), char
    )
    [warning] = load(text).warnings
    assert (warning.span.line, warning.span.column) == (8, 48)
    assert warning.message.startswith("d^3/2 reads as (d^3)/2")


@pytest.mark.parametrize("char", BREAKS, ids=repr)
def test_the_command_line_reads_the_file_as_the_parser_does(tmp_path, capsys, char):
    path = tmp_path / "t.scale"
    path.write_text(_with_comment(replace_line(11, "predict P +"), char), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err.split("\n")
    assert err[1:3] == ["    predict P +", "              ^"]


def test_after_a_byte_order_mark_the_caret_stands_under_the_column():
    text = "\ufeff" + replace_line(1, "problem t +")
    assert _formatted(text)[1:3] == ["    problem t +", "              ^"]


def test_windows_line_ends_are_not_shown():
    text = replace_line(11, "predict P +").replace("\n", "\r\n")
    assert _formatted(text)[1:3] == ["    predict P +", "              ^"]
