"""Derivations in words, and how affine log-values are printed as monomials.

Owns the renderers (``monomial_renderer`` for independent scales: ``(N*d)^(1/2)``;
``exponent_renderer`` for free exponents: ``d^(a1/2 + 1/2)``) and ``trace_value_function``, which
says for each piece which terms balance, which bounds bind, and what the minimum is, e.g.
``M*d balances N/M at M = (N/d)^(1/2); minimum (N*d)^(1/2)``. A renderer is any callable
``Affine -> str``, so the report can substitute its own.
"""

from __future__ import annotations

from math import lcm
from typing import Callable

from .affine import Affine, Q


def _power(name: str, e: Q) -> str:
    if e == 1:
        return name
    return f"{name}^{e}" if e.denominator == 1 and e > 0 else f"{name}^({e})"


def monomial_renderer(names: dict | None = None) -> Callable[[Affine], str]:
    """Print ``1/2*x_N + 1/2*x_d`` as ``(N*d)^(1/2)``; ``names`` maps coordinates to scale names.

    A constant part c (log of a constant factor) is printed as ``e^(c)``; it only appears in
    problems that mix free exponents with independent scales.
    """
    names = names or {}

    def render(form: Affine) -> str:
        coeffs = form.coeffs
        if not coeffs:
            return "1" if not form.const else f"e^({form.const})"
        q = lcm(*(c.denominator for c in coeffs.values()))
        num = [
            (names.get(n, n), c * q)
            for n, c in sorted(coeffs.items(), key=lambda kv: names.get(kv[0], kv[0]))
        ]
        up = [_power(n, c) for n, c in num if c > 0]
        down = [_power(n, -c) for n, c in num if c < 0]
        inner = "*".join(up) or "1"
        if down:
            inner += "/" + ("*".join(down) if len(down) == 1 else "(" + "*".join(down) + ")")
        if q != 1:
            single = len(up) + len(down) == 1 and not down
            inner = (inner if single else f"({inner})") + f"^(1/{q})"
        if form.const:
            inner += f"*e^({form.const})"
        return inner

    return render


def exponent_renderer(base: str = "d") -> Callable[[Affine], str]:
    """Print an affine function of free exponents as a power of the base scale: ``d^(a1 + 1)``."""

    def render(form: Affine) -> str:
        if form.is_constant():
            c = form.const
            if c == 0:
                return "1"
            return base if c == 1 else _power(base, c)
        return f"{base}^({form})"

    return render


def default_renderer(vf) -> Callable[[Affine], str]:
    """Monomials in the coordinates unless the problem has constants (free exponents)."""
    forms = [t.scale_form for t in vf.program.terms] + [b.scale_form for b in vf.program.bounds]
    forms += list(vf.domain.inequalities)
    if any(f.const for f in forms):
        return exponent_renderer("d")
    return monomial_renderer()


def _eq(var: str, value: str) -> str:
    return f"{var} = {value}"


def trace_piece(piece, program, render) -> str:
    """One piece in words: which bounds bind, what balances, the optimum and the minimum."""
    opt = ", ".join(_eq(v, render(a)) for v, a in piece.optimum.items())
    parts = [f"bound {b} binds" for b in piece.binding]
    bal = list(piece.balanced)
    if len(bal) >= 2:
        parts.append(f"{bal[0]} balances {' and '.join(bal[1:])}")
    elif bal:
        parts.append(f"{bal[0]} dominates")
    line = ", ".join(parts) + (f" at {opt}" if opt else "")
    line += f"; minimum {render(piece.value)}"
    if not piece.unique:
        line += " (optimum not unique: one vertex of the optimal face shown)"
    return line


def trace_value_function(vf, render=None) -> str:
    render = render or default_renderer(vf)
    lines = [
        f"minimize {' + '.join(t.label for t in vf.program.terms)}"
        + (
            f" subject to {', '.join(b.label for b in vf.program.bounds)}"
            if vf.program.bounds
            else ""
        )
    ]
    for i, piece in enumerate(vf.pieces, 1):
        lines.append(f"  piece {i}, where {piece.region.describe(render)}:")
        lines.append(f"    {trace_piece(piece, vf.program, render)}")
    for cell in vf.infeasible:
        lines.append(f"  infeasible where {cell.describe(render)}")
    return "\n".join(lines)
