"""``kernels.prune_pairwise`` against its definition, pair by pair.

prune_pairwise walks the alternatives as bitsets (``_kept_by_bitsets``) or, for large sets, over
integer arrays of every pair (``_dominance``); each test runs both (``ARRAYS_FROM`` moved). The
oracle walks them in order and drops one when a kept other one provably dominates it, asking
``Algebra.ratio_at_most`` of each ratio: the two must keep exactly the same monomials.
"""

from fractions import Fraction
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scalelang.algebra.monomial import Mono
from scalelang.theory import kernels
from scalelang.theory.kernels import Algebra
from scalelang.theory.kernels import prune_pairwise as prune

NAMES = ("d", "N", "M", "D", "beta")  # beta is the one name not known to be >= 1
EXPONENTS = st.sampled_from([Fraction(k, q) for q in (1, 2, 3, 7) for k in range(-6, 7)])


def monos(max_size):
    mono = st.dictionaries(st.sampled_from(NAMES), EXPONENTS, max_size=4).map(Mono.of)
    return st.lists(mono, min_size=0, max_size=max_size)


def oracle(algebra, alternatives):
    ordered = sorted(set(alternatives))
    alive = [True] * len(ordered)
    for j, small in enumerate(ordered):
        for i, large in enumerate(ordered):
            if i != j and alive[i] and algebra.ratio_at_most(small / large):
                alive[j] = False
                break
    return frozenset(m for m, keep in zip(ordered, alive) if keep)


@pytest.fixture(autouse=True, params=["bitsets", "arrays"])
def way(request):
    """Every test once with the bitsets and once with the arrays of every pair."""
    at = kernels.ARRAYS_FROM if request.param == "bitsets" else -1
    with mock.patch.object(kernels, "ARRAYS_FROM", at):
        yield request.param


def algebra(small):
    return Algebra(
        teachers=1,
        max_degree=3,
        bulk=Mono.of({"d": -1}),
        at_least_one=frozenset({"d", "N", "M", "D"}),
        at_most_one=frozenset(small),
    )


@settings(max_examples=300, deadline=None)
@given(alternatives=monos(40), small=monos(4))
def test_prune_keeps_what_the_pairwise_definition_keeps(alternatives, small):
    a = algebra(small)
    assert prune(a, alternatives) == oracle(a, alternatives)


def test_prune_drops_a_route_a_bound_proves_smaller():
    """M <= N (a pattern's bound) proves M/d <= N/d; nothing proves N/d against d/N."""
    a = algebra([Mono.of({"M": 1, "N": -1})])
    kept = prune(
        a, [Mono.of({"M": 1, "d": -1}), Mono.of({"N": 1, "d": -1}), Mono.of({"d": 1, "N": -1})]
    )
    assert kept == {Mono.of({"N": 1, "d": -1}), Mono.of({"d": 1, "N": -1})}


def test_of_equal_alternatives_one_stays():
    a = algebra([])
    assert prune(a, [Mono.of({"beta": 1}), Mono.of({"beta": 1, "d": 0})]) == {Mono.of({"beta": 1})}


def test_a_bound_in_a_name_no_alternative_has_proves_nothing():
    """M <= N says nothing about M against d when N is not in play (the ratio M/d has no N to
    cancel): both stay."""
    a = algebra([Mono.of({"M": 1, "N": -1})])
    both = {Mono.of({"M": 1}), Mono.of({"d": 1})}
    assert prune(a, both) == both


def test_many_free_names_with_large_exponents():
    """Six names not known >= 1 with exponents over a large common denominator: the arrays' pair
    codes outgrow 64 bits and are computed in Python integers, with the same answer."""
    names = [f"beta{k}" for k in range(6)]
    a = Algebra(
        teachers=1,
        max_degree=3,
        bulk=Mono.of({"d": -1}),
        at_least_one=frozenset({"d"}),
        at_most_one=frozenset({Mono.of({"beta0": 1})}),
    )
    alternatives = [
        Mono.of({n: Fraction(k + 1, 11 + 2 * i) for i, n in enumerate(names)}) for k in range(4)
    ]
    alternatives += [m * Mono.of({"beta0": 1, "d": -1}) for m in alternatives]
    assert prune(a, alternatives) == oracle(a, alternatives)
    assert len(prune(a, alternatives)) == 4


@settings(max_examples=200, deadline=None)
@given(alternatives=monos(12), small=monos(4), at_once=st.integers(1, 40))
def test_prune_is_the_same_pair_block_by_block(alternatives, small, at_once):
    """``_dominance`` compares ``PAIRS_AT_ONCE`` pairs at a time (whole rows, at least one), so
    that its memory stays bounded: any block gives the pairwise definition's answer."""
    if kernels.ARRAYS_FROM >= 0:
        pytest.skip("blocks are the arrays'")
    a = algebra(small)
    with mock.patch.object(kernels, "PAIRS_AT_ONCE", at_once):
        assert prune(a, alternatives) == oracle(a, alternatives)


@settings(max_examples=150, deadline=None)
@given(alternatives=monos(12), small=monos(3))
def test_prune_under_renamed_names_is_the_pruning_of_the_names_given(alternatives, small):
    """``kernels.prune`` prunes under names renamed by rank and renames back: the routes it
    keeps are those the pruning keeps under the names given, and the same routes under other
    names of the same order (M2 for M) read the same answer."""
    a = algebra(small)
    ordered = tuple(sorted(set(alternatives)))
    if len(ordered) < 2:
        return
    names = {n for m in ordered for n, _ in m.powers}
    direct = kernels._prune.__wrapped__(
        frozenset(a.at_least_one & names),
        frozenset(g for g in a._generators if g.names() <= names),
        ordered,
    )
    assert kernels.prune(a, alternatives) == direct
    shifted = {"M": "M2"}  # D < M2 < N < beta < d: the order of D < M < N < beta < d
    renamed = [Mono.of({shifted.get(n, n): e for n, e in m.powers}) for m in alternatives]
    b = Algebra(
        1,
        3,
        a.bulk,
        frozenset({"d", "N", "M2", "D"}),
        frozenset(Mono.of({shifted.get(n, n): e for n, e in g.powers}) for g in small),
    )
    back = {
        Mono.of({"M" if n == "M2" else n: e for n, e in m.powers})
        for m in kernels.prune(b, renamed)
    }
    assert back == direct
