"""A fuzz run in CI: a few hundred grammar-aware programs and mutations (tests/fuzz/generate.py)
through ``scalelang.load(text)`` and a solve with the command line's limits. None may end in a
Python traceback or a MemoryError, every error must name its place in the input, and none may run
past the limit without the limit's message. benchmarks/fuzz.py runs thousands."""

import collections
import warnings

from tests.fuzz.generate import inputs, outcome

COUNT = 120
LIMIT = 60.0  # seconds per input; the generator's networks have one or two layers


def test_no_traceback_no_unplaced_error_no_runaway():
    found = collections.Counter()
    failures = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the API warns about what lint finds; that is not a fault
        for number, text in enumerate(inputs(COUNT, seed=20261207)):
            kind, line = outcome(text, LIMIT)
            found[kind] += 1
            if kind not in ("ok", "error", "budget"):
                failures.append(f"input {number}: {kind}: {line}\n{text}")
    assert not failures, "\n\n".join(failures[:3])
    assert found["ok"] and found["error"]  # both well-formed answers and positioned errors
