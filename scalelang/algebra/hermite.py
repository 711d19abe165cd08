"""Hermite content of activations: which degrees a neuron can carry.

Owns the computation of the probabilists' Hermite coefficients c_k = E[phi(z) He_k(z)] / k! of an
activation under a standard Gaussian, and of the products of Hermite polynomials. Nothing here is
tabulated: polynomial activations are expanded exactly with sympy; any other activation is
integrated in mpmath at 20 digits: smooth ones by 160-point Gauss-Hermite quadrature, ones with a
kink (Max, Abs, sign...) adaptively and split at 0 (so ReLU's kink is
integrated accurately). A coefficient counts as zero when its normalized size
|c_k| sqrt(k!) (the weight of He_k/sqrt(k!), an orthonormal basis) is below 1e-12: c_k itself
carries 1/k!, and the true coefficients of erf fall below 1e-12 from degree 21 on while their
normalized size is still about 1e-3; the quadrature's error in the normalized size is near
1e-19. Parity, when sympy can prove it, zeroes half the coefficients exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy

from scalelang.support import cache

Z = sympy.Symbol("z", real=True)
ZERO_TOLERANCE = mpmath.mpf("1e-12")


CACHE_VERSION = "2"  # bump when the way coefficients are computed or tested for zero changes
HOMOGENEITY_CACHE_VERSION = "1"  # bump when _homogeneity_degree changes
LAZY_CACHE_VERSION = "2"  # bump when the rule of _lazy_powers changes (2: biased inputs)


@lru_cache(maxsize=None)
def hermite_content(expr: sympy.Expr, max_degree: int) -> frozenset[int]:
    """Degrees k <= max_degree with a non-zero Hermite coefficient in ``expr`` (a function of z).

    Quadrature costs a noticeable part of a solve, and the answer depends only on the expression,
    so it is kept in the on-disk cache (scalelang.support.cache) across runs.
    """

    def compute():
        return [k for k, c in enumerate(hermite_coefficients(expr, max_degree)) if c != 0]

    key = f"{CACHE_VERSION}|{max_degree}|{sympy.srepr(expr)}"
    return frozenset(cache.remembered("hermite", key, compute))


MAX_SEARCH = 64  # the highest degree looked at for a power above the target's (the degree limit)


@lru_cache(maxsize=None)
def lazy_content(expr: sympy.Expr, max_degree: int, biased: bool = False) -> frozenset[int]:
    """The powers of the activation a lazy layer uses: its content up to the target's degree,
    and, for each parity whose highest degree up to the target's is missing, the lowest degree
    above it of that parity (z^3 - 3z carries He1 only as He3 of He1 and a pair of bulk
    directions, at 1/d^2; z + He4 carries He2 through its fourth power). Higher powers make a
    feature only with extra factors that are each at most 1, so the lowest one that makes it
    dominates the rest. ``biased``: the input kernel has a constant part of order one (the
    layer below has an activation of non-zero mean, which gives every neuron here a random
    bias); a power then makes every lower degree too, padded with that constant, so unless the
    target's degree is itself a power, the lowest power above it of either parity is added (erf
    after relu carries He2 through its third power: He1 He1 times the constant). One entry in the
    on-disk cache: the search may compute dozens of coefficients by quadrature (none of relu's odd
    ones above 1 is non-zero)."""
    key = f"{CACHE_VERSION}|lazy{LAZY_CACHE_VERSION}|{max_degree}|{int(biased)}|{sympy.srepr(expr)}"
    return frozenset(
        cache.remembered("hermite", key, lambda: sorted(_lazy_powers(expr, max_degree, biased)))
    )


def _lazy_powers(expr: sympy.Expr, max_degree: int, biased: bool) -> set[int]:
    content = set(hermite_content(expr, max_degree))
    polynomial = expr.is_polynomial(Z)
    top = min(MAX_SEARCH, sympy.degree(expr, Z)) if polynomial else MAX_SEARCH
    coefficients = hermite_coefficients(expr, top) if polynomial else None
    known = None if polynomial else _parity(expr)
    nonzero = lambda degree: (
        (coefficients[degree] if polynomial else _coefficient(expr, degree)) != 0
    )
    return _with_powers_above(content, max_degree, top, nonzero, biased, known)


def _with_powers_above(
    content, max_degree: int, top: int, has, biased: bool, parity: int | None = None
) -> set[int]:
    """``content`` and the powers above the target's degree that ``lazy_content`` adds: for
    each parity whose highest degree up to the target's is missing, the lowest degree of that
    parity that the activation ``has``, up to ``top`` (none of the parity an odd or even
    function lacks); with a bias, the lowest degree above of either parity unless the target's
    degree is itself a power (it then pads every lower degree itself)."""
    powers = set(content)
    for p in (0, 1):
        highest = max_degree if max_degree % 2 == p else max_degree - 1
        if highest < 0 or highest in content or (parity is not None and parity != p):
            continue
        for degree in range(max_degree + 1 + (max_degree + 1 + p) % 2, top + 1, 2):
            if has(degree):
                powers.add(degree)
                break
    if biased and max_degree not in content:
        powers.update(next(([d] for d in range(max_degree + 1, top + 1) if has(d)), []))
    return powers


TAYLOR_CACHE_VERSION = "1"  # bump when taylor_degrees changes
TAYLOR_MARGIN = 8  # Taylor degrees computed beyond the highest degree a layer may need


@lru_cache(maxsize=None)
def taylor_degrees(expr: sympy.Expr, order: int) -> tuple[int, ...] | None:
    """The degrees t <= order whose Taylor coefficient phi^(t)(0)/t! is not zero, or None when
    phi is not analytic at 0 (a kink: relu, abs) or sympy cannot expand it. A neuron whose
    pre-activation variance q goes to zero acts through these: phi(sqrt(q) g) = sum_t a_t
    q^(t/2) g^t (``Graded``). Exact (sympy's series); kept in the on-disk cache."""
    if expr.has(*_KINKS):
        return None

    def compute():
        try:
            series = sympy.series(expr, Z, 0, order + 1).removeO()
            poly = sympy.Poly(sympy.expand(series), Z)
        except (sympy.PolynomialError, ValueError, NotImplementedError, TypeError):
            return None
        degrees = [m[0] for m, c in zip(poly.monoms(), poly.coeffs()) if c != 0 and m[0] <= order]
        if any(not c.is_real for c in poly.coeffs()):
            return None
        return sorted(degrees)

    key = f"{TAYLOR_CACHE_VERSION}|{order}|{sympy.srepr(expr)}"
    found = cache.remembered("taylor", key, compute)
    return None if found is None else tuple(found)


@dataclass(frozen=True)
class Graded:
    """A smooth activation at vanishing pre-activation variance q (its Taylor regime).

    The Hermite coefficient of degree j of phi(sqrt(q) g) is, to leading order, a_t q^(t/2)
    E[g^t He_j]/j! with t = ``order[j]``, the lowest Taylor degree >= j of j's parity (the
    moment is positive), so the lazy map's j-th power carries the weight q^order[j] and the
    next kernel's variance is q^min(t) (erf: q, q^3, q^5 for its first, third, fifth powers,
    as z + z^3 + z^5 would have). ``content``: the degrees up to the target's that some t
    reaches; ``powers``: those the lazy map forms (``lazy_content``'s rule with this content);
    ``taylor``: the Taylor degrees themselves, for specialists (phi of a locked feature)."""

    taylor: tuple[int, ...]
    order: dict
    content: frozenset[int]
    powers: frozenset[int]

    @property
    def variance_order(self) -> int:
        return self.taylor[0]

    def __hash__(self):
        return hash((self.taylor, self.powers))


@lru_cache(maxsize=None)
def graded(expr: sympy.Expr, max_degree: int, biased: bool = False) -> Graded | None:
    """``Graded`` for ``expr`` when it is analytic at 0 with a non-zero Taylor coefficient, else
    None. Degrees up to the target's plus a margin are looked at: a power above that reaches a
    feature only through extra factors of at most one each, times a smaller weight."""
    top = max_degree + TAYLOR_MARGIN
    taylor = taylor_degrees(expr, top)
    if not taylor:
        return None
    order = {}
    for j in range(top + 1):
        t = next((t for t in taylor if t >= j and (t - j) % 2 == 0), None)
        if t is not None:
            order[j] = t
    content = frozenset(j for j in order if j <= max_degree)
    powers = _with_powers_above(content, max_degree, top, order.__contains__, biased)
    return Graded(taylor, order, content, frozenset(powers))


@lru_cache(maxsize=None)
def biased_content(expr: sympy.Expr, degree: int, max_degree: int) -> frozenset[int]:
    """The degrees (in the teacher's He basis, up to ``max_degree``) that phi(b + F) carries, F
    = He_degree(u) normalized, for a generic O(1) bias b. For a polynomial phi of degree p,
    phi(b + F) = sum_{j<=p} phi^(j)(b)/j! F^j exactly, so the degrees are those of He_degree^j
    over j <= p, which the product rule's positive weights never cancel: z^2 of b + He3 carries
    He0, He2, He3, He4, He6, no He1, no He5. For any other phi every power of F is taken to
    occur (for F = w.x the coefficients E[phi^(j)(b + z)]/j! are the derivatives of the
    Gaussian-smoothed phi at b, none identically zero)."""
    if expr.is_polynomial(Z):  # not zero: check refuses an activation that does not vary
        powers = int(sympy.degree(expr, Z))
    else:
        powers = max_degree  # higher powers of He_degree add no degree up to max_degree
    carried, present = {0}, {0}
    for _ in range(powers):
        present = {m for p in present for m in product_support(p, degree)}
        carried |= {m for m in present if m <= max_degree}
    return frozenset(carried)


@lru_cache(maxsize=None)
def hermite_coefficients(expr: sympy.Expr, max_degree: int) -> tuple:
    """c_0..c_max_degree; exact Rationals for polynomials, mpmath floats (or exact 0) otherwise."""
    expr = sympy.sympify(expr)
    if expr.is_polynomial(Z):
        return _polynomial_coefficients(expr, max_degree)
    return tuple(_coefficient(expr, k) for k in range(max_degree + 1))


@lru_cache(maxsize=None)
def _coefficient(expr: sympy.Expr, k: int):
    """c_k of a function that is not a polynomial (one at a time: ``lazy_content`` searches)."""
    parity = _parity(expr)
    if parity is not None and k % 2 != parity:
        return 0
    if expr.has(*_KINKS):
        return _quadrature_coefficient(expr, k)
    return _gauss_hermite_coefficient(expr, k)


def _polynomial_coefficients(expr: sympy.Expr, max_degree: int) -> tuple:
    """Exact expansion of a polynomial in the He_k basis, by peeling off the leading degree."""
    poly = sympy.Poly(sympy.expand(expr), Z)
    coefficients = [sympy.Integer(0)] * (max(poly.degree(), max_degree) + 1)
    while not poly.is_zero:
        degree = poly.degree()
        lead = poly.LC()
        coefficients[degree] = lead
        poly = poly - sympy.Poly(lead * sympy.hermite_prob(degree, Z), Z)
    return tuple(coefficients[: max_degree + 1])


@lru_cache(maxsize=None)
def _parity(expr: sympy.Expr) -> int | None:
    """0 for an even function, 1 for an odd one, None when it is neither (or sympy cannot tell).

    sympy's automatic simplification usually settles it (erf(-u) is -erf(u)); only when it does
    not is the slower ``simplify`` asked.
    """
    mirrored = expr.subs(Z, -Z)
    for parity, candidate in ((0, mirrored - expr), (1, mirrored + expr)):
        if sympy.expand(candidate) == 0:
            return parity
    if expr.has(*_KINKS):
        return None  # simplify is slow on Max/Abs and quadrature settles the parity anyway
    for parity, candidate in ((0, mirrored - expr), (1, mirrored + expr)):
        if sympy.simplify(candidate) == 0:
            return parity
    return None


# Functions with a kink or a jump: Gauss-Hermite converges slowly on them, so they get
# adaptive quadrature split at 0.
_KINKS = (sympy.Max, sympy.Min, sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Piecewise)
_GAUSS_NODES = 160


def _gauss_hermite_coefficient(expr: sympy.Expr, k: int):
    """c_k of a smooth activation by 160-point Gauss-Hermite quadrature in mpmath.

    Exact for polynomials up to degree 319 and exponentially accurate for analytic functions,
    which is all a zero test at 1e-12 needs; far cheaper than adaptive quadrature.
    """
    nodes, weights = _gauss_hermite_rule()
    function = _mpmath_function(expr)
    with mpmath.workdps(20):
        total = mpmath.fsum(w * function(x) * _hermite_value(k, x) for x, w in zip(nodes, weights))
        return _unless_negligible(total, k)


@lru_cache(maxsize=1)
def _gauss_hermite_rule() -> tuple:
    """Nodes and weights for E[f(z)], z ~ N(0, 1) (probabilists' Gauss-Hermite)."""
    from numpy.polynomial.hermite_e import hermegauss

    nodes, weights = hermegauss(_GAUSS_NODES)
    norm = sum(weights)
    return ([mpmath.mpf(float(x)) for x in nodes], [mpmath.mpf(float(w / norm)) for w in weights])


@lru_cache(maxsize=None)
def _mpmath_function(expr: sympy.Expr):
    return sympy.lambdify(Z, expr, "mpmath")


def _hermite_value(k: int, x):
    """He_k(x) by the three-term recurrence."""
    previous, current = mpmath.mpf(1), x
    if k == 0:
        return previous
    for n in range(1, k):
        previous, current = current, x * current - n * previous
    return current


def _quadrature_coefficient(expr: sympy.Expr, k: int):
    function = sympy.lambdify(Z, expr, "mpmath")
    hermite = sympy.lambdify(Z, sympy.hermite_prob(k, Z), "mpmath")
    with mpmath.workdps(20):
        weight = 1 / mpmath.sqrt(2 * mpmath.pi)
        moment = mpmath.quad(
            lambda x: function(x) * hermite(x) * mpmath.exp(-x * x / 2) * weight,
            [-mpmath.inf, 0, mpmath.inf],
        )
        return _unless_negligible(moment, k)


def _unless_negligible(moment, k: int):
    """c_k = E[phi He_k] / k!, or 0 where its normalized size E[phi He_k] / sqrt(k!) is below
    the tolerance (see the module's docstring)."""
    if abs(moment) / mpmath.sqrt(mpmath.factorial(k)) < ZERO_TOLERANCE:
        return 0
    return moment / mpmath.factorial(k)


@lru_cache(maxsize=None)
def homogeneity_degree(expr: sympy.Expr) -> int | Fraction | None:
    """p such that phi(c z) = c^p phi(z) for c > 0 (linear, relu, z^2, |z|^(3/2) ...), else None.

    Evaluating phi at thirty digits is a visible part of a small solve, and the answer depends
    only on the expression, so it is kept in the on-disk cache like the Hermite content."""
    key = f"{HOMOGENEITY_CACHE_VERSION}|{sympy.srepr(expr)}"
    found = cache.remembered(
        "homogeneity", key, lambda: cache.optional_text(_homogeneity_degree(expr))
    )
    if found is None:
        return None
    p = Fraction(found)
    return int(p) if p.denominator == 1 else p


def _homogeneity_degree(expr: sympy.Expr) -> int | Fraction | None:
    """``homogeneity_degree`` computed.

    The candidate p is read off phi(2z)/phi(z) = 2^p at one sample point (as a rational with a
    small denominator), then checked exactly where possible at every sample point: enough to tell
    a power law of any degree from erf or tanh, which is all the caller needs (how a pre-activation
    variance that is not O(1) scales the neuron's output).
    """
    points = [sympy.Rational(n, 3) for n in (-7, -2, 1, 4, 11)]
    values = {x: sympy.N(expr.subs(Z, x), 30) for x in points + [2 * x for x in points]}
    if not all(v.is_real and v.is_finite for v in values.values()):
        return None  # complex (sqrt(z) at z < 0), infinite or undefined somewhere: no power law
    candidate = None
    for x in points:
        low, high = values[x], values[2 * x]
        if low != 0 and high / low > 0:
            candidate = Fraction(float(sympy.log(high / low, 2))).limit_denominator(1000)
            break
    if candidate is None or candidate < 0:
        return None
    p = int(candidate) if candidate.denominator == 1 else candidate
    power = sympy.Rational(p.numerator, p.denominator) if isinstance(p, Fraction) else p
    if all(_close(expr.subs(Z, 2 * x), 2**power * expr.subs(Z, x)) for x in points):
        return p
    return None


def _close(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Equal to 20 digits; False for anything not a finite real number (nan, zoo, complex)."""
    difference, scale = sympy.N(a - b, 30), sympy.N(b, 30)
    if not (difference.is_real and difference.is_finite and scale.is_real and scale.is_finite):
        return False
    return abs(difference) < 1e-20 * (1 + abs(scale))


def product_support(a: int, b: int) -> range:
    """Degrees present in He_a * He_b: |a-b|, |a-b|+2, ..., a+b (all with non-zero weight)."""
    return range(abs(a - b), a + b + 1, 2)
