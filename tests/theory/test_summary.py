"""The text answer of `scalelang solve` says where each assignment's quoted energy holds."""

from conftest import solve_text, two_layer

from scalelang.summary import summary


def test_the_headline_energy_comes_with_its_region():
    """Specialization balances M d against N/M at M = sqrt(N/d), which respects M >= 1 only
    where N >= d: the quoted sqrt(N d) must say so, and the lazy d^3 holds everywhere."""
    lines = summary(solve_text(two_layer(patterns="gp | spec"))).splitlines()
    spec = next(line for line in lines if line.strip().startswith("h=spec "))
    lazy = next(line for line in lines if line.strip().startswith("h=gp "))
    assert spec.split()[1:] == ["sqrt(N)*sqrt(d)", "where", "N", ">=", "d"]
    assert lazy.split()[1:] == ["d**3"]
