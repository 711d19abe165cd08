"""Shared by the report tests: every example solved once per session, and the golden renderer.

Golden files: tests/report/golden/<example>.md is the Markdown report of examples/<example>.scale,
and <example>.txt the text ``scalelang solve`` prints for it.
Accept a meant change with ``python -m tests.report.update_golden`` (or run the tests with
``SCALELANG_UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
REPORTS = EXAMPLES / "reports"  # rendered reports of some examples, for readers of the repository


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.scale"))


@functools.lru_cache(maxsize=None)
def solved(name: str, overrides: tuple = ()):
    """The solution of examples/<name>.scale (overrides as (("N", "d"), ...)), once per session."""
    from scalelang.frontend.load import load_problem
    from scalelang.pipeline import solve

    return solve(load_problem(EXAMPLES / f"{name}.scale", overrides=dict(overrides)))


def markdown(name: str) -> str:
    """The Markdown report as the golden file holds it (figure not drawn, paths relative)."""
    from scalelang.report import render

    return render(
        solved(name),
        "md",
        stem=Path("out") / name,
        source=f"examples/{name}.scale",
        draw_figure=False,
    )


def terminal(name: str) -> str:
    """The text answer of ``scalelang solve`` as the golden file holds it."""
    from scalelang.report.terminal import summary

    return summary(solved(name)) + "\n"


def update() -> list[Path]:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    written = []
    for name in example_names():
        for path, text in ((GOLDEN / f"{name}.md", markdown), (GOLDEN / f"{name}.txt", terminal)):
            path.write_text(text(name), encoding="utf-8")
            written.append(path)
    for path in REPORTS.glob("*.md"):  # with their figures: scalelang report draws them
        written += _report(path)
    return written


def _report(path: Path) -> list[Path]:
    from scalelang.report import write

    return [Path(p) for p in write(solved(path.stem), path, source=f"examples/{path.stem}.scale")]
