"""Exact numbers where the rules need them.

Homogeneity of an activation: phi(c z) = c^p phi(z) decides how a pre-activation variance that is
not O(1) scales the next kernel (q^p). Power laws of any degree, and fractional ones, must be
recognized; saturating activations and sums of powers must not be. Monomial exponents are exact
rationals: floats are refused."""

from fractions import Fraction

import pytest
import sympy

from scalelang.hermite import Z, homogeneity_degree


@pytest.mark.parametrize("expr, degree", [
    (Z, 1), (3 * Z**3, 3), (Z**6, 6), (Z**7, 7), (sympy.Max(Z, 0), 1), (sympy.Abs(Z), 1),
    (sympy.Abs(Z) ** sympy.Rational(3, 2), Fraction(3, 2)), (sympy.Integer(2), 0),
])
def test_power_laws_are_homogeneous(expr, degree):
    assert homogeneity_degree(expr) == degree


@pytest.mark.parametrize("expr", [sympy.erf(Z), sympy.tanh(Z), Z**3 + Z, sympy.exp(Z), Z**2 - 1])
def test_other_activations_are_not(expr):
    assert homogeneity_degree(expr) is None


def test_monomials_refuse_float_exponents():
    """Exponents are exact: a float (Python's or sympy's) is refused, rationals are kept."""
    from scalelang.monomial import Mono

    for bad in (0.5, sympy.Float(0.5)):
        with pytest.raises(TypeError):
            Mono.of({"d": bad})
    assert Mono.of({"d": sympy.Rational(1, 3)}).exponent("d") == Fraction(1, 3)
