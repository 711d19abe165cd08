"""The results file and the checkpoint of a sweep survive what happens to running scripts: a
second run on the same --out, a kill inside a write, a checkpoint cut short or not a checkpoint."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

import pytest
from sim_helpers import CONFIG, make_problem, render, rows, run

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """The script, the results of an uninterrupted run, and a checkpoint taken at step 60."""
    folder = tmp_path_factory.mktemp("sweep")
    script = folder / "sim.py"
    script.write_text(render(make_problem(["d"])))
    whole = folder / "whole.jsonl"
    done = run(script, whole)
    assert done.returncode == 0, done.stderr
    stopped = run(script, folder / "stopped.jsonl", "--stop-after-steps", "60")
    assert stopped.returncode == 3, stopped.stderr
    checkpoint = (folder / "stopped.jsonl.ckpt").read_bytes()
    return script, whole, checkpoint


def test_a_checkpoint_holds_tensors_and_plain_containers_only(sweep, tmp_path):
    """It loads with weights_only=True: resuming runs no pickled code."""
    path = tmp_path / "c.ckpt"
    path.write_bytes(sweep[2])
    payload = torch.load(path, weights_only=True)
    assert payload["step"] == 60 and isinstance(payload["generator"], torch.Tensor)


def test_a_torn_last_line_is_dropped_and_its_batch_computed_again(sweep, tmp_path):
    script, whole, _ = sweep
    lines = whole.read_text().splitlines(keepends=True)
    assert len(lines) == 8  # two batches of four chains
    # killed while writing the second batch: one row of it complete, the next one cut short
    pieces = tmp_path / "pieces.jsonl"
    pieces.write_text("".join(lines[:5]) + lines[5][:40])
    done = run(script, pieces)
    assert done.returncode == 0, done.stderr
    assert "dropped an unfinished last line (40 bytes" in done.stderr
    assert len(pieces.read_text().splitlines()) == 8  # the complete row is not written twice
    assert rows(pieces) == rows(whole)


def _not_a_checkpoint(checkpoint: bytes, tmp_path) -> bytes:
    """A real checkpoint with an object that only arbitrary unpickling would make."""
    real, foreign = tmp_path / "real.ckpt", tmp_path / "foreign.ckpt"
    real.write_bytes(checkpoint)
    payload = torch.load(real, weights_only=True)
    payload["note"] = argparse.Namespace(reason="a pickled object, not a tensor")
    torch.save(payload, foreign)
    return foreign.read_bytes()


@pytest.mark.parametrize("damage", ["cut short", "not an archive", "pickled object"])
def test_a_damaged_checkpoint_is_set_aside_and_its_batch_starts_again(sweep, tmp_path, damage):
    script, whole, checkpoint = sweep
    bad = {
        "cut short": lambda: checkpoint[: len(checkpoint) // 2],
        "not an archive": lambda: b"\x00garbage\n" * 10,
        "pickled object": lambda: _not_a_checkpoint(checkpoint, tmp_path),
    }[damage]()
    pieces = tmp_path / "pieces.jsonl"
    (tmp_path / "pieces.jsonl.ckpt").write_bytes(bad)
    done = run(script, pieces)
    assert done.returncode == 0, done.stderr
    assert "damaged checkpoint" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "pieces.jsonl.ckpt.damaged").read_bytes() == bad
    assert not (tmp_path / "pieces.jsonl.ckpt").exists()
    assert rows(pieces) == rows(whole)


def test_a_second_run_on_the_same_results_is_refused_naming_the_first(sweep, tmp_path):
    script = sweep[0]
    out = tmp_path / "busy.jsonl"
    lock = tmp_path / "busy.jsonl.lock"
    command = [sys.executable, str(script), "--out", str(out), *CONFIG, "--steps", "10000000"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 90
        while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
            assert first.poll() is None and time.time() < deadline, "the first run never locked"
            time.sleep(0.2)
        second = run(script, out, "--steps", "10000000")
        assert second.returncode == 4, second.stderr
        assert f"being written by process {first.pid}" in second.stderr
        assert first.poll() is None  # the first run goes on
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    assert first.returncode == 3  # stopped with a checkpoint, which the refused run left alone
    assert os.path.exists(str(out) + ".ckpt")
    again = run(script, out, "--steps", "10000000", "--stop-after-steps", "1")
    assert again.returncode == 3, again.stderr  # the lock went with the first run
