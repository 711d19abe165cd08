"""The text answer of `scalelang solve` says where each assignment's quoted energy holds."""

from conftest import solve_text, two_layer

from scalelang.report.terminal import summary


def test_the_headline_energy_comes_with_its_region():
    """Specialization balances M d against N/M at M = sqrt(N/d), which respects M >= 1 only
    where N >= d: the quoted sqrt(N d) must say so, and the lazy d^3 holds everywhere."""
    lines = summary(solve_text(two_layer(patterns="gp | spec"))).splitlines()
    spec = next(line for line in lines if line.strip().startswith("h=spec "))
    lazy = next(line for line in lines if line.strip().startswith("h=gp "))
    assert spec.split()[1:] == ["sqrt(d", "N)", "where", "N", ">=", "d"]
    assert lazy.split()[1:] == ["d^3"]


def test_regions_do_not_repeat_the_assumptions():
    """With assume N >= d and assume N <= d^5 every region lies within them, so neither is shown
    (the engine returned N <= d^5 scaled differently from the assumption's row, and it was
    printed under some assignments but not others). GFL's own limit N <= d^3 stays."""
    text = two_layer(patterns="gp | spec | gfl").replace(
        "predict P", "assume N >= d\nassume N <= d^5\npredict P")
    data = solve_text(text)
    regions = [r for a in data["assignments"] for p in a.get("pieces", []) for r in p["region"]]
    regions += [r for phase in data["phases"] for r in phase["region"]]
    assert "N <= d**5" not in regions and "N >= d" not in regions
    assert "N <= d**3" in regions


def test_a_tied_runner_up_lists_every_assignment_in_the_tie():
    """fcn3 at N1 = d^(3/2), N2 = d^2: spec-gp wins at d^(5/4), and four assignments share the
    next energy d^(3/2); the runner-up line named only the first of them."""
    from pathlib import Path

    from scalelang.api import load

    example = Path(__file__).resolve().parents[2] / "examples" / "fcn3_he3.scale"
    data = load(str(example)).solve(N1="d^(3/2)", N2="d^2").to_json()
    line = next(l for l in summary(data).splitlines() if "runner-up" in l)
    assert line.count(";") == 3 and "(tied) with E ~ d^(3/2)" in line


def test_text_answers_are_written_as_a_theorist_writes_them():
    """The terminal answer groups monomials as the reports do (sympy's own strings stay in the
    JSON): a common root, kappa in front, ^ for powers, = for a boundary."""
    from scalelang.report.terminal import pretty

    order = ("d", "N1", "N2")
    assert pretty("N1**(1/3)*N2**(1/3)*d**(1/3)*kappa", order) == "kappa (d N1 N2)^(1/3)"
    assert pretty("sqrt(N2)*sqrt(d)", order) == "sqrt(d N2)"
    assert pretty("N2**(2/3)/(N1**(1/3)*d**(1/3))", order) == "(N2^2/(d N1))^(1/3)"
    assert pretty("Eq(N2, d**5)", order) == "N2 = d^5"
    assert pretty("N1 >= sqrt(N2)*sqrt(d)", order) == "N1 >= sqrt(d N2)"
    assert pretty("d**(3*a2/4 + 3/4)", ("a1", "a2")) == "d^((3 a2 + 3)/4)"
    assert pretty("not an expression (", order) == "not an expression ("


def test_a_noise_named_otherwise_is_said_to_be_kappa():
    data = solve_text(two_layer(patterns="gp | spec").replace("noise kappa = 1", "noise T = 1"))
    assert data["noise"] == "T"
    assert summary(data).splitlines()[0].endswith("(P* = kappa * E to leading order; kappa is the noise T)")


def test_the_quick_printer_agrees_with_sympy_s(monkeypatch):
    """summary.pretty prints monomials and relations between them without sympy; the text must
    be the one the sympy path gives (the path for everything else), names of any script too."""
    from scalelang.report import terminal as s

    texts = ("N1**(1/3)*N2**(1/3)*d**(1/3)", "sqrt(N2)*sqrt(d)*kappa", "d**3*kappa**2",
             "N2/d**2", "N1 >= sqrt(N2)*d", "Eq(N2, d**5)", "1", "kappa", "sqrt(kappa)*d",
             "sqrt(ℓ)*N1", "δ**(3/2) <= N1")
    order = ("d", "N1", "N2")
    quick = [s.pretty.__wrapped__(t, order) for t in texts]
    monkeypatch.setattr(s, "_pretty_monomials", lambda *args: None)
    assert quick == [s.pretty.__wrapped__(t, order) for t in texts]
    assert quick[-2:] == ["sqrt(ℓ N1^2)", "δ^(3/2) <= N1"]


def test_names_beyond_ascii_solve_and_print():
    """A reviewer's α1, α2 in place of a1, a2 crashed the printer (a name it had no symbol for)."""
    from pathlib import Path

    import scalelang

    text = (Path(__file__).resolve().parents[2] / "examples" / "fcn3_he3_proportional.scale"
            ).read_text().replace("a1", "α1").replace("a2", "α2")
    answer = repr(scalelang.load(text).solve())
    assert "P* is piecewise in (α1, α2)" in answer and "α1 >= 5 and α2 >= 5" in answer
