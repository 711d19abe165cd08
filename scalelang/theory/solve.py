"""Solving: every assignment's candidate energies through the exponent engine, then the winner.

Owns the step from lowered energies to the answer a theorist reads: P* = kappa * E_min, the
mechanism (the winning assignment), its optimum, every assignment's own energy, and the phases
(where each assignment wins) with their boundaries as sympy relations. The engine does all the
exponent arithmetic; this module only translates in and out of its log-space language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import sympy

from scalelang import exponents as engine
from scalelang.algebra.hermite import hermite_content
from scalelang.exponents import Affine
from scalelang.problem import Problem
from scalelang.support.progress import SILENT
from scalelang.theory import data_limit, merge
from scalelang.theory.lower import Assignment, Candidate, Lowered
from scalelang.theory.scales import ScaleSpace

KAPPA = sympy.Symbol("kappa", positive=True)


def mechanism(patterns: dict, locked: dict | None = None) -> str:
    """``h1=gp, h2=spec``; with ``locked``, each departing layer says its feature:
    ``h1=gp, h2=spec on He1(w . x)``."""
    locked = locked or {}
    return ", ".join(f"{layer}={locked.get(layer, pattern)}" for layer, pattern in patterns.items())


@dataclass(repr=False)
class AnswerPiece:
    """One region of an assignment's (or the whole problem's) energy, with its optimum."""

    value: Affine
    region: list  # sympy relations
    optimum: dict  # name -> sympy expression
    balanced: tuple
    binding: tuple
    locked: tuple
    candidate: Candidate

    def __repr__(self) -> str:
        optimum = ", ".join(f"{k} ~ {_text(v)}" for k, v in self.optimum.items())
        return (
            f"AnswerPiece(log E = {self.value} (logs of the scales)"
            + (f", optimum {optimum}" if optimum else "")
            + (f", where {' and '.join(_text(r) for r in self.region)}" if self.region else "")
            + ")"
        )


@dataclass(repr=False)
class AssignmentResult:
    patterns: dict
    pieces: list = field(default_factory=list)
    status: str = "ok"  # or why the assignment has no energy

    @property
    def headline(self) -> AnswerPiece | None:
        """The piece a person quotes: the unconstrained balance (no bound binds), if any."""
        free = [p for p in self.pieces if not p.binding]
        return (free or self.pieces or [None])[0]

    def __repr__(self) -> str:
        n = len(self.pieces)
        body = f"{n} piece{'s' if n != 1 else ''}" if self.status == "ok" else self.status
        return f"AssignmentResult({mechanism(self.patterns)}: {body})"


@dataclass(repr=False)
class Phase:
    """A region of scale space where one assignment (or a tie) gives the least energy."""

    winners: list  # patterns dicts, preferred first
    value: Affine
    region: list
    piece: AnswerPiece
    cells: list = field(default_factory=list)  # engine Polyhedra whose union is the region
    # assignments tied with the winner on part of the region only (``theory.merge``)
    tied_in_part: list = field(default_factory=list)

    def __repr__(self) -> str:
        tied = f", tied with {len(self.winners) - 1}" if len(self.winners) > 1 else ""
        where = " and ".join(_text(r) for r in self.region) or "everywhere"
        return (
            f"Phase({mechanism(self.winners[0])}: log E = {self.value} (logs of the scales), "
            f"where {where}{tied})"
        )


class Caveat(str):
    """A caveat's text, which also keeps its ``parts``: words and the sympy expressions and
    relations printed between them, so that a report can typeset the mathematics (the text
    itself, for the terminal and JSON, prints them as a theorist writes, ``(d N2)^(3/4)``, its
    factors in ``order``, ``ScaleSpace.order``)."""

    parts: tuple

    def __new__(cls, *parts, order: tuple = ()):
        from scalelang.algebra.notation import from_sympy

        self = super().__new__(
            cls, "".join(p if isinstance(p, str) else from_sympy(p, order).plain() for p in parts)
        )
        self.parts = parts
        return self


@dataclass
class Solution:
    """The global answer (phases, P*, boundaries); each assignment's own piecewise energy is
    computed on request: ``assignment(...)`` for one, ``assignments`` for all (``solve`` builds
    them at once when asked to, or when the problem has few assignments)."""

    problem: Problem
    space: ScaleSpace
    _assignments: list | None
    phases: list
    boundaries: list  # (patterns a, patterns b, sympy relation)
    caveats: tuple
    _kappa_form: Affine = field(default_factory=Affine)
    _kappa_symbolic: bool = True
    _solver: object = field(default=None, repr=False, compare=False)

    # ---- each assignment's own energy, on request ----------------------------------------------
    @property
    def assignments(self) -> list:
        """Every assignment's own piecewise energy (``AssignmentResult``), in the order of
        enumeration; computed on first use when ``solve`` did not build them."""
        if self._assignments is None:
            self._assignments = [
                self._solver.table(i) for i in range(len(self._solver.lowered.assignments))
            ]
        return self._assignments

    def assignment(self, patterns=None, **by_layer) -> AssignmentResult:
        """One assignment's own piecewise energy, by its patterns (``{"h1": "spec", ...}`` or
        ``h1="spec", ...``); computed on request, not for the others."""
        wanted = dict(patterns or {}, **by_layer)
        for index, lowered in enumerate(self._solver.lowered.assignments):
            if dict(lowered.patterns) == wanted:
                if self._assignments is not None:
                    return self._assignments[index]
                return self._solver.table(index)
        known = "; ".join(
            ", ".join(f"{k}={v}" for k, v in a.patterns)
            for a in self._solver.lowered.assignments[:8]
        )
        raise KeyError(f"no assignment {wanted} (the first ones are: {known})")

    @property
    def n_assignments(self) -> int:
        """How many pattern assignments were compared."""
        if self._solver is not None:
            return len(self._solver.lowered.assignments)
        return len(self._assignments or ())

    @property
    def tables_built(self) -> bool:
        """Whether every assignment's own energy has been computed (``to_json`` then lists them)."""
        return self._assignments is not None

    # ---- answers -------------------------------------------------------------------------------
    @property
    def p_star(self) -> sympy.Expr:
        """P* as one sympy expression: the monomial where one holds everywhere, else a
        ``Piecewise`` of each phase's monomial on its region (what a notebook wants to print
        or substitute into)."""
        if self.p_star_form() is not None:
            return self.p_star_expr(self.phases[0].value)
        return sympy.Piecewise(
            *[(self.p_star_expr(phase.value), sympy.And(*phase.region)) for phase in self.phases]
        )

    @property
    def kappa_form(self) -> Affine:
        """log of the noise's part that is a power of the scales (0 where it is the symbol)."""
        return self._kappa_form

    @cached_property
    def data_limited(self):
        """Where P* falls below the samples any learner needs (``data_limit.DataLimited``), or
        None: the data-limited answer there is max(P*, floor)."""
        return data_limit.of(self)

    def p_star_form(self) -> Affine | None:
        """log P* when the winning energy is one monomial over the whole domain, else None."""
        values = {phase.value for phase in self.phases}
        if len(values) != 1:
            return None
        return values.pop() + self._kappa_form

    def p_star_expr(self, value: Affine) -> sympy.Expr:
        expr = self.space.monomial(value + self._kappa_form)
        if not self._kappa_symbolic:
            return expr
        if expr.is_Pow and not expr.exp.is_number:
            # kappa * d**(affine in free exponents), as sympy would order it: evaluating the
            # product changes nothing and asks sympy's assumptions about the exponent (about a
            # millisecond per phase)
            return sympy.Mul(KAPPA, expr, evaluate=False)
        return KAPPA * expr

    def p_star_exponents(self, value: Affine) -> dict:
        result = self.space.exponents(value + self._kappa_form)
        if self._kappa_symbolic:
            result["kappa"] = "1"
        return result

    def phase_at(self, point: dict) -> Phase | None:
        """The phase containing a point of coordinate space ({"d": 1, "N1": 2, ...}; exact
        numbers), or None outside the domain or exactly on a boundary."""
        from fractions import Fraction

        coordinates = list(self.space.coordinates)
        unknown = [k for k in point if k not in coordinates]
        missing = [k for k in coordinates if k not in point]
        if unknown or missing:
            raise KeyError(
                f"phase_at takes a value for each coordinate, {', '.join(coordinates)} "
                f"(exponents: d=1, N=2 for N = d^2)"
                + (f"; {', '.join(unknown)} is not one" if unknown else "")
                + (f"; missing {', '.join(missing)}" if missing else "")
            )
        exact = {k: Fraction(v) for k, v in point.items()}
        for phase in self.phases:
            if any(cell.contains(exact, strict=True) for cell in phase.cells):
                return phase
        return None

    # ---- JSON ----------------------------------------------------------------------------------
    def to_json(self, assignments: bool | None = None) -> dict:
        """The answer as JSON. ``assignments``: each assignment's own energy under the key
        ``assignments`` -- True computes them if need be, False leaves them out, None (the
        default) lists them when they have been computed (``solve(..., assignments=...)``)."""
        include = self.tables_built if assignments is None else assignments
        data = {
            "problem": self.problem.name,
            "predict": self.problem.predict,
            "noise": self.problem.noise_name or "kappa",  # the file's name for kappa
            "coordinates": list(self.space.coordinates),
            "p_star": self._p_star_json(),
        }
        if include:
            data["assignments"] = [self._assignment_json(a) for a in self.assignments]
        else:
            data["n_assignments"] = self.n_assignments
        data.update(
            {
                "phases": [self._phase_json(p) for p in self.phases],
                "boundaries": [
                    {"between": [a, b], "relation": _text(rel)} for a, b, rel in self.boundaries
                ],
                "caveats": list(self.caveats),
                "data_limited": self._data_limited_json(),
            }
        )
        return data

    def _data_limited_json(self) -> dict | None:
        limited = self.data_limited
        if limited is None:
            return None
        return {
            "floor": _text(limited.floor.expr),
            "reason": limited.floor.reason,
            "below": [
                {
                    "patterns": short.phase.winners[0],
                    "p_star": _text(self.p_star_expr(short.phase.value)),
                    "where": "everywhere it wins" if short.everywhere else _text(short.relation),
                }
                for short in limited.below
            ],
        }

    def _p_star_json(self) -> dict | None:
        if self.p_star_form() is None:
            return None
        phase = self.phases[0]
        return {
            "expr": _text(self.p_star_expr(phase.value)),
            "exponents": self.p_star_exponents(phase.value),
            "patterns": phase.winners[0],
            "optimum": _strings(phase.piece.optimum),
            "locked": dict(phase.piece.locked),
            "tied": phase.winners[1:],
        }

    def _assignment_json(self, result: AssignmentResult) -> dict:
        head = result.headline
        entry = {"patterns": result.patterns, "status": result.status}
        if head is None:
            entry.update(energy=None, exponents=None, optimum=None)
            return entry
        entry.update(
            energy=_text(self.space.monomial(head.value)),
            exponents=self.space.exponents(head.value),
            optimum=_strings(head.optimum),
            region=[_text(r) for r in head.region],
            balanced=list(head.balanced),
            binding=list(head.binding),
            locked=dict(head.locked),
            pieces=[self._piece_json(p) for p in result.pieces],
        )
        return entry

    def _piece_json(self, piece: AnswerPiece) -> dict:
        return {
            "energy": _text(self.space.monomial(piece.value)),
            "exponents": self.space.exponents(piece.value),
            "optimum": _strings(piece.optimum),
            "region": [_text(r) for r in piece.region],
            "balanced": list(piece.balanced),
            "binding": list(piece.binding),
            "locked": dict(piece.locked),
        }

    def _phase_json(self, phase: Phase) -> dict:
        return {
            "patterns": phase.winners[0],
            "tied": phase.winners[1:],
            "p_star": _text(self.p_star_expr(phase.value)),
            "exponents": self.p_star_exponents(phase.value),
            "optimum": _strings(phase.piece.optimum),
            "locked": dict(phase.piece.locked),
            "region": [_text(r) for r in phase.region],
            "tied_in_part": phase.tied_in_part,
        }


CHEAP_TABLES = 16  # at most this many assignments: their own energies come with the answer


def solve(
    problem: Problem,
    space: ScaleSpace,
    lowered: Lowered,
    progress=SILENT,
    *,
    assignments: bool | None = None,
    exhaustive: bool = False,
) -> Solution:
    """Solve the candidate energies of ``lowered`` exactly and compare them: P*, the mechanism,
    the phases and their boundaries (docs/method.md, section 6). ``progress``
    (scalelang.support.progress) hears of each stage, for a long solve on a terminal.

    The answer is the global one (phases, P*, boundaries). ``assignments``: build every
    assignment's own piecewise energy too (True), never (False: ``Solution.assignment(...)``
    computes one on request), or when the problem has at most ``CHEAP_TABLES`` assignments
    (None). ``exhaustive``: the reference path, which builds every assignment's own envelope
    first and compares only the candidates that win somewhere in their own assignment (the same
    answer, asked by more questions; kept to test the direct path against)."""
    solver = _Solver(problem, space, lowered, progress)
    try:
        if exhaustive:
            return solver.exhaustive_solution()
        if assignments is None:
            assignments = len(lowered.assignments) <= CHEAP_TABLES
        return solver.solution(tables=assignments)
    finally:
        progress.finish()


VARIANCE_CAVEATS = {  # lower._Context._regimes: where an activation is taken at unit variance
    "large": "the pre-activations of {layer} have variance ~ {variance}, which grows with the "
    "scales; the Hermite content of its activation was taken at unit variance, which "
    "holds to leading order for an activation that saturates (erf, tanh, sigmoid), not "
    "for one that grows (softplus)",
    "mixed": "the pre-activations of {layer} have variance ~ {variance}, which goes to zero in "
    "part of the scales; there the activation acts through its Taylor expansion and "
    "these exponents, which take it at unit variance, are too low. An assumption that "
    "keeps that variance at most 1 (or at least 1) everywhere gives exact ones",
    "logits": "the pre-activations of {layer} have variance ~ {variance}, not O(1): its "
    "softmax was linearized at O(1) logits, which does not hold there (hard attention)",
    "small": "the pre-activations of {layer} have variance ~ {variance}, which goes to zero, "
    "and its activation has no Taylor expansion at 0 (a kink that is not a power law); "
    "it was taken at unit variance, so these exponents may be too low",
}


class _Solver:
    def __init__(self, problem: Problem, space: ScaleSpace, lowered: Lowered, progress=SILENT):
        self.progress = progress
        self.problem = problem
        self.space = space
        self.lowered = lowered
        self.domain = space.domain
        self.coordinates = space.coordinates
        self._solved: dict = {}  # _solve_candidate's memo
        self._programs: dict = {}  # _program_of's
        self._logs: dict = {}  # _log's
        self._terms: dict = {}  # a term's key in the engine -> its monomial (``_term_key``)

    def solution(self, tables: bool = False) -> Solution:
        """The global answer from every candidate at once: the engine's comparison
        (``compare_programs``) proves most losers dominated from a few point LPs and solves only
        the others, so no assignment's own envelope is needed and most candidates are never
        solved parametrically. Candidates with the same program are solved once."""
        candidates, programs = {}, {}  # (assignment index, candidate index) -> ...
        self.progress.stage("solving pattern assignments", len(self.lowered.assignments))
        for a_index, assignment in enumerate(self.lowered.assignments):
            for c_index, candidate in enumerate(assignment.candidates):
                candidates[(a_index, c_index)] = candidate
                programs[(a_index, c_index)] = self._program_of(candidate)
            self.progress.step()
        # In order of preference, so that the engine lists the simplest of tied winners first.
        items = [(key, programs[key]) for key in self._preferred(candidates)]
        self.progress.stage(f"comparing {len(items)} candidate energies", len(items))
        compared = engine.compare_programs(
            items,
            lambda key: self._solve_candidate(candidates[key]),
            self.coordinates,
            self.domain,
            tick=self.progress.step,
        )
        if not compared.candidates:
            raise _no_assignment(self.problem, self.lowered)
        phases, boundaries = self._phases_of(compared)
        results = [self.table(i) for i in range(len(self.lowered.assignments))] if tables else None
        return self._solution(results, phases, boundaries)

    def exhaustive_solution(self) -> Solution:
        """The reference path: every assignment's own envelope, then the comparison of the
        candidates that win somewhere in their own assignment."""
        functions = {}  # (assignment index, candidate index) -> ValueFunction
        results = []
        self.progress.stage("solving pattern assignments", len(self.lowered.assignments))
        for a_index, assignment in enumerate(self.lowered.assignments):
            result, solved = self._assignment(assignment)
            results.append(result)
            functions.update({(a_index, c): vf for c, vf in solved.items()})
            self.progress.step()
        self.progress.stage(f"comparing {len(functions)} candidate energies")
        phases, boundaries = self._phases(functions)
        return self._solution(results, phases, boundaries)

    def _solution(self, results, phases: list, boundaries: list) -> Solution:
        """The Solution of compared phases, merged where one winner keeps one formula (``merge``):
        the noise's part, the caveats, and the tables (None: built on request)."""
        phases = merge.merged(phases, self._relations)
        kappa_form, symbolic = self._kappa()
        caveats = self._caveats() + self._below_the_dimension(phases, kappa_form)
        return Solution(
            self.problem,
            self.space,
            results,
            phases,
            boundaries,
            caveats,
            kappa_form,
            symbolic,
            self,
        )

    def table(self, index: int) -> AssignmentResult:
        """One assignment's own piecewise energy (its envelope over its candidates)."""
        return self._assignment(self.lowered.assignments[index])[0]

    def _below_the_dimension(self, phases: list, kappa_form: Affine) -> tuple:
        """Where P* grows slower than the samples any learner needs to find the teachers (the
        floor, ``data_limit``: about d for a direction in d dimensions, whatever the layers, since
        each sample carries one label): there the answer says only that the mechanism does not
        hold learning back."""
        floor = data_limit.floor_of(self.problem, self.space)
        if floor is None:
            return ()
        places = []  # Caveat parts, one run per phase
        for short in data_limit.shortfalls(phases, floor, kappa_form, self.space):
            phase = short.phase
            mechanism = ", ".join(f"{layer}={name}" for layer, name in phase.winners[0].items())
            where = ("wherever it wins",) if short.everywhere else ("where ", short.relation)
            p_star = self.space.monomial(phase.value + kappa_form)
            places += ["; " if places else "", f"{mechanism} (P* ~ ", p_star, ") ", *where]
        if not places:
            return ()
        return (
            Caveat(
                "P* falls below ",
                floor.expr,
                " in part of the scales: ",
                *places,
                ". " + floor.reason[0].upper() + floor.reason[1:],
                order=self.space.order,
            ),
        )

    def _caveats(self) -> tuple:
        """Assumptions the answer rests on that this problem strains."""
        notes = []
        for layer, variance, regime in self.lowered.input_variances:
            if regime in VARIANCE_CAVEATS:
                before, after = (
                    VARIANCE_CAVEATS[regime].format(layer=layer, variance="{}").split("{}")
                )
                value = variance.to_sympy(self.space.symbols)
                notes.append(Caveat(before, value, after, order=self.space.order))
        supports = {frozenset(t for t, k in term.degrees if k) for term in self.problem.target}
        dense = all(layer.kind == "dense" for layer in self.problem.layers)
        if len(supports) > 1 and not dense:
            notes.append(
                "the target's terms involve different teachers, and a layer holds one group of "
                "specialists per teacher direction only in networks of dense layers "
                "(docs/method.md): here each layer locks onto one feature at a time, so P* may "
                "be lower than this"
            )
        taylor = [name for name, _, regime in self.lowered.input_variances if regime == "taylor"]
        if any(len(support) > 1 for support in supports) and dense and taylor:
            notes.append(
                "a target term multiplies several teachers' projections, and specialists on "
                "combinations of their directions ((u ± w)/sqrt(2), whose squares differ by the "
                "product) are not derived where a layer is in its Taylor regime "
                f"({', '.join(taylor)}; docs/method.md), so P* may be lower than this"
            )
        return tuple(notes)

    # ---- per assignment ------------------------------------------------------------------------
    def _assignment(self, assignment: Assignment):
        patterns = dict(assignment.patterns)
        result = AssignmentResult(patterns)
        if assignment.uncarried and not assignment.candidates:
            result.status = f"no route carries {', '.join(assignment.uncarried)} to the readout"
            return result, {}
        if not assignment.candidates:
            result.status = "no candidate energy: the patterns cannot help carry the target"
            return result, {}
        solved = {}
        for index, candidate in enumerate(assignment.candidates):
            function = self._solve_candidate(candidate)
            if function is not None:
                solved[index] = function
        if not solved:
            result.status = "infeasible: the patterns' bounds cannot be met anywhere"
            return result, {}
        envelope = engine.compare(
            list(solved.items()), self.coordinates, self.domain, boundaries=False
        )
        # A candidate beaten everywhere by a sibling cannot win or tie across assignments: a
        # full-dimensional tie there would make it tie its sibling, so it would be a winner here.
        useful = {key for region in envelope.regions for key in region.winners}
        solved = {key: vf for key, vf in solved.items() if key in useful}
        for value, key, region, piece in _shown_pieces(envelope):
            result.pieces.append(self._piece(value, region, assignment.candidates[key], piece))
        result.pieces.sort(
            key=lambda p: (len(p.binding), _text(p.value), [_text(r) for r in p.region])
        )
        return result, solved

    def _solve_candidate(self, candidate: Candidate):
        """The candidate's value function (None where the engine finds no energy), remembered by
        its program: different assignments and routes often reach the same posynomial."""
        key = _program_key(candidate)
        if key not in self._solved:
            try:
                self._solved[key] = engine.solve(
                    self._program_of(candidate), self.coordinates, self.domain
                )
            except engine.EngineError:
                self._solved[key] = None
        return self._solved[key]

    def _program_of(self, candidate: Candidate) -> engine.Program:
        key = _program_key(candidate)
        if key not in self._programs:
            self._programs[key] = self._program(candidate)
        return self._programs[key]

    def _program(self, candidate: Candidate) -> engine.Program:
        variables = set(candidate.variables)
        terms = tuple(
            engine.Term(_var_part(t.mono, variables), self._log(t.mono), self._term_key(t.mono))
            for t in candidate.terms
        )
        bounds = tuple(
            engine.Bound(_var_part(b.mono, variables), self._log(b.mono) * -1, b.label)
            for b in candidate.bounds
        )
        return engine.Program(candidate.variables, terms, bounds)

    def _term_key(self, mono) -> str:
        """A term's label in the engine: a cheap key for its monomial, named for people
        (``_term_name``) only in the pieces they see; sympy's printer would cost more than solving
        a deep network's candidates."""
        key = "term " + ";".join(f"{name}={exponent}" for name, exponent in mono.powers)
        self._terms.setdefault(key, mono)
        return key

    def _term_name(self, key: str) -> str:
        """The term a key stands for, written in the overridden scales (other labels as they
        are)."""
        mono = self._terms.get(key)
        return key if mono is None else self.space.label(mono)

    def _log(self, mono) -> Affine:
        """``space.log``, remembered: candidates share most of their monomials."""
        form = self._logs.get(mono)
        if form is None:
            form = self._logs[mono] = self.space.log(mono)
        return form

    def _piece(self, value: Affine, region, candidate: Candidate, piece) -> AnswerPiece:
        optimum = {name: self.space.monomial(form) for name, form in piece.optimum.items()}
        return AnswerPiece(
            value=value,
            region=self._relations(region),
            optimum=optimum,
            balanced=tuple(self._term_name(label) for label in piece.balanced),
            binding=tuple(piece.binding),
            locked=candidate.locked,
            candidate=candidate,
        )

    def _relations(self, polyhedron) -> list:
        """The region's rows beyond the domain as relations, in a fixed order (by the scale each
        is solved for, lower bounds first), whatever order the engine found them in."""
        domain = {engine.scaled(g) for g in self.domain}  # the engine may return one rescaled
        relations = [
            self.space.relation(g)
            for g in polyhedron.inequalities
            if engine.scaled(g) not in domain
        ]
        order = {name: i for i, name in enumerate(self.coordinates)}

        def key(rel):
            name = getattr(rel.lhs, "name", None)
            return (order.get(name, len(order)), rel.rel_op != ">=", _text(rel))

        return sorted(relations, key=key)

    # ---- across assignments --------------------------------------------------------------------
    def _phases(self, functions: dict):
        if not functions:
            raise _no_assignment(self.problem, self.lowered)
        # In order of preference, so that the engine lists the simplest of tied winners first
        # (the one whose optimum holds on the whole region).
        candidates = [(key, functions[key]) for key in self._preferred(functions)]
        return self._phases_of(engine.compare(candidates, self.coordinates, self.domain))

    def _phases_of(self, compared):
        """Phases and boundaries, in the file's terms, from the engine's comparison."""
        phases = []
        for region in compared.regions:
            winners = list(region.winners)
            key = winners[0]
            candidate = self.lowered.assignments[key[0]].candidates[key[1]]
            patterns = [dict(self.lowered.assignments[a].patterns) for a, _ in winners]
            patterns = list({tuple(p.items()): p for p in patterns}.values())
            phases.append(
                Phase(
                    patterns,
                    region.value,
                    self._relations(region.region),
                    self._piece(region.value, region.region, candidate, region.pieces[key]),
                    [region.region],
                )
            )
        boundaries = []
        for a, b, form in compared.boundaries:
            pa = dict(self.lowered.assignments[a[0]].patterns)
            pb = dict(self.lowered.assignments[b[0]].patterns)
            if pa != pb:
                boundaries.append((pa, pb, self.space.relation(form, "==")))
        return self._ordered(phases), _dedupe(sorted(boundaries, key=str))

    def _ordered(self, phases: list) -> list:
        """Phases in the order the assignments are enumerated, then by their answer: the same
        problem always prints the same way, whatever order the engine found the cells in."""
        index = {a.patterns: i for i, a in enumerate(self.lowered.assignments)}
        return sorted(
            phases,
            key=lambda p: (
                index[tuple(p.winners[0].items())],
                _text(p.value),
                [_text(r) for r in p.region],
            ),
        )

    def _preferred(self, keys) -> list:
        """Tied winners, simplest first: fewest non-lazy layers, then the order of enumeration."""

        def departures(key):
            patterns = self.lowered.assignments[key[0]].patterns
            return sum(
                len(self.problem.pattern_parts(p)) for _, p in patterns if self.problem.effective(p)
            )

        return sorted(keys, key=lambda k: (departures(k), k))

    def _kappa(self) -> tuple[Affine, bool]:
        from scalelang.algebra.monomial import mono_from_sympy

        constants = set(getattr(self.problem, "constants", {}) or {})
        scale_part = mono_from_sympy(sympy.sympify(self.problem.kappa), constants)
        if not scale_part.powers:  # a number or an O(1) constant: keep the symbol kappa
            return Affine(), True
        return self.space.log(scale_part), False


def _shown_pieces(envelope) -> list:
    """``(value, winner, polyhedron, piece)`` for an assignment's own envelope, as it is shown:
    the first winner's piece per region, with regions merged where that winner, its value and
    its optimum agree and the union is convex (the engine keeps apart cells whose tied winners
    differ, which the assignment's table does not show)."""
    groups: dict = {}
    for region in envelope.regions:
        key = region.winners[0]
        piece = region.pieces[key]
        groups.setdefault((region.value, key, engine.optimum_key(piece)), []).append(
            (region.region, piece)
        )
    return [
        (value, key, polyhedron, piece)
        for (value, key, _), entries in groups.items()
        for polyhedron, piece in engine.merge_convex(entries)
    ]


def _dedupe(boundaries: list) -> list:
    seen, result = set(), []
    for a, b, rel in boundaries:
        key = (tuple(sorted(a.items())), tuple(sorted(b.items())), _text(rel))
        flipped = (key[1], key[0], key[2])
        if key not in seen and flipped not in seen:
            seen.add(key)
            result.append((a, b, rel))
    return result


def _program_key(candidate: Candidate) -> tuple:
    """What a candidate's program depends on: two candidates with the same key have one program."""
    return (candidate.variables, tuple(t.mono for t in candidate.terms), candidate.bounds)


def _var_part(mono, variables: set) -> dict:
    return {name: e for name, e in mono.powers if name in variables}


@lru_cache(maxsize=4096)
def _text(expr) -> str:
    """``str(expr)``, remembered: a solution prints the same monomials and relations many times
    (in ``to_json`` and in the sort keys), and sympy's printer is slow."""
    return str(expr)


def _strings(mapping: dict) -> dict:
    return {name: _text(value) for name, value in mapping.items()}


def _no_assignment(problem: Problem, lowered: Lowered):
    """Why no assignment has an energy: no route carries the target (the activations' Hermite
    content or the allowed patterns), or every candidate's pattern bounds fail in the domain."""
    from scalelang.support.diagnostics import Diagnostic, ScaleError

    uncarried = sorted({u for a in lowered.assignments for u in a.uncarried})
    restricted = {layer: problem.allowed_patterns[layer] for layer in problem.pattern_spans}
    allowed = "; ".join(f"{layer}: {' | '.join(names)}" for layer, names in restricted.items())
    span = problem.target_span or problem.readout.span
    if any(a.candidates for a in lowered.assignments):
        # the layers that took a pattern with bounded parameters in some failing assignment
        bounded = {
            layer
            for a in lowered.assignments
            if a.candidates
            for layer, name in a.patterns
            if any(part.params for part in problem.pattern_parts(name))
        }
        spans = [
            problem.pattern_spans[layer.name]
            for layer in problem.layers
            if layer.name in bounded and layer.name in problem.pattern_spans
        ] or [span]
        message = "every candidate energy is infeasible: the patterns' bounds fail everywhere"
        hint = (
            "the bounds (such as 1 <= M <= N) cannot hold for the scales as defined; widen the "
            "scales or allow other patterns"
        )
        return ScaleError([Diagnostic(s, message, hint=hint) for s in spans])
    activations = sorted({layer.activation.name for layer in problem.layers})
    if uncarried:
        message = f"no pattern assignment carries {', '.join(uncarried)} to the readout"
        hint = _parity_hint(problem, activations, uncarried) or (
            f"the Hermite content of {', '.join(activations)} cannot make this degree from the "
            "teacher direction by any route the patterns "
            f"allow{_zero_coefficients(problem, uncarried)}; "
            "use an activation with a non-zero coefficient of that degree, add a layer, or allow "
            "a pattern that carries it"
        )
    else:
        message = "the allowed patterns cannot help carry the target: no assignment has an energy"
        hint = "allow more patterns (a layer without a patterns line tries every pattern in scope)"
    if allowed:
        hint += f"; the patterns lines allow {allowed}"
    return ScaleError([Diagnostic(span, message, hint=hint)])


def _degree(term) -> int:
    """The total degree of an uncarried target term (its Phrase's Hermites: He3(w . x)*He1(v . x)
    is 4)."""
    return sum(part.degree for part in term.parts)


def _zero_coefficients(problem: Problem, uncarried: list) -> str:
    """Which Hermite coefficients of each activation vanish up to the target's degree (relu's
    odd ones above 1), as a clause of the hint: the fact a reader needs to see why."""
    top = max(_degree(term) for term in uncarried)
    notes = []
    for activation in dict.fromkeys(layer.activation for layer in problem.layers):
        content = hermite_content(activation.expr, top)
        zero = [str(k) for k in range(1, top + 1) if k not in content]
        if zero:
            degrees = (
                f" {zero[0]}" if len(zero) == 1 else f"s {', '.join(zero[:-1])} and {zero[-1]}"
            )
            notes.append(f"{activation.name} has no Hermite coefficient of degree{degrees}")
    return f" ({'; '.join(notes)})" if notes else ""


def _parity_hint(problem: Problem, activations: list, uncarried: list) -> str | None:
    """The hint when parity alone rules the target out, so that "add a layer" is not suggested:
    odd functions of odd functions are odd, and any function of an even one is even."""
    if any(layer.kind != "dense" for layer in problem.layers):
        return None
    parity = {
        layer.name: frozenset(k % 2 for k in hermite_content(layer.activation.expr, 8))
        for layer in problem.layers
    }
    parities = set(parity.values())
    degrees = {_degree(term) % 2 for term in uncarried}
    names = ", ".join(activations)
    even = None  # an even activation fed an odd, bias-free function of x: the network is even
    for layer in problem.layers:  # (after a layer of mixed parity its neurons have biases)
        if parity[layer.name] != frozenset({1}):
            even = layer if parity[layer.name] == frozenset({0}) else None
            break
    if even is not None and degrees == {1}:
        return (
            f"{even.activation.name} (in {even.name}) has no odd part, so every later layer "
            "sees an even function of the input and the network makes no odd degree, at any "
            "depth or pattern; use an activation with an odd part there (erf, relu, ...)"
        )
    if parities == {frozenset({1})} and degrees == {0}:
        return (
            f"{names} {'is' if len(activations) == 1 else 'are'} odd, and odd functions of odd "
            "functions are odd: no depth or pattern makes an even degree; use an activation "
            "with an even part (relu, x^2, ...)"
        )
    return None
