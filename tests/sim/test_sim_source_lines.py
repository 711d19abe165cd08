"""The generated script names the .scale line each part comes from, in comments that a file's
name cannot break out of (stanc3 writes the source line of each statement into its C++ likewise)."""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import pytest

from scalelang import pipeline
from scalelang.cli import main
from scalelang.codegen.render import comment_text, source
from scalelang.support.span import UNKNOWN, Span

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.scale"))
KEYWORD = {"dense": "layer", "conv": "conv", "attention": "attention"}
UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def _script(path: Path, tmp_path: Path) -> str:
    out = tmp_path / "sim.py"
    # An exponent given on the command line: no solve, the script is the same otherwise.
    assert main(["codegen", str(path), "-o", str(out), "--predicted-exponent", "1"]) == 0
    return out.read_text(encoding="utf-8")


def _line_of(pattern: str, text: str) -> int:
    return next(i for i, s in enumerate(text.splitlines(), 1) if re.match(pattern, s))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_layer_names_the_line_it_is_written_on(example, tmp_path):
    script = _script(example, tmp_path)
    compile(script, str(example.with_suffix(".py")), "exec")
    written = example.read_text(encoding="utf-8")
    problem = pipeline.load(example)
    for position, layer in enumerate(problem.layers, start=1):
        keyword = KEYWORD[layer.kind]
        line = _line_of(rf"\s*{keyword}\s+{layer.name}\b", written)
        comment = f"# {example}:{line}: {keyword} {layer.name}"
        width, prior, function = (
            f"),  {comment}",
            f"),  # {example}:{line}: prior {layer.weight} of layer {layer.name}",
            f"{comment}\ndef activation_{position}(z):",  # functions go by position
        )
        assert width in script and prior in script and function in script
    readout = _line_of(r"\s*readout\s", written) if problem.layers[0].kind != "attention" else line
    assert f"# {example}:{readout}: the readout, weight {problem.readout.weight}\n" in script
    assert f"# {example}:{readout}: prior {problem.readout.weight} of the readout\n" in script
    target = _line_of(r"\s*target\s", written)
    assert f"# {example}:{target}: target\ndef target(projections):" in script


def test_a_file_name_cannot_break_out_of_a_comment(tmp_path):
    """A newline in the name would end the comment and make the rest code; a carriage return, a
    line separator or a right-to-left override would show the line other than Python reads it."""
    name = 'odd """ \\x\nGOTCHA = 1\r\u2028\u202e\x1b\x7f.scale'
    path = tmp_path / name
    path.write_text((ROOT / "examples" / "fcn2_he3.scale").read_text(), encoding="utf-8")
    script = _script(path, tmp_path)
    tree = ast.parse(script)  # compiles: neither the comments nor the docstring were broken
    assigned = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}
    assert "GOTCHA" not in assigned and "PROBLEM" in assigned
    assert all(c == "\n" or unicodedata.category(c) not in UNSAFE for c in script)
    escaped = comment_text(str(path))
    assert "\\nGOTCHA = 1\\r\\u2028\\u202e\\x1b\\x7f.scale" in escaped
    assert f"# {escaped}:13: layer h\n" in script
    assert (
        ast.get_docstring(tree).splitlines()[0].startswith(f"Simulation of `fcn2_he3` ({escaped}")
    )


def test_a_part_without_a_place_is_named_alone():
    assert source(None, "layer h") == "layer h" and source(UNKNOWN, "layer h") == "layer h"
    assert source(Span("a\nb.scale", 3, 1, 3, 9), "target") == "a\\nb.scale:3: target"
