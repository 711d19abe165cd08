"""Fitting simulation results against the prediction: crossings, exponents, verdicts.

Owns the analysis of the JSON-lines results the generated scripts write (schema in
docs/simulation.md): for every d the sample count P_1/2 at which the seed-averaged alignment
crosses 1/2 (log-linear interpolation between grid points); the exponent of P_1/2 against d by
least squares in log-log; percentile bootstrap confidence intervals that resample seeds within
each (d, P); specialist counts, per layer and per group of specialists the prediction names,
against their predicted scaling; the collapse of alignment against
P/P*_pred. Needs numpy only (matplotlib, when installed, for the collapse plot). It may not run
simulations.

Curves: "prior" and "aligned" are the chains of each start; "both" averages the two starts of a
seed. The specialization transition is first order, so the prior start lags and the aligned start
leads the equilibrium transition. The verdict uses the prior start: measured on fcn2_he3 (N = d),
chains from the prior leave the lazy state at every P of the grid and settle on the predicted
number of specialists (M = sqrt(N/d) = 1), while chains from the aligned start keep all N = d
neurons specialized for the whole run, a metastable over-specialized state whose excess
alignment grows with N = d and flattens their curve in d (docs/simulation.md). The other two
curves are reported beside it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from scalelang.simulation.mechanisms import (
    Signature,
    group_beyond_chance,
    group_names,
    markdown,
    measure,
)

CURVES = ("both", "prior", "aligned")
PRIMARY = "prior"  # see the module docstring and docs/simulation.md
TOLERANCE = 0.35  # the acceptance distance between fitted and predicted exponents
# The exponent is estimated from the crossings of several alignment levels, not of 1/2 alone: at a
# CPU budget the alignment of the two-layer erf/He3 network saturates near 0.6, so the crossing of
# 1/2 sits where the curves are flattest (measured: +0.05 per doubling of P, against a seed spread
# of 0.08) and one seed moves P_1/2 by 2x. Every level of LEVELS that the curve of each d crosses
# gives a slope of log P_level against log d; the estimate is their mean (the least-squares fit of
# log P_level = c_level + e log d with one intercept per level). The crossings of 1/2 alone are
# reported beside it. docs/simulation.md has the measurements behind this choice.
LEVELS = (0.3, 0.35, 0.4, 0.45, 0.5)


def results_files(paths) -> list[Path]:
    """The results files named by ``paths``: files as given, folders as every ``*.jsonl`` in them
    (the shards of a sweep run as several jobs); ValueError naming what is missing."""
    found: list[Path] = []
    for item in [paths] if isinstance(paths, (str, Path)) else list(paths):
        path = Path(item)
        if path.is_dir():
            inside = sorted(path.glob("*.jsonl"))
            if not inside:
                raise ValueError(f"{path}: a folder with no results (*.jsonl) in it")
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            raise ValueError(f"{path}: no such file or folder")
    return list(dict.fromkeys(found))


def load_results(paths) -> tuple[list[dict], int]:
    """Rows of one or several results files, and how many chains appeared more than once (in one
    file after a repeated run, or in two shards): each chain is counted once, by its last row.
    Unreadable lines (a line torn by a kill) are skipped."""
    rows: dict[tuple, dict] = {}
    repeated = 0
    for path in results_files(paths):
        with open(path) as handle:
            for line in handle:
                try:
                    row = json.loads(line)
                    key = (row["config_id"], row["d"], row["P"], row["seed"], row["start"])
                except (ValueError, KeyError, TypeError):
                    continue
                repeated += key in rows
                rows[key] = row
    return list(rows.values()), repeated


def _number(text) -> float:
    """An exponent written as 1, 3/4 or 0.75; ValueError (said in words) for anything else."""
    try:
        return float(Fraction(str(text)))
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"an exponent must be a number such as 1, 3/4 or 0.75, not {text!r}"
        ) from None


def crossing(sizes, values, level: float = 0.5) -> float | None:
    """The first P at which ``values`` rises through ``level``, interpolated in log P; None if
    never."""
    order = np.argsort(sizes)
    p = np.asarray(sizes, dtype=float)[order]
    v = np.asarray(values, dtype=float)[order]
    for i in range(len(p) - 1):
        if v[i] < level <= v[i + 1]:
            t = (level - v[i]) / (v[i + 1] - v[i])
            return float(math.exp(math.log(p[i]) + t * (math.log(p[i + 1]) - math.log(p[i]))))
    return None


def slope(xs, ys) -> float:
    """Least-squares slope of log y against log x."""
    lx, ly = np.log(np.asarray(xs, float)), np.log(np.asarray(ys, float))
    lx = lx - lx.mean()
    return float((lx * (ly - ly.mean())).sum() / (lx * lx).sum())


def cells(
    rows: list[dict], curve: str, value=lambda r: r["alignment"]
) -> dict[int, dict[int, np.ndarray]]:
    """{d: {P: per-seed values}} for one curve ("both" averages a seed's two starts)."""
    grouped: dict[tuple, dict] = {}
    for row in rows:
        if curve != "both" and row["start"] != curve:
            continue
        grouped.setdefault((row["d"], row["P"], row["seed"]), []).append(value(row))
    out: dict[int, dict[int, list]] = {}
    for (d, p, _seed), vals in sorted(grouped.items()):
        out.setdefault(d, {}).setdefault(p, []).append(float(np.mean(vals)))
    return {d: {p: np.asarray(v) for p, v in ps.items()} for d, ps in out.items()}


@dataclass
class ExponentFit:
    """The exponent of P_1/2 in d for one curve, with its bootstrap interval and verdict."""

    curve: str
    predicted: float | None
    exponent: float | None
    ci: tuple[float, float] | None
    crossings: dict[int, float | None]
    bootstrap_valid: float  # fraction of bootstrap replicates with >= 2 crossings
    consistent: bool | None  # predicted inside the interval
    within_tolerance: bool | None  # |exponent - predicted| <= TOLERANCE
    levels_used: tuple[float, ...] = ()  # the levels crossed at every d (the estimate's levels)
    level_slopes: dict[float, float] = field(default_factory=dict)  # level -> slope of log P_level
    half_exponent: float | None = None  # the slope of the crossings of `level` alone


def _level_slopes(dims, sizes_by_d, means_by_d, levels):
    """{level: slope} over the levels crossed by the curve of every d."""
    logd = np.log(np.asarray(dims, float))
    x = logd - logd.mean()
    out = {}
    for level in levels:
        cs = [crossing(sizes_by_d[d], means_by_d[d], level) for d in dims]
        if any(c is None for c in cs):
            continue
        y = np.log(np.asarray(cs, float))
        out[level] = float((x * (y - y.mean())).sum() / (x * x).sum())
    return out


def fit_exponent(
    data: dict[int, dict[int, np.ndarray]],
    predicted: float | None,
    curve: str = PRIMARY,
    level: float = 0.5,
    n_boot: int = 2000,
    confidence: float = 0.95,
    rng=None,
    levels: tuple[float, ...] | None = None,
) -> ExponentFit:
    """Crossings per d, their log-log slope, and a percentile bootstrap over seeds.

    With ``levels`` (default: ``level`` alone) the estimate is the mean slope over the levels that
    every d crosses; the bootstrap repeats the same estimator on every replicate.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    levels = tuple(levels) if levels else (level,)
    dims = sorted(data)
    sizes_by_d = {d: sorted(data[d]) for d in dims}
    means_by_d = {d: [data[d][p].mean() for p in sizes_by_d[d]] for d in dims}
    crossings = {d: crossing(sizes_by_d[d], means_by_d[d], level) for d in dims}
    valid = [d for d in dims if crossings[d] is not None]
    half = slope(valid, [crossings[d] for d in valid]) if len(valid) >= 2 else None
    if levels == (level,):
        exponent, per_level = half, ({level: half} if half is not None else {})
    else:
        per_level = _level_slopes(dims, sizes_by_d, means_by_d, levels) if len(dims) >= 2 else {}
        exponent = float(np.mean(list(per_level.values()))) if per_level else None
    # bootstrap: resample the seeds of every (d, P) cell independently
    resampled = {}
    for d in dims:
        means = np.empty((n_boot, len(sizes_by_d[d])))
        for k, p in enumerate(sizes_by_d[d]):
            vals = data[d][p]
            idx = rng.integers(0, len(vals), size=(n_boot, len(vals)))
            means[:, k] = vals[idx].mean(axis=1)
        resampled[d] = means
    slopes = []
    logd = np.log(np.asarray(dims, float))
    for b in range(n_boot):
        if levels == (level,):
            cs = np.array(
                [crossing(sizes_by_d[d], resampled[d][b], level) or np.nan for d in dims], float
            )
            ok = ~np.isnan(cs)
            if ok.sum() >= 2:
                x = logd[ok] - logd[ok].mean()
                y = np.log(cs[ok])
                slopes.append(float((x * (y - y.mean())).sum() / (x * x).sum()))
        else:
            got = _level_slopes(dims, sizes_by_d, {d: resampled[d][b] for d in dims}, levels)
            if got:
                slopes.append(float(np.mean(list(got.values()))))
    ci = None  # no exponent from the data: replicates that cross by chance do not make one
    if exponent is not None and len(slopes) >= max(20, n_boot // 10):
        alpha = (1 - confidence) / 2
        ci = (float(np.quantile(slopes, alpha)), float(np.quantile(slopes, 1 - alpha)))
    consistent = None if ci is None or predicted is None else bool(ci[0] <= predicted <= ci[1])
    within = (
        None
        if exponent is None or predicted is None
        else bool(abs(exponent - predicted) <= TOLERANCE)
    )
    return ExponentFit(
        curve,
        predicted,
        exponent,
        ci,
        crossings,
        len(slopes) / n_boot,
        consistent,
        within,
        tuple(sorted(per_level)),
        per_level,
        half,
    )


@dataclass
class SpecialistFit:
    """Specialists (minus the random-direction count) near P_1/2 against d, for one layer, or for
    one of its groups (``group``: the group's name)."""

    layer: str
    predicted: float | None
    counts: dict[int, float]
    at_P: dict[int, int]
    exponent: float | None
    consistent: bool | None = None
    group: str | None = None


def _beyond_chance(row: dict, layer: str, group: str | None) -> float | None:
    """A row's specialists of ``layer`` (of its ``group``, if given) minus their lazy baseline;
    None where the row lacks them (written before groups were counted)."""
    if group is None:
        return row["specialists"][layer] - ((row.get("specialists_null") or {}).get(layer) or 0.0)
    return group_beyond_chance(row, layer, group)


def fit_specialists(
    rows,
    crossings: dict[int, float | None],
    layer: str,
    predicted: float | None,
    group: str | None = None,
) -> SpecialistFit:
    """Mean specialist count (minus null) at the grid P closest to each d's crossing; of one
    group's neurons (``specialists_by_group``) when ``group`` is given."""
    counts, at = {}, {}
    for d, pc in crossings.items():
        if pc is None:
            continue
        sizes = sorted({r["P"] for r in rows if r["d"] == d})
        p = min(sizes, key=lambda s: abs(math.log(s / pc)))
        chosen = [r for r in rows if r["d"] == d and r["P"] == p]
        vals = [v for v in (_beyond_chance(r, layer, group) for r in chosen) if v is not None]
        if vals:
            counts[d], at[d] = float(np.mean(vals)), p
    positive = [d for d in counts if counts[d] > 0]
    exponent = slope(positive, [counts[d] for d in positive]) if len(positive) >= 2 else None
    consistent = None
    if exponent is not None and predicted is not None:
        consistent = bool(abs(exponent - predicted) <= TOLERANCE)
    return SpecialistFit(layer, predicted, counts, at, exponent, consistent, group)


def fit_groups(rows, crossings: dict[int, float | None]) -> list[SpecialistFit]:
    """``fit_specialists`` for every group of the results (``specialists_by_group``), each against
    the exponent the prediction gives its count (``predicted_groups``)."""
    predicted = {
        (layer, g["name"]): g.get("exponent")
        for layer, groups in (rows[0].get("predicted_groups") or {}).items()
        for g in groups
    }
    fits = []
    for layer, group in group_names(rows[0]):
        pred = predicted.get((layer, group))
        fits.append(
            fit_specialists(rows, crossings, layer, None if pred is None else _number(pred), group)
        )
    return fits


@dataclass
class FitReport:
    problem: str
    results: str
    predicted_exponent: float | None
    level: float
    fits: list[ExponentFit]
    specialists: list[SpecialistFit]
    collapse: dict[str, dict[int, list[tuple[float, float]]]]  # curve -> d -> [(P/P*, alignment)]
    plot: str | None = None
    notes: list[str] = field(default_factory=list)
    seeds: int = 0  # data seeds per (d, P): what the bootstrap resamples
    competitors: dict = field(default_factory=dict)  # mechanism -> its exponent of P* in d
    signature: Signature | None = None  # the mechanism each layer shows (simulation.mechanisms)
    groups: list[SpecialistFit] = field(default_factory=list)  # per group of specialists

    @property
    def primary(self) -> ExponentFit:
        return next(f for f in self.fits if f.curve == PRIMARY)

    def to_json(self) -> dict:
        out = asdict(self)
        out["verdict"] = self.verdict()
        return json.loads(json.dumps(out, default=str))

    def verdict(self) -> str:
        """One rule, for the prediction and for its competitors alike (docs/simulation.md,
        "Fitting"): an exponent agrees with the measurement when the 95% interval covers it or it
        lies within TOLERANCE of the measured exponent. PASS when the prediction agrees; then the
        competing mechanisms' exponents (the runners-up of ``scalelang solve``) that do not agree
        are the ones the measurement excludes."""
        f = self.primary
        if f.exponent is None:
            return (
                "no exponent: alignment does not cross the levels at two or more d "
                "(widen the P grid)"
            )
        ci = f"[{f.ci[0]:.2f}, {f.ci[1]:.2f}]" if f.ci else "(no interval)"
        if f.predicted is None:
            return f"measured exponent {f.exponent:.2f}, 95% CI {ci}; no prediction given"
        if f.consistent:
            how = "consistent: the interval covers it"
        elif f.within_tolerance:
            how = f"within {TOLERANCE} of it, though the interval does not cover it"
        else:
            how = f"outside the interval and more than {TOLERANCE} away"
        said = "PASS" if self.passes else "FAIL"
        text = (
            f"{said}: measured exponent {f.exponent:.2f}, 95% CI {ci}, against the predicted "
            f"{f.predicted:g}: {how}"
        )
        excluded = [
            f"{name} ({exponent:g})"
            for name, exponent in self.competitors.items()
            if not self.agrees(exponent)
        ]
        kept = [
            f"{name} ({exponent:g})"
            for name, exponent in self.competitors.items()
            if self.agrees(exponent)
        ]
        if excluded:
            text += f"; it excludes {', '.join(excluded)}"
        if kept:
            text += f"; it cannot tell the prediction from {', '.join(kept)}"
        return text + "".join(f"; caution: {c}" for c in self.cautions())

    @property
    def passes(self) -> bool:
        return self.primary.predicted is not None and self.agrees(self.primary.predicted)

    def agrees(self, exponent: float) -> bool:
        """The verdict's rule: the 95% interval covers ``exponent``, or it lies within TOLERANCE
        of the measured exponent."""
        f = self.primary
        if f.exponent is None:
            return False
        covered = f.ci is not None and f.ci[0] <= exponent <= f.ci[1]
        return covered or abs(f.exponent - exponent) <= TOLERANCE

    def cautions(self) -> list[str]:
        """Why the verdict may rest on little (a smoke run: two dimensions, a level below 1/2)."""
        f, out = self.primary, []
        if len(f.crossings) < 3:
            out.append(
                f"only {len(f.crossings)} dimensions d, so the slope has no check of its own"
            )
        if all(c is None for c in f.crossings.values()):
            used = ", ".join(f"{lv:g}" for lv in f.levels_used) or "none"
            out.append(
                f"the alignment never crosses {self.level:g}; the slope comes from the "
                f"level(s) {used} only"
            )
        if 0 < self.seeds < 3:
            out.append(
                f"only {self.seeds} seed{'s' if self.seeds > 1 else ''} per (d, P), so the "
                "bootstrap over seeds has little to resample: the interval is too narrow"
            )
        return out

    def grid_advice(self) -> list[float] | None:
        """When no exponent could be fitted, P/P*_pred values that would bracket the crossing of
        the lowest level: higher ones when some d never reaches it, lower ones when some d is
        above it from the first P (a run with them appends to the same results file)."""
        by_d = self.collapse.get(PRIMARY) or {}
        if self.primary.exponent is not None or not by_d:
            return None
        ratios = sorted(r for pts in by_d.values() for r, _ in pts)
        low, high, level = ratios[0], ratios[-1], min(LEVELS)
        advice = []
        if any(pts[0][1] > level for pts in by_d.values()):
            advice += [low / 8, low / 4, low / 2]
        if any(max(a for _, a in pts) < level for pts in by_d.values()):
            advice += [high * 2, high * 4, high * 8]
        return [float(f"{r:.3g}") for r in advice] or None

    def to_markdown(self) -> str:
        levels = ", ".join(f"{lv:g}" for lv in self.primary.levels_used) or f"{self.level:g}"
        lines = [
            f"# Fit of {self.problem}",
            "",
            f"Results: `{self.results}`; the exponent averages the slopes at the levels A_f = "
            f"{levels}; crossings shown at A_f = {self.level:g}.",
            "",
        ]
        lines += [f"**Verdict ({PRIMARY} starts):** {self.verdict()}", ""]
        advice = self.grid_advice()
        if advice:
            lines += [
                "To bracket the crossings, run the script again on the same results file with "
                f"`--ratios {' '.join(f'{r:g}' for r in advice)}`, then fit again.",
                "",
            ]
        lines += [
            "Exponent: mean over the alignment levels crossed at every d of the slope of log "
            "P_level "
            "against log d (scalelang/simulation/fit.py, LEVELS); the slope of the crossings of "
            "1/2 alone is "
            "beside it.",
            "",
        ]
        lines += [
            "| curve | exponent in d | 95% CI | predicted | consistent | within 0.35 | levels used "
            "| "
            "slope of P_1/2 | crossings P_1/2(d) |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for f in self.fits:
            cross = ", ".join(
                f"{d}: {'-' if c is None else f'{c:.0f}'}" for d, c in f.crossings.items()
            )
            exp = "-" if f.exponent is None else f"{f.exponent:.3f}"
            ci = "-" if f.ci is None else f"[{f.ci[0]:.2f}, {f.ci[1]:.2f}]"
            pred = "-" if f.predicted is None else f"{f.predicted:g}"
            used = ", ".join(f"{lv:g}: {f.level_slopes[lv]:.2f}" for lv in f.levels_used) or "-"
            half = "-" if f.half_exponent is None else f"{f.half_exponent:.2f}"
            lines.append(
                f"| {f.curve} | {exp} | {ci} | {pred} | {_yes(f.consistent)} | "
                f"{_yes(f.within_tolerance)} | {used} "
                f"| {half} | {cross} |"
            )
        if self.specialists:
            lines += [
                "",
                "Specialists (minus the count expected of random directions) at the grid P nearest "
                "P_1/2:",
                "",
                "| layer | counts by d | exponent | predicted | within 0.35 |",
                "|---|---|---|---|---|",
            ]
            for s in self.specialists:
                counts, exp, pred = _count_cells(s)
                lines.append(f"| {s.layer} | {counts} | {exp} | {pred} | {_yes(s.consistent)} |")
        if self.groups:
            lines += [
                "",
                "Specialists per group (the neurons counted for each group the prediction names, "
                "minus the count of its lazy baseline) at the grid P nearest P_1/2:",
                "",
                "| layer | group | counts by d | exponent | predicted | within 0.35 |",
                "|---|---|---|---|---|---|",
            ]
            for s in self.groups:
                counts, exp, pred = _count_cells(s)
                lines.append(
                    f"| {s.layer} | {s.group} | {counts or '-'} | {exp} | {pred} | "
                    f"{_yes(s.consistent)} |"
                )
        lines.append("")
        if self.signature is not None:
            lines += markdown(self.signature)
        lines += [
            "",
            "Collapse: seed-mean alignment against P/P*_pred (P*_pred from the plan).",
            "",
        ]
        for curve, by_d in self.collapse.items():
            ratios = sorted({_column(r) for pts in by_d.values() for r, _ in pts})
            lines += [
                f"{curve} start{'s' if curve == 'both' else ''}:",
                "",
                "| d | " + " | ".join(f"{r:g}" for r in ratios) + " |",
                "|---|" + "---|" * len(ratios),
            ]
            for d, pts in by_d.items():
                table = {_column(r): a for r, a in pts}
                lines.append(
                    f"| {d} | "
                    + " | ".join(f"{table[r]:.2f}" if r in table else "" for r in ratios)
                    + " |"
                )
            lines.append("")
        if self.plot:
            lines += [f"Collapse plot: `{self.plot}`", ""]
        lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines).rstrip() + "\n"


def _yes(value) -> str:
    """A table's yes/no, and "-" where there is nothing to judge (no prediction, no exponent)."""
    return "-" if value is None else ("yes" if value else "no")


def _count_cells(fit) -> tuple[str, str, str]:
    """A specialist fit's counts by d (each at its grid P), measured and predicted exponents, as
    the per-layer and per-group tables write them."""
    counts = ", ".join(f"{d}: {c:.2f} (P={fit.at_P[d]})" for d, c in fit.counts.items())
    exp = "-" if fit.exponent is None else f"{fit.exponent:.2f}"
    pred = "-" if fit.predicted is None else f"{fit.predicted:g}"
    return counts, exp, pred


def _column(ratio: float) -> float:
    """A P/P*_pred as a column of the collapse table: three significant digits, since P is
    rounded to a whole number (a planned 2 can come out 2.001 at one d)."""
    return float(f"{ratio:.3g}")


def collapse_points(rows, curve: str) -> dict[int, list[tuple[float, float]]]:
    data = cells(rows, curve)
    ratio = {(r["d"], r["P"]): r["p_over_p_star"] for r in rows}
    return {
        d: [(ratio[(d, p)], float(v.mean())) for p, v in sorted(ps.items())]
        for d, ps in data.items()
    }


def plot_collapse(report: FitReport, path: str) -> str | None:
    """Alignment against P/P*_pred for every d on one figure; None when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        report.notes.append(
            "matplotlib is not installed: no collapse plot (pip install matplotlib)"
        )
        return None
    fig, axes = plt.subplots(
        1, len(report.collapse), figsize=(4.5 * len(report.collapse), 3.6), sharey=True
    )
    axes = np.atleast_1d(axes)
    for ax, (curve, by_d) in zip(axes, report.collapse.items()):
        for d, pts in by_d.items():
            xs, ys = zip(*pts)
            ax.plot(xs, ys, "o-", label=f"d = {d}")
        ax.axhline(report.level, color="gray", lw=0.8, ls="--")
        ax.set_xscale("log")
        ax.set_xlabel("P / P*_pred")
        ax.set_title(f"{curve} start{'s' if curve == 'both' else ''}")
    axes[0].set_ylabel("alignment A_f")
    axes[0].legend()
    fig.suptitle(f"{report.problem}: predicted exponent {report.predicted_exponent}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def fit_results(
    path,
    predicted_exponent=None,
    level: float = 0.5,
    n_boot: int = 2000,
    plot: str | None = None,
    seed: int = 0,
    levels: tuple[float, ...] | None = LEVELS,
    dims: tuple[int, ...] | None = None,
) -> FitReport:
    """The whole analysis of the results in ``path``: a file, a folder of them, or a list of
    either (the shards of one sweep). Results of different problems are refused, not mixed."""
    rows, repeated = load_results(path)
    shown = path if isinstance(path, (str, Path)) else ", ".join(map(str, path))
    if not rows:
        raise ValueError(f"{shown}: no results")
    problems = sorted({str(r.get("problem")) for r in rows})
    if len(problems) > 1:
        raise ValueError(
            f"{shown}: results of {len(problems)} problems ({', '.join(problems)}); fit one "
            "problem at a time (one results file or folder per problem)"
        )
    configs = {r["config_id"] for r in rows}
    notes = []
    if repeated:
        notes.append(
            f"{repeated} chain{'s' if repeated != 1 else ''} appeared more than once (a rerun or "
            "overlapping shards); each is counted once, by its last row"
        )
    if len(configs) > 1:
        latest = rows[-1]["config_id"]
        rows = [r for r in rows if r["config_id"] == latest]
        notes.append(
            f"{len(configs)} configurations in the results; fitted the last one "
            f"({latest}, problem {rows[0].get('problem')})"
        )
    if dims:
        present = sorted({r["d"] for r in rows})
        rows = [r for r in rows if r["d"] in set(dims)]
        if not rows:
            raise ValueError(
                f"--dims {' '.join(map(str, dims))}: the results have d in "
                f"{{{', '.join(map(str, present))}}} only"
            )
        notes.append(f"fitted d in {sorted(set(dims))} only")
    measured = sorted({r["d"] for r in rows})
    if len(measured) < 2:
        raise ValueError(
            f"the results have one d ({measured[0]}): an exponent in d needs at "
            "least two; run the sweep at more d (--dims)"
        )
    competitors = {
        name: _number(value) for name, value in (rows[0].get("competing_exponents") or {}).items()
    }
    if predicted_exponent is None and rows[0].get("predicted_exponent") is not None:
        predicted_exponent = rows[0]["predicted_exponent"]
    predicted = None if predicted_exponent is None else _number(predicted_exponent)
    rng = np.random.default_rng(seed)
    starts = {r["start"] for r in rows}
    curves = [c for c in CURVES if c == "both" and len(starts) > 1 or c in starts]
    if PRIMARY not in curves:  # one start only: it is the primary
        rows_curve = curves[0]
        fits = [
            fit_exponent(
                cells(rows, rows_curve),
                predicted,
                rows_curve,
                level,
                n_boot,
                rng=rng,
                levels=levels,
            )
        ]
        fits[0].curve = PRIMARY
        notes.append(f"only the {rows_curve} start was run")
    else:
        fits = [
            fit_exponent(cells(rows, c), predicted, c, level, n_boot, rng=rng, levels=levels)
            for c in curves
        ]
    specs = []
    primary = next(f for f in fits if f.curve == PRIMARY)
    # the counts of the chains whose crossings choose the P: aligned chains keep every neuron
    # they started on the teachers (docs/simulation.md, "Fitting"), which is no count of the
    # prior start's transition
    chains = [r for r in rows if r["start"] == PRIMARY] or rows
    layers = list(rows[0]["specialists"])
    predicted_specs = rows[0].get("predicted_specialists") or {}
    for layer in layers:
        pred = predicted_specs.get(layer)
        specs.append(
            fit_specialists(
                chains, primary.crossings, layer, None if pred is None else _number(pred)
            )
        )
    report = FitReport(
        problem=rows[0]["problem"],
        results=str(shown),
        predicted_exponent=predicted,
        level=level,
        fits=fits,
        specialists=specs,
        collapse={c: collapse_points(rows, c) for c in curves},
        notes=notes,
        seeds=len({r["seed"] for r in rows}),
        competitors=competitors,
        signature=measure(rows, PRIMARY, n_boot, seed),
        groups=fit_groups(chains, primary.crossings),
    )
    if plot:
        report.plot = plot_collapse(report, plot)
    return report
