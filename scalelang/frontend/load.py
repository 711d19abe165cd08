"""The front end's one entry: a .scale file (with its prelude and imports) to a checked Problem.

Owns reading files, resolving ``import`` statements, the cached parse of the stdlib prelude, and
the order of the phases: parse -> check -> overrides. Everything after it (lower, solve, report,
codegen) starts from ``load_problem``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import pickle
import sys
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from scalelang.frontend import ast, lint
from scalelang.frontend.check import check, check_declarations, is_problem
from scalelang.frontend.overrides import apply_overrides
from scalelang.problem import COMMAND_LINE, Problem, Surface
from scalelang.support import cache, span
from scalelang.support.diagnostics import Diagnostic, ScaleError, sort_diagnostics
from scalelang.support.resources import grammar_text, stdlib_modules, stdlib_path
from scalelang.support.span import Span
from scalelang.support.version import __version__

STDLIB_ORDER = ("activations", "targets", "patterns")  # the rest follow in name order


@lru_cache(maxsize=1)
def stdlib() -> tuple[ast.Module, ...]:
    """The parsed stdlib modules, loaded before every file: parsed once per process, and kept
    parsed in the cache folder (``support.cache``) between runs, since they change only with
    the package, under a key of everything the trees depend on (``_stdlib_key``). A copy that is
    missing, corrupt or not such trees is parsed afresh; without a key (the sources of the tree's
    classes cannot be read) nothing is kept."""
    names = [n for n in STDLIB_ORDER if n in stdlib_modules()]
    names += [n for n in stdlib_modules() if n not in names]
    files = [(str(stdlib_path(n)), stdlib_path(n).read_text(encoding="utf-8")) for n in names]
    key = _stdlib_key(files)
    kept = None if key is None else _kept_stdlib(key)
    if kept is not None and [m.path for m in kept] == [path for path, _ in files]:
        return kept
    modules = tuple(_syntax().parse(text, path) for path, text in files)
    if key is not None:
        cache.write_keyed(key, pickle.dumps(modules, protocol=pickle.HIGHEST_PROTOCOL))
    return modules


def _stdlib_key(files: list[tuple[str, str]]) -> str | None:
    """A hash of the stdlib's paths and texts and of what every cached tree depends on
    (``_trees_digest``)."""
    base = _trees_digest(tuple(_tree_sources()))
    if base is None:
        return None
    digest = hashlib.sha256(base)
    for part in (p for f in files for p in f):
        digest.update(part.encode("utf-8") + b"\0")
    return f"stdlib-{__version__}-{digest.hexdigest()[:32]}.pickle"


@lru_cache(maxsize=8)
def _trees_digest(sources: tuple) -> bytes | None:
    """A hash of the grammar, the modules that define and build the trees (``sources``: a
    changed node class must not read an old tree back) and the versions of scalelang and Python
    (the pickle's). Read once per process, not for every file loaded; None where a module has
    no source beside it (a zip, a frozen build)."""
    digest = hashlib.sha256()
    for part in (__version__, sys.version, grammar_text()):
        digest.update(part.encode("utf-8") + b"\0")
    try:
        for source in sources:
            digest.update(Path(source).read_bytes() + b"\0")
    except (OSError, TypeError):
        return None
    return digest.digest()


def _tree_sources() -> list:
    """The files of the modules that define and build the trees: found without importing the
    parser's module (``_syntax``), which a run reading every tree back never needs."""
    return [
        ast.__file__,
        importlib.util.find_spec("scalelang.frontend.syntax").origin,
        span.__file__,
    ]


def _syntax():
    """The parser's module, imported where a text is parsed: it loads lark, and a run whose trees
    are all read back from the cache folder (``stdlib``, ``_parsed``) parses nothing."""
    from scalelang.frontend import syntax

    return syntax


def _parsed(text: str, path: str) -> tuple[ast.Module, list[Diagnostic], frozenset[str]]:
    """``syntax.parse_partial`` of a file, read back from the cache folder where the same text
    at the same path parsed without an error before: a file solved again (with other ``--set``
    values, or for a report after a solve) is not parsed again. One cached tree per path, the
    last that parsed, so the folder does not grow with each edit of a file."""
    name, stamp = _tree_key(text, path)
    saved = None if name is None else cache.read_keyed(name)
    if saved is not None and saved.startswith(stamp):
        module = _unpickled(saved[len(stamp) :])
        if isinstance(module, ast.Module) and module.path == path:
            return module, [], frozenset()
    module, diagnostics, broken = _syntax().parse_partial(text, path)
    if name is not None and not diagnostics and not broken:
        cache.write_keyed(name, stamp + pickle.dumps(module, protocol=pickle.HIGHEST_PROTOCOL))
    return module, diagnostics, broken


def _tree_key(text: str, path: str) -> tuple[str | None, bytes]:
    """The cached tree's file name (from the path, and everything the stdlib's trees depend on:
    ``_stdlib_key``) and the stamp of this text that the file must start with."""
    key = _stdlib_key([(path, "")])
    if key is None:
        return None, b""
    stamp = hashlib.sha256(text.encode("utf-8")).hexdigest().encode() + b"\n"
    return "tree-" + key.removeprefix("stdlib-"), stamp


def _kept_stdlib(key: str) -> tuple[ast.Module, ...] | None:
    saved = cache.read_keyed(key)
    modules = None if saved is None else _unpickled(saved)
    if isinstance(modules, tuple) and all(isinstance(m, ast.Module) for m in modules):
        return modules
    return None


def _unpickled(data: bytes):
    """What ``data`` pickles, or None where it is corrupt or cut (what unpickling raises then
    varies): the caller parses afresh."""
    try:
        return pickle.loads(data)
    except Exception:
        return None


def load_problem(
    source: str | Path,
    text: str | None = None,
    overrides: dict[str, str] | None = None,
    surface: Surface = COMMAND_LINE,
) -> Problem:
    """Parse, check and override a .scale file: the Problem, or ScaleError with every error.

    ``source`` is the file's path (used in messages and to resolve imports); ``text`` its contents
    when already in memory (then nothing is read for the file itself); ``surface`` where the
    overrides were given (the command line or Python keywords), which their errors name.
    """
    path = str(source)
    problem = check_file(path, text, overrides, surface)
    if problem is None:
        raise ScaleError(
            [
                Diagnostic(
                    Span(path, 1, 1, 1, 1),
                    "this file declares no problem: it has only declarations",
                    "a problem needs an input, a teacher, a target, layers, a readout and predict",
                )
            ],
            sources=_sources_of(path, text),
        )
    return problem


def check_file(
    source: str | Path,
    text: str | None = None,
    overrides: dict[str, str] | None = None,
    surface: Surface = COMMAND_LINE,
) -> Problem | None:
    """Like ``load_problem``, but a file of declarations only (a module such as the stdlib) is
    checked too, and gives None."""
    path = str(source)
    text = read_source(path) if text is None else unix_newlines(text)
    module, diagnostics, broken = _parsed(text, path)
    sources = {path: text}
    imported, import_diagnostics = _imports(module, path, sources, seen={_key(path)})
    diagnostics += import_diagnostics
    # A stdlib module checked on its own is not also its own prelude.
    prelude = tuple(m for m in stdlib() if _key(m.path) != _key(path)) + tuple(imported)
    problem = None
    try:
        if is_problem(module):
            problem = check(module, path, prelude, broken if diagnostics else None)
        else:
            check_declarations(module, path, prelude)
    except ScaleError as err:
        diagnostics += err.diagnostics
    if diagnostics:
        raise ScaleError(sort_diagnostics(diagnostics), sources=sources)
    if problem is not None:
        problem = replace(
            problem, warnings=lint.warnings(module, text, overrides), source_text=text
        )
    if problem is not None and overrides:
        problem = apply_overrides(problem, overrides, surface)
    return problem


@lru_cache(maxsize=1)
def _stdlib_keys() -> frozenset:
    return frozenset(_key(str(stdlib_path(name))) for name in stdlib_modules())


def _imports(
    module: ast.Module, path: str, sources: dict[str, str], seen: set
) -> tuple[list, list]:
    """The modules imported by ``module`` (depth first: a module's imports come before it)."""
    modules: list[ast.Module] = []
    diagnostics: list[Diagnostic] = []
    base = Path(path).parent
    for stmt in module.statements:
        if not isinstance(stmt, ast.Import):
            continue
        target = base / stmt.path
        if not stmt.path.endswith(".scale") or not target.is_file():
            diagnostics.append(
                Diagnostic(
                    stmt.span,
                    f"cannot find the module {stmt.path!r}",
                    f"looked for {target}; imports are relative to the importing file"
                    if stmt.path.endswith(".scale")
                    else "a module's name ends in .scale",
                )
            )
            continue
        key = _key(str(target))
        if key in seen or key in _stdlib_keys():  # the stdlib is loaded before every file
            continue
        seen.add(key)
        text = read_source(str(target))
        shown = str(target)
        sources[shown] = text
        sub, sub_diagnostics, _ = _parsed(text, shown)
        diagnostics += sub_diagnostics
        deeper, deeper_diagnostics = _imports(sub, shown, sources, seen)
        modules += deeper
        diagnostics += deeper_diagnostics
        modules.append(sub)
    return modules, diagnostics


def _key(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return path


def read_source(path: str) -> str:
    """The text of a .scale file; a ScaleError at the place that cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ScaleError(
            [Diagnostic(Span(path, 1, 1, 1, 1), f"cannot read {path}: {exc.strerror}")]
        ) from None
    try:
        return unix_newlines(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:  # point at the first byte that is not UTF-8
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ScaleError(
            [
                Diagnostic(
                    Span(path, line, column, line, column + 1),
                    f"cannot read {path}: byte {raw[exc.start]:#04x} is not UTF-8 text",
                    "save the file as UTF-8",
                )
            ]
        ) from None


def unix_newlines(text: str) -> str:
    """Line ends as the grammar counts them: Windows' \\r\\n and old Macintosh's lone \\r
    become \\n (a file with only \\r would otherwise be one line, all comment after a #)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _sources_of(path: str, text: str | None) -> dict[str, str]:
    return {path: text} if text is not None else {}
