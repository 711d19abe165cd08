"""--set overrides: scales, free exponents, constants, noise; errors point into the override."""

from pathlib import Path

import pytest
import sympy

from scalelang.frontend.load import load_problem
from scalelang.frontend.overrides import parse_assignments
from scalelang.support.diagnostics import ScaleError

ROOT = Path(__file__).resolve().parents[2]
PROP = ROOT / "examples" / "fcn3_he3_proportional.scale"
d = sympy.Symbol("d", positive=True)


def defs(problem):
    return {s.name: s.definition for s in problem.scales}


def test_free_exponent_set_to_a_number():
    p = load_problem(PROP, overrides={"a1": "1"})
    assert defs(p)["N1"] == d and p.free_exponents == ("a2",)


def test_scale_redefined_and_new_free_exponent():
    p = load_problem(PROP, overrides={"N2": "d^b", "a1": "3/2"})
    assert defs(p)["N2"] == d ** sympy.Symbol("b", real=True)
    assert defs(p)["N1"] == d ** sympy.Rational(3, 2)
    assert p.free_exponents == ("b",)


def test_independent_scale_tied():
    p = load_problem(ROOT / "examples" / "fcn3_he3.scale", overrides={"N1": "d^2", "N2": "d"})
    assert defs(p)["N1"] == d**2 and defs(p)["N2"] == d


def test_noise_and_constant():
    text = (ROOT / "examples" / "fcn2_he3.scale").read_text() + "constant sigma2 = 2\n"
    p = load_problem("t.scale", text=text, overrides={"kappa": "d", "sigma2": "3"})
    assert p.kappa == d and p.constants == {"sigma2": 3}


def errors(overrides):
    with pytest.raises(ScaleError) as info:
        load_problem(PROP, overrides=overrides)
    return [(x.span.path, x.span.line, x.span.column, x.message) for x in info.value.diagnostics]


def test_override_naming_nothing():
    [(path, line, col, msg)] = errors({"a1": "1", "zz": "3"})
    assert (path, line, col) == ("--set", 2, 1)
    assert msg.startswith("--set zz: 'zz' is not a scale")


def test_override_not_parsing():
    [(path, line, col, msg)] = errors({"N1": "d^(", "a2": "1"})
    assert (path, line, col) == ("--set", 1, 7)
    assert msg.startswith("the line ends too early")


def test_override_undeclared_scale_and_cycle():
    assert errors({"N1": "q^2"}) == [("--set", 1, 4, "undeclared scale 'q'")]
    assert errors({"d": "N1"})[0][3].startswith("--set d makes a scale defined in terms of itself")


def test_parse_assignments():
    assert parse_assignments(["N=d", " a1 = 1 "]) == {"N": "d", "a1": "1"}
    with pytest.raises(ScaleError) as info:
        parse_assignments(["N=d", "oops"])
    assert info.value.diagnostics[0].span.line == 2


def test_irrational_exponent_is_a_positioned_error():
    """sqrt(2) is no scaling exponent: a positioned error, not a rationalized guess or a
    traceback."""
    from scalelang import api

    text = (
        (ROOT / "examples" / "fcn2_he3.scale")
        .read_text()
        .replace("scale d, N", "scale d\nscale N = d^(2^(1/2))")
    )
    with pytest.raises(ScaleError) as info:
        api.load(text).solve()
    [diagnostic] = info.value.diagnostics
    assert diagnostic.span.line == 6 and "not a rational number" in diagnostic.message
    with pytest.raises(ScaleError) as info:
        api.load(ROOT / "examples" / "fcn2_he3.scale").solve(N="d^(2^(1/2))")
    assert "not a rational number" in info.value.diagnostics[0].message


def test_decimal_exponents_are_exact():
    from scalelang import api

    # N = d^(1/4) < d^(1/3): GFL wins with (N d)^(3/4) = d^(3/16 + 3/4)
    p_star = api.load(ROOT / "examples" / "fcn2_he3.scale").solve(N="d^0.25").to_json()["p_star"]
    assert p_star["exponents"]["d"] == "15/16" and p_star["patterns"] == {"h": "gfl"}


def test_messages_name_the_overrides_where_they_were_given():
    """The overrides module words its messages for where the overrides were given, --set on the
    command line or the keywords of solve() in Python, rather than the API rewriting the
    command line's text."""
    from scalelang import api
    from scalelang.problem import COMMAND_LINE, PYTHON

    assert (COMMAND_LINE.words("N", "d^2"), PYTHON.words("N", "d^2")) == (
        "--set N=d^2",
        "solve(N='d^2')",
    )
    assert (COMMAND_LINE.words("N"), PYTHON.words("N")) == ("--set N", "override N")
    model = api.load(PROP)
    with pytest.raises(ScaleError) as info:
        model.solve(N1="d\n2")
    hint = info.value.diagnostics[0].hint
    assert "solve(N='d^(1/2)')" in hint and "--set" not in hint
    with pytest.raises(ScaleError) as info:
        model.solve(d="N1")
    assert info.value.diagnostics[0].message.startswith(
        "override d makes a scale defined in terms of itself"
    )
    with pytest.raises(ScaleError) as info:
        model.solve(N1="d, 2")
    assert info.value.diagnostics[0].hint.endswith("give each override its own keyword of solve()")
    with pytest.raises(ScaleError) as info:
        load_problem(PROP, overrides={"N1": "d, 2"})
    assert info.value.diagnostics[0].hint.endswith("give each override its own --set")
