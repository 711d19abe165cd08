"""Helpers for the simulation tests: hand-built Problems (independent of the front end) and a
helper that renders a script and imports it as a module."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import sympy

from scalelang.codegen import Prediction, build_spec, plan_for, render_script
from scalelang.problem import Activation, Layer, Problem, Readout, Scale, TargetTerm, Teacher
from scalelang.support.span import UNKNOWN

Z = sympy.Symbol("z", real=True)
ACTIVATIONS = {
    "erf": Activation("erf", sympy.erf(Z), UNKNOWN),
    "linear": Activation("linear", Z, UNKNOWN),
    "relu": Activation("relu", sympy.Max(0, Z), UNKNOWN),
    "tanh": Activation("tanh", sympy.tanh(Z), UNKNOWN),
}


def make_problem(
    widths,
    activation="erf",
    target=((1, (("w", 3),)),),
    kappa=1,
    name="hand",
    variances=None,
    readout_variance=None,
    ties=None,
):
    """A Problem like the examples: layers h1..hL with the given width expressions in d."""
    d = sympy.Symbol("d", positive=True)
    syms = {"d": d}
    layers = []
    names = []
    scales = [Scale("d", None, UNKNOWN), Scale("P", None, UNKNOWN)]
    previous_width = d
    for i, width in enumerate(widths, start=1):
        wname = f"N{i}" if len(widths) > 1 else "N"
        names.append(wname)
        if ties and wname in ties:  # None: an independent scale
            definition = None if ties[wname] is None else sympy.sympify(ties[wname], locals=syms)
        else:
            definition = sympy.sympify(width, locals=syms)
        scales.append(Scale(wname, definition, UNKNOWN))
        n = sympy.Symbol(wname, positive=True)
        variance = sympy.sympify(variances[i - 1], locals=syms) if variances else 1 / previous_width
        layers.append(
            Layer(
                f"h{i}" if len(widths) > 1 else "h",
                ACTIVATIONS[activation],
                f"W{i}",
                "x" if i == 1 else layers[-1].name,
                n,
                variance,
                UNKNOWN,
            )
        )
        previous_width = n
    readout = Readout(
        "f",
        "a",
        layers[-1].name,
        sympy.sympify(readout_variance, locals=syms) if readout_variance else 1 / previous_width,
        UNKNOWN,
    )
    terms = tuple(TargetTerm(sympy.Rational(c), deg) for c, deg in target)
    teachers = sorted({t for _, deg in target for t, _ in deg})
    return Problem(
        name=name,
        source_path=f"<{name}>",
        scales=tuple(scales),
        free_exponents=(),
        kappa=sympy.sympify(kappa),
        input_name="x",
        input_dim=d,
        teachers=tuple(Teacher(t, d, UNKNOWN) for t in teachers),
        target=terms,
        target_text=" + ".join(
            f"{c}*" + "*".join(f"He{k}({t} . x)" for t, k in deg) for c, deg in target
        ),
        layers=tuple(layers),
        readout=readout,
        allowed_patterns={layer.name: ("gp", "spec") for layer in layers},
        predict="P",
    )


def load_script(source: str, path):
    """Write the script to ``path`` and import it as a fresh module."""
    path.write_text(source)
    name = f"sim_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def render(problem, exponent="1", budget="smoke"):
    spec = build_spec(problem)
    return render_script(
        spec, Prediction(exponent=sympy.Rational(exponent), source="test"), plan_for(budget)
    )


# A small sweep (d = 4, two batches of four chains) for the tests that run scripts.
CONFIG = [
    "--dims",
    "4",
    "--ratios",
    "0.5",
    "1",
    "--seeds",
    "2",
    "--steps",
    "80",
    "--burn-in",
    "40",
    "--measure-every",
    "5",
    "--test-size",
    "128",
    "--threads",
    "1",
    "--quiet",
    "--checkpoint-every",
    "30",
]


def run(script, out, *extra):
    return subprocess.run(
        [sys.executable, str(script), "--out", str(out), *CONFIG, *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows(path):
    out = [json.loads(line) for line in path.read_text().splitlines()]
    for row in out:
        row.pop("seconds")
    return sorted(out, key=lambda r: (r["d"], r["P"], r["seed"], r["start"]))
