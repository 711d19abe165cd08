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
"""

from __future__ import annotations

from dataclasses import dataclass

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
class Signature:
    """The layers' mechanisms at one point of the grid, and the assignments they match."""

    d: int
    P: int
    layers: list
    matches: list  # mechanism names whose signature is the measured one ("prediction" first)
    predicted: dict

    def line(self) -> str:
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
    return Signature(d, P, layers, matches, predicted)


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
    return lines + ["", f"Signature: {signature.line()}", ""]
