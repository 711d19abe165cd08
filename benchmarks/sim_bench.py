"""Throughput of the generated sampler: batched chains against a per-chain loop, and its FLOP rate
against a bare batched matmul of the same shapes, in the same run.

    python benchmarks/sim_bench.py [--threads 2] [--seconds 3] [--device cpu|cuda] [--compile]

Both samplers do the same work per chain-step: draw the readout from its Gaussian conditional,
then one Langevin step on the hidden weights of a two-layer erf network (examples/fcn2_he3.scale
with N tied to d). The loop is written the obvious way: one chain at a time, autograd for the
gradient. Results are printed as ratios; docs: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generated_module(n_over_d: str):
    """The generated script for fcn2_he3 with N = n_over_d * d, imported as a module."""
    from scalelang.codegen import codegen, plan_for, prepare, solve_prediction

    problem, settings, notes = prepare(str(ROOT / "examples" / "fcn2_he3.scale"), {"N": f"{n_over_d}*d"})
    text = codegen(problem, solve_prediction(problem, "d"), plan_for("small"), settings, notes)
    path = Path(tempfile.mkdtemp()) / f"bench_sim_{n_over_d}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(step, seconds: float, sync) -> float:
    """Seconds per call of step(), measured for about `seconds` after a warm-up."""
    for _ in range(3):
        step()
    sync()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        n += 1
    sync()
    return (time.perf_counter() - start) / n


def batched_rate(sim, d, P, chains, device, seconds, sync, compiled=False):
    gen = torch.Generator(device=device).manual_seed(0)
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, P, teachers, "bench", d, P)
    X = x.float().to(device).expand(chains, P, d).contiguous()
    Y = y.float().to(device).expand(chains, P).contiguous()
    state = sim.initial_state(d, chains, ["prior"] * chains, [teachers] * chains, torch.float32, device, gen)
    sim.measure_step_size(state, X, gen, first=True)
    step = torch.compile(sim.sampler_step) if compiled else sim.sampler_step
    step(state, X, Y, gen)  # the compilation is not timed (a sweep pays it once per shape)
    return timed(lambda: step(state, X, Y, gen), seconds, sync) / chains


def loop_rate(sim, d, P, chains, device, seconds, sync):
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

    return timed(step, seconds, sync) / chains


def flops_per_chain_step(d, N, P):
    """Multiply-adds x 2 of the sampler step: forward, readout precision and draw, backward."""
    return 2 * P * d * N + 2 * P * N * N + 2 * P * N + N**3 / 3 + 4 * N * N + 2 * P * N + 2 * P * d * N


def matmul_rate(d, N, P, chains, device, seconds, sync):
    """FLOP/s of a bare batched matmul (chains, P, d) @ (chains, d, N)."""
    a = torch.randn(chains, P, d, device=device)
    b = torch.randn(chains, d, N, device=device)
    return 2 * chains * P * d * N / timed(lambda: a @ b, seconds, sync)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0, help="timing window per measurement")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--compile", action="store_true",
                        help="also time the torch.compile'd step (the scripts' --compile)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    print(f"device {args.device}, {torch.get_num_threads()} threads, torch {torch.__version__}")
    for d, n_over_d, P, chains in ((8, "1", 64, 64), (32, "2", 256, 64)):
        sim = generated_module(n_over_d)
        N = sim.widths(d)[0]
        batched = batched_rate(sim, d, P, chains, args.device, args.seconds, sync)
        loop = loop_rate(sim, d, P, chains, args.device, args.seconds, sync)
        achieved = flops_per_chain_step(d, N, P) / batched
        bare = matmul_rate(d, N, P, chains, args.device, args.seconds, sync)
        print(f"d={d} N={N} P={P} {chains} chains: batched {1 / batched:,.0f} chain-steps/s, "
              f"loop {1 / loop:,.0f} chain-steps/s, ratio {loop / batched:.1f}x; "
              f"sampler {achieved / 1e9:.2f} GFLOP/s vs bare batched matmul {bare / 1e9:.2f} GFLOP/s "
              f"({achieved / bare:.2f} of it)")
        if args.compile:
            fused = batched_rate(sim, d, P, chains, args.device, args.seconds, sync, compiled=True)
            rate = flops_per_chain_step(d, N, P) / fused
            print(f"  --compile: {1 / fused:,.0f} chain-steps/s ({loop / fused:.1f}x the loop, "
                  f"{batched / fused:.2f}x eager); sampler {rate / 1e9:.2f} GFLOP/s "
                  f"({rate / bare:.2f} of the bare matmul)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
