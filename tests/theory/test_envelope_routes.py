"""``kernels.prune``'s second stage: a route goes only when it is never the largest.

The envelope is checked against its meaning, not its LPs: at sampled points of the region (the
logs of names known >= 1 non-negative, the known-small monomials' logs non-positive) the largest
route kept equals the largest of all, exactly; and routes that some point makes the strict
maximum all stay.
"""

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from scalelang.algebra.monomial import Mono
from scalelang.theory.envelope_routes import upper_envelope
from scalelang.theory.kernels import Algebra, prune, prune_pairwise

NAMES = ("d", "N", "M", "beta")  # beta is the one name not known to be >= 1
LARGE = frozenset({"d", "N", "M"})
EXPONENTS = st.sampled_from([Fraction(k, q) for q in (1, 2, 3) for k in range(-4, 5)])


def monos(min_size, max_size):
    mono = st.dictionaries(st.sampled_from(NAMES), EXPONENTS, max_size=3).map(Mono.of)
    return st.lists(mono, min_size=min_size, max_size=max_size)


def log(mono: Mono, point: dict) -> Fraction:
    return sum(e * point[name] for name, e in mono.powers)


def region_points(small, count=300, seed=0):
    """Rational points of the region, drawn at random and kept when they satisfy its bounds."""
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        point = {n: Fraction(rng.randint(0, 12), rng.randint(1, 4)) for n in LARGE}
        point["beta"] = Fraction(rng.randint(-12, 12), rng.randint(1, 4))
        if all(log(m, point) <= 0 for m in small):
            points.append(point)
    return points


@settings(max_examples=200, deadline=None)
@given(routes=monos(1, 8), small=monos(0, 3))
def test_the_largest_route_kept_is_the_largest_of_all(routes, small):
    kept = upper_envelope(LARGE, frozenset(small), routes)
    assert kept <= set(routes) and kept
    for point in region_points(small):
        assert max(log(m, point) for m in kept) == max(log(m, point) for m in routes)


@settings(max_examples=200, deadline=None)
@given(routes=monos(1, 8), small=monos(0, 3))
def test_a_route_that_is_strictly_largest_somewhere_stays(routes, small):
    kept = upper_envelope(LARGE, frozenset(small), routes)
    distinct = sorted(set(routes))
    for point in region_points(small):
        values = [log(m, point) for m in distinct]
        top = max(values)
        if values.count(top) == 1:
            assert distinct[values.index(top)] in kept


def test_a_mixed_product_below_two_pure_powers_goes():
    """x y^2 <= max(x^3, y^3) (a weighted mean of logs is at most their maximum), though
    neither pure power is above it everywhere: the pairwise test keeps all three."""
    x3, y3, mixed = Mono.of({"N": 3}), Mono.of({"M": 3}), Mono.of({"N": 1, "M": 2})
    a = Algebra(teachers=1, max_degree=3, bulk=Mono.of({"d": -1}), at_least_one=LARGE)
    assert prune_pairwise(a, [x3, y3, mixed]) == {x3, y3, mixed}
    assert prune(a, [x3, y3, mixed]) == {x3, y3}


def test_a_bound_proves_a_fractional_power_smaller():
    """beta^-6 <= 1 means beta >= 1, so beta^-5 <= 1: no product of known-small factors is
    beta^-5, but the LP sees it."""
    a = Algebra(
        teachers=1,
        max_degree=3,
        bulk=Mono.of({"d": -1}),
        at_least_one=LARGE,
        at_most_one=frozenset({Mono.of({"beta": -6})}),
    )
    one, fifth = Mono.of({}), Mono.of({"beta": -5})
    assert prune_pairwise(a, [one, fifth]) == {one, fifth}
    assert prune(a, [one, fifth]) == {one}


def test_routes_each_largest_somewhere_all_stay():
    both = {Mono.of({"N": 1, "d": -1}), Mono.of({"d": 1, "N": -1})}
    assert upper_envelope(LARGE, frozenset(), both) == both
