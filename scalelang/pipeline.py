"""The compiler, stage by stage: a .scale file in, an answer out.

Each stage is called once here, and each hands the next a typed result (no stage reads text that
another printed):

  1. front end  ``load``     read, parse, check, override  -> ``Problem``  (scalelang.frontend)
                (``parse``   read and parse alone            -> ``ast.Module``, to look at it)
  2. theory     ``solve``    the scales                    -> ``ScaleSpace`` (theory.scales)
                             lowering to candidate energies -> ``Lowered``  (theory.lower)
                             exact solve and comparison     -> ``Solution`` (theory.solve)
  3. outputs    the terminal summary, reports (scalelang.report) and the simulation script
                (``simulation_problem`` then scalelang.codegen) read the ``Problem`` and
                ``Solution``.

The commands (scalelang.commands) and the notebook API (scalelang.api) start here;
``scalelang check --dump ast|problem|lowered`` prints what ``parse``, ``load`` and ``lowered`` give
(scalelang.report.dump).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scalelang.codegen import Prediction, prediction_from_solution, simulation_ties
from scalelang.frontend import ast
from scalelang.frontend.load import load_problem, read_source, unix_newlines
from scalelang.frontend.overrides import apply_overrides
from scalelang.frontend.syntax import parse as parse_text
from scalelang.problem import COMMAND_LINE, Problem, Surface
from scalelang.report.notebook import repr_html, repr_latex
from scalelang.report.terminal import summary
from scalelang.support.diagnostics import Diagnostic, ScaleError
from scalelang.support.progress import SILENT, Deadline, OutOfTime
from scalelang.theory.lower import Lowered, lower
from scalelang.theory.scales import ScaleSpace, scale_space
from scalelang.theory.solve import Solution
from scalelang.theory.solve import solve as compare


def load(
    source: str | Path,
    text: str | None = None,
    overrides: dict[str, str] | None = None,
    surface: Surface = COMMAND_LINE,
) -> Problem:
    """Stage 1, the front end: the checked Problem of a .scale file (``text``: its contents when
    already in memory), with ``overrides`` (``--set``, or ``surface`` says where else they were
    given) applied; ScaleError with every error."""
    return load_problem(source, text=text, overrides=overrides, surface=surface)


def parse(source: str | Path, text: str | None = None) -> ast.Module:
    """The syntax tree of a .scale file as written, before imports and checks (``text``: its
    contents when already in memory); ScaleError with every syntax error. ``load`` parses the
    file itself: this is the first half of stage 1 for looking at it."""
    path = str(source)
    text = read_source(path) if text is None else unix_newlines(text)
    return parse_text(text, path)


def scales(problem: Problem) -> ScaleSpace:
    """Stage 2a: the space the answer lives in (coordinates, logs of the scales, the domain);
    ScaleError where a scale is not large or an assumption fails."""
    return scale_space(problem)


def lowered(problem: Problem, space: ScaleSpace, progress=SILENT) -> Lowered:
    """Stage 2b: one set of candidate energies per pattern assignment (docs/method.md, sections
    2-5)."""
    progress.stage("lowering the pattern assignments")
    return lower(problem, space, tick=progress.step)


def solve(
    problem: Problem,
    progress=SILENT,
    *,
    assignments: bool | None = None,
    exhaustive: bool = False,
    time_limit: float | None = None,
) -> Solution:
    """Stage 2, the theory: scales, lowering, then the exact solve and comparison (docs/method.md,
    section 6). ``progress`` (scalelang.support.progress) hears of each stage. ``assignments``:
    each assignment's own energy too (True), on request only (False), or where they are few
    (None); ``exhaustive``: the reference path the tests hold the direct one against.
    ``time_limit`` (seconds): past it, a ScaleError at the problem's largest layer that says what
    made the solve large and how to make it smaller, instead of a solve that does not end."""
    space = scales(problem)
    watch = progress if time_limit is None else Deadline(time_limit, progress)
    try:
        plan = lowered(problem, space, watch)
        return compare(problem, space, plan, watch, assignments=assignments, exhaustive=exhaustive)
    except OutOfTime as stop:
        raise too_long(problem, space, stop) from None


def too_long(problem: Problem, space: ScaleSpace, stop: OutOfTime) -> ScaleError:
    """Why a solve ran past its time limit, at the line that makes the problem large: the deepest
    layer's patterns line, or the deepest layer (every layer multiplies the routes before it)."""
    layer = problem.layers[-1]
    span = problem.pattern_spans.get(layer.name) or layer.span
    where = f"{stop.stage}, {stop.done} of {stop.total}" if stop.total else stop.stage
    coordinates = ", ".join(space.coordinates) or "none"
    degree = max(sum(k for _, k in term.degrees) for term in problem.target)
    target = (
        f"; the target has degree {degree}, and every route to it is tried" if degree > 4 else ""
    )
    return ScaleError(
        [
            Diagnostic(
                span,
                f"the solve ran past its time limit of {stop.seconds:g} s ({where}); the answer "
                f"lives in {len(space.coordinates)} coordinates ({coordinates}){target}",
                hint="make the problem smaller: fewer patterns in a layer (patterns "
                f"{layer.name}: gp | ...), or scales tied together (--set NAME=EXPR, fewer "
                "coordinates); or give it more time (--time-limit SECONDS)",
            )
        ]
    )


def answer(
    source: str | Path,
    text: str | None = None,
    overrides: dict[str, str] | None = None,
    progress=SILENT,
) -> Solution:
    """Stages 1 and 2: the Solution of a .scale file."""
    return solve(load(source, text, overrides), progress)


def simulation_problem(path: str, sets: dict[str, str] | None = None):
    """Stage 1 for a simulation: ``(problem, settings, notes)``, with every independent scale
    other than the input dimension tied to it (``codegen.simulation_ties``); ScaleError on a
    bad file. A tie can settle an ``assume A <= B`` of the file (attention_head: L = d makes
    ``assume L <= d`` read d <= d), which then simply holds; one that contradicts it is an error
    whose hint names the tie."""
    sets = dict(sets or {})
    problem = load(path, overrides=sets or None)
    ties, notes = simulation_ties(problem)
    if not ties:
        return problem, sets, notes
    tied = apply_overrides(problem, ties)
    try:
        scales(tied)
    except ScaleError as error:
        chosen = ", ".join(f"{name}={value}" for name, value in ties.items())
        hint = (
            f"codegen tied {chosen} by default (a simulation sweeps d, every scale a power of "
            f"it); choose other ties with --set, e.g. --set {next(iter(ties))}=d^2"
        )
        raise ScaleError(
            [replace(d, hint=hint) for d in error.diagnostics], sources=error.sources
        ) from None
    return tied, {**sets, **ties}, notes


def prediction(problem: Problem, dim: str) -> Prediction:
    """What a simulation of ``problem`` tests: P* and the specialist counts as powers of the
    input dimension ``dim``; ``codegen.PredictionUnavailable`` when the answer is not one
    monomial in it."""
    return prediction_from_solution(solve(problem), dim)


def _show(solution: Solution) -> str:
    return summary(solution)


# A Solution prints as the terminal's summary, and a notebook shows it as the report's HTML or
# LaTeX: those printers live in scalelang.report, a floor above the theory that defines Solution.
Solution.__repr__ = _show
Solution._repr_html_ = repr_html
Solution._repr_latex_ = repr_latex
