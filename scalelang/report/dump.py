"""Each stage's output as readable text: ``scalelang check --dump ast|problem|lowered``.

Owns the plain-text dumps of the syntax tree (``frontend.ast.Module``), the checked ``Problem``
and the lowering's ``Lowered``, for a person looking at what a stage made of a file and for the
expect-tests in tests/golden/dump. It reads the stages' public dataclasses only and runs no stage
(the command gets each result from ``scalelang.pipeline``).

A dump is deterministic: no memory addresses, no sets, fields in declaration order, places as
``line:col`` (with the file's name only where a place lies outside the file dumped, as a
``--set`` does), exponents exact.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import sympy

from scalelang.algebra.monomial import Mono
from scalelang.frontend import ast
from scalelang.problem import Layer, Problem
from scalelang.support.span import Span
from scalelang.theory.lower import Assignment, Candidate, Lowered

STAGES = ("ast", "problem", "lowered")

# The summary form of a lowered dump: at most this many candidates per assignment, and this many
# assignments, each cut short with "... N more" (a deep network has thousands of each).
CANDIDATES_SHOWN = 4
ASSIGNMENTS_SHOWN = 64


# ---- the syntax tree ---------------------------------------------------------------------------


def dump_ast(module: ast.Module) -> str:
    """The tree as written: one node a line with its kind and span, its fields indented below.

    A name or a number is a leaf on its parent's line (``name: Name h @13:9-13:10``); a field
    holding a tuple lists its items below it, ``()`` when empty.
    """
    lines = [f"Module {module.path}"]
    for statement in module.statements:
        _node(statement, 1, "", lines)
    return "\n".join(lines) + "\n"


def _span_text(span: Span) -> str:
    return f"@{span.line}:{span.column}-{span.end_line}:{span.end_column}"


def _node(node, depth: int, label: str, lines: list[str]) -> None:
    pad = "  " * depth
    if isinstance(node, ast.Name):
        lines.append(f"{pad}{label}Name {node.id} {_span_text(node.span)}")
    elif isinstance(node, ast.Number):
        lines.append(f"{pad}{label}Number {node.text} {_span_text(node.span)}")
    elif isinstance(node, tuple):
        if not node:
            lines.append(f"{pad}{label}()")
            return
        lines.append(f"{pad}{label.rstrip()}")
        for item in node:
            _node(item, depth + 1, "", lines)
    elif dataclasses.is_dataclass(node):
        extra = f" {node.op}" if isinstance(node, ast.BinOp) else ""
        lines.append(f"{pad}{label}{type(node).__name__}{extra} {_span_text(node.span)}")
        for f in dataclasses.fields(node):
            if f.name == "span" or (isinstance(node, ast.BinOp) and f.name == "op"):
                continue
            _node(getattr(node, f.name), depth + 1, f"{f.name}: ", lines)
    else:  # a string, a flag or None: as Python writes it, so that every character shows
        lines.append(f"{pad}{label}{node!r}")


# ---- the checked problem -----------------------------------------------------------------------


def dump_problem(problem: Problem) -> str:
    """The checked problem, a part a line with the place it was written (``@line:col``)."""
    at = _Places(problem.source_path)
    out = [f"problem {problem.name} ({problem.source_path})"]
    out.append("scales")
    for scale in problem.scales:
        meaning = "independent" if scale.definition is None else f"= {expr(scale.definition)}"
        out.append(f"  {scale.name} {meaning} {at(scale.span)}")
    out.append(f"free exponents: {', '.join(problem.free_exponents) or '(none)'}")
    constants = [f"{name} = {expr(value)}" for name, value in problem.constants.items()]
    out.append(f"constants: {', '.join(constants) or '(none)'}")
    noise = problem.noise_name or "kappa"
    out.append(f"noise {noise} = {expr(problem.kappa)} {at(problem.noise_span)}".rstrip())
    tokens = ""
    if problem.tokens is not None:
        tokens = f" tokens {expr(problem.tokens)} query {problem.query_name}"
    out.append(
        f"input {problem.input_name} ~ gaussian({expr(problem.input_dim)}){tokens} "
        f"{at(problem.input_span)}".rstrip()
    )
    out.append("teachers")
    for teacher in problem.teachers:
        token = f" on {teacher.token}" if teacher.token is not None else ""
        out.append(f"  {teacher.name} ~ sphere({expr(teacher.dim)}){token} {at(teacher.span)}")
    out.append(f"target {problem.target_text} {at(problem.target_span)}".rstrip())
    for term in problem.target:
        degrees = " * ".join(f"He{k}({name})" for name, k in term.degrees)
        total = sum(k for _, k in term.degrees)
        out.append(f"  term {expr(term.coef)} * {degrees}  (degree {total})")
    out.append("layers")
    for layer in problem.layers:
        out += _layer(layer, problem, at)
    readout = problem.readout
    out.append(
        f"readout {readout.name} = {readout.weight} . {readout.input_name} {at(readout.span)}"
    )
    out.append(
        f"  prior {readout.weight} ~ normal(0, {expr(readout.variance)}) "
        f"{at(readout.variance_span)}".rstrip()
    )
    out.append(f"predict {problem.predict} {at(problem.predict_span)}".rstrip())
    out.append("assumptions" if problem.assumptions else "assumptions: (none)")
    for small, large, span in problem.assumptions:
        out.append(f"  {expr(small)} <= {expr(large)} {at(span)}")
    return "\n".join(out) + "\n"


def _layer(layer: Layer, problem: Problem, at) -> list[str]:
    activation = layer.activation
    out = [f"  {layer.name} ({layer.kind}) {at(layer.span)}"]
    out.append(f"    activation {activation.name}(z) = {expr(activation.expr)}")
    if layer.kind == "attention":
        out.append(f"    logits {layer.query} {layer.weight} {layer.input_name}")
        out.append(f"    heads {expr(layer.width)} {at(layer.width_span)}".rstrip())
    else:
        out.append(f"    input {layer.input_name}, weight {layer.weight}")
        width = "channels" if layer.kind == "conv" else "width"
        out.append(f"    {width} {expr(layer.width)} {at(layer.width_span)}".rstrip())
    if layer.patches is not None:
        out.append(f"    patches {expr(layer.patches)}")
    out.append(
        f"    prior {layer.weight} ~ normal(0, {expr(layer.variance)}) "
        f"{at(layer.variance_span)}".rstrip()
    )
    allowed = " | ".join(problem.allowed_patterns.get(layer.name, ()))
    written = problem.pattern_spans.get(layer.name)
    out.append(f"    patterns {allowed} {at(written) if written else '(default)'}")
    return out


class _Places:
    """``@line:col`` of a span in the dumped file; ``@path:line:col`` elsewhere (a ``--set``);
    nothing for a span that is not known."""

    def __init__(self, path: str):
        self.path = path

    def __call__(self, span: Span | None) -> str:
        if span is None or span.line == 0:
            return ""
        if span.path == self.path:
            return f"@{span.line}:{span.column}"
        return f"@{span.path}:{span.line}:{span.column}"


def expr(value) -> str:
    """A sympy expression as the language writes it (``^`` for powers)."""
    return sympy.sstr(sympy.sympify(value)).replace("**", "^")


# ---- the lowering ------------------------------------------------------------------------------


def dump_lowered(
    lowered: Lowered,
    name: str = "",
    candidates_shown: int | None = CANDIDATES_SHOWN,
    assignments_shown: int | None = ASSIGNMENTS_SHOWN,
) -> str:
    """The candidate energies of every pattern assignment, and each layer's input variance;
    ``name`` heads the dump (the problem's name and file).

    ``candidates_shown`` and ``assignments_shown`` cut a long dump short (``None``: everything);
    what is left out is counted on a line ``... N more``.
    """
    assignments = lowered.assignments
    total = sum(len(a.candidates) for a in assignments)
    counts = f"{_count(len(assignments), 'assignment')}, {_count(total, 'candidate')}"
    out = [f"lowered {name}: {counts}" if name else f"lowered: {counts}"]
    cut_assignments = assignments_shown is not None and len(assignments) > assignments_shown
    cut_candidates = candidates_shown is not None and any(
        len(a.candidates) > candidates_shown for a in assignments
    )
    if cut_assignments or cut_candidates:
        limits = [f"{candidates_shown} candidates per assignment"] if cut_candidates else []
        limits += [f"the first {assignments_shown} assignments"] if cut_assignments else []
        out.append(f"(a summary: {' and '.join(limits)} are shown)")
    out.append("input variances")
    for layer, variance, regime in lowered.input_variances:
        out.append(f"  {layer}: q = {mono(variance)}, regime {regime}")
    shown = assignments if assignments_shown is None else assignments[:assignments_shown]
    for number, assignment in enumerate(shown, start=1):
        out += _assignment(assignment, number, len(assignments), candidates_shown)
    if len(shown) < len(assignments):
        out.append(f"... {_count(len(assignments) - len(shown), 'more assignment')}")
    return "\n".join(out) + "\n"


def _assignment(assignment: Assignment, number: int, of: int, shown: int | None) -> list[str]:
    patterns = ", ".join(f"{layer}: {pattern}" for layer, pattern in assignment.patterns)
    candidates = assignment.candidates
    out = [f"assignment {number} of {of}: {patterns} ({_count(len(candidates), 'candidate')})"]
    if assignment.uncarried:
        out.append(f"  uncarried: {', '.join(assignment.uncarried)}")
    kept = candidates if shown is None else candidates[:shown]
    for index, candidate in enumerate(kept, start=1):
        out += _candidate(candidate, index, len(candidates))
    if len(kept) < len(candidates):
        out.append(f"  ... {_count(len(candidates) - len(kept), 'more candidate')}")
    return out


def _candidate(candidate: Candidate, number: int, of: int) -> list[str]:
    out = [f"  candidate {number} of {of}"]
    out.append(f"    variables: {', '.join(candidate.variables) or '(none)'}")
    locked = ", ".join(f"{layer}: {feature}" for layer, feature in candidate.locked)
    out.append(f"    locked: {locked or '(none, every layer lazy)'}")
    out.append("    terms")
    for term in candidate.terms:
        out.append(f"      {mono(term.mono)}    {term.role}")
    if candidate.bounds:
        out.append("    bounds")
    for bound in candidate.bounds:
        amplitude = f" (the amplitude of {bound.amplitude})" if bound.amplitude else ""
        out.append(f"      {mono(bound.mono)} <= 1    {bound.label}{amplitude}")
    return out


def mono(value) -> str:
    """``d^3 * M^(1/2) * N^-1``: a monomial with exact exponents, factors in name order."""
    if not isinstance(value, Mono):
        return expr(value)
    if not value.powers:
        return "1"
    return " * ".join(_power(name, Fraction(e)) for name, e in value.powers)


def _power(name: str, exponent: Fraction) -> str:
    if exponent == 1:
        return name
    if exponent.denominator == 1:
        return f"{name}^{exponent.numerator}"
    return f"{name}^({exponent})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
