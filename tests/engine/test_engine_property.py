"""Property test: the exact symbolic minimum agrees with numerical minimization at large scale.

For random bounded posynomials in two variational parameters and random points s in (log d, log N),
V is homogeneous: V(lam*s) = lam*V(s). Numerically, f(lam) = min_u log sum_k exp(a_k.u + lam*b_k(s))
over the box 0 <= u <= lam*log N is convex in u (log-sum-exp), so L-BFGS-B finds it; the log-slope
(f(lam2) - f(lam1)) / (lam2 - lam1) removes the O(1) constant factors and must match V(s).
"""

from fractions import Fraction as F

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from scalelang.exponents import Affine, Bound, Program, Term, solve

COORDS = ("d", "N")
exps = st.integers(-2, 2)
scale = st.integers(0, 3)
term = st.tuples(exps, exps, scale, scale)


def numeric_min(terms, s, lam):
    A = np.array([[t[0], t[1]] for t in terms], dtype=float)
    b = np.array([lam * (t[2] * s[0] + t[3] * s[1]) for t in terms], dtype=float)
    hi = lam * s[1]

    def f(u):
        z = A @ u + b
        m = z.max()
        w = np.exp(z - m)
        return m + np.log(w.sum()), (A.T @ w) / w.sum()

    best = np.inf
    for u0 in ([0.0, 0.0], [hi / 2, hi / 2], [hi, 0.0], [0.0, hi]):
        r = minimize(
            f,
            np.array(u0),
            jac=True,
            bounds=[(0, hi)] * 2,
            method="L-BFGS-B",
            options={"ftol": 1e-13, "gtol": 1e-10, "maxiter": 500},
        )
        best = min(best, r.fun)
    return best


@settings(max_examples=25, deadline=None)
@given(st.lists(term, min_size=1, max_size=4), st.integers(1, 4), st.integers(1, 4))
def test_symbolic_matches_numeric(terms, sd, sn):
    prog = Program(
        ("u1", "u2"),
        tuple(
            Term({"u1": a, "u2": c}, Affine({"d": p, "N": q}), f"t{i}")
            for i, (a, c, p, q) in enumerate(terms)
        ),
        tuple(Bound({u: -1}, Affine(), f"1 <= {u}") for u in ("u1", "u2"))
        + tuple(Bound({u: 1}, Affine.var("N"), f"{u} <= N") for u in ("u1", "u2")),
    )
    vf = solve(prog, COORDS, (Affine.var("d"), Affine.var("N")))
    s = (sd, sn)
    exact = vf.value_at({"d": sd, "N": sn})
    slope = (numeric_min(terms, s, 60.0) - numeric_min(terms, s, 30.0)) / 30.0
    assert abs(slope - float(exact)) < 1e-3 * (1 + abs(float(exact)))
    # the optimum reported for that point attains the value
    piece = vf.piece_at({"d": sd, "N": sn})
    point = {"d": F(sd), "N": F(sn)}
    u = {k: v(point) for k, v in piece.optimum.items()}
    vals = [a * u["u1"] + c * u["u2"] + p * sd + q * sn for a, c, p, q in terms]
    assert max(vals) == exact
