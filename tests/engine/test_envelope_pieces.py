"""compare(): each region's first winner's optimum holds on the whole region. The envelope cuts
cells by value forms and splits only its final cells by pieces, so this checks that the split
leaves nothing out.

Random energies in two bounded parameters over three scales; many of them have degenerate
optima (a parameter that no balanced term fixes), whose value forms are split by basis.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from scalelang.exponents import Affine, Bound, EngineError, Program, Term, compare, solve

COORDS = ("d", "N1", "N2")
DOMAIN = tuple(Affine.var(c) for c in COORDS)
exps = st.integers(-2, 2)
term = st.tuples(exps, exps, st.integers(0, 3), st.integers(0, 2), st.integers(0, 2))


def program(terms, label):
    box = (
        Bound({"u": -1}, Affine(), "1 <= u"),
        Bound({"u": 1}, Affine.var("N1"), "u <= N1"),
        Bound({"v": -1}, Affine(), "1 <= v"),
        Bound({"v": 1}, Affine.var("N2"), "v <= N2"),
    )
    return Program(
        ("u", "v"),
        tuple(
            Term({"u": a, "v": b}, Affine({"d": p, "N1": q, "N2": r}), f"t{i}")
            for i, (a, b, p, q, r) in enumerate(terms)
        ),
        box,
        label,
    )


def holds_on(prog, piece, value, region) -> bool:
    """The piece's optimum u(s) (affine) meets every bound and keeps every term at or below
    ``value`` on the whole region, and some term equals ``value`` identically: exact, by LPs."""
    u = piece.optimum
    log = lambda item: sum((u.get(n, Affine()) * c for n, c in item.var_exponents), Affine())
    if not all(region.implies(b.scale_form - log(b)) for b in prog.bounds):
        return False
    gaps = [value - log(t) - t.scale_form for t in prog.terms]
    return all(region.implies(g) for g in gaps) and any(g.is_zero() for g in gaps)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(term, min_size=1, max_size=4), min_size=2, max_size=4))
def test_first_winner_piece_holds_on_its_region(energies):
    programs = {f"e{i}": program(terms, f"e{i}") for i, terms in enumerate(energies)}
    candidates = []
    for key, prog in programs.items():
        try:
            candidates.append((key, solve(prog, COORDS, DOMAIN)))
        except EngineError:  # unbounded energies are not candidates
            continue
    if len(candidates) < 2:
        return
    phases = compare(candidates, COORDS, DOMAIN)
    for region in phases.regions:
        first = region.winners[0]
        assert region.pieces[first].value == region.value
        assert holds_on(programs[first], region.pieces[first], region.value, region.region), region
