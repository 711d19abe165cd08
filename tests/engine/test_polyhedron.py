"""Irredundant descriptions in one and two dimensions come from geometry, not LPs: they must keep
exactly the rows that the LP test (``implies`` of the other rows) keeps, in the same order. The
minima a set's kept LP gives, and the envelope's test built on them, are the fresh LPs' answers."""

from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scalelang.exponents import Affine
from scalelang.exponents.polyhedron import Polyhedron, _first_crossing

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


rows_3d = st.lists(st.tuples(small, small, small, st.integers(-6, 6)), min_size=1, max_size=7)
forms_3d = st.lists(st.tuples(small, small, small, st.integers(-6, 6)), min_size=1, max_size=6)
COORDS3 = ("x", "y", "z")


def _form3(a, b, c, k) -> Affine:
    return Affine({"x": a, "y": b, "z": c}, k)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(small, small, small, st.integers(-3, 3)), min_size=1, max_size=10),
    st.tuples(small, small, small),
)
@example([(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (1, 1, 1, 0), (1, 1, 0, 0)], (1, 1, 1))
@example(
    [(-1, 0, -2, -1), (-1, -1, -1, 1), (-2, 0, -2, 1), (-2, -1, 0, 2), (-2, 0, 0, 0)], (-1, 2, -1)
)
def test_space_facets_match_the_lp_definition(rows, offered):
    """In three dimensions facets come from shooting and LPs over the facets found so far
    (``_facets_by_shooting``): the rows kept, in order, are the definition's, whichever interior
    point the set knows: its interior-point LP's, or one offered (from the second example's, a
    segment crosses two rows at once, which the LP against every other row settles)."""
    poly = Polyhedron.make(COORDS3, [_form3(*r) for r in rows])
    if poly._chebyshev() is None:
        return
    assert list(poly.irredundant().inequalities) == _by_lp(poly)
    near = Polyhedron(COORDS3, poly.inequalities)
    point = dict(zip(COORDS3, (Fraction(v) for v in offered)))
    near.offer_point(point)
    assert list(near.irredundant().inequalities) == _by_lp(poly)


def test_a_crossing_names_a_facet_only_when_one_row_is_crossed_first():
    """A segment leaving the set through one row alone proves that row a facet; through an edge
    where two rows (and a redundant third, x + y >= 0) meet, it proves nothing."""
    x, y = _form3(1, 0, 0, 0), _form3(0, 1, 0, 0)
    rows = [_form3(1, 1, 0, 0), x, y]
    point = lambda a, b: {"x": Fraction(a), "y": Fraction(b), "z": Fraction(1)}
    assert _first_crossing(rows, point(1, 2), point(-1, -1)) == x
    assert _first_crossing(rows, point(1, 1), point(-1, -1)) is None


@settings(max_examples=200, deadline=None)
@given(rows_3d, forms_3d)
@example([(0, 0, 0, 0)], [(0, 0, -1, 0), (0, 0, 0, 2)])  # the whole space: no rows left
def test_a_kept_lp_gives_each_minimum_a_fresh_lp_gives(rows, forms):
    """``minimum_kept`` asks a series of forms of one set on its own tableau, each from the last
    one's optimum: every answer (a minimum, or None where unbounded below) is the fresh LP's."""
    poly = Polyhedron.make(COORDS3, [_form3(*r) for r in rows])
    if poly._chebyshev() is None:
        return  # the envelope asks only cells with interior
    for f in forms:
        assert poly.minimum_kept(_form3(*f)) == poly.minimum(_form3(*f))


@settings(max_examples=200, deadline=None)
@given(rows_3d, forms_3d, st.tuples(small, small, small, st.integers(-6, 6)))
@example([(0, 0, 0, 0)], [(0, 0, 0, 0)], (0, 0, 1, 0))  # the whole space, a form below w somewhere
def test_a_form_above_a_cell_leaves_no_interior_below_it(rows, forms, value):
    """``envelope._above`` answers True only where the exact test agrees: the part of the cell
    where the envelope's value is at least every form has no interior."""
    from scalelang.exponents.envelope import _above, _Cell

    region = Polyhedron.make(COORDS3, [_form3(*r) for r in rows])
    if region.interior_point() is None:
        return
    cell = _Cell(region, ("w",), _form3(*value))
    forms = [_form3(*f) for f in forms]
    below = Polyhedron.make(COORDS3, region.inequalities + tuple(cell.value - f for f in forms))
    if _above(forms, cell, tries=len(forms)):
        assert not below.is_full_dimensional()
    assert not _above([cell.value], cell)  # a candidate tying the envelope is never above it


@settings(max_examples=200, deadline=None)
@given(rows_3d, forms_3d)
def test_a_set_asked_again_answers_as_a_fresh_one(rows, forms):
    """``implies`` asks a set's first LP question afresh and later ones on its kept LP (a merge
    asks every row of one cell of another): the answers are a fresh set's, question by question."""
    poly = Polyhedron.make(COORDS3, [_form3(*r) for r in rows])
    if poly._chebyshev() is None:
        return
    for f in forms:
        fresh = Polyhedron(COORDS3, poly.inequalities)
        assert poly.implies(_form3(*f)) == fresh.implies(_form3(*f))


@settings(max_examples=300, deadline=None)
@given(rows_3d, rows_3d, st.tuples(small, small, small, st.integers(-3, 3)), st.booleans())
def test_cells_across_a_facet_merge_as_the_envelope_test_says(rows_a, rows_b, cut, split):
    """Two irredundant cells on either side of one hyperplane (``split``: both parts of one set,
    whose union is convex; else parts of two different sets, mostly not): the test that asks
    each cell's other rows of the other (``_union_across_facet``) gives the general envelope
    test's answer, the same union or None."""
    from scalelang.exponents.polyhedron import _envelope_union, _shared_facet, _union_across_facet

    g = _form3(*cut)
    if g.is_constant():
        return
    first = [_form3(*r) for r in rows_a]
    second = first if split else [_form3(*r) for r in rows_b]
    A = Polyhedron.make(COORDS3, first + [g])
    B = Polyhedron.make(COORDS3, second + [-g])
    if A.interior_point() is None or B.interior_point() is None:
        return
    A, B = A.irredundant(), B.irredundant()
    facet = _shared_facet(A, B)
    if facet is None:
        return
    union = _union_across_facet(A, B, facet)
    general = _envelope_union(A, B)
    assert (union is None) == (general is None)
    if union is not None:
        assert union == general
    if split:
        assert union is not None  # the two parts of one convex set
