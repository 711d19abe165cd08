"""The Hadamard powers of a kernel's spectrum against their definition, multiset by multiset.

``hadamard_powers`` combines factors one key at a time; the oracle here enumerates every multiset
of factors (as the definition in kernels.py reads) and must give the same features and the same
eigenvalue alternatives, exactly.
"""

from collections import Counter
from itertools import combinations_with_replacement

from hypothesis import given, settings
from hypothesis import strategies as st

from scalelang.algebra.monomial import ONE, Mono
from scalelang.theory.kernels import BULK, Algebra, _multiset_support, hadamard_powers


def oracle(algebra, spectrum, highest):
    keys = sorted(spectrum, key=lambda k: (1, ()) if k == BULK else (0, k))
    powers = [{}]
    for j in range(1, highest + 1):
        result = {}
        for factors in combinations_with_replacement(keys, j):
            counts = Counter(factors)
            bulk = counts.pop(BULK, 0)
            if bulk % 2:
                continue
            alternatives = {algebra.bulk ** (bulk // 2)}
            for f, k in counts.items():
                alternatives = {x * a**k for x in alternatives for a in spectrum[f]}
            for h in _multiset_support(algebra, counts):  # the product rule on one multiset
                result[h] = frozenset(result.get(h, frozenset()) | alternatives)
        powers.append(result)
    return powers


def spectra(teachers):
    degree = st.tuples(*[st.integers(0, 3)] * teachers).filter(lambda f: 0 < sum(f) <= 4)
    route = st.builds(
        lambda a, b: Mono.symbol("d") ** -a * Mono.symbol("N") ** b,
        st.integers(0, 4),
        st.integers(-2, 2),
    )
    return st.dictionaries(
        degree, st.frozensets(route, min_size=1, max_size=2), min_size=1, max_size=5
    )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 3).flatmap(lambda t: st.tuples(st.just(t), spectra(t))),
    st.integers(1, 4),
    st.integers(1, 5),
    st.booleans(),
)
def test_powers_match_the_multiset_definition(teachers_and_spectrum, highest, max_degree, bulk):
    teachers, spectrum = teachers_and_spectrum
    spectrum = dict(spectrum)
    if bulk:
        spectrum[BULK] = frozenset({ONE})
    algebra = Algebra(teachers, max_degree, Mono.symbol("d") ** -1)
    assert hadamard_powers(algebra, spectrum, highest) == oracle(algebra, spectrum, highest)
