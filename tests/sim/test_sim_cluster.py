"""Sweeps as jobs (scalelang/simulation/cluster.py): the shards of a grid cover it once; a sweep
run as jobs through submitit's local executor, and one through a real SLURM scheduler whose job is
cancelled mid-run and resumed by rerunning the command, give exactly the rows, and so the fit, of
one uninterrupted run in one process.

The SLURM case needs a running cluster: `.ci/run` starts a one-node one (`.ci/slurm start`); where
none answers, the test skips and says why."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("submitit")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "fcn2_he3.scale")
# A smoke grid whose chains run long enough (several seconds a job) to be cancelled while they run:
# with half as many steps a job could end between its first progress line and the cancel.
SWEEP = ["--set", "N=d", "--budget", "smoke", "--steps", "3000", "--burn-in", "1500", "--boot", "50"]
ENV = {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}


def validate(workdir, *flags, wait=True):
    """``scalelang validate`` on the example, in its own process (as a user types it)."""
    command = [
        sys.executable,
        "-m",
        "scalelang",
        "validate",
        EXAMPLE,
        *SWEEP,
        "--workdir",
        str(workdir),
        *flags,
    ]
    env = {**__import__("os").environ, **ENV}
    if not wait:
        return subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def rows(*paths):
    """Every chain's row, without what differs between runs of the same chain (time, device)."""
    out = {}
    for path in paths:
        for line in Path(path).read_text().splitlines():
            row = json.loads(line)
            for key in ("seconds", "device"):
                row.pop(key)
            out[(row["d"], row["P"], row["seed"], row["start"])] = row
    return out


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    """The uninterrupted run in one process: the reference."""
    workdir = tmp_path_factory.mktemp("one-process")
    run = validate(workdir, "--threads", "1")
    assert run.returncode == 0, run.stderr[-2000:]
    return rows(workdir / "results.jsonl"), (workdir / "report.md").read_text()


def exponent_line(report: str) -> str:
    return next(line for line in report.splitlines() if line.startswith("| prior"))


def test_the_shards_cover_the_grid_once(tmp_path):
    from scalelang.cli import main

    assert main(["codegen", EXAMPLE, "--set", "N=d", "-o", str(tmp_path / "sim.py")]) == 0
    status = [
        json.loads(
            subprocess.run(
                [
                    sys.executable,
                    str(tmp_path / "sim.py"),
                    "--smoke",
                    "--shard",
                    f"{k}/3",
                    "--status",
                    "--out",
                    str(tmp_path / f"s{k}.jsonl"),
                ],
                capture_output=True,
                text=True,
            ).stdout
        )
        for k in (1, 2, 3)
    ]
    whole = json.loads(
        subprocess.run(
            [
                sys.executable,
                str(tmp_path / "sim.py"),
                "--smoke",
                "--status",
                "--out",
                str(tmp_path / "w.jsonl"),
            ],
            capture_output=True,
            text=True,
        ).stdout
    )
    assert sum(s["batches"] for s in status) == whole["batches"] == 4
    assert all(s["batches"] >= 1 for s in status)


def test_jobs_on_the_local_executor_give_the_one_process_rows(tmp_path, one_process):
    reference, report = one_process
    run = validate(tmp_path, "--executor", "local", "--jobs", "2")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "shards: 2 done, 0 running, 0 queued, 0 failed; 100%" in run.stderr
    shards = sorted((tmp_path / "shards").glob("*.jsonl"))
    assert len(shards) == 2
    assert rows(*shards) == reference
    assert exponent_line((tmp_path / "report.md").read_text()) == exponent_line(report)
    again = validate(tmp_path, "--executor", "local", "--jobs", "2")
    assert "2 already done, 0 submitted" in again.stderr


def slurm_answers() -> str | None:
    """None when a SLURM node is up, else why not."""
    if shutil.which("sinfo") is None:
        return "no SLURM here (.ci/slurm start sets up a one-node cluster)"
    state = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
    if state.returncode != 0 or not {"idle", "mixed", "allocated"} & set(state.stdout.split()):
        return f"SLURM does not answer: {state.stderr.strip() or state.stdout.strip()}"
    return None


@pytest.mark.skipif(slurm_answers() is not None, reason=str(slurm_answers()))
def test_a_slurm_job_cancelled_mid_run_resumes_to_the_one_process_rows(tmp_path, one_process):
    reference, report = one_process
    first = validate(tmp_path, "--executor", "slurm", "--jobs", "2", wait=False)
    ids = tmp_path / "jobs" / "ids.json"
    deadline, victim = time.monotonic() + 120, None
    while victim is None and time.monotonic() < deadline:  # a job that has started its chains
        time.sleep(0.1)  # the job is cancelled at its first sign of work, long before it ends
        if ids.exists():
            for job_id in json.loads(ids.read_text()).values():
                log = tmp_path / "jobs" / job_id / f"{job_id}_0_log.err"
                if log.exists() and list((tmp_path / "shards").glob("*.ckpt")) + [
                    line for line in log.read_text().splitlines() if "progress" in line
                ]:
                    victim = job_id
                    break
    assert victim is not None, "no job started"
    subprocess.run(["scancel", victim], check=True)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 1 and "rerun the same command to resume" in err
    assert "ended before its results were complete" in err

    again = validate(tmp_path, "--executor", "slurm", "--jobs", "2")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "1 already done, 1 submitted" in again.stderr
    assert rows(*sorted((tmp_path / "shards").glob("*.jsonl"))) == reference
    assert exponent_line((tmp_path / "report.md").read_text()) == exponent_line(report)


def test_a_smoke_run_keeps_out_of_the_real_results(tmp_path):
    from scalelang.cli import main

    assert main(["codegen", EXAMPLE, "--set", "N=d", "-o", str(tmp_path / "sim.py")]) == 0
    run = subprocess.run(
        [sys.executable, "sim.py", "--smoke", "--quiet", "--threads", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "fcn2_he3_smoke_results.jsonl").exists()
    assert not (tmp_path / "fcn2_he3_results.jsonl").exists()
