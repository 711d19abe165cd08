"""Groups of specialists in the generated script (docs/simulation.md, "Observables"): the
prediction's groups reach the script, each is counted apart from the others (a neuron for the
nearest of its layer's groups and their teachers alone), its lazy baseline agrees with random
directions, a sweep records the counts per group and resumes them, and the fit reads them."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import sympy
from sim_helpers import load_script, make_problem, rows, run

from scalelang.codegen import Prediction, build_spec, plan_for, render_script
from scalelang.simulation.fit import fit_results
from scalelang.simulation.mechanisms import measure

torch = pytest.importorskip("torch")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SUM, PRODUCT = "He1(w . x)", "He1((u ± w)/sqrt(2) . x)"


def _codegen(name: str, folder: Path) -> Path:
    """The script of an example with N = d, written by the command line."""
    out = folder / f"{name}.py"
    made = subprocess.run(
        [sys.executable, "-m", "scalelang", "codegen", str(EXAMPLES / f"{name}.scale")]
        + ["--set", "N=d", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    return out


@pytest.fixture(scope="module")
def scripts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("groups")
    return {name: _codegen(name, folder) for name in ("two_teachers", "two_teacher_product")}


@pytest.fixture(scope="module")
def modules(scripts):
    return {name: load_script(path.read_text(), path) for name, path in scripts.items()}


@pytest.mark.parametrize(
    "name, groups",
    [("two_teachers", {"h": [SUM, "He1(v . x)"]}), ("two_teacher_product", {"h": [PRODUCT]})],
)
def test_a_smoke_run_records_the_count_of_every_group(scripts, name, groups, tmp_path):
    out = tmp_path / "r.jsonl"
    ran = subprocess.run(
        [sys.executable, str(scripts[name]), "--smoke", "--quiet", "--threads", "1"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    found = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(found) == 16  # two d, two P, two seeds, two starts
    for row in found:
        assert {k: sorted(v) for k, v in row["specialists_by_group"].items()} == {
            k: sorted(v) for k, v in groups.items()
        }
        assert [g["name"] for g in row["predicted_groups"]["h"]] == groups["h"]
        counts = row["specialists_by_group"]["h"]
        assert all(0 <= c <= row["widths"]["h"] for c in counts.values())
        nulls = row["specialists_by_group_null"]["h"]  # the integral, below the layer's
        assert all(0 < v < row["specialists_null"]["h"] for v in nulls.values())
    report = fit_results(str(out), n_boot=100)
    assert [g.group for g in report.groups] == groups["h"]
    text = report.to_markdown()
    assert "Specialists per group" in text and all(g in text for g in groups["h"])
    assert "groups of h: " + groups["h"][0] in report.signature.line()


def _state(sim, d, directions):
    """One chain whose first-layer neurons are ``directions`` (unit vectors, as many as given) and
    otherwise orthogonal to every teacher: they cannot pass the threshold."""
    teachers = sim.make_teachers(d, 0)
    g = torch.Generator().manual_seed(0)
    state = sim.initial_state(d, 1, ["prior"], [teachers], torch.float64, "cpu", g)
    u = state["u"][0][0]
    u = u - (u @ teachers) @ teachers.mT
    for i, direction in enumerate(directions):
        u[i] = direction(teachers) * math.sqrt(d)
    state["u"][0][0] = u
    x, y = sim.make_data(d, 64, teachers, "test", d, 0)
    return state, x[None], y[None], teachers[None]


def test_planted_neurons_count_for_their_own_group_not_the_layer(modules):
    """Five neurons on w (of either sign) and two on v: the groups count 5 and 2, the layer 7."""
    sim = modules["two_teachers"]
    on_w = [lambda t: t[:, 0], lambda t: -t[:, 0]] + [lambda t: t[:, 0]] * 3
    on_v = [lambda t: -t[:, 1]] * 2
    obs = sim.observe(*_state(sim, 32, on_w + on_v))
    assert [float(c[0]) for c in obs["specialists_by_group"]] == [5.0, 2.0]
    assert float(obs["specialists"][0][0]) == 7.0


def test_a_combination_counts_its_own_neurons_and_not_a_teachers(modules):
    """Three neurons on (u - w)/sqrt(2), two on u and one on w. Each has overlap 1/sqrt(2) = 0.707
    with the other kind, above the threshold 0.7: counted by overlap alone, the combination would
    hold all six and a group on u alone five. Counted for the nearest direction, the combination
    has its three, and a group on u its two."""
    sim = modules["two_teacher_product"]
    minus = [lambda t: (t[:, 0] - t[:, 1]) / math.sqrt(2)] * 3
    alone = [lambda t: t[:, 0]] * 2 + [lambda t: -t[:, 1]]
    state, x, y, teachers = _state(sim, 32, minus + alone)
    obs = sim.observe(state, x, y, teachers)
    assert [float(c[0]) for c in obs["specialists_by_group"]] == [3.0]
    first = state["sigmas"][0] * state["u"][0]
    signed = [(first @ teachers) / first.norm(dim=-1, keepdim=True)]
    [combination] = sim.GROUPS
    by_overlap = sim.overlap_with_group(signed[0], combination[2], combination[3])
    assert int((by_overlap > sim.OVERLAP_THRESHOLD).sum()) == 6  # why the nearest rule
    groups = sim.GROUPS + ((0, "u", (0,), ((1,),)),)
    counted = sim.group_overlaps(signed, groups)
    assert [int((o > sim.OVERLAP_THRESHOLD).sum()) for o in counted] == [3, 2]


@pytest.mark.parametrize("name", ["two_teachers", "two_teacher_product"])
def test_the_lazy_baseline_of_a_group_is_what_random_directions_give(modules, name):
    """The first layer's baseline per group (an integral over the projection's norm and angle)
    against 400000 random unit directions counted by the same rule, at d = 8 and 12."""
    sim = modules[name]
    g = torch.Generator().manual_seed(5)
    for d in (8, 12):
        n = 400_000
        u = torch.randn(1, n, d, generator=g, dtype=torch.float64)
        signed = [u[..., : len(sim.TEACHERS)] / u.norm(dim=-1, keepdim=True)]
        counts = [float(c[0]) for c in sim.group_counts(signed, torch.float64)]
        for count, expected in zip(counts, sim.null_group_specialists(d, n), strict=True):
            assert abs(count - expected) < 4 * math.sqrt(expected) + 1e-3 * expected


def test_the_lazy_baseline_of_two_teachers_is_the_closed_form(modules):
    """With two teachers a random direction's projection onto their plane is q (cos a, sin a),
    a uniform. A teacher's group, beside the other teacher, holds the angles within pi/4 of its two
    half-lines (+w, -w); a combination, beside each teacher alone, those within pi/8 of its four
    ((u + w)/sqrt(2), (u - w)/sqrt(2) and their negatives); of those, the ones within
    arccos(0.7 / q) pass. The grid of angles gives the same to 1e-4."""
    import numpy as np

    for name, lines, half_width in (
        ("two_teachers", 2, math.pi / 4),
        ("two_teacher_product", 4, math.pi / 8),
    ):
        sim = modules[name]
        for d in (8, 32, 64):
            q, density = sim.projection_density(d, 2)
            within = np.arccos(np.clip(sim.OVERLAP_THRESHOLD / q, 0, 1))
            fraction = lines * 2 * np.minimum(within, half_width) / (2 * math.pi)
            exact = sim.integrate(density * fraction, q)
            for value in sim.null_group_specialists(d, 1):
                assert value == pytest.approx(exact, rel=1e-4)


def _two_layer_script(tmp_path) -> Path:
    """A hand-built network of two layers and two teachers whose prediction names a group on each
    teacher in h1 and a group on w in h2."""
    problem = make_problem(["d", "d"], target=((1, (("v", 3),)), (1, (("w", 3),))))
    one = {"signs": [[1]], "parameter": None, "exponent": "0"}
    groups = {
        "h1": [{"name": "w", "teachers": ["w"], **one}, {"name": "v", "teachers": ["v"], **one}],
        "h2": [{"name": "w", "teachers": ["w"], **one}],
    }
    prediction = Prediction(exponent=sympy.Integer(1), source="test", groups=groups)
    script = tmp_path / "sim.py"
    script.write_text(render_script(build_spec(problem), prediction, plan_for("smoke")))
    return script


def test_a_deeper_group_has_a_measured_baseline_and_resumes(tmp_path):
    """The second layer's group is counted from its pre-activation's correlations, and its
    baseline from the layer's weights redrawn from the prior (a number, measured); the first
    layer's baseline is the integral. A sweep stopped and resumed writes the same rows."""
    script = _two_layer_script(tmp_path)
    whole, pieces = tmp_path / "whole.jsonl", tmp_path / "pieces.jsonl"
    assert run(script, whole).returncode == 0
    assert run(script, pieces, "--stop-after-steps", "60").returncode == 3
    assert run(script, pieces).returncode == 0
    assert rows(pieces) == rows(whole)
    for row in rows(whole):
        assert set(row["specialists_by_group"]) == {"h1", "h2"}
        assert set(row["specialists_by_group"]["h1"]) == {"w", "v"}
        nulls = row["specialists_by_group_null"]
        assert 0 < nulls["h1"]["w"] == nulls["h1"]["v"]  # the integral, the same for each
        assert isinstance(nulls["h2"]["w"], float)  # measured


def _group_rows(w_count: float, v_count: float, seeds=4):
    """Synthetic rows at one (d, P): the layer h and its groups on w and v."""
    out = []
    for seed in range(seeds):
        jitter = 1 + 0.05 * seed
        out.append(
            {
                "start": "prior",
                "d": 64,
                "P": 1024,
                "seed": seed,
                "specialists": {"h": (w_count + v_count) * jitter},
                "specialists_null": {"h": 0.1},
                "overlap2": {"h": 0.1},
                "overlap2_prior": {"h": 0.01},
                "coherence": {"h": 0.1},
                "predicted_signature": {"h": "specialists"},
                "predicted_groups": {"h": [{"name": "w"}, {"name": "v"}]},
                "specialists_by_group": {"h": {"v": v_count * jitter, "w": w_count * jitter}},
                "specialists_by_group_null": {"h": {"v": 0.05, "w": 0.05}},
            }
        )
    return out


def test_the_signature_says_which_group_formed():
    """Three specialists on w and none on v: the layer shows specialists, the prediction's
    signature, and the line says that the group on v did not form."""
    seen = measure(_group_rows(3.0, 0.0), n_boot=200)
    assert [(g.group, g.formed) for g in seen.groups] == [("w", True), ("v", False)]
    assert seen.line().endswith("the prediction's signature; groups of h: w formed, v NOT formed")
    both = measure(_group_rows(3.0, 2.0), n_boot=200)
    assert [g.formed for g in both.groups] == [True, True]


def test_a_mixture_predicts_its_specialist_groups_only():
    """h: gp | spec + gfl for He3(w.x) + He1(v.x) at N = d: the mixture wins (spec on one
    teacher, GFL on the other); the prediction's groups are the specialists' alone, with their
    count's variable, and the layer's signature is what a measurement sees first, specialists."""
    from scalelang import load
    from scalelang.codegen import prediction_from_solution

    text = (EXAMPLES / "two_teachers.scale").read_text()
    text = text.replace("He3(w . x) + He3(v . x)", "He3(w . x) + He1(v . x)")
    text = text.replace("patterns h: gp | spec | gfl", "patterns h: gp | spec + gfl")
    prediction = prediction_from_solution(load(text).solve(N="d"), "d")
    assert prediction.patterns == {"h": "spec + gfl"}
    assert prediction.signature == {"h": "specialists"}
    (group,) = prediction.groups["h"]
    assert group["parameter"] in {"M_w", "M_v"}
    assert group["name"] == {"M_w": "He1(w . x)", "M_v": "He1(v . x)"}[group["parameter"]]
