"""What a report says, independent of how it is printed: a plain tree built from a Solution.

Owns the content of a report (docs/reports.md): the problem restated with its parameterization
named, the answer with its mechanism and optimum, every assignment with its energy, the winner's
derivation in words, the phase boundaries, the conventions and caveats. Text is "rich": a list
of strings and ``scalelang.algebra.notation`` nodes, so that each backend (Markdown, HTML,
LaTeX) prints the mathematics its own way. Reads the solution only; never solves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from scalelang.algebra import notation as mf
from scalelang.algebra.notation import Node
from scalelang.problem import MIXED
from scalelang.theory.lower import EnergyBound
from scalelang.theory.phrases import Combined, Hermites, Phrase


# ---- small helpers ------------------------------------------------------------------------------
def mechanism(patterns: dict, locked: dict | None = None) -> str:
    """{"h1": "spec", "h2": "mag"} -> "h1 = spec, h2 = mag"; with ``locked`` (a piece's
    (layer, "spec on He1(w . x)") pairs), each departing layer names its feature, so that two
    phases of one assignment locked onto different features read apart."""
    locked = locked or {}
    return ", ".join(
        f"{layer} = {locked.get(layer, pattern)}" for layer, pattern in patterns.items()
    )


def mechanism_rich(patterns: dict, locked: dict | None = None) -> list:
    """``mechanism`` as rich text: each locked feature typeset (h2 = spec on He_1(w . x))."""
    locked = locked or {}
    out: list = []
    for i, (layer, pattern) in enumerate(patterns.items()):
        out.append((", " if i else "") + f"{layer} = ")
        out += words(locked[layer]) if layer in locked else [pattern]
    merged: list = []
    for item in out:  # adjacent words as one string
        if merged and isinstance(item, str) and isinstance(merged[-1], str):
            merged[-1] += item
        else:
            merged.append(item)
    return merged


def short(patterns: dict) -> str:
    """{"h1": "spec", "h2": "mag"} -> "spec–mag" (layers in order)."""
    return "\u2013".join(patterns.values())


def tied(phase) -> list:
    """The assignments tied with a phase's winner, as words: those tied on part of a merged
    phase only (``theory.merge``) say so."""
    return [mechanism(w) for w in phase.winners[1:]] + [
        f"{mechanism(w)} (in part)" for w in phase.tied_in_part
    ]


def slug(patterns: dict) -> str:
    return "_".join(f"{layer}-{pattern}" for layer, pattern in patterns.items())


def joined(items: list, word: str = "and") -> list:
    """Rich list: a, b and c."""
    out: list = []
    for i, item in enumerate(items):
        if i:
            out.append(f" {word} " if i == len(items) - 1 else ", ")
        out.append(item)
    return out


def _order(solution) -> tuple:
    """The order of factors in every monomial (``ScaleSpace.order``)."""
    return solution.space.order


def _sim(name: str, value, order) -> Node:
    return mf.Row((mf.Sym(name), mf.op("\\sim", "\u223c"), mf.from_sympy(value, order)))


def _bound_node(bound: EnergyBound, space, order) -> Node:
    """A feasibility bound of the lowering (1 <= M2, D (d/N) <= 1) as mathematics, in the scales
    the answer is written in (``ScaleSpace.written``); its comment (the pre-activation stays
    O(1)) in words."""
    node = mf.Row(
        (
            mf.monomial(space.written(bound.lhs).as_dict(), order),
            mf.op(*mf.RELATIONS["<="]),
            mf.monomial(space.written(bound.rhs).as_dict(), order),
        )
    )
    return mf.Row((node, mf.text(f" ({bound.note})"))) if bound.note else node


def feature_node(feature: Hermites) -> Node:
    """He3(w . x), or a product of such factors as one formula."""
    factors = [mf.hermite(k, teacher, token) for k, teacher, token in feature.factors]
    return factors[0] if len(factors) == 1 else mf.Row(tuple(factors), "\\,")


def words(phrase) -> list:
    """Rich text of the lowering's words (a ``Phrase``: a term's role, a locked feature): its
    features (``Hermites``) and symbols (a_y) typeset, the rest as it is."""
    out: list = []
    for part in getattr(phrase, "parts", (phrase,)):
        if isinstance(part, Hermites):
            out.append(feature_node(part))
        elif isinstance(part, Combined):
            out.append(mf.combined_hermite(part.teachers, part.token))
        elif isinstance(part, sympy.Symbol):
            out.append(mf.Raw(part.name, mf.Sym(part.name).mathml()))
        elif out and isinstance(out[-1], str):
            out[-1] += str(part)
        else:
            out.append(str(part))
    return [x for x in out if x != ""]


def _mono_node(mono, order) -> Node:
    """A lowering monomial (Mono, possibly with variational parameters) as a fraction."""
    powers = {name: Fraction(e) for name, e in mono.powers}
    return (
        mf.monomial(powers, order, root=False)
        if all(e.denominator == 1 for e in powers.values())
        else mf.monomial(powers, order)
    )


# ---- the report ---------------------------------------------------------------------------------
@dataclass
class Report:
    name: str
    source: str
    overrides: dict
    problem: dict
    answer: dict
    assignments: list
    derivations: list
    boundaries: list
    conventions: list
    caveats: list
    coordinates: list
    figure: dict | None = None  # filled by the renderer (diagram.describe)
    extra: dict = field(default_factory=dict)


def build(solution, overrides: dict | None = None, source: str | None = None) -> Report:
    problem = solution.problem
    order = _order(solution)
    return Report(
        name=problem.name,
        source=source or str(problem.source_path),
        overrides=dict(overrides or {}),
        problem=_problem(solution, order),
        answer=_answer(solution, order),
        assignments=_assignments(solution, order),
        derivations=_derivations(solution, order),
        boundaries=_boundaries(solution, order),
        conventions=_conventions(solution),
        caveats=[_caveat(c, order) for c in solution.caveats],
        coordinates=list(solution.space.coordinates),
    )


# ---- the problem --------------------------------------------------------------------------------
def _problem(solution, order) -> dict:
    problem = solution.problem
    scales = []
    for scale in problem.scales:
        if scale.name == problem.predict:
            role = "predicted: the sample count P*"
            scales.append({"name": mf.Sym(scale.name), "role": role})
        elif scale.definition is None:
            scales.append({"name": mf.Sym(scale.name), "role": "independent large parameter"})
        else:
            scales.append(
                {
                    "name": mf.Row(
                        (
                            mf.Sym(scale.name),
                            mf.op("=", "="),
                            mf.from_sympy(scale.definition, order),
                        )
                    ),
                    "role": "tied"
                    + (
                        " (free exponents: answers are piecewise-linear in them)"
                        if sympy.sympify(scale.definition).free_symbols
                        & {sympy.Symbol(f, real=True) for f in problem.free_exponents}
                        else ""
                    ),
                }
            )
    kappa = sympy.sympify(problem.kappa)
    params = parameterization(problem)
    layers = []
    for row in params["rows"]:
        layers.append(row)
    return {
        "input": _input(problem),
        "teachers": [
            [
                mf.Row(
                    (
                        mf.Sym(t.name),
                        mf.op("\\sim", "\u223c"),
                        mf.sphere(mf.from_sympy(t.dim, order)),
                    )
                ),
                " (a unit vector, uniform on the sphere)",
            ]
            for t in problem.teachers
        ],
        "target": target_node(problem),
        "target_text": problem.target_text,
        "noise": mf.Row((mf.Sym("kappa"), mf.op("=", "="), mf.from_sympy(kappa, order))),
        "scales": scales,
        "layers": layers,
        "parameterization": params["name"],
        "parameterization_note": params["note"],
        "patterns": {
            name: (p.doc, [mf.Sym(x.name) for x in p.params])
            for name, p in problem.patterns.items()
            if any(
                name in choice.split(MIXED)
                for tried in problem.allowed_patterns.values()
                for choice in tried
            )
        },
        "tried": {layer: list(names) for layer, names in problem.allowed_patterns.items()},
        "n_assignments": len(solution.assignments),
        "predict": problem.predict,
    }


def _input(problem) -> Node:
    dim = mf.from_sympy(problem.input_dim)
    gauss = mf.Raw(
        "\\mathcal{N}(0, I_{" + dim.latex() + "})",
        '<mrow><mi mathvariant="script">N</mi><mo>(</mo><mn>0</mn><mo>,</mo><msub>'
        "<mi>I</mi>" + dim.mathml() + "</msub><mo>)</mo></mrow>",
    )
    node = mf.Row((mf.Sym(problem.input_name), mf.op("\\sim", "\u223c"), gauss))
    if problem.tokens is not None:
        return mf.row(
            node,
            mf.text(
                f", {problem.tokens} context tokens and a query token {problem.query_name}, i.i.d."
            ),
        )
    return node


def target_node(problem) -> Node:
    teachers = {t.name: t for t in problem.teachers}
    terms = []
    for term in problem.target:
        factors = []
        for name, degree in term.degrees:
            token = teachers[name].token or problem.input_name
            factors.append(mf.hermite(degree, name, token))
        coef = Fraction(int(sympy.Rational(term.coef).p), int(sympy.Rational(term.coef).q))
        if coef != 1:
            factors.insert(0, mf.Num(coef))
        terms.append(mf.Row(tuple(factors), "\\,") if len(factors) > 1 else factors[0])
    items: list = []
    for i, t in enumerate(terms):
        if i:
            items.append(mf.op("+", "+"))
        items.append(t)
    body = items[0] if len(items) == 1 else mf.Row(tuple(items))
    return mf.Row((mf.Sym("y"), mf.op("=", "="), body))


def parameterization(problem) -> dict:
    """Name the parameterization from the priors: every weight at 1/fan-in is standard (the NTK
    parameterization has the same prior over functions); hidden weights at 1/fan-in with the
    readout at 1/fan-in^2 is mean-field; anything else is custom, with the layers that differ."""
    tied = {}
    for scale in problem.scales:
        if scale.definition is not None:
            tied[sympy.Symbol(scale.name, positive=True)] = sympy.sympify(scale.definition)

    def plain(expr):
        expr = sympy.sympify(expr)
        expr = expr.subs({s: sympy.Symbol(s.name, positive=True) for s in expr.free_symbols})
        for _ in range(4):
            expr = expr.subs(tied)
        constants = {sympy.Symbol(c, positive=True): 1 for c in problem.constants}
        expr = expr.subs({s: sympy.Symbol(s.name, positive=True) for s in expr.free_symbols})
        return sympy.simplify(expr.subs(constants))

    widths = {layer.name: layer for layer in problem.layers}

    def fan_in_of(name):
        if name == problem.input_name or name not in widths:
            return problem.input_dim
        layer = widths[name]
        if layer.kind == "conv":
            return layer.width * layer.patches
        if layer.kind == "attention":
            return problem.input_dim
        return layer.width

    rows, kinds = [], []
    for layer in problem.layers:
        if layer.kind == "attention":
            fan_in = problem.input_dim**2
            where = (
                f"{layer.name} = softmax({layer.query} {layer.weight} {layer.input_name}) "
                f"{problem.readout.weight} {layer.input_name}"
            )
        elif layer.kind == "conv":
            fan_in = problem.input_dim
            where = (
                f"{layer.name} = {layer.activation.name}({layer.weight} {layer.input_name}) "
                f"on {layer.patches} patches"
            )
        else:
            fan_in = fan_in_of(layer.input_name)
            where = f"{layer.name} = {layer.activation.name}({layer.weight} {layer.input_name})"
        kind = _relative(plain(layer.variance), plain(fan_in))
        kinds.append(("hidden", kind))
        rows.append(
            {
                "name": layer.name,
                "map": where,
                "weight": layer.weight,
                "width": mf.from_sympy(layer.width),
                "prior": mf.from_sympy(layer.variance),
                "fan_in": mf.from_sympy(fan_in),
                "relative": _describe(kind),
                "patterns": ", ".join(problem.allowed_patterns.get(layer.name, ())),
                "kind": layer.kind,
            }
        )
    readout = problem.readout
    fan_in = fan_in_of(readout.input_name)
    kind = _relative(plain(readout.variance), plain(fan_in))
    kinds.append(("readout", kind))
    rows.append(
        {
            "name": readout.name,
            "map": f"{readout.name} = {readout.weight} \u00b7 {readout.input_name}",
            "weight": readout.weight,
            "width": mf.Num(Fraction(1)),
            "prior": mf.from_sympy(readout.variance),
            "fan_in": mf.from_sympy(fan_in),
            "relative": _describe(kind),
            "patterns": "(readout)",
            "kind": "readout",
        }
    )
    hidden = [k for role, k in kinds if role == "hidden"]
    last = kinds[-1][1]
    if all(k == 1 for k in hidden) and last == 1:
        name = "standard"
        note = (
            "every weight has prior variance 1/fan-in (the NTK parameterization, N(0,1) "
            "weights with a 1/sqrt(fan-in) multiplier, has the same prior over functions)"
        )
    elif all(k == 1 for k in hidden) and last == 2:
        name = "mean-field"
        note = "hidden weights at 1/fan-in, readout at 1/fan-in^2 (the 1/N readout of mean-field)"
    else:
        name = "custom"
        odd = [row["name"] for row, (_, k) in zip(rows, kinds) if k != 1]
        note = "prior variances as written in the file; not 1/fan-in for " + ", ".join(odd)
    return {"name": name, "note": note, "rows": rows}


def _relative(variance, fan_in):
    """1 when variance = 1/fan-in, 2 when 1/fan-in^2 (up to O(1) constants), else the ratio."""
    for power in (1, 2):
        ratio = sympy.simplify(variance * fan_in**power)
        if ratio.is_number:
            return power
    return sympy.simplify(variance * fan_in)


def _describe(kind) -> str:
    if kind == 1:
        return "1/fan-in"
    if kind == 2:
        return "1/fan-in\u00b2"
    return f"(1/fan-in) \u00d7 {kind}"


# ---- the answer ---------------------------------------------------------------------------------
def p_star_node(solution, value, order) -> Node:
    kappa = getattr(solution, "_kappa_form", None)
    body = mf.from_sympy(
        solution.space.monomial(value + kappa if kappa is not None else value), order
    )
    if getattr(solution, "_kappa_symbolic", True):
        body = mf.Row((mf.Sym("kappa"), body), "\\,")
    return mf.Row(
        (mf.Raw("P^*", "<msup><mi>P</mi><mo>*</mo></msup>"), mf.op("\\propto", "\u221d"), body)
    )


def _answer(solution, order) -> dict:
    form = solution.p_star_form()
    phases = []
    for index, phase in enumerate(solution.phases):
        phases.append(
            {
                "index": index + 1,
                "mechanism": mechanism_rich(phase.winners[0], dict(phase.piece.locked)),
                "short": short(phase.winners[0]),
                "tied": tied(phase),
                "p_star": p_star_node(solution, phase.value, order),
                "where": [mf.relation(r, order) for r in phase.region],
                "optimum": [_sim(k, v, order) for k, v in phase.piece.optimum.items()],
                "exponents": _exponent_text(
                    solution.p_star_exponents(phase.value), order + ("kappa",)
                ),
            }
        )
    single = form is not None
    first = solution.phases[0]
    return {
        "single": single,
        "p_star": p_star_node(solution, first.value, order) if single else None,
        "mechanism": mechanism_rich(first.winners[0], dict(first.piece.locked)) if single else None,
        "tied": tied(first) if single else [],
        "optimum": [_sim(k, v, order) for k, v in first.piece.optimum.items()] if single else [],
        "phases": phases,
        "coordinates": ", ".join(solution.space.coordinates),
        "winners": _distinct([p.winners[0] for p in solution.phases]),
        "data_limited": _data_limited(solution, order),
    }


def _data_limited(solution, order) -> dict | None:
    """Where P* falls below the samples any learner needs: the floor, the phases, and why."""
    limited = solution.data_limited
    if limited is None:
        return None
    below = []
    piecewise = solution.p_star_form() is None
    for short in limited.below:
        where = [] if short.everywhere else [mf.relation(short.relation, order)]
        name = mechanism(short.phase.winners[0])
        if piecewise:  # the phase's number, as the answer's table has it
            name = f"phase {solution.phases.index(short.phase) + 1}, {name}"
        below.append({"mechanism": name, "where": where})
    return {
        "floor": mf.from_sympy(limited.floor.expr, order),
        "below": below,
        "reason": limited.floor.reason,
    }


def _distinct(patterns_list) -> list:
    seen, out = set(), []
    for p in patterns_list:
        key = tuple(p.items())
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _exponent_text(exponents: dict, order: tuple = ()) -> str:
    keys = sorted(exponents, key=lambda k: (order.index(k) if k in order else len(order), k))
    return ", ".join(f"{k}: {exponents[k]}" for k in keys) or "0"


# ---- every assignment ---------------------------------------------------------------------------
def _assignments(solution, order) -> list:
    rows = []
    for result in solution.assignments:
        wins = [i + 1 for i, p in enumerate(solution.phases) if p.winners[0] == result.patterns]
        ties = [
            i + 1
            for i, p in enumerate(solution.phases)
            if result.patterns in p.winners[1:] or result.patterns in p.tied_in_part
        ]
        head = result.headline
        if head is None:
            status = result.status
        elif wins:
            status = ("wins in phase " if len(wins) == 1 else "wins in phases ") + ", ".join(
                map(str, wins)
            )
        elif ties:
            status = (
                "tied with the winner in phase "
                if len(ties) == 1
                else "tied with the winner in phases "
            ) + ", ".join(map(str, ties))
        else:
            status = "never the least energy"
        if head is not None and ties and wins:
            status += "; tied in " + ", ".join(map(str, ties))
        rows.append(
            {
                "patterns": result.patterns,
                "mechanism": mechanism(result.patterns),
                "energy": mf.from_sympy(solution.space.monomial(head.value), order)
                if head
                else None,
                "where": [mf.relation(r, order) for r in head.region] if head else [],
                "optimum": [_sim(k, v, order) for k, v in head.optimum.items()] if head else [],
                "exponents": _exponent_text(solution.space.exponents(head.value), order)
                if head
                else "",
                "status": status,
                "pieces": [
                    {
                        "energy": mf.from_sympy(solution.space.monomial(p.value), order),
                        "where": [mf.relation(r, order) for r in p.region],
                        "optimum": [_sim(k, v, order) for k, v in p.optimum.items()],
                        "binding": [_bound_node(b, solution.space, order) for b in _binding(p)],
                    }
                    for p in result.pieces
                ]
                if head
                else [],
                "winner": bool(wins),
            }
        )
    return rows


# ---- derivations in words -----------------------------------------------------------------------
def verb(pattern) -> str:
    """What a layer taking ``pattern`` does, read from the pattern's declared effect."""
    effect = pattern.effect
    if effect is None:
        return "stays lazy"
    if effect[0] == "spike":
        return "specializes" if effect[2] == "activation" else "magnetizes"
    if effect[0] == "amplify":
        return "learns features by Gaussian feature learning"
    return f"takes pattern {pattern.name}"


def _binding(piece) -> list[EnergyBound]:
    """The piece's binding bounds, as the lowering made them (the engine names them by label)."""
    by_label = {bound.label: bound for bound in piece.candidate.bounds}
    return [by_label[label] for label in piece.binding]


def _amplitudes(candidate) -> list:
    """A sentence naming the specialists' amplitudes (``lower._Context._amplitude``) that the
    energy uses, which no pattern declares."""
    names = sorted({b.amplitude for b in candidate.bounds if b.amplitude})
    if not names:
        return []
    return [
        " "
        + ", ".join(names)
        + (" is" if len(names) == 1 else " are")
        + " the specialists' amplitude: their pre-activation variance is that many times the "
        "layer's typical q, up to O(1) (docs/method.md section 2)."
    ]


def derivation(solution, piece, patterns: dict, order) -> list:
    """Paragraphs (rich text) saying how the piece's energy comes about."""
    problem, space = solution.problem, solution.space
    locked = dict(piece.locked)
    paragraphs = []
    what: list = []
    for layer, name in patterns.items():
        parts = problem.pattern_parts(name)
        if len(parts) > 1:  # a mixture: its groups and what each locks onto, in one phrase
            held = words(locked[layer]) if layer in locked else [name]
            what.append([f"layer {layer} holds a group of each pattern of {name} ("] + held + [")"])
            continue
        pattern = parts[0]
        item: list = [f"layer {layer} {verb(pattern)} ({name}"]  # rich
        if layer in locked:
            item.append(", locked onto ")
            item += words(Phrase(*locked[layer].parts[2:]))  # past "spec on ": what it holds
        if pattern.doc and pattern.effect is not None:
            item.append(f": {pattern.doc.split(': ', 1)[-1]}")
        item.append(")")
        what.append(item)
    mech: list = ["Mechanism: "]
    for i, item in enumerate(what):
        mech += (["; "] if i else []) + item
    paragraphs.append(mech + ["."] + _amplitudes(piece.candidate))

    candidate = piece.candidate
    terms = list(candidate.terms)
    energy_items: list = []
    for i, term in enumerate(terms):
        if i:
            energy_items.append(mf.op("+", "+"))
        energy_items.append(_mono_node(space.written(term.mono), order))
    energy = mf.Row((mf.Sym("E"), mf.op("=", "=")) + tuple(energy_items))
    roles: list = []
    for term in terms:
        roles.append([_mono_node(space.written(term.mono), order), " is the "] + words(term.role))
    sentence: list = ["The energy is ", energy, ", where "]
    for i, role in enumerate(roles):
        if i:
            sentence.append("; " if i < len(roles) - 1 else "; and ")
        sentence.extend(role)
    sentence.append(".")
    paragraphs.append(sentence)

    by_label = {space.label(t.mono): t for t in terms}  # the engine names a term by its label
    balanced = [_mono_node(space.written(by_label[b].mono), order) for b in piece.balanced]
    step: list = []
    if len(balanced) >= 2:
        step += (
            ["At the optimum the terms "]
            + joined(balanced)
            + [" balance (they are all of the same order)"]
        )
    elif balanced:
        step += ["A single term, ", balanced[0], ", sets the energy"]
    if piece.optimum:
        step += [", which fixes "] + joined([_sim(k, v, order) for k, v in piece.optimum.items()])
    step.append(". ")
    if piece.binding:
        bounds = [_bound_node(b, solution.space, order) for b in _binding(piece)]
        step += (
            ["The feasibility bound" + ("s " if len(bounds) > 1 else " ")]
            + joined(bounds)
            + [
                " bind"
                + ("" if len(bounds) > 1 else "s")
                + ": the optimum sits on "
                + ("them" if len(bounds) > 1 else "it")
                + "."
            ]
        )
    else:
        step.append("No feasibility bound binds.")
    paragraphs.append(step)
    value = solution.space.monomial(piece.value)
    paragraphs.append(
        [
            "Hence ",
            mf.Row((mf.Sym("E"), mf.op("\\sim", "\u223c"), mf.from_sympy(value, order))),
            " and ",
            p_star_node(solution, piece.value, order),
            ".",
        ]
    )
    return paragraphs


def _derivations(solution, order) -> list:
    out = []
    for index, phase in enumerate(solution.phases):
        out.append(
            {
                "index": index + 1,
                "mechanism": mechanism(phase.winners[0]),
                "tied": tied(phase),
                "where": [mf.relation(r, order) for r in phase.region],
                "paragraphs": derivation(solution, phase.piece, phase.winners[0], order),
            }
        )
    return out


# ---- boundaries, conventions --------------------------------------------------------------------
def _boundaries(solution, order) -> list:
    return [
        {"relation": mf.relation(rel, order), "a": mechanism(a), "b": mechanism(b)}
        for a, b, rel in solution.boundaries
    ]


def _caveat(caveat, order) -> list:
    """A caveat as rich text: its mathematics typeset where solve kept it apart (Caveat.parts)."""
    parts = getattr(caveat, "parts", (caveat,))
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, sympy.core.relational.Relational):
            out.append(mf.relation(part, order))
        else:
            out.append(mf.from_sympy(part, order))
    return out


def _conventions(solution) -> list:
    problem = solution.problem
    kappa = sympy.sympify(problem.kappa)
    notes = [
        "P* = \u03ba E to leading order in the large parameters: P*/\u03ba \u221d E(\u03b1 \u2248 "
        "1), "
        "the energy (minus the log prior probability) of the rarest prior event that already "
        "looks like a learned network. Constant factors are dropped everywhere; every exponent "
        "is an exact rational.",
        "The bound is a necessary condition, not a sufficient one: with fewer samples than P* "
        "the posterior cannot put O(1) mass on aligned networks; that it does so beyond P* is "
        "assumed, and simulations (scalelang validate) are the arbiter.",
        "The patterns are assumed, not derived: each layer takes one of the patterns allowed for "
        "it ("
        + "; ".join(
            f"{layer}: {', '.join(names)}" for layer, names in problem.allowed_patterns.items()
        )
        + f"), and all {len(solution.assignments)} assignments were tried. A mechanism outside "
        "this list could do better.",
        "The GFL cost (D/2 per neuron) and magnetization (cost \u03b2 times the feature's norm) "
        "are reconstructions of the paper's rules (docs/method.md).",
        "Domain: every large parameter is at least 1 (its log is non-negative); variational "
        "parameters respect their feasibility bounds (1 \u2264 M \u2264 N, D \u2265 1, features "
        "of O(1) variance, \u03b2 \u2264 N), which create the pieces where a bound binds.",
        "An assignment's energy in the table is its headline piece: the unconstrained balance "
        "where one exists (valid where stated), otherwise its first piece; its other pieces are "
        "listed under it.",
    ]
    if kappa.is_number:
        notes.append("\u03ba is an O(1) constant here and is kept as a symbol: P* \u221d \u03ba E.")
    else:
        notes.append(f"\u03ba = {kappa} scales with the problem and is folded into the exponents.")
    return notes
