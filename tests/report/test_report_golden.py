"""Golden files: the Markdown report of every example (update: python -m
tests.report.update_golden)."""

import os

import pytest

from .report_helpers import GOLDEN, example_names, markdown


@pytest.mark.parametrize("name", example_names())
def test_markdown_report_matches_golden(name):
    text = markdown(name)
    path = GOLDEN / f"{name}.md"
    if os.environ.get("SCALELANG_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file for {name}: run python -m tests.report.update_golden"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"the report of {name} changed; if meant, accept it with "
        "python -m tests.report.update_golden"
    )


def test_every_golden_file_has_an_example():
    names = set(example_names())
    stale = [p.name for p in GOLDEN.glob("*.md") if p.stem not in names]
    assert not stale, f"golden files without an example: {stale}"
