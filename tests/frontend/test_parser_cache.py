"""The built parser kept in the cache folder (``syntax.parser``): a copy read back parses exactly
as a fresh build (trees, positions, errors), and a copy that is corrupt, cut, of another key, or
a folder that cannot be written, costs a rebuild, never a failure or another answer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scalelang.frontend import syntax
from scalelang.support.diagnostics import ScaleError
from scalelang.support.resources import grammar_text

from .helpers import BASE, replace_line

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.scale"))]
TEXTS += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "stdlib").glob("*.scale"))]
BROKEN = [
    replace_line(2, "scale d N"),
    replace_line(8, "layer h = erf(W x) width N"),
    replace_line(4, "noise kappa = 1 +"),
    replace_line(5, "input x ~ gaussian(d) $"),
    BASE + "patterns h gp | spec\nfoo bar\n",
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SCALELANG_CACHE", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def forget_examples():
    """The messages' example table holds parser states, whose numbers are a build's own: it is
    rebuilt for each parser a test tries, and for the process's parser after the test."""
    syntax._example_errors.cache_clear()
    yield
    syntax._example_errors.cache_clear()


def build():
    """A parser as a new process gets it (``parser`` without its in-process memo)."""
    return syntax.parser.__wrapped__()


def cached_file(folder):
    [path] = folder.glob("parser-*.lark")
    return path


def outcome(parser, monkeypatch, text):
    """What ``syntax.parse`` makes of ``text`` with this parser: the AST (nodes and spans) or
    every diagnostic (place, message, hint)."""
    monkeypatch.setattr(syntax, "parser", lambda: parser)
    syntax._example_errors.cache_clear()
    try:
        return syntax.parse(text, "t.scale")
    except ScaleError as error:
        return [(d.span, d.message, d.hint) for d in error.diagnostics]


def test_a_cached_parser_parses_and_fails_exactly_as_a_fresh_build(folder, monkeypatch):
    fresh = build()  # nothing cached yet: built, then written
    assert cached_file(folder).stat().st_size > 0
    loaded = syntax._cached_parser(syntax.parser_key(grammar_text()))
    assert loaded is not None and loaded is not fresh
    assert loaded.options.propagate_positions
    for text in TEXTS + BROKEN:
        assert outcome(loaded, monkeypatch, text) == outcome(fresh, monkeypatch, text)
    assert all(isinstance(outcome(loaded, monkeypatch, t), list) for t in BROKEN)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # cut in the middle of lark's pickle
        lambda data: data.split(b"\n", 1)[0] + b"\nnot a pickle at all",
        lambda data: b"parser-of-another-key\n" + data.split(b"\n", 1)[1],
        lambda data: os.urandom(len(data)),
    ],
)
def test_a_damaged_copy_is_rebuilt_and_rewritten(folder, monkeypatch, damage):
    fresh = build()
    path = cached_file(folder)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert syntax._cached_parser(syntax.parser_key(grammar_text())) is None
    rebuilt = build()
    assert syntax._cached_parser(syntax.parser_key(grammar_text())) is not None  # rewritten
    for text in TEXTS[:2] + BROKEN:
        assert outcome(rebuilt, monkeypatch, text) == outcome(fresh, monkeypatch, text)


def test_a_folder_that_cannot_be_made_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    monkeypatch.setenv("SCALELANG_CACHE", str(blocker / "cache"))
    parser = build()
    assert isinstance(outcome(parser, monkeypatch, BASE), syntax.ast.Module)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_the_key_changes_with_the_grammar():
    grammar = grammar_text()
    assert syntax.parser_key(grammar) == syntax.parser_key(grammar)
    assert syntax.parser_key(grammar) != syntax.parser_key(grammar + "\n// changed\n")


def test_a_solve_without_a_usable_home_answers_the_same(tmp_path):
    """HOME under /proc, where no folder can be made (not even by root): every on-disk cache is
    skipped, and the answer is the one a solve with a cache gives."""
    fcn2 = str(ROOT / "examples" / "fcn2_he3.scale")
    run = lambda env: subprocess.run(
        [sys.executable, "-m", "scalelang", "solve", fcn2],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    base = {k: v for k, v in os.environ.items() if k not in ("SCALELANG_CACHE", "XDG_CACHE_HOME")}
    homeless = run({**base, "HOME": "/proc/scalelang-no-home"})
    cached = run({**base, "SCALELANG_CACHE": str(tmp_path)})
    assert homeless.returncode == cached.returncode == 0, homeless.stderr + cached.stderr
    assert homeless.stderr == ""
    assert homeless.stdout == cached.stdout
    assert any(tmp_path.glob("parser-*.lark"))
