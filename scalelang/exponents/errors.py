"""The engine's one error type.

Owns ``EngineError``. The engine raises nothing else on bad input, so the compiler can catch it at
its edge, attach a source position, and print it once.
"""

from __future__ import annotations


class EngineError(ValueError):
    """An exponent problem the engine cannot answer; the message names the term(s) or bound(s)."""
