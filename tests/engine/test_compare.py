"""compare(): the three-layer phase diagram and its exact boundaries; ties are reported."""

from fractions import Fraction as F

from engine_energies import COORDS3, DOM3, M, N, d, energies3

from scalelang.exponents import Affine, compare, compare_assignments, program_from_sympy, solve

X = Affine.var


def phases3():
    gp, spec, mag = energies3()
    cands = [(p.label, solve(p, COORDS3, DOM3)) for p in (gp, spec, mag)]
    return compare(cands, COORDS3, DOM3)


def test_three_layer_boundaries_exact():
    ph = phases3()
    forms = {(frozenset((b.a, b.b)), b.form) for b in ph.boundaries}
    half = F(1, 2)
    assert (frozenset(("Spec-Mag", "GP-Spec")), X("N1") - half * X("N2") - half * X("d")) in forms
    assert (frozenset(("GP-GP", "GP-Spec")), X("N2") - 5 * X("d")) in forms
    sm = next(b for b in ph.boundaries if {b.a, b.b} == {"Spec-Mag", "GP-Spec"})
    assert sm.a == "Spec-Mag"  # Spec-Mag wins below N1 = (N2 d)^(1/2)


def test_winner_at_points():
    ph = phases3()
    assert ph.winner_at({"d": 1, "N1": 1, "N2": 1}) == (("GP-Spec", "Spec-Mag"), 1)
    assert ph.winner_at({"d": 1, "N1": 10, "N2": 2})[0] == ("GP-Spec",)
    assert ph.winner_at({"d": 1, "N1": 1, "N2": 100})[0] == ("GP-GP",)
    # regions cover the domain and agree with winner_at at their interior points
    for r in ph.regions:
        p = r.region.interior_point()
        winners, value = ph.winner_at(p)
        assert set(winners) == set(r.winners) and value == r.value(p)


def test_tie_reported_not_hidden():
    ph = phases3()
    ties = [r for r in ph.regions if len(r.winners) > 1]
    assert ties and all(set(r.winners) == {"GP-Spec", "Spec-Mag"} for r in ties)


def test_pruning_discards_dominated():
    log = {"d": X("d"), "N": X("N")}
    dom = (X("d"), X("N"))
    cheap = solve(program_from_sympy(M * d + N / M, [M], [(1, M, N)], log), ("d", "N"), dom)
    dear = solve(program_from_sympy(d**2 * N + M, [M], [(1, M, N)], log), ("d", "N"), dom)
    same = solve(program_from_sympy(M * d + N / M + M, [M], [(1, M, N)], log), ("d", "N"), dom)
    ph = compare([("dear", dear), ("cheap", cheap), ("same", same)], ("d", "N"), dom)
    assert ph.pruned == ("dear",)
    assert all(set(r.winners) == {"cheap", "same"} for r in ph.regions)


def test_branch_and_bound_matches_flat():
    log = {"d": X("d"), "N": X("N")}
    dom = (X("d"), X("N"))
    import sympy

    u = sympy.symbols("u1 u2", positive=True)
    costs = [
        lambda a, b: a * d + N / a,
        lambda a, b: d**2,
        lambda a, b: a * N / b + b / a,
        lambda a, b: N,
    ]

    def program_of(prefix):
        energy, bounds = 0, []
        for layer, c in enumerate(prefix):
            prev = u[layer - 1] if layer else d
            energy += costs[c](u[layer], prev)
            bounds.append((1, u[layer], N))
        return program_from_sympy(energy, list(u[: len(prefix)]), bounds, log, str(prefix))

    choices = [range(4), range(4)]
    ph = compare_assignments(choices, program_of, ("d", "N"), dom)
    flat = compare(
        [((a, b), solve(program_of((a, b)), ("d", "N"), dom)) for a in range(4) for b in range(4)],
        ("d", "N"),
        dom,
        prune=False,
    )
    for pt in ({"d": 1, "N": 3}, {"d": 3, "N": 1}, {"d": 2, "N": 5}, {"d": 7, "N": 2}):
        assert ph.winner_at(pt) == flat.winner_at(pt)


def test_one_candidate_is_compared_on_the_domain_asked_for():
    """A value function solved on a larger domain, compared alone on a smaller one: no region
    reaches outside the smaller domain (the one-candidate shortcut must not skip the cut)."""
    _, _, mag = energies3()
    vf = solve(mag, COORDS3, DOM3)
    smaller = DOM3 + (X("N1") - X("d"),)  # N1 >= d
    ph = compare([("mag", vf)], COORDS3, smaller)
    outside = {"d": F(3), "N1": F(1), "N2": F(1)}
    assert not any(r.region.contains(outside, strict=True) for r in ph.regions)
    assert ph.regions and all(r.region.implies(X("N1") - X("d")) for r in ph.regions)


def test_tied_winners_pieces_meet_their_regions():
    """A tie that joins a cell whole, then sees the cell cut by a later candidate: each tied
    winner's piece must still meet the cell it is listed for, and its optimum hold there."""
    from scalelang.exponents import Bound, Program, Term

    t0 = Term({"u": -1, "v": -1}, Affine({"N1": F(1, 2), "N2": 1, "d": 1}), "t0")
    t1 = Term({"u": 1, "v": 1}, Affine({"d": 2}), "t1")
    box = (
        Bound({"u": -1}, Affine(), "1<=u"),
        Bound({"u": 1}, X("d"), "u<=d"),
        Bound({"v": -1}, Affine(), "1<=v"),
        Bound({"v": 1}, X("N1"), "v<=N1"),
    )
    base = Program(("u", "v"), (t0, t1), box, "base")
    slack = Program(
        ("u", "v", "z"),
        (
            Term({"u": -1, "v": -1, "z": 1}, t0.scale_form, "t0"),
            t1,
            Term({"z": -1}, Affine(), "1/z"),
        ),
        box + (Bound({"z": -1}, Affine(), "1<=z"), Bound({"z": 1}, X("N1"), "z<=N1")),
        "slack",
    )
    cut = Program(
        ("u", "v", "w"),
        (t0, t1, Term({"w": 1}, Affine({"N1": F(1, 2), "d": -1}), "x")),
        box + (Bound({"w": -1}, Affine(), "1<=w"), Bound({"w": 1}, X("d"), "w<=d")),
        "cut",
    )
    programs = {p.label: p for p in (base, slack, cut)}
    ph = compare([(p.label, solve(p, COORDS3, DOM3)) for p in programs.values()], COORDS3, DOM3)
    tied = [r for r in ph.regions if len(r.winners) > 1]
    assert tied
    for region in tied:
        for key in region.winners:
            piece = region.pieces[key]
            point = (region.region & piece.region).interior_point()
            assert point is not None, (region, key)
            u = {k: f(point) for k, f in piece.optimum.items()}
            assert all(
                sum(c * u[n] for n, c in b.var_exponents) <= b.scale_form(point)
                for b in programs[key].bounds
            )
