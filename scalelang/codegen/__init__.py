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

    A tie can make an ``assume A <= B`` of the file relate no scales (attention_head: L is tied to
    d, so ``assume L <= d`` becomes d <= d), which the front end rejects. Such ties are applied
    after checking instead: the scale's definition is replaced by the tie and the assumption, which
    the tie settles, is dropped (the notes say so). The solver then answers for the tied problem.
    """
    from scalelang.diagnostics import ScaleError
    from scalelang.frontend import load_problem

    sets = dict(sets or {})
    problem = load_problem(path, overrides=sets or None)
    ties, notes = simulation_ties(problem)
    if not ties:
        return problem, sets, notes
    sets.update(ties)
    tied = load_problem(path, overrides=sets)
    if not getattr(tied, "assumptions", ()):
        return tied, sets, notes
    try:
        from scalelang.scales import scale_space

        scale_space(tied)  # where the solver would find an assumption that relates no scales
        return tied, sets, notes
    except ScaleError as err:
        if "relates no scales" not in str(err) and not any(
                "relates no scales" in getattr(d, "message", "") for d in getattr(err, "diagnostics", ())):
            raise
    scale_names = {scale.name for scale in problem.scales}
    late = {k: v for k, v in sets.items() if k in scale_names}
    problem = load_problem(path, overrides={k: v for k, v in sets.items() if k not in late} or None)
    problem = _tie_after_check(problem, late)
    notes.append(
        "the ties " + ", ".join(f"{k} = {v}" for k, v in late.items())
        + " settle the file's assumptions (" + ", ".join(f"{a[0]} <= {a[1]}" for a in problem_assumptions(path))
        + "); they are applied after checking and the assumptions dropped"
    )
    return problem, sets, notes


def problem_assumptions(path: str):
    from scalelang.frontend import load_problem

    return getattr(load_problem(path), "assumptions", ())


def _tie_after_check(problem, ties: dict[str, str]):
    """``problem`` with the scale definitions replaced by ``ties`` and its assumptions dropped."""
    import dataclasses

    from scalelang.codegen.plan import parse_monomial

    symbols = {}
    for scale in problem.scales:
        symbols[scale.name] = sympy.Symbol(scale.name, positive=True)
    scales = []
    for scale in problem.scales:
        if scale.name in ties:
            expr = parse_monomial(ties[scale.name])
            expr = expr.subs({s: symbols.get(s.name, s) for s in expr.free_symbols})
            scale = dataclasses.replace(scale, definition=expr)
        scales.append(scale)
    return dataclasses.replace(problem, scales=tuple(scales), assumptions=())


def codegen(problem, prediction: Prediction, plan: SweepPlan, settings=None, notes=()) -> str:
    """The script for ``problem`` testing ``prediction`` with default sweep ``plan``."""
    spec = build_spec(problem, settings=settings, notes=notes)
    return render_script(spec, prediction, plan)
