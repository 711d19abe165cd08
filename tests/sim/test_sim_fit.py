"""The fitter recovers known exponents from synthetic noisy data, and its 95% intervals cover the
truth at about their nominal rate."""

from __future__ import annotations

import json

import numpy as np
import pytest

from scalelang.simulation.fit import crossing, fit_exponent, fit_results


def synthetic(
    rng, exponent, dims=(8, 16, 32, 64), ratios=(0.25, 0.5, 1, 2, 4, 8), seeds=5, noise=0.08
):
    """{d: {P: per-seed alignments}} with a logistic transition at P = 40 d^exponent."""
    data = {}
    for d in dims:
        pc = 40 * d**exponent
        data[d] = {}
        for r in ratios:
            p = int(round(40 * d**exponent * r))
            clean = 1 / (1 + (pc / p) ** 1.5)
            data[d][p] = np.clip(clean + noise * rng.standard_normal(seeds), -0.2, 1.2)
    return data


def test_crossing_interpolates_in_log_p():
    assert (
        crossing([10, 100], [0.0, 1.0]) == np.float64(10**1.5)
        or abs(crossing([10, 100], [0.0, 1.0]) - 10**1.5) < 1e-9
    )
    assert crossing([10, 100], [0.6, 0.9]) is None


def test_recovers_the_exponent_and_covers_at_about_the_nominal_rate():
    rng = np.random.default_rng(0)
    truth, covered, estimates = 1.0, 0, []
    trials = 60
    for _ in range(trials):
        fit = fit_exponent(synthetic(rng, truth), truth, n_boot=300, rng=rng)
        estimates.append(fit.exponent)
        covered += fit.ci[0] <= truth <= fit.ci[1]
    assert abs(np.mean(estimates) - truth) < 0.05
    assert 0.85 <= covered / trials <= 1.0  # nominal 0.95; percentile bootstrap of 5 seeds


def test_distinguishes_the_lazy_exponent():
    rng = np.random.default_rng(1)
    fit = fit_exponent(synthetic(rng, 1.0), 3.0, n_boot=300, rng=rng)
    assert fit.consistent is False and fit.within_tolerance is False


def write_results(path, data):
    with open(path, "w") as out:
        for d, ps in data.items():
            for p, vals in ps.items():
                for seed, v in enumerate(vals):
                    for start, shift in (("prior", -0.05), ("aligned", 0.05)):
                        out.write(
                            json.dumps(
                                {
                                    "config_id": "x",
                                    "problem": "syn",
                                    "d": d,
                                    "P": p,
                                    "seed": seed,
                                    "start": start,
                                    "alignment": float(v + shift),
                                    "p_over_p_star": p / (40 * d),
                                    "predicted_exponent": "1",
                                    "predicted_specialists": {"h": "0"},
                                    "specialists": {"h": 2.0},
                                    "specialists_null": {"h": 0.5},
                                }
                            )
                            + "\n"
                        )


def test_fit_results_reads_a_results_file(tmp_path):
    rng = np.random.default_rng(2)
    path = tmp_path / "r.jsonl"
    write_results(path, synthetic(rng, 1.0, seeds=3))
    report = fit_results(str(path), n_boot=200)
    assert report.grid_advice() is None
    assert report.primary.within_tolerance
    assert "consistent" in report.verdict()
    assert {f.curve for f in report.fits} == {"both", "prior", "aligned"}
    assert report.specialists[0].counts[8] == 1.5
    assert "| d |" in report.to_markdown()


def test_multi_level_estimator_recovers_the_exponent_and_uses_only_levels_every_d_crosses():
    from scalelang.simulation.fit import LEVELS

    rng = np.random.default_rng(3)
    estimates, covered = [], 0
    for _ in range(20):
        fit = fit_exponent(synthetic(rng, 1.0), 1.0, n_boot=200, rng=rng, levels=LEVELS)
        estimates.append(fit.exponent)
        covered += fit.ci[0] <= 1.0 <= fit.ci[1]
        assert set(fit.levels_used) <= set(LEVELS) and fit.half_exponent is not None
    assert abs(np.mean(estimates) - 1.0) < 0.05 and covered >= 17
    # a curve that saturates below 1/2 at one d: the 1/2 level is dropped, the others still fit
    data = synthetic(rng, 1.0, noise=0.0)
    for p in data[8]:
        data[8][p] = np.minimum(data[8][p], 0.47)
    fit = fit_exponent(data, 1.0, n_boot=50, rng=rng, levels=LEVELS)
    assert 0.5 not in fit.levels_used and abs(fit.exponent - 1.0) < 0.1


def test_a_grid_that_misses_the_transition_gets_advice_to_widen_it(tmp_path):
    """No exponent: the report says which P/P*_pred to add, above the grid when the curves stay
    below the levels, below it when they start above them."""
    rng = np.random.default_rng(4)
    early = tmp_path / "early.jsonl"  # the grid (P/P* = 0.01..0.04) ends before the transition
    write_results(early, synthetic(rng, 1.0, ratios=(0.01, 0.02, 0.04), seeds=3, noise=0.0))
    report = fit_results(str(early), n_boot=50)
    assert report.primary.exponent is None
    assert report.grid_advice() == pytest.approx(
        [0.08, 0.16, 0.32], rel=0.05
    )  # P/P* as rounded P gives it
    assert "--ratios 0.08" in report.to_markdown()
    late = tmp_path / "late.jsonl"  # the grid (P/P* = 16..64) starts after it
    write_results(late, synthetic(rng, 1.0, ratios=(16, 32, 64), seeds=3, noise=0.0))
    assert fit_results(str(late), n_boot=50).grid_advice() == pytest.approx(
        [2.0, 4.0, 8.0], rel=0.05
    )


def test_a_verdict_on_little_data_says_so(tmp_path):
    """A reviewer fitted a smoke run (two d, alignment never reaching 1/2) and got a confident
    'consistent ... within 0.35' with nothing to warn them. The verdict now carries cautions;
    a full grid carries none."""
    rng = np.random.default_rng(5)
    small = synthetic(rng, 1.0, dims=(8, 16), noise=0.0)
    for d in small:
        for p in small[d]:
            small[d][p] = np.minimum(small[d][p], 0.45)
    path = tmp_path / "small.jsonl"
    write_results(path, small)
    verdict = fit_results(str(path), n_boot=50).verdict()
    assert "caution: only 2 dimensions d" in verdict
    assert "never crosses 0.5" in verdict
    full = tmp_path / "full.jsonl"
    write_results(full, synthetic(rng, 1.0, seeds=3))
    assert "caution" not in fit_results(str(full), n_boot=50).verdict()


def test_little_data_gets_no_false_confidence(tmp_path):
    """Two seeds: the verdict says the interval is too narrow. A curve whose own data never cross
    gets no interval (replicates that cross by chance made one)."""
    rng = np.random.default_rng(5)
    path = tmp_path / "r.jsonl"
    write_results(path, synthetic(rng, 1.0, seeds=2))
    report = fit_results(str(path), n_boot=200)
    assert "only 2 seeds per (d, P)" in report.verdict()
    assert all(f.ci is None for f in report.fits if f.exponent is None)


def test_shards_in_a_folder_fit_as_one_file_and_duplicates_are_counted_once(tmp_path, capsys):
    """The shards of one sweep (a folder, or several files) give the same fit as one file; a
    chain present in two shards counts once and the report says so."""
    from scalelang.cli import main

    rng = np.random.default_rng(4)
    whole = tmp_path / "whole.jsonl"
    write_results(whole, synthetic(rng, 1.0, seeds=3))
    lines = whole.read_text().splitlines(keepends=True)
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "a.jsonl").write_text("".join(lines[::2]))
    (shards / "b.jsonl").write_text("".join(lines[1::2]) + lines[0])  # one chain in both
    one = fit_results(str(whole), n_boot=100)
    split = fit_results(str(shards), n_boot=100)
    assert split.primary.exponent == one.primary.exponent
    assert split.primary.ci == one.primary.ci
    assert any("1 chain appeared more than once" in n for n in split.notes)
    listed = fit_results([str(shards / "a.jsonl"), str(shards / "b.jsonl")], n_boot=100)
    assert listed.primary.exponent == one.primary.exponent
    assert main(["fit", str(shards / "a.jsonl"), str(shards / "b.jsonl"), "--boot", "50"]) == 0
    assert "| d |" in capsys.readouterr().out


def test_results_of_two_problems_are_refused(tmp_path, capsys):
    from scalelang.cli import main

    rng = np.random.default_rng(5)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_results(first, synthetic(rng, 1.0, seeds=2))
    write_results(second, synthetic(rng, 1.0, seeds=2))
    text = second.read_text().replace('"problem": "syn"', '"problem": "other"')
    second.write_text(text.replace('"config_id": "x"', '"config_id": "y"'))
    with pytest.raises(ValueError, match="results of 2 problems"):
        fit_results([str(first), str(second)], n_boot=50)
    assert main(["fit", str(tmp_path), "--boot", "50"]) == 1
    assert "fit one problem at a time" in capsys.readouterr().err


def test_one_rule_for_the_prediction_and_its_competitors(tmp_path):
    """PASS when the interval covers the prediction or it lies within 0.35 of the measurement;
    the same rule says which competing mechanisms' exponents the measurement excludes; the
    tables say yes/no, never Python's True/False/None."""
    rng = np.random.default_rng(6)
    path = tmp_path / "r.jsonl"
    write_results(path, synthetic(rng, 1.0, seeds=5))
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for row in rows:
        row["competing_exponents"] = {"h=gp": "3", "h=gfl": "3/2", "h=twin": "1"}
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report = fit_results(str(path), n_boot=200)
    verdict = report.verdict()
    assert verdict.startswith("PASS: measured exponent") and report.passes
    assert "it excludes h=gp (3), h=gfl (1.5)" in verdict
    assert "cannot tell the prediction from h=twin (1)" in verdict
    assert report.agrees(report.primary.exponent + 0.3) and not report.agrees(3.0)
    wrong = fit_results(str(path), predicted_exponent="3", n_boot=200)
    assert wrong.verdict().startswith("FAIL") and not wrong.passes
    table = report.to_markdown()
    assert "| yes |" in table or "| no |" in table
    assert not any(word in table for word in ("True", "False", "None"))


def test_specialists_are_fitted_on_the_verdicts_chains(tmp_path):
    """The crossings of the prior start choose the P where specialists are counted, so the counts
    are the prior start's: aligned chains, which keep every neuron they started on the teachers,
    would put N of them in the table."""
    rng = np.random.default_rng(2)
    path = tmp_path / "r.jsonl"
    write_results(path, synthetic(rng, 1.0, seeds=3))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    for row in lines:
        if row["start"] == "aligned":
            row["specialists"] = {"h": 30.0}
    path.write_text("".join(json.dumps(row) + "\n" for row in lines))
    report = fit_results(str(path), n_boot=200)
    assert set(report.specialists[0].counts.values()) == {1.5}
    assert report.groups == []  # rows without groups: none fitted
