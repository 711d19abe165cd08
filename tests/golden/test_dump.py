"""``scalelang check --dump ast|problem|lowered``: expect-tests against golden files, and the
dumps' behaviour (errors, overrides, the summary of a large lowering, determinism).

Golden files: tests/golden/dump/<stage>/<example>.txt holds what
``scalelang check --dump <stage> examples/<example>.scale`` prints from the repository's root.
A mismatch fails with the unified diff. When a change is meant, accept it with
``python -m tests.golden.update_dump`` (or ``SCALELANG_UPDATE_GOLDEN=1 python -m pytest
tests/golden``) and review the diff of the golden files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from scalelang.cli import main

from .dump_helpers import (
    GOLDEN,
    ROOT,
    STAGES,
    difference,
    dumped,
    example_names,
    golden_path,
)

DEEP = """problem deep
scale d, N1, N2, N3, N4
scale P
input x ~ gaussian(d)
teacher w ~ sphere(d)
target y = He3(w . x)
layer h1 = erf(W1 x) width N1 prior W1 ~ normal(0, 1/d)
layer h2 = erf(W2 h1) width N2 prior W2 ~ normal(0, 1/N1)
layer h3 = erf(W3 h2) width N3 prior W3 ~ normal(0, 1/N2)
layer h4 = erf(W4 h3) width N4 prior W4 ~ normal(0, 1/N3)
readout f = a . h4 prior a ~ normal(0, 1/N4)
predict P
"""


@pytest.mark.parametrize("name", example_names())
@pytest.mark.parametrize("stage", STAGES)
def test_dump_matches_golden(stage, name):
    text = dumped(stage, name)
    path = golden_path(stage, name)
    if os.environ.get("SCALELANG_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run python -m tests.golden.update_dump"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        pytest.fail(
            f"check --dump {stage} of {name} changed; if meant, accept it with "
            f"python -m tests.golden.update_dump\n{difference(expected, text, path)}",
            pytrace=False,
        )
    assert not re.search(r"0x[0-9a-f]{6,}", text), "a memory address in a dump"


def test_every_golden_file_has_an_example_and_a_stage():
    names = set(example_names())
    stale = [
        str(p.relative_to(GOLDEN))
        for p in GOLDEN.glob("*/*.txt")
        if p.stem not in names or p.parent.name not in STAGES
    ]
    assert not stale, f"golden files without an example or a stage: {stale}"


def test_each_layer_of_the_problem_dump_names_its_line():
    text = dumped("problem", "fcn3_he3")
    source = (ROOT / "examples" / "fcn3_he3.scale").read_text().splitlines()
    for layer in ("h1", "h2"):
        line = next(i for i, s in enumerate(source, 1) if re.match(rf"layer\s+{layer}\b", s))
        assert re.search(rf"^  {layer} \(dense\) @{line}:1$", text, flags=re.M)


def test_the_ast_dump_shows_kinds_names_and_spans():
    text = dumped("ast", "fcn2_he3")
    assert "  LayerStmt @13:1-13:58\n    name: Name h @13:9-13:10\n" in text
    assert "BinOp / @13:54-13:57" in text


def test_an_error_prints_as_check_prints_it(tmp_path, capsys):
    bad = tmp_path / "bad.scale"
    bad.write_text(DEEP.replace("width N2", "width M"))
    for stage in ("problem", "lowered"):
        assert main(["check", "--dump", stage, str(bad)]) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert f"{bad}:8:29: error: undeclared scale 'M'" in captured.err
        assert f"{bad}: 1 error" in captured.err and "Traceback" not in captured.err
    assert main(["check", "--dump", "ast", str(bad)]) == 0  # it parses: the tree as written
    assert "width: Name M @8:29-8:30" in capsys.readouterr().out
    bad.write_text("problem p\nlayer h = = \n")
    assert main(["check", "--dump", "ast", str(bad)]) == 1
    assert f"{bad}:2:11: error:" in capsys.readouterr().err


def test_a_set_shows_in_the_problem_dump_where_it_was_written(capsys):
    path = str(ROOT / "examples" / "fcn2_he3.scale")
    assert main(["check", "--dump", "problem", path, "--set", "N=d^2"]) == 0
    assert "  N = d^2 @--set:1:1\n" in capsys.readouterr().out


def test_a_large_lowering_is_dumped_as_a_summary(tmp_path, capsys):
    deep = tmp_path / "deep.scale"
    deep.write_text(DEEP)
    assert main(["check", "--dump", "lowered", str(deep)]) == 0
    summary = capsys.readouterr().out
    head = summary.splitlines()[:2]
    assert head[0] == f"lowered deep ({deep}): 256 assignments, 566 candidates"
    assert head[1].startswith("(a summary: 4 candidates per assignment and the first 64")
    assert summary.rstrip().endswith("... 192 more assignments")
    assert re.search(r"^  \.\.\. \d+ more candidates$", summary, flags=re.M)
    assert main(["check", "--dump", "lowered", "--full", str(deep)]) == 0
    full = capsys.readouterr().out
    assert "more" not in full and full.count("\n  candidate ") == 566
    assert len(summary.splitlines()) < len(full.splitlines()) / 3
    assert main(["check", "--dump", "problem", "--full", str(deep)]) == 2
    assert "--full goes with --dump lowered" in capsys.readouterr().err


def test_dumps_do_not_depend_on_the_hash_seed():
    """Sets and dicts of strings iterate in an order that changes from run to run with the hash
    seed; a dump must not."""
    command = [
        sys.executable,
        "-m",
        "scalelang",
        "check",
        "--dump",
        "lowered",
        "examples/fcn3_he3.scale",
    ]
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        ran = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert ran.returncode == 0, ran.stderr
        outputs.add(ran.stdout)
    assert len(outputs) == 1
