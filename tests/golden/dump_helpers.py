"""Shared by the dump expect-tests and their update script: what ``scalelang check --dump`` prints.

Golden files: tests/golden/dump/<stage>/<example>.txt is the output of
``scalelang check --dump <stage> examples/<example>.scale``, run from the repository's root (so
that the paths it prints are relative). Accept a meant change with
``python -m tests.golden.update_dump`` (or run the tests with ``SCALELANG_UPDATE_GOLDEN=1``) and
review the diff.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "dump"
STAGES = ("ast", "problem", "lowered")


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.scale"))


def golden_path(stage: str, name: str) -> Path:
    return GOLDEN / stage / f"{name}.txt"


def dumped(stage: str, name: str) -> str:
    """What ``scalelang check --dump STAGE examples/NAME.scale`` prints from the root."""
    from scalelang.cli import main

    out = io.StringIO()
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            code = main(["check", "--dump", stage, f"examples/{name}.scale"])
    finally:
        os.chdir(previous)
    assert code == 0, f"check --dump {stage} examples/{name}.scale exited {code}"
    return out.getvalue()


def difference(expected: str, actual: str, path: Path) -> str:
    """A unified diff from the golden file to the output."""
    rel = path.relative_to(ROOT)
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=str(rel),
        tofile=f"{rel} (now)",
    )
    return "".join(lines)


def update() -> list[Path]:
    written = []
    for stage in STAGES:
        for name in example_names():
            path = golden_path(stage, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dumped(stage, name), encoding="utf-8")
            written.append(path)
    return written
