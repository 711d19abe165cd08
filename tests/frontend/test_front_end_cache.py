"""What the front end keeps in the cache folder between runs: the built parser
(``syntax.parser``) and the parsed stdlib (``load.stdlib``). A copy read back parses exactly as a
fresh build (trees, positions, errors) and gives the very trees; a copy that is corrupt, cut, of
another key, or a folder that cannot be written, costs a rebuild, never a failure or another
answer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scalelang.frontend import load, syntax
from scalelang.support import span
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


def stdlib_fresh():
    """The stdlib as a new process gets it (``load.stdlib`` without its in-process memo)."""
    return load.stdlib.__wrapped__()


def test_the_stdlib_read_back_is_the_parsed_one(folder):
    parsed = stdlib_fresh()  # nothing cached yet: parsed, then written
    [path] = folder.glob("stdlib-*.pickle")
    read_back = stdlib_fresh()
    assert read_back == parsed and read_back is not parsed
    assert [m.path for m in read_back] == [m.path for m in load.stdlib()]
    assert sum(len(m.statements) for m in read_back) > 10
    assert path.read_bytes().startswith(path.name.encode() + b"\n")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data.split(b"\n", 1)[0] + b"\n" + b"\x80\x05N.",  # a pickle of None
        lambda data: os.urandom(len(data)),
    ],
)
def test_a_damaged_stdlib_copy_is_parsed_afresh(folder, damage):
    parsed = stdlib_fresh()
    [path] = folder.glob("stdlib-*.pickle")
    path.write_bytes(damage(path.read_bytes()))
    assert stdlib_fresh() == parsed
    assert load._kept_stdlib(path.name) == parsed  # rewritten whole


def test_the_stdlib_key_changes_with_the_texts_and_the_tree_classes(tmp_path, monkeypatch):
    files = [("a.scale", "activation s(z) = z\n")]
    key = load._stdlib_key(files)
    assert key == load._stdlib_key(list(files))
    assert key != load._stdlib_key([("a.scale", "activation s(z) = z^3\n")])
    assert key != load._stdlib_key([("b.scale", files[0][1])])
    changed = tmp_path / "span.py"
    changed.write_text(Path(span.__file__).read_text() + "\n# changed\n")
    monkeypatch.setattr(span, "__file__", str(changed))
    assert key != load._stdlib_key(files)
    monkeypatch.setattr(span, "__file__", str(tmp_path / "absent.py"))
    assert load._stdlib_key(files) is None


def test_without_a_key_the_stdlib_is_parsed_and_not_kept(folder, monkeypatch):
    monkeypatch.setattr(load, "_stdlib_key", lambda files: None)
    assert stdlib_fresh() == load.stdlib()
    assert not list(folder.glob("stdlib-*"))


FCN2 = ROOT / "examples" / "fcn2_he3.scale"


def trees(folder):
    return sorted(folder.glob("tree-*.pickle"))


def test_a_file_loaded_again_reads_its_tree_back_and_checks_the_same(folder, monkeypatch):
    first = load.load_problem(str(FCN2))
    [path] = trees(folder)
    monkeypatch.setattr(syntax, "parse_partial", lambda *a: pytest.fail("parsed again"))
    assert load.load_problem(str(FCN2)) == first
    assert path.read_bytes().startswith(path.name.encode() + b"\n")


def test_a_changed_text_is_parsed_afresh_and_replaces_the_tree(folder):
    text = FCN2.read_text(encoding="utf-8")
    load.load_problem(str(FCN2), text=text)
    edited = text.replace("predict P", "# an edit\npredict P")
    problem = load.load_problem(str(FCN2), text=edited)
    assert problem.source_text == edited
    assert len(trees(folder)) == 1  # one tree per path, not one per edit
    assert load._parsed(edited, str(FCN2))[0] == syntax.parse(edited, str(FCN2))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data.split(b"\n", 2)[0] + b"\n" + data.split(b"\n", 2)[1] + b"\n\x80\x05N.",
        lambda data: os.urandom(len(data)),
    ],
)
def test_a_damaged_tree_is_parsed_afresh(folder, damage):
    first = load.load_problem(str(FCN2))
    [path] = trees(folder)
    path.write_bytes(damage(path.read_bytes()))
    assert load.load_problem(str(FCN2)) == first


def test_a_file_with_errors_keeps_no_tree_and_says_where_each_time(folder, tmp_path):
    broken = tmp_path / "broken.scale"
    broken.write_text(BROKEN[0], encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ScaleError) as error:
            load.load_problem(str(broken))
        assert error.value.diagnostics[0].span.line == 2
    assert not trees(folder)


def test_the_same_text_at_another_path_is_its_own_tree(folder, tmp_path):
    """Positions in a tree name the file: a copy elsewhere is parsed under its own path."""
    copy = tmp_path / "copy.scale"
    copy.write_text(FCN2.read_text(encoding="utf-8"), encoding="utf-8")
    load.load_problem(str(FCN2))
    problem = load.load_problem(str(copy))
    assert len(trees(folder)) == 2
    assert load._parsed(copy.read_text(encoding="utf-8"), str(copy))[0].path == str(copy)
    assert problem.name == load.load_problem(str(FCN2)).name
