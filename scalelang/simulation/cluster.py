"""A sweep as jobs on a scheduler: the grid cut into shards, one job per shard, progress across
jobs while they run, and a rerun that resumes.

submitit (the standard Python client for SLURM, whose local executor runs the same jobs as
processes on this machine) submits and watches the jobs; each job runs the generated script on
its shard (``python sim.py --shard K/N --out shards/results-K-of-N.jsonl``), so the script stays
the unit of work and can be run by hand. The results files are the state: a shard is finished
when ``sim.py --shard K/N --status`` says its file holds every batch, so a rerun of the same
command skips finished shards, waits for the jobs of the last run that are still queued or
running (their ids are kept in ``jobs/ids.json``), and submits the rest again (a cancelled or
failed shard resumes from its checkpoint; nothing computed is lost or counted twice).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROGRESS = re.compile(r"^progress\s+([\d.]+)%", re.MULTILINE)


@dataclass(frozen=True)
class Resources:
    """What each job asks the scheduler for."""

    executor: str = "local"  # "local" (processes here) or "slurm"
    jobs: int = 4  # shards, one job each
    partition: str | None = None
    gpus_per_job: int = 0
    cpus_per_job: int = 1
    time_limit: int = 60  # minutes per job


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (from 1) of ``count`` of a sweep in ``workdir``."""

    index: int
    count: int
    workdir: Path

    @property
    def name(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def out(self) -> Path:
        return self.workdir / "shards" / f"results-{self.index}-of-{self.count}.jsonl"

    def argv(self, extra=()) -> list[str]:
        return ["--shard", self.name, "--out", str(self.out), *extra]


def run_shard(script: str, argv: list[str]) -> int:
    """What a job runs: the generated script on its shard (stderr is the job's log, where the
    script's progress lines are read from). Raises when the script fails, so the job fails."""
    status = subprocess.run([sys.executable, script, *argv]).returncode
    if status != 0:
        raise RuntimeError(f"{Path(script).name} {' '.join(argv)} exited with status {status}")
    return 0


def shard_status(script: Path, shard: Shard, extra=()) -> dict:
    """The script's own account of the shard: ``{"batches": n, "done": m, "complete": bool}``."""
    argv = [sys.executable, str(script), *shard.argv(extra), "--status"]
    run = subprocess.run(argv, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"{script.name} --status failed: {run.stderr.strip()[-500:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def executor_for(resources: Resources, folder: Path, name: str):
    """A submitit executor with the resources of one job."""
    import submitit

    executor = submitit.AutoExecutor(folder=folder / "%j", cluster=resources.executor)
    params = dict(
        timeout_min=resources.time_limit,
        cpus_per_task=resources.cpus_per_job,
        name=name,
    )
    if resources.gpus_per_job:
        params["gpus_per_node"] = resources.gpus_per_job
    if resources.executor == "slurm" and resources.partition:
        params["slurm_partition"] = resources.partition
    executor.update_parameters(**params)
    return executor


def _queued(job_ids) -> dict:
    """job id -> its state, for the jobs the scheduler still has queued or running. SLURM is asked
    through squeue, which every cluster has (submitit's own watcher needs sacct, that is job
    accounting, which a small cluster may not keep); a local job is asked directly."""
    job_ids = [str(j) for j in job_ids]
    if not job_ids:
        return {}
    run = subprocess.run(
        ["squeue", "-h", "-o", "%i %T", "-j", ",".join(job_ids)], capture_output=True, text=True
    )
    listed = dict(line.split(None, 1) for line in run.stdout.splitlines() if line.strip())
    return {job_id: state.strip() for job_id, state in listed.items() if job_id in job_ids}


def _attach(resources: Resources, folder: Path, job_id: str):
    """The job of an earlier run, if the scheduler still has it queued or running."""
    if resources.executor != "slurm" or job_id not in _queued([job_id]):
        return None  # a local job lives only as long as the command that started it
    import submitit

    return submitit.SlurmJob(folder=folder / "%j", job_id=job_id)


def _progress_of(job) -> float:
    """The last progress the job's script reported (0 to 1), read from its log."""
    try:
        found = PROGRESS.findall(Path(job.paths.stderr).read_text(errors="replace"))
    except OSError:
        return 0.0
    return float(found[-1]) / 100 if found else 0.0


def run_sweep(
    script: Path,
    workdir: Path,
    resources: Resources,
    extra=(),
    echo=sys.stderr,
    poll: float = 2.0,
) -> list[Shard]:
    """Run every unfinished shard as a job and wait for them all; the shards that failed (empty
    when the sweep is complete). Rerunning resumes (the module's docstring says how)."""
    folder = workdir / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    (workdir / "shards").mkdir(exist_ok=True)
    ids_path = folder / "ids.json"
    ids = json.loads(ids_path.read_text()) if ids_path.exists() else {}
    shards = [Shard(k, resources.jobs, workdir) for k in range(1, resources.jobs + 1)]
    executor = executor_for(resources, folder, f"scalelang-{workdir.name}")
    jobs = {}
    for shard in shards:
        if shard_status(script, shard, extra)["complete"]:
            continue
        job = _attach(resources, folder, ids[shard.name]) if shard.name in ids else None
        if job is None:
            job = executor.submit(run_shard, str(script.resolve()), shard.argv(extra))
        jobs[shard.name] = job
        ids[shard.name] = str(job.job_id)
    ids_path.write_text(json.dumps(ids, indent=1))
    finished = len(shards) - len(jobs)
    print(
        f"validate: {len(shards)} shards, {finished} already done, {len(jobs)} submitted "
        f"({resources.executor}; job logs in {folder})",
        file=echo,
        flush=True,
    )
    by_name = {s.name: s for s in shards}
    complete = lambda name: shard_status(script, by_name[name], extra)["complete"]  # noqa: E731
    failed = _wait(resources, jobs, complete, finished, len(shards), echo, poll)
    return [by_name[name] for name in failed]


def _wait(resources, jobs: dict, complete, finished: int, total: int, echo, poll: float) -> list:
    """Wait for ``jobs`` (shard name -> job), printing done / running / queued / failed and an
    ETA whenever that changes; the names of the shards whose job ended before their results were
    complete (cancelled, failed, out of time)."""
    started, last, ended = time.time(), "", {}  # ended: name -> its shard is complete
    while True:
        if resources.executor == "slurm":
            queued = _queued([job.job_id for job in jobs.values()])
            state = {name: queued.get(str(job.job_id)) for name, job in jobs.items()}
        else:
            state = {name: (None if job.done() else "RUNNING") for name, job in jobs.items()}
        for name in jobs:
            if state[name] is None and name not in ended:
                ended[name] = complete(name)
        done = sum(ended.values())
        failed = [name for name, ok in ended.items() if not ok]
        running = sum(1 for s in state.values() if s == "RUNNING")
        waiting = len(jobs) - len(ended) - running
        fraction = (
            finished
            + done
            + sum(_progress_of(job) for name, job in jobs.items() if name not in ended)
        ) / total
        elapsed = time.time() - started
        eta = (
            f", about {elapsed * (1 - fraction) / fraction / 60:.0f} min left"
            if 0.02 < fraction < 1
            else ""
        )
        line = (
            f"shards: {finished + done} done, {running} running, {waiting} queued, "
            f"{len(failed)} failed; {100 * fraction:.0f}%{eta}"
        )
        if line != last:
            print(f"validate: {line}", file=echo, flush=True)
            last = line
        if len(ended) == len(jobs):
            for name in failed:
                print(
                    f"validate: shard {name} ended before its results were complete; its log: "
                    f"{jobs[name].paths.stderr}",
                    file=echo,
                    flush=True,
                )
            return failed
        time.sleep(poll)
