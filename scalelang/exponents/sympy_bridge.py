"""The sympy edge of the engine: energies written as sympy expressions in, monomials out.

Owns ``program_from_sympy`` (a sum of monomials with positive coefficients and rational powers ->
``Program``; constant factors are dropped, which is what leading order means), ``to_affine`` (a
linear sympy expression -> ``Affine``), ``to_monomial`` (``Affine`` -> sympy monomial) and
``to_rational`` (an exact number -> sympy's, through Python ints). Inside the engine everything is
an exact rational (``affine.Q``); only this module touches sympy.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping

import sympy

from .affine import Affine, Q
from .errors import EngineError
from .program import Bound, Program, Term


def to_affine(expr, coordinates=None) -> Affine:
    """A sympy expression linear in its symbols (exact coefficients) as an Affine."""
    expr = sympy.sympify(expr)
    syms = sorted(expr.free_symbols, key=str)
    if coordinates is not None:
        extra = [s for s in syms if str(s) not in set(coordinates)]
        if extra:
            raise EngineError(
                f"{expr} uses {extra}, which are not coordinates {tuple(coordinates)}"
            )
    try:
        poly = sympy.Poly(expr, *syms) if syms else None
    except sympy.PolynomialError as exc:
        raise EngineError(f"{expr} is not linear in {syms}") from exc
    if poly is not None and poly.total_degree() > 1:
        raise EngineError(f"{expr} is not linear in {syms}")
    coeffs = {}
    for s in syms:
        c = expr.coeff(s)
        coeffs[str(s)] = _rational(c, expr)
    const = expr.subs({s: 0 for s in syms})
    return Affine(coeffs, _rational(const, expr))


def _rational(value, context) -> Q:
    value = sympy.nsimplify(value) if isinstance(value, sympy.Float) else sympy.sympify(value)
    if not value.is_Rational:
        raise EngineError(f"{context}: exponent {value} is not an exact rational")
    return Q(int(value.p), int(value.q))


def _monomial(expr, variables: set, log_of: Mapping[str, Affine], label: str):
    """(exponents of the variables, log of the scale part) of one monomial; constants dropped."""
    expr = sympy.sympify(expr)
    coeff, rest = expr.as_coeff_Mul()
    if coeff.is_number and coeff <= 0:
        raise EngineError(
            f"term {label!r} has a non-positive coefficient {coeff}: the energy must "
            "be a sum of monomials with positive coefficients"
        )
    var_exp: dict = {}
    scale = Affine()
    for factor in sympy.Mul.make_args(rest):
        base, exp = factor.as_base_exp()
        if base.is_number and exp.free_symbols:
            raise EngineError(
                f"term {label!r} is not a monomial: {factor} is not a rational "
                "power of a parameter or scale"
            )
        if base.is_number:
            if base.is_positive:
                continue  # a constant factor: irrelevant to leading order
            raise EngineError(f"term {label!r} has a non-positive factor {factor}")
        if not isinstance(base, sympy.Symbol):
            raise EngineError(
                f"term {label!r} is not a monomial: {factor} is not a power of a parameter or scale"
            )
        name = str(base)
        if name in variables:
            var_exp[name] = var_exp.get(name, 0) + _rational(exp, f"term {label!r}")
        elif name in log_of:
            log = log_of[name]
            if exp.is_Rational:
                scale = scale + log * _rational(exp, f"term {label!r}")
            elif log.is_constant():  # d**nu with log d = 1: a free exponent
                scale = scale + to_affine(exp) * log.const
            else:
                raise EngineError(f"term {label!r}: power {exp} of {name} is not a rational number")
        else:
            raise EngineError(
                f"term {label!r} uses {name}, which is neither a variational "
                f"parameter {sorted(variables)} nor a scale {sorted(log_of)}"
            )
    return var_exp, scale


def program_from_sympy(
    energy, variables, bounds=(), log_of: Mapping[str, Affine] | None = None, label: str = ""
) -> Program:
    """Build a Program from a sympy energy (sum of monomials) and bounds ``(lower, var, upper)``.

    ``log_of`` maps every scale symbol name to its log as an Affine over the coordinates (``{"d":
    Affine.var("d")}`` for independent scales; ``{"d": Affine.constant(1), "N1": Affine.var("a1")}``
    for free exponents). Either side of a bound may be None (no bound). Terms are labelled by their
    sympy string, bounds like ``1 <= M`` and ``M <= N``.
    """
    names = tuple(str(v) for v in variables)
    context = (frozenset(names), tuple(sorted((log_of or {}).items(), key=lambda kv: str(kv[0]))))
    terms = tuple(_term(t, context) for t in sympy.Add.make_args(sympy.sympify(energy)))
    out_bounds = []
    for lower, var, upper in bounds:
        if str(var) not in context[0]:
            raise EngineError(f"bound on {var}: {var} is not a variational parameter {names}")
        out_bounds.extend(_bounds(lower, str(var), upper, context))
    return Program(names, terms, tuple(out_bounds), label)


@lru_cache(maxsize=1 << 14)
def _term(t, context) -> Term:
    """One term of an energy. Remembered: callers that build many programs from the same
    monomials (one per assignment of a deep network) would otherwise print and parse each of
    them again, and sympy's printing costs more than the rest of the translation."""
    varset, log_items = context
    text = str(t)
    if t.is_number:
        if not t.is_positive:
            raise EngineError(f"term {text!r} has a non-positive coefficient")
        return Term({}, Affine(), text)
    var_exp, scale = _monomial(t, varset, dict(log_items), text)
    return Term(var_exp, scale, text)


@lru_cache(maxsize=1 << 14, typed=True)  # typed: 1 and 1.0 are printed apart
def _bounds(lower, v: str, upper, context) -> tuple:
    """The Bound rows of ``lower <= v <= upper`` (remembered, as ``_term``)."""
    varset, log_items = context
    log_of = dict(log_items)
    out = []
    if lower is not None:
        lab = f"{sympy.sympify(lower)} <= {v}"
        lu, ls = _monomial(lower, varset, log_of, lab)
        exps = dict(lu)
        exps[v] = exps.get(v, 0) - 1  # log lower - u_v <= 0
        out.append(Bound(exps, -ls, lab))
    if upper is not None:
        lab = f"{v} <= {sympy.sympify(upper)}"
        uu, us = _monomial(upper, varset, log_of, lab)
        exps = {k: -c for k, c in uu.items()}
        exps[v] = exps.get(v, 0) + 1  # u_v - log upper <= 0
        out.append(Bound(exps, us, lab))
    return tuple(out)


def to_monomial(form: Affine, symbols: Mapping[str, sympy.Symbol] | None = None, base=None):
    """An Affine log-value as a sympy monomial.

    Independent scales (``base`` None): ``prod symbols[x]**c_x`` (symbols default to
    ``sympy.Symbol(x, positive=True)``). Free exponents: ``base**(affine as sympy expression)``.
    """
    symbols = dict(symbols or {})

    def sym(name):
        return symbols.get(name) or sympy.Symbol(name, positive=True)

    if base is not None:
        exponent = sum(
            (to_rational(c) * sym(n) for n, c in form.coeffs.items()), to_rational(form.const)
        )
        return sympy.Pow(base, exponent)
    out = sympy.Integer(1)
    for n, c in form.coeffs.items():
        out *= sym(n) ** to_rational(c)
    if form.const:
        out *= sympy.exp(to_rational(form.const))
    return out


def to_rational(value) -> sympy.Rational:
    """An exact rational of the engine (``Q``) or of Python as sympy's, through Python ints: the
    one integer type that sympy takes on every ground type (on python-flint it refuses gmpy2's
    mpz, and a ``Fraction`` made from an mpq keeps mpz parts)."""
    return sympy.Rational(int(value.numerator), int(value.denominator))
