"""The space the answers live in: coordinates, the logs of the scales, and the way back to maths.

Owns the decision of what an answer is a function of. Without free exponents, the coordinates are
the logs of the independent scales (d, N1, N2): answers are monomials, regions are cones, and
tied scales (``N = d^(3/2)``) are linear in them. With free exponents (``N1 = d^a1``), the base
scale's log is the unit and the coordinates are the free exponents themselves: answers are powers
of d whose exponents are affine in (a1, a2). Mixing the two would make logs bilinear, so a problem
with free exponents must have exactly one independent scale besides the predicted one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from scalelang.algebra.monomial import Mono, NotMonomial, mono_from_sympy
from scalelang.algebra.notation import canonical_order, show
from scalelang.exponents import Affine, Polyhedron, to_rational
from scalelang.problem import OVERRIDES, Problem
from scalelang.support.diagnostics import Diagnostic, ScaleError


@dataclass(frozen=True)
class ScaleSpace:
    coordinates: tuple[str, ...]
    log_of: dict  # scale name -> Affine over the coordinates
    domain: tuple  # Affine >= 0: every scale is at least 1
    unit: str | None  # the base scale when coordinates are free exponents
    symbols: dict  # name -> sympy Symbol, for scales and free exponents
    input_scale: str | None = None  # the input dimension, the last choice to solve a relation for
    # scale name -> the monomial in other scales it is tied to (``scale N = d^2``, ``--set N=d``);
    # a definition with free exponents (N1 = d^a1) is no monomial and keeps its name
    ties: dict = field(default_factory=dict)
    # the order of factors in every printed monomial (``notation.canonical_order``): kappa, the
    # input dimension, the widths, the other scales, the free exponents
    order: tuple = ()
    # (kind, form, ...) -> the sympy answer: a solution turns the same forms into maths many times,
    # and sympy's constructors cost more than the rest of a small solve
    _made: dict = field(default_factory=dict, compare=False, repr=False)

    def log(self, mono: Mono) -> Affine:
        """log of a monomial in the scales (names that are not scales are ignored)."""
        total = Affine()
        for name, exponent in mono.powers:
            if name in self.log_of:
                total = total + self.log_of[name] * exponent
        return total

    def holds(self, form: Affine) -> bool:
        """True if ``form >= 0`` wherever the scales may be (their domain and assumptions)."""
        region = self._remember(("region",), lambda: Polyhedron.make(self.coordinates, self.domain))
        return region.implies(form)

    def _remember(self, key: tuple, make):
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = make()
        return found

    def written(self, mono: Mono) -> Mono:
        """``mono`` (the lowering's, in the scales' names) with every scale tied to others by a
        monomial written in those, as the answer is: N/M is d/M where N = d. What the labels of
        terms and bounds show."""
        for _ in range(len(self.ties) + 1):  # a tie may name another tied scale
            tied = [(name, e) for name, e in mono.powers if name in self.ties]
            if not tied:
                break
            mono = Mono.of({name: e for name, e in mono.powers if name not in self.ties})
            for name, e in tied:
                mono = mono * self.ties[name] ** e
        return mono

    def label(self, mono: Mono) -> str:
        """The name of an energy's term, as the engine reports it balanced: ``d/M``."""
        return str(self.written(mono))

    def monomial(self, form: Affine) -> sympy.Expr:
        """The quantity whose log is ``form``: a monomial, or d**(affine in free exponents)."""
        return self._remember(("monomial", form), lambda: self._monomial(form))

    def _monomial(self, form: Affine) -> sympy.Expr:
        if self.unit is not None:
            exponent = _affine_to_sympy(form, self.symbols)
            if exponent.is_number:
                return self.symbols[self.unit] ** exponent
            # Unevaluated: a positive scale to an affine exponent has nothing to simplify, and
            # sympy's evaluation asks its assumption system about the exponent (most of a small
            # solve's time when free exponents are written out).
            return sympy.Pow(self.symbols[self.unit], exponent, evaluate=False)
        result = sympy.Integer(1)
        for name, coefficient in form.coeffs.items():
            result *= self.symbols[name] ** to_rational(coefficient)
        return result

    def exponents(self, form: Affine) -> dict[str, str]:
        """Exponent strings per scale, e.g. {"d": "1/3", "N1": "1/3"} (zero exponents omitted)."""
        return dict(self._remember(("exponents", form), lambda: self._exponents(form)))

    def _exponents(self, form: Affine) -> dict[str, str]:
        if self.unit is not None:
            text = str(_affine_to_sympy(form, self.symbols))
            return {} if text == "0" else {self.unit: text}
        return {name: str(to_rational(c)) for name, c in form.coeffs.items()}

    def relation(self, form: Affine, op: str = ">=") -> sympy.Basic:
        """``form op 0`` as a relation between scales: N1 >= sqrt(N2*d), or a1 >= 1."""
        return self._remember(("relation", form, op), lambda: self._relation(form, op))

    def _relation(self, form: Affine, op: str) -> sympy.Basic:
        pivot = self._pivot(form)
        if pivot is None:
            return sympy.Rel(to_rational(form.const), 0, op)
        if form.coeff(pivot) < 0:
            return self.relation(form * -1, _flip(op))
        form = form * (1 / form.coeff(pivot))
        left = self.symbols[pivot]
        rest = Affine({pivot: 1}) - form
        # Built unevaluated: a scale against a different monomial is never decided by sympy, and
        # asking its assumption system costs more than the rest of a solve.
        if self.unit is not None:  # a1 >= 1, a1 >= a2/2 + 1/2: exponents, not scales
            return sympy.Rel(left, _affine_to_sympy(rest, self.symbols), op, evaluate=False)
        return sympy.Rel(left, self.monomial(rest), op, evaluate=False)

    def _pivot(self, form: Affine) -> str | None:
        """The scale a relation is solved for: a width before the input dimension, then the one
        with the largest coefficient (N1 >= sqrt(N2*d), N2 >= d**5, N <= d**(1/3))."""
        names = [n for n in self.coordinates if form.coeff(n) != 0]
        if not names:
            return None
        return max(
            names, key=lambda n: (n != self.input_scale, abs(form.coeff(n)), -names.index(n))
        )


def scale_space(problem: Problem) -> ScaleSpace:
    """Coordinates and logs for the problem's scales, after overrides. An error may point into
    the --set text (a scale or the noise it replaced), so it carries that text for printing."""
    try:
        return _scale_space(problem)
    except ScaleError as error:
        if problem.override_text:
            error.sources.setdefault(OVERRIDES, problem.override_text)
        raise


def _scale_space(problem: Problem) -> ScaleSpace:
    _refuse_predicted_scale(problem)
    symbols = {s.name: sympy.Symbol(s.name, positive=True) for s in problem.scales}
    symbols.update({f: sympy.Symbol(f, real=True) for f in problem.free_exponents})
    independent = [
        s.name for s in problem.scales if s.definition is None and s.name != problem.predict
    ]
    free = tuple(problem.free_exponents)
    if free:
        if len(independent) != 1:
            raise ScaleError(
                [
                    Diagnostic(
                        _span_of(problem, free[0]),
                        f"free exponents ({', '.join(free)}) need exactly one independent scale "
                        f"to be powers of; found {', '.join(independent) or 'none'}",
                        hint="tie the other scales to it, e.g. 'scale L = d^b'",
                    )
                ]
            )
        unit = independent[0]
        coordinates = free
        log_of = {unit: Affine.constant(1)}
    else:
        unit = None
        coordinates = tuple(independent)
        log_of = {name: Affine.var(name) for name in independent}
    for scale in problem.scales:
        if scale.definition is not None:
            log_of[scale.name] = _log_of_definition(scale, log_of, symbols, problem)
    scale_forms = {name: form for name, form in log_of.items() if name != problem.predict}
    _require_large_scales(problem, coordinates, scale_forms)
    domain = tuple(dict.fromkeys(form for form in scale_forms.values() if not form.is_constant()))
    assumptions = tuple(
        _assumption_form(problem, small, large, span, log_of)
        for small, large, span in getattr(problem, "assumptions", ())
    )
    _require_a_region(problem, coordinates, domain, assumptions, unit is None)
    domain += assumptions
    input_scale = getattr(sympy.sympify(problem.input_dim), "name", None)
    space = ScaleSpace(
        coordinates, log_of, domain, unit, symbols, input_scale, _ties(problem), _order(problem)
    )
    _require_wide_layers(problem, space)
    return space


def _order(problem: Problem) -> tuple:
    """``ScaleSpace.order``: the scales of the input dimension, then those of the layers' widths,
    then the rest, each group in the order the file declares its scales."""
    declared = [scale.name for scale in problem.scales]

    def named(*exprs) -> set:
        return {s.name for e in exprs for s in sympy.sympify(e).free_symbols}

    inputs = named(problem.input_dim)
    widths = named(*(layer.width for layer in problem.layers)) - inputs
    return canonical_order(
        [n for n in declared if n in inputs],
        [n for n in declared if n in widths],
        declared,
        problem.free_exponents,
    )


def _ties(problem: Problem) -> dict:
    """``ScaleSpace.ties``: each scale defined as a monomial of others (constants dropped)."""
    constants = set(getattr(problem, "constants", {}) or {})
    ties = {}
    for scale in problem.scales:
        if scale.definition is not None and scale.name != problem.predict:
            try:
                ties[scale.name] = mono_from_sympy(scale.definition, constants)
            except NotMonomial:
                pass
    return ties


def _require_wide_layers(problem, space: ScaleSpace) -> None:
    """A width (neurons, channels, heads) is a count: at least 1 wherever the scales and the
    assumptions allow (``width d^-1`` was solved as if it made sense). Blame the first layer
    whose width falls below 1 somewhere, at the layer."""
    constants = set(getattr(problem, "constants", {}) or {})
    for layer in problem.layers:
        form = space.log(mono_from_sympy(sympy.sympify(layer.width), constants))
        if space.holds(form):
            continue
        where = "" if form.is_constant() else f" where {space.relation(form, '<')}"
        raise ScaleError(
            [
                Diagnostic(
                    layer.width_span or layer.span,
                    f"layer {layer.name} has width {show(layer.width)}, below 1{where}: "
                    "a width counts neurons and must be at least 1",
                    hint="use a width that grows with the scales (N, d^(1/2), ...), or an assume "
                    "line that keeps it at least 1",
                )
            ]
        )


def _refuse_predicted_scale(problem: Problem) -> None:
    """The predicted scale (P) is the unknown: it may not set a width, a prior or the noise."""
    predicted = problem.predict
    places = [
        (span or layer.span, f"layer {layer.name}", expr)
        for layer in problem.layers
        for span, expr in ((layer.width_span, layer.width), (layer.variance_span, layer.variance))
    ]
    readout = problem.readout
    places.append(
        (readout.variance_span or readout.span, f"readout {readout.name}", readout.variance)
    )
    places.append((problem.noise_span or problem.readout.span, "the noise", problem.kappa))
    problems = [
        Diagnostic(
            span,
            f"{where} uses {predicted}, the scale being predicted",
            hint=f"{predicted} is the answer; widths, priors and noise must not depend on it",
        )
        for span, where, expr in places
        if any(getattr(s, "name", None) == predicted for s in sympy.sympify(expr).free_symbols)
    ]
    if problems:
        raise ScaleError(problems)


def _require_large_scales(problem, coordinates, scale_forms: dict) -> None:
    """Every scale is a large parameter: one defined (or --set) as a negative power of the others,
    such as ``N = d^-1``, leaves no region where all are large. Blame the first such scale, in
    declaration order, at its name.

    The rows ``log scale >= 0`` only shrink the region as they are added, so the first scale that
    empties it is found by bisection over the prefixes: a few exact LPs, not one per scale."""
    scales, rows = [], []  # the scales that give a row, and each one's row
    first_negative = None  # the first scale that is a constant below 1
    for scale in problem.scales:
        form = scale_forms.get(scale.name)
        if form is None:
            continue
        if form.is_constant():
            if form.const < 0 and first_negative is None:
                first_negative = scale
            continue
        scales.append(scale)
        rows.append(form)

    def open_region(count: int) -> bool:
        return (
            bool(coordinates) and Polyhedron.make(coordinates, rows[:count]).is_full_dimensional()
        )

    blamed = first_negative
    if rows and not open_region(len(rows)):
        low, high = 0, len(rows)  # rows[:low] leave a region, rows[:high] do not
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if open_region(middle) else (low, middle)
        culprit = scales[high - 1]
        order = [s.name for s in problem.scales]
        if blamed is None or order.index(culprit.name) < order.index(blamed.name):
            blamed = culprit
    if blamed is not None:
        raise ScaleError(
            [
                Diagnostic(
                    blamed.span,
                    f"scale {blamed.name} = {show(blamed.definition)} is not large where the "
                    "other scales are: every scale must be at least 1 and grow",
                    hint="a definition or --set value such as d^-1 makes a scale small; scales "
                    "are the large parameters (O(1) quantities are constants)",
                )
            ]
        )


def _require_a_region(
    problem, coordinates, domain, assumptions, scales_are_coordinates: bool
) -> None:
    """Assumptions hold on an open region of the (large) scales: if together they leave none (for
    example ``assume L <= d`` with ``--set L=d^2``), nothing can be solved. Say so at the first
    assumption that, with the scales and the assumptions before it, leaves no region."""
    if not coordinates:
        return
    spans = [span for _, _, span in getattr(problem, "assumptions", ())]
    rows = list(domain)
    for form, span in zip(assumptions, spans):
        rows.append(form)
        region = Polyhedron.make(coordinates, rows)
        if not region.is_full_dimensional():
            before = " and the assumptions above it" if len(rows) > len(domain) + 1 else ""
            hint = "check it against the scale definitions and any --set values"
            if scales_are_coordinates and _grows(region, coordinates):
                hint = (
                    "what is left is an equality between scales (such as N = d): state it as a "
                    "scale definition, `scale N = d`, or with --set N=d"
                )
            raise ScaleError(
                [
                    Diagnostic(
                        span,
                        f"this assumption leaves no region of the scales where it holds, given the "
                        f"scales' definitions{before}",
                        hint=hint,
                    )
                ]
            )


def _grows(region, coordinates) -> bool:
    """Whether the set has points where every scale grows (log >= 1), not only its corner at 1:
    the rows are homogeneous, so any point with every log positive scales up to one."""
    try:
        (region & [Affine.var(c) - 1 for c in coordinates]).minimum(Affine.constant(0))
    except ValueError:
        return False
    return True


def _assumption_form(problem, small, large, span, log_of) -> Affine:
    """``small <= large`` as log(large) - log(small) >= 0 over the coordinates.

    As written it must relate scales (``assume 2 <= 3`` and ``assume d <= d`` are errors); once
    definitions or --set values tie its sides it may become a comparison of numbers, which then
    always holds, or leaves no region (``_require_a_region`` says so at the line)."""
    ignore = set(getattr(problem, "constants", {}) or {})
    total = Affine()
    written: dict = {}
    for expr, sign in ((large, 1), (small, -1)):
        for base, exponent in sympy.sympify(expr).as_powers_dict().items():
            name = getattr(base, "name", None)
            if base.is_number or name in ignore:
                continue
            if name == problem.predict:
                raise ScaleError(
                    [
                        Diagnostic(
                            span, f"an assumption may not involve {name}, the scale being predicted"
                        )
                    ]
                )
            power = _fraction(exponent, span, f"the exponent of {name}")
            written[name] = written.get(name, 0) + sign * power
            total = total + log_of[name] * (sign * power)
    if not any(written.values()):
        raise ScaleError(
            [
                Diagnostic(
                    span,
                    "this assumption relates no scales: it always holds or never does",
                    hint="write a relation such as `assume L <= d`",
                )
            ]
        )
    return total


def _log_of_definition(scale, log_of, symbols, problem) -> Affine:
    total = Affine()
    for base, exponent in sympy.sympify(scale.definition).as_powers_dict().items():
        if base.is_number:
            continue
        name = getattr(base, "name", None)
        if name not in log_of:
            raise ScaleError(
                [
                    Diagnostic(
                        scale.span,
                        f"scale {scale.name} is defined through "
                        f"{base}, which is not an earlier scale",
                    )
                ]
            )
        exponent_form = _sympy_to_affine(sympy.sympify(exponent), scale)
        if exponent_form.is_constant():
            total = total + log_of[name] * exponent_form.const
        elif log_of[name].is_constant():
            total = total + exponent_form * log_of[name].const
        else:
            raise ScaleError(
                [
                    Diagnostic(
                        scale.span,
                        f"the exponent of {base} in {scale.name} must "
                        "be a number or affine in the free exponents",
                    )
                ]
            )
    return total


def _sympy_to_affine(expr: sympy.Expr, scale) -> Affine:
    poly = sympy.Poly(expr, *sorted(expr.free_symbols, key=str)) if expr.free_symbols else None
    if poly is None:
        return Affine.constant(_fraction(expr, scale.span, f"the exponent in scale {scale.name}"))
    if poly.total_degree() > 1:
        raise ScaleError(
            [
                Diagnostic(
                    scale.span,
                    f"the exponent {expr} in scale {scale.name} must be "
                    "affine in the free exponents",
                )
            ]
        )
    what = f"the exponent in scale {scale.name}"
    coeffs = {str(s): _fraction(expr.coeff(s), scale.span, what) for s in expr.free_symbols}
    const = _fraction(expr.subs({s: 0 for s in expr.free_symbols}), scale.span, what)
    return Affine(coeffs, const)


def _fraction(value, span, what: str) -> Fraction:
    """An exact rational; anything else (sqrt(2), pi) is the user's error at ``span``.

    Decimals in the file are already exact rationals (0.3333 is 3333/10000), so nothing is guessed.
    """
    value = sympy.sympify(value)
    if not value.is_Rational:
        raise ScaleError(
            [
                Diagnostic(
                    span,
                    f"{what} is {value}, which is not a rational number",
                    hint="scaling exponents are exact rationals, e.g. 1/2 or 0.75",
                )
            ]
        )
    return Fraction(int(value.p), int(value.q))


def _affine_to_sympy(form: Affine, symbols: dict) -> sympy.Expr:
    result = to_rational(form.const)
    for name, coefficient in form.coeffs.items():
        result += to_rational(coefficient) * symbols[name]
    return result


def _flip(op: str) -> str:
    return {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "=="}[op]


def _span_of(problem: Problem, free: str):
    for scale in problem.scales:
        if scale.definition is not None and sympy.Symbol(free, real=True) in sympy.sympify(
            scale.definition
        ).free_symbols | {
            s for s in sympy.sympify(scale.definition).free_symbols if s.name == free
        }:
            return scale.span
    return problem.scales[0].span
