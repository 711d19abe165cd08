"""``scalelang validate FILE [--set ...] [--budget small|medium|large]``: simulate and judge.

Generates the simulation of FILE, runs its sweep (progress on standard error), fits the exponent
of P_1/2 in d and writes WORKDIR/report.md with the verdict. The small budget fits a 2-core CPU in
about 15 minutes for the two-layer example. Exit 0 when everything ran (the verdict is in the
report; --strict exits 1 unless the verdict is PASS), 1 on
errors in the file or a failed run, 2 on bad usage.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from scalelang.commands.codegen import add_common_arguments, build
from scalelang.commands.common import parse_sets, positive, reporting


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="generate, run and fit the simulation of a file: is the predicted exponent measured?",
        description="Codegen, run the sweep, fit the exponent of P* in d, and report the verdict.",
    )
    add_common_arguments(parser)
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        help="where the script, results and report go "
        "(default: validate-PROBLEM-BUDGET); rerun to resume",
    )
    parser.add_argument(
        "--threads", type=int, help="torch CPU threads for the run (1 is best on a busy machine)"
    )
    parser.add_argument("--boot", type=int, default=2000, help="bootstrap replicates")
    parser.add_argument(
        "--compile",
        action="store_true",
        help="torch.compile the sampler step (faster on a CPU: benchmarks/README.md; needs a C++ "
        "compiler)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 unless the verdict is PASS")
    jobs = parser.add_argument_group(
        "jobs",
        "run the sweep as jobs, one per shard of the grid (submitit; docs/simulation.md, "
        "'Running on a cluster'); rerun the same command to resume",
    )
    jobs.add_argument(
        "--executor",
        choices=("local", "slurm"),
        help="local: jobs as processes here; slurm: jobs through sbatch",
    )
    jobs.add_argument("--jobs", type=positive(int), default=4, help="shards, one job each (4)")
    jobs.add_argument("--partition", help="the SLURM partition (default: the cluster's)")
    jobs.add_argument("--gpus-per-job", type=int, default=0, help="GPUs per job (0)")
    jobs.add_argument("--cpus-per-job", type=positive(int), default=1, help="CPUs per job (1)")
    jobs.add_argument(
        "--time-limit", type=positive(int), default=60, metavar="MIN", help="minutes per job (60)"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    if parse_sets(args.set) is None:  # a malformed --set is bad usage, as for solve
        return 2
    return reporting(args.file, lambda: _validate(args), "scalelang validate")


def _validate(args) -> int:
    from scalelang.codegen import CodegenError
    from scalelang.simulation.validate import validate

    if args.executor is not None:
        try:
            import submitit  # noqa: F401
        except ImportError:
            print(
                "scalelang validate: error: --executor needs submitit "
                "(pip install 'scalelang[cluster]')",
                file=sys.stderr,
            )
            return 2

    try:
        import torch  # noqa: F401
    except ImportError:
        print(
            "scalelang validate: error: needs torch (pip install 'scalelang[sim]')", file=sys.stderr
        )
        return 1
    try:
        script, prediction, plan, problem, notes = build(args)
    except CodegenError as err:
        print(f"scalelang validate: error: {err}", file=sys.stderr)
        return 1
    workdir = Path(args.workdir or f"validate-{problem.name}-{args.budget}")
    command = (
        "scalelang validate " + " ".join(shlex.quote(a) for a in sys.argv[2:])
        if len(sys.argv) > 2
        else ""
    )
    header = [
        f"# Validation of {problem.name} ({args.file})",
        "",
        f"Command: `{command}`" if command else "",
        f"Prediction: P* ~ {prediction.in_d} ({prediction.source}"
        + (f"; P* = {prediction.expr}, patterns {prediction.patterns}" if prediction.expr else "")
        + ")",
        f"Budget: {args.budget}: dims {list(plan.dims)}, P/P*_pred {list(plan.ratios)} with "
        "P*_pred = "
        f"{plan.prefactor:g} * kappa * d^e, {plan.seeds} seeds, {plan.steps} steps ({plan.burn_in} "
        "burn-in), "
        f"starts {list(plan.starts)}.",
    ]
    print(f"validate: {problem.name}: P* ~ {prediction.in_d}; work in {workdir}", file=sys.stderr)
    for note in notes:
        print(f"validate: note: {note}", file=sys.stderr)
    resources = _resources(args)
    if resources is not None and resources.executor == "slurm" and not _has_slurm():
        print(
            "scalelang validate: error: --executor slurm needs SLURM's sbatch on this machine "
            "(run it on the cluster's login node)",
            file=sys.stderr,
        )
        return 2
    extra = ("--compile",) if args.compile else ()
    status, report, path = validate(
        script, workdir, header, args.threads, args.boot, extra, resources=resources
    )
    if report is None:
        again = " (some shards did not finish: rerun the same command to resume them)"
        print(
            f"scalelang validate: error: the simulation exited with status {status}"
            + (again if resources is not None else ""),
            file=sys.stderr,
        )
        return 1
    print(report.verdict())
    if report.signature is not None:
        print(f"mechanisms: {report.signature.line()}")
    advice = report.grid_advice()
    if advice:
        ratios = " ".join(f"{r:g}" for r in advice)
        sharded = resources is not None  # the shards' folder holds every results file
        out = workdir / ("shards/more.jsonl" if sharded else "results.jsonl")
        fitted = workdir / "shards" if sharded else out
        print(
            f"next: python {workdir / 'sim.py'} --out {out} --ratios {ratios}"
            f"{f' --threads {args.threads}' if args.threads else ''} && scalelang fit "
            f"{fitted}   (the new P values join the same results)"
        )
    print(f"report: {path}")
    if args.strict and not report.passes:
        return 1
    return 0


def _resources(args):
    """The jobs' resources, or None to run the sweep in this process."""
    if args.executor is None:
        return None
    from scalelang.simulation.cluster import Resources

    return Resources(
        args.executor,
        args.jobs,
        args.partition,
        args.gpus_per_job,
        args.cpus_per_job,
        args.time_limit,
    )


def _has_slurm() -> bool:
    import shutil

    return shutil.which("sbatch") is not None
