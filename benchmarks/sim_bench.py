"""Throughput of the generated sampler: batched chains against a per-chain loop, and its FLOP rate
against a bare batched matmul of the same shapes, in the same run.

    python benchmarks/sim_bench.py [--threads 2] [--seconds 1] [--rounds 5] [--device cpu|cuda]
        [--compile] [--profile]
    python benchmarks/sim_bench.py --under-load [--seconds 1] [--rounds 5]

Both samplers do the same work per chain-step: draw the readout from its Gaussian conditional,
then one Langevin step on the hidden weights of a two-layer erf network (examples/fcn2_he3.scale
with N tied to d). The loop is written the obvious way: one chain at a time, autograd for the
gradient. Every step is timed in interleaved rounds and the medians compared. Results are printed
as ratios; docs: benchmarks/README.md. ``--profile`` then prints a torch.profiler table of the
sampler step (the compiled one with ``--compile``) at each size: where its time goes, op by op.

``--under-load`` answers how many threads a shared machine should give the sampler: with one
CPU-bound process competing (as on a cluster's shared node or a busy workstation) it times the
batched step at one and two threads, with OpenMP's default (spinning) wait policy and with
``OMP_WAIT_POLICY=PASSIVE`` (what generated scripts set), each in its own process since the policy
is read when torch starts, and prints the four figures side by side.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generated_module(n_over_d: str):
    """The generated script for fcn2_he3 with N = n_over_d * d, imported as a module."""
    from scalelang import pipeline
    from scalelang.codegen import codegen, plan_for

    problem, settings, notes = pipeline.simulation_problem(
        str(ROOT / "examples" / "fcn2_he3.scale"), {"N": f"{n_over_d}*d"}
    )
    text = codegen(problem, pipeline.prediction(problem, "d"), plan_for("small"), settings, notes)
    path = Path(tempfile.mkdtemp()) / f"bench_sim_{n_over_d}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(step, seconds: float, sync) -> float:
    """Seconds per call of step(), measured for about `seconds` (callers warm up first)."""
    sync()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        n += 1
    sync()
    return (time.perf_counter() - start) / n


def interleaved(steps: dict, seconds: float, rounds: int, sync) -> dict:
    """Median seconds per call of each step, measured in turns (round 1: every step, round 2: ...)
    so that a change of load on a shared machine hits all of them alike, not one ratio's side."""
    for step in steps.values():
        for _ in range(3):
            step()
    samples = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            samples[name].append(timed(step, seconds, sync))
    return {name: statistics.median(times) for name, times in samples.items()}


def batched_step(sim, d, P, chains, device, compiled=False):
    """One batched sampler step of ``chains`` chains (torch.compile'd when ``compiled``)."""
    gen = torch.Generator(device=device).manual_seed(0)
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, P, teachers, "bench", d, P)
    X = x.float().to(device).expand(chains, P, d).contiguous()
    Y = y.float().to(device).expand(chains, P).contiguous()
    state = sim.initial_state(
        d, chains, ["prior"] * chains, [teachers] * chains, torch.float32, device, gen
    )
    sim.measure_step_size(state, X, gen, first=True)
    step = sim.compiled_sampler_step() if compiled else sim.sampler_step
    step(state, X, Y, gen)  # the compilation is not timed (a sweep pays it once per shape)
    return lambda: step(state, X, Y, gen)


def loop_step(sim, d, P, chains, device):
    """The obvious per-chain implementation: a Python loop over chains, autograd gradients."""
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, P, teachers, "bench", d, P)
    x, y = x.float().to(device), y.float().to(device)
    N = sim.widths(d)[0]
    (var_w,), var_a = sim.prior_variances(d)
    kappa = sim.kappa(d)
    ws = [torch.randn(N, d, device=device) * math.sqrt(var_w) for _ in range(chains)]
    eta = 1e-4

    def step():
        for c in range(chains):
            w = ws[c].requires_grad_(True)
            h = torch.erf(x @ w.T)
            with torch.no_grad():
                precision = torch.eye(N, device=device) / var_a + h.T @ h / kappa
                cov = torch.linalg.inv(precision)
                mean = cov @ (h.T @ y) / kappa
                a = torch.distributions.MultivariateNormal(mean, covariance_matrix=cov).sample()
            loss = 0.5 * (w**2).sum() / var_w + 0.5 * ((h @ a - y) ** 2).sum() / kappa
            (grad,) = torch.autograd.grad(loss, w)
            with torch.no_grad():
                ws[c] = w - eta * grad + math.sqrt(2 * eta) * torch.randn_like(w)

    return step


def flops_per_chain_step(d, N, P):
    """Multiply-adds x 2 of the sampler step: forward, readout precision and draw, backward."""
    return (
        2 * P * d * N + 2 * P * N * N + 2 * P * N + N**3 / 3 + 4 * N * N + 2 * P * N + 2 * P * d * N
    )


def matmul_step(d, N, P, chains, device):
    """A bare batched matmul (chains, P, d) @ (chains, d, N): the machine's practical rate."""
    a = torch.randn(chains, P, d, device=device)
    b = torch.randn(chains, d, N, device=device)
    return lambda: a @ b


def profile_table(step, steps: int = 20) -> str:
    """torch.profiler's table of ``steps`` calls of ``step``, ops by self time, with shapes."""
    from torch.profiler import profile

    with profile(record_shapes=True) as prof:
        for _ in range(steps):
            step()
    return prof.key_averages(group_by_input_shape=True).table(
        sort_by="self_cpu_time_total", row_limit=12
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=1.0, help="timing window per measurement")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved rounds; medians are reported"
    )
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument(
        "--compile",
        action="store_true",
        help="also time the torch.compile'd step (the scripts' --compile)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print a torch.profiler table of the sampler step at each size",
    )
    parser.add_argument(
        "--under-load",
        action="store_true",
        help="one and two threads, spinning and passive waits, beside a competing process",
    )
    parser.add_argument("--batched-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.under_load:
        return under_load(args.seconds, args.rounds)
    if args.batched_only:
        return batched_only(args.threads, args.seconds, args.rounds)
    torch.set_num_threads(args.threads)
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    print(
        f"device {args.device}, {torch.get_num_threads()} threads, torch {torch.__version__}; "
        f"medians of {args.rounds} interleaved rounds of {args.seconds:g} s"
    )
    for d, n_over_d, P, chains in ((8, "1", 64, 64), (32, "2", 256, 64)):
        sim = generated_module(n_over_d)
        N = sim.widths(d)[0]
        steps = {
            "batched": batched_step(sim, d, P, chains, args.device),
            "loop": loop_step(sim, d, P, chains, args.device),
            "bare": matmul_step(d, N, P, chains, args.device),
        }
        if args.compile:
            steps["compiled"] = batched_step(sim, d, P, chains, args.device, compiled=True)
        t = interleaved(steps, args.seconds, args.rounds, sync)
        flops = flops_per_chain_step(d, N, P) * chains
        bare = 2 * chains * P * d * N / t["bare"]
        print(
            f"d={d} N={N} P={P} {chains} chains: batched {chains / t['batched']:,.0f} "
            "chain-steps/s, "
            f"loop {chains / t['loop']:,.0f} chain-steps/s, ratio {t['loop'] / t['batched']:.1f}x; "
            f"sampler {flops / t['batched'] / 1e9:.2f} GFLOP/s vs bare batched matmul "
            f"{bare / 1e9:.2f} GFLOP/s ({flops / t['batched'] / bare:.2f} of it)"
        )
        if args.compile:
            rate = flops / t["compiled"]
            print(
                f"  --compile: {chains / t['compiled']:,.0f} chain-steps/s "
                f"({t['loop'] / t['compiled']:.1f}x "
                f"the loop, {t['batched'] / t['compiled']:.2f}x eager); sampler {rate / 1e9:.2f} "
                "GFLOP/s "
                f"({rate / bare:.2f} of the bare matmul)"
            )
        if args.profile:
            print(profile_table(steps["compiled" if args.compile else "batched"]))
    return 0


def batched_only(threads: int, seconds: float, rounds: int) -> int:
    """Print the batched step's chain-steps per second at d = 32 (one line of JSON)."""
    import json

    torch.set_num_threads(threads)
    sim = generated_module("2")
    d, P, chains = 32, 256, 64
    t = interleaved({"batched": batched_step(sim, d, P, chains, "cpu")}, seconds, rounds, lambda: 0)
    print(json.dumps({"chain_steps_per_s": chains / t["batched"]}))
    return 0


def under_load(seconds: float, rounds: int) -> int:
    """The batched step at 1 and 2 threads, spinning and passive, beside one busy process."""
    import json
    import os
    import subprocess

    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        rates = {}
        for policy in ("ACTIVE", "PASSIVE"):
            for threads in (1, 2):
                env = {**os.environ, "OMP_WAIT_POLICY": policy}
                env.pop("OMP_NUM_THREADS", None)
                run = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--batched-only",
                        "--threads",
                        str(threads),
                        "--seconds",
                        str(seconds),
                        "--rounds",
                        str(rounds),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                rates[policy, threads] = json.loads(run.stdout.splitlines()[-1])[
                    "chain_steps_per_s"
                ]
    finally:
        busy.kill()
    print(
        f"batched step, d=32 N=64 P=256 64 chains, beside one busy process "
        f"({os.cpu_count()} CPUs); chain-steps/s, medians of {rounds} rounds of {seconds:g} s"
    )
    print("| wait policy | 1 thread | 2 threads | 2 threads / 1 thread |")
    print("|---|---|---|---|")
    for policy in ("ACTIVE", "PASSIVE"):
        one, two = rates[policy, 1], rates[policy, 2]
        print(f"| {policy.lower()} | {one:,.0f} | {two:,.0f} | {two / one:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
