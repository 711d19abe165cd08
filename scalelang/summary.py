"""The short human-readable answer of ``scalelang solve``: P*, mechanism, optimum, runner-up, phases.

Owns plain-text rendering of a solution's JSON (``Solution.to_json()``); it reads only that dict, so
it does not depend on the solver. Reports in Markdown, HTML and LaTeX live elsewhere.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from functools import lru_cache


def mechanism(patterns: dict, locked: dict | None = None) -> str:
    """``h1=gp, h2=spec``; with ``locked``, each departing layer says its feature:
    ``h1=gp, h2=spec on He1(w . x)``."""
    locked = locked or {}
    return ", ".join(f"{layer}={locked.get(layer, pattern)}" for layer, pattern in patterns.items())


@lru_cache(maxsize=4096)
def pretty(text: str, order: tuple = ()) -> str:
    """A monomial or relation as JSON writes it (sympy's ``sqrt(N)*sqrt(d)*kappa``,
    ``Eq(N, d**5)``) as a theorist writes it: ``kappa sqrt(d N)``, ``N = d^5`` (the reports'
    grouping, ``report.mathfmt``, in plain text). Anything else is left as it is."""
    import re
    from tokenize import TokenError

    import sympy

    from scalelang.report import mathfmt

    # Python's parser folds names (NFKC: a scale ℓ would read l): other names than ASCII ones
    # are parsed under stand-ins and printed under their own.
    names = sorted(set(re.findall(r"[^\W\d]\w*", text)) - set(_FUNCTIONS))
    alias = {n: n if n.isascii() else f"_u{i}" for i, n in enumerate(names)}
    parsed = re.sub(r"[^\W\d]\w*", lambda m: alias.get(m.group(0), m.group(0)), text)
    own = {stand_in: name for name, stand_in in alias.items()}
    quick = _pretty_monomials(parsed, order, own)
    if quick is not None:
        return quick
    symbols = {alias[n]: sympy.Symbol(n, positive=True) for n in names}
    try:
        expr = _parse(parsed, symbols)
        kappa = symbols.get(alias.get("kappa", "kappa"))
        if kappa is not None and not isinstance(expr, sympy.core.relational.Relational):
            power = sympy.degree(expr, kappa) if expr.is_polynomial(kappa) else None
            if power:  # kappa stands apart: P* = kappa E
                return _kappa_first(power, mathfmt.from_sympy(expr / kappa**power, order).plain())
        return mathfmt.from_sympy(expr, order).plain()
    except (sympy.SympifyError, TokenError, TypeError, ValueError, SyntaxError, NotImplementedError,
            NameError):
        return text


def _kappa_first(power, rest: str) -> str:
    """kappa^power before the rest of a monomial, as P* = kappa E is written."""
    head = "kappa" if power == 1 else f"kappa^{power}"
    return head if rest == "1" else f"{head} {rest}"


def _pretty_monomials(text: str, order: tuple, own: dict) -> str | None:
    """``pretty`` without sympy for the common case, a monomial with rational exponents or a
    relation between two (most of a large answer's lines): building sympy objects only to print
    them again cost more than the solve. None for anything else (``pretty`` then asks sympy).
    ``own``: the names the parsed text's stand-ins stand for."""
    from scalelang.report import mathfmt

    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(tree, ast.Compare) and len(tree.ops) == 1:
        sides, sign = (tree.left, tree.comparators[0]), _SIGNS.get(type(tree.ops[0]))
    elif isinstance(tree, ast.Call) and getattr(tree.func, "id", None) == "Eq" and len(tree.args) == 2:
        sides, sign = tuple(tree.args), "=="
    else:
        powers = _powers(tree, own)
        if powers is None:
            return None
        kappa = powers.pop("kappa", 0)
        rest = mathfmt.monomial(powers, order).plain()
        if not kappa:
            return rest
        if kappa.denominator > 1:  # as sympy's path prints it (no polynomial in kappa)
            return None
        return _kappa_first(kappa, rest)
    left, right = (_powers(side, own) for side in sides)
    if sign is None or left is None or right is None:
        return None
    return mathfmt.Row((mathfmt.monomial(left, order), mathfmt.op(*mathfmt.RELATIONS[sign]),
                        mathfmt.monomial(right, order))).plain()


def _powers(node, own: dict) -> dict | None:
    """{name: exponent} of a printed monomial (products, quotients, powers with rational
    exponents, sqrt), or None."""
    if isinstance(node, ast.Name):
        return {own.get(node.id, node.id): Fraction(1)}
    if isinstance(node, ast.Constant) and node.value == 1:
        return {}
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "sqrt" and len(node.args) == 1:
        inner = _powers(node.args[0], own)
        return None if inner is None else {k: v / 2 for k, v in inner.items()}
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        left, right = _powers(node.left, own), _powers(node.right, own)
        if left is None or right is None:
            return None
        sign = 1 if isinstance(node.op, ast.Mult) else -1
        for k, v in right.items():
            left[k] = left.get(k, 0) + sign * v
        return {k: v for k, v in left.items() if v}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        base, exponent = _powers(node.left, own), _number(node.right)
        return None if base is None or exponent is None else {k: v * exponent for k, v in base.items()}
    return None


def _number(node):
    """A rational constant written with integers, - and /, else None."""

    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return Fraction(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _number(node.operand)
        return None if value is None else -value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        top, bottom = _number(node.left), _number(node.right)
        return None if top is None or not bottom else top / bottom
    return None


_FUNCTIONS = ("sqrt", "Eq", "exp", "log")
_SIGNS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}  # ast's -> sympy's rel_op
_NODES = ("Expression", "BinOp", "UnaryOp", "Call", "Name", "Constant", "Compare", "Load", "Add",
          "Sub", "Mult", "Div", "Pow", "USub", "UAdd", "Lt", "LtE", "Gt", "GtE")


def _parse(text: str, symbols: dict):
    """sympy's printed form back to sympy, through Python's own parser: sympy's ``parse_expr``
    tokenizes in Python and took half of a large answer's printing time. Integers become sympy's,
    so that 3/2 stays exact; anything but arithmetic, comparisons and the few functions sympy
    prints is refused (ValueError)."""
    import sympy

    tree = ast.parse(text, mode="eval")
    for node in ast.walk(tree):
        if type(node).__name__ not in _NODES or (
                isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                                    and node.func.id in _FUNCTIONS)):
            raise ValueError(f"not a printed expression: {text}")

    class Exact(ast.NodeTransformer):
        def visit_Constant(self, node):
            if not isinstance(node.value, int):
                raise ValueError(f"not an exact number in {text}")
            return ast.Call(ast.Name("Integer", ast.Load()), [node], [])

        def visit_Compare(self, node):  # unevaluated: sympy would ask its assumptions (slow)
            self.generic_visit(node)
            if len(node.ops) != 1:
                raise ValueError(f"a chained comparison in {text}")
            sign = ast.Constant(_SIGNS[type(node.ops[0])])
            return ast.Call(ast.Name("Rel", ast.Load()), [node.left, node.comparators[0], sign], [])

    tree = ast.fix_missing_locations(Exact().visit(tree))
    namespace = {**symbols, "Integer": sympy.Integer, "sqrt": sympy.sqrt,
                 "Eq": lambda a, b: sympy.Eq(a, b, evaluate=False),
                 "Rel": lambda a, b, sign: sympy.Rel(a, b, sign, evaluate=False),
                 "exp": sympy.exp, "log": sympy.log}
    return eval(compile(tree, "<printed>", "eval"), {"__builtins__": {}}, namespace)


WIDTH = 200  # a terminal line longer than this lists a tie as sets (``_tied_lines``)


def _tied_lines(indent: str, winner: dict, tied: list, all_ties: bool) -> list:
    """``tied with: a; b; c`` when that is short (or ``all_ties``); else the count and the whole
    tie, winner included, as a union of per-layer choice sets (``scalelang.ties``), one product
    a line, each line under ``WIDTH`` characters."""
    from scalelang.ties import boxes, describe

    line = indent + "tied with: " + "; ".join(mechanism(p) for p in tied)
    if all_ties or len(line) <= WIDTH:
        return [line]
    cover = boxes([winner] + list(tied))
    out = [f"{indent}tied with {len(tied)} others (solve --ties lists them); the {len(tied) + 1} "
           f"tied assignments are those with"]
    for i, box in enumerate(cover):
        text = ("  or " if i else "     ") + describe(box)
        while len(indent + text) > WIDTH:  # a long product wraps at a layer
            cut = text.rfind(", ", 0, WIDTH - len(indent))
            out.append(indent + text[:cut + 1])
            text = "       " + text[cut + 2:]
        out.append(indent + text)
    return out


def summary(data: dict, all_ties: bool = False) -> str:
    order = tuple(data["coordinates"])
    show = lambda text: pretty(text, order)  # noqa: E731
    noise = data.get("noise", "kappa")
    named = "" if noise == "kappa" else f"; kappa is the noise {noise}"
    lines = [f"{data['problem']}: predict {data['predict']} (P* = kappa * E to leading order{named})"]
    star = data["p_star"]
    if star is not None:
        lines.append(f"  P* ~ {show(star['expr'])}")
        lines.append(f"  mechanism: {mechanism(star['patterns'], star['locked'])}")
        if star["optimum"]:
            lines.append("  optimum: " + ", ".join(f"{k} ~ {show(v)}" for k, v in star["optimum"].items()))
        if star["tied"]:
            lines += _tied_lines("  ", star["patterns"], star["tied"], all_ties)
        runners = runners_up(data, star["patterns"])
        if runners:
            names = "; ".join(mechanism(r["patterns"]) for r in runners)
            tied = " (tied)" if len(runners) > 1 else ""
            lines.append(f"  runner-up: {names}{tied} with E ~ {show(runners[0]['energy'])}")
    else:
        lines.append(f"  P* is piecewise in ({', '.join(data['coordinates'])}): "
                     f"{len(data['phases'])} phases")
        for phase in data["phases"]:
            where = " and ".join(show(r) for r in phase["region"]) or "everywhere"
            lines.append(f"  - {mechanism(phase['patterns'], phase['locked'])}: P* ~ {show(phase['p_star'])}  "
                         f"where {where}")
            if phase["optimum"]:
                lines.append("      optimum: " + ", ".join(f"{k} ~ {show(v)}"
                                                           for k, v in phase["optimum"].items()))
            if phase["tied"]:
                lines += _tied_lines("      ", phase["patterns"], phase["tied"], all_ties)
    if data["boundaries"]:
        lines.append("  phase boundaries:")
        for boundary in data["boundaries"]:
            a, b = boundary["between"]
            lines.append(f"    {show(boundary['relation'])}   ({mechanism(a)} | {mechanism(b)})")
    if "assignments" not in data:
        count = data.get("n_assignments")
        lines.append(f"  {count} pattern assignments compared; each one's own energy on request "
                     "(solve --assignments)" if count is not None else
                     "  each assignment's own energy on request (solve --assignments)")
    else:
        lines.append("  assignments (energy E where no bound binds, and where that holds):")
    for entry in data.get("assignments", ()):
        energy = show(entry["energy"]) if entry["energy"] is not None else f"- ({entry['status']})"
        where = " and ".join(show(r) for r in entry.get("region") or [])
        lines.append(f"    {mechanism(entry['patterns']):<32} {energy}" + (f"  where {where}" if where else ""))
    for caveat in data["caveats"]:
        lines.append(f"  caveat: {caveat}")
    return "\n".join(lines)


def runners_up(data: dict, winner: dict) -> list:
    """The other assignments with the least headline energy exponent (all of them when several
    tie), compared by their exponents at the winning point (only meaningful in one coordinate or
    along p_star's single monomial)."""
    others = [a for a in data.get("assignments", ()) if a["patterns"] != winner and a["energy"] is not None
              and a["patterns"] not in data["p_star"]["tied"]]
    if not others or len(data["coordinates"]) != 1:
        return []
    from fractions import Fraction

    def size(entry):
        exps = entry["exponents"]
        try:
            return sum(Fraction(v) for v in exps.values())
        except ValueError:
            return Fraction(10**9)
    sized = [(size(a), a) for a in others]
    least = min(s for s, _ in sized)
    return [a for s, a in sized if s == least]

