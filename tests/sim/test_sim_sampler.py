"""The sampler against closed forms: the readout's exact conditional, the Langevin step on a
Bayesian linear regression, and the Gauss-Newton curvature against the full Hessian."""

from __future__ import annotations

import numpy as np
import pytest
from sim_helpers import load_script, make_problem, render

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def linear_sim(tmp_path_factory):
    problem = make_problem(["2"], activation="linear", target=((1, (("w", 1),)),), kappa="1/2")
    return load_script(render(problem), tmp_path_factory.mktemp("lin") / "sim_linear.py")


@pytest.fixture(scope="module")
def erf_sim(tmp_path_factory):
    return load_script(render(make_problem(["d"])), tmp_path_factory.mktemp("erf") / "sim_erf.py")


def whitened(samples, mean, precision):
    """Mean error and covariance of the samples in the coordinates where the posterior is
    N(0, I)."""
    chol = np.linalg.cholesky(precision)  # precision = L L^T; L^T (u - m) ~ N(0, I)
    z = (samples - mean) @ chol
    return z.mean(0), np.cov(z.T)


def test_readout_draw_is_the_exact_gaussian_conditional(linear_sim):
    torch.manual_seed(0)
    chains, n, width = 20000, 10, 3
    h = torch.randn(n, width, dtype=torch.float64)
    y = torch.randn(n, dtype=torch.float64)
    sigma_a, kappa = 0.7, 0.5
    gen = torch.Generator().manual_seed(1)
    a = linear_sim.draw_readout(
        h.expand(chains, n, width), y.expand(chains, n), sigma_a, kappa, gen
    ).numpy()
    H, Y = h.numpy(), y.numpy()
    precision = np.eye(width) / sigma_a**2 + H.T @ H / kappa
    mean = np.linalg.solve(precision, H.T @ Y / kappa)
    err, cov = whitened(a, mean, precision)
    assert np.abs(err).max() < 0.05  # Monte Carlo error ~ 1/sqrt(20000) = 0.007
    assert np.abs(np.linalg.eigvalsh(cov) - 1).max() < 0.05


def test_float32_features_too_wide_for_float32_are_drawn_in_float64(linear_sim, capsys):
    """Features of size 1e5 that nearly agree (as stacked x^2 layers give) make float32's
    rounding of A = I + H^T H / kappa larger than its least eigenvalue: the float32 draw must
    equal the one made from the same noise in float64, not fail or be jittered."""
    gen = torch.Generator().manual_seed(2)
    chains, n, width = 3, 40, 6
    common = 1e5 * torch.randn(chains, n, 1, generator=gen, dtype=torch.float64)
    h = common + torch.randn(chains, n, width, generator=gen, dtype=torch.float64)
    y = torch.randn(chains, n, generator=gen, dtype=torch.float64)
    noise = torch.randn(chains, width, 1, generator=gen, dtype=torch.float64)
    with pytest.raises(torch.linalg.LinAlgError):  # the case this is about
        torch.linalg.cholesky(torch.eye(width) + h.float().mT @ h.float() / 0.5)
    a32 = linear_sim.draw_readout(h.float(), y.float(), 1.0, 0.5, noise=noise.float())
    a64 = linear_sim.draw_readout(
        h.float().double(), y.float().double(), 1.0, 0.5, noise=noise.float().double()
    )
    assert a32.dtype == torch.float32
    assert torch.allclose(a32.double(), a64, rtol=1e-5, atol=1e-6)
    assert "float64" in capsys.readouterr().err


def test_langevin_step_samples_bayesian_linear_regression(linear_sim):
    """Linear network, readout held fixed: the hidden weights' posterior is exactly Gaussian.

    Tolerances: whitened mean within 0.1 and whitened covariance eigenvalues within [0.85, 1.2]
    (unadjusted Langevin inflates the variance of a direction of curvature lam by
    1 / (1 - eta lam / 2) <= 1.08 at eta = 0.15 / lam_max)."""
    sim, d, n, chains = linear_sim, 3, 20, 1000
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, n, teachers, "train", 0)
    gen = torch.Generator().manual_seed(2)
    state = sim.initial_state(
        d, chains, ["prior"] * chains, [teachers] * chains, torch.float64, "cpu", gen
    )
    a0 = torch.tensor([0.9, -0.6], dtype=torch.float64)
    state["a"] = a0.expand(chains, 2).clone()
    state["fixed_readout"] = True
    X, Y = x.expand(chains, n, d), y.expand(chains, n)
    samples = []
    for step in range(3000):
        if step % sim.REMEASURE_EVERY == 0:
            sim.measure_step_size(state, X, gen, first=step == 0)
        sim.sampler_step(state, X, Y, gen)
        if step >= 1000 and step % 50 == 0:
            samples.append(state["u"][0].reshape(chains, -1).numpy().copy())
    samples = np.concatenate(samples)
    sigma, kappa = state["sigmas"][0], state["kappa"]
    phi = sigma * np.stack([np.kron(a0.numpy(), xi) for xi in x.numpy()])  # f = phi . vec(U)
    precision = np.eye(phi.shape[1]) + phi.T @ phi / kappa
    mean = np.linalg.solve(precision, phi.T @ y.numpy() / kappa)
    lam_max = np.linalg.eigvalsh(precision).max()
    assert float(state["lambda_max"][0]) == pytest.approx(lam_max, rel=1e-3)  # GN is exact here
    err, cov = whitened(samples, mean, precision)
    assert np.abs(err).max() < 0.1
    eig = np.linalg.eigvalsh(cov)
    assert eig.min() > 0.85 and eig.max() < 1.2


def test_gauss_newton_curvature_is_close_to_the_full_hessian(erf_sim):
    """The step-size rule uses lambda_max of Gauss-Newton; check it against the full Hessian's
    largest |eigenvalue| for an erf network, from both starts, after some sampling."""
    sim, d, n = erf_sim, 8, 64
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, n, teachers, "train", 0)
    gen = torch.Generator().manual_seed(3)
    starts = ["prior", "aligned"]
    state = sim.initial_state(d, 2, starts, [teachers] * 2, torch.float64, "cpu", gen)
    X, Y = x.expand(2, n, d), y.expand(2, n)
    for step in range(300):
        if step % sim.REMEASURE_EVERY == 0:
            sim.measure_step_size(state, X, gen, first=step == 0)
        sim.sampler_step(state, X, Y, gen)
    state["power"] = None
    gn = sim.gauss_newton_lambda_max(state, X, 200, gen)
    for c in range(2):
        a, sigma, kappa = state["a"][c], state["sigmas"][0], state["kappa"]

        def potential(u, a=a, sigma=sigma, kappa=kappa):
            f = sim.ACTIVATIONS[0](x @ (sigma * u.reshape(8, 8)).T) @ a
            return 0.5 * (u**2).sum() + 0.5 * ((f - y) ** 2).sum() / kappa

        hess = torch.autograd.functional.hessian(potential, state["u"][0][c].reshape(-1))
        lam = np.abs(np.linalg.eigvalsh(hess.numpy())).max()
        ratio = float(gn[c]) / lam
        assert 0.7 < ratio < 1.5, (starts[c], float(gn[c]), lam)


def test_blocks_of_chains_change_no_result(erf_sim, monkeypatch):
    """``sampler_step`` advances chains in cache-sized blocks on a CPU; the chains are
    independent, so any block size (here 7 chains, the last block short) gives the same chains."""
    sim, d, n, chains = erf_sim, 8, 64, 30
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, n, teachers, "train", 0)
    X, Y = x.expand(chains, n, d), y.expand(chains, n)
    width = sim.widths(d)[-1]

    def run(block_elements):
        monkeypatch.setattr(sim, "CPU_BLOCK_ELEMENTS", block_elements)
        gen = torch.Generator().manual_seed(4)
        state = sim.initial_state(
            d,
            chains,
            ["prior", "aligned"] * (chains // 2),
            [teachers] * chains,
            torch.float64,
            "cpu",
            gen,
        )
        sim.measure_step_size(state, X, gen, first=True)
        blocks = len(sim.chain_blocks(X, width))
        for _ in range(5):
            sim.sampler_step(state, X, Y, gen)
        return blocks, state

    one, whole = run(10**9)
    several, blocked = run(7 * n * width)
    assert (one, several) == (1, 5)
    torch.testing.assert_close(blocked["a"], whole["a"], rtol=1e-12, atol=1e-12)
    for u_blocked, u_whole in zip(blocked["u"], whole["u"]):
        torch.testing.assert_close(u_blocked, u_whole, rtol=1e-12, atol=1e-12)


def test_a_step_whose_float32_factorization_fails_is_redone_in_float64(
    erf_sim, monkeypatch, capsys
):
    """When float32 cannot factor a block's readout precision, ``sampler_step`` redoes the block
    in float64 with the same random numbers, so the result is that of the plain step up to
    float32 rounding. (The failure is forced here: real ones need features near 1e5, see the
    test above.)"""
    sim, d, n, chains = erf_sim, 8, 32, 4
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, n, teachers, "train", 0)
    X, Y = x.expand(chains, n, d), y.expand(chains, n)
    factor = sim.readout_factor

    def failing_in_float32(h, weight):
        chol, failed = factor(h, weight)
        return chol, failed | (h.dtype == torch.float32)

    def run(dtype):
        gen = torch.Generator().manual_seed(5)
        state = sim.initial_state(
            d, chains, ["prior"] * chains, [teachers] * chains, dtype, "cpu", gen
        )
        sim.measure_step_size(state, X.to(dtype), gen, first=True)
        sim.sampler_step(state, X.to(dtype), Y.to(dtype), gen)
        return state

    monkeypatch.setattr(sim, "readout_factor", failing_in_float32)
    redone = run(torch.float32)
    assert "float64" in capsys.readouterr().err
    monkeypatch.setattr(sim, "readout_factor", factor)
    plain = run(torch.float32)
    assert redone["a"].dtype == torch.float32
    assert torch.isfinite(redone["a"]).all()
    torch.testing.assert_close(redone["a"], plain["a"], rtol=1e-3, atol=1e-4)


def test_the_first_step_is_taken_with_the_data_s_readout(tmp_path):
    """A reviewer's small-prior network (W ~ 1/d^2, a ~ 1/N^2, He3(w.x) + 2 He1(v.x)): the step
    size used to be measured with the prior's readout, far smaller than the data's, and the first
    step (which draws the readout, then moves the weights) threw the standardized weights from a
    mean square of about 1 to hundreds. ``settle_readout`` draws it before the measurement."""
    problem = make_problem(
        ["d"],
        target=((1, (("w", 3),)), (2, (("v", 1),))),
        variances=["1/d**2"],
        readout_variance="1/d**2",
    )
    sim = load_script(render(problem), tmp_path / "sim_small_prior.py")
    d, n, chains = 16, 8192, 4
    teachers = sim.make_teachers(d, 0)
    x, y = sim.make_data(d, n, teachers, "train", 0)
    X, Y = x.expand(chains, n, d).contiguous(), y.expand(chains, n).contiguous()

    def mean_square_after_one_step(settle):
        gen = torch.Generator().manual_seed(3)
        state = sim.initial_state(
            d, chains, ["prior"] * chains, [teachers] * chains, torch.float64, "cpu", gen
        )
        if settle:
            sim.settle_readout(state, X, Y, gen)
        sim.measure_step_size(state, X, gen, first=True)
        sim.sampler_step(state, X, Y, gen)
        return float((state["u"][0] ** 2).mean())

    assert mean_square_after_one_step(settle=True) < 3
    assert mean_square_after_one_step(settle=False) > 10  # the failure this guards against
