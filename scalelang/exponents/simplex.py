"""A small exact linear-programming solver: dense tableau simplex with Bland's rule, in integers.

Owns every LP the engine solves. Two entry points:

* ``StandardLP``: ``maximize c.w  s.t.  E w = e, w >= 0`` with a *lexicographic* objective (a list
of
  cost rows, compared in order). The lexicographic objective is how the parametric solver evaluates
  the LP at an infinitesimally perturbed point ``p + e1*d1 + e2*d2 + ...`` exactly, so the optimal
  basis it returns is optimal on a full-dimensional set. Phase 1 is run once per constraint
  system; later solves warm-start from the last optimal tableau (the constraints never change,
  only the objective does).
* ``maximize(c, rows)``: ``maximize c.x  s.t.  a_i.x + b_i >= 0`` over free ``x``, for the
  polyhedron operations in low dimension.

Bland's rule (smallest eligible index enters and leaves) prevents cycling; it holds over any
ordered field, including the lexicographic one. Problems are tiny, so dense lists are fastest.

Why integers: the engine solves tens of thousands of these tiny LPs, and rational arithmetic
(a gcd and an object per operation) dominated its run time. Each tableau row is kept as a list of
Python ints that represents the exact rational row up to a *positive* factor, reduced by the gcd of
its entries after every pivot (fraction-free elimination). Everything the pivot rules look at is
invariant under positive row scaling -- the sign of a reduced cost, which entries are zero, the
ratio ``rhs_i / a_i`` (compared by cross-multiplication) -- so the pivot sequence, and hence every
basis, point and value returned, is exactly the one the rational tableau would give. Rationals are
made only at the edge (inputs scaled to integers, outputs divided back).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd, lcm

from .affine import Q

ZERO = Q(0)
ONE = Q(1)


@dataclass
class LPResult:
    """Outcome of one solve: status is 'optimal', 'unbounded' or 'infeasible'.

    ``x`` is the primal point (optimal), ``ray`` an improving direction (unbounded), ``basis`` the
    basic column per kept row, ``value`` the first objective row's value at ``x``.
    """

    status: str
    x: list | None = None
    value: Q | None = None
    basis: tuple | None = None
    ray: list | None = None


def _integers(values) -> tuple:
    """``(ints, den)``: exact rationals as ``ints / den``, den the lcm of their denominators."""
    values = [v if isinstance(v, (int, Q)) else Q(v) for v in values]
    den = lcm(*[v.denominator for v in values]) if values else 1
    if den == 1:
        return [int(v) for v in values], 1
    return [int(v * den) for v in values], den


def _phase1_objective(T: list, scales: list, ncols: int) -> list:
    """Phase-1 objective: the sum of the (unscaled) rows over the first ncols columns and rhs,
    as an integer row with its denominator appended (see ``_objective``)."""
    den = lcm(*scales) if scales else 1
    obj = [0] * (len(T[0]) + 1) if T else [0, 1]
    for row, s in zip(T, scales):
        w = den // s
        for j in range(ncols):
            if row[j]:
                obj[j] += w * row[j]
        obj[-2] += w * row[-1]
    obj[-1] = den
    return obj


def _reduce(row: list) -> list:
    g = gcd(*row)
    if g > 1:
        return [v // g for v in row]
    return row


def _eliminate(other: list, f: int, p: int, nz: list) -> list:
    """``p * other - f * pivot_row`` (pivot row given by its non-zeros), gcd-reduced; p > 0."""
    if p != 1:
        other = [p * v for v in other]
    else:
        other = other[:]
    for j, v in nz:
        other[j] -= f * v
    return _reduce(other)


def _pivot(T: list, objs: list, r: int, c: int) -> None:
    """Pivot on T[r][c]: column c becomes basic in row r (rows and objectives up to a factor).
    Each changed row is replaced by a new list, never changed in place, so a tableau kept for
    later solves is copied by copying its list of rows (``StandardLP.solve``)."""
    row = T[r]
    p = row[c]
    if p < 0:
        row = [-v for v in row]
        p = -p
    row = _reduce(row)
    T[r] = row
    p = row[c]
    nz = [(j, v) for j, v in enumerate(row) if v]
    for i in range(len(T)):
        if i != r:
            f = T[i][c]
            if f:
                T[i] = _eliminate(T[i], f, p, nz)
    for k, ob in enumerate(objs):
        f = ob[c]
        if f:
            objs[k] = _eliminate(ob, f, p, nz)


def _lex_positive(objs: list, j: int) -> bool:
    for ob in objs:
        v = ob[j]
        if v > 0:
            return True
        if v < 0:
            return False
    return False


def _iterate(T: list, basis: list, objs: list, ncols: int, allowed=None):
    """Run simplex pivots until optimal; return None, or the entering column of an unbounded ray."""
    while True:
        enter = -1
        for j in range(ncols):
            if (allowed is None or allowed[j]) and _lex_positive(objs, j):
                enter = j
                break
        if enter < 0:
            return None
        leave = -1
        best_n = best_d = 0
        for i, row in enumerate(T):
            a = row[enter]
            if a > 0:
                rhs = row[-1]
                if leave >= 0:
                    lhs, cur = rhs * best_d, best_n * a  # rhs/a against best_n/best_d
                    if lhs > cur or (lhs == cur and basis[i] > basis[leave]):
                        continue
                best_n, best_d, leave = rhs, a, i
        if leave < 0:
            return enter
        _pivot(T, objs, leave, enter)
        basis[leave] = enter


def _objective(c: list, T: list, basis: list) -> list:
    """The objective row ``[reduced costs..., -value, den]`` in integers, basic columns eliminated.

    The row stands for ``entries / den``. ``den`` rides along as one extra entry, past the end of
    the tableau rows (where they are implicitly 0), so pivots scale it with the rest of the row and
    the value can be read back exactly by ``_value``.
    """
    width = len(T[0]) if T else len(c) + 1
    ob, den = _integers(list(c) + [0] * (width - len(c)))
    ob.append(den)
    for i, b in enumerate(basis):
        cb = ob[b]
        if cb:
            row = T[i]
            ob = _eliminate(ob, cb, row[b], [(j, v) for j, v in enumerate(row) if v])
    return ob


def _value(ob: list) -> Q:
    """The objective value of a row built by ``_objective``."""
    return Q(-ob[-2], ob[-1])


def _ray(T: list, basis: list, enter: int, ncols: int) -> list:
    ray = [ZERO] * ncols
    ray[enter] = ONE
    for i, b in enumerate(basis):
        ray[b] = Q(-T[i][enter], T[i][b])
    return ray


def _point(T: list, basis: list, ncols: int) -> list:
    x = [ZERO] * ncols
    for i, b in enumerate(basis):
        x[b] = Q(T[i][-1], T[i][b])
    return x


class StandardLP:
    """``E w = e, w >= 0`` with phase 1 done once; ``solve`` takes lexicographic objectives.

    ``feasible`` is False when the system has no solution. Redundant rows are dropped in phase 1.
    """

    def __init__(self, E: list, e: list):
        self.ncols = len(E[0]) if E else 0
        T, scales = [], []
        for row, rhs in zip(E, e):
            row, scale = _integers(list(row) + [rhs])
            if row[-1] < 0:
                row = [-v for v in row]
            T.append(row)
            scales.append(scale)
        self.feasible, self.T, self.basis = self._phase1(T, scales)

    def _phase1(self, T, scales):
        n, m = self.ncols, len(T)
        # artificial columns n..n+m-1 inserted before the rhs (coefficient 1 in the unscaled row)
        for i, row in enumerate(T):
            rhs = row.pop()
            row.extend(scales[i] if k == i else 0 for k in range(m))
            row.append(rhs)
        basis = list(range(n, n + m))
        objs = [_phase1_objective(T, scales, n)]
        _iterate(T, basis, objs, n + m)
        if objs[0][-2] != 0:
            return False, None, None
        # drive artificials out of the basis; drop rows that are redundant
        i = 0
        while i < len(T):
            if basis[i] >= n:
                j = next((j for j in range(n) if T[i][j]), -1)
                if j < 0:
                    del T[i]
                    del basis[i]
                    continue
                _pivot(T, [], i, j)
                basis[i] = j
            i += 1
        T = [row[:n] + [row[-1]] for row in T]
        return True, T, basis

    def solve(self, objectives: list) -> LPResult:
        """Maximize the lexicographic objective; warm-start from, and keep, the last optimum."""
        if not self.feasible:
            return LPResult("infeasible")
        T = self.T[:]  # rows are never changed in place (pivots replace them): a shallow copy
        basis = self.basis[:]
        n = self.ncols
        objs = [_objective(c, T, basis) for c in objectives]
        enter = _iterate(T, basis, objs, n)
        if enter is not None:
            return LPResult("unbounded", basis=tuple(basis), ray=_ray(T, basis, enter, n))
        self.T, self.basis = T, basis
        value = _value(objs[0]) if objs else ZERO
        return LPResult("optimal", x=_point(T, basis, n), value=value, basis=tuple(basis))


def integer_row(a: list, b) -> tuple:
    """``(ints, scale)`` for the row ``a.x + b >= 0``: ``ints = scale * (a..., b)`` as a tuple
    (hashable, so that whole LPs can be remembered), scale > 0.

    Callers that solve many LPs over the same rows cache this (see ``maximize_integer``)."""
    ints, scale = _integers(list(a) + [b])
    return tuple(ints), scale


def maximize(c: list, rows: list) -> LPResult:
    """Maximize ``c.x`` over free ``x`` subject to ``a.x + b >= 0`` for each ``(a, b)`` in rows.

    Converted to standard form with ``x = xp - xm`` and slacks; rows with ``b >= 0`` start with
    their slack basic, so phase 1 only handles the violated ones.
    """
    return maximize_integer(c, [integer_row(a, b) for a, b in rows])


def maximize_integer(c: list, rows: list, nonnegative: frozenset = frozenset()) -> LPResult:
    """``maximize`` with each row given as ``integer_row`` gives it (no rational arithmetic).

    ``nonnegative``: indices of variables known to be >= 0. Each is one column of its own
    instead of a difference of two, and needs no row ``x_k >= 0``: a smaller tableau for the
    same LP (the logs of names known >= 1 in ``theory.envelope_routes``, an interior point's
    margin in ``polyhedron``)."""
    q = len(c)
    m = len(rows)
    # a.x + b >= 0  <=>  -a.x + s = b, s >= 0; a free x_k = x+_k - x-_k, a non-negative one x+_k
    minus = {}  # free variable -> the column of its negative part
    for k in range(q):
        if k not in nonnegative:
            minus[k] = q + len(minus)
    nvars = q + len(minus)
    ncols = nvars + m
    T = []
    basis = []
    need_art = []
    scales = []
    for i, (vals, scale) in enumerate(rows):
        row = [0] * (ncols + 1)
        for k in range(q):
            v = vals[k]
            if v:
                row[k] = -v
                if k in minus:
                    row[minus[k]] = v
        row[nvars + i] = scale  # the row times its scale: the slack keeps coefficient 1 unscaled
        row[-1] = vals[-1]
        if row[-1] < 0:
            row = [-v for v in row]
            need_art.append(i)
        T.append(row)
        basis.append(nvars + i)
        scales.append(scale)
    total = ncols + len(need_art)
    if need_art:
        for row in T:
            rhs = row.pop()
            row.extend([0] * len(need_art))
            row.append(rhs)
        for k, i in enumerate(need_art):
            T[i][ncols + k] = scales[i]
            basis[i] = ncols + k
        objs = [_phase1_objective([T[i] for i in need_art], [scales[i] for i in need_art], ncols)]
        _iterate(T, basis, objs, total)
        if objs[0][-2] != 0:
            return LPResult("infeasible")
        for i in range(m):
            if basis[i] >= ncols:
                j = next((j for j in range(ncols) if T[i][j]), -1)
                if j >= 0:
                    _pivot(T, [], i, j)
                    basis[i] = j
        allowed = [True] * ncols + [False] * len(need_art)
    else:
        allowed = None
    cost = [0] * total
    for k, v in enumerate(c):
        cost[k] = v
        if k in minus:
            cost[minus[k]] = -v
    objs = [_objective(cost, T, basis)]
    enter = _iterate(T, basis, objs, total, allowed)
    w = _point(T, basis, total)
    x = [w[k] - w[minus[k]] if k in minus else w[k] for k in range(q)]
    if enter is not None:
        ray = _ray(T, basis, enter, total)
        return LPResult(
            "unbounded",
            x=x,
            ray=[ray[k] - ray[minus[k]] if k in minus else ray[k] for k in range(q)],
        )
    return LPResult("optimal", x=x, value=_value(objs[0]))
