"""The public acceptance set (docs/method.md §10): the paper's energies, derived from the rules."""

from pathlib import Path

import pytest
from conftest import assignment

from scalelang.api import load

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def fcn3():
    return load(EXAMPLES / "fcn3_he3.scale").solve().to_json()


@pytest.fixture(scope="module")
def fcn2():
    return load(EXAMPLES / "fcn2_he3.scale").solve().to_json()


def test_fcn3_lazy_lazy_costs_d_cubed(fcn3):
    entry = assignment(fcn3, h1="gp", h2="gp")
    assert entry["exponents"] == {"d": "3"}


def test_fcn3_gp_spec_balances_at_sqrt_N2_over_d(fcn3):
    entry = assignment(fcn3, h1="gp", h2="spec")
    assert entry["exponents"] == {"N2": "1/2", "d": "1/2"}
    assert entry["optimum"] == {"M2": "sqrt(N2)/sqrt(d)"}


def test_fcn3_spec_mag_balances_three_terms(fcn3):
    entry = assignment(fcn3, h1="spec", h2="mag")
    assert entry["exponents"] == {"N1": "1/3", "N2": "1/3", "d": "1/3"}
    assert entry["optimum"] == {
        "M1": "N1**(1/3)*N2**(1/3)/d**(2/3)",
        "beta": "N2**(2/3)/(N1**(1/3)*d**(1/3))",
    }
    # At the optimum the three terms M1*d, beta*N1/M1 and N2/beta are equal.
    assert len(entry["balanced"]) == 3


def test_fcn3_phase_boundaries_appear_exactly(fcn3):
    relations = {b["relation"] for b in fcn3["boundaries"]}
    assert "Eq(N2, d**5)" in relations
    assert fcn3["p_star"] is None  # piecewise without --set


def test_fcn2_lazy_and_specialized(fcn2):
    assert assignment(fcn2, h="gp")["exponents"] == {"d": "3"}
    spec = assignment(fcn2, h="spec")
    assert spec["exponents"] == {"N": "1/2", "d": "1/2"}
    assert spec["optimum"] == {"M": "sqrt(N)/sqrt(d)"}


def test_fcn2_proportional_width_learns_at_d():
    data = load(EXAMPLES / "fcn2_he3.scale").solve(N="d").to_json()
    assert data["p_star"]["exponents"] == {"d": "1", "kappa": "1"}
    assert data["p_star"]["patterns"] == {"h": "spec"}


def test_fcn3_proportional_learns_at_d():
    data = load(EXAMPLES / "fcn3_he3_proportional.scale").solve(a1=1, a2=1).to_json()
    assert data["p_star"]["exponents"] == {"d": "1", "kappa": "1"}
    assert data["p_star"]["patterns"] != {"h1": "gp", "h2": "gp"}


def test_top_level_load_is_the_notebook_entry_point():
    import scalelang

    solution = scalelang.load(EXAMPLES / "fcn2_he3.scale").solve(N="d")
    assert solution.to_json()["p_star"]["expr"] == "d*kappa"
    assert "P* ~ kappa d" in repr(solution)


def test_boundaries_are_shared_facets_not_parallel_planes():
    """gfl-gp (a1 <= 1/3) and gp-gp (a1 >= 5) are not adjacent: no boundary a1 = 3 between them,
    and no boundary outside the domain (a1 = -1) where two value forms would meet."""
    data = load(EXAMPLES / "fcn3_he3_proportional.scale").solve().to_json()
    relations = {b["relation"] for b in data["boundaries"]}
    assert "Eq(a1, 3)" not in relations and "Eq(a1, -1)" not in relations
    assert "Eq(a2, -1)" not in relations and "Eq(a2, 3)" not in relations
    assert {"Eq(a1, 5)", "Eq(a2, 5)", "Eq(a1, a2)"} <= relations
