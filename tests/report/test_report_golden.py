"""Golden files: the Markdown report and the text answer of every example (update:
python -m tests.report.update_golden)."""

import os

import pytest

from .report_helpers import GOLDEN, example_names, markdown, terminal


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


@pytest.mark.parametrize("name", example_names())
def test_text_answer_matches_golden(name):
    """What ``scalelang solve`` prints, read from the Solution's objects."""
    text = terminal(name)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("SCALELANG_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file for {name}: run python -m tests.report.update_golden"
    assert text == path.read_text(encoding="utf-8"), (
        f"the text answer of {name} changed; if meant, accept it with "
        "python -m tests.report.update_golden"
    )


def test_every_golden_file_has_an_example():
    names = set(example_names())
    stale = [p.name for p in [*GOLDEN.glob("*.md"), *GOLDEN.glob("*.txt")] if p.stem not in names]
    assert not stale, f"golden files without an example: {stale}"
