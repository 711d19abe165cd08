"""How `scalelang check` grows with the file: syntax-error recovery over long files, and the
check that every scale is large over many scales, each at doubling sizes (linear work doubles).

    python benchmarks/check_bench.py

Recovery: a file of N `scale` lines and one broken line near its end, through
``frontend.syntax.parse_partial`` (every statement after a syntax error is parsed on its own).
Scales: a problem with N independent scales besides d and P, through ``pipeline.scales`` (which
bisects over the scales for the first one that is not large). Prints seconds per size, median of 3.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scalelang import pipeline  # noqa: E402
from scalelang.frontend.syntax import parse_partial  # noqa: E402

NETWORK = """input x ~ gaussian(d)
teacher w ~ sphere(d)
target y = He3(w . x)
layer h = erf(W x) width N prior W ~ normal(0, 1/d)
readout f = a . h prior a ~ normal(0, 1/N)
predict P
"""


def median_seconds(action, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def recovery(lines: int) -> float:
    text = (
        "scale d\n" + "".join(f"scale N{i}\n" for i in range(lines)) + "layer h = = erf\nscale Q\n"
    )
    return median_seconds(lambda: parse_partial(text, "long.scale"))


def many_scales(count: int) -> float:
    text = (
        "problem many\nscale d, P, N\n" + "".join(f"scale S{i}\n" for i in range(count)) + NETWORK
    )
    problem = pipeline.load("many.scale", text=text)
    return median_seconds(lambda: pipeline.scales(problem))


def main() -> int:
    print("| syntax-error recovery, lines | seconds |")
    print("|---|---|")
    for lines in (1000, 2000, 4000):
        print(f"| {lines} | {recovery(lines):.3f} |")
    print()
    print("| every scale large, independent scales | seconds |")
    print("|---|---|")
    for count in (50, 100, 200):
        print(f"| {count} | {many_scales(count):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
