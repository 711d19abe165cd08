"""A long solve says on a terminal what it is doing; a short one, or one off a terminal, nothing."""

import io

from conftest import two_layer

from scalelang.api import load
from scalelang.pipeline import solve
from scalelang.support.progress import Progress


def test_progress_names_each_stage_and_counts_assignments():
    stream = io.StringIO()
    solve(load(two_layer(patterns="gp | spec")).problem, Progress(stream, delay=0))
    text = stream.getvalue()
    assert "lowering" in text and "solving pattern assignments 2/2" in text
    assert "comparing" in text and text.endswith("\r\033[K")  # the line is cleared at the end


def test_a_quick_solve_prints_nothing():
    stream = io.StringIO()
    solve(load(two_layer(patterns="gp | spec")).problem, Progress(stream, delay=60))
    assert stream.getvalue() == ""
