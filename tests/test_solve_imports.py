"""What ``scalelang solve`` loads: the start-up of the command is most of its time on small files
(benchmarks/solve_bench.py), so modules only other commands need stay unloaded. Checked in a
fresh interpreter, by name, after a solve of every example: structural, not timed. The on-disk
cache is warmed first by the same solves, as a second run finds it: a first run may compute
Hermite coefficients by quadrature (numpy's Gauss-Hermite points)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.scale"))

# Each is imported where a command needs it: numpy by the simulations' fits and the arrays of a
# large prune (theory.kernels), jinja2 by codegen and the reports, matplotlib by the reports'
# diagrams, the report model by reports and notebooks.
NOT_FOR_SOLVE = (
    "numpy",
    "jinja2",
    "matplotlib",
    "scalelang.codegen",
    "scalelang.report.model",
    "scalelang.report.notebook",
    "scalelang.simulation",
    "scalelang.report.dump",  # scalelang check --dump
    "scalelang.commands.codegen",  # the other subcommands' modules: only solve's parser is built
    "scalelang.commands.validate",
    "lark",  # the parser: a second run reads every tree back from the cache (frontend.load)
    "scalelang.frontend.syntax",
)

SOLVE_ALL = """
import contextlib, io, json, sys
from scalelang.cli import main
codes = []
for path in sys.argv[1:]:
    with contextlib.redirect_stdout(io.StringIO()):
        codes.append(main(["solve", path]))
print(json.dumps({"codes": codes, "loaded": sorted(sys.modules)}))
"""


def solve_all() -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SOLVE_ALL, *EXAMPLES],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def after_solves():
    solve_all()  # warms the on-disk cache
    return solve_all()


def test_every_example_solves(after_solves):
    assert len(EXAMPLES) >= 5
    assert after_solves["codes"] == [0] * len(EXAMPLES)


@pytest.mark.parametrize("module", NOT_FOR_SOLVE)
def test_a_solve_leaves_unloaded(after_solves, module):
    loaded = after_solves["loaded"]
    assert not [m for m in loaded if m == module or m.startswith(module + ".")]


def test_the_check_is_not_vacuous(after_solves):
    """The solve did load what it needs: the checker, sympy and the theory."""
    loaded = set(after_solves["loaded"])
    assert {"scalelang.frontend.check", "sympy", "scalelang.theory.solve"} <= loaded
