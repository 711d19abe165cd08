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

import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from scalelang.frontend import ast
from scalelang.frontend.load import load_problem, read_source, unix_newlines
from scalelang.frontend.overrides import apply_overrides
from scalelang.problem import COMMAND_LINE, Problem, Surface
from scalelang.report.terminal import summary
from scalelang.support import collector
from scalelang.support.diagnostics import Diagnostic, ScaleError
from scalelang.support.progress import SILENT, Budget, OutOfMemory, OutOfTime, Stopped
from scalelang.theory.lower import Lowered, lower
from scalelang.theory.scales import ScaleSpace, scale_space
from scalelang.theory.solve import Solution
from scalelang.theory.solve import solve as compare

if TYPE_CHECKING:
    from scalelang.codegen import Prediction


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


def with_overrides(problem: Problem, overrides: dict[str, str], surface: Surface) -> Problem:
    """``problem`` as ``load`` gives it with ``overrides`` too, without reading, parsing or
    checking the file again: a notebook solves one loaded problem at many values. Its warnings
    stay those of the file as written, shown when it was loaded."""
    return apply_overrides(problem, overrides, surface)


def parse(source: str | Path, text: str | None = None) -> ast.Module:
    """The syntax tree of a .scale file as written, before imports and checks (``text``: its
    contents when already in memory); ScaleError with every syntax error. ``load`` parses the
    file itself: this is the first half of stage 1 for looking at it."""
    from scalelang.frontend.syntax import parse as parse_text  # lark: a load may not need it

    path = str(source)
    text = read_source(path) if text is None else unix_newlines(text)
    return parse_text(text, path)


def scales(problem: Problem) -> ScaleSpace:
    """Stage 2a: the space the answer lives in (coordinates, logs of the scales, the domain);
    ScaleError where a scale is not large or an assumption fails."""
    return scale_space(problem)


LOWERING = "lowering the pattern assignments"  # the stage ``lowered`` reports


def lowered(problem: Problem, space: ScaleSpace, progress=SILENT) -> Lowered:
    """Stage 2b: one set of candidate energies per pattern assignment (docs/method.md, sections
    2-5)."""
    progress.stage(LOWERING)
    return lower(problem, space, tick=progress.step)


def solve(
    problem: Problem,
    progress=SILENT,
    *,
    assignments: bool | None = None,
    exhaustive: bool = False,
    time_limit: float | None = None,
    memory_limit: float | None = None,
    max_candidates: int | None = None,
) -> Solution:
    """Stage 2, the theory: scales, lowering, then the exact solve and comparison (docs/method.md,
    section 6). ``progress`` (scalelang.support.progress) hears of each stage. ``assignments``:
    each assignment's own energy too (True), on request only (False), or where they are few
    (None); ``exhaustive``: the reference path the tests hold the direct one against.

    The limits (None: none), each watched by a ``progress.Budget``: ``time_limit`` in seconds,
    ``memory_limit`` in GiB of resident memory grown during the solve, ``max_candidates`` the
    candidates compared (and the pattern assignments, and the routes and candidates the lowering
    builds). Past one, or when the machine has no memory left (a MemoryError), a ScaleError at
    the line that made the problem large says so and what to do (``too_large``), instead of a
    solve that does not end, a traceback or a killed process."""
    collector.resume()  # a command line's start-up is over (support.collector)
    space = scales(problem)
    watch = Budget(time_limit, memory_limit, max_candidates, progress)
    try:
        with watch.enforced():
            plan = lowered(problem, space, watch)
            return compare(
                problem, space, plan, watch, assignments=assignments, exhaustive=exhaustive
            )
    except Stopped as stopped:
        stop = stopped
    except MemoryError:
        stop = watch.out_of_memory()
    # Outside the handler, and without its traceback: the solve's frames (and whatever they
    # hold, gigabytes perhaps) are freed before the message is made.
    stop.__traceback__ = stop.__context__ = None
    raise too_large(problem, space, stop)


FLAGS = {OutOfTime: "--time-limit SECONDS", OutOfMemory: "--memory-limit GIB"}


def too_large(problem: Problem, space: ScaleSpace, stop: Stopped) -> ScaleError:
    """Why a solve stopped at one of its limits, at the line that makes the problem large: the
    patterns line (or the line) of the deepest layer that allows more than one pattern (every
    layer multiplies the routes before it), with the problem's size and what to do."""
    layers = problem.layers
    layer = next(
        (lay for lay in reversed(layers) if len(problem.allowed_patterns[lay.name]) > 1),
        layers[-1],
    )
    span = problem.pattern_spans.get(layer.name) or layer.span
    if stop.stage == LOWERING:
        where = f"{stop.stage}, {stop.done} patterns, routes and candidates built"
    else:
        where = f"{stop.stage}, {stop.done} of {stop.total}" if stop.total else stop.stage
    if isinstance(stop, OutOfTime):
        what = f"the solve ran past its time limit of {stop.seconds:g} s"
    elif isinstance(stop, OutOfMemory) and stop.gib is None:
        what = "the solve ran out of memory"
    elif isinstance(stop, OutOfMemory):
        what = f"the solve grew past its memory limit of {stop.gib:g} GiB"
    else:
        what = f"the solve passed its limit of {stop.limit} candidates"
    counts = [len(problem.allowed_patterns[lay.name]) for lay in layers]
    per_layer = " x ".join(
        f"{n} in {lay.name}" if i else f"{n} pattern{'s' * (n != 1)} in {lay.name}"
        for i, (n, lay) in enumerate(zip(counts, layers))
    )
    coordinates = space.coordinates
    degree = max(sum(k for _, k in term.degrees) for term in problem.target)
    target = (
        f"; the target has degree {degree}, and every route to it is tried" if degree > 4 else ""
    )
    ways = [f"fewer patterns in a layer (patterns {layer.name}: gp | ...)"]
    if len(coordinates) > 1:  # scales that could be tied or ordered
        big, small = coordinates[-1], coordinates[0]
        ways += [
            f"scales tied together (--set {big}={small}: fewer coordinates)",
            f"an assumption between scales (assume {big} <= {small})",
        ]
    more = f"allow more ({FLAGS.get(type(stop), '--max-candidates N')})"
    if isinstance(stop, OutOfMemory) and stop.gib is None:
        more = "use a machine with more memory"
    assignments = math.prod(counts)
    return ScaleError(
        [
            Diagnostic(
                span,
                f"{what} ({where}); {assignments} pattern assignment{'s' * (assignments != 1)} "
                f"({per_layer}), and the answer lives in {len(coordinates)} coordinate"
                f"{'s' * (len(coordinates) != 1)} ({', '.join(coordinates) or 'none'}){target}",
                hint=f"make the problem smaller: {', '.join(ways[:-1])}"
                f"{', or ' if len(ways) > 1 else ''}{ways[-1]}; or {more}",
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
    from scalelang.codegen import simulation_ties  # not imported before: `solve` needs no codegen

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
    from scalelang.codegen import prediction_from_solution

    return prediction_from_solution(solve(problem), dim)


def _show(solution: Solution) -> str:
    return summary(solution)


def _html(solution: Solution) -> str:
    from scalelang.report.notebook import repr_html

    return repr_html(solution)


def _latex(solution: Solution) -> str:
    from scalelang.report.notebook import repr_latex

    return repr_latex(solution)


# A Solution prints as the terminal's summary, and a notebook shows it as the report's HTML or
# LaTeX: those printers live in scalelang.report, a floor above the theory that defines Solution.
# The notebook's printers (and the report model they build) are imported when a notebook first
# shows a Solution: a command-line solve, which prints none, does not load them.
Solution.__repr__ = _show
Solution._repr_html_ = _html
Solution._repr_latex_ = _latex
