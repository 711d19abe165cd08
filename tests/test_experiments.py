"""experiments/*/gpu.sh run end to end at --smoke size: codegen through scalelang, the sampler,
the fit and the verdict, each arm's results and a verdict file whose first line names one of the
three verdicts (experiments/README.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENTS = {
    "fcn3_spec_gp_vs_mag": ("wide", "tie"),
    "cnn_gfl_vs_spec": ("gfl", "spec"),
    "attention_head": ("below", "above"),
}
VERDICT = re.compile(r"^VERDICT: (AS PREDICTED|AGAINST|UNDECIDED)\b")


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_gpu_script_runs_at_smoke_size(name, tmp_path):
    out = tmp_path / "out"
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        OMP_NUM_THREADS="1",
        BOOT="200",
    )
    done = subprocess.run(
        ["bash", str(ROOT / "experiments" / name / "gpu.sh"), "--smoke", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    for arm in EXPERIMENTS[name]:
        rows = [json.loads(line) for line in (out / arm / "results.jsonl").read_text().splitlines()]
        assert rows and all(r["schema"] == "scalelang-sim/1" for r in rows)
        assert (out / arm / "sim.py").exists() and (out / arm / "fit.md").exists()
    verdict = (out / "verdict.md").read_text()
    assert VERDICT.match(verdict), verdict[:200]
    assert all(f"## {arm} " in verdict for arm in EXPERIMENTS[name])
    assert VERDICT.match(done.stdout.splitlines()[-1])
