"""The short answer of ``scalelang solve``: P*, mechanism, optimum, runner-up, phases.

Owns plain-text rendering of a ``Solution`` (scalelang.theory.solve): it reads the solution's
phases, pieces and boundaries, whose energies, optima and regions are sympy objects, and prints
them with ``scalelang.algebra.notation`` as the reports do. It never reads the JSON back. Reports
in Markdown, HTML and LaTeX live elsewhere.
"""

from __future__ import annotations

import re
import textwrap
from fractions import Fraction
from functools import lru_cache

import sympy

from scalelang.algebra import notation
from scalelang.theory.solve import AssignmentResult, Solution, mechanism
from scalelang.theory.ties import boxes, describe


@lru_cache(maxsize=4096)
def plain(expr, order: tuple = ()) -> str:
    """A sympy monomial or relation as a theorist writes it: ``kappa sqrt(d N)``, ``N = d^5``
    (the reports' grouping, ``notation``, in plain text). A whole power of kappa stands first,
    as P* = kappa E is written."""
    if not isinstance(expr, (sympy.Expr, sympy.core.relational.Relational)):
        return str(expr)  # sympy's True or False, where a relation was decided
    if isinstance(expr, sympy.Expr):
        kappa = next((s for s in expr.free_symbols if s.name == "kappa"), None)
        power = expr.as_powers_dict().get(kappa, 0) if kappa is not None else 0
        if isinstance(power, sympy.Integer) and power > 0:
            rest = _without(expr, kappa**power)
            return _kappa_first(power, notation.from_sympy(rest, order).plain())
    return notation.from_sympy(expr, order).plain()


def _without(expr: sympy.Expr, factor: sympy.Expr) -> sympy.Expr:
    """``expr / factor``, read off ``expr``'s factors where ``factor`` is one of them: dividing
    asks sympy's assumptions about every factor again (about a millisecond for a power of d with
    free exponents, once per phase)."""
    if expr.is_Mul and factor in expr.args:
        rest = list(expr.args)
        rest.remove(factor)
        return sympy.Mul(*rest)
    return expr / factor


def _kappa_first(power, rest: str) -> str:
    """kappa^power before the rest of a monomial, as P* = kappa E is written."""
    head = "kappa" if power == 1 else f"kappa^{power}"
    return head if rest == "1" else f"{head} {rest}"


# Terminal lines stay shorter than this: a longer tie is written as sets (``_tied_lines``), other
# long lines are cut (``_wrapped``).
WIDTH = 200


def _tied_lines(indent: str, winner: dict, tied: list, all_ties: bool) -> list[str]:
    """``tied with: a; b; c`` when that is short (or ``all_ties``); else the count and the whole
    tie, winner included, as a union of per-layer choice sets (``theory.ties``), one product a
    line, each line under ``WIDTH`` characters."""
    line = indent + "tied with: " + "; ".join(mechanism(p) for p in tied)
    if all_ties or len(line) < WIDTH:
        return [line]
    out = [
        f"{indent}tied with {len(tied)} others (solve --ties lists them); the {len(tied) + 1} "
        "tied assignments are those with"
    ]
    for i, box in enumerate(boxes([winner, *tied])):
        text = ("  or " if i else "     ") + describe(box)
        while len(indent + text) >= WIDTH:  # a long product wraps at a layer
            cut = text.rfind(", ", 0, WIDTH - 1 - len(indent))
            out.append(indent + text[: cut + 1])
            text = "       " + text[cut + 2 :]
        out.append(indent + text)
    return out


def _tied_in_part(indent: str, tied: list, all_ties: bool) -> str:
    """``tied in part of it with: a; b`` (a merged phase, ``theory.merge``), or their count when
    that line would be long."""
    line = indent + "tied in part of it with: " + "; ".join(mechanism(p) for p in tied)
    if all_ties or len(line) < WIDTH:
        return line
    return f"{indent}tied in part of it with {len(tied)} others (solve --ties lists them)"


def summary(solution: Solution, all_ties: bool = False) -> str:
    """The answer as ``scalelang solve`` prints it (``all_ties``: every tied assignment listed,
    as ``--ties`` asks). Each assignment's own energy is listed where the solution has them
    (``solve --assignments``, or few assignments)."""
    space = solution.space
    problem = solution.problem
    order = space.order

    def show(expr) -> str:
        return plain(expr, order)

    def optimum(values: dict) -> str:
        return ", ".join(f"{name} ~ {show(value)}" for name, value in values.items())

    noise = problem.noise_name or "kappa"
    named = "" if noise == "kappa" else f"; kappa is the noise {noise}"
    lines = [f"{problem.name}: predict {problem.predict} (P* = kappa * E to leading order{named})"]
    if solution.p_star_form() is not None:
        phase = solution.phases[0]
        winner, tied = phase.winners[0], phase.winners[1:]
        lines.append(f"  P* ~ {show(solution.p_star_expr(phase.value))}")
        lines.append(f"  mechanism: {mechanism(winner, dict(phase.piece.locked))}")
        if phase.piece.optimum:
            lines.append(f"  optimum: {optimum(phase.piece.optimum)}")
        if tied:
            lines += _tied_lines("  ", winner, tied, all_ties)
        if phase.tied_in_part:
            lines.append(_tied_in_part("  ", phase.tied_in_part, all_ties))
        runners = runners_up(solution, winner, tied) if solution.tables_built else []
        if runners:
            names = "; ".join(mechanism(r.patterns) for r in runners)
            energy = show(space.monomial(runners[0].headline.value))
            lines.append(
                f"  runner-up: {names}{' (tied)' if len(runners) > 1 else ''} with E ~ {energy}"
            )
    else:
        coordinates = ", ".join(space.coordinates)
        lines.append(f"  P* is piecewise in ({coordinates}): {len(solution.phases)} phases")
        for phase in solution.phases:
            where = " and ".join(show(r) for r in phase.region) or "everywhere"
            lines.append(
                f"  - {mechanism(phase.winners[0], dict(phase.piece.locked))}: "
                f"P* ~ {show(solution.p_star_expr(phase.value))}  where {where}"
            )
            if phase.piece.optimum:
                lines.append(f"      optimum: {optimum(phase.piece.optimum)}")
            if phase.winners[1:]:
                lines += _tied_lines("      ", phase.winners[0], phase.winners[1:], all_ties)
            if phase.tied_in_part:
                lines.append(_tied_in_part("      ", phase.tied_in_part, all_ties))
    limited = solution.data_limited
    if limited is not None:
        floor = show(limited.floor.expr)
        for short in limited.below:
            where = "wherever it wins" if short.everywhere else f"where {show(short.relation)}"
            name = mechanism(short.phase.winners[0])
            lines.append(
                f"  data-limited: max(P*, {floor}) ~ {floor} for {name}, {where} "
                f"(any learner needs about {floor} samples)"
            )
    if solution.boundaries:
        lines.append("  phase boundaries:")
        for a, b, relation in solution.boundaries:
            lines.append(f"    {show(relation)}   ({mechanism(a)} | {mechanism(b)})")
    if not solution.tables_built:
        lines.append(
            f"  {solution.n_assignments} pattern assignments compared; each one's own "
            "energy on request (solve --assignments)"
        )
    else:
        lines.append("  assignments (energy E where no bound binds, and where that holds):")
    for result in solution.assignments if solution.tables_built else ():
        head = result.headline
        if head is None:
            lines.append(f"    {mechanism(result.patterns):<32} - ({result.status})")
            continue
        where = " and ".join(show(r) for r in head.region)
        lines.append(
            f"    {mechanism(result.patterns):<32} {show(space.monomial(head.value))}"
            + (f"  where {where}" if where else "")
        )
    for caveat in solution.caveats:
        lines.append(f"  caveat: {caveat}")
    return "\n".join(piece for line in lines for piece in _wrapped(line))


def _wrapped(line: str) -> list[str]:
    """``line`` cut into lines shorter than ``WIDTH``, the later ones indented under it: a
    caveat or a runner-up naming many assignments of a deep network runs to a thousand
    characters. Cuts fall after a "; " or a sentence's ". " where they can, so that no energy
    is split; a part longer than a line is cut at its spaces."""
    if len(line) < WIDTH:
        return [line]
    indent = " " * (len(line) - len(line.lstrip()) + 4)
    parts = re.split(r"(?<=; )|(?<=\. )", line)
    lines, current = [], ""
    for part in parts:
        if current and len(current) + len(part.rstrip()) >= WIDTH:
            lines.append(current.rstrip())
            current = indent
        current += part
    lines.append(current.rstrip())
    return [
        piece
        for text in lines
        for piece in (
            [text]
            if len(text) < WIDTH
            else textwrap.wrap(text, WIDTH - 1, subsequent_indent=indent, break_long_words=False)
        )
    ]


def runners_up(solution: Solution, winner: dict, tied: list = ()) -> list[AssignmentResult]:
    """The other assignments with the least headline energy exponent (all of them when several
    tie), compared by their exponents at the winning point (only meaningful in one coordinate or
    along p_star's single monomial)."""
    others = [
        result
        for result in solution.assignments
        if result.patterns != winner and result.headline is not None and result.patterns not in tied
    ]
    if not others or len(solution.space.coordinates) != 1:
        return []

    def size(result: AssignmentResult) -> Fraction:
        value = result.headline.value
        if solution.space.unit is None:  # the exponents of the scales
            return sum(value.coeffs.values(), Fraction(0))
        # a power of the unit scale: comparable only where its exponent is a number
        return Fraction(value.const) if value.is_constant() else Fraction(10**9)

    sized = [(size(result), result) for result in others]
    least = min(s for s, _ in sized)
    return [result for s, result in sized if s == least]
