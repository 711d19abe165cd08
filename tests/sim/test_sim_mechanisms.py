"""Mechanisms per layer: the generated script's observables detect a planted specialist, a planted
magnetization and an amplified overlap, and see none in a random network; the fit reads them
into a signature per layer and says which assignment (the prediction, a tie, a competitor)
shows it."""

import math

import pytest
from sim_helpers import load_script, make_problem, render

from scalelang.simulation.mechanisms import measure

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    return load_script(render(make_problem(["d"])), tmp_path_factory.mktemp("m") / "sim_m.py")


def observables(sim, signed):
    out = sim.layer_observables([signed], torch.float64)
    return {k: float(v[0][0]) for k, v in out.items()}


def random_overlaps(n, d, generator):
    """The signed overlaps of n random unit directions in d dimensions with one teacher."""
    u = torch.randn(1, n, d, generator=generator, dtype=torch.float64)
    return u[..., :1] / u.norm(dim=-1, keepdim=True)


def test_a_random_layer_shows_nothing(sim):
    g = torch.Generator().manual_seed(0)
    seen = observables(sim, random_overlaps(400, 400, g))
    assert seen["specialists"] == 0
    # independent signs: the ratio is a chi-square with one degree of freedom, mean 1
    assert seen["coherence"] / seen["overlap2"] < 5


def test_planted_specialists_are_counted(sim):
    g = torch.Generator().manual_seed(1)
    c = random_overlaps(400, 400, g)
    c[0, :3, 0] = torch.tensor([0.9, -0.8, 0.95], dtype=torch.float64)  # three, of either sign
    assert observables(sim, c)["specialists"] == 3


def test_a_planted_magnetization_is_seen(sim):
    """Every neuron leans the same way along the teacher: magnetization ~ N times the overlap."""
    g = torch.Generator().manual_seed(2)
    c = random_overlaps(400, 400, g) + 0.1
    seen = observables(sim, c)
    assert seen["coherence"] / seen["overlap2"] > 100
    assert seen["specialists"] == 0  # no neuron is on the teacher


def test_observe_sees_aligned_first_layer_neurons(sim):
    """The generated observe: chains started on the teacher have every first-layer neuron a
    specialist; chains from the prior have about the random count."""
    d = 32
    g = torch.Generator().manual_seed(3)
    teachers = [sim.make_teachers(d, 0)] * 2
    state = sim.initial_state(d, 2, ["prior", "aligned"], teachers, torch.float64, "cpu", g)
    x, y = sim.make_data(d, 256, teachers[0], "test", d, 0)
    obs = sim.observe(state, torch.stack([x, x]), torch.stack([y, y]), torch.stack(teachers))
    width = sim.widths(d)[0]
    assert float(obs["specialists"][0][1]) == width
    assert float(obs["specialists"][0][0]) <= 3 + 3 * math.sqrt(sim.null_specialists(d, width) or 1)


def rows(layer_values: dict, seeds=4, predicted=None, tied=None):
    """Synthetic results rows at one (d, P) with the given per-layer observables."""
    out = []
    for seed in range(seeds):
        row = {
            "start": "prior",
            "d": 64,
            "P": 1024,
            "seed": seed,
            "specialists": {},
            "specialists_null": {},
            "overlap2": {},
            "overlap2_prior": {},
            "coherence": {},
            "predicted_signature": predicted or {},
            "tied_signatures": tied or {},
            "competing_signatures": {"h1=gfl, h2=gp": {"h1": "amplified", "h2": "lazy"}},
        }
        for layer, (spec, magnet, overlap2, prior) in layer_values.items():
            jitter = 1 + 0.02 * seed
            row["specialists"][layer] = spec * jitter
            row["specialists_null"][layer] = 0.0
            row["overlap2"][layer] = overlap2 * jitter
            row["overlap2_prior"][layer] = prior
            row["coherence"][layer] = magnet * overlap2 * jitter
        out.append(row)
    return out


def test_the_signature_names_the_assignment_it_matches():
    """h1 lazy, h2 specialists is the prediction (gp-spec), not its tie spec-mag: the fit says so;
    a measurement with h2 magnetized matches the tie instead."""
    predicted = {"h1": "lazy", "h2": "specialists"}
    tied = {"h1=spec, h2=mag": {"h1": "specialists", "h2": "magnetized"}}
    seen = measure(
        rows(
            {"h1": (0.0, 1.0, 0.01, 0.01), "h2": (3.0, 1.2, 0.3, 0.02)},
            predicted=predicted,
            tied=tied,
        ),
        n_boot=200,
    )
    assert [m.shows for m in seen.layers] == ["lazy", "specialists"]
    assert seen.matches == ["the prediction"] and "the prediction's signature" in seen.line()
    other = measure(
        rows(
            {"h1": (2.0, 1.0, 0.2, 0.01), "h2": (0.0, 40.0, 0.05, 0.02)},
            predicted=predicted,
            tied=tied,
        ),
        n_boot=200,
    )
    assert [m.shows for m in other.layers] == ["specialists", "magnetized"]
    assert other.matches == ["h1=spec, h2=mag"] and "NOT the prediction's" in other.line()
    amplified = measure(
        rows(
            {"h1": (0.0, 1.0, 0.1, 0.01), "h2": (0.0, 1.0, 0.02, 0.02)},
            predicted=predicted,
            tied=tied,
        ),
        n_boot=200,
    )
    assert [m.shows for m in amplified.layers] == ["amplified", "lazy"]
    assert amplified.matches == ["h1=gfl, h2=gp"]


def test_a_deeper_layer_does_not_inherit_the_first_layers_specialist(tmp_path):
    """A first-layer neuron on the teacher, with a large norm, dominates many second-layer
    pre-activations through the prior's weights: they pass the overlap threshold, and the lazy
    baseline (the second layer's weights redrawn from the prior, on the same first layer) counts
    as many, so the second layer shows no specialists of its own; its first layer does."""
    sim = load_script(render(make_problem(["d", "d**2"])), tmp_path / "sim_deep.py")
    d = 16
    g = torch.Generator().manual_seed(4)
    teachers = [sim.make_teachers(d, s) for s in range(4)]
    state = sim.initial_state(d, 4, ["prior"] * 4, teachers, torch.float64, "cpu", g)
    for c in range(4):  # neuron 0 of every chain on its teacher, with 4x the prior's norm
        state["u"][0][c, 0] = 4 * math.sqrt(d) * teachers[c][:, 0].to(torch.float64)
    state["u_null"] = sim.draw_null_weights(state, torch.Generator().manual_seed(5))
    data = [sim.make_data(d, 512, teachers[c], "test", d, c) for c in range(4)]
    x, y = torch.stack([x for x, _ in data]), torch.stack([y for _, y in data])
    obs = sim.observe(state, x.double(), y.double(), torch.stack(teachers).double())
    assert float(obs["specialists"][1].sum()) >= 5  # inherited: h2 neurons that pass 0.7
    assert len(obs["specialists_null"]) == len(obs["overlap2_null"]) == 1  # deeper layers only
    table = []
    for c in range(4):
        table.append(
            {
                "start": "prior",
                "d": d,
                "P": 512,
                "seed": c,
                "specialists": {
                    "h1": float(obs["specialists"][0][c]),
                    "h2": float(obs["specialists"][1][c]),
                },
                "specialists_null": {
                    "h1": sim.null_specialists(d, d),
                    "h2": float(obs["specialists_null"][0][c]),
                },
                "overlap2": {
                    "h1": float(obs["overlap2"][0][c]),
                    "h2": float(obs["overlap2"][1][c]),
                },
                "overlap2_null": {"h1": 1 / d, "h2": float(obs["overlap2_null"][0][c])},
                "coherence": {
                    "h1": float(obs["coherence"][0][c]),
                    "h2": float(obs["coherence"][1][c]),
                },
            }
        )
    seen = measure(table, n_boot=200)
    assert [m.shows for m in seen.layers] == ["specialists", "lazy"]
    for row in table:  # without the baseline, as before it: h2 read as specialists of its own
        row["specialists_null"]["h2"] = None
    assert measure(table, n_boot=200).layers[1].shows == "specialists"


def test_amplification_uses_the_lazy_baseline_where_a_row_has_it():
    """overlap2_null, where present, is the amplification's denominator; overlap2_prior (rows
    written before it) only where it is not."""
    table = rows({"h1": (0.0, 1.0, 0.1, 0.01)})
    assert measure(table, n_boot=200).layers[0].shows == "amplified"
    for row in table:
        row["overlap2_null"] = {"h1": 0.08}
    assert measure(table, n_boot=200).layers[0].shows == "lazy"
