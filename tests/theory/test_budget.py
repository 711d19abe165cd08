"""A solve past its memory or candidate limit, or out of memory, stops with a positioned error
at the line that made the problem large, saying what to do: never a traceback, a MemoryError or
a killed process. (The time limit: test_progress.py.)"""

import signal
import time
from pathlib import Path

import pytest

from scalelang import pipeline
from scalelang.cli import main
from scalelang.support import progress
from scalelang.support.diagnostics import ScaleError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fcn3_he3.scale"


def stopped(problem, **limits):
    with pytest.raises(ScaleError) as error:
        pipeline.solve(problem, **limits)
    [diagnostic] = error.value.diagnostics
    return diagnostic


def test_past_the_candidate_limit_is_a_positioned_error_that_says_what_to_do():
    problem = pipeline.load(EXAMPLE)
    diagnostic = stopped(problem, max_candidates=5)
    assert diagnostic.message.startswith("the solve passed its limit of 5 candidates (")
    assert "12 pattern assignments (3 patterns in h1 x 4 in h2)" in diagnostic.message
    assert "3 coordinates (d, N1, N2)" in diagnostic.message
    assert diagnostic.span == problem.pattern_spans["h2"]  # the deepest layer's patterns line
    for remedy in ("patterns h2: gp | ...", "--set N2=d", "assume N2 <= d", "--max-candidates N"):
        assert remedy in diagnostic.hint
    assert pipeline.solve(problem, max_candidates=1000).p_star is not None  # within it: the answer


def test_the_command_line_stops_at_its_candidate_limit(capsys):
    assert main(["solve", str(EXAMPLE), "--max-candidates", "5"]) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(EXAMPLE.read_text().splitlines(), 1) if "h2:" in text)
    assert f"fcn3_he3.scale:{line}:1: error: the solve passed its limit of 5 candidates" in err
    assert "Traceback" not in err and "--max-candidates N" in err


def test_past_the_memory_limit_is_a_positioned_error(monkeypatch):
    """The memory is read at every stage and every quarter second of steps: here it seems to grow
    by a GiB at each reading."""
    readings = iter(range(0, 1000 * progress.GIB, progress.GIB))
    monkeypatch.setattr(progress, "resident", lambda: next(readings))
    problem = pipeline.load(EXAMPLE)
    diagnostic = stopped(problem, memory_limit=1.5)
    assert diagnostic.message.startswith("the solve grew past its memory limit of 1.5 GiB (")
    assert diagnostic.span == problem.pattern_spans["h2"]
    assert "--memory-limit GIB" in diagnostic.hint and "--set N2=d" in diagnostic.hint


def test_memory_that_grows_within_one_step_stops_the_solve(monkeypatch):
    """A step that allocates without reporting (a large prune) is stopped by the alarm, which
    reads the memory between steps: the solve ends near its limit, not at the machine's."""
    held = []

    def hungry(problem, space, tick):
        while True:
            held.append(bytearray(1 << 20))  # 1 MiB, touched

    monkeypatch.setattr(pipeline, "lower", hungry)
    problem = pipeline.load(EXAMPLE)
    diagnostic = stopped(problem, memory_limit=0.1)
    assert diagnostic.message.startswith("the solve grew past its memory limit of 0.1 GiB (")
    assert len(held) < 1024  # stopped within a quarter second of passing 100 MiB
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL  # the alarm is given back
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_long_step_stops_at_the_time_limit(monkeypatch):
    def slow(problem, space, tick):
        while True:
            sum(range(1000))  # never reports a step

    monkeypatch.setattr(pipeline, "lower", slow)
    start = time.monotonic()
    diagnostic = stopped(pipeline.load(EXAMPLE), time_limit=0.5)
    assert diagnostic.message.startswith("the solve ran past its time limit of 0.5 s")
    assert time.monotonic() - start < 5


def test_a_memory_error_is_a_positioned_error(monkeypatch):
    """Without a limit too: an allocation the machine refuses ends the solve with the same
    message, never a MemoryError."""

    def refused(problem, space, tick):
        raise MemoryError

    monkeypatch.setattr(pipeline, "lower", refused)
    problem = pipeline.load(EXAMPLE)
    diagnostic = stopped(problem)
    assert diagnostic.message.startswith("the solve ran out of memory (lowering the pattern")
    assert "a machine with more memory" in diagnostic.hint
    assert diagnostic.span == problem.pattern_spans["h2"]


def test_with_one_coordinate_the_hint_suggests_only_what_can_help():
    """Every scale tied to d: no tie or assumption between scales is left to suggest."""
    problem = pipeline.load(EXAMPLE, overrides={"N1": "d", "N2": "d"})
    diagnostic = stopped(problem, max_candidates=5)
    assert "the answer lives in 1 coordinate (d)" in diagnostic.message
    assert diagnostic.hint == (
        "make the problem smaller: fewer patterns in a layer (patterns h2: gp | ...); "
        "or allow more (--max-candidates N)"
    )
