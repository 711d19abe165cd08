"""Affine forms with exact rational coefficients: the engine's only kind of number-valued function.

Owns ``Affine`` (``sum_i c_i * x_i + const`` over named coordinates) and the conversion of numbers
to ``Q``, the engine's exact rational: gmpy2's ``mpq``, GMP arithmetic in C. Every exponent,
log-value and region inequality in the engine is an ``Affine``; it never holds a float. (With
``fractions.Fraction`` its arithmetic was about half of a deep network's solve; mpq does the same
operations some ten times faster, with the same values, hashes and printing.)
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational
from typing import Iterable, Mapping

from gmpy2 import mpq as Q

Number = int | Fraction | Q


_Q = type(Q())


def frac(value) -> Q:
    """Exact conversion to Q; floats are refused because they would make answers inexact."""
    if type(value) is _Q:
        return value
    if isinstance(value, (int, Fraction)):
        return Q(value.numerator, value.denominator)
    if isinstance(value, str):
        return Q(Fraction(value))
    # sympy Rational/Integer expose p and q
    p, q = getattr(value, "p", None), getattr(value, "q", None)
    if isinstance(p, int) and isinstance(q, int):
        return Q(p, q)
    if isinstance(value, Rational):
        return Q(int(value.numerator), int(value.denominator))
    raise TypeError(f"exponents must be exact rationals, got {value!r} ({type(value).__name__})")


class Affine:
    """``sum coeffs[name] * name + const``; immutable, hashable, zero coefficients dropped.

    Used for log-scales over coordinates (``x_d``), exponent vectors and region inequalities.
    """

    __slots__ = ("_items", "_coeffs", "const", "_hash", "_memo")

    def __init__(self, coeffs: Mapping[str, object] | None = None, const: object = 0):
        items = []
        if coeffs:
            for name, value in coeffs.items():
                value = frac(value)
                if value:
                    items.append((str(name), value))
        items.sort()
        object.__setattr__(self, "_items", tuple(items))
        object.__setattr__(self, "_coeffs", dict(items))
        object.__setattr__(self, "const", frac(const))
        object.__setattr__(self, "_hash", None)
        object.__setattr__(self, "_memo", None)

    @classmethod
    def _exact(cls, items: tuple, const: Q) -> "Affine":
        """A form from coefficients already checked: sorted ``(name, Q)`` pairs, none zero.

        Arithmetic on forms builds its results here, skipping the conversions and the sort of
        ``__init__``: the engine makes hundreds of thousands of forms per solve."""
        self = object.__new__(cls)
        set_ = object.__setattr__
        set_(self, "_items", items)
        set_(self, "_coeffs", dict(items))
        set_(self, "const", const)
        set_(self, "_hash", None)
        set_(self, "_memo", None)
        return self

    def memo(self) -> dict:
        """A per-object cache for values derived from this (immutable) form, e.g. its integer row
        in the LP solver; keys are chosen by the modules that use it."""
        m = self._memo
        if m is None:
            m = {}
            object.__setattr__(self, "_memo", m)
        return m

    def __setattr__(self, name, value):
        raise AttributeError("Affine is immutable")

    @classmethod
    def var(cls, name: str, coefficient: object = 1) -> "Affine":
        return cls({name: coefficient})

    @classmethod
    def constant(cls, value: object) -> "Affine":
        return cls(None, value)

    @property
    def coeffs(self) -> dict[str, Q]:
        """A copy of the non-zero coefficients."""
        return dict(self._coeffs)

    def coeff(self, name: str) -> Q:
        return self._coeffs.get(name, Q(0))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self._items)

    def is_constant(self) -> bool:
        return not self._items

    def is_zero(self) -> bool:
        return not self._items and not self.const

    def vector(self, order: Iterable[str]) -> list[Q]:
        """Coefficients in the given coordinate order (names outside it are an error)."""
        order = tuple(order)
        extra = set(self._coeffs) - set(order)
        if extra:
            raise KeyError(f"{self} uses {sorted(extra)}, not among coordinates {order}")
        get = self._coeffs.get
        zero = Q(0)
        return [get(name, zero) for name in order]

    def __call__(self, point: Mapping[str, object]) -> Q:
        """Value at a point (a dict from coordinate name to number)."""
        total = self.const
        for name, c in self._items:
            total += c * frac(point[name])
        return total

    evaluate = __call__

    def substitute(self, mapping: Mapping[str, "Affine"]) -> "Affine":
        """Replace coordinates by affine forms (names not in mapping are kept)."""
        out = Affine.constant(self.const)
        for name, c in self._items:
            out = out + (mapping[name] * c if name in mapping else Affine({name: c}))
        return out

    def __add__(self, other):
        if not isinstance(other, Affine):
            return Affine._exact(self._items, self.const + frac(other))
        return self._combine(other, 1)

    __radd__ = __add__

    def __neg__(self):
        return Affine._exact(tuple((n, -c) for n, c in self._items), -self.const)

    def __sub__(self, other):
        if not isinstance(other, Affine):
            return Affine._exact(self._items, self.const - frac(other))
        return self._combine(other, -1)

    def __rsub__(self, other):
        return (-self) + other

    def _combine(self, other: "Affine", sign: int) -> "Affine":
        """``self + sign * other`` for sign +-1."""
        if not other._items:
            items = self._items
        elif not self._items:
            items = other._items if sign > 0 else tuple((n, -c) for n, c in other._items)
        else:
            coeffs = dict(self._coeffs)
            get = coeffs.get
            for name, c in other._items:
                coeffs[name] = get(name, 0) + c if sign > 0 else get(name, 0) - c
            items = tuple(sorted((n, c) for n, c in coeffs.items() if c))
        const = self.const + other.const if sign > 0 else self.const - other.const
        return Affine._exact(items, const)

    def __mul__(self, scalar):
        if isinstance(scalar, Affine):
            raise TypeError("the product of two affine forms is not affine")
        s = frac(scalar)
        if not s:
            return Affine._exact((), s)
        return Affine._exact(tuple((n, c * s) for n, c in self._items), self.const * s)

    __rmul__ = __mul__

    def __truediv__(self, scalar):
        return self * (1 / frac(scalar))

    def __eq__(self, other):
        if not isinstance(other, Affine):
            return NotImplemented
        return self._items == other._items and self.const == other.const

    def __hash__(self):
        h = self._hash
        if h is None:
            h = hash((self._items, self.const))
            object.__setattr__(self, "_hash", h)
        return h

    def normalized(self, prefer: Iterable[str] | None = None) -> "Affine":
        """Positive multiple with leading coefficient +-1, so that equal hyperplanes compare equal.

        The leading coordinate is the one of largest |coefficient| among ``prefer`` (if any has a
        non-zero coefficient), else among all; ties go to the earlier name in ``prefer`` order.
        """
        if not self._items:
            return Affine.constant(self.const and (1 if self.const > 0 else -1))
        pool = [n for n in (prefer or ()) if n in self._coeffs] or [n for n, _ in self._items]
        lead = max(pool, key=lambda n: (abs(self._coeffs[n]), -pool.index(n)))
        return self * (1 / abs(self._coeffs[lead]))

    def __str__(self):
        parts = []
        for name, c in self._items:
            parts.append(_signed(c, name, not parts))
        if self.const or not parts:
            parts.append(_signed(self.const, "", not parts))
        return " ".join(parts)

    def __repr__(self):
        return f"Affine({self})"


def _signed(c: Q, name: str, first: bool) -> str:
    sign = "-" if c < 0 else ("" if first else "+")
    mag = abs(c)
    if name:
        body = name if mag == 1 else f"{mag}*{name}"
    else:
        body = str(mag)
    if first:
        return f"{sign}{body}"
    return f"{sign} {body}"
