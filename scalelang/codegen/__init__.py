"""The simulation backend: from a checked ``Problem`` to a standalone PyTorch script.

Pipeline, one module per step:
  ``prepare``  (this module) load a .scale file with the ties a simulation needs;
  ``spec``     Problem -> SimSpec (widths, variances, activations as code);
  ``plan``     the prediction (from ``scalelang.solve`` or overrides) and the sweep grid;
  ``render``   SimSpec + Prediction + SweepPlan -> script text (templates in scalelang/templates/sim).
It may not change the problem IR, the solver or the front end.
"""

from __future__ import annotations

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


def simulation_ties(problem) -> tuple[dict[str, str], list[str]]:
    """Overrides that tie every remaining scale to the input dimension, and notes saying so.

    An independent width is tied to d (N = d, the proportional regime); a free exponent left in a
    scale definition (N1 = d^a1) is set to 1. The input dimension and the predicted scale stay.
    Scales and exponents the user set keep the user's values (they are no longer free here).
    """
    dim = problem_dim_name(problem)
    overrides: dict[str, str] = {}
    notes: list[str] = []
    for exponent in problem.free_exponents:
        overrides[exponent] = "1"
        notes.append(f"the free exponent {exponent} is set to 1 (--set {exponent}=VALUE to change)")
    for scale in problem.scales:
        if scale.definition is None and scale.name not in (dim, problem.predict):
            overrides[scale.name] = dim
            notes.append(
                f"{scale.name} is an independent scale; the simulation ties it to {dim} "
                f"(--set {scale.name}=EXPR to change)"
            )
    return overrides, notes


def prepare(path: str, sets: dict[str, str] | None = None):
    """Load ``path`` for simulation: (problem, settings, notes). Raises ScaleError on bad files.

    Independent scales other than the input dimension are tied to it (``simulation_ties``). A tie
    can settle an ``assume A <= B`` of the file (attention_head: L = d makes ``assume L <= d``
    read d <= d), which then simply holds; one that contradicts it is the front end's error.
    """
    from scalelang.frontend import load_problem

    sets = dict(sets or {})
    problem = load_problem(path, overrides=sets or None)
    ties, notes = simulation_ties(problem)
    if not ties:
        return problem, sets, notes
    sets.update(ties)
    return load_problem(path, overrides=sets), sets, notes


def codegen(problem, prediction: Prediction, plan: SweepPlan, settings=None, notes=()) -> str:
    """The script for ``problem`` testing ``prediction`` with default sweep ``plan``."""
    spec = build_spec(problem, settings=settings, notes=notes)
    return render_script(spec, prediction, plan)
