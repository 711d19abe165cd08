"""Lowering: a checked problem to candidate energies, one set per pattern assignment.

Owns docs/method.md sections 2, 4 and 5 as code: walking the layers with the kernel-norm tracker,
applying each layer's pattern (as declared in stdlib/patterns.scale), and writing the energy
E = sum of layer costs + a_y as posynomials in the scales and the variational parameters.

Where a feature can reach a layer by several routes (lazily, or through an upstream spike), its
norm is the smallest of the routes' norms; since the energy is minimized, each combination of
routes becomes its own candidate posynomial and the assignment's energy is the least of them.
A candidate in which some pattern's parameter brings no benefit (appears in no term with a
negative power) is dropped: it is the same network with that layer lazy, which is a separate
assignment. It does not solve anything: ``solve`` hands the candidates to the exponent engine.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from itertools import combinations, product

import sympy

from scalelang.algebra.hermite import (
    Graded,
    biased_content,
    graded,
    hermite_content,
    homogeneity_degree,
    lazy_content,
)
from scalelang.algebra.monomial import ONE, Mono, mono_from_sympy, posynomial_from_sympy
from scalelang.problem import Layer, Pattern, Problem
from scalelang.theory.kernels import (
    BULK,
    Algebra,
    Feature,
    Kernel,
    add_spike,
    amplify,
    carried_features,
    hadamard,
    hadamard_powers,
    input_kernel,
    lazy_map,
    logit_kernel,
    output_variance,
    token_kernel,
)
from scalelang.theory.phrases import Combined, Hermites, Phrase
from scalelang.theory.scales import ScaleSpace

WIDTH = "width"
NORM = "norm"
AMPLITUDE = "<amplitude>"  # a specialist's amplitude among a pattern's params (``_amplitude``)


@dataclass(frozen=True)
class Combination:
    """He1 of a unit combination sum_t ±t/sqrt(n) of several teachers' directions: what groups of
    specialists lock onto for a target term that multiplies those teachers' projections
    (docs/method.md, section 4, "Combinations"). ``teachers``: their indices."""

    teachers: tuple[int, ...]


@dataclass(frozen=True)
class EnergyTerm:
    """One monomial of an energy, with the role it plays (for the derivation in words)."""

    mono: Mono
    role: Phrase


@dataclass(frozen=True)
class EnergyBound:
    """``mono <= 1``, shown to the user as ``label``; ``amplitude`` names the specialists'
    amplitude it bounds (``_Context._amplitude``), which no pattern declares. ``lhs <= rhs``
    is the same bound as the label writes it (monomials), ``note`` the label's comment."""

    mono: Mono
    label: str
    amplitude: str | None = None
    lhs: Mono = ONE
    rhs: Mono = ONE
    note: str = ""


@dataclass(frozen=True)
class Candidate:
    """One posynomial energy: an assignment with one choice of locked features and routes."""

    terms: tuple[EnergyTerm, ...]
    bounds: tuple[EnergyBound, ...]
    variables: tuple[str, ...]
    # (layer, Phrase "spec on He1(w . x)", parts: pattern name, " on ", Hermites) per non-lazy layer
    locked: tuple[tuple[str, Phrase], ...]
    # (layer, the pattern's parameter, its variable in the energy): ("h2", "M", "M2")
    parameters: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Assignment:
    """One pattern per layer, with every candidate energy it allows."""

    patterns: tuple[tuple[str, str], ...]  # (layer name, pattern name)
    candidates: tuple[Candidate, ...]
    uncarried: tuple[Phrase, ...]  # target terms that no route brings to the readout (Hermites)


@dataclass(frozen=True)
class Lowered:
    assignments: tuple[Assignment, ...]
    input_variances: tuple  # (layer name, q_l as a Mono, regime): _Context._regimes


def lower(problem: Problem, space: ScaleSpace, tick=None) -> Lowered:
    """Every assignment the ``patterns`` lines allow, with its candidate energies (``space``:
    the problem's scales, which decide where each layer's pre-activation variance is small).
    ``tick`` is called before each pattern of each layer is applied (a caller's progress, or its
    way to stop a long lowering)."""
    context = _Context(problem, space)
    context.tick = tick or (lambda: None)
    layers = problem.layers
    assignments = []

    def walk(index: int, chosen: tuple, partials: list) -> None:
        """Depth-first over layers, so that every prefix of patterns is propagated once."""
        if index == len(layers):
            assignments.append(context.finish(chosen, partials))
            return
        layer = layers[index]
        for name in problem.allowed_patterns[layer.name]:
            if tick is not None:
                tick()
            advanced = [p2 for p in partials for p2 in context.apply(index, layer, name, p)]
            walk(index + 1, chosen + (name,), _distinct(advanced))

    walk(0, (), [context.start()])
    return Lowered(tuple(assignments), context.lazy_variances())


class _Context:
    """Per-problem facts the walk needs: monomials of widths and priors, the feature algebra."""

    tick = staticmethod(lambda: None)  # ``lower``'s caller hears of each step through it

    def __init__(self, problem: Problem, space: ScaleSpace):
        self.problem = problem
        self._space = space
        self._lazy_maps: dict = {}
        self._carried_sets: dict = {}
        ignore = set(getattr(problem, "constants", {}) or {})
        written: dict = {}  # a width or prior, read for every pattern of every walk

        def monos(expr) -> Mono:
            if expr not in written:
                written[expr] = space.written(mono_from_sympy(expr, ignore))
            return written[expr]

        self.monos = monos
        self.teachers = [t.name for t in problem.teachers]
        target_degree = max(sum(k for _, k in term.degrees) for term in problem.target)
        self.target_degree = target_degree
        lower_bounded = {
            p.name
            for pat in problem.patterns.values()
            for p in pat.params
            if _at_least_one(p.lower)
        } | {self._amplitude_param}
        scale_names = {s.name for s in problem.scales}
        self.algebra = Algebra(
            teachers=len(self.teachers),
            max_degree=self._feature_degree(problem, target_degree),
            bulk=self.monos(problem.input_dim) ** -1,
            at_least_one=frozenset(
                scale_names
                | {self._var_name(n, i) for n in lower_bounded for i in range(len(problem.layers))}
            ),
        )

    @staticmethod
    def _feature_degree(problem: Problem, target_degree: int) -> int:
        """The highest degree a kernel's features keep. Features above the target's degree reach
        it only as products of two of them (a layer's specialists output He3 alone, a following
        x^2 layer squares it into He2: docs/method.md, section 2), so up to twice the target's
        degree they are kept where that is cheap: networks of at most two layers and one teacher
        (elsewhere the extra features multiply every kernel's routes); elsewhere, the target's
        degree."""
        small = len(problem.layers) <= 2 and len(problem.teachers) <= 1
        return 2 * target_degree if small else target_degree

    def lazy_variances(self) -> tuple:
        """``(layer name, q_l, regime)`` for every layer (``_regimes``)."""
        return tuple((name, q, regime) for name, (q, regime) in self._regimes.items())

    @cached_property
    def _regimes(self) -> dict:
        """Per layer, its pre-activation variance q (patterns keep it) and how its neurons'
        output grows with q (docs/method.md section 2, "Variance"):
        - ``power``: a power law of degree p (and an attention head's linearized softmax): q^p;
        - ``unit``: q of order one, the Hermite content at unit variance;
        - ``taylor``: q <= 1 everywhere and small somewhere, phi analytic at 0: its Taylor
          regime (``hermite.Graded``), whatever the scales;
        - ``large`` (q >= 1 everywhere), ``mixed`` (neither) and ``small`` (no Taylor series at
          0, relu + erf): taken at unit variance, with a caveat (``solve``); ``logits``: an
          attention head whose logits are not O(1) (hard attention), also a caveat.
        The next layer's q follows from this one's regime, so they are found in order."""
        space = self._space
        variance = self._first_kernel().variance
        out = {}
        for index, layer in enumerate(self.problem.layers):
            p = self._homogeneity(layer)
            form = space.log(variance)
            small, large = space.holds(-form), space.holds(form)
            if layer.kind == "attention":  # linear response at O(1) logits (_homogeneity)
                regime, response = ("power" if small else "logits"), p
            elif p is not None:
                regime, response = "power", p
            elif small and large:
                regime, response = "unit", None
            elif small:
                response = graded(layer.activation.expr, self.algebra.max_degree)
                regime = "taylor" if response is not None else "small"
            else:
                regime, response = ("large" if large else "mixed"), None
            out[layer.name] = (variance, regime)
            variance = self._next_scale(index) * output_variance(variance, response)
        return out

    def _response(self, layer: Layer, constant: bool) -> tuple:
        """``(response, content, powers)`` of a layer whose input kernel has (``constant``) or
        has not a constant part: how its output grows with q (``kernels.lazy_map``), the degrees
        a neuron carries, and the powers its lazy map forms."""
        expr, top = layer.activation.expr, self.algebra.max_degree
        regime = self._regimes[layer.name][1]
        if regime == "taylor":
            response = graded(expr, top, constant)
            return response, response.content, response.powers
        response = self._homogeneity(layer) if regime == "power" else None
        return response, hermite_content(expr, top), lazy_content(expr, top, constant)

    def _first_kernel(self) -> Kernel:
        """The kernel feeding the first layer: Q_1 = v_1 x.x', or for an attention head the
        logit kernel v_W (q.q')(x_l.x_l')."""
        first = self.problem.layers[0]
        dim = self.monos(self.problem.input_dim)
        if first.kind == "attention":
            query, context = self._token_teachers()
            return logit_kernel(self.algebra, self.monos(first.variance), dim, query, context)
        return input_kernel(self.algebra, self.monos(first.variance), dim)

    def _token_teachers(self) -> tuple[list[int], list[int]]:
        """Indices of the teachers the target projects onto the query token, and the others."""
        query = self.problem.query_name
        on_query = [i for i, t in enumerate(self.problem.teachers) if query and t.token == query]
        return on_query, [i for i in range(len(self.teachers)) if i not in on_query]

    @staticmethod
    def _homogeneity(layer: Layer) -> int | Fraction | None:
        """An attention head's linearized softmax L*A_l = 1 + s_l - mean(s) is linear response:
        its logit part keeps absolute eigenvalues (degree 1), whatever the logits' variance."""
        if layer.kind == "attention":
            return 1
        return homogeneity_degree(layer.activation.expr)

    def _readout_kernel(self, kernel: Kernel) -> Kernel:
        """The kernel the target is measured in. For an attention head, the value map: the head
        output f = sum_l A_l (V . x_l) has E_V[f f'] = v_V sum_l,l' A_l A'_l' (x_l . x'_l'). The
        factor v_V H is already in ``kernel`` (the readout's variance times the width, as for any
        layer); with A_l = (1 + s_l - mean s)/L, the token-averaged feature sum_l F(q, x_l) G(x_l)
        / sqrt(L) has eigenvalue (1/L) lambda_A(F) lambda_x(G): the Hadamard product of the
        attention kernel with the context token's x.x', scaled by 1/L."""
        layer = self.problem.layers[-1]
        if layer.kind != "attention":
            return kernel
        _, context = self._token_teachers()
        value = token_kernel(self.algebra, self.monos(self.problem.input_dim), context)
        return hadamard(self.algebra, kernel, value, self.monos(self.problem.tokens) ** -1)

    # ---- naming -------------------------------------------------------------------------------
    @cached_property
    def _param_layers(self) -> Counter:
        counts: Counter = Counter()
        for layer in self.problem.layers:
            patterns = [
                pattern
                for choice in self.problem.allowed_patterns[layer.name]
                for pattern in self.problem.pattern_parts(choice)
            ]
            names = {p.name for pattern in patterns for p in pattern.params}
            if any(_grows_with_amplitude(pattern) for pattern in patterns):
                names.add(self._amplitude_param)  # named before the regimes are known
            counts.update(names)
        return counts

    @cached_property
    def _small_variance_layers(self) -> frozenset:
        """Layers whose pre-activation variance q (an attention head's: its logits') is at most
        1 and small somewhere, with a Taylor or power-law response: a feature there may grow
        beyond the typical size sqrt(q), up to O(1) (GFL's bound, ``_amplitude``)."""
        space = self._space
        return frozenset(
            name
            for name, (q, regime) in self._regimes.items()
            if regime in ("taylor", "power")
            and space.holds(-space.log(q))
            and not space.holds(space.log(q))
        )

    @cached_property
    def _amplitude_layers(self) -> frozenset:
        """The small-variance layers whose specialists get an amplitude (``_amplitude``): not an
        attention head, whose "specialist" would be a head and has no such derivation here."""
        return frozenset(
            name for name in self._small_variance_layers if self._layer(name).kind != "attention"
        )

    def _layer(self, name: str) -> Layer:
        return next(layer for layer in self.problem.layers if layer.name == name)

    @cached_property
    def _amplitude_param(self) -> str:
        """The amplitude's name: A, unless the file already uses A (a scale, a constant, a
        pattern's parameter), then Amp, ..."""
        problem = self.problem
        taken = {p.name for pattern in problem.patterns.values() for p in pattern.params}
        taken |= {s.name for s in problem.scales} | set(problem.free_exponents)
        taken |= set(problem.constants) | {problem.noise_name}
        return next(name for name in ("A", "Amp", "Amplitude", "A_spec") if name not in taken)

    def _var_name(self, param: str, index: int) -> str:
        """M for a one-layer choice, M1, M2 ... when the same parameter can occur in several
        layers."""
        return f"{param}{index + 1}" if self._param_layers[param] > 1 else param

    # ---- the walk -----------------------------------------------------------------------------
    def start(self) -> "_Partial":
        """The walk before any layer: the input kernel, no cost yet."""
        return _Partial(self._first_kernel(), (), (), (), ())

    def finish(self, patterns: tuple[str, ...], partials: list) -> Assignment:
        """The assignment's candidate energies: each walk's costs plus a_y by each route."""
        layers = self.problem.layers
        candidates, uncarried = {}, set()
        for partial in partials:
            self.tick()
            routes, missing = self._target_routes(self._readout_kernel(partial.kernel))
            uncarried |= missing
            if missing:
                continue
            for candidate in self._candidates(partial, routes):
                self.tick()
                # The same energy by another locked feature adds nothing: keep the first.
                candidates.setdefault((frozenset(candidate.terms), candidate.bounds), candidate)
        named = tuple((layer.name, name) for layer, name in zip(layers, patterns))
        return Assignment(named, tuple(candidates.values()), tuple(sorted(uncarried)))

    def _lazy_map(self, algebra, kernel: Kernel, powers, scale, response) -> Kernel:
        """``kernels.lazy_map``, remembered: walks through different patterns often reach the
        same kernel."""
        key = (algebra, kernel.variance, frozenset(kernel.eigen.items()), powers, scale, response)
        if key not in self._lazy_maps:
            self._lazy_maps[key] = lazy_map(algebra, kernel, powers, scale, response)
        return self._lazy_maps[key]

    def apply(self, index: int, layer: Layer, choice: str, partial: "_Partial"):
        """Every way this layer can take an allowed choice: a pattern, or a mixture's groups."""
        parts = self.problem.pattern_parts(choice)
        if len(parts) > 1:
            return self._apply_mixture(index, layer, parts, partial)
        return self._apply(index, layer, parts[0], partial)

    def _apply(self, index: int, layer: Layer, pattern: Pattern, partial: "_Partial"):
        """Every way this layer can take ``pattern``: one per lockable feature, with its effects."""
        scale = self._next_scale(index)
        constant, biased = self._constant_part(partial.kernel)
        response, content, powers = self._response(layer, constant)
        if pattern.effect is None:
            algebra = self.algebra.with_bounds(b.mono for b in partial.bounds)
            yield partial.advanced(self._lazy_map(algebra, partial.kernel, powers, scale, response))
            return
        width = self.monos(layer.width)
        params, bounds = self._parameters(index, layer, pattern, partial.kernel.variance)
        algebra = self.algebra.with_bounds(b.mono for b in partial.bounds + bounds)
        lockable = self._lockable(
            pattern, layer, (content, response), partial.kernel, algebra, biased
        )
        for feature in lockable:
            cost_choices = self._cost_choices(
                pattern, params, width, partial.kernel, feature, layer
            )
            yield from self._effect(
                algebra,
                pattern,
                params,
                partial,
                feature,
                (content, powers, biased),
                response,
                scale,
                layer,
                cost_choices,
                bounds,
            )
        for features in self._group_choices(lockable):
            groups = [(pattern, feature) for feature in features]
            yield self._groups_effect(
                index, layer, partial, groups, (content, powers, biased), response
            )

    def _apply_mixture(self, index: int, layer: Layer, patterns: tuple, partial: "_Partial"):
        """Every way this layer can hold one group of each of ``patterns`` (a mixture, ``spec +
        gfl``), each on its own direction: a teacher's lowest-degree feature that pattern may
        lock onto, or a combination (``_directions``). Groups of one pattern on the same
        directions in another order are the same layer: one order is kept."""
        constant, biased = self._constant_part(partial.kernel)
        response, content, powers = self._response(layer, constant)
        options = []
        for pattern in patterns:
            _, bounds = self._parameters(index, layer, pattern, partial.kernel.variance)
            algebra = self.algebra.with_bounds(b.mono for b in partial.bounds + bounds)
            lockable = self._lockable(
                pattern, layer, (content, response), partial.kernel, algebra, biased
            )
            options.append(self._directions(lockable))
        for chosen in product(*(sorted(o, key=str) for o in options)):
            repeated = any(
                patterns[i] == patterns[j] and str(chosen[i]) >= str(chosen[j])
                for i, j in combinations(range(len(chosen)), 2)
            )
            if repeated or len(set(chosen)) < len(chosen):
                continue
            groups = [(p, o[d]) for p, o, d in zip(patterns, options, chosen)]
            yield self._groups_effect(
                index, layer, partial, groups, (content, powers, biased), response
            )

    @cached_property
    def _group_teachers(self) -> frozenset:
        """The teachers of the target's terms, when they are more than one: the directions a
        layer may hold a group on each (docs/method.md, section 4, "Groups"): one per term of a
        sum, one per factor of a product (GFL amplifies each factor's direction). Empty for one
        teacher, and for networks with other than dense layers (a specialist of an attention
        head or a convolution has no group derivation here)."""
        used = {t for term in self.problem.target for t, k in term.degrees if k}
        if len(used) < 2 or any(layer.kind != "dense" for layer in self.problem.layers):
            return frozenset()
        return frozenset(self.teachers.index(t) for t in used)

    def _directions(self, lockable: list) -> dict:
        """The directions a group may hold, each with the feature its group locks onto: a
        teacher in ``_group_teachers`` (its lowest-degree lockable feature: a higher one of the
        same teacher carries no degree a group needs that the lowest does not reach more cheaply)
        or a ``Combination`` of a product term's teachers (itself)."""
        per_direction: dict = {}
        for feature in lockable:
            if isinstance(feature, Combination):
                per_direction[feature] = feature
                continue
            support = [t for t, k in enumerate(feature) if k]
            if len(support) == 1 and support[0] in self._group_teachers:
                known = per_direction.get(support[0])
                if known is None or sum(feature) < sum(known):
                    per_direction[support[0]] = feature
        return per_direction

    def _group_choices(self, lockable: list) -> list:
        """Ways for a layer to hold several groups of one pattern: two or more directions
        (``_directions``), a group on each. One group per direction: two groups on one feature
        are one group of their summed size, and a group no target term needs is of no use."""
        per_direction = self._directions(lockable)
        directions = sorted(per_direction, key=str)
        return [
            [per_direction[d] for d in chosen]
            for size in range(2, len(directions) + 1)
            for chosen in combinations(directions, size)
        ]

    def _groups_effect(self, index, layer, partial, groups, contents, response):
        """The layer holding several groups, each a (pattern, feature): each group its own
        parameters (named with its direction, M_w), bounds, cost and effect; the costs add, and
        the next kernel carries every group's spike or amplification. The groups share the
        layer's width: sum M <= N is, to leading order, each M <= N, which each group's bounds
        say."""
        content, powers, biased = contents
        scale, width = self._next_scale(index), self.monos(layer.width)
        kernel = partial.kernel
        costs, bounds, names, spikes, words = (), (), (), [], []
        for pattern, feature in groups:
            suffix = "_" + self._direction_name(feature).replace("_", "")
            params, own = self._parameters(index, layer, pattern, partial.kernel.variance, suffix)
            costs += self._cost_choices(pattern, params, width, partial.kernel, feature, layer)
            bounds += own
            names += tuple((layer.name, p, m.powers[0][0]) for p, m in params.items())
            words += [" + " if words else "", pattern.name, " on ", self.hermites(feature)]
            strength = self._substitute(pattern.effect[1], params, width)
            if pattern.effect[0] == "amplify":
                bounds += self._keeps_order_one(layer, kernel, feature, strength)
                kernel = amplify(kernel, feature, strength)
            else:
                weights = self._spike_weights(
                    layer,
                    feature,
                    pattern.effect[2],
                    content,
                    biased,
                    response,
                    partial.kernel.variance * params.get(AMPLITUDE, ONE),
                )
                spikes += [
                    (carried, self._weight_variance(index) * strength * weight)
                    for weight, carried in weights.items()
                ]
        algebra = self.algebra.with_bounds(b.mono for b in partial.bounds + bounds)
        kernel = self._lazy_map(algebra, kernel, powers, scale, response)
        for carried, strength in spikes:
            kernel = add_spike(kernel, carried, strength)
        locked = (layer.name, Phrase(*[w for w in words if w != ""]))
        return partial.extended(kernel, costs, bounds, locked, names)

    def _direction_name(self, feature) -> str:
        """The teacher a group's feature lies along (w), or a combination's teachers (uw)."""
        if isinstance(feature, Combination):
            return "".join(self.teachers[t] for t in feature.teachers)
        return self.teachers[next(t for t, k in enumerate(feature) if k)]

    def _constant_part(self, kernel: Kernel) -> tuple[bool, bool]:
        """Whether the kernel feeding a layer has a constant part, and whether it is provably of
        order one (as large as the kernel's variance). A layer below with an activation of
        non-zero mean (relu, abs, x^2, sigmoid) leaves one: every neuron here then sees a random
        bias b of order one, phi(b + z) is neither odd nor even, and its specialists and lazy
        powers carry degrees that phi alone would not (docs/method.md section 2)."""
        routes = kernel.eigen.get(self.algebra.constant(), frozenset())
        return bool(routes), any(self.algebra.at_most(kernel.variance, r) for r in routes)

    def _lockable(
        self, pattern: Pattern, layer: Layer, contents, kernel: Kernel, algebra, biased: bool
    ) -> list:
        """Features the pattern may lock onto: up to the target degree, and for a spike that
        carries the activation's content, not one whose outputs another feature gives at a norm
        at most as large (locking onto He3 of w.x when He1 is no rarer carries the same degrees)."""
        features = [f for f in kernel.features() if sum(f) <= self.target_degree]
        if (
            pattern.effect is None
            or pattern.effect[0] != "spike"
            or pattern.effect[2] != "activation"
        ):
            return features
        content, response = contents
        carried = {f: self._spike_features(layer, f, content, biased, response) for f in features}
        kept = []
        for g in features:
            if not any(
                f != g
                and carried[f] == carried[g]
                and _stronger(algebra, kernel, f, g)
                and (f in kept or not _stronger(algebra, kernel, g, f))
                for f in features
            ):
                kept.append(g)
        return kept + self._lockable_combinations(kernel, response)

    @cached_property
    def _combinations(self) -> tuple:
        """A ``Combination`` per product term of the target (its teachers), in networks of dense
        layers (``_group_teachers`` says why only those)."""
        if any(layer.kind != "dense" for layer in self.problem.layers):
            return ()
        supports = {
            tuple(t for t, k in enumerate(self._feature_of(term)) if k)
            for term in self.problem.target
        }
        return tuple(Combination(s) for s in sorted(supports) if len(s) > 1)

    def _lockable_combinations(self, kernel: Kernel, response) -> list:
        """Combinations whose every direction reaches this layer (He1 of each teacher has a
        route). Not in the Taylor regime, where what a specialist carries depends on powers of
        its pre-activation that this derivation does not expand."""
        if isinstance(response, Graded):
            return []
        return [
            c
            for c in self._combinations
            if all(kernel.eigenvalues(self.algebra.unit(t)) for t in c.teachers)
        ]

    def _effect(
        self,
        algebra,
        pattern,
        params,
        partial,
        feature,
        contents,
        response,
        scale,
        layer,
        cost_choices,
        bounds,
    ):
        """``contents``: the activation's Hermite content, the powers its lazy map uses, and
        whether its neurons see an O(1) bias (``_constant_part``)."""
        content, powers, biased = contents
        kind = pattern.effect[0]
        width = self.monos(layer.width)  # an effect may scale with the layer's width, as costs do
        names = tuple((layer.name, p, m.powers[0][0]) for p, m in params.items())
        locked = (layer.name, Phrase(pattern.name, " on ", self.hermites(feature)))
        if kind == "amplify":
            factor = self._substitute(pattern.effect[1], params, width)
            feasibility = self._keeps_order_one(layer, partial.kernel, feature, factor)
            amplified = amplify(partial.kernel, feature, factor)
            algebra = algebra.with_bounds(b.mono for b in feasibility)
            kernel = self._lazy_map(algebra, amplified, powers, scale, response)
            yield partial.extended(kernel, cost_choices, bounds + feasibility, locked, names)
        elif kind == "spike":
            strength = self._substitute(pattern.effect[1], params, width)
            carries = pattern.effect[2]
            lazy = self._lazy_map(algebra, partial.kernel, powers, scale, response)
            amplitude = params.get(AMPLITUDE, ONE)
            weights = self._spike_weights(
                layer,
                feature,
                carries,
                content,
                biased,
                response,
                partial.kernel.variance * amplitude,
            )
            spiked = lazy
            for weight, features in weights.items():
                spiked = add_spike(
                    spiked,
                    features,
                    self._weight_variance(index=self._index(layer)) * strength * weight,
                )
            yield partial.extended(spiked, cost_choices, bounds, locked, names)
        else:
            raise ValueError(f"unknown pattern effect {kind!r} in pattern {pattern.name}")

    def _parameters(self, index, layer, pattern, q: Mono, suffix: str = "") -> tuple:
        """``(params, bounds)`` of one group of ``pattern`` in a layer: each parameter as its
        variable (M1, or M1_w for a group on w), a specialist's amplitude where the layer's
        variance q is small (``_amplitude``), and the bounds of both."""
        width = self.monos(layer.width)
        params = {
            p.name: Mono.symbol(self._var_name(p.name, index) + suffix) for p in pattern.params
        }
        bounds = tuple(self._param_bounds(pattern, params, width, index, suffix))
        amplitude, amplitude_bounds = self._amplitude(layer, pattern, q, index, suffix)
        return {**params, **amplitude}, bounds + amplitude_bounds

    def _keeps_order_one(self, layer: Layer, kernel: Kernel, feature, factor: Mono) -> tuple:
        """GFL's bound: the amplified feature keeps O(1) variance, one bound per route of its
        eigenvalue. Where q is small, O(1) is above the bulk's q (its powers then weigh
        (D lambda)^j in the lazy map, as Taylor says)."""
        variance = ONE if layer.name in self._small_variance_layers else kernel.variance
        note = f"the amplified feature keeps O(1) variance in {layer.name}"
        return tuple(
            EnergyBound(
                factor * m / variance,
                f"{factor} * ({self._space.written(m / variance)}) <= 1 ({note})",
                lhs=factor * m / variance,
                note=note,
            )
            for m in sorted(kernel.eigenvalues(feature))
        )

    def _amplitude(
        self, layer: Layer, pattern: Pattern, q: Mono, index: int, suffix: str = ""
    ) -> tuple:
        """A specialist's amplitude where q is small (docs/method.md section 2, "Variance"):
        its neurons' weights may grow along the feature until the pre-activation is O(1), at a
        cost growing as fast. The variational parameter A (1 <= A <= 1/q) multiplies the cost's
        norm terms (the relative norm prices the typical size sqrt(q)) and the pre-activation
        variance the spike's weights see (q -> A q). Only specialists have it (a spike carrying
        the activation, priced by the norm), only in such layers: magnetization's strength beta
        already trades amplitude for count, so an A there would let a fraction of a neuron act
        at full amplitude; and a cost without the norm would grow A for nothing.
        Returns ``({AMPLITUDE: A}, its bounds)``, or nothing."""
        if layer.name not in self._amplitude_layers or not _grows_with_amplitude(pattern):
            return {}, ()
        name = self._var_name(self._amplitude_param, index) + suffix
        amplitude = Mono.symbol(name)
        bounds = (
            EnergyBound(amplitude**-1, f"1 <= {name}", name, rhs=amplitude),
            EnergyBound(
                amplitude * q,
                f"{name} <= {self._space.written(q**-1)} (the pre-activation stays O(1))",
                name,
                lhs=amplitude,
                rhs=q**-1,
                note="the pre-activation stays O(1)",
            ),
        )
        return {AMPLITUDE: amplitude}, bounds

    def _spike_weights(
        self,
        layer: Layer,
        feature: Feature,
        carries: str,
        content,
        biased: bool,
        response,
        variance: Mono,
    ) -> dict:
        """What a neuron locked onto ``feature`` adds to the next kernel: ``{weight: features}``,
        the weight how the feature's strength grows with the input ``variance`` q (q^p for
        every feature of a power law, 1 at unit variance; q^t for a feature that first appears
        at Taylor degree t). ``carries``: "activation" (specialization: the features of
        phi(F)), or "linear" (magnetization: F itself, by linear response through the mean slope
        E[phi'(b + z)], which is c_1 when unbiased)."""
        if isinstance(response, Graded):
            if carries == "activation":
                firsts = self._graded_carried(feature, response, biased)
            else:
                slope = [t for t in response.taylor if t >= 1 and (biased or t % 2 == 1)]
                firsts = {feature: slope[0]} if slope else {}
            grouped: dict = {}
            for carried, t in firsts.items():
                grouped.setdefault(variance**t, set()).add(carried)
            return grouped
        if carries == "activation":
            features = self._carried(layer, feature, content, biased)
        else:
            features = {feature} if 1 in content or biased else set()
        return {output_variance(variance, response): set(features)} if features else {}

    def _spike_features(
        self, layer: Layer, feature: Feature, content, biased: bool, response
    ) -> frozenset:
        """What a specialist of ``feature`` outputs, for comparing lockable features: the
        features with their weights in the Taylor regime, the features alone otherwise."""
        if isinstance(response, Graded):
            return frozenset(self._graded_carried(feature, response, biased).items())
        return frozenset(self._carried(layer, feature, content, biased))

    def _graded_carried(self, feature: Feature, response: Graded, biased: bool) -> dict:
        """Feature -> the lowest Taylor degree t at which phi(sqrt(q) (b + F)) carries it: the
        features of F^t, and with an O(1) bias b those of F^s for every s <= t (the powers of
        b + F). The product rule's weights are positive, so nothing cancels (one teacher; over
        several it is the generic support, as for ``carried_features``)."""
        key = ("graded", feature, response, biased)
        if key not in self._carried_sets:
            highest = response.taylor[-1]
            powers = hadamard_powers(self.algebra, {feature: frozenset({ONE})}, highest)
            firsts: dict = {}
            for t in response.taylor:
                for s in range(t + 1) if biased else (t,):
                    made = (
                        [self.algebra.constant()] if s == 0 else [f for f in powers[s] if f != BULK]
                    )
                    for carried in made:
                        firsts.setdefault(carried, t)
            self._carried_sets[key] = firsts
        return self._carried_sets[key]

    def _carried(
        self, layer: Layer, feature: Feature, content: frozenset[int], biased: bool = False
    ) -> set[Feature]:
        """``_features_carried``, remembered: ``_lockable`` asks it of every feature of a kernel,
        and ``_effect`` again of the one locked onto, for every walk through the layer."""
        key = (layer.name, feature, content, biased)
        if key not in self._carried_sets:
            self._carried_sets[key] = self._features_carried(layer, feature, content, biased)
        return self._carried_sets[key]

    def _features_carried(
        self, layer: Layer, feature: Feature, content: frozenset[int], biased: bool
    ) -> set[Feature]:
        """Features in phi(F) for a neuron locked onto F (at unit variance).

        For a single teacher the content of phi(He_k(u)/sqrt(k!)) is computed exactly in the
        Hermite basis of u (for k = 1 it is the activation's own content); for products of several
        teachers the generic support of the powers of F is used (an over-approximation).
        """
        if isinstance(feature, Combination):
            return self._combination_carried(layer, feature, content, biased)
        nonzero = [(t, k) for t, k in enumerate(feature) if k]
        expr = layer.activation.expr
        if biased:  # phi(b + F): hermite.biased_content
            content = biased_content(expr, 1, self.algebra.max_degree)
        if len(nonzero) != 1:
            return carried_features(self.algebra, feature, content)
        teacher, degree = nonzero[0]
        if biased:
            degrees = biased_content(expr, degree, self.algebra.max_degree)
            return {
                self.algebra.unit(teacher, k) if k else self.algebra.constant() for k in degrees
            }
        z = sympy.Symbol("z", real=True)
        locked = sympy.hermite_prob(degree, z) / sympy.sqrt(sympy.factorial(degree))
        expr = layer.activation.expr.subs(z, locked) if degree > 1 else layer.activation.expr
        degrees = hermite_content(expr, self.algebra.max_degree)
        return {self.algebra.unit(teacher, k) if k else self.algebra.constant() for k in degrees}

    def _combination_carried(
        self, layer: Layer, combination: Combination, content: frozenset[int], biased: bool
    ) -> set[Feature]:
        """Features in phi(c) for c = sum_t ±t/sqrt(n): phi carries He_k(c) for each k of its
        content (with an O(1) bias b, of phi(b + z)), and by the Hermite addition theorem
        He_k(c) = n^(-k/2) sum over a with |a| = k of k!/prod(a_t!) prod_t (±1)^(a_t) He_(a_t)(t.x),
        every coefficient non-zero: so every product of c's teachers of total degree k."""
        top = self.algebra.max_degree
        if biased:
            content = biased_content(layer.activation.expr, 1, top)
        carried = set()
        for k in content:
            for split in _compositions(k, len(combination.teachers)):
                if k <= top:
                    degrees = dict(zip(combination.teachers, split))
                    carried.add(tuple(degrees.get(t, 0) for t in range(self.algebra.teachers)))
        return carried

    # ---- pieces of the energy -----------------------------------------------------------------
    def _cost_choices(self, pattern, params, width, kernel: Kernel, feature, layer) -> tuple:
        """The cost posynomial's terms, each a list of alternatives (one per route of the norm)."""
        terms = _cost_terms(pattern.cost)
        # A combination's norm is the mean of its directions' (they are orthogonal): to leading
        # order their sum, one term per direction, each with its routes.
        members = (
            [self.algebra.unit(t) for t in feature.teachers]
            if isinstance(feature, Combination)
            else [feature]
        )
        role = Phrase("cost of ", pattern.name, " in ", layer.name)
        choices = []
        for term in terms:
            base = self._substitute_mono(term, params, width)
            power = term.as_dict().get(NORM, 0)
            if power:  # the norm prices the typical size; an amplitude A scales it
                grown = params.get(AMPLITUDE, ONE) ** power
                for member in members:
                    norms = kernel.relative_norms(member)
                    choices.append(tuple(EnergyTerm(base * grown * n**power, role) for n in norms))
            else:
                choices.append((EnergyTerm(base, role),))
        return tuple(choices)

    def _param_bounds(self, pattern: Pattern, params, width: Mono, index: int, suffix: str = ""):
        for p in pattern.params:
            var = params[p.name]
            name = self._var_name(p.name, index) + suffix
            if p.lower is not None:
                low = self._substitute(p.lower, params, width)
                yield EnergyBound(
                    low / var, f"{self._space.written(low)} <= {name}", lhs=low, rhs=var
                )
            if p.upper is not None:
                high = self._substitute(p.upper, params, width)
                yield EnergyBound(
                    var / high, f"{name} <= {self._space.written(high)}", lhs=var, rhs=high
                )

    def _target_routes(self, kernel: Kernel):
        """a_y: for each target term, its norm in the readout kernel, one alternative per route."""
        per_term, missing = [], set()  # a list of alternatives per target term
        for term in self.problem.target:
            feature = self._feature_of(term)
            norms = kernel.norms(feature)
            if not norms:
                missing.add(Phrase(self.hermites(feature)))
            role = Phrase(
                "norm of ",
                self.hermites(feature),
                " in the readout kernel (",
                sympy.Symbol("a_y"),
                ")",
            )
            per_term.append([EnergyTerm(n, role) for n in norms])
        return per_term, missing

    def _candidates(self, partial: "_Partial", routes: list):
        """One candidate per choice of route for every cost and target term, keeping only those
        in which every pattern is of use (each parameter appears with a negative power).

        Choices are made term by term, and a branch stops as soon as some parameter can no longer
        be used by the terms still to choose: most combinations are never built.
        """
        choices = list(partial.cost_choices) + list(routes)
        amplitudes = {b.amplitude for b in partial.bounds}
        needed = set(partial.variables) - amplitudes  # A = 1 is no lazy disguise
        usable_after = [set() for _ in range(len(choices) + 1)]
        for k in range(len(choices) - 1, -1, -1):
            usable_after[k] = usable_after[k + 1] | {
                v for t in choices[k] for v, e in t.mono.powers if e < 0 and v in needed
            }

        def extend(k: int, chosen: tuple, used: frozenset):
            if not needed <= used | usable_after[k]:
                return
            if k == len(choices):
                yield Candidate(
                    _merge(chosen),
                    partial.bounds,
                    partial.variables,
                    partial.locked,
                    partial.parameters,
                )
                return
            for term in choices[k]:
                gained = {v for v, e in term.mono.powers if e < 0 and v in needed}
                yield from extend(k + 1, chosen + (term,), used | gained)

        yield from extend(0, (), frozenset())

    # ---- helpers ------------------------------------------------------------------------------
    def _index(self, layer: Layer) -> int:
        return self.problem.layers.index(layer)

    def _weight_variance(self, index: int) -> Mono:
        """v_{l+1}: the prior variance of the weights that read layer ``index``."""
        layers = self.problem.layers
        nxt = (
            layers[index + 1].variance if index + 1 < len(layers) else self.problem.readout.variance
        )
        return self.monos(nxt)

    def _next_scale(self, index: int) -> Mono:
        return self._weight_variance(index) * self.monos(self.problem.layers[index].width)

    def _substitute(self, expr: sympy.Expr, params: dict, width: Mono) -> Mono:
        return self._substitute_mono(_pattern_mono(expr), params, width)

    @staticmethod
    def _substitute_mono(mono: Mono, params: dict, width: Mono) -> Mono:
        result = ONE
        for name, exponent in mono.powers:
            if name == WIDTH:
                result = result * width**exponent
            elif name in params:
                result = result * params[name] ** exponent
            elif name != NORM:
                raise ValueError(f"pattern uses unknown symbol {name}")
        return result

    def _feature_of(self, term) -> Feature:
        degrees = dict(term.degrees)
        return tuple(degrees.get(t, 0) for t in self.teachers)

    def hermites(self, feature: Feature) -> Hermites:
        tokens = [t.token or self.problem.input_name for t in self.problem.teachers]
        if isinstance(feature, Combination):
            names = tuple(self.teachers[t] for t in feature.teachers)
            return Combined(names, tokens[feature.teachers[0]])
        return Hermites(tuple((k, t, x) for t, x, k in zip(self.teachers, tokens, feature) if k))


def _stronger(algebra, kernel: Kernel, f: Feature, g: Feature) -> bool:
    """Every route of g's eigenvalue is provably at most some route of f's (so f's norm <= g's)."""
    return all(
        any(algebra.at_most(b, a) for a in kernel.eigenvalues(f)) for b in kernel.eigenvalues(g)
    )


def _distinct(partials: list) -> list:
    """Walks that reach the same kernel with the same energy so far (e.g. by locking onto He1 or
    He3 when both have the same routes) have the same future: keep the first."""
    seen: dict = {}
    for partial in partials:
        kernel = partial.kernel
        key = (
            kernel.variance,
            frozenset(kernel.eigen.items()),
            partial.cost_choices,
            partial.bounds,
            partial.variables,
        )
        seen.setdefault(key, partial)
    return list(seen.values())


def _at_least_one(lower) -> bool:
    if lower is None:
        return False
    try:
        value = sympy.sympify(lower)
    except (TypeError, ValueError):
        return False
    return bool(value.is_number and value >= 1) or value == sympy.Symbol(WIDTH, positive=True)


def _merge(terms: tuple[EnergyTerm, ...]) -> tuple[EnergyTerm, ...]:
    """Identical monomials are one term at leading order; keep the first role."""
    seen: dict = {}
    for term in terms:
        seen.setdefault(term.mono, term)
    return tuple(seen.values())


@dataclass(frozen=True)
class _Partial:
    """A walk through the first layers: the kernel reached and what the energy has so far."""

    kernel: Kernel
    cost_choices: tuple
    bounds: tuple
    variables: tuple
    locked: tuple
    parameters: tuple = ()  # Candidate.parameters

    def advanced(self, kernel: Kernel) -> "_Partial":
        return _Partial(
            kernel, self.cost_choices, self.bounds, self.variables, self.locked, self.parameters
        )

    def extended(self, kernel, cost_choices, bounds, locked, parameters) -> "_Partial":
        return _Partial(
            kernel,
            self.cost_choices + cost_choices,
            self.bounds + bounds,
            self.variables + tuple(v for _, _, v in parameters),
            self.locked + (locked,),
            self.parameters + parameters,
        )


def _grows_with_amplitude(pattern: Pattern) -> bool:
    """A specialist pattern priced by the feature's norm (``_Context._amplitude``)."""
    effect = pattern.effect
    return (
        effect is not None
        and effect[0] == "spike"
        and effect[2] == "activation"
        and any(term.as_dict().get(NORM, 0) > 0 for term in posynomial_from_sympy(pattern.cost))
    )


def _compositions(total: int, parts: int):
    """Every way to write ``total`` as an ordered sum of ``parts`` non-negative integers."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


@lru_cache(maxsize=1024)
def _cost_terms(cost: sympy.Expr) -> tuple[Mono, ...]:
    """A pattern's cost as monomials (in its parameters, ``width`` and ``norm``): the same few
    costs are read for every layer of every walk."""
    return tuple(posynomial_from_sympy(cost))


@lru_cache(maxsize=1024)
def _pattern_mono(expr: sympy.Expr) -> Mono:
    """A pattern's bound or effect strength as a monomial, remembered as ``_cost_terms``."""
    return mono_from_sympy(expr)
