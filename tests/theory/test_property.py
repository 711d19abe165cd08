"""Property test: any small well-formed problem gives an answer or a positioned error, never a
crash.

Random two- and three-layer networks with random activations, target degrees, prior exponents and
pattern lists. Whatever the rules say, ``solve`` must return a Solution whose JSON has exact
exponent strings, or raise ScaleError with a source position.
"""

from fractions import Fraction

from conftest import two_layer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scalelang.api import load
from scalelang.support.diagnostics import ScaleError

ACTIVATIONS = ["erf", "relu", "tanh", "linear", "x^2", "x^3"]
PATTERN_SETS = [
    "gp",
    "gp | spec",
    "gp | gfl",
    "gp | spec | mag",
    "spec | gfl",
    "gp | spec | mag | gfl",
]
EXPONENTS = ["1", "2", "1/2", "3/2"]


@st.composite
def problems(draw):
    depth = draw(st.integers(1, 2))
    degree = draw(st.integers(1, 4))
    lines = [
        "problem random",
        "scale d, P",
        "scale " + ", ".join(f"N{i}" for i in range(1, depth + 1)),
        "input x ~ gaussian(d)",
        "teacher w ~ sphere(d)",
        f"target y = He{degree}(w . x)",
    ]
    previous, fan_in = "x", "d"
    for i in range(1, depth + 1):
        act = draw(st.sampled_from(ACTIVATIONS))
        power = draw(st.sampled_from(EXPONENTS))
        lines.append(
            f"layer h{i} = {act}(W{i} {previous}) width N{i} "
            f"prior W{i} ~ normal(0, 1/{fan_in}^({power}))"
        )
        lines.append(f"patterns h{i}: {draw(st.sampled_from(PATTERN_SETS))}")
        previous, fan_in = f"h{i}", f"N{i}"
    power = draw(st.sampled_from(EXPONENTS))
    lines.append(f"readout f = a . {previous} prior a ~ normal(0, 1/{fan_in}^({power}))")
    lines.append("predict P")
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_any_problem_gives_an_answer_or_a_positioned_error(text):
    try:
        data = load(text).solve().to_json()
    except ScaleError as error:
        assert error.diagnostics and all(d.span.line > 0 for d in error.diagnostics)
        return
    assert data["predict"] == "P"
    for entry in data["assignments"]:
        for value in (entry["exponents"] or {}).values():
            Fraction(value)  # an exact rational, never a float
    assert data["phases"], "a solved problem has at least one phase"


def test_a_pattern_whose_cost_is_not_a_posynomial_is_a_positioned_error():
    import pytest

    text = two_layer(
        patterns="gp | odd",
        extra="""pattern odd "a cost with a negative term"
  param M in [1, width]
  cost  M * norm - 1
  spike M carrying activation
end""",
    )
    with pytest.raises(ScaleError) as error:
        load(text)  # a check error: `scalelang check` finds it, at the cost line
    (diagnostic,) = error.value.diagnostics
    line = text.splitlines().index("  cost  M * norm - 1") + 1
    assert "positive coefficients" in diagnostic.message and diagnostic.span.line == line
