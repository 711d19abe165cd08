"""compare_assignments against the exhaustive comparison of every assignment, on coupled chains.

The branch and bound prunes prefixes by LPs at points and solves only the assignments those LPs
cannot show dominated; the exhaustive reference solves every assignment and compares them all
with ``compare``. Both must give the same regions (winners, ties, values, optimum pieces), the
same boundaries and the same infeasible cells, exactly. Regions are compared as sets: the two
build their cells in different orders.
"""

import itertools
import random
from fractions import Fraction as F

import pytest
import sympy

from scalelang.exponents import Affine, compare, compare_assignments, program_from_sympy, solve

d, N = sympy.symbols("d N", positive=True)
COORDS = ("d", "N")
DOM = (Affine.var("d"), Affine.var("N"))
LOG = {"d": Affine.var("d"), "N": Affine.var("N")}


def synthetic_cost(choice, me, prev):
    """The four layer costs of benchmarks/solve_bench.py's synthetic chain."""
    return [
        me * prev + N / me,
        d**2 * prev / me + me,
        me * N / prev + prev * d / me,
        d**3 / me + me**2,
    ][choice]


def random_costs(seed, count):
    """``count`` layer costs, each two monomials in (me, prev, d, N) with small rational powers
    of both signs, so that layers couple both ways."""
    rng = random.Random(seed)
    powers = [F(k, 2) for k in range(-4, 5)]

    def monomial():
        return sympy.Mul(*(s ** sympy.Rational(rng.choice(powers)) for s in (d, N)))

    made = []
    for _ in range(count):
        a, b = rng.choice([1, 2]), rng.choice([1, 2])
        p, q = rng.choice([-1, 0, 1]), rng.choice([-1, 0, 1])
        made.append((monomial(), a, p, monomial(), b, q))

    def cost(choice, me, prev):
        m1, a, p, m2, b, q = made[choice]
        return m1 * me**a * prev**p + m2 * prev**q / me**b

    return cost


def chain(depth, cost):
    """``program_of`` for a chain: layer l's cost couples u_l to u_(l-1) (d before the first);
    a prefix's program is a subset of its completions' terms and bounds."""
    u = sympy.symbols(f"u1:{depth + 1}", positive=True)

    def program_of(prefix):
        energy = sum(cost(c, u[i], u[i - 1] if i else d) for i, c in enumerate(prefix))
        bounds = [(1, u[i], N) for i in range(len(prefix))]
        return program_from_sympy(energy, list(u[: len(prefix)]), bounds, LOG, str(prefix))

    return program_of


def exhaustive(depth, choices, program_of):
    keys = itertools.product(*[choices] * depth)
    return compare([(k, solve(program_of(k), COORDS, DOM)) for k in keys], COORDS, DOM)


def piece(p):
    return (p.value, p.region, tuple(sorted(p.optimum.items())), p.unique, p.balanced, p.binding)


def answer(ph):
    """The answer, order aside: regions with winners, value and pieces; boundaries; infeasible."""
    regions = {
        (r.winners, r.value, r.region, tuple((k, piece(p)) for k, p in r.pieces.items()))
        for r in ph.regions
    }
    return regions, set(ph.boundaries), set(ph.infeasible)


def check(depth, choices, cost):
    program_of = chain(depth, cost)
    got = compare_assignments([choices] * depth, program_of, COORDS, DOM)
    want = exhaustive(depth, choices, program_of)
    assert len(got.regions) == len(want.regions)
    assert answer(got) == answer(want)
    winners = {k for r in got.regions for k in r.winners}
    assert winners <= set(got.candidates)
    return got


@pytest.mark.parametrize("depth", [2, 3, 4])
def test_synthetic_chain_matches_exhaustive(depth):
    got = check(depth, range(4), synthetic_cost)
    assert any(len(r.winners) > 1 for r in got.regions)  # the chains tie: ties are compared too
    assert got.stats["solved"] < 4**depth  # and most assignments are never solved


@pytest.mark.parametrize("seed", [3, 11])
def test_random_coupled_chain_matches_exhaustive(seed):
    check(3, range(3), random_costs(seed, 3))


class _Everything:
    def __contains__(self, item):
        return True


@pytest.mark.parametrize("depth", [2, 3])
def test_merging_cells_on_the_way_and_skipping_pairs_without_a_facet_change_nothing(depth):
    """Cells of equal winners and value are merged as the envelope grows (``_tidied``), and the
    boundaries skip pairs whose tie hyperplane carries no facet of one of them
    (``_facet_planes``). Never merging, merging after every candidate, and asking every pair
    give exactly the same answer, by branch and bound and exhaustively."""
    from unittest import mock

    from scalelang.exponents import envelope

    program_of = chain(depth, synthetic_cost)
    answers = []
    for factor, every_pair in [(10**9, True), (0, False), (envelope.MERGE_FACTOR, False)]:
        with mock.patch.object(envelope, "MERGE_FACTOR", factor):
            planes = (lambda region: _Everything()) if every_pair else envelope._facet_planes
            with mock.patch.object(envelope, "_facet_planes", planes):
                got = compare_assignments([range(4)] * depth, program_of, COORDS, DOM)
                want = exhaustive(depth, range(4), program_of)
        assert answer(got) == answer(want)
        answers.append(answer(got))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][1]  # there are boundaries to find
