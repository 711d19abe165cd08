"""Progress of a long solve, on a terminal, and the limits that stop one.

``Progress`` owns only the printing. A solve that ends within a second prints nothing, and nothing
is printed where standard error is not a terminal (pipes, CI logs, notebooks), so the answer's
text and JSON never change. The solver calls ``stage`` and ``step``; it works the same with
``SILENT``. ``Budget`` hears the same calls and stops a solve past its time, memory or candidate
limits with a ``Stopped`` that says where it was; the pipeline turns that into a positioned error
(``pipeline.too_large``). Nothing here knows what a candidate is beyond the solver's counts.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager


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


class Stopped(Exception):
    """A solve stopped by its ``Budget``: ``stage`` (with ``done`` of ``total``) says where."""

    def __init__(self, stage: str, done: int, total: int):
        self.stage, self.done, self.total = stage, done, total
        super().__init__(f"{self.reason()} while {stage} ({done} of {total})")

    def reason(self) -> str:
        return "stopped"


class OutOfTime(Stopped):
    """Past the time limit, ``seconds``."""

    def __init__(self, seconds: float, stage: str, done: int, total: int):
        self.seconds = seconds
        super().__init__(stage, done, total)

    def reason(self) -> str:
        return f"past {self.seconds:g} s"


class OutOfMemory(Stopped):
    """Past the memory limit, ``gib`` (None: the machine had no more to give, a MemoryError)."""

    def __init__(self, gib: float | None, stage: str, done: int, total: int):
        self.gib = gib
        super().__init__(stage, done, total)

    def reason(self) -> str:
        return "out of memory" if self.gib is None else f"past {self.gib:g} GiB"


class TooManyCandidates(Stopped):
    """More candidates (or assignments, or steps of the lowering) than ``limit``."""

    def __init__(self, limit: int, stage: str, done: int, total: int):
        self.limit = limit
        super().__init__(stage, done, total)

    def reason(self) -> str:
        return f"past {self.limit} candidates"


GIB = 2**30
CHECK_EVERY = 0.25  # seconds between the alarm's looks at the clock and the memory


def resident() -> int | None:
    """This process's resident memory in bytes (Linux: /proc/self/statm); elsewhere its peak
    (``getrusage``), or None where neither can be read (then only a MemoryError stops a solve
    for memory)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS: bytes; Linux, BSD: KiB


class Budget:
    """Another progress sink's stages and steps, watched against the limits of a solve: past
    ``seconds`` of time, ``memory`` GiB of resident memory grown since the start, or
    ``candidates`` items in a stage (the candidate energies compared, the pattern assignments,
    the routes and candidates the lowering builds: a stage's total or its count of steps), the
    next stage or step raises a ``Stopped`` (``OutOfTime``, ``OutOfMemory``,
    ``TooManyCandidates``). A limit of None is no limit.

    The solver reports at least once per candidate it examines; within ``enforced()``, in the
    main thread, an alarm also looks at the clock and the memory every ``CHECK_EVERY`` seconds,
    so that one long step (a large prune in the lowering) cannot carry a solve far past its
    limits either."""

    def __init__(self, seconds=None, memory=None, candidates=None, inner=SILENT):
        self.seconds, self.memory, self.candidates, self.inner = seconds, memory, candidates, inner
        self.start = time.monotonic()
        self.base = resident() if memory is not None else None
        self.looked = self.start  # when the memory was last read
        self.name, self.total, self.done = "", 0, 0

    def check(self, memory: bool = False) -> None:
        """Raise the first limit passed; the memory is read at most every ``CHECK_EVERY``
        seconds, or whenever ``memory``."""
        now = time.monotonic()
        if self.seconds is not None and now - self.start > self.seconds:
            self._stop(OutOfTime(self.seconds, self.name, self.done, self.total))
        if self.candidates is not None and max(self.done, self.total) > self.candidates:
            self._stop(TooManyCandidates(self.candidates, self.name, self.done, self.total))
        if self.base is not None and (memory or now - self.looked >= CHECK_EVERY):
            self.looked = now
            if (resident() or 0) - self.base > self.memory * GIB:
                self._stop(OutOfMemory(self.memory, self.name, self.done, self.total))

    def _stop(self, stop: Stopped):
        self.inner.finish()
        raise stop

    def out_of_memory(self) -> OutOfMemory:
        """What a MemoryError inside the solve means, where it happened."""
        return OutOfMemory(None, self.name, self.done, self.total)

    def stage(self, name: str, total: int = 0) -> None:
        self.name, self.total, self.done = name, total, 0
        self.inner.stage(name, total)
        self.check(memory=True)

    def step(self) -> None:
        self.done += 1
        self.inner.step()
        self.check()

    def finish(self) -> None:
        self.inner.finish()

    @contextmanager
    def enforced(self):
        """The limits also between steps: in the main thread, where no one else has set an
        alarm, ``SIGALRM`` every ``CHECK_EVERY`` seconds runs ``check`` (Python runs the handler
        between two bytecodes, so the solve stops within one numpy or GMP operation of its
        limit). Elsewhere (another thread, Windows, an alarm already set) only the steps check."""
        free = (
            hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
            and (self.seconds is not None or self.base is not None)
        )
        if not free:
            yield self
            return

        def look(signum, frame):
            self.check(memory=True)

        signal.signal(signal.SIGALRM, look)
        signal.setitimer(signal.ITIMER_REAL, CHECK_EVERY, CHECK_EVERY)
        try:
            yield self
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)


def on_terminal():
    """A ``Progress`` when standard error is a terminal, else ``SILENT``."""
    return Progress() if sys.stderr.isatty() else SILENT
