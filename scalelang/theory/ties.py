"""Ties as sets: many tied assignments written as a union of per-layer choice sets.

A deep network often has dozens or hundreds of assignments that tie for the least energy. Listed
one by one they make a line no one reads; as sets they are short: "h1 in {gp, gfl}, h2 = spec,
h3 in {gp, gfl}" stands for four assignments. ``boxes`` covers a set of assignments exactly by
such products (each a dict layer -> the patterns allowed there), ``expand`` lists what a cover
stands for, and ``describe`` words one product.
"""

from __future__ import annotations

from itertools import product


def boxes(members: list[dict]) -> list[dict]:
    """An exact cover of ``members`` (pattern dicts over the same layers) by products of
    per-layer choice sets: every product lies inside the set and their union is the set.
    Greedy: from the first member not yet covered, each layer in turn takes every other pattern
    that keeps the product inside the set. Products are listed in the order of the members that
    seeded them (the caller's order of preference), patterns in the order they first occur."""
    if not members:
        return []
    layers = list(members[0])
    first: dict = {}  # pattern -> first position among the members, in any layer
    for member in members:
        for layer in layers:
            first.setdefault(member[layer], len(first))
    order = {
        layer: {p: first[p] for p in sorted({m[layer] for m in members}, key=first.get)}
        for layer in layers
    }
    inside = {tuple(m[layer] for layer in layers) for m in members}
    covered: set = set()
    out = []
    for member in members:
        key = tuple(member[layer] for layer in layers)
        if key in covered:
            continue
        choice = [[p] for p in key]
        for i, layer in enumerate(layers):
            for pattern in order[layer]:
                if pattern in choice[i]:
                    continue
                trial = choice[:i] + [choice[i] + [pattern]] + choice[i + 1 :]
                if all(combo in inside for combo in product(*trial)):
                    choice = trial
        for i, layer in enumerate(layers):
            choice[i].sort(key=order[layer].__getitem__)
        covered.update(product(*choice))
        out.append({layer: tuple(c) for layer, c in zip(layers, choice)})
    return out


def expand(cover: list[dict]) -> list[dict]:
    """Every assignment a cover stands for, once each, in the order the products list them."""
    seen, out = set(), []
    for box in cover:
        layers = list(box)
        for combo in product(*(box[layer] for layer in layers)):
            if combo not in seen:
                seen.add(combo)
                out.append(dict(zip(layers, combo)))
    return out


def describe(box: dict) -> str:
    """One product in words: ``h1 in {gp, gfl}, h2 = spec``; a layer that may take every pattern
    the cover saw there is still named, so the product reads on its own."""
    parts = []
    for layer, patterns in box.items():
        if len(patterns) == 1:
            parts.append(f"{layer}={patterns[0]}")
        else:
            parts.append(f"{layer} in {{{', '.join(patterns)}}}")
    return ", ".join(parts)


def count(cover: list[dict]) -> int:
    return len(expand(cover))
