"""How long a GPU configuration should take, from the CPU timings of a pilot of the same script.

usage: python experiments/estimate_gpu.py SIM.py PILOT_RESULTS.jsonl -- GPU FLAGS...

A step's work per chain is counted in multiply-adds x 2 (the dominant terms only):
  dense      6 P sum_l N_{l-1} N_l  +  2 P N_L^2  +  N_L^3 / 3   (forward, backward and the
             Gauss-Newton products; the readout's H^T H; its Cholesky)
  conv       6 P n C d  +  2 P (C n)^2  +  (C n)^3 / 3
  attention  6 P H (d^2 + 2 L d)  +  2 P (H d)^2  +  (H d)^3 / 3
The pilot's batches give the CPU's rate on this count (their `seconds` field), which absorbs what
the count leaves out (autograd, observables, the step-size measurements). The GPU is assumed to do
the same work GPU_SPEEDUP times faster than that one CPU thread, and no step to take less than a
floor: FLOOR_S (an eager step launches a few hundred small kernels) or, where larger, the pilot's
own fastest step, Python's and torch's dispatch work per step, which a GPU does not shorten. Both
are assumptions, not measurements: no GPU was at hand when these configurations were sized.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import defaultdict

GPU_SPEEDUP = 200.0  # one H100 against one CPU thread on these batched shapes (about 5% of peak)
FLOOR_S = 0.003  # seconds per step of kernel launches, however small the batch


def load(path):
    spec = importlib.util.spec_from_file_location("sim_for_estimate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flops(sim, d: int, P: int) -> float:
    """Floating-point operations of one step of one chain (the module docstring's count)."""
    widths = sim.widths(d)
    if sim.KIND == "conv":
        C, n = widths[0], sim.patches(d)
        return 6 * P * n * C * d + 2 * P * (C * n) ** 2 + (C * n) ** 3 / 3
    if sim.KIND == "attention":
        H, L = widths[0], sim.tokens(d)
        return 6 * P * H * (d * d + 2 * L * d) + 2 * P * (H * d) ** 2 + (H * d) ** 3 / 3
    dims = [d, *widths]
    hidden = sum(a * b for a, b in zip(dims, dims[1:]))
    return 6 * P * hidden + 2 * P * dims[-1] ** 2 + dims[-1] ** 3 / 3


def cpu_rate(sim, rows) -> tuple[float, float]:
    """FLOP/s of the pilot (its counted work over its measured seconds, summed over batches) and
    the seconds of its fastest step (the least of its batches' seconds per step)."""
    batches = defaultdict(list)
    for row in rows:
        batches[(row["d"], row["P"])].append(row)
    work = seconds = 0.0
    fastest = float("inf")
    for (d, P), chains in batches.items():
        work += flops(sim, d, P) * chains[0]["steps"] * len(chains)
        seconds += chains[0]["seconds"]
        fastest = min(fastest, chains[0]["seconds"] / chains[0]["steps"])
    return work / seconds, fastest


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv or argv.index("--") != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    script, pilot, flags = argv[0], argv[1], argv[3:]
    sim = load(script)
    rows = [json.loads(line) for line in open(pilot) if line.strip()]
    rate, fastest = cpu_rate(sim, rows)
    floor = max(FLOOR_S, fastest)
    cfg = sim.parse_args([*flags, "--device", "cpu", "--out", "/dev/null"])
    chains = cfg["seeds"] * len(cfg["starts"])
    total = 0.0
    lines = []
    for d in cfg["dims"]:
        for P in sim.sample_sizes(d, cfg):
            work = flops(sim, d, P) * chains
            step = max(work / (rate * GPU_SPEEDUP), floor)
            total += step * cfg["steps"]
            lines.append(f"  d={d} P={P}: {step * 1e3:.1f} ms/step, {step * cfg['steps']:.0f} s")
    print(
        f"{sim.PROBLEM}: pilot rate {rate / 1e9:.1f} GFLOP/s on the CPU; {chains} chains x "
        f"{cfg['steps']} steps per batch; assumed GPU {GPU_SPEEDUP:g}x that, floor "
        f"{floor * 1e3:.1f} ms/step (the pilot's fastest step: {fastest * 1e3:.1f} ms)"
    )
    print("\n".join(lines))
    print(f"  estimated sampling time: {total:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
