"""scalelang.exponents: the exponent engine (docs/method.md, section 6), readable on its own.

Owns exact scaling algebra in log space and the leading-order solution of posynomial energies:
``solve`` gives the minimum over variational parameters as a piecewise-affine ``ValueFunction``
of the log-scales (or of free exponents), ``compare`` the lower envelope of competing energies as
phase regions and boundaries, ``program_from_sympy`` the bridge from sympy energies. It imports
nothing else from scalelang; everything is exact (gmpy2 rationals inside, ``affine.Q``; sympy at
the edge).
"""

from .affine import Affine
from .envelope import (
    Boundary,
    Phases,
    Region,
    compare,
    compare_assignments,
    compare_programs,
    optimum_key,
)
from .errors import EngineError
from .parametric import Piece, ValueFunction, solve, solve_relaxed
from .polyhedron import Polyhedron, merge_convex, scaled
from .program import Bound, Program, Term
from .sympy_bridge import program_from_sympy, to_affine, to_monomial, to_rational
from .trace import exponent_renderer, monomial_renderer

__all__ = [
    "Affine",
    "Term",
    "Bound",
    "Program",
    "solve",
    "solve_relaxed",
    "compare",
    "compare_assignments",
    "compare_programs",
    "program_from_sympy",
    "to_monomial",
    "to_affine",
    "to_rational",
    "ValueFunction",
    "Piece",
    "Phases",
    "Region",
    "Boundary",
    "Polyhedron",
    "merge_convex",
    "scaled",
    "optimum_key",
    "EngineError",
    "monomial_renderer",
    "exponent_renderer",
]
