"""Monomials with exact exponents, the currency of leading-order scaling.

Owns ``Mono``: a product of powers of named quantities (scales such as d and N1, variational
parameters such as M1) with ``Fraction`` exponents, constants dropped. Conversion from and to
sympy lives here too, so that the theory never manipulates sympy expressions in its inner loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy

from scalelang.exponents import to_rational


@dataclass(frozen=True, order=True)
class Mono:
    """prod name**exponent; ``powers`` is sorted and has no zero exponent."""

    powers: tuple[tuple[str, Fraction | int], ...] = ()  # ints where integral, for speed

    @staticmethod
    def of(mapping: dict[str, Fraction | int]) -> "Mono":
        return Mono(tuple(sorted((k, _exact(v)) for k, v in mapping.items() if v)))

    @staticmethod
    def symbol(name: str) -> "Mono":
        return Mono(((name, 1),))

    def exponent(self, name: str) -> Fraction | int:
        for key, value in self.powers:
            if key == name:
                return value
        return 0

    def as_dict(self) -> dict[str, Fraction]:
        return dict(self.powers)

    def __mul__(self, other: "Mono") -> "Mono":
        if not other.powers:
            return self
        if not self.powers:
            return other
        return _product(self, other)

    def __truediv__(self, other: "Mono") -> "Mono":
        return self * other**-1

    def __pow__(self, exponent: Fraction | int) -> "Mono":
        if exponent == 1:
            return self
        return Mono.of({k: v * exponent for k, v in self.powers})

    def names(self) -> set[str]:
        return {name for name, _ in self.powers}

    def to_sympy(self, symbols: dict[str, sympy.Symbol] | None = None) -> sympy.Expr:
        symbols = symbols or {}
        result = sympy.Integer(1)
        for name, exponent in self.powers:
            base = symbols.get(name) or sympy.Symbol(name, positive=True)
            result *= base ** to_rational(exponent)
        return result

    def __repr__(self) -> str:
        return _text(self)


ONE = Mono()


@lru_cache(maxsize=1 << 16)
def _text(mono: Mono) -> str:
    """Remembered: the lowering writes the same bounds into labels for every assignment."""
    return str(mono.to_sympy()) if mono.powers else "1"


@lru_cache(maxsize=1 << 16)
def _product(a: Mono, b: Mono) -> Mono:
    """Remembered: the kernel tracker multiplies the same few eigenvalue routes millions of
    times."""
    merged = dict(a.powers)
    for name, exponent in b.powers:
        merged[name] = merged.get(name, 0) + exponent
    return Mono.of(merged)


def _exact(value) -> Fraction | int:
    """Integers stay Python ints (fast); other rationals are Fractions. Floats are refused."""
    if type(value) is int:
        return value
    if isinstance(value, float) or getattr(value, "is_Float", False):  # a rounding, not a law
        raise TypeError(f"monomial exponents are exact rationals, not the float {value!r}")
    value = Fraction(value) if not isinstance(value, Fraction) else value
    if type(value.numerator) is not int or type(value.denominator) is not int:
        # Fraction(mpq) keeps gmpy2's mpz parts, which sympy on python-flint refuses as numbers
        value = Fraction(int(value.numerator), int(value.denominator))
    return int(value) if value.denominator == 1 else value


class NotMonomial(ValueError):
    """The expression is not a single monomial (a sum, a function, a symbolic exponent)."""


def mono_from_sympy(expr: sympy.Expr, ignore: set[str] = frozenset()) -> Mono:
    """The leading-order monomial of ``expr``: numeric factors and symbols in ``ignore`` dropped.

    Raises NotMonomial for sums, functions or non-numeric exponents.
    """
    expr = sympy.sympify(expr)
    powers: dict[str, Fraction] = {}
    for factor, exponent in expr.as_powers_dict().items():
        if factor.is_number:
            continue
        if not factor.is_Symbol or not exponent.is_Rational:
            raise NotMonomial(str(expr))
        if factor.name in ignore:
            continue
        powers[factor.name] = powers.get(factor.name, Fraction(0)) + Fraction(
            int(exponent.p), int(exponent.q)
        )
    return Mono.of(powers)


def posynomial_from_sympy(expr: sympy.Expr, ignore: set[str] = frozenset()) -> list[Mono]:
    """The monomial terms of a sum with positive coefficients (leading order: constants dropped)."""
    expr = sympy.expand(sympy.sympify(expr))
    if expr == 0:
        return []
    terms = []
    for term in sympy.Add.make_args(expr):
        coefficient, _ = term.as_coeff_Mul()
        if coefficient <= 0:
            raise NotMonomial(f"{term} has a non-positive coefficient")
        terms.append(mono_from_sympy(term, ignore))
    return terms
