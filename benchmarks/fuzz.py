"""Fuzz ``scalelang.load(text).solve()`` with many inputs and count what happened.

    python benchmarks/fuzz.py [--inputs 10000] [--seed 1] [--layers 3] [--limit 60]

The inputs are tests/fuzz/generate.py's: grammar-aware random programs (dense networks of one to
``--layers`` layers), mutations of them, and mutations of the examples, a third each. Outcomes:
ok, error (a ScaleError placed in the input), unplaced (an error without a place), timeout (past
``--limit`` seconds), traceback (any other exception). Prints one table, and the first input of
each bad outcome; benchmarks/README.md has the latest run's figures.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.generate import inputs, outcome  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per input")
    args = parser.parse_args(argv)
    found: collections.Counter = collections.Counter()
    first: dict = {}
    slowest = (0.0, "")
    started = time.perf_counter()
    warnings.simplefilter("ignore")
    for count, text in enumerate(inputs(args.inputs, args.seed, args.layers), start=1):
        if count % 250 == 0:  # a running count, so that a long run that is stopped still tells
            print(f"after {count} inputs: {dict(found)}", flush=True)
        t0 = time.perf_counter()
        kind, line = outcome(text, args.limit)
        spent = time.perf_counter() - t0
        slowest = max(slowest, (spent, text))
        found[kind] += 1
        if kind not in ("ok", "error") and kind not in first:
            first[kind] = (line, text)
    total = time.perf_counter() - started
    print(
        f"{args.inputs} inputs (seed {args.seed}, up to {args.layers} layers, limit "
        f"{args.limit:g} s) in {total:.0f} s; slowest {slowest[0]:.1f} s"
    )
    print("| outcome | inputs |")
    print("|---|---|")
    for kind in ("ok", "error", "unplaced", "timeout", "traceback"):
        print(f"| {kind} | {found[kind]} |")
    for kind, (line, text) in first.items():
        print(f"\nfirst {kind}: {line}\n{text}")
    return 1 if first else 0


if __name__ == "__main__":
    sys.exit(main())
