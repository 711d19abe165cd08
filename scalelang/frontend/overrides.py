"""Command-line overrides (``--set NAME=EXPR``) applied to a checked Problem.

Owns what an override may change: a scale's definition (``N=d``, ``N1=d^2``), a free exponent's
value (``a1=1``), a constant's value (``sigma2=2``) or the noise (``kappa=d``). Errors point into
the override text itself: path ``--set``, line i for the i-th override. It may not re-check the
file: the Problem it receives is already checked.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

import sympy

from scalelang.algebra.notation import show
from scalelang.frontend import ast
from scalelang.frontend.expressions import (
    _Fail,
    convert,
    cycle_from,
    definition_expr,
    exponent_symbol,
    monomial_parts,
    names_in_exponents,
    scale_symbol,
)
from scalelang.problem import COMMAND_LINE, OVERRIDES, Problem, Scale, Surface
from scalelang.support.diagnostics import Diagnostic, ScaleError, sort_diagnostics
from scalelang.support.span import Span

_NAME = re.compile(r"[^\W\d]\w*$")


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["N=d", "a1=1"]`` -> ``{"N": "d", "a1": "1"}``; ScaleError (path ``--set``) if
    malformed."""
    result: dict[str, str] = {}
    diagnostics = []
    for i, item in enumerate(items, start=1):
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            diagnostics.append(
                Diagnostic(
                    Span(OVERRIDES, i, 1, i, len(item) + 1),
                    f"--set expects NAME=EXPR, got {item!r}",
                    "e.g. --set N1=d^2",
                )
            )
            continue
        if name.strip() in result:
            before = result[name.strip()]
            hint = (
                "remove the repeat"
                if before == value.strip()
                else f"keep one of {before!r} and {value.strip()!r}"
            )
            diagnostics.append(
                Diagnostic(
                    Span(OVERRIDES, i, 1, i, len(name) + 1),
                    f"--set {name.strip()} is given twice",
                    hint,
                )
            )
            continue
        syntax = _parsed(name.strip(), value.strip(), i, COMMAND_LINE)[1]
        if syntax:  # malformed like a missing '=': bad usage, found before the file is read
            diagnostics += syntax
            continue
        result[name.strip()] = value.strip()
    if diagnostics:
        raise ScaleError(diagnostics, sources={OVERRIDES: "\n".join(items)})
    return result


def _parsed(name: str, text: str, line: int, surface: Surface) -> tuple:
    """``(expression or None, diagnostics)`` of the override on ``line``: a name that is not
    one, or an expression that does not parse, is malformed. ``surface``: where the overrides
    were given, which the messages name."""
    if not _NAME.match(name):
        return None, [
            Diagnostic(
                Span(OVERRIDES, line, 1, line, len(name) + 1),
                f"{surface.words()} needs a name before '=', not {name!r}",
            )
        ]
    from scalelang.frontend.syntax import parse_expr  # lark, only where there are overrides

    try:
        return parse_expr(text, OVERRIDES, line, len(name) + 2, surface), []
    except ScaleError as err:
        return None, list(err.diagnostics)


def apply_overrides(
    problem: Problem, overrides: Mapping[str, str], surface: Surface = COMMAND_LINE
) -> Problem:
    """A new Problem with every override applied and its free exponents recomputed; errors name
    the overrides as ``surface`` writes them (``--set N=d`` or ``solve(N='d')``)."""
    items = [(str(k).strip(), str(v).strip()) for k, v in overrides.items()]
    source = "\n".join(f"{k}={v}" for k, v in items)
    diagnostics: list[Diagnostic] = []
    scales = {s.name: s for s in problem.scales}
    scale_names = set(scales)
    free = list(problem.free_exponents)
    constants = dict(problem.constants)
    kappa, noise_span = problem.kappa, problem.noise_span
    new_defs: dict[str, sympy.Expr] = {}
    values: dict[sympy.Symbol, sympy.Expr] = {}

    parsed = []
    for line, (name, text) in enumerate(items, start=1):
        expr, errors = _parsed(name, text, line, surface)
        diagnostics += errors
        if expr is not None:
            parsed.append((name, Span(OVERRIDES, line, 1, line, len(name) + 1), expr))

    spans = {
        name: Span(OVERRIDES, expr.span.line, 1, expr.span.line, expr.span.end_column)
        for name, _, expr in parsed
    }  # the whole `NAME=EXPR`
    # Scale definitions first: they may introduce free exponents that later overrides set.
    for name, name_span, expr in parsed:
        if name not in scale_names:
            continue
        if name == problem.predict:
            diagnostics.append(
                Diagnostic(name_span, f"{name} is the scale to predict; it cannot be set")
            )
            continue
        for ref in names_in_exponents(expr):
            if ref not in scale_names and ref not in constants and ref not in free:
                free.append(ref)
        try:
            new_defs[name] = definition_expr(
                expr,
                scale_names,
                set(free),
                lambda n: _Fail(
                    n.span, f"undeclared scale {n.id!r}", "scales: " + ", ".join(scales)
                ),
                other=lambda n: "a constant" if n.id in constants else None,
            )
        except _Fail as failure:
            diagnostics.append(failure.diagnostic)

    for name, name_span, expr in parsed:
        if name in scale_names:
            continue
        try:
            if name in free:
                values[exponent_symbol(name)] = _number(
                    expr, "a free exponent's value", positive=False
                )
            elif name in constants:
                constants[name] = _number(expr, "a constant's value", positive=True)
            elif name == problem.noise_name or (problem.noise_name is None and name == "kappa"):
                kappa = _monomial(expr, scale_names, constants)
                noise_span = expr.span
            else:
                known = [*scales, *free, *constants, problem.noise_name or "kappa"]
                raise _Fail(
                    name_span,
                    f"{surface.words(name)}: {name!r} is not a scale, free exponent, constant "
                    "or noise of this problem",
                    "it can set: " + ", ".join(known),
                )
        except _Fail as failure:
            diagnostics.append(failure.diagnostic)

    new_scales = []
    for s in problem.scales:
        definition = new_defs.get(s.name, s.definition)
        if definition is not None and values:
            definition = definition.xreplace(values)
        span = spans[s.name] if s.name in new_defs else s.span  # errors about it blame the --set
        new_scales.append(dataclasses.replace(s, definition=definition, span=span))
    graph = {
        s.name: {str(b) for b in s.definition.free_symbols if str(b) in scale_names}
        for s in new_scales
        if s.definition is not None
    }
    for name in new_defs:
        cycle = cycle_from(graph, name)
        if cycle:
            line = next(i for i, (n, _) in enumerate(items, start=1) if n == name)
            diagnostics.append(
                Diagnostic(
                    Span(OVERRIDES, line, 1, line, len(name) + 1),
                    f"{surface.words(name)} makes a scale defined in terms of itself: "
                    + " -> ".join(cycle + [name]),
                )
            )
    if diagnostics:
        raise ScaleError(sort_diagnostics(diagnostics), sources={OVERRIDES: source})
    return dataclasses.replace(
        problem,
        scales=tuple(new_scales),
        free_exponents=_free_exponents(new_scales, free),
        constants=constants,
        kappa=kappa,
        noise_span=noise_span,
        override_text=source,
    )


def _free_exponents(scales: list[Scale], order: list[str]) -> tuple[str, ...]:
    names = {s.name for s in scales}
    used = set()
    for s in scales:
        if s.definition is not None:
            used |= {str(sym) for sym in s.definition.free_symbols if str(sym) not in names}
    return tuple(n for n in order if n in used) + tuple(sorted(used - set(order)))


def _number(expr: ast.Expr, what: str, positive: bool) -> sympy.Expr:
    def name(node: ast.Name, _in_exp: bool):
        raise _Fail(node.span, f"{what} must be a number, not {node.id!r}")

    value = convert(expr, name, what=f"in {what}")
    if not value.is_Rational and not (positive and value.is_number):
        raise _Fail(expr.span, f"{what} must be an exact number, not {show(value)}")
    if positive and not value.is_positive:
        raise _Fail(expr.span, f"{what} must be positive")
    return value


def _monomial(expr: ast.Expr, scales: set[str], constants: dict) -> sympy.Expr:
    def name(node: ast.Name, _in_exp: bool):
        if node.id in scales or node.id in constants:
            return scale_symbol(node.id)
        raise _Fail(node.span, f"undeclared scale {node.id!r}")

    value = convert(expr, name, what="in the noise")
    parts = monomial_parts(value)
    if parts is None or not all(e.is_Rational for _, e in parts):
        raise _Fail(expr.span, f"the noise must be a monomial, not {show(value)}")
    return value
