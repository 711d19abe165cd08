"""Irredundant descriptions in one and two dimensions come from geometry, not LPs: they must keep
exactly the rows that the LP test (``implies`` of the other rows) keeps, in the same order."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scalelang.exponents import Affine
from scalelang.exponents.polyhedron import Polyhedron

COORDS = ("x", "y")
small = st.integers(-3, 3)
rows_2d = st.lists(st.tuples(small, small, st.integers(-6, 6)), min_size=1, max_size=7)


def _by_lp(poly: Polyhedron) -> list:
    """The rows of ``make`` that the others do not imply (one LP each): the definition."""
    rows = list(Polyhedron.make(poly.coordinates, poly.inequalities).inequalities)
    i = 0
    while i < len(rows):
        others = Polyhedron(poly.coordinates, rows[:i] + rows[i + 1 :])
        if others.inequalities and others.implies(rows[i]):
            del rows[i]
        else:
            i += 1
    return rows


def _polygon(rows, coordinates=COORDS):
    forms = [Affine({"x": a, "y": b}, c) for a, b, c in rows]
    box = [Affine({"x": 1}, 10), Affine({"x": -1}, 10)]  # keeps some sets bounded, some not
    return Polyhedron.make(coordinates, forms + box[: len(rows) % 3])


@settings(max_examples=300, deadline=None)
@given(rows_2d)
def test_plane_facets_match_the_lp_definition(rows):
    poly = _polygon(rows)
    if not poly.is_full_dimensional():
        return
    assert list(poly.irredundant().inequalities) == _by_lp(poly)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(small, st.integers(-6, 6)), min_size=1, max_size=5))
def test_line_facets_match_the_lp_definition(rows):
    poly = Polyhedron.make(("x",), [Affine({"x": a}, c) for a, c in rows])
    if not poly.is_full_dimensional():
        return
    assert list(poly.irredundant().inequalities) == _by_lp(poly)


def test_a_row_through_a_vertex_only_is_redundant():
    """x >= 0, y >= 0, x + y >= 0: the last line meets the quadrant at the origin only."""
    rows = [Affine({"x": 1}), Affine({"y": 1}), Affine({"x": 1, "y": 1})]
    assert list(Polyhedron.make(COORDS, rows).irredundant().inequalities) == rows[:2]


@settings(max_examples=300, deadline=None)
@given(rows_2d)
def test_plane_full_dimension_matches_the_interior_point_lp(rows):
    """Flat sets (two rows facing each other on one line), empty ones and cones included."""
    forms = [Affine({"x": a, "y": b}, c) for a, b, c in rows]
    forms += [-f for f in forms[:1]] if len(rows) % 4 == 0 else []  # a flat set now and then
    assert Polyhedron(COORDS, forms).is_full_dimensional() == (
        Polyhedron(COORDS, forms)._chebyshev() is not None
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(small, st.integers(-6, 6)), min_size=0, max_size=5))
def test_line_full_dimension_matches_the_interior_point_lp(rows):
    forms = [Affine({"x": a}, c) for a, c in rows]
    assert Polyhedron(("x",), forms).is_full_dimensional() == (
        Polyhedron(("x",), forms)._chebyshev() is not None
    )
