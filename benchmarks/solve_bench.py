"""Benchmark of the exponent engine and of ``scalelang solve`` in one run.

Plain Python: ``python benchmarks/solve_bench.py`` (``--quick`` lowers the per-case time limits;
``--examples`` runs the end-to-end rows alone; ``--bytecode`` keeps only the first of them).
It prints one row per target, each with MET or MISSED, after the engine's own figures:

- the hand-worked energies of docs/method.md (section 10) through the engine (target < 50 ms each);
- ``python -m scalelang solve`` on every example against ``python -c "import sympy"`` in the
  same run (subprocesses run in turn, the median of five pairs' ratios; target <= 1.5x), twice:
  from bytecode compiled beforehand, as an installed package runs, then as the environment
  has it (where PYTHONDONTWRITEBYTECODE is set, scalelang's modules compiled from source on
  every run);
- deep erf chains learning He3 (``workloads.chain``, every pattern in every layer) with every
  width = d, through ``api.load(...).solve(N="d")``: depth 4 < 2 s, depth 6 < 5 s;
- the same chains with independent widths, the global piecewise answer (phases, P*,
  boundaries): depth 3 (four scales) < 3 s, depth 4 < 20 s; depth 3 again with every
  assignment's own table (``solve --assignments``; no target);
- synthetic chains through ``compare_assignments`` (branch-and-bound; four candidate costs per
  layer coupling layer l to l-1), depth 2..8: depth 8 < 10 s.

Every row also stays under 1 GiB (the case's peak resident memory, column MiB). Cases run in
subprocesses with a time limit each, so the benchmark always finishes; a case over its limit
prints "> limit" and counts as MISSED where it has a target.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
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
        (
            "three-layer GP-Spec",
            program_from_sympy(M2 * d + N2 / M2, [M2], [(1, M2, N2)], three),
            c3,
            dom(c3),
        ),
        (
            "three-layer Spec-Mag",
            program_from_sympy(
                M1 * d + N1 * beta / M1 + N2 / beta,
                [M1, beta],
                [(1, M1, N1), (None, beta, N2)],
                three,
            ),
            c3,
            dom(c3),
        ),
    ]


def chain_program_of(depth):
    """program_of(prefix) for the synthetic chain: prefix energies are relaxations of their
    completions (a subset of the terms and bounds), as compare_assignments requires."""
    u = sympy.symbols(f"u1:{depth + 1}", positive=True)
    log = {"d": Affine.var("d"), "N": Affine.var("N")}

    def cost(choice, layer):
        prev = u[layer - 1] if layer else d
        me = u[layer]
        return [
            me * prev + N / me,  # specialization-like: balance against N
            d**2 * prev / me + me,  # amplification-like
            me * N / prev + prev * d / me,  # magnetization-like, coupled both ways
            d**3 / me + me**2,
        ][choice]  # lazy-like readout cost

    def program_of(prefix):
        energy = sum(cost(c, layer) for layer, c in enumerate(prefix))
        bounds = [(1, u[layer], N) for layer in range(len(prefix))]
        return program_from_sympy(energy, list(u[: len(prefix)]), bounds, log, str(prefix))

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
    t, ph = timed(
        lambda: compare_assignments(
            choices, program_of, ("d", "N"), (Affine.var("d"), Affine.var("N"))
        )
    )
    winners = {key for region in ph.regions for key in region.winners}
    return {
        "s": t,
        "solved": ph.stats["solved"],
        "kept": ph.stats["kept"],
        "regions": len(ph.regions),
        "winners": len(winners),
    }


def _rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_deep_chain(depth: int, tied: bool = False, assignments: bool = False) -> dict:
    """One deep network (workloads.chain) through the whole pipeline, lowering included: the
    global answer (phases, P*, boundaries), and every assignment's own table with
    ``assignments``. ``tied``: every width is d (``solve(N="d")``), a one-scale problem."""
    from workloads import chain

    from scalelang import api

    t0 = time.perf_counter()
    model = api.load(chain(depth, tied=tied))
    solution = model.solve(N="d") if tied else model.solve()
    if assignments:
        len(solution.assignments)  # builds every assignment's own table
    data = solution.to_json()
    t = time.perf_counter() - t0
    tied_counts = [1 + len(p["tied"]) for p in data["phases"]]
    return {
        "s": t,
        "assignments": data.get("n_assignments") or len(data.get("assignments", ())),
        "phases": len(data["phases"]),
        "ties": max(tied_counts, default=0),
        "mib": _rss_mib(),
    }


def run_tied_chain(depth: int) -> dict:
    return run_deep_chain(depth, tied=True)


def run_tables_chain(depth: int) -> dict:
    return run_deep_chain(depth, assignments=True)


def run_synthetic(depth: int) -> dict:
    out = run_synthetic_chain(depth)
    out["mib"] = _rss_mib()
    return out


def run_two_teacher_chain(depth: int) -> dict:
    """A deep chain learning He3(w.x) + He3(v.x), every width = d: each layer may hold a group
    per teacher (docs/method.md section 4, "Groups"), which multiplies the walk."""
    from workloads import chain, with_teachers

    from scalelang import api

    t0 = time.perf_counter()
    text = with_teachers(chain(depth, target="He3(w . x) + He3(v . x)", tied=True), "wv")
    data = api.load(text).solve(N="d").to_json()
    return {"s": time.perf_counter() - t0, "p_star": data["p_star"]["expr"], "mib": _rss_mib()}


def run_doubled_degrees(depth: int) -> dict:
    """The chain of ``run_tied_chain`` with features kept up to twice the target's degree in
    every layer, as networks of two layers and one teacher keep them (``_feature_degree``;
    docs/method.md section 2). Its own process: the default's row is the tied chain's."""
    from workloads import chain

    from scalelang import api
    from scalelang.theory import lower

    lower._Context._feature_degree = staticmethod(lambda problem, degree: 2 * degree)
    t0 = time.perf_counter()
    data = api.load(chain(depth, tied=True)).solve(N="d").to_json()
    return {"s": time.perf_counter() - t0, "p_star": data["p_star"]["expr"], "mib": _rss_mib()}


CASES = {
    "teachers": run_two_teacher_chain,
    "doubled": run_doubled_degrees,
    "synthetic": run_synthetic,
    "deep": run_deep_chain,
    "tied": run_tied_chain,
    "tables": run_tables_chain,
}


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


def wall(cmd: list, env: dict | None = None) -> float:
    """Wall time of one run of a subprocess."""
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False, env=env)
    return time.perf_counter() - t


def paired(cmd: list, base_cmd: list, repeat: int = 5, env: dict | None = None) -> tuple:
    """``(median time of cmd, median time of base_cmd, median ratio)``: the two run in turn,
    ``repeat`` pairs, and the ratio is taken pair by pair, so that a machine whose speed drifts
    (other jobs start or stop) moves both sides of a ratio alike."""
    pairs = [(wall(cmd, env), wall(base_cmd, env)) for _ in range(repeat)]
    ratios = [t / b for t, b in pairs]
    return (
        statistics.median(t for t, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(ratios),
    )


def examples_rows(results: list, both: bool) -> None:
    """The end-to-end row as an installed package runs (bytecode), then, unless ``both`` is
    false, as this checkout runs where PYTHONDONTWRITEBYTECODE is set (from source)."""
    examples_row(results, bytecode=True)
    if both:
        print()
        examples_row(results, bytecode=False)


def examples_row(results: list, bytecode: bool) -> None:
    """``python -m scalelang solve`` on every example against ``python -c "import sympy"``
    (five pairs each, run in turn; the median of the pairs' ratios; target <= 1.5x).
    ``bytecode``: both run from bytecode compiled beforehand (one untimed run of each, writing
    to a temporary PYTHONPYCACHEPREFIX), as an installed package runs; without it they run as
    the environment has them, so where PYTHONDONTWRITEBYTECODE is set a checkout's modules are
    compiled from source on every run while sympy's come from its installed bytecode."""
    env = None
    if bytecode:
        prefix = tempfile.mkdtemp(prefix="solve-bench-pyc-")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = prefix
    base_cmd = [sys.executable, "-c", "import sympy"]
    solve_cmd = lambda name: [sys.executable, "-m", "scalelang", "solve", f"examples{os.sep}{name}"]
    examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".scale"))
    for cmd in [base_cmd] + [solve_cmd(name) for name in examples]:
        subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False, env=env)  # warm-up
    print(
        'end to end: python -m scalelang solve EXAMPLE against python -c "import sympy", run in'
        " turn (median of 5 pairs' ratios; target <= 1.5x)"
        + ("; bytecode compiled beforehand" if bytecode else "; as the environment has it")
        + (
            " (PYTHONDONTWRITEBYTECODE is set: scalelang's modules are compiled on every run)"
            if not bytecode and os.environ.get("PYTHONDONTWRITEBYTECODE")
            else ""
        )
    )
    for name in examples:
        t, base, ratio = paired(solve_cmd(name), base_cmd, env=env)
        ok = ratio <= 1.5
        how = "bytecode" if bytecode else "from source"
        results.append((f"scalelang solve {name} <= 1.5x import sympy ({how})", ok))
        print(
            f"{'scalelang solve ' + name:<46}{t:>8.2f} s  against {base:.2f} s"
            f"  {ratio:>5.2f}x  {mark(ok)}"
        )
    if bytecode:
        shutil.rmtree(prefix, ignore_errors=True)


def mark(ok: bool) -> str:
    return "MET" if ok else "MISSED"


MIB = 1024  # every row stays under 1 GiB


def series(
    kind: str, depths, limit: float, results: list, target: float | None, name: str, row
) -> None:
    """One line per depth of a ``limited`` case; the deepest carries the target (seconds, and
    memory under 1 GiB). After a depth runs past the limit the deeper ones are skipped."""
    over = False
    for depth in depths:
        last = target is not None and depth == depths[-1]
        res = None if over else limited(kind, depth, limit)
        if res is None or "error" in res:
            why = (
                res["error"]
                if res
                else (
                    f"> {limit:.0f} s"
                    if not over
                    else "skipped (a shallower depth ran past the limit)"
                )
            )
            over = True
            print(f"{depth:>5}  {why}" + (f"  {mark(False)}" if last else ""))
        else:
            ok = res["s"] < target and res["mib"] < MIB if last else None
            print(
                f"{depth:>5}{row(depth, res)}{res['mib']:>8.0f}" + (f"  {mark(ok)}" if last else "")
            )
        if last:
            results.append(
                (
                    name,
                    res is not None
                    and "error" not in res
                    and res["s"] < target
                    and res["mib"] < MIB,
                )
            )


def main():
    quick = "--quick" in sys.argv
    results = []  # (target description, met?)
    if "--examples" in sys.argv:  # the end-to-end rows alone
        examples_rows(results, both="--bytecode" not in sys.argv)
        return
    print("docs/method.md section 10 energies (target < 50 ms each)")
    print(f"{'energy':<24}{'pieces':>7}{'ms':>10}  target")
    for name, prog, coords, dom in section6():
        solve(prog, coords, dom)  # warm caches of the interpreter, not of the engine
        t, vf = timed(lambda prog=prog, coords=coords, dom=dom: solve(prog, coords, dom), repeat=3)
        ok = t < 0.05
        results.append((f"section 10 {name} < 50 ms", ok))
        print(f"{name:<24}{len(vf.pieces):>7}{1000 * t:>10.1f}  {mark(ok)}")
    c3 = ("d", "N1", "N2")
    progs = [p for n, p, c, _ in section6() if c == c3]
    t, ph = timed(
        lambda: compare(
            [
                (p.label or str(i), solve(p, c3, tuple(Affine.var(c) for c in c3)))
                for i, p in enumerate(progs)
            ],
            c3,
            tuple(Affine.var(c) for c in c3),
        )
    )
    print(f"{'three-layer compare':<24}{len(ph.regions):>7}{1000 * t:>10.1f}  (regions)")

    print()
    examples_rows(results, both="--bytecode" not in sys.argv)

    header = f"{'depth':>5}{'assignments':>13}{'phases':>8}{'ties':>6}{'s':>9}{'MiB':>8}  target"
    deep_row = lambda d, r: f"{r['assignments']:>13}{r['phases']:>8}{r['ties']:>6}{r['s']:>9.2f}"

    print()
    limit = 30.0 if quick else 60.0
    print(
        "deep erf chains learning He3, every pattern per layer, every width = d "
        f"(api.load(chain(depth, tied=True)).solve(N='d'); limit {limit:.0f} s per depth)"
    )
    print(header)
    series("tied", range(2, 5), limit, results, 2.0, "depth 4, widths = d < 2 s", deep_row)
    series("tied", range(5, 7), limit, results, 5.0, "depth 6, widths = d < 5 s", deep_row)

    print()
    print(
        "deep erf chains, independent widths (depth 3: 4 scales), the global piecewise answer "
        f"(api.load(chain(depth)).solve(); limit {limit:.0f} s per depth)"
    )
    print(header)
    series("deep", range(2, 4), limit, results, 3.0, "depth 3, independent widths < 3 s", deep_row)
    series(
        "deep", range(4, 5), limit, results, 20.0, "depth 4, independent widths < 20 s", deep_row
    )
    print("  and with every assignment's own table (solve --assignments; no target)")
    series("tables", range(3, 4), limit, results, None, "", deep_row)

    print()
    limit = 20.0 if quick else 60.0
    print(
        f"synthetic chains, every assignment compared by branch-and-bound (target depth 8 < 10 s;"
        f" limit {limit:.0f} s per depth)"
    )
    print(
        f"{'depth':>5}{'assignments':>13}{'LP solves':>11}{'kept':>7}{'winners':>9}{'regions':>9}"
        f"{'s':>9}{'MiB':>8}  target"
    )
    series(
        "synthetic",
        range(2, 9),
        limit,
        results,
        10.0,
        "synthetic chain depth 8 < 10 s",
        lambda d, r: (
            f"{4**d:>13}{r['solved']:>11}{r['kept']:>7}{r['winners']:>9}"
            f"{r['regions']:>9}{r['s']:>9.2f}"
        ),
    )

    print()
    print(
        "reach, no target (limit {:.0f} s): chains with every width = d learning He3(w.x) + "
        "He3(v.x), a group per teacher in each layer; then learning He3 with features kept up "
        "to degree 6 (the default keeps 3 beyond two layers: its figures are the first "
        "table's)".format(limit)
    )
    print(f"{'depth':>5}{'P*':>14}{'s':>9}{'MiB':>8}")
    reach_row = lambda d, r: f"{r['p_star']:>14}{r['s']:>9.2f}"
    series("teachers", range(2, 4), limit, [], None, "", reach_row)
    series("doubled", range(3, 5), limit, [], None, "", reach_row)

    print()
    missed = [name for name, ok in results if not ok]
    print("all targets met" if not missed else "MISSED: " + "; ".join(missed))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        print(json.dumps(CASES[sys.argv[2]](int(sys.argv[3]))))
    else:
        main()
