"""``scalelang codegen FILE [--set NAME=EXPR]... -o sim.py``: write the simulation script.

The script samples the posterior the file describes and sweeps d and P around the predicted P*
(docs/simulation.md). The prediction comes from the solution (``scalelang.pipeline.prediction``)
unless --predicted-exponent is given. Exit 0 on success, 1 when the file has errors or cannot be
simulated, 2 on bad usage.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from scalelang.commands.common import (
    add_set_argument,
    parse_sets,
    positive,
    print_warnings,
    refuse_overwriting,
    reporting,
)


def add_common_arguments(parser) -> None:
    """Flags shared by codegen and validate: file, --set, prediction overrides, the sweep plan."""
    parser.add_argument("file", metavar="FILE", help="a .scale file")
    add_set_argument(parser)
    parser.add_argument(
        "--predicted-exponent",
        metavar="Q",
        help="the exponent of P* in d to test (default: from scalelang solve)",
    )
    parser.add_argument(
        "--predicted-specialists",
        action="append",
        default=[],
        metavar="LAYER=Q",
        help="the exponent in d of the specialist count of LAYER (repeatable)",
    )
    parser.add_argument(
        "--budget",
        default="small",
        choices=["smoke", "small", "medium", "large"],
        help="the default sweep written into the script (default: small)",
    )
    parser.add_argument("--dims", type=positive(int), nargs="+", help="input dimensions to sweep")
    parser.add_argument(
        "--ratios", type=positive(float), nargs="+", help="P / P*_pred values to sweep"
    )
    parser.add_argument("--seeds", type=positive(int), help="data seeds per (d, P)")
    parser.add_argument("--steps", type=positive(int), help="sampler steps per chain")
    parser.add_argument("--burn-in", type=positive(int), help="steps before measuring")
    parser.add_argument(
        "--prefactor", type=positive(float), help="P*_pred = prefactor * kappa * d^e (default 64)"
    )


def build(args):
    """(script text, prediction, plan, problem, notes) from the parsed arguments; raises on
    errors. ``notes``: what the simulation decided that the file did not say (a scale tied to
    d, dimensions scaled down for the budget), printed by the commands, not only in the script."""
    from scalelang.codegen import (
        CodegenError,
        Prediction,
        PredictionUnavailable,
        build_spec,
        fit_to_budget,
        plan_for,
        problem_dim_name,
        render_script,
    )
    from scalelang.frontend.overrides import parse_assignments
    from scalelang.pipeline import prediction as predicted
    from scalelang.pipeline import simulation_problem

    sets = parse_assignments(args.set)
    problem, settings, notes = simulation_problem(args.file, sets)
    print_warnings(problem)
    dim = problem_dim_name(problem)
    specialists = _specialists(args.predicted_specialists)
    unknown = sorted(set(specialists) - {layer.name for layer in problem.layers})
    if unknown:
        raise CodegenError(
            f"--predicted-specialists names {', '.join(unknown)}, which is no layer "
            f"of {problem.name} (its layers: "
            f"{', '.join(layer.name for layer in problem.layers)})"
        )
    if args.predicted_exponent is not None:
        prediction = Prediction(
            exponent=_rational(args.predicted_exponent, "--predicted-exponent"),
            specialists=specialists,
            source="command line",
        )
    else:
        try:
            prediction = predicted(problem, dim)
        except PredictionUnavailable as why:
            raise CodegenError(f"no prediction to test: {why}") from None
        if specialists:
            prediction = Prediction(**{**prediction.__dict__, "specialists": specialists})
    plan = plan_for(
        args.budget,
        dims=args.dims,
        ratios=args.ratios,
        seeds=args.seeds,
        steps=args.steps,
        burn_in=args.burn_in,
        prefactor=args.prefactor,
    )
    if args.steps and not args.burn_in:
        plan = plan_for(args.budget, **{**plan.to_json(), "burn_in": args.steps // 2})
    if plan.burn_in >= plan.steps:
        raise CodegenError(
            f"a burn-in of {plan.burn_in} steps leaves nothing to measure in "
            f"{plan.steps} steps; take --burn-in below --steps (half is the default)"
        )
    spec = build_spec(problem, settings=settings, notes=notes)
    if not args.dims:  # a budget is a cost: scale the dims down for an expensive problem
        plan, note = fit_to_budget(plan, spec, prediction)
        if note:
            spec = dataclasses.replace(spec, notes=tuple(spec.notes) + (note,))
    return render_script(spec, prediction, plan), prediction, plan, problem, tuple(spec.notes)


MAX_EXPONENT = 20  # P* ~ d^20 is 10^18 samples at d = 8: no simulation reaches it


def _rational(text: str, flag: str):
    """An exact exponent from the command line: 1, 3/4 or 0.75 (exactly 3/4)."""
    import sympy

    from scalelang.codegen import CodegenError

    try:
        value = sympy.Rational(text)
    except (TypeError, ValueError, SyntaxError, ZeroDivisionError):
        raise CodegenError(
            f"{flag} expects an exact number such as 1, 3/4 or 0.75, got {text!r}"
        ) from None
    if abs(value) > MAX_EXPONENT:
        raise CodegenError(
            f"{flag} is {text}: an exponent beyond {MAX_EXPONENT} in d leaves no "
            "sample size a simulation could reach"
        )
    return value


def _specialists(items: list[str]) -> dict[str, str]:
    """``["h=1/2"]`` -> ``{"h": "1/2"}`` with each exponent checked."""
    from scalelang.codegen import CodegenError

    out = {}
    for item in items:
        layer, sep, value = item.partition("=")
        if not sep or not layer.strip():
            raise CodegenError(f"--predicted-specialists expects LAYER=Q, got {item!r}")
        out[layer.strip()] = str(
            _rational(value.strip(), f"--predicted-specialists {layer.strip()}")
        )
    return out


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "codegen",
        help="write a PyTorch script that simulates the file and tests its prediction",
        description="Write a standalone PyTorch script that samples the posterior of FILE and "
        "sweeps d and P around the predicted P* (see docs/simulation.md).",
    )
    add_common_arguments(parser)
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT.py", help="where to write the script"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    if parse_sets(args.set) is None:  # a malformed --set is bad usage, as for solve
        return 2
    if refuse_overwriting(args.output, [args.file], "scalelang codegen"):
        return 2
    return reporting(args.file, lambda: _write(args), "scalelang codegen")


def _write(args) -> int:
    from scalelang.codegen import CodegenError

    try:
        script, prediction, plan, problem, notes = build(args)
    except CodegenError as err:
        print(f"{args.file}: error: {err}", file=sys.stderr)
        return 1
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(script, encoding="utf-8")
    print(
        f"wrote {args.output}: {problem.name}, P* ~ {prediction.in_d} "
        f"({prediction.source}); run: python {args.output} --help",
        file=sys.stderr,
    )
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
