"""The cycle collector in a command-line process: paused while the command starts, resumed for its
work.

Start-up (the imports of sympy and the solver, the parse, the check) builds objects that live as
long as the process, yet its young collections traverse every one of them, which took about a
twentieth of ``scalelang solve`` on an example (benchmarks/solve_bench.py). ``cli.run`` pauses the
collector before the command; ``resume`` starts it again, with what start-up built frozen (kept out
of every later collection), where the work begins: ``pipeline.solve``, and the language server,
which runs for as long as the editor does. A command that does neither (``check``, ``fit``) ends
without collecting, as a short process may. Outside ``cli.run`` (tests, notebooks) nothing is
paused and ``resume`` does nothing.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop collecting until ``resume`` (``cli.run``, before the command)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Collect again after ``pause``, with every object so far frozen; nothing when not paused."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
