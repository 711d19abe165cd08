"""A small on-disk cache for results that are expensive to derive and never change.

Owns where cached results live ($SCALELANG_CACHE, else $XDG_CACHE_HOME/scalelang, else
~/.cache/scalelang) and how they are read and written: one JSON file per table, keyed by strings
that include everything the result depends on (and a version, bumped when the derivation
changes), and whole files (``read_bytes``, ``write_bytes``) named by such a key. Every write is
atomic (a temporary file, then a rename), so a reader sees a whole old file or a whole new one.
A cache that cannot be read or written is simply skipped: it only saves time.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path


def folder() -> Path:
    explicit = os.environ.get("SCALELANG_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "scalelang"


# Each table as this process last read or wrote it, by path: a load reads every stdlib
# activation's facts, one lookup each, and a file need not be read and decoded for every one.
_tables: dict[Path, dict] = {}


def load(table: str) -> dict:
    """The entries of ``table`` (read once per process; treat as read-only)."""
    path = folder() / f"{table}.json"
    if path not in _tables:
        _tables[path] = _read_table(path)
    return _tables[path]


def _read_table(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def store(table: str, key: str, value) -> None:
    """Add one entry, atomically (write a temporary file, then rename). The file is read afresh,
    so that entries another process added since this one read it are kept; this process then
    sees the entry as a later run reads it back (through JSON)."""
    path = folder() / f"{table}.json"
    entries = _read_table(path)
    entries[key] = value
    data = json.dumps(entries)
    write_bytes(path.name, data.encode("utf-8"))
    _tables[path] = json.loads(data)


def read_keyed(key: str) -> bytes | None:
    """What ``write_keyed`` kept under ``key``: the file ``key`` holds the key on its first line
    (so a file renamed, or written for another key, is not taken for it), then the contents;
    None when there is no such file or it starts otherwise."""
    data = read_bytes(key)
    header = f"{key}\n".encode()
    if data is None or not data.startswith(header):
        return None
    return data[len(header) :]


def write_keyed(key: str, contents: bytes) -> None:
    """Keep ``contents`` in the file ``key``, after the key on a line of its own (atomically)."""
    write_bytes(key, f"{key}\n".encode() + contents)


def read_bytes(name: str) -> bytes | None:
    """The cached file ``name``, or None when there is none or it cannot be read."""
    try:
        return (folder() / name).read_bytes()
    except OSError:
        return None


def write_bytes(name: str, data: bytes) -> None:
    """Keep ``data`` as the cached file ``name``, atomically; skipped (and no temporary file left)
    when the folder cannot be made or written."""
    handle = None
    try:
        target = folder()
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target, delete=False, suffix=".tmp") as handle:
            handle.write(data)
        os.replace(handle.name, target / name)
    except OSError:
        if handle is not None:
            with contextlib.suppress(OSError):
                Path(handle.name).unlink(missing_ok=True)


def optional_text(value) -> str | None:
    """An exact number (or None) as JSON can hold it: ``str`` for rationals, which read back with
    ``Fraction`` or ``sympy.Rational``."""
    return None if value is None else str(value)


def remembered(table: str, key: str, compute):
    """The value stored under ``key``, else ``compute()`` stored there first. Values are JSON, and
    None is a value like any other (a key that is present is never recomputed)."""
    entries = load(table)
    if key in entries:
        return entries[key]
    value = compute()
    store(table, key, value)
    return value
