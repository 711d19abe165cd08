"""Conv and attention layers in the generated simulation: data, target variance, sampler, smoke."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from sim_helpers import load_script  # noqa: E402

from scalelang import pipeline  # noqa: E402
from scalelang.codegen import codegen, plan_for  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _module(example, tmp_path, sets=None):
    problem, settings, notes = pipeline.simulation_problem(
        str(ROOT / "examples" / f"{example}.scale"), sets or {}
    )
    text = codegen(problem, pipeline.prediction(problem, "d"), plan_for("smoke"), settings, notes)
    return load_script(text, tmp_path / f"{example}_sim.py"), text


@pytest.mark.parametrize(
    "example,kind,exponent", [("cnn_patches", "conv", "3/4"), ("attention_head", "attention", "2")]
)
def test_kind_prediction_and_target_variance(example, kind, exponent, tmp_path):
    sim, text = _module(example, tmp_path)
    assert sim.KIND == kind and sim.PREDICTION["exponent"] == exponent
    d = 6
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, 40000, teachers, "test", d, 0)
    assert tuple(x.shape[1:]) == sim.input_shape(d)
    assert abs(float((y * y).mean()) / sim.TARGET_VARIANCE - 1) < 0.06
    assert abs(float(y.mean())) < 0.05


def test_attention_tie_settles_the_assumption(tmp_path):
    """L = d makes ``assume L <= d`` hold trivially: the tie is simulated, (L d^3)^(1/2) = d^2."""
    sim, text = _module("attention_head", tmp_path)
    assert sim.tokens(8) == 8 and sim.PREDICTION["exponent"] == "2"
    assert "L is an independent scale; the simulation ties it to d" in text
    sim4, text4 = _module("attention_head", tmp_path, {"L": "d^(1/2)"})
    assert sim4.tokens(16) == 4 and sim4.PREDICTION["exponent"] == "7/4"


@pytest.mark.parametrize("example", ["cnn_patches", "attention_head"])
def test_langevin_without_data_samples_the_prior(example, tmp_path):
    """kappa huge: the Langevin step alone must leave U ~ N(0, I) (standardized prior)."""
    sim, _ = _module(example, tmp_path)
    d, chains = 5, 8
    gen = torch.Generator().manual_seed(1)
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, 16, teachers, "train", d, 16, 0)
    X, Y = x.expand(chains, *x.shape).double(), y.expand(chains, *y.shape).double()
    state = sim.initial_state(
        d, chains, ["aligned"] * chains, [teachers] * chains, torch.float64, "cpu", gen
    )
    state["kappa"] = 1e12
    state["eta"] = torch.full((chains,), 0.05, dtype=torch.float64)
    second = []
    for step in range(600):
        sim.sampler_step(state, X, Y, gen)
        if step >= 200:
            second.append(float((state["u"][0] ** 2).mean()))
    assert abs(sum(second) / len(second) - 1) < 0.1
    lam = sim.gauss_newton_lambda_max(state, X, 20, gen)
    assert torch.all(lam > 0.99) and torch.all(lam < 1.01)  # J ~ 0 at this kappa: I + J^T J / kappa


@pytest.mark.parametrize("example", ["cnn_patches", "attention_head"])
def test_gauss_newton_matches_explicit_jacobian(example, tmp_path):
    sim, _ = _module(example, tmp_path)
    d, chains = 3, 2
    gen = torch.Generator().manual_seed(2)
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, 12, teachers, "train", d, 12, 0)
    X = x.expand(chains, *x.shape).double()
    state = sim.initial_state(
        d, chains, ["prior", "aligned"], [teachers] * chains, torch.float64, "cpu", gen
    )
    lam = sim.gauss_newton_lambda_max(state, X, 300, gen)
    for c in range(chains):

        def out(u, c=c):
            w = state["sigmas"][0] * u
            return (sim.features(X[c : c + 1], [w[None]]) @ state["a"][c][:, None])[0, :, 0]

        jac = torch.autograd.functional.jacobian(out, state["u"][0][c]).reshape(12, -1)
        exact = torch.linalg.eigvalsh(
            torch.eye(jac.shape[1], dtype=jac.dtype) + jac.T @ jac / state["kappa"]
        ).max()
        assert abs(float(lam[c]) / float(exact) - 1) < 1e-3


@pytest.mark.parametrize("variance", ["1/d^2", "1/d^3"])
def test_aligned_attention_starts_at_the_prior_norm(variance, tmp_path):
    """W ~ normal(0, v) on d x d entries has Frobenius norm d sqrt(v); the aligned start used 1
    whatever the file's prior was (a reviewer's finding with 1/d^3)."""
    text = (ROOT / "examples" / "attention_head.scale").read_text()
    path = tmp_path / "head.scale"
    path.write_text(text.replace("prior W ~ normal(0, 1/d^2)", f"prior W ~ normal(0, {variance})"))
    problem, settings, notes = pipeline.simulation_problem(str(path), {})
    sim = load_script(
        codegen(problem, pipeline.prediction(problem, "d"), plan_for("smoke"), settings, notes),
        tmp_path / "head_sim.py",
    )
    d = 16
    teachers = sim.make_teachers(d, 0)
    gen = torch.Generator().manual_seed(0)
    state = sim.initial_state(d, 1, ["aligned"], [teachers], torch.float64, "cpu", gen)
    weight = state["sigmas"][0] * state["u"][0][0, 0]
    sigma = sim.prior_variances(d)[0][0] ** 0.5
    assert float(torch.linalg.matrix_norm(weight)) == pytest.approx(d * sigma)
