"""Fuzz ``scalelang.load(text)`` and a solve with the command line's limits, many inputs, and count
what happened.

    python benchmarks/fuzz.py [--inputs 10000] [--seed 1] [--layers 3] [--limit 60]
                              [--only 17,4021] [--log FILE]

The inputs are tests/fuzz/generate.py's: grammar-aware random programs (dense networks of one to
``--layers`` layers), mutations of them, and mutations of the examples, a third each. Each input
runs in a child process forked from this one (after scalelang is imported and warmed up), with
``--limit`` seconds as the solve's own time limit and the command line's memory and candidate
limits, so that a child the machine kills (out of memory) or one that never stops is counted,
not the end of the run. Outcomes:

  ok                     an answer
  error                  a ScaleError placed in the input
  stopped by the limit   the solve stopped at its time, memory or candidate limit, with the
                         limit's positioned message (pipeline.too_large); one row per limit
  unplaced               an error without a place
  past the limit         past ``--limit`` seconds (and 5 s of slack) without that message, or
                         killed by this script at twice the limit
  memory failure         a MemoryError, or a child killed by a signal (the kernel's OOM killer,
                         an abort in a C library that could not allocate)
  traceback              any other exception

A child may not grow past ``GUARD`` GiB of address space (the shared machine's protection; the
memory limit, 4 GiB of resident memory, stops a solve well before it). Prints one table, the
slowest inputs and the largest memory, and the first input of each bad outcome; ``--log`` also
writes one JSON line per input. benchmarks/README.md has the latest run's figures.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import select
import signal
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.generate import STOPS, inputs, outcome  # noqa: E402

GUARD = 12  # GiB of address space a child may map
SLACK = 5.0  # seconds past the limit that still count as at it (loading, making the message)
ROWS = (
    ("ok", "ok"),
    ("error", "error (placed in the input)"),
    ("time", "stopped by the limit: time"),
    ("candidates", "stopped by the limit: candidates"),
    ("memory limit", "stopped by the limit: memory"),
    ("out of memory", "stopped: out of memory (MemoryError, with the message)"),
    ("unplaced", "unplaced error"),
    ("past", "past the limit without the message"),
    ("memory failure", "memory failure (MemoryError or killed)"),
    ("traceback", "traceback"),
)
BAD = ("unplaced", "past", "memory failure", "traceback")


def in_child(text: str, limit: float) -> dict:
    """``outcome(text)`` in a forked child: its kind (a ``ROWS`` key), line, seconds and peak
    resident memory (MiB)."""
    read, write = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: one solve, its answer on the pipe, then gone
        os.close(read)
        status = 0
        try:
            resource.setrlimit(resource.RLIMIT_AS, (GUARD * 2**30, GUARD * 2**30))
            kind, line = outcome(text, limit, backstop=None)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            os.write(write, json.dumps([kind, line[:2000], peak]).encode())
        except BaseException:  # noqa: BLE001 (nothing may escape a forked child)
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    chunks, deadline = [], started + 2 * limit
    while True:
        ready, _, _ = select.select([read], [], [], max(0.0, deadline - time.perf_counter()))
        if not ready:  # never stopped: end it
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(read, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    seconds = time.perf_counter() - started
    if chunks:
        kind, line, peak = json.loads(b"".join(chunks))
    elif seconds >= 2 * limit:
        kind, line, peak = "timeout", f"killed at {2 * limit:g} s", None
    elif os.WIFSIGNALED(status):
        sig = signal.Signals(os.WTERMSIG(status)).name
        kind, line, peak = "memory", f"killed by {sig}", None
    else:
        kind, line, peak = "traceback", f"the child ended without an answer ({status})", None
    if kind == "budget":
        kind = next(STOPS[words] for words in STOPS if line.startswith(words))
        kind = "memory limit" if kind == "memory" else kind
    elif kind == "memory":
        kind = "memory failure"
    elif kind == "timeout" or (kind in ("ok", "error") and seconds > limit + SLACK):
        kind = "past"
    return {"kind": kind, "line": line, "seconds": round(seconds, 2), "peak_mib": peak}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--limit", type=float, default=60.0, help="the solve's time limit")
    parser.add_argument("--only", help="comma-separated input numbers (0-based) to rerun")
    parser.add_argument("--log", help="a file for one JSON line per input")
    args = parser.parse_args(argv)
    only = {int(n) for n in args.only.split(",")} if args.only else None
    warnings.simplefilter("ignore")
    # Imports (many are made inside functions) done once, before the forks.
    outcome((ROOT / "examples" / "fcn3_he3.scale").read_text(encoding="utf-8"), args.limit)
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    found: collections.Counter = collections.Counter()
    first: dict = {}
    slowest, largest = [], (0.0, -1)
    started = time.perf_counter()
    for number, text in enumerate(inputs(args.inputs, args.seed, args.layers)):
        if only is not None and number not in only:
            continue
        if number and number % 250 == 0:  # a running count: a run that is stopped still tells
            print(f"after {number} inputs: {dict(found)}", flush=True)
        result = in_child(text, args.limit)
        kind = result["kind"]
        found[kind] += 1
        slowest = sorted([*slowest, (result["seconds"], number, kind)], reverse=True)[:5]
        if result["peak_mib"] is not None:
            largest = max(largest, (result["peak_mib"], number))
        if kind in BAD and kind not in first:
            first[kind] = (number, result["line"], text)
        if log:
            log.write(json.dumps({"input": number, **result}) + "\n")
            log.flush()
    total = time.perf_counter() - started
    count = sum(found.values())
    print(
        f"{count} inputs (seed {args.seed}, up to {args.layers} layers, limit {args.limit:g} s) "
        f"in {total:.0f} s; largest peak resident memory {largest[0]:.0f} MiB (input "
        f"{largest[1]}); slowest: " + ", ".join(f"input {n} {s:.1f} s ({k})" for s, n, k in slowest)
    )
    print("| outcome | inputs |")
    print("|---|---|")
    for key, label in ROWS:
        print(f"| {label} | {found[key]} |")
    for kind, (number, line, text) in first.items():
        print(f"\nfirst {kind}: input {number}: {line}\n{text}")
    return 1 if first else 0


if __name__ == "__main__":
    sys.exit(main())
