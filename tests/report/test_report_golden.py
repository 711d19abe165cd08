"""Golden files: the Markdown report and the text answer of every example (update:
python -m tests.report.update_golden)."""

import os

import pytest

from .report_helpers import GOLDEN, REPORTS, example_names, markdown, terminal


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


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.md")), ids=lambda p: p.stem)
def test_the_reports_in_examples_are_the_examples_reports(path):
    """examples/reports/ holds reports a reader opens without installing anything (written by
    ``scalelang report examples/NAME.scale -o examples/reports/NAME.md``): each is what the
    compiler writes now, with its phase diagram beside it."""
    assert path.stem in example_names(), f"{path.name} is the report of no example"
    assert path.read_text(encoding="utf-8") == markdown(path.stem), (
        f"{path} is stale: rewrite it with python -m tests.report.update_golden"
    )
    assert (path.parent / f"{path.stem}-phases.png").exists()
