"""The simulation backend: from a checked ``Problem`` to a standalone PyTorch script.

Pipeline, one module per step:
  ``prepare``  (this module) load a .scale file with the ties a simulation needs;
  ``spec``     Problem -> SimSpec (widths, variances, activations as code);
  ``plan``     the prediction (from ``scalelang.solve`` or overrides) and the sweep grid;
  ``render``   SimSpec + Prediction + SweepPlan -> script text (templates in scalelang/templates/sim).
It may not change the problem IR, the solver or the front end.
"""

from __future__ import annotations

import sympy

from scalelang.codegen.plan import (
    BUDGETS,
    Prediction,
    PredictionUnavailable,
    SweepPlan,
    plan_for,
    prediction_from_solution,
    solve_prediction,
)
from scalelang.codegen.render import render_script
from scalelang.codegen.spec import CodegenError, SimSpec, build_spec, problem_dim_name

__all__ = [
    "BUDGETS",
    "CodegenError",
    "Prediction",
    "PredictionUnavailable",
    "SimSpec",
    "SweepPlan",
    "build_spec",
    "codegen",
    "plan_for",
    "prediction_from_solution",
    "prepare",
    "render_script",
    "simulation_ties",
    "solve_prediction",
]


def simulation_ties(problem, sets: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Overrides that tie every scale to the input dimension, and notes saying which were added.

    A scale given in ``sets`` keeps its value; an independent width is tied to d (N = d, the
    proportional regime); a scale defined with free exponents (N1 = d^a1) takes the exponents
    given in ``sets`` (``--set a1=1/2``) or 1. The input dimension and the predicted scale stay.
    """
    dim = problem_dim_name(problem)
    free = set(problem.free_exponents)
    exponent_values = {k: sympy.sympify(v) for k, v in sets.items() if k in free}
    overrides = {k: v for k, v in sets.items() if k not in free}
    notes = []
    for scale in problem.scales:
        if scale.name in overrides or scale.name in (dim, problem.predict):
            continue
        if scale.definition is None:
            overrides[scale.name] = dim
            notes.append(f"{scale.name} is an independent scale; the simulation ties it to {dim} (--set {scale.name}=EXPR to change)")
            continue
        symbols = {s for s in scale.definition.free_symbols if s.name in free}
        if symbols:
            values = {s: exponent_values.get(s.name, sympy.Integer(1)) for s in symbols}
            value = sympy.sympify(scale.definition).subs(values)
            overrides[scale.name] = str(value).replace("**", "^")
            named = ", ".join(f"{s.name} = {values[s]}" for s in sorted(symbols, key=lambda s: s.name))
            notes.append(f"{scale.name} = {scale.definition} with {named}")
    return overrides, notes


def prepare(path: str, sets: dict[str, str] | None = None):
    """Load ``path`` for simulation: (problem, overrides, notes). Raises ScaleError on bad files."""
    from scalelang.frontend import load_problem

    sets = dict(sets or {})
    base = load_problem(path)
    overrides, notes = simulation_ties(base, sets)
    problem = load_problem(path, overrides=overrides) if overrides else base
    return problem, overrides, notes


def codegen(problem, prediction: Prediction, plan: SweepPlan, settings=None, notes=()) -> str:
    """The script for ``problem`` testing ``prediction`` with default sweep ``plan``."""
    spec = build_spec(problem, settings=settings, notes=notes)
    return render_script(spec, prediction, plan)
