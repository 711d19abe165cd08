"""Benchmark of the exponent engine and of ``scalelang solve`` (issues 3 and 4), in one run.

Plain Python: ``python benchmarks/solve_bench.py`` (``--quick`` lowers the per-case time limits).

Part 1 times ``solve`` on each docs/method.md §10 energy (target: < 50 ms each after import).
Part 2 times ``compare_assignments`` (branch-and-bound) on synthetic chains of depth 2..8: one
variational parameter u_l per layer (1 <= u_l <= N), four candidate energies per layer coupling
layer l to layer l-1, every one of the 4^depth assignments compared (target: depth 8 < 10 s).
Part 3 times ``python -m scalelang solve`` end to end on every file in examples/ against
``python -c "import sympy"`` in the same run (subprocesses, median of 3; target: at most 2x).
Part 4 times deep fully connected chains (``workloads.chain``, every pattern in every layer)
through ``scalelang.api.load(...).solve()`` at depth 2..6 (target: depth 6 < 10 s).
Part 5 (no target) lowers deep chains with one width for every layer and counts their candidate
energies and how many of them win somewhere in their own assignment.
Part 2 also counts the distinct assignments that win or tie somewhere ("winners").

Cases of parts 2 and 4 run in subprocesses with a time limit each, so the benchmark always
finishes; a case over its limit prints "> limit" and counts as MISSED where it has a target.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

import sympy  # noqa: E402

from scalelang.exponents import Affine, compare, compare_assignments, program_from_sympy, solve  # noqa: E402

d, N, N1, N2, M, M1, M2, beta = sympy.symbols("d N N1 N2 M M1 M2 beta", positive=True)


def section6():
    """(name, Program, coordinates, domain) for every energy of docs/method.md section 10."""
    two = {"d": Affine.var("d"), "N": Affine.var("N")}
    three = {k: Affine.var(k) for k in ("d", "N1", "N2")}
    c2, c3 = ("d", "N"), ("d", "N1", "N2")
    dom = lambda cs: tuple(Affine.var(c) for c in cs)
    return [
        ("two-layer GP", program_from_sympy(d**3, [], [], two), c2, dom(c2)),
        ("two-layer Spec", program_from_sympy(M * d + N / M, [M], [(1, M, N)], two), c2, dom(c2)),
        ("three-layer GP-GP", program_from_sympy(d**3, [], [], three), c3, dom(c3)),
        ("three-layer GP-Spec", program_from_sympy(M2 * d + N2 / M2, [M2], [(1, M2, N2)], three),
         c3, dom(c3)),
        ("three-layer Spec-Mag", program_from_sympy(
            M1 * d + N1 * beta / M1 + N2 / beta, [M1, beta], [(1, M1, N1), (None, beta, N2)],
            three), c3, dom(c3)),
    ]


def chain_program_of(depth):
    """program_of(prefix) for the synthetic chain: prefix energies are relaxations of their
    completions (a subset of the terms and bounds), as compare_assignments requires."""
    u = sympy.symbols(f"u1:{depth + 1}", positive=True)
    log = {"d": Affine.var("d"), "N": Affine.var("N")}

    def cost(choice, l):
        prev = u[l - 1] if l else d
        me = u[l]
        return [me * prev + N / me,              # specialization-like: balance against N
                d ** 2 * prev / me + me,         # amplification-like
                me * N / prev + prev * d / me,   # magnetization-like, coupled both ways
                d ** 3 / me + me ** 2][choice]   # lazy-like readout cost

    def program_of(prefix):
        energy = sum(cost(c, l) for l, c in enumerate(prefix))
        bounds = [(1, u[l], N) for l in range(len(prefix))]
        return program_from_sympy(energy, list(u[:len(prefix)]), bounds, log, str(prefix))

    return program_of


def timed(fn, repeat=1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run_synthetic_chain(depth: int) -> dict:
    """One synthetic chain through compare_assignments (run in a subprocess by ``limited``)."""
    program_of = chain_program_of(depth)
    choices = [range(4)] * depth
    t, ph = timed(lambda: compare_assignments(choices, program_of, ("d", "N"),
                                              (Affine.var("d"), Affine.var("N"))))
    winners = {key for region in ph.regions for key in region.winners}
    return {"s": t, "solved": ph.stats["solved"], "kept": ph.stats["kept"],
            "regions": len(ph.regions), "winners": len(winners)}


def run_deep_chain(depth: int) -> dict:
    """One deep network (workloads.chain) through the whole pipeline, lowering included."""
    from scalelang import api
    from workloads import chain

    t0 = time.perf_counter()
    model = api.load(chain(depth))
    solution = model.solve()
    t = time.perf_counter() - t0
    return {"s": t, "assignments": len(solution.assignments), "phases": len(solution.phases)}


def run_tied_chain(depth: int) -> dict:
    """A deep network with one width N for every layer: lowering time, candidate energies, and
    how many of them win or tie somewhere in their own assignment's envelope (the rest could be
    pruned; ``_Solver._assignment`` keeps exactly those for the comparison across assignments)."""
    from scalelang import api
    from scalelang.theory.lower import lower
    from scalelang.theory.scales import scale_space
    from scalelang.theory.solve import _Solver
    from workloads import chain

    problem = api.load(chain(depth, tied=True)).problem
    space = scale_space(problem)
    t0 = time.perf_counter()
    lowered = lower(problem, space)
    t_lower = time.perf_counter() - t0
    solver = _Solver(problem, space, lowered)
    useful = sum(len(solver._assignment(a)[1]) for a in lowered.assignments)
    return {"lower_s": t_lower, "s": time.perf_counter() - t0,
            "candidates": sum(len(a.candidates) for a in lowered.assignments), "useful": useful}


CASES = {"synthetic": run_synthetic_chain, "deep": run_deep_chain, "tied": run_tied_chain}


def limited(kind: str, depth: int, limit: float) -> dict | None:
    """Run one case in a fresh interpreter; None when it runs past ``limit`` seconds."""
    cmd = [sys.executable, os.path.abspath(__file__), "--case", kind, str(depth)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(cmd: list, repeat: int = 3) -> float:
    """Median wall time of a subprocess over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def mark(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def series(kind: str, depths, limit: float, results: list, target: str | None, row) -> None:
    """One line per depth of a ``limited`` case; the deepest carries the target ``target``
    (seconds < 10). After a depth runs past the limit the deeper ones are skipped, not run."""
    over = False
    for depth in depths:
        last = target is not None and depth == depths[-1]
        res = None if over else limited(kind, depth, limit)
        if res is None or "error" in res:
            why = res["error"] if res else (f"> {limit:.0f} s" if not over else
                                            "skipped (a shallower depth ran past the limit)")
            over = True
            print(f"{depth:>5}  {why}" + (f"  {mark(False)}" if last else ""))
        else:
            print(f"{depth:>5}{row(depth, res)}" + (f"  {mark(res['s'] < 10)}" if last else ""))
        if last:
            results.append((target, res is not None and "error" not in res and res["s"] < 10))


def main():
    quick = "--quick" in sys.argv
    results = []  # (target description, met?)
    print("docs/method.md section 10 energies (target < 50 ms each)")
    print(f"{'energy':<24}{'pieces':>7}{'ms':>10}  target")
    for name, prog, coords, dom in section6():
        solve(prog, coords, dom)  # warm caches of the interpreter, not of the engine
        t, vf = timed(lambda: solve(prog, coords, dom), repeat=3)
        ok = t < 0.05
        results.append((f"section 10 {name} < 50 ms", ok))
        print(f"{name:<24}{len(vf.pieces):>7}{1000 * t:>10.1f}  {mark(ok)}")
    c3 = ("d", "N1", "N2")
    progs = [p for n, p, c, _ in section6() if c == c3]
    t, ph = timed(lambda: compare([(p.label or str(i), solve(p, c3, tuple(Affine.var(c) for c in c3)))
                                   for i, p in enumerate(progs)], c3, tuple(Affine.var(c) for c in c3)))
    print(f"{'three-layer compare':<24}{len(ph.regions):>7}{1000 * t:>10.1f}  (regions)")

    print()
    limit = 20.0 if quick else 60.0
    print(f"synthetic chains, every assignment compared by branch-and-bound (target depth 8 < 10 s;"
          f" limit {limit:.0f} s per depth)")
    print(f"{'depth':>5}{'assignments':>13}{'LP solves':>11}{'kept':>7}{'winners':>9}{'regions':>9}"
          f"{'s':>9}  target")
    series("synthetic", range(2, 9), limit, results, "synthetic chain depth 8 < 10 s",
           lambda d, r: f"{4 ** d:>13}{r['solved']:>11}{r['kept']:>7}{r['winners']:>9}"
                        f"{r['regions']:>9}{r['s']:>9.2f}")

    print()
    print("end to end: python -m scalelang solve EXAMPLE (median of 3; target <= 2x the baseline)")
    base = wall([sys.executable, "-c", "import sympy"])
    label = 'python -c "import sympy"'
    print(f"{label:<46}{base:>8.2f} s  (baseline)")
    examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".scale"))
    for name in examples:
        t = wall([sys.executable, "-m", "scalelang", "solve", os.path.join("examples", name)])
        ok = t <= 2 * base
        results.append((f"scalelang solve {name} <= 2x import sympy", ok))
        print(f"{'scalelang solve ' + name:<46}{t:>8.2f} s  {t / base:>5.1f}x  {mark(ok)}")

    print()
    limit = 30.0 if quick else 60.0
    print(f"deep networks (workloads.chain, every pattern per layer) through api.load(...).solve()"
          f" (target depth 6 < 10 s; limit {limit:.0f} s per depth)")
    print(f"{'depth':>5}{'assignments':>13}{'phases':>8}{'s':>9}  target")
    series("deep", range(2, 7), limit, results, "deep chain depth 6 < 10 s",
           lambda d, r: f"{r['assignments']:>13}{r['phases']:>8}{r['s']:>9.2f}")

    print()
    limit = 60.0 if quick else 150.0
    print(f"deep networks with one width N (workloads.chain(tied=True)): lowering, candidate energies, "
          f"and those that win somewhere in their assignment (no target; limit {limit:.0f} s per depth)")
    print(f"{'depth':>5}{'lower s':>9}{'candidates':>12}{'useful':>8}{'total s':>9}")
    series("tied", range(2, 5), limit, results, None,
           lambda d, r: f"{r['lower_s']:>9.2f}{r['candidates']:>12}{r['useful']:>8}{r['s']:>9.2f}")

    print()
    missed = [name for name, ok in results if not ok]
    print("all targets met" if not missed else "MISSED: " + "; ".join(missed))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(CASES[sys.argv[2]](int(sys.argv[3]))))
    else:
        main()
