"""Comparison of competing energies: the lower envelope, its phase regions and boundaries.

Owns ``compare`` (a flat list of candidates), ``compare_assignments`` (branch-and-bound over
assignments built layer by layer), ``Phases``, ``Region`` and ``Boundary``.

W(s) = min over candidates of V_c(s). The envelope is built by inserting candidates one at a time
into a list of cells (polyhedron, winners, value w). In each cell the candidate is at or below the
envelope on ``Y = cell & feasible_c & {w >= f for every form f of V_c}``, a convex set because V_c
is the max of its forms. Cells where Y has no interior are kept untouched (most of them, and the
same exact test decides pruning). Elsewhere the candidate wins on Y, and Y is cut by its value
forms, or ties on all of Y (w is one of its forms; ties are reported, never hidden) and joins the
cell's winners, ahead of or behind them in the order of preference. The rest of the cell is cut
along Y's facets into convex cells that keep their winners. At the end, each cell is cut by its
first winner's pieces, so that the first winner's optimum holds on its whole cell (pieces
outnumber forms where optima are degenerate, so cutting by them only once keeps cells few).

Pruning: before inserting, a candidate is discarded if ``{s : V_c(s) <= W(s)}`` has empty interior,
checked exactly, one LP per envelope cell (on a cell with value w, the set is the polyhedron
``cell & feasible_c & {w - f >= 0 for every form f of V_c}``). A candidate that ties the envelope
on a full-dimensional set is therefore never pruned. A cheap prefilter runs first: if V_c is below
W at some cell's interior point, the candidate cannot be dominated. And a cell where one form of V_c
is at least w throughout, and not w itself, answers without that LP (``_above``: one LP on the
cell's kept tableau). Candidates are inserted in
order of their value at an interior point of the domain, so the envelope is low early.

``compare_assignments`` adds branch-and-bound: the caller gives the choices per layer and a
function from a prefix of choices to a Program that is a *relaxation* of every completion (its
terms and bounds a subset of theirs, so its minimum is a lower bound). A prefix whose lower bound
is dominated by the envelope is pruned with its whole subtree. Prefixes are never solved
parametrically: LPs at points order them and show them dominated (``compare_programs``' test), and
an assignment is solved only when that test fails for it.

Cells are merged when they have the same winners and value form and their union is convex (the
envelope test of Bemporad, Fukuda and Torrisi), then cut by the first winner's pieces, then merged
again where the first winner's optimum agrees; cells that cannot be merged stay separate. Tied
winners' pieces are then picked at a point of each final cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Hashable, Mapping, NamedTuple, Sequence

from .affine import Affine, Q, frac
from .cone import Slice
from .errors import EngineError
from .parametric import ValueFunction, lift_value_function, solve_relaxed
from .polyhedron import Polyhedron, domain_polyhedron, merge_convex
from .simplex import maximize

ZERO = Q(0)


@dataclass(frozen=True, eq=False)
class Region:
    """A full-dimensional cell where ``winners`` give the envelope, with log-value ``value``.

    More than one winner means they tie identically on this cell; ``winners`` are in the
    caller's order of preference. ``pieces`` maps each winner to a piece of its value function
    (its optimum and active set): the first winner's holds on the whole region; a tied winner's
    holds at a point of it, for its optimum may change inside (ties do not split cells, or a
    tie among many energies with degenerate optima would cut the domain into thousands).
    """

    winners: tuple
    value: Affine
    region: Polyhedron
    pieces: dict = field(repr=False)

    def __repr__(self):
        return f"Region({self.winners}, value={self.value}, where {self.region.describe()})"


class Boundary(NamedTuple):
    """The hyperplane ``form = 0`` separates a cell won by ``a`` (where form < 0) from one won by
    ``b`` (form > 0). ``form`` is normalized: leading coefficient +1 (the largest among the
    non-first coordinates when any is non-zero)."""

    a: Hashable
    b: Hashable
    form: Affine


@dataclass(frozen=True, eq=False)
class Phases:
    """The lower envelope of the candidates over the domain."""

    coordinates: tuple
    domain: Polyhedron
    regions: tuple
    boundaries: tuple
    infeasible: tuple  # cells where no candidate is feasible
    candidates: dict = field(repr=False)  # key -> ValueFunction of every candidate not pruned
    pruned: tuple = ()
    stats: dict = field(default_factory=dict, repr=False)

    def winner_at(self, point: Mapping[str, object]) -> tuple:
        """(winning keys, log-value) at a point, from the exact values of the kept candidates."""
        point = {k: frac(v) for k, v in point.items()}
        values = {k: vf.value_at(point) for k, vf in self.candidates.items()}
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            return (), None
        best = min(values.values())
        return tuple(k for k, v in values.items() if v == best), best

    def describe(self, render: Callable[[Affine], str] | None = None) -> str:
        show = render or str
        lines = []
        for r in self.regions:
            who = " = ".join(str(w) for w in r.winners)
            lines.append(f"{who}: {show(r.value)} where {r.region.describe(render)}")
        for bd in self.boundaries:
            lines.append(f"boundary {bd.a} | {bd.b}: {bd.form} = 0")
        return "\n".join(lines)


@dataclass
class _Cell:
    region: Polyhedron
    winners: tuple
    value: Affine | None
    pieces: dict = field(default_factory=dict)  # winner -> Piece, chosen by ``_finish``


# ----------------------------------------------------------------------------------------------


def compare(
    candidates: Sequence, coordinates, domain, *, prune: bool = True, boundaries: bool = True
) -> Phases:
    """Lower envelope of ``[(key, ValueFunction), ...]`` over the domain (see module docstring).

    ``boundaries=False`` skips the search for shared facets (one LP per pair of cells) for
    callers that only need the regions. Value functions that ``solve`` found on a slice of a
    scale-invariant problem (``cone``) are compared there, one coordinate fewer."""
    coordinates = tuple(coordinates)
    dom = domain_polyhedron(coordinates, domain)
    cut = Slice.find(coordinates, dom, ())
    if cut is not None and all(cut.matches(vf.sliced and vf.sliced[0]) for _, vf in candidates):
        reduced = [(key, vf.sliced[1]) for key, vf in candidates]
        phases = _compare(reduced, cut.reduced, cut.reduced_domain, prune, boundaries)
        return _lift_phases(cut, phases, dict(candidates))
    return _compare(candidates, coordinates, dom, prune, boundaries)


def _compare(candidates, coordinates, dom, prune, boundaries) -> Phases:
    rank = {key: i for i, (key, _) in enumerate(candidates)}
    if len(candidates) == 1 and candidates[0][1].domain == dom:  # one energy: its own pieces
        ((key, vf),) = candidates
        cells = [_Cell(p.region, (key,), p.value) for p in vf.pieces]
        cells += [_Cell(c, (), None) for c in vf.infeasible]
        return _finish(coordinates, dom, cells, {key: vf}, [], rank, {"solved": 1}, boundaries)
    p0 = dom.interior_point()
    order = sorted(candidates, key=lambda kv: _score(kv[1], p0))
    envelope = _Envelope(dom)
    kept, pruned = {}, []
    for key, vf in order:
        if envelope.add(key, vf, rank.__getitem__) or not prune:
            kept[key] = vf
        else:
            pruned.append(key)
    stats = {"solved": len(candidates)}
    return _finish(coordinates, dom, envelope.cells, kept, pruned, rank, stats, boundaries)


def compare_programs(
    items: Sequence,
    solve: Callable,
    coordinates,
    domain,
    *,
    boundaries: bool = True,
    tick: Callable[[], None] | None = None,
) -> Phases:
    """``compare`` of ``[(key, Program), ...]``, solving a candidate (``solve(key)``: its
    ValueFunction, or None where it has no energy) only when a cheap exact test fails to show
    that it wins nowhere. The answer is ``compare``'s on the solved candidates, exactly.

    The test: a dual vertex z of a program gives the affine form sum_j z_j b_j(s), a lower bound
    of its value at every s where its bounds hold (weak duality; the dual's constraints do not
    depend on s), and a dual ray a necessary condition for its bounds to hold. One LP at a point
    (``_Compiled``) gives one of either. Where, on every envelope cell, the set on which the
    candidate's known lower bounds are at most the envelope has no interior, the candidate is
    dominated: ``compare`` would prune it, for that set contains the one ``_below`` tests. Points
    to try are interior points of those sets; a point where the candidate's exact value is at
    most the envelope's ends the test, and the candidate is solved and inserted as ``compare``
    does. Candidates go in ``compare``'s order: by their exact value at an interior point of the
    domain, which one LP gives before any candidate is solved. ``tick`` is called before each
    candidate is examined (a caller's progress, or its way to stop a long comparison)."""
    from .parametric import _Compiled

    coordinates = tuple(coordinates)
    dom = domain_polyhedron(coordinates, domain)
    items = list(items)
    cut = Slice.find(coordinates, dom, ())
    if cut is not None and any(
        item.scale_form.const for _, prog in items for item in prog.terms + prog.bounds
    ):
        cut = None  # not scale invariant: ``solve`` does not slice these programs
    coords, wdom = (cut.reduced, cut.reduced_domain) if cut is not None else (coordinates, dom)
    rank = {key: i for i, (key, _) in enumerate(items)}
    p0 = wdom.interior_point()
    entries = []  # (score, key, what point LPs know of its program)
    shared: dict = {}  # the programs' terms and bounds without labels -> _Known or None
    for key, prog in items:
        same = (
            prog.variables,
            frozenset((t.var_exponents, t.scale_form) for t in prog.terms),
            frozenset((b.var_exponents, b.scale_form) for b in prog.bounds),
        )
        if same not in shared:  # programs that differ only in labels have one value function
            comp = _Compiled(cut.down_program(prog) if cut is not None else prog, coords)
            # unbounded below: no energy (``solve`` raises), as for ``compare``'s callers
            shared[same] = _Known(comp) if comp.lp.feasible else None
            if shared[same] is not None:
                shared[same].score = _score_at(shared[same], p0)
        known = shared[same]
        if known is not None:
            entries.append((known.score, key, known))
    entries.sort(key=lambda e: e[0])
    envelope = _Envelope(wdom)
    kept, full, pruned, solved, skipped = {}, {}, [], 0, 0
    for _, key, known in entries:
        if tick is not None:
            tick()
        if known.dominated:  # one with the same value function was: the envelope only fell since
            pruned.append(key)
            skipped += 1
            continue
        if not envelope.empty():
            if _bounded_below(known, envelope.cells):
                known.dominated = True
                pruned.append(key)
                skipped += 1
                continue
        vf = solve(key)
        solved += 1
        if vf is None:
            continue
        if cut is not None:
            if not (vf.sliced and cut.matches(vf.sliced[0])):
                raise EngineError(
                    "compare_programs: a solved program was not sliced as its program says"
                )  # pragma: no cover - solve slices alike
            work = vf.sliced[1]
        else:
            work = vf
        if not envelope.add(key, work, rank.__getitem__):
            known.dominated = True
            pruned.append(key)
            continue
        kept[key], full[key] = work, vf
    if len(kept) == 1 and skipped:
        # ``compare`` of a single energy gives its own pieces: whether that case holds depends on
        # whether the candidates pruned unsolved have an energy at all
        if all(solve(key) is None for key in pruned if key not in kept):
            ((key, vf),) = full.items()
            return compare([(key, vf)], coordinates, domain, boundaries=boundaries)
    if len(kept) == 1 and not pruned:  # every other candidate had no energy
        ((key, vf),) = full.items()
        return compare([(key, vf)], coordinates, domain, boundaries=boundaries)
    stats = {"solved": solved, "skipped": skipped, "compared": len(entries)}
    phases = _finish(coords, wdom, envelope.cells, kept, pruned, rank, stats, boundaries)
    return phases if cut is None else _lift_phases(cut, phases, full)


class _Known:
    """What point LPs have shown of one program: lower bounds of its value (the forms of dual
    vertices) and rows every point where its bounds hold satisfies (from dual rays)."""

    def __init__(self, comp):
        self.comp = comp
        self.forms, self.rows = [], []
        self.score = None  # compare's sort key: the value at the domain's interior point
        self.dominated = False  # shown to win nowhere against the envelope of its time

    def learn(self, point) -> Affine | None:
        """The value form at ``point``, or None after learning a feasibility row there (the
        bounds fail at ``point``)."""
        comp = self.comp
        res = comp.lp.solve(comp.objectives(point))
        if res.status == "optimal":
            form = comp.primal(res.basis)[0]
            self.forms.append(form)
            return form
        g = Affine()
        for j, z in enumerate(res.ray[comp.K :]):
            if z:
                g = g + comp.program.bounds[j].scale_form * z
        self.rows.append(g)
        return None


def _margin(known: _Known, cell: _Cell) -> tuple:
    """How far the known lower bound is above the envelope at the cell's known point (no LP):
    cells where it is lowest are asked first, so that a candidate that is not dominated is
    usually found so at its first cell. Only an order: every cell is asked before pruning."""
    point = cell.region.known_point()
    if point is None or cell.value is None or not known.forms:
        return (0, ZERO)
    return (1, max(f(point) for f in known.forms) - cell.value(point))


def _score_at(known: _Known, point) -> tuple:
    """``_score`` from one LP: (1, the exact value at ``point``), or (2, 0) where the bounds fail
    there."""
    form = known.learn(point)
    return (1, form(point)) if form is not None else (2, ZERO)


def _bounded_below(known: _Known, cells: list, rounds: int = 6) -> bool:
    """True when the program's lower bounds, found by LPs at points, show that it is nowhere at
    or below the envelope on a full-dimensional set (``compare_programs``). False when that is
    not shown (within ``rounds`` points per cell): the candidate must be solved."""
    coords = cells[0].region.coordinates
    for cell in sorted(cells, key=lambda c: _margin(known, c)):
        if _above(known.forms, cell):
            continue
        for _ in range(rounds):
            extra = list(known.rows)
            if cell.value is not None:
                extra += [cell.value - f for f in known.forms]
            Y = Polyhedron.make(coords, cell.region.inequalities + tuple(extra))
            hint = cell.region.known_point()
            if not Y.is_full_dimensional((hint,)):
                break  # nowhere at or below the envelope in this cell
            q = hint if hint is not None and Y.contains(hint, strict=True) else Y.interior_point()
            if q is None:  # pragma: no cover - full-dimensional sets have one
                return False
            form = known.learn(q)
            if form is None:
                continue  # a new feasibility row cuts q off
            if cell.value is None or form(q) <= cell.value(q):
                return False  # its value at an interior point is at most the envelope's
        else:
            return False
    return True


def _above(forms: Sequence, cell: _Cell, tries: int = 2) -> bool:
    """True when one of ``forms`` (a candidate's value forms, or the lower bounds LPs at points
    found for a program) is at least the cell's value w on the whole cell, and not w itself:
    then f - w >= 0 there, zero at most on a hyperplane, so the candidate is at or below the
    envelope nowhere in the cell but on a set without interior -- what the exact tests of
    ``_below`` and ``_bounded_below`` would find. One LP per form tried, on the cell's own
    kept tableau (``Polyhedron.minimum_kept``: a few pivots, for every later candidate asks the
    same cell), instead of an interior-point LP from scratch. The forms highest at the cell's
    known point are tried first, ``tries`` of them; False says only "not shown". In one or two
    coordinates the exact test needs no LP (``polyhedron._has_interior_low_dim``): not asked."""
    point = cell.region.known_point()
    if cell.value is None or point is None or len(cell.region.coordinates) <= 2:
        return False
    for f in sorted(forms, key=lambda f: f(point), reverse=True)[:tries]:
        gap = f - cell.value
        low = cell.region.minimum_kept(gap)
        if low is not None and (low > 0 or (low == 0 and not gap.is_constant())):
            return True
    return False


def compare_assignments(
    choices: Sequence[Sequence],
    program_of: Callable,
    coordinates,
    domain,
) -> Phases:
    """Branch-and-bound over assignments ``(c_1, ..., c_L)``, ``c_l`` from ``choices[l]``.

    ``program_of(prefix)`` returns a Program for any prefix; for a proper prefix it must be a
    relaxation of every completion (its terms and bounds a subset of theirs), so its minimum is a
    lower bound. Keys of the result are the full assignments (tuples of choices).
    """
    coordinates = tuple(coordinates)
    dom = domain_polyhedron(coordinates, domain)
    cut = Slice.find(coordinates, dom, ())
    if cut is not None:
        try:
            return _branch_and_bound(choices, program_of, cut.reduced, cut.reduced_domain, cut)
        except _NotScaleInvariant:
            pass  # a program with a constant part: solve on the cone itself
    return _branch_and_bound(choices, program_of, coordinates, dom, None)


class _NotScaleInvariant(Exception):
    pass


def _branch_and_bound(choices, program_of, coordinates, dom, cut) -> Phases:
    """``compare_assignments`` on ``coordinates`` (the slice's when ``cut`` is given: programs
    are mapped down to it, and the answer back up to the cone).

    Depth first, the children of a prefix in order of their exact value at an interior point of
    the domain. A prefix is never solved parametrically: one LP at that point orders it, and LPs
    at points (``_bounded_below``) prune it when its lower bounds show it dominated; otherwise
    its children are visited. Only assignments are solved, and only those that LPs at points do
    not show dominated. Every assignment that is solved and inserted here was solved and inserted,
    in the same order, by pruning prefixes with their exact value functions: that pruning is
    exact, this one only ever prunes less, and what it fails to prune is dominated at the leaves
    by an envelope that has only fallen since. So the answer is the same, with fewer solves."""
    programs = {}

    def program(prefix):
        prog = program_of(prefix)
        if cut is None:
            return prog
        if any(item.scale_form.const for item in prog.terms + prog.bounds):
            raise _NotScaleInvariant()
        if len(prefix) == L:
            programs[prefix] = prog  # the cone's program of an assignment, to lift its answer
        return cut.down_program(prog)

    L = len(choices)
    index = [{c: i for i, c in enumerate(cs)} for cs in choices]
    p0 = dom.interior_point()
    state = {
        "envelope": _Envelope(dom),
        "kept": {},
        "pruned": [],
        "solved": 0,
        "asked": 0,
        "pruned_prefixes": 0,
        "infeasible": [],
    }
    rank_of = lambda key: tuple(index[i][c] for i, c in enumerate(key))

    def options_of(prefix):
        """``(score, prefix + (c,), program, _Known or None)`` per choice, best first."""
        options = []
        for c in choices[len(prefix)]:
            pre = prefix + (c,)
            prog = program(pre)
            known = _known(prog, coordinates)
            state["asked"] += 1
            if known is None and len(pre) == L:
                raise EngineError(f"assignment {pre}: the energy is unbounded below")
            score = (0, ZERO) if known is None else _exact_score(known, p0)
            options.append((score, pre, prog, known))
        options.sort(key=lambda o: o[:2])
        return options

    def leaf(pre, prog, known):
        if _bounded_below(known, state["envelope"].cells):
            # dominated, or (no value found anywhere) the bounds fail on the whole domain
            (state["pruned"] if known.forms else state["infeasible"]).append(pre)
            return
        status, vf = solve_relaxed(prog, coordinates, dom)
        state["solved"] += 1
        if status == "infeasible":
            state["infeasible"].append(pre)
            return
        if not state["envelope"].add(pre, vf, rank_of):
            state["pruned"].append(pre)
            return
        state["kept"][pre] = vf

    def visit(prefix):
        for _, pre, prog, known in options_of(prefix):
            if len(pre) == L:
                leaf(pre, prog, known)
            elif known is not None and _bounded_below(known, state["envelope"].cells):
                key = "pruned_prefixes" if known.forms else "infeasible_prefixes"
                state[key] = state.get(key, 0) + 1
            else:
                visit(pre)

    visit(())
    rank = {k: rank_of(k) for k in state["kept"]}
    stats = {
        "solved": state["solved"],
        "asked": state["asked"],
        "pruned_prefixes": state["pruned_prefixes"],
        "pruned_leaves": len(state["pruned"]),
        "kept": len(state["kept"]),
        "infeasible_prefixes": state.get("infeasible_prefixes", 0),
        "infeasible_leaves": len(state["infeasible"]),
    }
    cells = state["envelope"].cells
    phases = _finish(coordinates, dom, cells, state["kept"], state["pruned"], rank, stats)
    if cut is None:
        return phases
    functions = {k: lift_value_function(cut, vf, programs[k]) for k, vf in state["kept"].items()}
    return _lift_phases(cut, phases, functions)


def _known(program, coordinates) -> "_Known | None":
    """What LPs at points will learn of ``program``; None when its energy is unbounded below."""
    from .parametric import _Compiled

    comp = _Compiled(program, coordinates)
    return _Known(comp) if comp.lp.feasible else None


def _exact_score(known: _Known, point) -> tuple:
    """``_score`` of the program's value function, from one LP at ``point`` itself (not
    perturbed): (1, its value there), or (2, 0) where its bounds fail there."""
    comp = known.comp
    res = comp.lp.solve(comp.objectives(point)[:1])
    if res.status == "optimal":
        known.forms.append(comp.primal(res.basis)[0])  # a lower bound everywhere (weak duality)
        return (1, res.value)
    return (2, ZERO)


# ----------------------------------------------------------------------------------------------


def _score(vf, point):
    """Sort key: the candidate's value at an interior point (unbounded relaxations first)."""
    if vf is None:
        return (0, ZERO)
    v = vf.value_at(point)
    return (1, v) if v is not None else (2, ZERO)


def _below(vf: ValueFunction, cells: list) -> list:
    """Per cell, ``Y = cell & feasible & {w - f >= 0 for every form f}`` -- where the candidate is
    at or below the envelope value w -- if it has interior, else None. One exact question per
    cell (the cell's interior point and the candidate's value there often answer it without an
    LP); all None means the candidate is dominated. ``_insert`` then touches only those cells."""
    out = []
    forms = vf.forms
    for cell in cells:
        if _above(forms, cell):
            out.append(None)
            continue
        rows = cell.region.inequalities + vf.feasible.inequalities
        if cell.value is not None:
            rows += tuple(cell.value - f for f in forms)
        Y = Polyhedron.make(cell.region.coordinates, rows)
        full = Y.is_full_dimensional((cell.region.known_point(),))
        out.append(Y if full else None)
    return out


class _Envelope:
    """The lower envelope's cells as candidates go in, each cell one affine value and its
    winners. ``add`` asks each cell whether the candidate is at or below it there (``_below``),
    refines those cells (``_insert``) and merges cells now and then (``_tidied``): the one way
    ``compare``, ``compare_programs`` and the branch and bound grow an envelope."""

    def __init__(self, domain: Polyhedron):
        self.cells = [_Cell(domain, (), None)]
        self.merged_at = 0  # how many cells there were after the last merge

    def empty(self) -> bool:
        """True before any candidate has gone in (one cell, no value)."""
        return len(self.cells) == 1 and self.cells[0].value is None

    def add(self, key, vf: ValueFunction, rank: Callable) -> bool:
        """Insert a candidate where it is at or below the envelope; False, and nothing changed,
        where it is nowhere (dominated)."""
        below = _below(vf, self.cells)
        if not any(below):
            return False
        cells = _insert(self.cells, key, vf, below, rank)
        self.cells, self.merged_at = _tidied(cells, self.merged_at)
        return True


# The envelope's cells are merged each time their count has grown by this factor since the last
# merge (``_tidied``). On the four-layer chain of benchmarks/solve_bench.py (``--case deep 4``)
# factors from 1.25 to 3 cost about the same; never merging costs about four times as much.
MERGE_FACTOR = 1.5


def _tidied(cells: list, merged_at: int) -> tuple[list, int]:
    """``(cells, their count)`` with cells of equal winners and value merged (``_merge``) when
    they have grown by ``MERGE_FACTOR`` since the last merge (``merged_at`` cells then), else as
    they are. Each candidate inserted cuts the cells it wins in along its facets, so they
    multiply (on deep networks, to many times the distinct winners and values), and every
    later candidate asks an exact question of every cell
    (``_below``, ``_bounded_below``). A merged cell is the union of cells that had the same
    winners and value, so the envelope is the same function; merging now and then, not after
    every candidate, keeps the merges' own LPs a fraction of the questions they save."""
    if len(cells) <= MERGE_FACTOR * max(merged_at, 8):
        return cells, merged_at
    cells = _merge(cells, by_optimum=False)
    return cells, len(cells)


def _form_regions(Y: Polyhedron, vf: ValueFunction, hint) -> list:
    """``(form, Y & {form >= g for the other forms g})`` for each value form of the candidate
    whose region meets Y in a full-dimensional set: where on Y each form is the candidate's value.
    Cutting by forms, not by pieces, keeps the cells few: pieces are often many more than forms
    (a degenerate form region is kept split by optimal basis), and ``_finish`` splits only the
    final cells by their first winner's pieces."""
    forms = vf.forms
    if len(forms) == 1:
        return [(forms[0], Y)]
    out = []
    for f in forms:
        rows = Y.inequalities + tuple(f - g for g in forms if g != f)
        Z = Polyhedron.make(Y.coordinates, rows)
        if Z.is_full_dimensional((hint,)):
            out.append((f, Z))
    return out


def _insert(cells: list, key, vf: ValueFunction, below: list, rank: Callable) -> list:
    """Refine the envelope cells by one more candidate, given ``_below`` for each cell.

    A cell where the candidate is nowhere at or below the envelope is kept as it is. Otherwise
    ``Y`` (convex, since the candidate's value is a max of forms) is split off, and the rest of
    the cell is cut along Y's facets into convex cells that keep their old winners. On Y the
    candidate ties (when the cell's value w is one of its forms: its value, the max of its forms,
    is then exactly w on all of Y) or wins (elsewhere it is below w except on a hyperplane).
    Where it wins, Y is cut by its value forms (each cell one affine value); where it ties, Y
    stays one cell and the candidate joins its winners, first or behind them as ``rank`` (lower
    first) says. Cells carry no pieces yet: ``_finish`` picks them for the final cells, cut so
    that the first winner's piece holds on the whole cell.
    """
    coords = vf.coordinates
    out = []

    def keep(region, winners, value):
        out.append(_Cell(region.irredundant(), winners, value))

    forms = set(vf.forms)
    for cell, Y in zip(cells, below):
        if Y is None:
            out.append(cell)
            continue
        Y = Y.irredundant()
        hint = Y.known_point()
        ties = cell.value is not None and cell.value in forms
        if ties:  # the candidate's value is exactly w on all of Y
            behind = rank(key) > rank(cell.winners[0])
            keep(Y, cell.winners + (key,) if behind else (key,) + cell.winners, cell.value)
        else:
            for form, Z in _form_regions(Y, vf, hint):
                keep(Z, (key,), form)
        old = set(cell.region.inequalities)
        acc = list(cell.region.inequalities)
        for g in Y.inequalities:
            if g in old:
                continue
            rest = Polyhedron.make(coords, acc + [-g])
            if rest.is_full_dimensional():
                keep(rest, cell.winners, cell.value)
            acc.append(g)
    return out


def _piece_near(vf: ValueFunction, value: Affine, point):
    """The piece of ``vf`` with this value that holds at ``point`` (or the first such piece)."""
    mine = [p for p in vf.pieces if p.value == value]
    if point is not None:
        for strict in (True, False):  # inside a piece if the point is, else on its boundary
            for p in mine:
                if p.region.contains(point, strict=strict):
                    return p
    return mine[0]


def _finish(coordinates, dom, cells, kept, pruned, rank, stats, boundaries=True) -> Phases:
    order = lambda k: rank.get(k, 0) if rank else 0
    for c in cells:
        c.winners = tuple(sorted(c.winners, key=order))
    cells = _merge(cells, by_optimum=False)
    cells = [part for c in cells for part in _split_by_first_piece(c, kept)]
    cells = _merge(cells)
    for c in cells:  # tied winners' pieces, picked again at a point of the final cell
        if len(c.winners) > 1:
            point = c.region.known_point() or c.region.interior_point()
            c.pieces = {
                c.winners[0]: c.pieces[c.winners[0]],
                **{w: _piece_near(kept[w], c.value, point) for w in c.winners[1:]},
            }
    kept = dict(sorted(kept.items(), key=lambda kv: order(kv[0])))
    regions = tuple(Region(c.winners, c.value, c.region, c.pieces) for c in cells if c.winners)
    infeasible = tuple(c.region for c in cells if not c.winners)
    shared = _boundaries(coordinates, cells) if boundaries else ()
    stats = dict(stats, cells=len(regions))
    return Phases(coordinates, dom, regions, shared, infeasible, kept, tuple(pruned), stats)


def _split_by_first_piece(cell: _Cell, kept: dict) -> list:
    """The cell cut so that its first winner's piece (optimum, active set) holds on each part.
    One cut per piece of the winner's value form: usually there is one, and nothing is cut."""
    if not cell.winners:
        return [cell]
    first = cell.winners[0]
    mine = [p for p in kept[first].pieces if p.value == cell.value]
    if len(mine) == 1:
        return [_Cell(cell.region, cell.winners, cell.value, {first: mine[0]})]
    hint = cell.region.known_point()
    parts = []
    for piece in mine:
        Z = Polyhedron.make(
            cell.region.coordinates, cell.region.inequalities + piece.region.inequalities
        )
        if Z.is_full_dimensional((hint, piece.region.known_point())):
            parts.append(_Cell(Z.irredundant(), cell.winners, cell.value, {first: piece}))
    return parts


def _merge(cells: list, by_optimum: bool = True) -> list:
    """Merge cells with equal winners and value (and first winner's optimum, ``by_optimum``)
    when their union is convex. Cells of one value form with different optima (a degenerate
    form kept split by basis) stay apart: the first winner's piece must hold on all of a
    merged cell."""
    groups: dict = {}
    for c in cells:
        first = optimum_key(c.pieces.get(c.winners[0])) if c.winners and by_optimum else ()
        groups.setdefault((c.winners, c.value, first), []).append(c)
    out = []
    for group in groups.values():
        out.extend(
            _Cell(region, c.winners, c.value, c.pieces)
            for region, c in merge_convex([(c.region, c) for c in group])
        )
    return out


def optimum_key(piece) -> tuple:
    """A hashable form of a piece's optimum (empty for no piece)."""
    return tuple(sorted(piece.optimum.items())) if piece is not None else ()


def lead(form: Affine, prefer) -> Affine:
    """Scale so the leading coefficient is +1 (see Boundary)."""
    coeffs = form.coeffs
    pool = [n for n in prefer if n in coeffs] or [n for n in form.names]
    lead = max(pool, key=lambda n: (abs(coeffs[n]), -pool.index(n)))
    return form * (1 / coeffs[lead])


def _boundaries(coordinates, cells) -> tuple:
    """Facets shared by cells with different winners, as normalized tie hyperplanes."""
    found = []
    prefer = coordinates[1:]
    planes = [_facet_planes(c.region) for c in cells]
    for i, A in enumerate(cells):
        for j, B in enumerate(cells[i + 1 :], i + 1):
            if not A.winners or not B.winners or set(A.winners) == set(B.winners):
                continue
            diff = A.value - B.value
            if diff.is_constant():
                continue
            plane = lead(diff, A.region.coordinates)
            if plane not in planes[i] or plane not in planes[j]:
                continue  # the tie's hyperplane carries no facet of one of them
            if not _share_facet(A.region, B.region, diff):
                continue
            n = lead(diff, prefer)
            p = A.region.interior_point()
            a_side_negative = n(p) < 0
            for ka in A.winners:
                for kb in B.winners:
                    if ka in B.winners or kb in A.winners:
                        continue
                    bd = Boundary(ka, kb, n) if a_side_negative else Boundary(kb, ka, n)
                    if bd not in found:
                        found.append(bd)
    return tuple(found)


def _facet_planes(region: Polyhedron) -> set:
    """The hyperplanes of the region's rows, normalized as ``lead`` does (a row and its negative
    alike). Two interior-disjoint cells whose intersection on the hyperplane H is
    (q-1)-dimensional meet in a facet of each lying in H, and every facet of a full-dimensional
    polyhedron is the hyperplane of one of its rows, whatever rows describe it: a pair whose H
    is missing from either set shares no facet, and needs no LP (``_boundaries``)."""
    coords = region.coordinates
    return {lead(g, coords) for g in region.inequalities if not g.is_constant()}


def _share_facet(A: Polyhedron, B: Polyhedron, form: Affine) -> bool:
    """True if A & B & {form = 0} is (q-1)-dimensional: a relative-interior point exists where
    every row not parallel to the hyperplane is strictly positive."""
    coords = A.coordinates
    q = len(coords)
    key = lead(form, coords).coeffs
    rows = []
    fv = form.vector(coords)
    rows.append((fv + [ZERO], form.const))
    rows.append(([-v for v in fv] + [ZERO], -form.const))
    for g in A.inequalities + B.inequalities:
        if g.is_constant():
            if g.const < 0:
                return False
            continue
        if lead(g, coords).coeffs == key:
            # Parallel to the hyperplane: constant on it. The hyperplane itself (from either
            # side) is no constraint, but a parallel row offset from it may exclude it entirely.
            name = next(iter(g.coeffs))
            on_plane = g.const - g.coeff(name) / form.coeff(name) * form.const
            if on_plane < 0:
                return False
            continue
        vec = g.vector(coords)
        rows.append((vec + [-sum(abs(v) for v in vec)], g.const))
    rows.append(([ZERO] * q + [Q(-1)], Q(1)))
    res = maximize([ZERO] * q + [Q(1)], rows)
    return res.status == "optimal" and res.value > 0


def _lift_phases(cut: Slice, phases: Phases, functions: dict) -> Phases:
    """The cone's Phases from those found on the slice ``cut``; ``functions`` maps each candidate
    key to its ValueFunction on the cone (whose ``sliced`` one the slice's phases were built
    from)."""
    piece_of = {}
    for vf in functions.values():
        piece_of.update({id(r): p for r, p in zip(vf.sliced[1].pieces, vf.pieces)})
    regions = tuple(
        Region(
            r.winners,
            cut.up(r.value),
            cut.up_polyhedron(r.region),
            {k: piece_of[id(p)] for k, p in r.pieces.items()},
        )
        for r in phases.regions
    )
    boundaries = []
    for bd in phases.boundaries:
        form = cut.up(bd.form)
        normal = lead(form, cut.coordinates[1:])
        name = form.names[0]
        flipped = normal.coeff(name) * form.coeff(name) < 0  # scaled by a negative number
        boundaries.append(Boundary(bd.b, bd.a, normal) if flipped else Boundary(bd.a, bd.b, normal))
    kept = {k: functions[k] for k in phases.candidates}
    return Phases(
        cut.coordinates,
        cut.domain,
        regions,
        tuple(boundaries),
        tuple(cut.up_polyhedron(c) for c in phases.infeasible),
        kept,
        phases.pruned,
        phases.stats,
    )
