"""scalelang: a language and compiler for scaling arguments in deep-learning theory.

``scalelang.load(path_or_text).solve(**overrides)`` is the notebook entry point (scalelang.api).
"""

from scalelang.support.diagnostics import ScaleError, ScaleWarning  # light: no sympy
from scalelang.support.version import __version__

__all__ = ["load", "ScaleError", "ScaleWarning", "__version__"]


def load(path_or_text):
    """Load a .scale file by path, or from its text; ``.solve(N="d")`` answers it."""
    from scalelang.api import load as load_model

    return load_model(path_or_text)
