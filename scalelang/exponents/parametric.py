"""The parametric solver: the leading-order minimum of one energy as a function of the scales.

Owns ``solve``, ``ValueFunction`` and ``Piece``. In log space the minimum is

    V(s) = min_u max_k (a_k.u + b_k(s))   s.t.  G u <= h(s),

an LP whose parameters enter only its right-hand side. Its dual ``max sum y_k b_k(s) - z.h(s)`` over
``{y, z >= 0, sum y = 1, A^T y + G^T z = 0}`` has a feasible set that does not depend on s, so a
dual basis is either feasible everywhere or nowhere, and it is optimal exactly where its primal
solution (affine in s) satisfies the other rows: its *critical region*.

Algorithm (exact, cell decomposition): take an uncovered full-dimensional polyhedron U of the
domain, an interior point p of U, and solve the dual at the infinitesimally perturbed point
``p + e1*x1 + e2*x2 + ...`` (a lexicographic objective), so the optimal basis has a full-dimensional
critical region CR. Record ``U & CR``, push ``U \\ CR`` (split along CR's facets) back on the queue.
A dual ray instead certifies that the bounds fail where ``z.h(s) < 0``. Each basis is found once,
so this terminates. Cells are then grouped by their value form into pieces (one per affine piece
of V); where no single basis is valid throughout a piece (rare, degenerate), the piece is kept
split into its cells, all with the same value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

from .affine import Affine, Q, frac
from .cone import Slice
from .errors import EngineError
from .polyhedron import Polyhedron, domain_polyhedron, merge_convex
from .program import Program
from .simplex import StandardLP, maximize

ZERO = Q(0)


@dataclass(frozen=True, eq=False)
class Piece:
    """One affine piece of the value function.

    ``value`` is log of the minimum over ``region``; ``optimum`` the log of each variational
    parameter (affine in the coordinates there); ``unique`` False when the optimum is a face and
    ``optimum`` is one vertex of it valid throughout the region; ``balanced`` the terms equal and
    maximal at the optimum; ``binding`` the bounds that hold with equality; ``term_values`` the
    log of every term at the optimum.
    """

    value: Affine
    region: Polyhedron
    optimum: dict
    unique: bool
    balanced: tuple
    binding: tuple
    term_values: dict = field(repr=False, default_factory=dict)

    def __repr__(self):
        opt = ", ".join(f"{k}={v}" for k, v in self.optimum.items())
        return (
            f"Piece(value={self.value}, where {self.region.describe()}, optimum {{{opt}}}"
            f"{'' if self.unique else ' (not unique)'}, balanced={self.balanced}, "
            f"binding={self.binding})"
        )


@dataclass(frozen=True, eq=False)
class ValueFunction:
    """V(s) for one program: convex, piecewise affine, one ``Piece`` per affine piece.

    ``feasible`` is where the bounds can all hold (a polyhedron within the domain), ``infeasible``
    the full-dimensional cells of the domain where they cannot.
    """

    program: Program
    coordinates: tuple
    domain: Polyhedron
    pieces: tuple
    infeasible: tuple
    feasible: Polyhedron
    sliced: tuple | None = field(default=None, repr=False)  # (Slice, ValueFunction on it)

    @property
    def forms(self) -> tuple:
        """The distinct value forms; V = max of them on ``feasible``."""
        seen = []
        for p in self.pieces:
            if p.value not in seen:
                seen.append(p.value)
        return tuple(seen)

    def value_at(self, point: Mapping[str, object]) -> Q | None:
        """log of the minimum at a point of the domain; None where the bounds cannot hold."""
        point = {k: frac(v) for k, v in point.items()}
        if not self.feasible.contains(point):
            return None
        return max(f(point) for f in self.forms)

    def piece_at(self, point: Mapping[str, object]) -> Piece | None:
        point = {k: frac(v) for k, v in point.items()}
        for p in self.pieces:
            if p.region.contains(point):
                return p
        return None

    def trace(self, render: Callable[[Affine], str] | None = None) -> str:
        from .trace import trace_value_function

        return trace_value_function(self, render)

    def __repr__(self):
        body = "; ".join(repr(p) for p in self.pieces)
        return f"ValueFunction({self.program.label or 'energy'}: {body})"


# ----------------------------------------------------------------------------------------------
# compiled form of a program: the dual LP and the primal solution of a basis


def lift_value_function(cut: Slice, reduced: "ValueFunction", program: Program) -> "ValueFunction":
    """The cone's ValueFunction of ``program`` from its solution on the slice ``cut`` (kept on it
    as ``sliced``, so that ``compare`` need not map it back down)."""
    pieces = tuple(_lift_piece(cut, p) for p in reduced.pieces)
    return ValueFunction(
        program,
        cut.coordinates,
        cut.domain,
        pieces,
        tuple(cut.up_polyhedron(c) for c in reduced.infeasible),
        cut.up_polyhedron(reduced.feasible),
        sliced=(cut, reduced),
    )


def _lift_piece(cut: Slice, piece: Piece) -> Piece:
    return Piece(
        cut.up(piece.value),
        cut.up_polyhedron(piece.region),
        {k: cut.up(v) for k, v in piece.optimum.items()},
        piece.unique,
        piece.balanced,
        piece.binding,
        {k: cut.up(v) for k, v in piece.term_values.items()},
    )


class _Compiled:
    """The dual standard-form LP of a program, and how to read a basis back in primal terms."""

    def __init__(self, program: Program, coordinates: tuple):
        self.program = program
        self.coordinates = coordinates
        self.variables = program.variables
        self.items = program.terms + program.bounds
        self.K = len(program.terms)
        E = [[1] * self.K + [0] * len(program.bounds)]
        for v in self.variables:
            E.append([item.exponent(v) for item in self.items])
        e = [1] + [0] * len(self.variables)
        self.lp = StandardLP(E, e)
        # dual objective per column: b_k(s) for terms, -h_j(s) for bounds
        self.col_forms = [t.scale_form for t in program.terms] + [
            -b.scale_form for b in program.bounds
        ]
        self.col_vecs = [f.vector(coordinates) for f in self.col_forms]

    def objectives(self, point: Mapping[str, Q]) -> list:
        """Lexicographic objective at ``point + e1*x1 + e2*x2 + ...`` (coordinates in order)."""
        p = [point[c] for c in self.coordinates]
        first = [
            f.const + sum(a * b for a, b in zip(vec, p) if a)
            for f, vec in zip(self.col_forms, self.col_vecs)
        ]
        rows = [first]
        for i in range(len(self.coordinates)):
            rows.append([vec[i] for vec in self.col_vecs])
        return rows

    def primal(self, basis) -> tuple:
        """(t, u, unique_rank) for a dual basis: the rows of the basic columns held with equality.

        Unknowns are (t, u_1..u_n); each basic term gives a.u - t = -b(s), each basic bound
        g.u = h(s). When the basis has fewer than n+1 columns (a direction the energy ignores) the
        undetermined unknowns are set to 0 (parameter 1).
        """
        n = len(self.variables)
        rows, rhs = [], []
        for j in basis:
            item = self.items[j]
            coeffs = [item.exponent(v) for v in self.variables]
            if j < self.K:
                rows.append([Q(-1)] + coeffs)
                rhs.append(-item.scale_form)
            else:
                rows.append([ZERO] + coeffs)
                rhs.append(item.scale_form)
        sol = _solve_affine_system(rows, rhs, n + 1)
        return sol[0], dict(zip(self.variables, sol[1:])), len(basis) == n + 1

    def slacks(self, t: Affine, u: Mapping[str, Affine]) -> list:
        """Slack of every row at the primal solution: t - term (terms), h - g.u (bounds).

        Each slack is summed in one dict of coefficients and made into a form once: there are
        as many as terms and bounds per basis, the bulk of the forms a solve makes."""
        out = []
        for j, item in enumerate(self.items):
            coeffs: dict = {}
            if j < self.K:
                const = _accumulate(coeffs, t, 1, ZERO)
                const = _accumulate(coeffs, item.scale_form, -1, const)
            else:
                const = _accumulate(coeffs, item.scale_form, 1, ZERO)
            for v, c in item.var_exponents:
                const = _accumulate(coeffs, u[v], -c, const)
            items = tuple(sorted((n, c) for n, c in coeffs.items() if c))
            out.append(Affine._exact(items, const))
        return out


def _accumulate(coeffs: dict, form: Affine, c, const):
    """``coeffs += c * form`` in place; returns ``const + c * form.const``."""
    get = coeffs.get
    for n, v in form._items:
        coeffs[n] = get(n, ZERO) + c * v
    return const + c * form.const if form.const else const


def _solve_affine_system(rows, rhs, nunk) -> list:
    """Gauss-Jordan on a full-row-rank system with Affine right-hand sides; free unknowns = 0.

    The right-hand sides ride along as extra columns (their coefficients and constant), so the
    elimination is on plain lists of rationals and Affines are built once, for the answer."""
    names = sorted({n for form in rhs for n in form.names})
    width = nunk + len(names) + 1
    table = [list(r) + form.vector(names) + [form.const] for r, form in zip(rows, rhs)]
    pivots = []
    r = 0
    for c in range(nunk):
        piv = next((i for i in range(r, len(table)) if table[i][c]), None)
        if piv is None:
            continue
        table[r], table[piv] = table[piv], table[r]
        p = table[r][c]
        if p != 1:
            table[r] = [v / p for v in table[r]]
        row = table[r]
        nonzero = [j for j in range(width) if row[j]]
        for i in range(len(table)):
            f = table[i][c] if i != r else 0
            if f:
                other = table[i]
                for j in nonzero:
                    other[j] -= f * row[j]
        pivots.append(c)
        r += 1
        if r == len(table):
            break
    sol = [Affine()] * nunk
    for i, c in enumerate(pivots):  # free unknowns are 0, so the pivot row reads x_c = rhs
        values = table[i][nunk:]
        sol[c] = Affine(dict(zip(names, values[:-1])), values[-1])
    return sol


@dataclass
class _Cell:
    basis: tuple
    t: Affine
    u: dict
    slacks: list
    region: Polyhedron
    full_rank: bool


# ----------------------------------------------------------------------------------------------


def solve(program: Program, coordinates, domain, *, render=None) -> ValueFunction:
    """The leading-order minimum of ``program`` over the domain, as a ``ValueFunction``.

    ``coordinates`` names the parameters the answer depends on; every scale form is an Affine
    over them. ``domain`` is an iterable of ``Affine >= 0`` (e.g. every coordinate >= 0).
    Raises EngineError if the energy is unbounded below, or the bounds fail on the whole domain.
    """
    vf = _solve(program, tuple(coordinates), domain, strict=True)
    return vf


def solve_relaxed(program: Program, coordinates, domain) -> tuple:
    """``(status, ValueFunction | None)`` without raising for unbounded or infeasible energies.

    status is 'ok', 'unbounded' (the minimum is -infinity: no lower bound) or 'infeasible' (the
    bounds fail on the whole domain). For lower bounds in branch-and-bound, where a partial
    energy may be unbounded.
    """
    try:
        vf = _solve(program, tuple(coordinates), domain, strict=False)
    except _Unbounded:
        return "unbounded", None
    return ("ok", vf) if vf is not None else ("infeasible", None)


class _Unbounded(Exception):
    pass


def _solve(program, coordinates, domain, strict) -> ValueFunction | None:
    program.check(coordinates)
    dom = domain if isinstance(domain, Polyhedron) else domain_polyhedron(coordinates, domain)
    if not dom.is_full_dimensional():
        raise EngineError(f"the domain {dom.describe()} has no interior")
    cut = Slice.find(coordinates, dom, [item.scale_form for item in program.terms + program.bounds])
    if cut is not None:
        reduced = _solve_on(cut.down_program(program), cut.reduced, cut.reduced_domain, strict)
        return None if reduced is None else lift_value_function(cut, reduced, program)
    return _solve_on(program, coordinates, dom, strict)


def _solve_on(program, coordinates, dom, strict) -> ValueFunction | None:
    comp = _Compiled(program, coordinates)
    if not comp.lp.feasible:
        if strict:
            raise _unbounded_error(program)
        raise _Unbounded()
    cells, infeasible, rays = _decompose(comp, dom)
    if not cells:
        if strict:
            raise _infeasible_error(program, comp, infeasible)
        return None
    feasible = Polyhedron.make(
        coordinates, dom.inequalities + tuple(r for r, _ in rays)
    ).irredundant()
    pieces = _pieces(comp, cells, feasible)
    return ValueFunction(
        program, coordinates, dom, tuple(pieces), tuple(cell for cell, _ in infeasible), feasible
    )


def _decompose(comp: _Compiled, dom: Polyhedron):
    """Cover the domain by critical regions (and infeasible cells); see the module docstring."""
    coords = comp.coordinates
    K = comp.K
    queue = [dom]
    cells, infeasible, rays = [], [], []
    while queue:
        U = queue.pop()
        p = U.interior_point()
        res = comp.lp.solve(comp.objectives(p))
        if res.status == "unbounded":
            # along the ray the dual objective -sum z_j h_j(s) grows: bounds fail where g(s) < 0
            g = Affine()
            for j, z in enumerate(res.ray[K:]):
                if z:
                    g = g + comp.program.bounds[j].scale_form * z
            bad = Polyhedron.make(coords, U.inequalities + (-g,))
            infeasible.append((bad.irredundant(), res.ray))
            rays.append((g, res.ray))
            good = Polyhedron.make(coords, U.inequalities + (g,))
            if good.is_full_dimensional():
                queue.append(good.irredundant())
            continue
        t, u, full_rank = comp.primal(res.basis)
        slacks = comp.slacks(t, u)
        region = Polyhedron.make(
            coords, U.inequalities + tuple(s for s in slacks if not s.is_constant())
        )
        region = region.offer_point(p).irredundant()  # p is inside unless the basis is degenerate
        cells.append(_Cell(res.basis, t, u, slacks, region, full_rank))
        old = set(U.inequalities)
        acc = list(U.inequalities)
        for g in region.inequalities:
            if g in old:
                continue
            rest = Polyhedron.make(coords, acc + [-g])
            if rest.is_full_dimensional():
                queue.append(rest.irredundant())
            acc.append(g)
    return cells, infeasible, rays


def _pieces(comp: _Compiled, cells: list, feasible: Polyhedron) -> list:
    """Group cells by value form; one piece per form where one basis covers it."""
    forms = []
    for c in cells:
        if c.t not in forms:
            forms.append(c.t)
    pieces = []
    for f in forms:
        mine = [c for c in cells if c.t == f]
        region = Polyhedron.make(
            comp.coordinates, feasible.inequalities + tuple(f - g for g in forms if g != f)
        )
        # a point inside a cell of f is inside f's region: no other form ties there
        inside = next((q for q in (c.region.known_point() for c in mine) if q is not None), None)
        region = region.offer_point(inside).irredundant()
        if not region.is_full_dimensional():
            continue
        chosen = next((c for c in mine if all(region.implies(s) for s in c.slacks)), None)
        if chosen is not None:
            pieces.append(_make_piece(comp, f, region, chosen))
        else:
            pieces.extend(_make_piece(comp, f, merged, c) for merged, c in _same_optimum(mine))
    return pieces


def _same_optimum(cells: list) -> list:
    """``[(region, cell), ...]``: cells whose bases give the same optimum, merged where their
    union is convex. One optimum means the same slacks, hence the same active set, and (the
    slacks being affine) it holds on the convex union; a degenerate form then keeps one piece
    per optimum, not one per basis. A full-rank basis is preferred as the representative."""
    groups: dict = {}
    for c in sorted(cells, key=lambda c: not c.full_rank):
        groups.setdefault(tuple(sorted(c.u.items())), []).append(c)
    return [
        merged
        for group in groups.values()
        for merged in merge_convex([(c.region, c) for c in group])
    ]


def _make_piece(comp: _Compiled, value: Affine, region: Polyhedron, cell: _Cell) -> Piece:
    terms, bounds = comp.program.terms, comp.program.bounds
    K = comp.K
    balanced = tuple(t.label for t, s in zip(terms, cell.slacks[:K]) if s.is_zero())
    binding = tuple(b.label for b, s in zip(bounds, cell.slacks[K:]) if s.is_zero())
    tight = [item for item, s in zip(comp.items, cell.slacks) if s.is_zero()]
    unique = cell.full_rank and _pointed(comp.variables, tight)
    term_values = {t.label: value - s for t, s in zip(terms, cell.slacks[:K])}
    return Piece(value, region, dict(cell.u), unique, balanced, binding, term_values)


def _pointed(variables, tight) -> bool:
    """True if {du : a.du <= 0 for the tight rows} = {0}, i.e. the optimum is unique.

    Holds iff the rows have rank n and some strictly positive y has y^T M = 0 (Stiemke).
    """
    n = len(variables)
    if n == 0:
        return True
    return _pointed_rows(n, tuple(tuple(item.exponent(v) for v in variables) for item in tight))


@lru_cache(maxsize=1 << 14)
def _pointed_rows(n: int, M: tuple) -> bool:
    """``_pointed`` of the tight rows' exponents ``M`` over ``n`` variables. Remembered: the
    programs compared in one run share terms and bounds, and so tight sets, piece after piece."""
    M = [list(row) for row in M]
    if _rank(M) < n:
        return False
    # y = 1 + w, w >= 0:  M^T w = -M^T 1
    E = [[M[i][k] for i in range(len(M))] for k in range(n)]
    e = [-sum(M[i][k] for i in range(len(M))) for k in range(n)]
    return StandardLP(E, e).feasible


def _rank(M) -> int:
    rows = [r[:] for r in M]
    rank, ncol = 0, len(rows[0]) if rows else 0
    for c in range(ncol):
        piv = next((i for i in range(rank, len(rows)) if rows[i][c]), None)
        if piv is None:
            continue
        rows[rank], rows[piv] = rows[piv], rows[rank]
        for i in range(rank + 1, len(rows)):
            if rows[i][c]:
                f = rows[i][c] / rows[rank][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
    return rank


# ----------------------------------------------------------------------------------------------
# errors that name what is wrong


def _unbounded_error(program: Program) -> EngineError:
    """Find a direction that lowers every term without breaking a bound, and name it."""
    variables = program.variables
    rows = [([-c for c in (t.exponent(v) for v in variables)], Q(-1)) for t in program.terms]
    rows += [([-c for c in (b.exponent(v) for v in variables)], ZERO) for b in program.bounds]
    res = maximize([ZERO] * len(variables), rows)
    if res.status == "infeasible" or res.x is None:  # pragma: no cover - Farkas says impossible
        return EngineError("the energy is unbounded below")
    du = dict(zip(variables, res.x))
    clauses = []
    for v, d in du.items():
        if not d:
            continue
        pulling = [t.label for t in program.terms if t.exponent(v) * d < 0]
        where = f" in {', '.join(repr(label) for label in pulling)}" if pulling else ""
        if d > 0:
            clauses.append(f"nothing bounds {v} from above{where}; add a bound such as {v} <= N")
        else:
            clauses.append(f"nothing bounds {v} from below{where}; add a bound such as 1 <= {v}")
    moving = ", ".join(f"{v} {'grows' if d > 0 else 'shrinks'}" for v, d in du.items() if d)
    return EngineError(
        f"the energy is unbounded below: every term decreases as {moving}: " + "; ".join(clauses)
    )


def _infeasible_error(program: Program, comp: _Compiled, infeasible) -> EngineError:
    K = comp.K
    labels = []
    for _, ray in infeasible:
        for j, z in enumerate(ray[K:]):
            if z and program.bounds[j].label not in labels:
                labels.append(program.bounds[j].label)
    names = ", ".join(repr(label) for label in labels)
    return EngineError(
        f"the bounds cannot all hold anywhere in the domain (only possibly on its "
        f"boundary): {names} conflict"
    )
