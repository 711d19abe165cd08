"""Shared builders for the exponent-engine tests: the docs/method.md §10 energies via sympy."""

import sympy

from scalelang.exponents import Affine, program_from_sympy

d, N, N1, N2, M, M1, M2, beta = sympy.symbols("d N N1 N2 M M1 M2 beta", positive=True)
COORDS3 = ("d", "N1", "N2")
LOG3 = {name: Affine.var(name) for name in COORDS3}
DOM3 = tuple(Affine.var(c) for c in COORDS3)


def energies3(log_of=LOG3):
    """The three hand-worked three-layer energies (GP-GP, GP-Spec, Spec-Mag) as Programs."""
    gp = program_from_sympy(d**3, [], [], log_of, "GP-GP")
    spec = program_from_sympy(M2 * d + N2 / M2, [M2], [(1, M2, N2)], log_of, "GP-Spec")
    mag = program_from_sympy(
        M1 * d + N1 * beta / M1 + N2 / beta,
        [M1, beta],
        [(1, M1, N1), (None, beta, N2)],
        log_of,
        "Spec-Mag",
    )
    return gp, spec, mag
