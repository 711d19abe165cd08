"""Exact numbers where the rules need them.

Homogeneity of an activation: phi(c z) = c^p phi(z) decides how a pre-activation variance that is
not O(1) scales the next kernel (q^p). Power laws of any degree, and fractional ones, must be
recognized; saturating activations and sums of powers must not be. Monomial exponents are exact
rationals: floats are refused. Route dominance follows its stated rule."""

from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from scalelang.algebra.hermite import Z, homogeneity_degree


@pytest.mark.parametrize(
    "expr, degree",
    [
        (Z, 1),
        (3 * Z**3, 3),
        (Z**6, 6),
        (Z**7, 7),
        (sympy.Max(Z, 0), 1),
        (sympy.Abs(Z), 1),
        (sympy.Abs(Z) ** sympy.Rational(3, 2), Fraction(3, 2)),
        (sympy.Integer(2), 0),
    ],
)
def test_power_laws_are_homogeneous(expr, degree):
    assert homogeneity_degree(expr) == degree


@pytest.mark.parametrize("expr", [sympy.erf(Z), sympy.tanh(Z), Z**3 + Z, sympy.exp(Z), Z**2 - 1])
def test_other_activations_are_not(expr):
    assert homogeneity_degree(expr) is None


@pytest.mark.parametrize(
    "expr", [Z**7, sympy.Abs(Z) ** sympy.Rational(3, 2), sympy.erf(Z), sympy.sqrt(Z)]
)
def test_activation_facts_read_back_from_the_disk_cache_unchanged(expr):
    """Homogeneity and realness are kept on disk between runs: what a later run reads back must
    be the very answer computed (the same number and type, and None kept as None)."""
    from scalelang.frontend.check import _not_real_at

    computed = homogeneity_degree(expr), _not_real_at(expr)
    homogeneity_degree.cache_clear()  # the next call reads the disk cache, not this process's
    assert (homogeneity_degree(expr), _not_real_at(expr)) == computed
    assert type(homogeneity_degree(expr)) is type(computed[0])


@pytest.mark.parametrize(
    "expr, constant",
    [
        (sympy.Max(Z, 0) + sympy.Min(-Z, 0), True),
        (sympy.erf(Z) - sympy.erf(Z) + 2, True),
        (sympy.erf(Z), False),
        (sympy.Abs(Z) ** sympy.Rational(3, 2), False),
    ],
)
def test_constancy_reads_back_from_the_disk_cache_unchanged(expr, constant, tmp_path, monkeypatch):
    """Whether an activation varies is kept on disk too: a later run (this process's tables
    forgotten) reads the same answer back from the file."""
    import json

    from scalelang.frontend.check import _does_not_vary
    from scalelang.support import cache

    monkeypatch.setenv("SCALELANG_CACHE", str(tmp_path))
    assert _does_not_vary(expr) is constant
    cache._tables.clear()
    assert _does_not_vary(expr) is constant
    [answer] = json.loads((tmp_path / "constancy.json").read_text()).values()
    assert answer == ("yes" if constant else "no")


def test_a_store_keeps_what_another_process_added(tmp_path, monkeypatch):
    """A table is read once per process, but a store reads the file afresh: entries another
    process wrote in between are kept."""
    import json

    from scalelang.support import cache

    monkeypatch.setenv("SCALELANG_CACHE", str(tmp_path))
    assert cache.remembered("t", "a", lambda: 1) == 1
    (tmp_path / "t.json").write_text(json.dumps({"a": 1, "b": 2}))
    assert cache.remembered("t", "c", lambda: [3]) == [3]
    assert json.loads((tmp_path / "t.json").read_text()) == {"a": 1, "b": 2, "c": [3]}
    assert cache.remembered("t", "b", lambda: 0) == 2


def test_remembered_computes_once_and_keeps_none(tmp_path, monkeypatch):
    from scalelang.support import cache

    monkeypatch.setenv("SCALELANG_CACHE", str(tmp_path))
    calls = []
    for _ in range(2):
        assert cache.remembered("t", "k", lambda: calls.append(1)) is None
    assert calls == [1]


def test_monomials_refuse_float_exponents():
    """Exponents are exact: a float (Python's or sympy's) is refused, rationals are kept."""
    from scalelang.algebra.monomial import Mono

    for bad in (0.5, sympy.Float(0.5)):
        with pytest.raises(TypeError):
            Mono.of({"d": bad})
    assert Mono.of({"d": sympy.Rational(1, 3)}).exponent("d") == Fraction(1, 3)


def test_route_dominance_is_the_documented_rule():
    """Algebra.at_most: small <= large when their ratio is (up to two known-small factors) times
    non-positive powers of names known to be >= 1; checked against a direct reading of the rule."""
    import random

    from scalelang.algebra.monomial import Mono
    from scalelang.theory.kernels import _at_most, _small_products, _split

    def direct(ratio, at_least_one, generators):
        free, bounded = _split(ratio, at_least_one)
        for g in _small_products(generators):
            g_free, g_bounded = _split(g, at_least_one)
            if g_free == free and all(
                bounded.get(n, 0) <= g_bounded.get(n, 0) for n in bounded.keys() | g_bounded.keys()
            ):
                return True
        return not free and all(e <= 0 for e in bounded.values())

    rng = random.Random(0)
    names = ["d", "N", "M", "D", "beta"]
    powers = [-2, -1, 1, 2, Fraction(1, 2), Fraction(-1, 3)]
    mono = lambda k: Mono.of({rng.choice(names): rng.choice(powers) for _ in range(k)})
    agree = 0
    for _ in range(2000):
        at_least_one = frozenset(rng.sample(names, rng.randint(1, 4)))
        generators = frozenset(mono(2) for _ in range(rng.randint(1, 4)))
        ratio = mono(rng.randint(1, 4))
        agree += _at_most.__wrapped__(ratio, at_least_one, generators) == direct(
            ratio, at_least_one, generators
        )
    assert agree == 2000


@pytest.mark.parametrize(
    "coeffs, const", [({"a1": 1}, 0), ({"a1": Fraction(3, 4)}, Fraction(1, 2)), ({}, 2), ({}, 0)]
)
def test_scales_to_affine_exponents_are_sympy_powers(coeffs, const):
    """The monomial of a log-form in free exponents (built unevaluated, ``ScaleSpace.monomial``)
    is the power sympy's own evaluation makes: equal to it, and simplified where the exponent
    is a number."""
    from scalelang.api import load
    from scalelang.exponents import Affine
    from scalelang.theory.scales import scale_space

    problem = load(Path(__file__).parents[2] / "examples" / "fcn3_he3_proportional.scale").problem
    space = scale_space(problem)
    d, a1 = space.symbols["d"], space.symbols["a1"]
    expected = d ** (sympy.Rational(const) + sum(sympy.Rational(c) * a1 for c in coeffs.values()))
    assert space.monomial(Affine(coeffs, const)) == expected


def test_p_star_in_free_exponents_is_the_evaluated_product():
    """P* = kappa * d**(affine), built unevaluated (``Solution.p_star_expr``), is the product
    sympy's evaluation makes, phase by phase."""
    from scalelang.api import load
    from scalelang.theory.solve import KAPPA

    solution = load(Path(__file__).parents[2] / "examples" / "fcn3_he3_proportional.scale").solve()
    for phase in solution.phases:
        monomial = solution.space.monomial(phase.value + solution.kappa_form)
        assert solution.p_star_expr(phase.value) == KAPPA * monomial
