"""The exponent program: one posynomial energy with bounds, in log space.

Owns ``Term``, ``Bound`` and ``Program``. A term ``exp(a.u + b(s))`` is one monomial of the energy
(``u`` the logs of the variational parameters, ``b`` an Affine over the coordinates); a bound
``a.u <= h(s)`` is one monomial inequality. Data only: ``parametric`` solves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .affine import Affine, Q, frac
from .errors import EngineError

_ZERO = Q(0)


def _exponents(var_exponents: Mapping[str, object]) -> tuple:
    return tuple(sorted((str(k), frac(v)) for k, v in var_exponents.items() if frac(v)))


@dataclass(frozen=True, init=False)
class _Monomial:
    """``var_exponents . u`` plus ``scale_form(s)``, labelled: what terms and bounds are made of."""

    var_exponents: tuple  # sorted (name, Q) pairs, zeros dropped
    scale_form: Affine
    label: str

    def __init__(self, var_exponents: Mapping[str, object], scale_form: Affine, label: str):
        object.__setattr__(self, "var_exponents", _exponents(var_exponents))
        object.__setattr__(self, "scale_form", scale_form)
        object.__setattr__(self, "label", str(label))
        # looked up once per variable for every LP the program is compiled to: kept as a dict
        object.__setattr__(self, "_by_name", dict(self.var_exponents))

    def exponent(self, name: str) -> Q:
        return self._by_name.get(name, _ZERO)

    def __repr__(self):
        return f"{type(self).__name__}({self.label!r})"


class Term(_Monomial):
    """One monomial ``exp(var_exponents . u + scale_form(s))`` of the energy."""


class Bound(_Monomial):
    """``var_exponents . u <= scale_form(s)``: e.g. ``log M <= log N`` is ``{M: 1} <= x_N`` and
    ``1 <= M`` is ``{M: -1} <= 0``."""


@dataclass(frozen=True)
class Program:
    """``min over u of sum_k exp(term_k)`` subject to the bounds, to leading order."""

    variables: tuple
    terms: tuple
    bounds: tuple = ()
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "variables", tuple(self.variables))
        object.__setattr__(self, "terms", tuple(self.terms))
        object.__setattr__(self, "bounds", tuple(self.bounds))

    def check(self, coordinates) -> None:
        """Raise EngineError for names outside the variables or coordinates, or no terms."""
        known = set(self.variables)
        coords = set(coordinates)
        if not self.terms:
            raise EngineError(
                f"program {self.label!r} has no terms: an empty energy has no minimum"
            )
        for item in self.terms + self.bounds:
            kind = "term" if isinstance(item, Term) else "bound"
            for name, _ in item.var_exponents:
                if name not in known:
                    raise EngineError(
                        f"{kind} {item.label!r} uses {name!r}, which is not a "
                        f"variational parameter of {self.variables}"
                    )
            extra = set(item.scale_form.names) - coords
            if extra:
                raise EngineError(
                    f"{kind} {item.label!r} uses {sorted(extra)}, which are not "
                    f"coordinates {tuple(coordinates)}"
                )

    def __repr__(self):
        name = f"{self.label!r}: " if self.label else ""
        terms = " + ".join(t.label for t in self.terms)
        bounds = ", ".join(b.label for b in self.bounds)
        return f"Program({name}{terms}" + (f" | {bounds})" if bounds else ")")
