"""References in the repository point at things the repository has.

The method and the language are documented in docs/method.md and docs/language.md; design notes
kept outside the repository are not cited. A path under scalelang/ that a document names must
exist, and a section of docs/method.md that anything cites must be one of its numbered sections.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT = {".py", ".md", ".scale", ".lark", ".j2", ".toml", ".txt", ".cfg"}
DOCS = sorted((ROOT / "docs").rglob("*.md")) + [
    ROOT / "README.md",
    ROOT / "benchmarks" / "README.md",
]
OUTSIDE = ("METHOD" + ".md", "LANGUAGE" + ".md")
PATH = re.compile(r"(?<![\w/.-])(scalelang/[\w/.-]*\w)")
# "docs/method.md, section 6", "docs/method.md sections 2, 4 and 5", "docs/method.md §7, §10"
CITE = re.compile(r"docs/method\.md,?\s+(?:sections?\s+|§)((?:§?\d+(?:\s*(?:-|,|and)\s*)?)+)")


def _text_files():
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if any(p.startswith(".") or p in ("__pycache__", "build", "out") for p in parts):
            continue
        if path == Path(__file__).resolve():  # its own examples of wrong references
            continue
        if path.is_file() and path.suffix in TEXT and "egg-info" not in str(path):
            yield path


def test_no_reference_to_design_notes_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {name}"
        for path in _text_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for name in OUTSIDE
        if name in line
    ]
    assert not found, "cite docs/method.md or docs/language.md instead:\n" + "\n".join(found)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_paths_named_in_docs_exist(doc):
    named = PATH.findall(doc.read_text(encoding="utf-8"))
    missing = sorted({p for p in named if not (ROOT / p).exists()})
    assert not missing, f"{doc.relative_to(ROOT)} names paths that do not exist: {missing}"


def test_cited_sections_of_the_method_exist():
    method = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    sections = {int(n) for n in re.findall(r"^## (\d+)\.", method, re.M)}
    bad = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in _text_files()
        for match in CITE.finditer(path.read_text(encoding="utf-8"))
        if any(int(n) not in sections for n in re.findall(r"\d+", match.group(1)))
    ]
    assert not bad, f"docs/method.md has sections {sorted(sections)}; cited:\n" + "\n".join(bad)


def test_the_patterns_find_what_they_look_for():
    text = "see scalelang/theory/nowhere.py and docs/method.md, section 42."
    assert PATH.findall(text) == ["scalelang/theory/nowhere.py"]
    assert re.findall(r"\d+", CITE.search(text).group(1)) == ["42"]
    assert re.findall(r"\d+", CITE.search("docs/method.md §7, §10): x").group(1)) == ["7", "10"]
    cited = CITE.search("docs/method.md sections 2, 4 and 5 as code").group(1)
    assert re.findall(r"\d+", cited) == ["2", "4", "5"]
