"""Expressions of the language to exact sympy values: numbers, names, powers, monomials.

Owns the arithmetic every statement shares (``convert`` with the reserved symbols and built-in
functions, exact numbers, the parts of a monomial, a scale's definition) and the error type
``_Fail`` that carries a source position. ``check`` builds the IR with it and ``overrides`` reads
--set values with it; neither imports the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy

from scalelang.algebra.notation import show
from scalelang.frontend import ast
from scalelang.support.diagnostics import Diagnostic
from scalelang.support.span import Span

Z = sympy.Symbol("z", real=True)
WIDTH = sympy.Symbol("width", positive=True)
NORM = sympy.Symbol("norm", positive=True)
MAX_DEGREE = 64  # the highest Hermite degree or power a target may use
MAX_DIGITS = 100  # digits (or a power of ten) a numeric literal may have
MAX_POWER = 64  # the largest numeric exponent of a number (2^64 is fine, 2^(10^9) is not)

# Functions an activation body may call, with their arity.
BUILTINS: dict[str, tuple[int, Callable]] = {
    "erf": (1, sympy.erf),
    "tanh": (1, sympy.tanh),
    "exp": (1, sympy.exp),
    "log": (1, sympy.log),
    "sqrt": (1, sympy.sqrt),
    "abs": (1, sympy.Abs),
    "sin": (1, sympy.sin),
    "cos": (1, sympy.cos),
    "sign": (1, sympy.sign),
    "max": (2, sympy.Max),
    "min": (2, sympy.Min),
}

HERMITE = re.compile(r"He(\d+)$")


def scale_symbol(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, positive=True)


def exponent_symbol(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


class _Fail(Exception):
    """One diagnostic, raised inside an expression and collected by the statement's check."""

    def __init__(self, span: Span, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(span, message, hint)


# ---- expressions ------------------------------------------------------------------------------


def number(node: ast.Number) -> sympy.Rational:
    """The exact value of a numeric literal (``0.5`` is 1/2)."""
    mantissa, _, power = node.text.lower().partition("e")
    if power and abs(int(power)) > MAX_DIGITS:
        size = "large" if int(power) > 0 else "small"
        raise _Fail(
            node.span,
            f"the number {node.text} is too {size} for scalelang",
            f"scalelang takes powers of ten from 1e-{MAX_DIGITS} to 1e{MAX_DIGITS}",
        )
    if len(mantissa.replace(".", "").lstrip("0")) > MAX_DIGITS:
        raise _Fail(
            node.span,
            f"this number has more than {MAX_DIGITS} digits",
            "an O(1) constant needs few digits; a power of ten is written 1e50",
        )
    return sympy.Rational(node.text)


def convert(
    expr: ast.Expr,
    name: Callable[[ast.Name, bool], sympy.Expr],
    call: Callable[[ast.Call, list], sympy.Expr] | None = None,
    dot: Callable[[ast.Dot], sympy.Expr] | None = None,
    what: str = "here",
    in_exponent: bool = False,
    max_power: int | None = None,
) -> sympy.Expr:
    """AST expression -> sympy. ``name(node, in_exponent)`` resolves names; ``call`` and ``dot``
    resolve calls and projections (an error when None)."""

    def go(node, in_exp: bool):
        if isinstance(node, ast.Number):
            return number(node)
        if isinstance(node, ast.Name):
            return name(node, in_exp)
        if isinstance(node, ast.Neg):
            return -go(node.operand, in_exp)
        if isinstance(node, ast.BinOp):
            left = go(node.left, in_exp)
            right = go(node.right, in_exp or node.op == "^")
            if node.op == "+":
                return left + right
            if node.op == "-":
                return left - right
            if node.op == "*":
                return left * right
            if node.op == "/":
                if right == 0:
                    raise _Fail(node.right.span, "division by zero")
                return left / right
            if max_power is not None and not (right.is_Integer and 0 <= right <= max_power):
                raise _Fail(
                    node.right.span,
                    f"a power in {what.removeprefix('in ')} must be a whole number "
                    f"from 0 to {max_power}, not {show(right)}",
                )
            return _power(node, left, right)
        if isinstance(node, ast.Call):
            if call is None:
                raise _Fail(node.span, f"a function call ({node.func.id}) is not allowed {what}")
            args = [go(a, in_exp) for a in node.args]
            return call(node, args)
        if isinstance(node, ast.Dot):
            if dot is None:
                raise _Fail(
                    node.span,
                    f"a projection ({node.left.id} . {node.right.id}) is not allowed {what}",
                )
            return dot(node)
        raise _Fail(getattr(node, "span", Span("<unknown>", 0, 0, 0, 0)), "not an expression")

    return go(expr, in_exponent)


def _power(node: ast.BinOp, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    if exponent.is_number and (not exponent.is_real or abs(exponent) > MAX_POWER):
        if base.is_number or not exponent.is_Rational or abs(exponent) > 10**6:
            raise _Fail(node.right.span, f"the exponent {exponent} is too large for scalelang")
    if base == 0 and exponent.is_number and exponent.is_nonpositive:
        raise _Fail(node.span, "zero to a non-positive power is undefined")
    result = base**exponent
    if result.has(sympy.zoo, sympy.nan, sympy.I):
        raise _Fail(node.span, "this power is not a real number")
    return result


def monomial_parts(expr: sympy.Expr) -> list[tuple[sympy.Expr, sympy.Expr]] | None:
    """(base, exponent) of each symbolic factor of a monomial with a positive coefficient, or None
    when ``expr`` is not one (a sum, a function, a negative or zero coefficient)."""
    if expr.is_number:
        return [] if expr.is_positive else None
    parts = []
    for factor in sympy.Mul.make_args(expr):
        if factor.is_number:
            if not factor.is_positive:
                return None
        elif factor.is_Symbol:
            parts.append((factor, sympy.Integer(1)))
        elif factor.is_Pow and factor.base.is_Symbol:
            parts.append((factor.base, factor.exp))
        else:
            return None
    return parts


def definition_expr(
    expr: ast.Expr,
    scales: set[str],
    free: set[str],
    undeclared: Callable[[ast.Name], _Fail],
    other: Callable[[ast.Name], str | None] = lambda n: None,
) -> sympy.Expr:
    """A scale's definition: a monomial in scales whose exponents may be linear in free
    exponents."""

    def name(node: ast.Name, in_exp: bool):
        if node.id in scales:
            return scale_symbol(node.id)
        if node.id in free:
            if not in_exp:
                raise _Fail(
                    node.span,
                    f"{node.id!r} is not a scale",
                    f"a free exponent may only appear in an exponent, as in d^{node.id}",
                )
            return exponent_symbol(node.id)
        kind = other(node)
        if kind:
            raise _Fail(node.span, f"{node.id!r} is {kind}, not a scale")
        raise undeclared(node)

    value = convert(expr, name, what="in a scale's definition")
    parts = monomial_parts(value)
    exponents = [exponent_symbol(n) for n in free]
    if parts is None or not any(b.name in scales for b, _ in parts):
        raise _Fail(
            expr.span,
            f"a scale's definition must be a power of other scales, not {show(value)}",
            "write e.g. `scale N = d`, `scale N = d^nu` or `scale N = d^(3/2)`",
        )
    for base, exponent in parts:
        if base.name not in scales:
            raise _Fail(expr.span, f"{base} is not a scale")
        if not exponent.is_Rational:
            if (
                not exponent.is_polynomial(*exponents)
                or sympy.Poly(exponent, *exponents).total_degree() > 1
            ):
                raise _Fail(
                    expr.span, f"the exponent {exponent} must be linear in the free exponents"
                )
    return value


def names_in_exponents(expr: ast.Expr, in_exp: bool = False) -> list[str]:
    """Names that occur inside the right side of a ``^``, in order."""
    if isinstance(expr, ast.Name):
        return [expr.id] if in_exp else []
    if isinstance(expr, ast.BinOp):
        return names_in_exponents(expr.left, in_exp) + names_in_exponents(
            expr.right, in_exp or expr.op == "^"
        )
    if isinstance(expr, ast.Neg):
        return names_in_exponents(expr.operand, in_exp)
    if isinstance(expr, ast.Call):
        return [n for a in expr.args for n in names_in_exponents(a, in_exp)]
    return []


def cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return path
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def degree_bound(expr: sympy.Expr) -> int:
    """An upper bound of a polynomial's total degree, read from its tree without expanding it.

    Why: composing polynomial functions multiplies their degrees, and expanding, say, f(f(f(u)))
    of a degree-64 f would run for hours; this bound lets a check refuse it first. Parts that are
    not polynomials count 0 (the polynomial check reports them).
    """
    if expr.is_Symbol:
        return 1
    if expr.is_Add:
        return max(degree_bound(a) for a in expr.args)
    if expr.is_Mul:
        return sum(degree_bound(a) for a in expr.args)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        return int(expr.exp) * degree_bound(expr.base)
    return 0
