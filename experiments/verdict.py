"""The verdict of one experiment (experiments/README.md): per arm, the mechanism each layer shows
(scalelang.simulation.mechanisms, the prior-start chains at the largest P of the largest d) and
whether that is the prediction's signature, a competitor's, or neither; with --plateau, also the
exponent of P* in d from the alignment normalized by its plateau.

usage: python experiments/verdict.py --out verdict.md [--plateau] --question TEXT NAME=DIR...

The first line of the file is the verdict:
  VERDICT: AS PREDICTED     every arm shows its prediction's signature or that of an assignment
                            tied with it
  VERDICT: AGAINST          some arm shows a competitor's signature and not the prediction's
  VERDICT: UNDECIDED        otherwise: no layer of an arm passes its threshold (all lazy: too
                            small or too short to tell, not read as the GP competitor), a
                            signature that matches no candidate, or no observables
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from scalelang.simulation.fit import fit_results, load_results
from scalelang.simulation.mechanisms import THRESHOLDS, markdown, measure

PLATEAU_FRACTIONS = (0.35, 0.4, 0.45, 0.5)  # of the plateau: the levels of the normalized fit


def plateau(rows: list) -> tuple[float, str]:
    """The alignment the chains can reach at these sizes: the aligned-start seed mean at the
    largest P of each d (the prior start's where no aligned chain ran), the least over d."""
    start = "aligned" if any(r["start"] == "aligned" for r in rows) else "prior"
    chosen = [r for r in rows if r["start"] == start]
    values = []
    for d in sorted({r["d"] for r in chosen}):
        P = max(r["P"] for r in chosen if r["d"] == d)
        values.append(
            float(np.mean([r["alignment"] for r in chosen if r["d"] == d and r["P"] == P]))
        )
    return min(values), start


def arm_section(name: str, folder: Path, use_plateau: bool, boot: int) -> tuple[str, list[str]]:
    """One arm's status (prediction | competitor | none) and its lines of the verdict file."""
    rows, _ = load_results([folder / "results.jsonl"])
    lines = [f"## {name} ({folder})", ""]
    if not rows:
        return "none", lines + ["no results", ""]
    first = rows[0]
    seeds = len({r["seed"] for r in rows})
    lines.append(
        f"prediction: P* ~ d^{first['predicted_exponent']}, signature "
        f"{_text(first.get('predicted_signature') or {})}; competitors: "
        + "; ".join(
            f"{k} (d^{v}: {_text((first.get('competing_signatures') or {}).get(k) or {})})"
            for k, v in (first.get("competing_exponents") or {}).items()
        )
    )
    ties = first.get("tied_signatures") or {}
    if ties:
        lines.append("tied with it: " + "; ".join(f"{k} ({_text(v)})" for k, v in ties.items()))
    lines.append(f"seeds per (d, P): {seeds}; d = {sorted({r['d'] for r in rows})}")
    lines.append("")
    signature = measure(rows, "prior", boot)
    if signature is None:
        return "none", lines + ["no per-layer observables (no prior-start chains)", ""]
    lines += markdown(signature)
    if use_plateau:
        lines += plateau_fit(rows, folder, boot)
    if all(m.shows == "lazy" for m in signature.layers):
        return "nothing learned", lines  # no layer passes a threshold: too small to tell
    tied = [m for m in signature.matches if m in (first.get("tied_signatures") or {})]
    if "the prediction" in signature.matches or tied:
        if tied and "the prediction" not in signature.matches:
            lines += [f"(the signature of {', '.join(tied)}, tied with the prediction)", ""]
        return "prediction", lines
    return ("competitor" if signature.matches else "none"), lines


def plateau_fit(rows: list, folder: Path, boot: int) -> list[str]:
    top, start = plateau(rows)
    levels = [round(f * top, 4) for f in PLATEAU_FRACTIONS]
    head = (
        f"Plateau: {top:.3f} (the {start} start's seed mean at the largest P, least over d); "
        f"levels {', '.join(f'{x:g}' for x in levels)} = "
        f"{', '.join(f'{f:g}' for f in PLATEAU_FRACTIONS)} of it."
    )
    if top <= 0.05:
        return [head, "", "No normalized fit: the plateau is too low to cross.", ""]
    if len({r["d"] for r in rows}) < 2:
        return [head, "", "No normalized fit: one d.", ""]
    report = fit_results([folder / "results.jsonl"], n_boot=boot, levels=levels)
    return [head, "", f"Normalized fit: {report.verdict()}", ""]


def _text(signature: dict) -> str:
    return ", ".join(f"{layer} {shows}" for layer, shows in signature.items()) or "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--question", required=True)
    parser.add_argument("--plateau", action="store_true", help="also the plateau-normalized fit")
    parser.add_argument("--boot", type=int, default=2000)
    parser.add_argument("arms", nargs="+", metavar="NAME=DIR")
    args = parser.parse_args(argv)
    statuses, body = {}, []
    for arm in args.arms:
        name, _, folder = arm.partition("=")
        status, lines = arm_section(name, Path(folder), args.plateau, args.boot)
        statuses[name] = status
        body += lines
    against = [n for n, s in statuses.items() if s == "competitor"]
    if all(s == "prediction" for s in statuses.values()):
        head = "VERDICT: AS PREDICTED: every arm shows its prediction's signature"
    elif against:
        verb = "shows" if len(against) == 1 else "show"
        head = f"VERDICT: AGAINST: {', '.join(against)} {verb} a competitor's signature"
    else:
        undecided = [n for n, s in statuses.items() if s != "prediction"]
        head = (
            f"VERDICT: UNDECIDED: {', '.join(undecided)}: no layer past a threshold, or a "
            "signature that matches no candidate"
        )
    text = [
        head,
        "",
        f"Question: {args.question}",
        "",
        "Per arm: " + ", ".join(f"{n}: {s}" for n, s in statuses.items()),
        "",
        "Thresholds (lower end of the 95% interval over seeds): "
        + ", ".join(f"{k} >= {v:g}" for k, v in THRESHOLDS.items()),
        "",
        *body,
    ]
    Path(args.out).write_text("\n".join(text) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
