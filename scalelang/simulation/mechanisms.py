"""Which mechanism a simulation shows, layer by layer: the observables that tell assignments apart
when their exponents do not (docs/simulation.md, "Mechanisms per layer").

Each results row carries, per layer, the specialists (neurons whose overlap with the teachers
passes the threshold) and their lazy baseline (the count among random directions on the first
layer; on a deeper layer, the count with that layer's weights redrawn from the prior, fed the
current activations below it, so that a feature learned below is not read as this layer's), the
coherence
N sum_t (mean_i c_it)^2 of the neurons' signed overlaps (about the mean squared overlap when
their signs are independent, up to N times it when they share one: a magnetization's estimator,
beta's), and the mean
squared overlap now and in the same lazy baseline (first layer: T/d; results without it: the prior
start's before its first step), whose ratio is GFL's amplification D. At the largest P
of the largest d (the most learned point of the grid), the prior-start chains give, per layer,
each quantity's seed mean and a percentile bootstrap interval over the seeds; a layer shows a
mechanism when the interval's lower end passes its threshold, and the signature (one mechanism per
layer) is compared with the prediction's, its ties' and its competitors'.

A layer the prediction gives several groups of specialists (docs/method.md, section 4, "Groups")
is also read group by group: the neurons counted for each group (``specialists_by_group``) beyond
its lazy baseline, with the same interval and the same threshold as a layer's specialists; a group
*formed* when the interval's lower end passes it. The signature stays one mechanism per layer; the
groups are said beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# A layer shows a mechanism when the lower end of the 95% interval passes its threshold.
THRESHOLDS = {
    "specialists": 0.5,  # specialists beyond the random count: at least half a neuron
    "magnetized": 3.0,  # coherence over the mean squared overlap (about 1 for random signs)
    "amplified": 2.0,  # mean squared overlap over the prior's: GFL's amplification
}
ORDER = ("specialists", "magnetized", "amplified")  # a layer shows the first that passes


@dataclass
class LayerMeasure:
    """One layer's observables at the measured point: mean and 95% interval of each."""

    layer: str
    values: dict  # quantity -> (mean, low, high), or None where it cannot be measured
    shows: str  # lazy, specialists, magnetized or amplified


@dataclass
class GroupMeasure:
    """One group of specialists at the measured point: the neurons counted for it beyond its lazy
    baseline (mean and 95% interval, None where the rows lack it), and whether it formed."""

    layer: str
    group: str
    value: tuple | None
    formed: bool | None


@dataclass
class Signature:
    """The layers' mechanisms at one point of the grid, and the assignments they match."""

    d: int
    P: int
    layers: list
    matches: list  # mechanism names whose signature is the measured one ("prediction" first)
    predicted: dict
    groups: list = field(default_factory=list)  # GroupMeasure per group the prediction names

    def line(self) -> str:
        return self._layers_line() + self._groups_text()

    def _layers_line(self) -> str:
        shown = ", ".join(f"{m.layer} {m.shows}" for m in self.layers)
        said = f"measured at d = {self.d}, P = {self.P}: {shown}"
        if not self.predicted:
            return said
        if "the prediction" in self.matches:
            others = [m for m in self.matches if m != "the prediction"]
            tail = f" (as do {', '.join(others)})" if others else ""
            return f"{said}: the prediction's signature{tail}"
        found = f"; it matches {', '.join(self.matches)}" if self.matches else ""
        return f"{said}: NOT the prediction's ({_text(self.predicted)}){found}"

    def _groups_text(self) -> str:
        """'; groups of h: He1(w . x) formed, He1(v . x) NOT formed' (nothing without groups)."""
        said = {None: "not measured", True: "formed", False: "NOT formed"}
        parts = []
        for layer in dict.fromkeys(g.layer for g in self.groups):
            mine = [g for g in self.groups if g.layer == layer]
            parts.append(
                f"groups of {layer}: " + ", ".join(f"{g.group} {said[g.formed]}" for g in mine)
            )
        return "".join(f"; {p}" for p in parts)


def _text(signature: dict) -> str:
    return ", ".join(f"{layer} {shows}" for layer, shows in signature.items())


def _interval(values, rng, n_boot: int) -> tuple | None:
    values = [v for v in values if v is not None and np.isfinite(v)]
    if not values:
        return None
    data = np.asarray(values, dtype=float)
    if len(data) == 1:
        return float(data[0]), float(data[0]), float(data[0])
    means = rng.choice(data, size=(n_boot, len(data)), replace=True).mean(axis=1)
    return float(data.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def _quantities(row: dict, layer: str) -> dict:
    """The three observables of one chain's row for ``layer`` (None where it lacks them)."""
    null = (row.get("specialists_null") or {}).get(layer) or 0.0
    overlap2 = (row.get("overlap2") or {}).get(layer)
    # the lazy baseline where the row has it (the first layer's exact T/d; a deeper layer's
    # overlap with its weights redrawn on the current input below), else the prior start's
    prior = (row.get("overlap2_null") or {}).get(layer)
    if prior is None:
        prior = (row.get("overlap2_prior") or {}).get(layer)
    coherence = (row.get("coherence") or {}).get(layer)
    specialists = row.get("specialists", {}).get(layer)
    return {
        "specialists": None if specialists is None else specialists - null,
        "magnetized": coherence / overlap2 if coherence is not None and overlap2 else None,
        "amplified": overlap2 / prior if overlap2 is not None and prior else None,
    }


def measure(
    rows: list, curve: str = "prior", n_boot: int = 2000, seed: int = 0
) -> Signature | None:
    """The signature at the largest P of the largest d, from ``curve``'s chains; None where the
    rows carry no per-layer observables (results written before they were measured)."""
    chosen = [r for r in rows if r.get("start") == curve and "coherence" in r]
    if not chosen:
        return None
    d = max(r["d"] for r in chosen)
    P = max(r["P"] for r in chosen if r["d"] == d)
    point = [r for r in chosen if r["d"] == d and r["P"] == P]
    rng = np.random.default_rng(seed)
    layers = []
    for layer in point[0]["specialists"]:
        per_chain = [_quantities(r, layer) for r in point]
        values = {q: _interval([c[q] for c in per_chain], rng, n_boot) for q in ORDER}
        shows = next((q for q in ORDER if values[q] and values[q][1] >= THRESHOLDS[q]), "lazy")
        layers.append(LayerMeasure(layer, values, shows))
    measured = {m.layer: m.shows for m in layers}
    predicted = point[0].get("predicted_signature") or {}
    candidates = {"the prediction": predicted} if predicted else {}
    for key in ("tied_signatures", "competing_signatures"):
        candidates.update(point[0].get(key) or {})
    matches = [name for name, signature in candidates.items() if signature == measured]
    return Signature(d, P, layers, matches, predicted, _groups(point, rng, n_boot))


def group_names(row: dict) -> list[tuple[str, str]]:
    """The (layer, group) of every group a results row counts, in the prediction's order (the
    row's JSON has its keys sorted); none in results written before groups were counted."""
    counted = row.get("specialists_by_group") or {}
    named = [
        (layer, g["name"])
        for layer, groups in (row.get("predicted_groups") or {}).items()
        for g in groups
    ]
    present = [(layer, group) for layer, groups in counted.items() for group in groups]
    return [n for n in named if n in present] + [n for n in present if n not in named]


def group_beyond_chance(row: dict, layer: str, group: str) -> float | None:
    """A row's neurons counted for ``group`` of ``layer`` minus its lazy baseline; None where the
    row lacks the count."""
    count = ((row.get("specialists_by_group") or {}).get(layer) or {}).get(group)
    null = ((row.get("specialists_by_group_null") or {}).get(layer) or {}).get(group)
    return None if count is None else count - (null or 0.0)


def _groups(point: list, rng, n_boot: int) -> list:
    """Each group's neurons beyond its lazy baseline at the measured point (``GroupMeasure``);
    the rows of results written before groups were counted have none."""
    out = []
    for layer, group in group_names(point[0]):
        value = _interval([group_beyond_chance(r, layer, group) for r in point], rng, n_boot)
        formed = None if value is None else value[1] >= THRESHOLDS["specialists"]
        out.append(GroupMeasure(layer, group, value, formed))
    return out


def markdown(signature: Signature) -> list[str]:
    """The per-layer table and the signature's line, for the fit report."""
    lines = [
        f"Mechanisms per layer (prior starts at d = {signature.d}, P = {signature.P}; mean and "
        "95% interval over seeds; a layer shows a mechanism when the interval's lower end passes "
        f"its threshold: specialists beyond chance >= {THRESHOLDS['specialists']:g}, "
        f"coherence / mean squared overlap >= {THRESHOLDS['magnetized']:g}, "
        f"mean squared overlap over the prior's >= {THRESHOLDS['amplified']:g}):",
        "",
        "| layer | specialists beyond chance | coherence / overlap² | amplification | shows |",
        "|---|---|---|---|---|",
    ]
    for m in signature.layers:
        cells = []
        for q in ORDER:
            v = m.values[q]
            cells.append("-" if v is None else f"{v[0]:.2f} [{v[1]:.2f}, {v[2]:.2f}]")
        lines.append(f"| {m.layer} | {' | '.join(cells)} | {m.shows} |")
    if signature.groups:
        lines += [
            "",
            "Groups of specialists (the neurons counted for each group, nearest to it among the "
            "layer's groups and their teachers alone, beyond the count of the lazy baseline; a "
            f"group formed when the interval's lower end is >= {THRESHOLDS['specialists']:g}):",
            "",
            "| layer | group | specialists beyond chance | formed |",
            "|---|---|---|---|",
        ]
        for g in signature.groups:
            v = "-" if g.value is None else f"{g.value[0]:.2f} [{g.value[1]:.2f}, {g.value[2]:.2f}]"
            formed = "-" if g.formed is None else ("yes" if g.formed else "no")
            lines.append(f"| {g.layer} | {g.group} | {v} | {formed} |")
    return lines + ["", f"Signature: {signature.line()}", ""]
