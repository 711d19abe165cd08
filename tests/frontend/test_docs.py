"""Every block marked `scale complete` in docs/language.md is a file that checks clean, and every
`scale` fragment parses."""

import re
from pathlib import Path

import pytest

from scalelang.frontend.load import load_problem
from scalelang.frontend.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "language.md").read_text()
BLOCKS = re.findall(r"```scale( complete)?\n(.*?)```", DOC, re.S)
COMPLETE = [text for mark, text in BLOCKS if mark]
FRAGMENTS = [text for mark, text in BLOCKS if not mark]


def test_doc_has_complete_examples():
    assert len(COMPLETE) >= 5


@pytest.mark.parametrize("text", COMPLETE)
def test_complete_example_checks_clean(text):
    load_problem(ROOT / "docs" / "language.md.scale", text=text)


@pytest.mark.parametrize("text", FRAGMENTS)
def test_fragment_parses(text):
    parse(text, "fragment.scale")


def test_import(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "acts.scale").write_text('import "more.scale"\nactivation cube(z) = z^3\n')
    (tmp_path / "lib" / "more.scale").write_text("function mine(u) = He3(u) + He1(u)\n")
    main = (ROOT / "examples" / "fcn2_he3.scale").read_text()
    main = 'import "lib/acts.scale"\n' + main.replace("erf(W x)", "cube(W x)").replace(
        "He3(w . x)", "mine(w . x)"
    )
    (tmp_path / "main.scale").write_text(main)
    p = load_problem(tmp_path / "main.scale")
    assert p.layers[0].activation.name == "cube"
    assert [(t.coef, t.degrees) for t in p.target] == [(1, (("w", 3),)), (1, (("w", 1),))]
