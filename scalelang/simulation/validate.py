"""``validate``: codegen, run, fit and report in one go.

Owns the orchestration only: it writes the generated script into a work directory, runs it as a
subprocess (so what is validated is exactly the standalone script), relays its progress to
standard error, fits the results with ``scalelang.simulation.fit`` and writes ``report.md``.
Rerunning the same command resumes an interrupted sweep (the script checkpoints).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from scalelang.simulation.cluster import Resources, run_sweep
from scalelang.simulation.fit import FitReport, fit_results

PROGRESS = re.compile(r"^progress\s+([\d.]+)%")


def run_script(
    script: Path, results: Path, threads: int | None = None, extra=(), echo=sys.stderr
) -> int:
    """Run a generated script to completion, relaying progress lines; returns its exit status."""
    cmd = [sys.executable, str(script), "--out", str(results), *extra]
    if threads:
        cmd += ["--threads", str(threads)]
    started = time.time()
    with subprocess.Popen(
        cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as proc:
        for line in proc.stderr:
            line = line.rstrip()
            match = PROGRESS.match(line)
            if match:
                pct = float(match.group(1))
                bar = "#" * int(pct / 5) + "." * (20 - int(pct / 5))
                rest = line[match.end() :].strip()
                line = f"[{bar}] {pct:5.1f}%  {time.time() - started:6.0f}s  {rest}"
            print(f"validate: {line}", file=echo, flush=True)
        return proc.wait()


def write_report(report: FitReport, workdir: Path, header: list[str]) -> Path:
    path = workdir / "report.md"
    path.write_text("\n".join(header) + "\n\n" + report.to_markdown(), encoding="utf-8")
    return path


def validate(
    script_text: str,
    workdir: Path,
    header: list[str],
    threads: int | None = None,
    n_boot: int = 2000,
    extra=(),
    resources: Resources | None = None,
) -> tuple[int, FitReport | None, Path | None]:
    """Write, run, fit, report. Returns (script exit status, report or None, report path or None).
    With ``resources`` the sweep runs as jobs, one per shard (``cluster.run_sweep``), and the fit
    reads every shard's results."""
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "sim.py"
    script.write_text(script_text, encoding="utf-8")
    if resources is None:
        results = workdir / "results.jsonl"
        status = run_script(script, results, threads, extra)
        if status != 0:
            return status, None, None
    else:
        threads_flag = ("--threads", str(threads or resources.cpus_per_job))
        failed = run_sweep(script, workdir, resources, (*extra, *threads_flag))
        if failed:
            return 1, None, None
        results = workdir / "shards"
    report = fit_results(str(results), n_boot=n_boot, plot=str(workdir / "collapse.png"))
    return 0, report, write_report(report, workdir, header)
