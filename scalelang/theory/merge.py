"""Phases merged: one phase wherever one winner keeps one formula.

Owns the step from the engine's cells to the phases a reader sees. The engine splits scale space
wherever the set of tied winners changes, so one winning assignment with one P* can come out as
many adjacent cells (a four-layer network of gp and spec layers: 147 cells, most of them P* ~
kappa d with a different set of tied assignments). Here cells with the same winner, P*, optimum
and locked features are merged wherever their union is convex (``exponents.merge_convex``), so
that each phase stays one convex region, one conjunction of relations, and a phase ends only where
the winner or its formula changes.

Ties stay exact: an assignment tied with the winner on every merged cell stays among the phase's
``winners``; one tied on part of the region only is listed in ``tied_in_part``. Winners, P*,
optima and the boundaries between different winners are the engine's, untouched; this module
only groups them. It reads ``theory.solve.Phase`` objects and never solves.
"""

from __future__ import annotations

import dataclasses

from scalelang import exponents as engine


def merged(phases: list, relations) -> list:
    """``phases`` with each group of same-formula cells whose union is convex made one phase,
    at the place of its first member; ``relations(polyhedron)`` writes a merged region as the
    solution's sympy relations. A phase that merges with none is returned as it is."""
    groups: dict = {}
    for phase in phases:
        groups.setdefault(_formula(phase), []).append(phase)
    out = []
    for phase in phases:
        group = groups.get(_formula(phase))
        if group is None or group[0] is not phase:
            continue  # a later member of a group already placed
        if len(group) == 1:
            out.append(phase)
            continue
        cells = [(cell, i) for i, member in enumerate(group) for cell in member.cells]
        hull = _convex_hull_of([cell for cell, _ in cells])
        for union, _ in [(hull, 0)] if hull is not None else engine.merge_convex(cells):
            members = [m for m in group if any(_inside(c, union) for c in m.cells)]
            out.append(members[0] if len(members) == 1 else _union(members, union, relations))
    return out


def _formula(phase) -> tuple:
    """What must agree for two cells to be one phase: the winner (the preferred of any tie), its
    P*, its optimum and the features it locks onto."""
    piece = phase.piece
    winner = tuple(phase.winners[0].items())
    optimum = tuple(sorted((name, str(value)) for name, value in piece.optimum.items()))
    return (winner, phase.value, optimum, piece.locked)


def _inside(cell, union) -> bool:
    """Whether an engine cell lies in a merged union (the cells have disjoint interiors, so one
    interior point decides)."""
    point = cell.interior_point()
    return point is not None and union.contains(point, strict=True)


def _union(members: list, union, relations):
    """One phase for ``members`` on their convex ``union``: the first member's answer; ties held
    on every member kept as ties, the others listed as ties on part of the region."""
    first = members[0]
    everywhere = [w for w in first.winners[1:] if all(w in m.winners for m in members[1:])]
    in_part = []
    for member in members:
        for w in member.winners[1:] + list(getattr(member, "tied_in_part", [])):
            if w not in everywhere and w not in in_part:
                in_part.append(w)
    region = relations(union)
    return dataclasses.replace(
        first,
        winners=[first.winners[0], *everywhere],
        region=region,
        piece=dataclasses.replace(first.piece, region=region),
        cells=[union],
        tied_in_part=in_part,
    )


def _convex_hull_of(cells: list):
    """The union of ``cells`` as one polyhedron where that union is convex, else None. The union
    is convex exactly when it fills its envelope (the rows of the cells that every cell keeps,
    Bemporad, Fukuda and Torrisi), which holds when the envelope minus the cells has no
    interior: pairwise merging (``exponents.merge_convex``) can miss such a union, when no two
    of its cells make a convex pair."""
    rows = dict.fromkeys(g for cell in cells for g in cell.inequalities)
    envelope = [g for g in rows if all(cell.implies(g) for cell in cells)]
    hull = engine.Polyhedron.make(cells[0].coordinates, envelope)
    try:
        return hull.irredundant() if _covered(hull, cells, [BUDGET]) else None
    except _OverBudget:
        return None


BUDGET = 5000  # polyhedra a hull test may look at before the pairwise merge is taken instead


class _OverBudget(Exception):
    pass


def _covered(region, cells: list, budget: list) -> bool:
    """Whether ``cells`` cover ``region`` but for a set without interior: region minus the
    first cell, split into the parts beyond each of its rows in turn, each covered by the rest.
    ``budget`` ([count]) bounds the work: the splitting can grow fast with many cells."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _OverBudget
    if not region.is_full_dimensional():
        return True
    if not cells:
        return False
    first, rest = cells[0], cells[1:]
    if not (region & first.inequalities).is_full_dimensional():
        return _covered(region, rest, budget)
    kept: list = []
    for g in first.inequalities:
        if not _covered(region & (*kept, -g), rest, budget):
            return False
        kept.append(g)
    return True
