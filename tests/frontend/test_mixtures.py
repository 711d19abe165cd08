"""Mixtures in a patterns line (``patterns h: gp | spec + gfl``): the syntax, the name the
answer gives them, and every check with the line and column it points at."""

from pathlib import Path

from scalelang.frontend import ast, printer
from scalelang.frontend.syntax import parse

from .helpers import BASE, load, one_error, replace_line

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

TWO = BASE.replace("teacher w ~ sphere(d)", "teacher w ~ sphere(d)\nteacher v ~ sphere(d)").replace(
    "target y = He3(w . x)", "target y = He3(w . x) + He1(v . x)"
)  # the patterns line is line 11


def test_a_mixture_parses_prints_and_is_allowed_by_its_name():
    text = replace_line(11, "patterns h: gp | spec + gfl | spec", TWO)
    stmt = next(s for s in parse(text, "t.scale").statements if isinstance(s, ast.PatternsStmt))
    mixture = stmt.patterns[1]
    assert isinstance(mixture, ast.Mixture)
    assert [p.id for p in mixture.parts] == ["spec", "gfl"]
    assert (mixture.span.line, mixture.span.column) == (11, 18)
    assert printer.print_statement(stmt) == "patterns h: gp | spec + gfl | spec"
    problem = load(text)
    assert problem.allowed_patterns["h"] == ("gp", "spec + gfl", "spec")
    assert [p.name for p in problem.pattern_parts("spec + gfl")] == ["spec", "gfl"]


def test_a_lazy_pattern_in_a_mixture():
    line, col, msg = one_error(replace_line(11, "patterns h: gp | spec + gp", TWO))
    assert (line, col) == (11, 25)
    assert msg == "gp in a mixture: the neurons no group takes are lazy already"


def test_more_groups_than_the_target_has_directions():
    line, col, msg = one_error(replace_line(11, "patterns h: spec + gfl + spec", TWO))
    assert (line, col) == (11, 13)
    assert (
        msg == "a mixture of 3 groups needs as many directions of the target, and this target has 2"
    )
    line, col, msg = one_error(replace_line(10, "patterns h: spec + gfl"))
    assert msg.endswith("and this target has none")


def test_an_unknown_pattern_in_a_mixture_and_a_mixture_listed_twice():
    line, col, msg = one_error(replace_line(11, "patterns h: spec + lock", TWO))
    assert (line, col, msg) == (11, 20, "unknown pattern 'lock'")
    line, col, msg = one_error(replace_line(11, "patterns h: spec + gfl | spec + gfl", TWO))
    assert (line, col, msg) == (11, 26, "pattern spec + gfl is listed twice")


def test_a_mixture_is_named_as_the_problem_splits_it():
    from scalelang.problem import MIXED

    text = replace_line(11, "patterns h: spec + gfl", TWO)
    (choice,) = load(text).allowed_patterns["h"]
    assert choice.split(MIXED) == ["spec", "gfl"]


def test_a_mixture_in_a_convolution():
    text = (EXAMPLES / "cnn_patches.scale").read_text()
    text = text.replace("teacher w ~ sphere(d)", "teacher w ~ sphere(d)\nteacher v ~ sphere(d)")
    text = text.replace("target  y = He3(w . x)", "target  y = He3(w . x) + He3(v . x)")
    text = text.replace("predict P", "patterns h: gp | spec + gfl\npredict P")
    line, col, msg = one_error(text)
    assert msg == "groups in one layer are derived for networks of dense layers only"
    assert text.splitlines()[line - 1][col - 1 :].startswith("spec + gfl")
