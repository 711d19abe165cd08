"""The prediction a simulation tests, and the sweep plan chosen from it.

Owns: reading the theory's answer (a ``scalelang.theory.solve.Solution``, or overrides given on the
command line) into a ``Prediction`` — the exponent of P* in the input dimension, of each layer's
specialist count and of each group's (docs/method.md, section 4, "Groups") — and turning a
prediction and a budget into a ``SweepPlan`` (dimensions, P grid, seeds, steps). It may not run
simulations or touch the front end's internals.

The scaling argument fixes P* only up to an O(1) prefactor. The plan writes
P*_pred(d) = prefactor * kappa^e_kappa * d^e_d with a prefactor that defaults to 64: the
two-layer erf/He3 problem at kappa = 1 (N = d) crosses alignment 0.4 near P = 32-64 d and 1/2 near
100 d from the prior start (measured; see docs/simulation.md). Override it with --prefactor; the
fitted exponent does not depend on it, only whether the P grid brackets the transition does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import product

import sympy

from scalelang.theory.phrases import Combined, Hermites
from scalelang.theory.solve import Solution, mechanism

DEFAULT_PREFACTOR = 64.0


@dataclass(frozen=True)
class Prediction:
    """What the theory predicts, reduced to powers of the input dimension."""

    exponent: sympy.Rational  # of P* in d, after every --set
    kappa_exponent: sympy.Rational = sympy.Integer(1)
    expr: str = ""  # P* as the solver wrote it
    patterns: dict[str, str] = field(default_factory=dict)
    specialists: dict[str, str] = field(default_factory=dict)  # layer -> exponent of M in d
    source: str = "solve"  # or "command line"
    # the other mechanisms' exponents of P* in d (the runners-up), which a measurement may exclude
    competitors: dict[str, str] = field(default_factory=dict)
    # what each layer should show in a simulation (``signature_of``), for the winner and each
    # competitor: the observables that tell the mechanisms apart
    signature: dict[str, str] = field(default_factory=dict)
    competitor_signatures: dict[str, dict[str, str]] = field(default_factory=dict)
    tied_signatures: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # same P*, other layers
    # layer -> its groups of specialists (``groups_of``): each one's name, teachers, sign
    # patterns, parameter and the exponent in d of its count
    groups: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def in_d(self) -> str:
        """P* as a power of d for people: d^2, d^(3/2)."""
        text = str(self.exponent)
        return f"d^({text})" if "/" in text or text.startswith("-") else f"d^{text}"

    def to_json(self) -> dict:
        return {
            "exponent": str(self.exponent),
            "kappa_exponent": str(self.kappa_exponent),
            "expr": self.expr,
            "patterns": dict(self.patterns),
            "specialists": dict(self.specialists),
            "source": self.source,
            "competitors": dict(self.competitors),
            "signature": dict(self.signature),
            "competitor_signatures": {k: dict(v) for k, v in self.competitor_signatures.items()},
            "tied_signatures": {k: dict(v) for k, v in self.tied_signatures.items()},
            "groups": {k: [dict(g) for g in v] for k, v in self.groups.items()},
        }


class PredictionUnavailable(Exception):
    """No single-monomial prediction: the message says which override to pass."""


def _exponent_in(expr: sympy.Expr, name: str) -> sympy.Rational:
    """The exponent of the scale ``name`` in a monomial ``expr`` (0 if absent)."""
    expr = sympy.sympify(expr)
    symbols = [s for s in expr.free_symbols if s.name == name]
    if not symbols:
        return sympy.Integer(0)
    s = symbols[0]
    value = sympy.simplify(s * sympy.diff(sympy.log(expr), s))
    if not value.is_Rational:
        raise PredictionUnavailable(f"{expr} is not a monomial in {name}")
    return value


def _powers(expr: sympy.Expr) -> dict[str, sympy.Rational]:
    """{name: exponent} of a monomial ``expr``; PredictionUnavailable for anything else."""
    powers = {}
    for base, exponent in sympy.sympify(expr).as_powers_dict().items():
        if base == 1:
            continue
        if not (base.is_Symbol and exponent.is_Rational):
            raise PredictionUnavailable(f"P* = {expr} is not a monomial in the scales")
        powers[base.name] = exponent
    return powers


def prediction_from_solution(solution: Solution, dim: str) -> Prediction:
    """The Prediction in ``dim`` of a solution whose P* is one monomial: its exponents, the
    winning patterns, and for each specialist layer (a pattern whose spike carries the
    activation, docs/language.md) the exponent of its count, the spike's parameter at the
    optimum."""
    if solution.p_star_form() is None:
        raise PredictionUnavailable(
            "the solver's answer is piecewise for these settings: fix the free exponents with "
            "--set, or give --predicted-exponent"
        )
    phase = solution.phases[0]
    p_star = solution.p_star_expr(phase.value)
    exponents = _powers(p_star)
    kappa = exponents.pop("kappa", sympy.Integer(0))  # the noise's symbol, where it stays one
    others = [name for name in exponents if name != dim]
    if others:
        raise PredictionUnavailable(
            f"P* = {p_star} still depends on {', '.join(others)}: tie it to {dim} with --set"
        )
    patterns = dict(phase.winners[0])
    competing = _competitors(solution, phase, dim, exponents.get(dim, sympy.Integer(0)))
    return Prediction(
        exponent=exponents.get(dim, sympy.Integer(0)),
        # 0 when the noise is a power of the scales: then it is already in the d exponent
        kappa_exponent=kappa,
        expr=str(p_star),
        patterns=patterns,
        specialists=_specialists(solution, phase.piece, patterns, dim),
        groups=groups_of(solution, phase.piece, patterns, dim),
        competitors={name: exponent for name, (exponent, _) in competing.items()},
        signature=signature_of(solution.problem, patterns),
        competitor_signatures={name: signature for name, (_, signature) in competing.items()},
        tied_signatures={
            mechanism(tied): signature_of(solution.problem, tied) for tied in phase.winners[1:]
        },
    )


SIGNATURES = {
    None: "lazy",
    "activation": "specialists",
    "linear": "magnetized",
    "amplify": "amplified",
}


def signature_of(problem, patterns: dict) -> dict[str, str]:
    """What each layer of an assignment shows in a simulation, read from its pattern's effect
    (docs/simulation.md, "Mechanisms per layer"): a spike carrying the activation, specialists;
    a spike carrying the feature only, a magnetized layer; an amplified eigenvalue, an amplified
    overlap; no effect, a lazy layer."""
    out = {}
    for layer, name in patterns.items():
        shows = {_shows(pattern) for pattern in problem.pattern_parts(name)}
        # A mixture (spec + gfl) shows its most visible group: a neuron past the overlap
        # threshold is a specialist whatever the other groups do.
        out[layer] = next(
            s for s in ("specialists", "magnetized", "amplified", "lazy") if s in shows
        )
    return out


def _shows(pattern) -> str:
    effect = pattern.effect
    return SIGNATURES[
        None if effect is None else (effect[2] if effect[0] == "spike" else effect[0])
    ]


def _specializes(pattern) -> bool:
    """A spike carrying the activation: the pattern's neurons are specialists."""
    effect = pattern.effect
    return effect is not None and effect[0] == "spike" and effect[2] == "activation"


def _competitors(solution: Solution, phase, dim: str, winner, most: int = 4) -> dict:
    """The assignments that lose to the winner (its ties left out), the lowest first: each
    one's exponent of P* in ``dim`` and its signature, the mechanisms a measurement should tell
    the prediction from."""
    found: dict[str, tuple] = {}
    for result in solution.assignments:
        head = result.headline
        if head is None or result.patterns in phase.winners:
            continue
        powers = _powers(solution.p_star_expr(head.value))
        powers.pop("kappa", None)
        if set(powers) - {dim}:
            continue  # depends on a scale the simulation does not sweep
        exponent = powers.get(dim, sympy.Integer(0))
        if exponent != winner:
            found.setdefault(mechanism(result.patterns), (exponent, result.patterns))
    ranked = sorted(found.items(), key=lambda item: (item[1][0], item[0]))[:most]
    return {
        name: (str(exponent), signature_of(solution.problem, patterns))
        for name, (exponent, patterns) in ranked
    }


def _specialists(solution: Solution, piece, patterns: dict, dim: str) -> dict[str, str]:
    """layer -> the exponent in ``dim`` of its specialist count: the optimum of the variable
    that stands for the parameter of its pattern's spike (``Candidate.parameters``). A layer
    holding several groups (docs/method.md, section 4, "Groups") has one such variable per
    group; the layer's count is their sum, to leading order the largest."""
    counts = {}
    for layer in patterns:
        exponents = _count_exponents(solution, piece, patterns, layer, dim)
        if exponents and None not in exponents:
            counts[layer] = str(max(exponents))
    return counts


def _count_variables(solution: Solution, piece, patterns: dict, layer: str) -> list[str] | None:
    """The variables of the specialist count of ``layer``, one per group in the order the layer's
    locked phrase names its groups (``Candidate.parameters`` lists each group's parameters in that
    order); None where the layer's pattern is no spike carrying the activation (it has no
    specialists) and [] where the spike's strength is not one parameter (a spike of the whole
    width)."""
    parts = [p for p in solution.problem.pattern_parts(patterns[layer]) if _specializes(p)]
    if not parts:
        return None
    wanted = set()
    for pattern in parts:  # a mixture's specialist patterns, each with its count's parameter
        strength = {s.name for s in sympy.sympify(pattern.effect[1]).free_symbols}
        params = [p.name for p in pattern.params if p.name in strength]
        if len(params) != 1:
            return []
        wanted.add((layer, params[0]))
    return [v for name, param, v in piece.candidate.parameters if (name, param) in wanted]


def _count_exponents(solution, piece, patterns, layer, dim) -> list | None:
    """The exponent in ``dim`` of each group's count of ``layer`` (None for a count no bound leaves
    free, or not a monomial), or None where the layer has no specialists."""
    names = _count_variables(solution, piece, patterns, layer)
    if names is None:
        return None
    out = []
    for name in names:
        try:
            out.append(_exponent_in(piece.optimum[name], dim) if name in piece.optimum else None)
        except PredictionUnavailable:
            out.append(None)
    return out


def groups_of(solution: Solution, piece, patterns: dict, dim: str) -> dict[str, list[dict]]:
    """layer -> its groups of specialists, for each layer whose pattern's spike carries the
    activation: the features its locked phrase names ("spec on He1(w . x) + spec on He1(v . x)":
    two groups; one feature: one group), each as the direction its neurons' weights take:

    ``name``       the feature as the mechanism prints it (He1(w . x), He1((u ± w)/sqrt(2) . x));
    ``teachers``   the teachers it is made of;
    ``signs``      the sign patterns of its unit directions sum_t s_t t / sqrt(n) (a teacher:
                   [[1]]; a combination of u and w: [[1, 1], [1, -1]], i.e. (u + w)/sqrt(2) and
                   (u - w)/sqrt(2)), or None for a feature of several teachers' Hermite product,
                   whose neurons lie anywhere in their span;
    ``parameter``  the solver's variable of its count (M_w), None where it has none;
    ``exponent``   the exponent in ``dim`` of that count at the optimum, None where unknown."""
    out = {}
    for layer, phrase in piece.candidate.locked:
        if layer not in patterns:
            continue
        names = _count_variables(solution, piece, patterns, layer)
        if names is None:
            continue
        features = _specialist_features(solution.problem, phrase)
        exponents = _count_exponents(solution, piece, patterns, layer, dim)
        if len(names) != len(features):  # no variable per group: the counts are not known
            names = exponents = [None] * len(features)
        out[layer] = [
            _group(feature, name, exponent)
            for feature, name, exponent in zip(features, names, exponents)
        ]
    return out


def _specialist_features(problem, phrase) -> list:
    """The features a locked phrase names ("spec on He1(w . x) + gfl on He1(v . x)"), of the
    groups whose pattern (the name before " on ") makes specialists."""
    parts = list(getattr(phrase, "parts", ()))
    features = []
    for k, part in enumerate(parts):
        if isinstance(part, (Hermites, Combined)):
            name = parts[k - 2] if k >= 2 and parts[k - 1] == " on " else None
            pattern = problem.patterns.get(name) if isinstance(name, str) else None
            if pattern is None or _specializes(pattern):
                features.append(part)
    return features


def _group(feature, parameter: str | None, exponent) -> dict:
    """One group's record (``groups_of``)."""
    if isinstance(feature, Combined):
        teachers = list(feature.teachers)
        signs = [[1, *rest] for rest in product((1, -1), repeat=len(teachers) - 1)]
    else:
        teachers = list(dict.fromkeys(t for k, t, _ in feature.factors if k))
        signs = [[1]] if len(teachers) == 1 else None
    return {
        "name": str(feature),
        "teachers": teachers,
        "signs": signs,
        "parameter": parameter,
        "exponent": None if exponent is None else str(exponent),
    }


@dataclass(frozen=True)
class SweepPlan:
    """The grid the generated script runs by default (every field overridable in the script)."""

    dims: tuple[int, ...]
    ratios: tuple[float, ...]  # P / P*_pred
    seeds: int
    steps: int
    burn_in: int
    measure_every: int = 10
    test_size: int = 2048
    prefactor: float = DEFAULT_PREFACTOR
    starts: tuple[str, ...] = ("prior", "aligned")

    def to_json(self) -> dict:
        return asdict(self)


BUDGETS = {
    # small: the acceptance check of fcn2_he3 (N = d) in under 15 minutes on one core of a shared
    # 2-core box (docs/simulation.md has the measurement). d = 8 is left out: with N = d = 8 neurons
    # it needs ~2x the P/d of d = 16, 32, 64, which collapse in P/d (measured).
    "small": SweepPlan(
        dims=(16, 32, 64), ratios=(0.25, 0.5, 1.0, 2.0), seeds=4, steps=2000, burn_in=1000
    ),
    "medium": SweepPlan(
        dims=(8, 16, 32, 64),
        ratios=(0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0),
        seeds=4,
        steps=4000,
        burn_in=2000,
    ),
    "large": SweepPlan(
        dims=(8, 16, 32, 64, 128),
        ratios=(0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0),
        seeds=6,
        steps=8000,
        burn_in=4000,
    ),
    # smoke: seconds; checks that the script runs, measures nothing.
    "smoke": SweepPlan(
        dims=(4, 6),
        ratios=(0.5, 2.0),
        seeds=2,
        steps=60,
        burn_in=30,
        measure_every=5,
        test_size=256,
    ),
}


def plan_for(budget: str, **overrides) -> SweepPlan:
    """The plan of a named budget with some fields replaced."""
    if budget not in BUDGETS:
        raise ValueError(f"unknown budget {budget!r}; choose one of {', '.join(BUDGETS)}")
    fields = asdict(BUDGETS[budget])
    fields.update({k: v for k, v in overrides.items() if v is not None})
    return SweepPlan(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
