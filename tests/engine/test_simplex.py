"""``simplex.maximize_integer`` with variables declared non-negative answers the same LP as with
rows ``x_k >= 0``: same status, same optimal value, a point of the same set."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from scalelang.exponents.simplex import integer_row, maximize_integer

Q = 3  # variables
ROW = st.tuples(st.lists(st.integers(-3, 3), min_size=Q, max_size=Q), st.integers(-4, 4))


def _holds(rows, x) -> bool:
    return all(sum(a * v for a, v in zip(r, x)) + b >= 0 for r, b in rows)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(ROW, min_size=1, max_size=6),
    cost=st.lists(st.integers(-2, 2), min_size=Q, max_size=Q),
    nonnegative=st.sets(st.integers(0, Q - 1)),
)
def test_non_negative_variables_are_the_rows_they_replace(rows, cost, nonnegative):
    explicit = rows + [(tuple(int(k == j) for k in range(Q)), 0) for j in sorted(nonnegative)]
    plain = maximize_integer(cost, [integer_row(a, b) for a, b in explicit])
    declared = maximize_integer(cost, [integer_row(a, b) for a, b in rows], frozenset(nonnegative))
    assert declared.status == plain.status
    if plain.status == "optimal":
        assert declared.value == plain.value
        assert _holds(explicit, declared.x)
        assert sum(c * v for c, v in zip(cost, declared.x)) == declared.value
    if plain.status == "unbounded":
        assert _holds(explicit, declared.x)


def test_a_non_negative_variable_stops_at_zero():
    # maximize -x with x >= -5: free, x = -5; declared non-negative, x = 0
    rows = [integer_row([1], 5)]
    assert maximize_integer([-1], rows).value == 5
    bounded = maximize_integer([-1], rows, frozenset({0}))
    assert bounded.value == 0 and bounded.x == [Fraction(0)]
