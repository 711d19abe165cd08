"""The direct path (``solve``) against the exhaustive one (``solve(..., exhaustive=True)``).

The direct path compares every candidate energy at once, without first building each assignment's
own envelope, and builds the per-assignment tables only on request. The exhaustive path is the
old one: every assignment's envelope first, then the comparison of the candidates that win
somewhere in their own assignment. The two must give exactly the same answer -- winner, P*, the
optimum, every phase with its tied winners in order, the boundaries, the caveats -- on the
examples and on random networks of depth 1 to 3; and the tables computed on request must be
the exhaustive path's.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scalelang.api import load
from scalelang.frontend.load import load_problem
from scalelang.pipeline import solve
from scalelang.support.diagnostics import ScaleError
from scalelang.theory.solve import CHEAP_TABLES

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.scale"))
ACTIVATIONS = ["erf", "relu", "tanh", "linear", "x^2", "x^3"]
PATTERN_SETS = [
    "gp",
    "gp | spec",
    "gp | gfl",
    "gp | spec | mag",
    "spec | gfl",
    "gp | spec | mag | gfl",
]
EXPONENTS = ["1", "2", "1/2", "3/2"]


def answer(solution) -> dict:
    data = solution.to_json(assignments=False)
    data.pop("n_assignments", None)
    return data


def both(problem):
    """(direct, exhaustive) answers, or the same error from both."""
    try:
        fast = solve(problem, assignments=False)
    except ScaleError as error:
        with pytest.raises(ScaleError) as again:
            solve(problem, exhaustive=True)
        assert str(again.value) == str(error)
        return None, None
    return fast, solve(problem, exhaustive=True)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_agree_with_the_exhaustive_path(path):
    fast, slow = both(load_problem(path))
    assert answer(fast) == answer(slow)
    # the tables, on request, are the exhaustive path's
    assert fast.to_json(assignments=True) == slow.to_json(assignments=True)


@st.composite
def networks(draw):
    depth = draw(st.integers(1, 3))
    degree = draw(st.integers(1, 4 if depth < 3 else 3))
    tied = draw(st.booleans())
    widths = ["N" if tied else f"N{i}" for i in range(1, depth + 1)]
    lines = [
        "problem random",
        "scale d, P",
        "scale " + ", ".join(dict.fromkeys(widths)),
        "input x ~ gaussian(d)",
        "teacher w ~ sphere(d)",
        f"target y = He{degree}(w . x)",
    ]
    previous, fan_in = "x", "d"
    for i in range(1, depth + 1):
        act = draw(st.sampled_from(ACTIVATIONS))
        power = draw(st.sampled_from(EXPONENTS))
        lines.append(
            f"layer h{i} = {act}(W{i} {previous}) width {widths[i - 1]} "
            f"prior W{i} ~ normal(0, 1/{fan_in}^({power}))"
        )
        # depth 3 with several patterns everywhere is the slow end of the exhaustive path (half
        # a minute for gp | spec in each of three layers of independent widths)
        sets = PATTERN_SETS if depth < 3 else (["gp"] if i == 1 else PATTERN_SETS[:3])
        lines.append(f"patterns h{i}: {draw(st.sampled_from(sets))}")
        previous, fan_in = f"h{i}", widths[i - 1]
    power = draw(st.sampled_from(EXPONENTS))
    lines.append(f"readout f = a . {previous} prior a ~ normal(0, 1/{fan_in}^({power}))")
    lines.append("predict P")
    return "\n".join(lines) + "\n"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_networks_agree_with_the_exhaustive_path(text):
    try:
        problem = load(text).problem
    except ScaleError:
        return
    fast, slow = both(problem)
    if fast is None:
        return
    assert answer(fast) == answer(slow)
    # every tied winner the exhaustive path lists, in the same order, phase by phase
    assert [p.winners for p in fast.phases] == [p.winners for p in slow.phases]


def test_tables_are_built_on_request_only():
    problem = load_problem(next(p for p in EXAMPLES if p.stem == "fcn3_he3"))
    lazy = solve(problem, assignments=False)
    assert not lazy.tables_built and "assignments" not in lazy.to_json()
    assert lazy.to_json()["n_assignments"] == len(lazy._solver.lowered.assignments)
    eager = solve(problem, assignments=True)
    assert eager.tables_built and "assignments" in eager.to_json()
    # one assignment on request, without the others
    first = eager.assignments[0]
    assert repr(lazy.assignment(first.patterns)) == repr(first)
    assert not lazy.tables_built
    assert [repr(a) for a in lazy.assignments] == [repr(a) for a in eager.assignments]
    # by default the tables come with a problem of few assignments
    assert solve(problem).tables_built == (len(eager.assignments) <= CHEAP_TABLES)
    with pytest.raises(KeyError):
        lazy.assignment(h1="no such pattern")


PATTERNS = ["gp", "spec", "gfl", "mag"]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda depth: st.lists(
            st.tuples(*[st.sampled_from(PATTERNS)] * depth), min_size=1, max_size=60, unique=True
        )
    )
)
def test_tie_sets_expand_to_exactly_the_tie(members):
    from scalelang.theory.ties import boxes, expand

    members = [{f"h{i + 1}": p for i, p in enumerate(m)} for m in members]
    cover = boxes(members)
    expanded = expand(cover)
    assert len(expanded) == len(members)
    assert {tuple(m.items()) for m in expanded} == {tuple(m.items()) for m in members}


def test_a_long_tie_prints_as_sets_under_200_characters():
    """Depth 3, every width d: dozens of assignments tie (spec in some layer); the terminal
    gives their count and the tie as products of per-layer choice sets, which expand to exactly
    the exhaustive path's tie."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from workloads import chain

    from scalelang.report.terminal import summary
    from scalelang.theory.ties import boxes, expand

    problem = load_problem("<text>", text=chain(3, tied=True), overrides={"N": "d"})
    fast, slow = solve(problem, assignments=False), solve(problem, exhaustive=True)
    (phase,) = slow.phases
    assert len(phase.winners) > 10
    cover = boxes(fast.phases[0].winners)
    assert expand(cover) and sorted(map(str, expand(cover))) == sorted(map(str, phase.winners))
    text = summary(fast)
    assert all(len(line) < 200 for line in text.splitlines())
    assert f"the {len(phase.winners)} tied assignments are those with" in text
    assert "tied with: " in summary(fast, all_ties=True)


def test_the_command_line_gives_tables_and_ties_on_request(tmp_path, capsys):
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from workloads import chain

    from scalelang.cli import main

    path = tmp_path / "chain3.scale"
    path.write_text(chain(3, tied=True))
    assert main(["solve", str(path), "--set", "N=d"]) == 0
    text = capsys.readouterr().out
    assert "64 pattern assignments compared" in text and "tied assignments are those with" in text
    assert all(len(line) < 200 for line in text.splitlines())
    assert main(["solve", str(path), "--set", "N=d", "--assignments", "--ties"]) == 0
    text = capsys.readouterr().out
    assert "assignments (energy E where no bound binds" in text and "tied with: " in text
    assert main(["solve", str(path), "--set", "N=d", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "assignments" not in data and data["n_assignments"] == 64
    assert main(["solve", str(path), "--set", "N=d", "--json", "--assignments"]) == 0
    assert len(json.loads(capsys.readouterr().out)["assignments"]) == 64


def test_a_deep_chain_of_independent_widths_agrees_with_the_exhaustive_path():
    """Depth 3, widths N1, N2, N3 (four scales, 64 assignments, 173 candidates, 28 phases):
    most candidates are pruned from point LPs without being solved, and the answer -- every
    phase, tie, optimum and boundary -- is the exhaustive path's (about 20 s, most of it that
    path's)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from workloads import chain

    problem = load_problem("<text>", text=chain(3))
    fast, slow = solve(problem, assignments=False), solve(problem, exhaustive=True)
    assert answer(fast) == answer(slow)
    assert [p.winners for p in fast.phases] == [p.winners for p in slow.phases]


def test_merging_the_envelopes_cells_leaves_a_deep_answer_as_it_was():
    """Three layers of independent widths (22 phases): the envelope's cells merged after every
    candidate, or never (``exponents.envelope.MERGE_FACTOR``), give the same JSON answer."""
    import json
    import sys
    from unittest import mock

    from scalelang.exponents import envelope

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from workloads import chain

    problem = load_problem("<text>", text=chain(3))
    texts = []
    for factor in (0, 10**9):
        with mock.patch.object(envelope, "MERGE_FACTOR", factor):
            texts.append(json.dumps(solve(problem, assignments=False).to_json(), default=str))
    assert texts[0] == texts[1]
    assert len(json.loads(texts[0])["phases"]) > 10
