"""``support.collector``: the cycle collector paused while a command starts is running again once
the work begins (a solve, the language server), and nothing changes where nothing paused it."""

import gc
from pathlib import Path
from unittest import mock

import pytest

from scalelang.support import collector

FCN2 = str(Path(__file__).resolve().parents[1] / "examples" / "fcn2_he3.scale")


@pytest.fixture
def paused():
    """A paused collector, as ``cli.run`` leaves it; afterwards collecting as before."""
    assert gc.isenabled()
    collector.pause()
    yield
    collector.resume()
    gc.unfreeze()
    gc.enable()


def test_resume_without_pause_changes_nothing():
    frozen = gc.get_freeze_count()
    collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_pause_then_resume_collects_again_with_start_up_frozen(paused):
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_a_solve_resumes_collecting(paused):
    from scalelang import pipeline

    problem = pipeline.load(FCN2)
    assert not gc.isenabled()  # loading is start-up
    pipeline.solve(problem)
    assert gc.isenabled()


def test_the_language_server_collects_while_it_serves(paused):
    from scalelang.commands import lsp

    seen = []
    with mock.patch("scalelang.lsp.serve", lambda: seen.append(gc.isenabled())):
        assert lsp.run(None) == 0
    assert seen == [True]
