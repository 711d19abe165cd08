"""Property: any text gives a Problem (or None for a module) or a positioned ScaleError, never a
Python traceback."""

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scalelang.frontend.load import check_file
from scalelang.support.diagnostics import ScaleError, format_error

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [p.read_text() for p in sorted((ROOT / "examples").glob("*.scale"))]
TOKEN = re.compile(r"\s+|[^\W\d]\w*|\d+(?:\.\d+)?|\*\*|.", re.S)
ALPHABET = st.sampled_from(
    list('abdNPxwhW0123 ()[],.=~^*/+-:|#"\n')
    + [
        "scale ",
        "layer ",
        "target ",
        "He3",
        "erf",
        "width ",
        "prior ",
        "normal",
        "pattern ",
        "end",
        "param ",
        "cost ",
        "readout ",
        "predict ",
        "input ",
        "teacher ",
        "import ",
        "activation ",
    ]
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def outcome(text: str) -> None:
    try:
        check_file("fuzz.scale", text=text)
    except ScaleError as err:
        assert err.diagnostics
        for d in err.diagnostics:
            assert d.span.line >= 1 and d.span.column >= 1, d
        format_error(err, {"fuzz.scale": text})


@SETTINGS
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_random_text(text):
    outcome(text)


@st.composite
def mutated_example(draw):
    tokens = TOKEN.findall(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap"]))
        if kind == "delete":
            del tokens[i]
        elif kind == "duplicate":
            tokens.insert(i, tokens[i])
        else:
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
    return "".join(tokens)


@SETTINGS
@given(mutated_example())
def test_mutated_examples(text):
    outcome(text)
