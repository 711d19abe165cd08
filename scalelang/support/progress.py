"""Progress of a long solve, on a terminal: which stage, and how far through it.

Owns only the printing. A solve that ends within a second prints nothing, and nothing is printed
where standard error is not a terminal (pipes, CI logs, notebooks), so the answer's text and JSON
never change. The solver calls ``stage`` and ``step``; it works the same with ``SILENT``.
"""

from __future__ import annotations

import sys
import time


class Progress:
    """``stage("solving assignments", 256)`` then ``step()`` per item: one line, rewritten."""

    def __init__(self, stream=sys.stderr, delay: float = 1.0):
        self.stream = stream
        self.start = time.monotonic()
        self.delay = delay
        self.name, self.total, self.done, self.shown = "", 0, 0, False

    def stage(self, name: str, total: int = 0) -> None:
        self.name, self.total, self.done = name, total, 0
        self._show()

    def step(self) -> None:
        self.done += 1
        self._show()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _show(self) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed < self.delay:
            return
        count = f" {self.done}/{self.total}" if self.total else ""
        self.stream.write(f"\r\033[K{self.name}{count} ({elapsed:.0f} s)")
        self.stream.flush()
        self.shown = True


class _Silent:
    def stage(self, name: str, total: int = 0) -> None:
        pass

    def step(self) -> None:
        pass

    def finish(self) -> None:
        pass


SILENT = _Silent()


def on_terminal():
    """A ``Progress`` when standard error is a terminal, else ``SILENT``."""
    return Progress() if sys.stderr.isatty() else SILENT
