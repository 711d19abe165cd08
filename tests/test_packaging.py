"""A non-editable ``pip install .`` must carry every package, the grammar, the stdlib and templates."""

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def listed_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return set(config["tool"]["setuptools"]["packages"])


def test_every_python_package_under_scalelang_is_listed():
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "scalelang").rglob("__init__.py")
    }
    assert found <= listed_packages(), f"add to pyproject.toml packages: {sorted(found - listed_packages())}"


def test_grammar_stdlib_and_templates_travel_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = config["tool"]["setuptools"]["package-data"]
    assert "*.lark" in data["scalelang.grammar"] and "*.scale" in data["scalelang.stdlib"]
    for template in (ROOT / "scalelang" / "templates").rglob("*.j2"):
        relative = template.relative_to(ROOT / "scalelang" / "templates")
        assert any(relative.match(pattern) for pattern in data["scalelang.templates"]), relative
