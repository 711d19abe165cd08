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


class OutOfTime(Exception):
    """A solve ran past its time limit (``Deadline``); ``stage`` says where it was."""

    def __init__(self, seconds: float, stage: str, done: int, total: int):
        self.seconds, self.stage, self.done, self.total = seconds, stage, done, total
        super().__init__(f"past {seconds:g} s while {stage} ({done} of {total})")


class Deadline:
    """Another progress sink's stages and steps, and a time limit: past it, the next stage or
    step raises ``OutOfTime`` (the solver reports at least once per candidate it examines, so a
    long solve stops within one candidate's work of its limit)."""

    def __init__(self, seconds: float, inner=SILENT):
        self.seconds, self.inner = seconds, inner
        self.start = time.monotonic()
        self.name, self.total, self.done = "", 0, 0

    def _check(self) -> None:
        if time.monotonic() - self.start > self.seconds:
            self.inner.finish()
            raise OutOfTime(self.seconds, self.name, self.done, self.total)

    def stage(self, name: str, total: int = 0) -> None:
        self.name, self.total, self.done = name, total, 0
        self.inner.stage(name, total)
        self._check()

    def step(self) -> None:
        self.done += 1
        self.inner.step()
        self._check()

    def finish(self) -> None:
        self.inner.finish()


def on_terminal():
    """A ``Progress`` when standard error is a terminal, else ``SILENT``."""
    return Progress() if sys.stderr.isatty() else SILENT
