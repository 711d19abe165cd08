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

from scalelang import ast
from scalelang.diagnostics import Diagnostic
from scalelang.span import Span


def warnings(module: ast.Module) -> tuple[Diagnostic, ...]:
    """Every warning about ``module``, in source order."""
    found = _unused_scales(module) + _divided_powers(module)
    return tuple(sorted(found, key=lambda d: (d.span.line, d.span.column)))


def _unused_scales(module: ast.Module) -> list[Diagnostic]:
    declared = [item for stmt in module.statements if isinstance(stmt, ast.ScaleStmt)
                for item in stmt.items]
    used = {node.id for stmt in module.statements for node in _nodes(_uses(stmt))
            if isinstance(node, ast.Name)}
    return [Diagnostic(item.name.span, f"the scale {item.name.id} is declared but nothing uses it: "
                                       "it is a coordinate of the answer that changes nothing",
                       f"remove it, or use it where it was meant (a width, a prior, the noise)",
                       severity="warning")
            for item in declared if item.name.id not in used]


def _uses(stmt):
    """What in ``stmt`` may refer to a scale: all of it, but a scale's own declared name."""
    if isinstance(stmt, ast.ScaleStmt):
        return tuple(item.definition for item in stmt.items if item.definition is not None)
    return stmt


def _divided_powers(module: ast.Module) -> list[Diagnostic]:
    return [_divided_power_warning(node) for node in _nodes(module.statements)
            if _is_divided_power(node)]


def _is_divided_power(node) -> bool:
    """``base^k / m`` with literal k (or -k) and m, the power not in parentheses."""
    if not (isinstance(node, ast.BinOp) and node.op == "/" and isinstance(node.right, ast.Number)):
        return False
    power = node.left
    if not (isinstance(power, ast.BinOp) and power.op == "^"):
        return False
    exponent = power.right.operand if isinstance(power.right, ast.Neg) else power.right
    unbracketed = (power.span.line, power.span.column) == (node.span.line, node.span.column)
    return isinstance(exponent, ast.Number) and unbracketed


def _divided_power_warning(node: ast.BinOp) -> Diagnostic:
    base, exponent, divisor = _text(node.left.left), _text(node.left.right), node.right.text
    return Diagnostic(
        node.span,
        f"{base}^{exponent}/{divisor} reads as ({base}^{exponent})/{divisor}: a constant factor, "
        f"which leading-order scaling drops",
        f"for the power write {base}^({exponent}/{divisor}); write ({base}^{exponent})/{divisor} "
        f"if the factor is meant",
        severity="warning")


def _text(node) -> str:
    """A short source-like text of a name, number or negated number."""
    if isinstance(node, ast.Neg):
        return "-" + _text(node.operand)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Number):
        return node.text
    return "(...)"


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
