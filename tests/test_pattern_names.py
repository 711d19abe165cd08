"""The stdlib's patterns are declared in one place, stdlib/patterns.scale: the compiler, the
reports and the simulation find specialists, lazy layers and the rest by a pattern's declared
effect, never by its name, so a pattern of the file works as the stdlib's do."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scalelang"


def _declared() -> set[str]:
    text = (PACKAGE.parent / "stdlib" / "patterns.scale").read_text(encoding="utf-8")
    return set(re.findall(r"^pattern\s+(\w+)", text, flags=re.MULTILINE))


def test_the_stdlib_declares_the_patterns_this_test_looks_for():
    assert {"gp", "spec", "mag", "gfl"} <= _declared()


def test_no_python_spells_a_pattern_name():
    names = _declared() | {"specialization", "magnetization"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}")
    assert not found, "pattern names in Python: " + "; ".join(found)
