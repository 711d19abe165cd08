"""Locates the files that travel with the package: the grammar and the stdlib modules.

Owns only file lookup; it knows nothing about what the files mean. Installed, the files live
inside the package as ``scalelang.grammar`` and ``scalelang.stdlib``; run from a source checkout
put first on ``sys.path`` (as the benchmarks do), those subpackages do not exist and the folders
at the top of the repository are read instead.
"""

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(name: str):
    """The folder of the ``grammar`` or ``stdlib`` files, installed or in the checkout."""
    try:
        return resources.files(f"scalelang.{name}")
    except ModuleNotFoundError:
        return _CHECKOUT / name


def grammar_text() -> str:
    """The Lark grammar of the .scale language."""
    return (_folder("grammar") / "scale.lark").read_text(encoding="utf-8")


def stdlib_path(module: str) -> Path:
    """The path of a stdlib module by name, e.g. ``stdlib_path("patterns")``."""
    return Path(str(_folder("stdlib") / f"{module}.scale"))


def stdlib_modules() -> list[str]:
    """Names of every stdlib module shipped with the package."""
    folder = _folder("stdlib")
    return sorted(p.name[: -len(".scale")] for p in folder.iterdir() if p.name.endswith(".scale"))
