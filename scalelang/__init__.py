"""scalelang: a language and compiler for scaling arguments in deep-learning theory."""

__version__ = "0.1.0"
