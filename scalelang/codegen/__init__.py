"""The simulation backend: from a checked ``Problem`` to a standalone PyTorch script.

One module per step, after ``scalelang.pipeline.simulation_problem`` has loaded the file with
the ties a simulation needs (``simulation_ties``, this module):
  ``spec``     Problem -> SimSpec (widths, variances, activations as code);
  ``plan``     the prediction (from the solution, or from overrides) and the sweep grid;
  ``render``   SimSpec + Prediction + SweepPlan -> script text (templates in
               scalelang/templates/sim).
It may not change the problem IR, the solver or the front end.
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from scalelang.codegen.plan import (
    BUDGETS,
    Prediction,
    PredictionUnavailable,
    SweepPlan,
    plan_for,
    prediction_from_solution,
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
    "fit_to_budget",
    "plan_for",
    "prediction_from_solution",
    "render_script",
    "simulation_ties",
    "sweep_work",
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


def codegen(problem, prediction: Prediction, plan: SweepPlan, settings=None, notes=()) -> str:
    """The script for ``problem`` testing ``prediction`` with default sweep ``plan``."""
    spec = build_spec(problem, settings=settings, notes=notes)
    return render_script(spec, prediction, plan)


def sample_cost(spec: SimSpec, d: int) -> float:
    """Multiply-adds of the first layer per sample at dimension d: the input's scalars times the
    first layer's width (an attention head's bilinear logit weight is d x d: width d)."""
    at = {sympy.Symbol("d", positive=True): d}
    inputs = d * float(sympy.sympify(spec.patches if spec.kind == "conv" else 1).subs(at))
    if spec.kind == "attention":
        return inputs * (1 + float(sympy.sympify(spec.tokens).subs(at))) * d
    return inputs * max(1.0, float(sympy.sympify(spec.layers[0].width).subs(at)))


def sweep_work(plan: SweepPlan, spec: SimSpec, prediction: Prediction) -> float:
    """The sum over the grid of P times the per-sample cost: what a sweep's run time is
    proportional to."""
    d = sympy.Symbol("d", positive=True)
    total = 0.0
    for dim in plan.dims:
        kappa = float(sympy.sympify(spec.kappa).subs(d, dim)) ** float(prediction.kappa_exponent)
        p_star = plan.prefactor * kappa * dim ** float(prediction.exponent)
        total += sum(max(2.0, p_star * r) for r in plan.ratios) * sample_cost(spec, dim)
    return total


def fit_to_budget(
    plan: SweepPlan, spec: SimSpec, prediction: Prediction
) -> tuple[SweepPlan, str | None]:
    """Shrink the plan's dimensions until its work is at most 1.5x that of the same plan on the
    acceptance problem (fcn2_he3, N = d, P* ~ 64 d), which the budgets were sized for.

    A budget names a compute cost, not a grid: the same dims for a problem with P* ~ d^2 and
    d-token inputs (attention_head) would run for hours on a CPU. Every dimension is halved (the
    factor-2 steps in d that the exponent fit needs) down to 4; then the largest are dropped, down
    to three. The note says what was done, and what the grid still costs if that was not enough."""
    reference = sum(
        max(2.0, plan.prefactor * dim * r) * dim * dim for dim in plan.dims for r in plan.ratios
    )
    if reference <= 0:
        return plan, None
    fitted = plan
    while sweep_work(fitted, spec, prediction) > 1.5 * reference:
        if min(fitted.dims) > 4:
            fitted = replace(fitted, dims=tuple(sorted({max(4, dim // 2) for dim in fitted.dims})))
        elif len(fitted.dims) > 3:
            fitted = replace(fitted, dims=fitted.dims[:-1])
        else:
            break
    cost = sweep_work(fitted, spec, prediction) / reference
    over = f"; this grid still costs {cost:.0f}x that work" if cost > 1.5 else ""
    if fitted.dims == plan.dims:
        return plan, (
            f"the budget's grid costs {cost:.0f}x the work it was sized for (--dims to "
            "choose smaller)"
            if over
            else None
        )
    return fitted, (
        f"dims {list(fitted.dims)} instead of the budget's {list(plan.dims)}: the same "
        f"grid would cost {sweep_work(plan, spec, prediction) / reference:.0f}x the "
        f"budget's reference work{over} (--dims to choose)"
    )
