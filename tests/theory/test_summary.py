"""The text answer of `scalelang solve` says where each assignment's quoted energy holds."""

from conftest import solve_text, two_layer

from scalelang.api import load
from scalelang.report.terminal import summary


def test_the_headline_energy_comes_with_its_region():
    """Specialization balances M d against N/M at M = sqrt(N/d), which respects M >= 1 only
    where N >= d: the quoted sqrt(N d) must say so, and the lazy d^3 holds everywhere."""
    lines = summary(load(two_layer(patterns="gp | spec")).solve()).splitlines()
    spec = next(line for line in lines if line.strip().startswith("h=spec "))
    lazy = next(line for line in lines if line.strip().startswith("h=gp "))
    assert spec.split()[1:] == ["sqrt(d", "N)", "where", "N", ">=", "d"]
    assert lazy.split()[1:] == ["d^3"]


def test_regions_do_not_repeat_the_assumptions():
    """With assume N >= d and assume N <= d^5 every region lies within them, so neither is shown
    (the engine returned N <= d^5 scaled differently from the assumption's row, and it was
    printed under some assignments but not others). GFL's own limit N <= d^3 stays."""
    text = two_layer(patterns="gp | spec | gfl").replace(
        "predict P", "assume N >= d\nassume N <= d^5\npredict P"
    )
    data = solve_text(text)
    regions = [r for a in data["assignments"] for p in a.get("pieces", []) for r in p["region"]]
    regions += [r for phase in data["phases"] for r in phase["region"]]
    assert "N <= d**5" not in regions and "N >= d" not in regions
    assert "N <= d**3" in regions


def test_a_tied_runner_up_lists_every_assignment_in_the_tie():
    """fcn3 at N1 = d^(3/2), N2 = d^2: spec-gp wins at d^(5/4), and four assignments share the
    next energy d^(3/2); the runner-up line named only the first of them."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "fcn3_he3.scale"
    solution = load(str(example)).solve(N1="d^(3/2)", N2="d^2")
    line = next(row for row in summary(solution).splitlines() if "runner-up" in row)
    assert line.count(";") == 3 and "(tied) with E ~ d^(3/2)" in line


def test_text_answers_are_written_as_a_theorist_writes_them():
    """The terminal answer groups monomials as the reports do (sympy's own strings stay in the
    JSON): a common root, kappa in front, ^ for powers, = for a boundary."""
    import sympy

    from scalelang.report.terminal import plain

    d, N1, N2, kappa = sympy.symbols("d N1 N2 kappa", positive=True)
    a2 = sympy.Symbol("a2")
    third = sympy.Rational(1, 3)
    order = ("d", "N1", "N2")
    assert plain(N1**third * N2**third * d**third * kappa, order) == "kappa (d N1 N2)^(1/3)"
    assert plain(sympy.sqrt(N2) * sympy.sqrt(d), order) == "sqrt(d N2)"
    assert plain(N2 ** (2 * third) / (N1**third * d**third), order) == "(N2^2/(d N1))^(1/3)"
    assert plain(sympy.Eq(N2, d**5, evaluate=False), order) == "N2 = d^5"
    assert (
        plain(sympy.Rel(N1, sympy.sqrt(N2) * sympy.sqrt(d), ">=", evaluate=False), order)
        == "N1 >= sqrt(d N2)"
    )
    assert plain(d ** (3 * a2 / 4 + sympy.Rational(3, 4)), ("a1", "a2")) == "d^((3 a2 + 3)/4)"


def test_a_noise_named_otherwise_is_said_to_be_kappa():
    solution = load(
        two_layer(patterns="gp | spec").replace("noise kappa = 1", "noise T = 1")
    ).solve()
    assert solution.to_json()["noise"] == "T"
    assert (
        summary(solution)
        .splitlines()[0]
        .endswith("(P* = kappa * E to leading order; kappa is the noise T)")
    )


def test_powers_of_kappa_and_names_of_any_script_print_as_written():
    """kappa stands first only as a whole power (sqrt(kappa) d is one monomial), and names
    beyond ASCII print as they are."""
    import sympy

    from scalelang.report.terminal import plain

    d, N1, N2, kappa, ell, delta = sympy.symbols("d N1 N2 kappa ℓ δ", positive=True)
    order = ("kappa", "d", "N1", "N2", "ℓ", "δ")  # notation.canonical_order
    cases = {
        N1 ** sympy.Rational(1, 3)
        * N2 ** sympy.Rational(1, 3)
        * d ** sympy.Rational(1, 3): "(d N1 N2)^(1/3)",
        sympy.sqrt(N2) * sympy.sqrt(d) * kappa: "kappa sqrt(d N2)",
        d**3 * kappa**2: "kappa^2 d^3",
        N2 / d**2: "N2/d^2",
        sympy.Integer(1): "1",
        kappa: "kappa",
        sympy.sqrt(kappa) * d: "sqrt(kappa) d",  # whole powers outside roots, kappa first
        sympy.sqrt(ell) * N1: "N1 sqrt(ℓ)",
        sympy.Rel(delta ** sympy.Rational(3, 2), N1, "<=", evaluate=False): "δ^(3/2) <= N1",
    }
    assert {expr: plain(expr, order) for expr in cases} == cases
    a1 = sympy.Symbol("a1", real=True)
    free = sympy.Pow(d, a1 / 2 + sympy.Rational(1, 2), evaluate=False)  # ScaleSpace.monomial's
    for p_star in (sympy.Mul(kappa, free, evaluate=False), kappa * free, kappa**2 * free):
        head = "kappa^2" if p_star.as_powers_dict()[kappa] == 2 else "kappa"
        assert plain(p_star, order) == head + " d^((a1 + 1)/2)"


def test_names_beyond_ascii_solve_and_print():
    """A reviewer's α1, α2 in place of a1, a2 crashed the printer (a name it had no symbol for)."""
    from pathlib import Path

    import scalelang

    text = (
        (Path(__file__).resolve().parents[2] / "examples" / "fcn3_he3_proportional.scale")
        .read_text()
        .replace("a1", "α1")
        .replace("a2", "α2")
    )
    answer = repr(scalelang.load(text).solve())
    assert "P* is piecewise in (α1, α2)" in answer and "α1 >= 5 and α2 >= 5" in answer


def test_every_line_stays_under_200_characters_and_keeps_every_word():
    """A three-layer network of independent widths: its caveat names every phase where P* falls
    below d, a thousand characters on one line. It is cut after a "; " (no energy split across
    lines), and nothing is lost."""
    import sys
    from pathlib import Path

    from scalelang.report import terminal

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from workloads import chain

    solution = load(chain(3)).solve()
    caveat = next(c for c in solution.caveats if "falls below d" in c)
    assert len(caveat) > 2 * terminal.WIDTH  # the case this test is about
    lines = summary(solution).splitlines()
    assert all(len(line) < terminal.WIDTH for line in lines)
    start = next(i for i, line in enumerate(lines) if line.startswith("  caveat: P* falls below"))
    cut = lines[start : start + len(caveat) // terminal.WIDTH + 2]
    assert all(line.endswith(";") for line in cut[:-2])  # cut between assignments
    assert " ".join(line.strip() for line in cut).startswith("caveat: " + caveat)


def test_a_long_line_is_cut_at_spaces_where_it_has_no_list():
    from scalelang.report.terminal import WIDTH, _wrapped

    words = " ".join(f"w{i}" for i in range(200))
    lines = _wrapped("  " + words)
    assert len(lines) > 1 and all(len(line) < WIDTH for line in lines)
    assert " ".join(line.strip() for line in lines) == words
    assert _wrapped("  short") == ["  short"]
