"""Exact numbers cross between the exponent engine (gmpy2 ``mpq``) and sympy as Python ints.

sympy takes gmpy2's integers only when its own ground types are gmpy2's: with python-flint
installed it does not recognise ``mpz``, falls back to ``float(mpz)`` and refuses the result
(``TypeError: invalid input: 1.00000000000000``). ``Foreign`` below is such an integer: sympy knows
it only through ``float``, as it knows ``mpz`` on flint. CI runs the whole suite on flint too."""

from fractions import Fraction

import pytest
import sympy
from gmpy2 import mpq

from scalelang.algebra.monomial import Mono
from scalelang.exponents import Affine, to_monomial, to_rational


class Foreign:
    """An integer type sympy does not know: it converts to int exactly, to float lossily."""

    def __init__(self, value: int):
        self.value = value

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __float__(self) -> float:
        return float(self.value)


class ForeignRational:
    def __init__(self, numerator: int, denominator: int):
        self.numerator, self.denominator = Foreign(numerator), Foreign(denominator)


def test_sympy_refuses_a_foreign_integer_as_it_refuses_mpz_on_flint():
    with pytest.raises(TypeError, match="invalid input"):
        sympy.Rational(Foreign(1), Foreign(3))


@pytest.mark.parametrize(
    "value, expected",
    [
        (ForeignRational(1, 3), sympy.Rational(1, 3)),
        (ForeignRational(-4, 1), sympy.Integer(-4)),
        (mpq(2, 5), sympy.Rational(2, 5)),
        (Fraction(7, 2), sympy.Rational(7, 2)),
        (3, 3),
    ],
)
def test_exact_numbers_reach_sympy_through_python_ints(value, expected):
    assert to_rational(value) == expected
    assert type(to_rational(value).p) is int


def test_engine_forms_become_sympy_monomials_with_exact_powers():
    d, n = sympy.symbols("d N", positive=True)
    form = Affine({"d": mpq(1, 3), "N": mpq(-2)})
    assert to_monomial(form, {"d": d, "N": n}) == d ** sympy.Rational(1, 3) / n**2


def test_monomials_keep_python_int_parts_of_engine_rationals():
    """Fraction(mpq) would keep mpz parts; a Mono's exponents are plain ints and Fractions."""
    mono = Mono.of({"d": mpq(1, 3), "N": mpq(2)})
    exponent = mono.exponent("d")
    assert exponent == Fraction(1, 3)
    assert type(exponent.numerator) is int and type(exponent.denominator) is int
    assert type(mono.exponent("N")) is int
    assert (
        mono.to_sympy()
        == sympy.Symbol("d", positive=True) ** sympy.Rational(1, 3)
        * sympy.Symbol("N", positive=True) ** 2
    )
