"""Locates the files that travel with the package: the grammar and the stdlib modules.

Owns only file lookup; it knows nothing about what the files mean. Installed, the files live
inside the package as ``scalelang.grammar`` and ``scalelang.stdlib``; a source checkout (editable
install, or put first on ``sys.path`` as the benchmarks do) reads the folders at the top of its
own repository.
"""

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]  # the repository, above scalelang/support


def _in_checkout() -> bool:
    """True when this package is a source checkout's (its grammar and stdlib beside it)."""
    return (_CHECKOUT / "grammar" / "scale.lark").is_file() and (
        _CHECKOUT / "stdlib" / "patterns.scale"
    ).is_file()


def _folder(name: str):
    """The folder of the ``grammar`` or ``stdlib`` files: the checkout's when this package is
    one (an editable install's finder would otherwise answer with the installed checkout's
    folders, even for a second checkout run from its own root), else the installed ones."""
    if _in_checkout():
        return _CHECKOUT / name
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
