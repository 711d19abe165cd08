"""Warnings: a file that checks may still not say what its author meant.

Owns the two slips theorists make most in a .scale file that the checker cannot call errors,
because the file means something, just not what was meant:

- a scale declared and never used (a leftover, or a typo in the place that should use it): it
  becomes a coordinate that changes nothing, and the answer is printed over it;
- a power divided by a number, ``d^3/2`` or ``d^-3/2``: the language reads it as ``(d^3)/2`` as
  usual precedence says, a constant factor that leading-order scaling drops, where ``d^(3/2)`` was
  almost always meant. Writing the parentheses, either way, silences it.

Warnings are Diagnostics with severity "warning"; they never stop a command.
"""

from __future__ import annotations

import dataclasses

from scalelang.frontend import ast
from scalelang.support.diagnostics import Diagnostic, ScaleError, source_lines
from scalelang.support.span import Span

# Where a power over a number is a slip: the monomials of the problem (widths, priors, the noise,
# scale definitions, assumptions). In an activation, a function or a target, z^3/6 means what it
# says.
_FORMULAS = (ast.ActivationDecl, ast.FunctionDecl, ast.Target, ast.PatternDecl)


def warnings(
    module: ast.Module, text: str, overrides: dict | None = None
) -> tuple[Diagnostic, ...]:
    """Every warning about ``module`` (whose source is ``text``), in source order. A scale that
    only an override's value uses (--set N=Q^2) is used."""
    found = _unused_scales(module, overrides or {}) + _divided_powers(module, source_lines(text))
    return tuple(sorted(found, key=lambda d: (d.span.line, d.span.column)))


def _unused_scales(module: ast.Module, overrides: dict) -> list[Diagnostic]:
    declared = [
        item for stmt in module.statements if isinstance(stmt, ast.ScaleStmt) for item in stmt.items
    ]
    used = {
        node.id
        for stmt in module.statements
        for node in _nodes(_uses(stmt))
        if isinstance(node, ast.Name)
    }
    used |= {node.id for node in _nodes(_parsed(overrides)) if isinstance(node, ast.Name)}
    return [
        Diagnostic(
            item.name.span,
            f"the scale {item.name.id} is declared but nothing uses it: "
            "it is a coordinate of the answer that changes nothing",
            "remove it, or use it where it was meant (a width, a prior, the noise)",
            severity="warning",
        )
        for item in declared
        if item.name.id not in used
    ]


def _parsed(overrides: dict) -> tuple:
    """The overrides' values as expressions; one that does not parse is left to the overrides'
    own error."""
    if not overrides:
        return ()
    from scalelang.frontend.syntax import parse_expr  # lark, only where there are overrides

    values = []
    for value in overrides.values():
        try:
            values.append(parse_expr(str(value)))
        except ScaleError:
            pass
    return tuple(values)


def _uses(stmt):
    """What in ``stmt`` may refer to a scale: all of it, but a scale's own declared name."""
    if isinstance(stmt, ast.ScaleStmt):
        return tuple(item.definition for item in stmt.items if item.definition is not None)
    return stmt


def _divided_powers(module: ast.Module, lines: list[str]) -> list[Diagnostic]:
    places = [stmt for stmt in module.statements if not isinstance(stmt, _FORMULAS)]
    found = []
    for node in _nodes(tuple(places)):
        power = _divided_power(node)
        if power is not None:
            found.append(_divided_power_warning(node, power, lines))
    return found


def _divided_power(node):
    """The power in ``... base^k / m`` (literal k or -k, literal m) when nothing brackets it:
    ``d^3/2`` and ``N*d^3/2``, not ``(d^3)/2`` nor ``N*(d^3)/2``."""
    if not (isinstance(node, ast.BinOp) and node.op == "/" and isinstance(node.right, ast.Number)):
        return None
    left = node.left
    if _is_literal_power(left):  # a bracket would start the quotient before the power
        return left if _start(left) == _start(node) else None
    while isinstance(left, ast.BinOp) and left.op == "*":  # the last factor, unless bracketed
        if _is_literal_power(left.right):
            return left.right if _end(left.right) == _end(left) else None
        left = left.right
    return None


def _is_literal_power(node) -> bool:
    if not (isinstance(node, ast.BinOp) and node.op == "^"):
        return False
    exponent = node.right.operand if isinstance(node.right, ast.Neg) else node.right
    return isinstance(exponent, ast.Number)


def _divided_power_warning(node: ast.BinOp, power: ast.BinOp, lines: list[str]) -> Diagnostic:
    base, exponent = _source(power.left, lines), _source(power.right, lines)
    divisor = node.right.text
    return Diagnostic(
        node.span,
        f"{base}^{exponent}/{divisor} reads as ({base}^{exponent})/{divisor}: a constant factor, "
        f"which leading-order scaling drops",
        f"for the power write {base}^({exponent}/{divisor}); write ({base}^{exponent})/{divisor} "
        f"if the factor is meant",
        severity="warning",
    )


def _source(node, lines: list[str]) -> str:
    """The text the user wrote for ``node`` (one line; a bracketed base keeps its brackets)."""
    span = node.span
    if span.line != span.end_line or not 1 <= span.line <= len(lines):
        return "(...)"
    line = lines[span.line - 1]
    start, end = span.column - 1, span.end_column - 1
    if start > 0 and line[start - 1] == "(" and end < len(line) and line[end] == ")":
        start, end = start - 1, end + 1
    return line[start:end]


def _start(node) -> tuple:
    return node.span.line, node.span.column


def _end(node) -> tuple:
    return node.span.end_line, node.span.end_column


def _nodes(node):
    """``node`` and everything below it (tuples and AST dataclasses), depth first."""
    if isinstance(node, tuple):
        for child in node:
            yield from _nodes(child)
        return
    if not dataclasses.is_dataclass(node) or isinstance(node, Span):
        return
    yield node
    for f in dataclasses.fields(node):
        if f.name != "span":
            yield from _nodes(getattr(node, f.name))
