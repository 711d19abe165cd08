"""Locates the files that travel with the package: the grammar and the stdlib modules.

Owns only file lookup; it knows nothing about what the files mean.
"""

from importlib import resources
from pathlib import Path


def grammar_text() -> str:
    """The Lark grammar of the .scale language."""
    return (resources.files("scalelang.grammar") / "scale.lark").read_text(encoding="utf-8")


def stdlib_path(module: str) -> Path:
    """The path of a stdlib module by name, e.g. ``stdlib_path("patterns")``."""
    return Path(str(resources.files("scalelang.stdlib") / f"{module}.scale"))


def stdlib_modules() -> list[str]:
    """Names of every stdlib module shipped with the package."""
    folder = resources.files("scalelang.stdlib")
    return sorted(p.name[: -len(".scale")] for p in folder.iterdir() if p.name.endswith(".scale"))
