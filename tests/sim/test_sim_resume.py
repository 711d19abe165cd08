"""Interrupt a sweep and resume it: the results equal an uninterrupted run's."""

from __future__ import annotations

import shutil

import pytest
from sim_helpers import make_problem, render, rows, run

pytest.importorskip("torch")


def test_interrupted_sweep_resumes_to_the_same_results(tmp_path):
    script = tmp_path / "sim.py"
    script.write_text(render(make_problem(["d"])))
    whole, pieces = tmp_path / "whole.jsonl", tmp_path / "pieces.jsonl"
    assert run(script, whole).returncode == 0
    # stop inside the measuring phase of the first batch (step 60), then 20 steps into the second
    first = run(script, pieces, "--stop-after-steps", "60")
    assert first.returncode == 3, first.stderr
    assert not pieces.exists() and (tmp_path / "pieces.jsonl.ckpt").exists()
    second = run(script, pieces, "--stop-after-steps", "40")
    assert second.returncode == 3, second.stderr
    assert len(pieces.read_text().splitlines()) == 4  # the first batch is done
    assert run(script, pieces).returncode == 0
    assert not (tmp_path / "pieces.jsonl.ckpt").exists()
    assert rows(pieces) == rows(whole)
    assert run(script, pieces).returncode == 0  # nothing left to do: nothing appended
    assert len(pieces.read_text().splitlines()) == 8


def test_a_deep_network_resumes_its_lazy_baseline_too(tmp_path):
    """Two layers: the second layer's lazy baseline (its redrawn prior weights and their running
    sums) travels in the checkpoint, so a resumed run writes the same rows."""
    script = tmp_path / "sim.py"
    script.write_text(render(make_problem(["d", "d"])))
    whole, pieces = tmp_path / "whole.jsonl", tmp_path / "pieces.jsonl"
    assert run(script, whole).returncode == 0
    assert run(script, pieces, "--stop-after-steps", "60").returncode == 3
    assert run(script, pieces).returncode == 0
    assert rows(pieces) == rows(whole)
    assert all(r["specialists_null"]["h2"] is not None for r in rows(whole))


@pytest.mark.skipif(
    not shutil.which("g++") and not shutil.which("c++"),
    reason="torch.compile on a CPU needs a C++ compiler",
)
def test_compiled_step_gives_the_eager_results_up_to_rounding(tmp_path):
    """--compile fuses the step's element-wise work; the chains must stay the same chains."""
    script = tmp_path / "sim.py"
    script.write_text(render(make_problem(["d"])))
    eager, fused = tmp_path / "eager.jsonl", tmp_path / "fused.jsonl"
    assert run(script, eager).returncode == 0
    done = run(script, fused, "--compile")
    assert done.returncode == 0, done.stderr[-2000:]
    for a, b in zip(rows(eager), rows(fused), strict=True):
        assert (a["d"], a["P"], a["seed"], a["start"]) == (b["d"], b["P"], b["seed"], b["start"])
        assert b["alignment"] == pytest.approx(a["alignment"], abs=1e-3)
