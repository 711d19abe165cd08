"""The kernel-norm tracker: each feature's eigenvalue in each layer's kernel, as monomials.

Owns the propagation rules of docs/method.md, section 2. A ``Kernel`` is the covariance Q_l of the
pre-activations feeding layer l (or, after the last layer, of the network output). A *feature* is
a product of Hermite polynomials of the teacher projections, written as a tuple of degrees, one
per teacher: ``(3,)`` is He3(w . x). For each feature the kernel keeps the set of monomials its
eigenvalue can take; the eigenvalue is the largest of them (they are the routes by which the
feature reaches this layer), and the feature's norm <F, Q^-1 F> is the reciprocal.

Rules:
- input: Q_1 = v_1 x.x' has variance v_1 d and eigenvalue v_1 on each teacher direction;
- lazy layer: the normalized kernel Q/q is raised to the powers j that the activation's Hermite
  content allows; a feature of the j-th Hadamard power has relative eigenvalue equal to the product
  of its factors' (Hermite product rule), and directions orthogonal to every teacher (the bulk, each
  with relative eigenvalue 1/d) pair up into a constant with relative eigenvalue 1/d;
  the next kernel is v_{l+1} N_l (q^p for an activation homogeneous of degree p) times that;
- spike: neurons locked onto a feature add v_{l+1} * strength along every feature they carry;
- amplify: the feature's eigenvalue in the layer's input kernel is multiplied before the lazy map.
Nothing here knows about patterns or energies; ``lower`` combines these rules.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from itertools import product
from math import lcm
from operator import le, sub
from typing import TYPE_CHECKING

from scalelang.algebra.hermite import product_support
from scalelang.algebra.monomial import ONE, Mono
from scalelang.theory.envelope_routes import upper_envelope

if TYPE_CHECKING:
    import numpy

Feature = tuple[int, ...]
BULK = "bulk"  # stands for every direction orthogonal to the teachers
Spectrum = dict  # Feature | BULK -> frozenset[Mono]: relative eigenvalue alternatives


@dataclass(frozen=True)
class Algebra:
    """What the rules need to know about the problem: sizes, truncation, and dominance."""

    teachers: int
    max_degree: int  # the target's degree: features of higher degree, and Hadamard powers beyond
    # it, reach lower degrees only through extra factors that are each at most 1, so the lowest
    # power that makes a feature dominates them (unless the activation has no lower power)
    bulk: Mono  # relative eigenvalue of a bulk pair: 1/d for inputs of dimension d
    at_least_one: frozenset[str] = field(default_factory=frozenset)  # names known to be >= 1
    at_most_one: frozenset[Mono] = field(default_factory=frozenset)  # monomials known to be <= 1

    def unit(self, teacher: int, degree: int = 1) -> Feature:
        return tuple(degree if t == teacher else 0 for t in range(self.teachers))

    def constant(self) -> Feature:
        return (0,) * self.teachers

    def with_bounds(self, monos) -> "Algebra":
        """The same algebra, knowing more monomials that are at most 1 (a pattern's bounds)."""
        return Algebra(
            self.teachers,
            self.max_degree,
            self.bulk,
            self.at_least_one,
            self.at_most_one | frozenset(monos),
        )

    def at_most(self, small: Mono, large: Mono) -> bool:
        """True when small <= large is provable: their ratio is a product of up to two known-small
        factors times non-positive powers of quantities known to be at least 1."""
        return self.ratio_at_most(small / large)

    def ratio_at_most(self, ratio: Mono) -> bool:
        """True when ratio <= 1 is provable (see ``at_most``)."""
        return _at_most(ratio, self.at_least_one, self._generators)

    @property
    def _generators(self) -> frozenset:
        cached = self.__dict__.get("_generators_cache")
        if cached is None:
            cached = self.at_most_one | {self.bulk}
            object.__setattr__(self, "_generators_cache", cached)
        return cached


@lru_cache(maxsize=None)
def _small_products(generators: frozenset) -> tuple:
    """Products of up to two known-small monomials (with repetition), and 1."""
    ordered = sorted(generators)
    products = {ONE} | set(ordered) | {f * g for i, f in enumerate(ordered) for g in ordered[i:]}
    return tuple(sorted(products))


@lru_cache(maxsize=200_000)
def _at_most(ratio: Mono, at_least_one: frozenset, generators: frozenset) -> bool:
    """ratio = g * r with g a small product and r a product of non-positive powers of names
    known to be >= 1. Names not known >= 1 must match g exactly, so products are looked up by
    that part and only the remaining exponents are compared."""
    free, bounded = _split(ratio, at_least_one)
    if not free and all(e <= 0 for e in bounded.values()):
        return True
    bucket = _product_index(generators, at_least_one).get(free)
    if bucket is None:
        return False
    names, rows, top = bucket
    if any(e > 0 for n, e in bounded.items() if n not in names):
        return False  # no product has that name: its exponent there is 0 < e
    target = tuple(bounded.get(n, 0) for n in names)
    if not all(map(le, target, top)):
        return False  # above every product in some name
    return any(all(map(le, target, row)) for row in rows)


def _split(mono: Mono, at_least_one: frozenset) -> tuple:
    free = tuple(p for p in mono.powers if p[0] not in at_least_one)
    return free, {n: e for n, e in mono.powers if n in at_least_one}


@lru_cache(maxsize=4096)
def _product_index(generators: frozenset, at_least_one: frozenset) -> dict:
    """Small products grouped by their part in names not known >= 1; each group as (the names
    known >= 1 that occur in it, one exponent row per product over those names, and their
    componentwise maximum), so that a ratio is checked against a group row by row with ``map``."""
    groups: dict = {}
    for g in _small_products(generators):
        free, bounded = _split(g, at_least_one)
        groups.setdefault(free, []).append(bounded)
    index = {}
    for free, members in groups.items():
        names = tuple(sorted({n for b in members for n in b}))
        rows = [tuple(b.get(n, 0) for n in names) for b in members]
        index[free] = (names, rows, tuple(max(column) for column in zip(*rows)) if names else ())
    return index


@dataclass(frozen=True)
class Kernel:
    """Q_l to leading order: its variance q (trace per input) and its eigenvalues per feature."""

    variance: Mono
    eigen: dict  # Feature -> frozenset[Mono] (absolute eigenvalue alternatives)

    def eigenvalues(self, feature: Feature) -> frozenset[Mono]:
        return self.eigen.get(feature, frozenset())

    def norms(self, feature: Feature) -> list[Mono]:
        """Alternatives for the norm <F, Q^-1 F> of a feature of O(1) variance: 1/eigenvalue."""
        return [m**-1 for m in sorted(self.eigenvalues(feature))]

    def relative_norms(self, feature: Feature) -> list[Mono]:
        """Norm of the feature scaled to the typical pre-activation: q / eigenvalue."""
        return [self.variance / m for m in sorted(self.eigenvalues(feature))]

    def features(self) -> list[Feature]:
        return sorted(f for f, alts in self.eigen.items() if alts and any(f))


def input_kernel(algebra: Algebra, variance: Mono, dim: Mono) -> Kernel:
    """Q_1 = v_1 x.x': variance v_1 * d, eigenvalue v_1 along each teacher direction."""
    eigen = {algebra.unit(t): frozenset({variance}) for t in range(algebra.teachers)}
    return Kernel(variance * dim, eigen)


def token_kernel(algebra: Algebra, dim: Mono, teachers) -> Kernel:
    """x.x' on one token: variance d, eigenvalue 1 along each of ``teachers`` (indices)."""
    return Kernel(dim, {algebra.unit(t): frozenset({ONE}) for t in teachers})


def logit_kernel(
    algebra: Algebra, variance: Mono, dim: Mono, query_teachers, context_teachers
) -> Kernel:
    """The bilinear logit s_l = q W x_l of an attention head with W ~ N(0, v) entrywise:
    Q = v (q.q')(x_l.x_l'), the Hadamard product of the query's and the context token's linear
    kernels. Variance v d^2; eigenvalue v along every product He1(t.q) He1(t'.x) of a query teacher
    and a context teacher (relative 1/d^2). Products with bulk directions are not features."""
    scaled = Kernel(
        variance * dim, {algebra.unit(t): frozenset({variance}) for t in query_teachers}
    )
    return hadamard(algebra, scaled, token_kernel(algebra, dim, context_teachers), ONE)


def hadamard(algebra: Algebra, left: Kernel, right: Kernel, scale: Mono) -> Kernel:
    """``scale`` times the entrywise product of two kernels on the same inputs: variances multiply,
    and F*G gets eigenvalue lambda(F) * lambda(G) along every feature the Hermite product of F and G
    contains (per teacher, up to the target degree). Products with the bulk are dropped: a teacher
    feature times a bulk direction stays orthogonal to every teacher feature, and unlike the
    Hadamard powers of one kernel, the bulk of these two never pairs into a constant: the logit
    kernel multiplies kernels of two independent tokens (query and context), and the attention
    kernel's bulk is linear in the query token, so its products with the value's bulk are too."""
    lrel, rrel = relative_spectrum(algebra, left), relative_spectrum(algebra, right)
    combined: dict = {}
    for f, falts in lrel.items():
        for g, galts in rrel.items():
            if BULK in (f, g):
                continue
            alternatives = {a * b for a in falts for b in galts}
            for feature in _multiset_support(algebra, Counter([f, g])):
                _add(combined, feature, alternatives)
    variance = scale * left.variance * right.variance
    eigen = {f: prune(algebra, {variance * m for m in alts}) for f, alts in combined.items()}
    return Kernel(variance, eigen)


def relative_spectrum(algebra: Algebra, kernel: Kernel) -> Spectrum:
    spectrum: Spectrum = {
        f: frozenset(m / kernel.variance for m in alts) for f, alts in kernel.eigen.items() if alts
    }
    spectrum[BULK] = frozenset({ONE})
    return spectrum


def lazy_map(
    algebra: Algebra,
    kernel: Kernel,
    content: frozenset[int],
    scale: Mono,
    response,
) -> Kernel:
    """The next kernel of a lazy layer: ``scale`` = v_{l+1} N_l times how the neurons' output
    grows with their input variance q (``response``): q^p for an activation homogeneous of
    degree p, q^t for its power j in the Taylor regime (``hermite.Graded``: t = order[j]), and
    1 (None) for an activation taken at unit variance."""
    relative = relative_spectrum(algebra, kernel)
    usable = _usable_powers(algebra, content)
    powers = hadamard_powers(algebra, relative, max(usable, default=0))
    combined: dict = {}
    for j in usable:
        weight = power_weight(kernel.variance, response, j)
        if j == 0:
            _add(combined, algebra.constant(), {weight})
            continue
        for feature, alts in powers[j].items():
            if feature != BULK:
                _add(combined, feature, {weight * m for m in alts})
    next_variance = scale * output_variance(kernel.variance, response)
    eigen = {f: prune(algebra, {scale * m for m in alts}) for f, alts in combined.items()}
    return Kernel(next_variance, eigen)


def power_weight(variance: Mono, response, j: int) -> Mono:
    """The factor of the j-th Hadamard power (see ``lazy_map``)."""
    return variance ** _response_exponent(response, j)


def output_variance(variance: Mono, response) -> Mono:
    """E[phi(h)^2] for h ~ N(0, variance), to leading order (see ``lazy_map``)."""
    return variance ** _response_exponent(response)


def _response_exponent(response, j: int | None = None):
    """The power of q a response gives the j-th Hadamard power (the output variance for None):
    0 at unit variance, p for a power law, the Taylor order in the Taylor regime."""
    if response is None:
        return 0
    if isinstance(response, (int, Fraction)):
        return response
    return response.variance_order if j is None else response.order[j]


def _usable_powers(algebra: Algebra, content: frozenset[int]) -> list[int]:
    """The powers a lazy layer uses: ``content`` is ``hermite.lazy_content``, which chose them."""
    return sorted(content)


def carried_features(algebra: Algebra, feature: Feature, content: frozenset[int]) -> set[Feature]:
    """Features present in phi(F) for a neuron whose pre-activation is locked onto F."""
    single: Spectrum = {feature: frozenset({ONE})}
    powers = hadamard_powers(algebra, single, max(content, default=0))
    carried = set()
    for j in content:
        if j == 0:
            carried.add(algebra.constant())
        else:
            carried.update(f for f in powers[j] if f != BULK)
    return carried


def add_spike(kernel: Kernel, features: set[Feature], strength: Mono) -> Kernel:
    """Q + strength * sum over the carried features (a rank-one part, to leading order)."""
    eigen = dict(kernel.eigen)
    for feature in features:
        eigen[feature] = frozenset(eigen.get(feature, frozenset()) | {strength})
    return Kernel(kernel.variance, eigen)


def amplify(kernel: Kernel, feature: Feature, factor: Mono) -> Kernel:
    """Every route of the feature's eigenvalue multiplied by ``factor`` (Gaussian feature
    learning)."""
    eigen = dict(kernel.eigen)
    eigen[feature] = frozenset(m * factor for m in kernel.eigenvalues(feature))
    return Kernel(kernel.variance, eigen)


def hadamard_powers(algebra: Algebra, spectrum: Spectrum, highest: int) -> list[Spectrum]:
    """[_, S, S∘S, S∘S∘S, ...] up to ``highest``: the spectra of the kernel's Hadamard powers.

    The j-th power is a sum over multisets of j factors. Eigenvalues are maxima over routes and
    (max_a r_a)^k = max_a r_a^k, so a feature used k times in a product contributes the k-th
    power of one route at a time: mixed products of its routes are never the largest. This keeps
    the number of routes linear, not exponential, in the power.

    The multisets are not listed one by one (with 70 features, as four teachers up to degree 4
    give, the fourth power alone has a million). Keys are taken in turn, each a number of times,
    and partial products that contain the same Hermite degrees of every teacher are merged: what a
    product adds to the result depends only on those degrees and its eigenvalue alternatives, and
    the Hermite product rule's coefficients are all positive, so degrees never cancel.
    """
    keys = sorted(spectrum, key=_key_order)
    reach = max(
        (sum(f) for f in keys if f != BULK), default=0
    )  # the most one factor lowers a degree
    start = tuple((0,) for _ in range(algebra.teachers))
    states: dict = {(0, start): {ONE}}  # (factors so far, degrees present per teacher) -> routes
    for key in keys:
        factors = [None] + [
            _factor_routes(algebra, spectrum, key, k) for k in range(1, highest + 1)
        ]
        merged: dict = {}
        for (count, present), routes in states.items():
            merged.setdefault((count, present), set()).update(routes)
            for k in range(1, highest - count + 1):
                factor = factors[k]
                if factor is None:
                    continue
                degrees = present if key == BULK else _times(present, key, k)
                degrees = _within_reach(degrees, algebra.max_degree + reach * (highest - count - k))
                if degrees is not None:
                    merged.setdefault((count + k, degrees), set()).update(
                        x * y for x in routes for y in factor
                    )
        states = merged
    powers: list[Spectrum] = [{} for _ in range(highest + 1)]
    for (count, present), routes in states.items():
        if count:
            for feature in product(*present):
                if sum(feature) <= algebra.max_degree:
                    _add(powers[count], feature, routes)
    return powers


def _factor_routes(algebra: Algebra, spectrum: Spectrum, key, k: int):
    """The routes of ``key`` taken k times: r^k per route; bulk directions pair up into the
    constant (1/d per pair), and an odd number of them stays orthogonal to every teacher (None)."""
    if key == BULK:
        return None if k % 2 else (algebra.bulk ** (k // 2),)
    return tuple(a**k for a in spectrum[key])


@lru_cache(maxsize=1 << 18)
def _times(present: tuple, feature: Feature, k: int) -> tuple:
    """The degrees per teacher present after multiplying by ``feature`` k more times."""
    out = []
    for degrees, d in zip(present, feature):
        for _ in range(k):
            degrees = sorted({m for p in degrees for m in product_support(p, d)})
        out.append(tuple(degrees))
    return tuple(out)


@lru_cache(maxsize=1 << 18)
def _within_reach(present: tuple, limit: int):
    """Drop degrees that the factors still to come cannot bring down to the target's degree
    (``limit`` is that degree plus the most they can lower a total degree): a degree m of one
    teacher, with the least degrees of the others, must leave a total within ``limit``. None when
    a teacher has none left."""
    lows = sum(degrees[0] for degrees in present)
    kept = tuple(tuple(m for m in degrees if m + lows - degrees[0] <= limit) for degrees in present)
    return None if any(not degrees for degrees in kept) else kept


def _multiset_support(algebra: Algebra, counts: Counter) -> set[Feature]:
    """Features present in the product of the features in ``counts`` (Hermite product rule)."""
    degrees_per_teacher = []
    for t in range(algebra.teachers):
        present = {0}
        for feature, k in counts.items():
            for _ in range(k):
                present = {m for p in present for m in product_support(p, feature[t])}
        degrees_per_teacher.append(sorted(present))
    return {h for h in product(*degrees_per_teacher) if sum(h) <= algebra.max_degree}


def _key_order(key) -> tuple:
    return (1, ()) if key == BULK else (0, key)


def _add(target: dict, key, alternatives) -> None:
    target[key] = frozenset(target.get(key, frozenset()) | set(alternatives))


def prune(algebra: Algebra, alternatives) -> frozenset[Mono]:
    """Drop alternatives that are never the largest: the eigenvalue is the largest alternative,
    so those never matter. First one against one (``prune_pairwise``, cheap), then against the
    maximum of several others (``envelope_routes``, exact LPs)."""
    ordered = tuple(sorted(set(alternatives)))
    if len(ordered) < 2:
        return frozenset(ordered)
    names = {name for m in ordered for name, _ in m.powers}
    # Bounds on names no alternative has are left out (they could only help through products
    # that cancel those names): the same routes under different such bounds, as walks through
    # different patterns give, are pruned once.
    return _prune_named(
        frozenset(algebra.at_least_one & names),
        frozenset(g for g in algebra._generators if g.names() <= names),
        ordered,
    )


@lru_cache(maxsize=1 << 16)
def _prune_named(at_least_one: frozenset, small: frozenset, ordered: tuple) -> frozenset[Mono]:
    """``_prune`` with the names renamed by rank (``_by_rank``): a walk with specialists in
    layer 2 and one with them in layer 3 prune the same routes in M2 and in M3, and the second
    reads the first's answer. A renaming that keeps the names' order keeps every sorted order
    the pruning walks in (monomials compare name by name), so the answer is the same one,
    renamed back, whatever the input's names."""
    rename, back = _by_rank(ordered)
    kept = _prune(
        frozenset(rename[n] for n in at_least_one),
        frozenset(_renamed(m, rename) for m in small),
        tuple(_renamed(m, rename) for m in ordered),
    )
    return frozenset(_renamed(m, back) for m in kept)


def _by_rank(monos) -> tuple[dict, dict]:
    """A renaming of the names in ``monos`` to fixed names in the same order, and its inverse."""
    names = sorted({name for m in monos for name, _ in m.powers})
    rename = {name: f"x{i:04d}" for i, name in enumerate(names)}
    return rename, {new: old for old, new in rename.items()}


def _renamed(mono: Mono, names: dict) -> Mono:
    """``mono`` with each name replaced; ``names`` keeps their order, so powers stay sorted."""
    return Mono(tuple((names[name], e) for name, e in mono.powers))


@lru_cache(maxsize=1 << 16)
def _prune(at_least_one: frozenset, small: frozenset, ordered: tuple) -> frozenset[Mono]:
    local = Algebra(0, 0, ONE, at_least_one, small)
    return upper_envelope(at_least_one, small, prune_pairwise(local, ordered))


def prune_pairwise(algebra: Algebra, alternatives) -> frozenset[Mono]:
    """Drop alternatives that another one provably dominates for every value of the scales
    (``Algebra.at_most``). In order, an alternative goes when one still kept (other than
    itself) dominates it, so of two equal ones the later goes."""
    ordered = sorted(set(alternatives))
    kept = _kept_by_arrays if len(ordered) > ARRAYS_FROM else _kept_by_bitsets
    return frozenset(m for m, keep in zip(ordered, kept(algebra, ordered)) if keep)


def _kept_by_bitsets(algebra: Algebra, ordered: list) -> list[bool]:
    """``prune_pairwise``'s walk over sets of alternatives held as bits of one integer: the
    alternatives with a given free part, those whose exponent in a bounded name is at least a
    given value (``_at_least``), those still kept. The ones that dominate alternative j under a
    usable product r are those with j's free part less r's and every bounded exponent at least
    j's less r's: an intersection of such sets, so no pair is compared one by one."""
    free, bounded, F, B, usable, scale = _integer_rows(algebra, ordered)
    by_free: dict[tuple, int] = {}
    for i, row in enumerate(F):
        by_free[tuple(row)] = by_free.get(tuple(row), 0) | 1 << i
    at_least = [_at_least([row[k] for row in B]) for k in range(len(bounded))]
    parts = [
        ([int(dict(key).get(name, 0) * scale) for name in free], products)
        for key, products in usable.items()
    ]
    alive = (1 << len(ordered)) - 1
    for j, row in enumerate(F):
        others = alive & ~(1 << j)
        for wanted, products in parts:
            group = by_free.get(tuple(map(sub, row, wanted)), 0) & others
            if group and any(_dominating(group, at_least, B[j], product) for product in products):
                alive &= ~(1 << j)
                break
    return [bool(alive >> j & 1) for j in range(len(ordered))]


def _dominating(group: int, at_least: list, exponents: list, product: list) -> int:
    """The members of ``group`` whose every bounded exponent is at least ``exponents`` less
    ``product``'s."""
    for select, floor in zip(at_least, map(sub, exponents, product)):
        group &= select(floor)
        if not group:
            break
    return group


def _at_least(values: list[int]):
    """``select(t)``: the set (bits of an integer) of the ``i`` with ``values[i] >= t``, looked up
    by bisection among the distinct values, each with the set of those at least it."""
    distinct = sorted(set(values))
    sets = [0] * (len(distinct) + 1)
    for i, value in enumerate(values):
        sets[bisect_left(distinct, value)] |= 1 << i
    for k in range(len(distinct) - 1, -1, -1):
        sets[k] |= sets[k + 1]
    return lambda t: sets[bisect_left(distinct, t)]


def _kept_by_arrays(algebra: Algebra, ordered: list):
    """``prune_pairwise``'s walk over the matrix of every pair (``_dominance``)."""
    import numpy

    dominated = _dominance(algebra, ordered)
    alive = numpy.ones(len(ordered), dtype=bool)
    for j in range(len(ordered)):
        row = dominated[j] & alive
        row[j] = False
        if row.any():
            alive[j] = False
    return alive


# Sets of at most this many alternatives are pruned as bitsets (``_kept_by_bitsets``), larger ones
# as numpy arrays of every pair (``_kept_by_arrays``). The bitsets' work grows about linearly with
# the set, the arrays' with its square, so up to here the bitsets are about as fast or faster (the
# examples, and the benchmarks' tied chains of depth 4, prune sets of up to about 130) and a solve
# need not import numpy; their memory grows with the square (a set per distinct exponent of each
# name), so past here the arrays, compared block by block (``PAIRS_AT_ONCE``), keep it bounded.
ARRAYS_FROM = 1024

# Pairs of alternatives ``_dominance`` compares at once: its arrays hold about this many rows of
# exponents (a few hundred MB at most) whatever the number of alternatives, whose square once took
# gigabytes, and a solve's limits are checked between blocks.
PAIRS_AT_ONCE = 1 << 18


def _integer_rows(algebra: Algebra, monos: list):
    """What both comparisons of pairs read, over a common denominator ``scale``: ``(free,
    bounded, F, B, usable, scale)``, with F and B each monomial's exponents (times ``scale``) in
    the names not known >= 1 (``free``) and in those known >= 1 (``bounded``), and ``usable`` the
    small products a ratio can match (free part -> integer rows over the bounded names)."""
    at_least_one = algebra.at_least_one
    free = sorted({name for m in monos for name, _ in m.powers if name not in at_least_one})
    bounded = sorted({name for m in monos for name, _ in m.powers if name in at_least_one})
    usable = {}  # free part -> rows over ``bounded``, for the products a ratio can match
    for key, rows in _maximal_products(algebra._generators, at_least_one).items():
        if all(name in free for name, _ in key):
            rows = [r for r in rows if all(e >= 0 for name, e in r.items() if name not in bounded)]
            if rows:
                usable[key] = [[r.get(name, 0) for name in bounded] for r in rows]
    exponents = [e for m in monos for _, e in m.powers]
    exponents += [e for key, rows in usable.items() for e in [v for _, v in key] + sum(rows, [])]
    scale = lcm(1, *(e.denominator for e in exponents))
    ints = lambda values: [[int(v * scale) for v in row] for row in values]
    powers = [dict(m.powers) for m in monos]
    F = ints([[p.get(name, 0) for name in free] for p in powers])
    B = ints([[p.get(name, 0) for name in bounded] for p in powers])
    return free, bounded, F, B, {key: ints(rows) for key, rows in usable.items()}, scale


def _dominance(algebra: Algebra, monos: list) -> numpy.ndarray:
    """``out[j, i]``: ``monos[j] <= monos[i]`` is provable (``Algebra.ratio_at_most`` of their
    ratio), for every pair at once. Lowering a deep or many-teacher network prunes sets of a
    thousand or more alternatives thousands of times, so the pairs are compared as arrays: the
    exponents, over a common denominator, as integer rows; a ratio is ``g * r`` when its part in
    names not known >= 1 equals a small product's, and its other exponents are at most that
    product's (``_maximal_products``: only products no other one exceeds need be tried)."""
    import numpy

    n = len(monos)
    free, bounded, F_rows, B_rows, usable, scale = _integer_rows(algebra, monos)
    values = [v for rows in (F_rows, B_rows, *usable.values()) for row in rows for v in row]
    large = max(map(abs, values), default=0) >= 2**60
    ints = lambda rows, width: numpy.array(rows, dtype=object if large else numpy.int64).reshape(
        len(rows), width
    )
    F = ints(F_rows, len(free))
    B = ints(B_rows, len(bounded))
    out = numpy.zeros((n, n), dtype=bool)
    codes, targets = _free_codes(F, free, scale, usable)
    products = {key: ints(usable[key], len(bounded)) for key in targets}
    rows = max(1, PAIRS_AT_ONCE // max(n, 1))
    for start in range(0, n, rows):  # a block of rows j at a time: memory stays bounded
        stop = min(n, start + rows)
        for key, match in _pairs_by_free_part(codes, targets, start, stop, n):
            R = products[key]
            js, is_ = numpy.nonzero(match)  # the pairs with this free part, usually few
            if len(js):
                js += start
                diffs = B[js] - B[is_]
                near = (diffs <= R.max(axis=0)).all(axis=1)
                js, is_, diffs = js[near], is_[near], diffs[near]
                fits = (diffs[:, None, :] <= R[None, :, :]).all(axis=2).any(axis=1)
                out[js[fits], is_[fits]] = True
    numpy.fill_diagonal(out, False)
    return out


def _free_codes(F, free: list, scale: int, usable: dict):
    """``(codes, targets)``: each row of F read as one integer in base ``base``, wide enough that
    the difference of two codes is the code of their difference, and the code of each free part
    of ``usable`` that a difference can equal (``codes`` None when nothing is free: every pair
    has the empty part). A pair matches a key by one comparison."""
    import numpy

    if not free:
        return None, ({(): None} if () in usable else {})
    base = 4 * int(abs(F).max()) + 1
    if base ** len(free) >= 2**62:  # codes would overflow 64 bits: Python integers
        F = F.astype(object)
    weights = numpy.array([base**k for k in range(len(free))], dtype=F.dtype)
    targets = {}
    for key in usable:
        exponents = dict(key)
        row = [int(exponents.get(name, 0) * scale) for name in free]
        if all(2 * abs(v) < base for v in row):  # else no difference of two rows equals it
            targets[key] = sum(v * w for v, w in zip(row, weights.tolist()))
    return F @ weights, targets


def _pairs_by_free_part(codes, targets: dict, start: int, stop: int, n: int):
    """``(key, mask)`` for each free part ``key`` in ``targets`` that some pair's ratio has, over
    rows ``start:stop``: ``mask[j - start, i]`` where monos[j] / monos[i] has exactly that part
    (names not known >= 1)."""
    import numpy

    if codes is None:
        for key in targets:
            yield key, numpy.ones((stop - start, n), dtype=bool)
        return
    pairs = codes[start:stop, None] - codes[None, :]
    for key, target in targets.items():
        match = pairs == target
        if match.any():
            yield key, match


def _maximal(rows) -> list:
    """The rows no other row is at least in every place. Taken by decreasing sum, a row is
    compared with the maximal rows found so far only: a row above it has a larger sum (or is
    equal), and is itself at most some maximal row already found."""
    kept: list = []
    for row in sorted(set(rows), key=sum, reverse=True):
        if not any(all(map(le, row, other)) for other in kept):
            kept.append(row)
    return kept


@lru_cache(maxsize=4096)
def _maximal_products(generators: frozenset, at_least_one: frozenset) -> dict:
    """The small products by their part in names not known >= 1 (``_product_index``), each group
    kept to the products whose exponents no other product of the group exceeds in every name
    known >= 1: a ratio below one of the others is below one of these."""
    out = {}
    for key, (names, rows, _) in _product_index(generators, at_least_one).items():
        out[key] = [dict(zip(names, r)) for r in sorted(_maximal(rows))]
    return out
