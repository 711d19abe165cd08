"""A small exact linear-programming solver on Fractions: dense tableau simplex with Bland's rule.

Owns every LP the engine solves. Two entry points:

* ``StandardLP``: ``maximize c.w  s.t.  E w = e, w >= 0`` with a *lexicographic* objective (a list of
  cost rows, compared in order). The lexicographic objective is how the parametric solver evaluates
  the LP at an infinitesimally perturbed point ``p + e1*d1 + e2*d2 + ...`` exactly, so the optimal
  basis it returns is optimal on a full-dimensional set. Phase 1 is run once per constraint
  system; later solves warm-start from the last optimal tableau (the constraints never change,
  only the objective does).
* ``maximize(c, rows)``: ``maximize c.x  s.t.  a_i.x + b_i >= 0`` over free ``x``, for the
  polyhedron operations in low dimension.

Bland's rule (smallest eligible index enters and leaves) prevents cycling; it holds over any
ordered field, including the lexicographic one. Problems are tiny, so dense lists are fastest.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

ZERO = Fraction(0)
ONE = Fraction(1)


@dataclass
class LPResult:
    """Outcome of one solve: status is 'optimal', 'unbounded' or 'infeasible'.

    ``x`` is the primal point (optimal), ``ray`` an improving direction (unbounded), ``basis`` the
    basic column per kept row, ``value`` the first objective row's value at ``x``.
    """

    status: str
    x: list | None = None
    value: Fraction | None = None
    basis: tuple | None = None
    ray: list | None = None


def _pivot(T: list, objs: list, r: int, c: int) -> None:
    """Gauss-Jordan pivot on T[r][c], updating the objective rows too."""
    row = T[r]
    p = row[c]
    if p != ONE:
        row = [v / p for v in row]
        T[r] = row
    nz = [(j, v) for j, v in enumerate(row) if v]
    for i in range(len(T)):
        if i != r:
            other = T[i]
            f = other[c]
            if f:
                for j, v in nz:
                    other[j] -= f * v
    for ob in objs:
        f = ob[c]
        if f:
            for j, v in nz:
                ob[j] -= f * v


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
        best = None
        for i, row in enumerate(T):
            a = row[enter]
            if a > 0:
                ratio = row[-1] / a
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leave]):
                    best, leave = ratio, i
        if leave < 0:
            return enter
        _pivot(T, objs, leave, enter)
        basis[leave] = enter


class StandardLP:
    """``E w = e, w >= 0`` with phase 1 done once; ``solve`` takes lexicographic objectives.

    ``feasible`` is False when the system has no solution. Redundant rows are dropped in phase 1.
    """

    def __init__(self, E: list, e: list):
        self.ncols = len(E[0]) if E else 0
        T = []
        for row, rhs in zip(E, e):
            row = [Fraction(v) for v in row] + [Fraction(rhs)]
            if row[-1] < 0:
                row = [-v for v in row]
            T.append(row)
        self.feasible, self.T, self.basis = self._phase1(T)

    def _phase1(self, T):
        n, m = self.ncols, len(T)
        # artificial columns n..n+m-1 inserted before the rhs
        for i, row in enumerate(T):
            rhs = row.pop()
            row.extend(ONE if k == i else ZERO for k in range(m))
            row.append(rhs)
        basis = list(range(n, n + m))
        obj = [ZERO] * (n + m + 1)
        for row in T:
            for j in range(n):
                obj[j] += row[j]
            obj[-1] += row[-1]
        objs = [obj]
        _iterate(T, basis, objs, n + m)
        if objs[0][-1] != 0:
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
        T = [row[:] for row in self.T]
        basis = self.basis[:]
        objs = []
        for c in objectives:
            ob = [Fraction(v) for v in c] + [ZERO]
            for i, b in enumerate(basis):
                cb = ob[b]
                if cb:
                    row = T[i]
                    for j, v in enumerate(row):
                        if v:
                            ob[j] -= cb * v
            objs.append(ob)
        enter = _iterate(T, basis, objs, self.ncols)
        if enter is not None:
            ray = [ZERO] * self.ncols
            ray[enter] = ONE
            for i, b in enumerate(basis):
                ray[b] = -T[i][enter]
            return LPResult("unbounded", basis=tuple(basis), ray=ray)
        self.T, self.basis = T, basis
        x = [ZERO] * self.ncols
        for i, b in enumerate(basis):
            x[b] = T[i][-1]
        value = -objs[0][-1] if objs else ZERO
        return LPResult("optimal", x=x, value=value, basis=tuple(basis))


def maximize(c: list, rows: list) -> LPResult:
    """Maximize ``c.x`` over free ``x`` subject to ``a.x + b >= 0`` for each ``(a, b)`` in rows.

    Converted to standard form with ``x = xp - xm`` and slacks; rows with ``b >= 0`` start with
    their slack basic, so phase 1 only handles the violated ones.
    """
    q = len(c)
    m = len(rows)
    # a.x + b >= 0  <=>  -a.x + s = b, s >= 0
    ncols = 2 * q + m
    T = []
    basis = []
    need_art = []
    for i, (a, b) in enumerate(rows):
        row = [ZERO] * (ncols + 1)
        for k, v in enumerate(a):
            if v:
                row[k] = -v
                row[q + k] = v
        row[2 * q + i] = ONE
        row[-1] = Fraction(b)
        if row[-1] < 0:
            row = [-v for v in row]
            need_art.append(i)
        T.append(row)
        basis.append(2 * q + i)
    total = ncols + len(need_art)
    if need_art:
        for row in T:
            rhs = row.pop()
            row.extend([ZERO] * len(need_art))
            row.append(rhs)
        obj = [ZERO] * (total + 1)
        for k, i in enumerate(need_art):
            T[i][ncols + k] = ONE
            basis[i] = ncols + k
            row = T[i]
            for j in range(ncols):
                obj[j] += row[j]
            obj[-1] += row[-1]
        objs = [obj]
        _iterate(T, basis, objs, total)
        if objs[0][-1] != 0:
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
    ob = [ZERO] * (total + 1)
    for k, v in enumerate(c):
        ob[k] = Fraction(v)
        ob[q + k] = -Fraction(v)
    for i, b in enumerate(basis):
        cb = ob[b]
        if cb:
            for j, v in enumerate(T[i]):
                if v:
                    ob[j] -= cb * v
    objs = [ob]
    enter = _iterate(T, basis, objs, total, allowed)
    w = [ZERO] * total
    for i, b in enumerate(basis):
        w[b] = T[i][-1]
    x = [w[k] - w[q + k] for k in range(q)]
    if enter is not None:
        ray = [ZERO] * total
        ray[enter] = ONE
        for i, b in enumerate(basis):
            ray[b] = -T[i][enter]
        return LPResult("unbounded", x=x, ray=[ray[k] - ray[q + k] for k in range(q)])
    return LPResult("optimal", x=x, value=-ob[-1])
