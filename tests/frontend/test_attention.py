"""The attention head in the front end: syntax, checks with positions, IR fields, round trip."""

from pathlib import Path

import sympy

from scalelang.frontend import ast, printer
from scalelang.frontend.syntax import parse

from .helpers import errors, load, one_error

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "examples" / "attention_head.scale").read_text()
HEAD = (
    "attention f = softmax(q W x) V x  heads 1  prior W ~ normal(0, 1/d^2)  "
    "prior V ~ normal(0, 1/d)"
)
TARGET = "He1(u . q) * He1(w . x) * He1(v . x)"


def edit(old: str, new: str, base: str = BASE) -> str:
    assert old in base, old
    return base.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


def test_problem_fields():
    problem = load(BASE)
    (layer,) = problem.layers
    assert layer.kind == "attention" and layer.name == "f" and layer.query == "q"
    assert layer.weight == "W" and layer.input_name == "x" and layer.width == 1
    assert layer.variance == sympy.Symbol("d", positive=True) ** -2
    assert layer.activation.name == "softmax"
    assert problem.readout.weight == "V" and problem.readout.variance == 1 / sympy.Symbol(
        "d", positive=True
    )
    assert problem.tokens == sympy.Symbol("L", positive=True) and problem.query_name == "q"
    assert {t.name: t.token for t in problem.teachers} == {"u": "q", "w": "x", "v": "x"}
    assert problem.allowed_patterns == {"f": ("gp", "gfl", "spec", "mag")}


def test_patterns_line_names_the_head():
    problem = load(edit("predict P", "patterns f: gp | gfl | spec\npredict P"))
    assert problem.allowed_patterns == {"f": ("gp", "gfl", "spec")}


def test_round_trip():
    tree = parse(BASE)
    text = printer.print_module(tree)
    assert "input x ~ gaussian(d) tokens L query q" in text
    assert (
        "attention f = softmax(q W x) V x heads 1 prior W ~ normal(0, 1 / d^2) prior V ~ normal(0, "
        "1 / d)" in text
    )
    assert ast.strip_spans(parse(text)) == ast.strip_spans(tree)


def test_teacher_projected_onto_both_tokens():
    text = edit(TARGET, "He1(u . q) * He1(w . x) * He1(u . x)")
    line, column, message = one_error(text)
    assert (line, column) == (line_of(text, "target"), 43)
    assert message == "teacher u is projected onto both q and x"


def test_undeclared_query_token_in_the_head():
    text = edit("softmax(q W x)", "softmax(k W x)")
    line, column, message = one_error(text)
    assert (line, column) == (line_of(text, "attention"), 23)
    assert "'k' is not declared, the query token is q" in message


def test_head_without_context_tokens():
    text = edit("  tokens L  query q", "").replace(TARGET, "He1(w . x) * He1(v . x)")
    line, column, message = one_error(text)
    assert (line, column) == (line_of(text, "attention"), 23)
    assert (
        message
        == "the attention head reads a query token 'q', but the input declares no context tokens"
    )


def test_context_tokens_without_a_head():
    text = edit(
        HEAD,
        "layer h = erf(W x) width d prior W ~ normal(0, 1/d)\nreadout f = a . h prior a ~ "
        "normal(0, 1/d)",
    )
    text = text.replace(TARGET, "He1(w . x) * He1(v . x)")
    line, column, message = one_error(text)
    assert (line, column) == (line_of(text, "input"), 26)
    assert message == "context tokens are read by an attention head, and this network has none"


def test_projection_onto_an_unknown_token():
    text = edit(TARGET, "He1(u . z) * He1(w . x) * He1(v . x)")
    line, column, message = one_error(text)
    assert column == 21 and message == "'z' is neither the context token x nor the query token q"


def test_logits_and_value_read_the_context_token():
    found = errors(edit("softmax(q W x) V x", "softmax(q W q) V q"))
    assert [(c, m.split(",")[0]) for _, c, m in found] == [
        (27, "the logits read the context token x"),
        (32, "the value read the context token x"),
    ]


def test_only_softmax():
    line, column, message = one_error(edit("softmax(q W x)", "sigmoid(q W x)"))
    assert column == 15 and "normalizes its logits with softmax, not 'sigmoid'" in message


def test_head_is_the_whole_network():
    text = edit("predict P", "readout g = a . f prior a ~ normal(0, 1)\npredict P")
    line, column, message = one_error(text)
    assert line == line_of(text, "readout") and column == 1
    assert message == "an attention head is the whole network: this readout has no place beside it"


def test_priors_name_the_head_weights():
    line, column, message = one_error(edit("prior V ~", "prior U ~"))
    assert message == "the prior is for U, but the weight here is V"


def test_query_token_is_a_name_of_its_own():
    found = errors(edit("query q", "query u"))
    assert any("'u' is already declared" in m or "already declared" in m for _, _, m in found)
    line, column, message = one_error(edit("query q", "query x").replace("u . q", "u . x"))
    assert message == "the query token needs its own name, not x"


def test_query_only_target_term_is_out_of_scope():
    text = edit(TARGET, "He1(u . q) + He1(w . x) * He1(v . x)")
    line, column, message = one_error(text)
    assert line == line_of(text, "target")
    assert message.startswith("the target term He1(u . q) depends on the query token alone")


def test_syntax_errors_in_plain_words():
    line, column, message = one_error(edit("heads 1  prior W", "prior W"))
    assert message.startswith(
        "an attention head is written `attention f = softmax(q W x) V x heads H"
    )
    found = errors(edit("  tokens L  query q", "  tokens L"))
    assert found[0][2] == "context tokens are written `input x ~ gaussian(d) tokens L query q`"
