"""Shared helpers of the front-end tests: a valid base file and ways to break it."""

from __future__ import annotations

from scalelang.frontend.load import load_problem
from scalelang.support.diagnostics import ScaleError

BASE = """\
problem t
scale d, N
scale P
noise kappa = 1
input x ~ gaussian(d)
teacher w ~ sphere(d)
target y = He3(w . x)
layer h = erf(W x) width N prior W ~ normal(0, 1/d)
readout f = a . h prior a ~ normal(0, 1/N)
patterns h: gp | spec
predict P
"""


def replace_line(number: int, text: str, base: str = BASE) -> str:
    lines = base.splitlines()
    lines[number - 1] = text
    return "\n".join(lines) + "\n"


def load(text: str, path: str = "t.scale", **kw):
    return load_problem(path, text=text, **kw)


def errors(text: str, path: str = "t.scale", **kw) -> list[tuple[int, int, str]]:
    """(line, column, message) of every error; fails if the text checks clean."""
    try:
        load_problem(path, text=text, **kw)
    except ScaleError as err:
        return [(d.span.line, d.span.column, d.message) for d in err.diagnostics]
    raise AssertionError("expected errors, the file checked clean")


def one_error(text: str, **kw) -> tuple[int, int, str]:
    found = errors(text, **kw)
    assert len(found) == 1, found
    return found[0]
