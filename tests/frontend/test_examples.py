"""Every example and stdlib module parses and checks clean, and round-trips through the printer."""

from pathlib import Path

import pytest
import sympy

from scalelang.frontend import ast, printer
from scalelang.frontend.load import check_file, load_problem
from scalelang.frontend.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.scale"))
STDLIB = sorted((ROOT / "stdlib").glob("*.scale"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_checks_clean(path):
    problem = load_problem(path)
    assert problem.predict == "P"
    assert problem.layers and problem.readout is not None


@pytest.mark.parametrize("path", STDLIB, ids=lambda p: p.name)
def test_stdlib_module_checks_clean(path):
    assert check_file(path) is None  # a module of declarations, not a problem


@pytest.mark.parametrize("path", EXAMPLES + STDLIB, ids=lambda p: p.name)
def test_round_trip(path):
    tree = parse(path.read_text(), str(path))
    again = parse(printer.print_module(tree), str(path))
    assert ast.strip_spans(again) == ast.strip_spans(tree)


def test_fcn3_problem_fields():
    p = load_problem(ROOT / "examples" / "fcn3_he3.scale")
    d, n1, n2 = (sympy.Symbol(s, positive=True) for s in ("d", "N1", "N2"))
    assert p.name == "fcn3_he3"
    assert [s.name for s in p.scales] == ["d", "N1", "N2", "P"]
    assert all(s.definition is None for s in p.scales)
    assert p.free_exponents == ()
    assert p.kappa == 1 and p.noise_name == "kappa"
    assert p.input_name == "x" and p.input_dim == d
    assert [t.name for t in p.teachers] == ["w"]
    assert p.target_text == "He3(w . x)"
    assert [(t.coef, t.degrees) for t in p.target] == [(1, (("w", 3),))]
    assert [
        (y.name, y.activation.name, y.weight, y.input_name, y.width, y.variance) for y in p.layers
    ] == [
        ("h1", "erf", "W1", "x", n1, 1 / d),
        ("h2", "erf", "W2", "h1", n2, 1 / n1),
    ]
    assert (p.readout.name, p.readout.weight, p.readout.input_name, p.readout.variance) == (
        "f",
        "a",
        "h2",
        1 / n2,
    )
    assert p.allowed_patterns == {"h1": ("gp", "spec", "gfl"), "h2": ("gp", "spec", "mag", "gfl")}
    assert p.layers[0].span.line == 14 and p.layers[0].span.column == 1


def test_proportional_free_exponents_and_default_patterns():
    p = load_problem(ROOT / "examples" / "fcn3_he3_proportional.scale")
    d = sympy.Symbol("d", positive=True)
    a1, a2 = sympy.Symbol("a1", real=True), sympy.Symbol("a2", real=True)
    assert p.free_exponents == ("a1", "a2")
    assert {s.name: s.definition for s in p.scales} == {
        "d": None,
        "N1": d**a1,
        "N2": d**a2,
        "P": None,
    }
    # widths stay symbolic in N1, N2: the theory substitutes the definitions
    assert p.layers[0].width == sympy.Symbol("N1", positive=True)
    assert p.allowed_patterns == {
        "h1": ("gp", "gfl", "spec", "mag"),
        "h2": ("gp", "gfl", "spec", "mag"),
    }


def test_stdlib_patterns_meaning():
    p = load_problem(ROOT / "examples" / "fcn2_he3.scale")
    width, norm = sympy.Symbol("width", positive=True), sympy.Symbol("norm", positive=True)
    gp, gfl, spec, mag = (p.patterns[n] for n in ("gp", "gfl", "spec", "mag"))
    assert (gp.params, gp.cost, gp.effect) == ((), 0, None)
    D = sympy.Symbol("D", positive=True)
    assert [(q.name, q.lower, q.upper) for q in gfl.params] == [("D", 1, None)]
    assert gfl.cost == width * D and gfl.effect == ("amplify", D)
    M = sympy.Symbol("M", positive=True)
    assert [(q.name, q.lower, q.upper) for q in spec.params] == [("M", 1, width)]
    assert spec.cost == M * norm and spec.effect == ("spike", M, "activation")
    beta = sympy.Symbol("beta", positive=True)
    assert [(q.name, q.lower, q.upper) for q in mag.params] == [("beta", None, width)]
    assert mag.cost == beta * norm and mag.effect == ("spike", beta, "linear")
    assert spec.doc.startswith("specialization")


def test_stdlib_activations():
    p = load_problem(ROOT / "examples" / "fcn2_he3.scale")
    z = sympy.Symbol("z", real=True)
    acts = {name: a.expr for name, a in p.activations.items()}
    assert acts["erf"] == sympy.erf(z)
    assert acts["relu"] == sympy.Max(z, 0)
    assert acts["tanh"] == sympy.tanh(z)
    assert acts["linear"] == z
    assert acts["x^2"] == z**2 and acts["x^3"] == z**3
