"""The short human-readable answer of ``scalelang solve``: P*, mechanism, optimum, runner-up, phases.

Owns plain-text rendering of a solution's JSON (``Solution.to_json()``); it reads only that dict, so
it does not depend on the solver. Reports in Markdown, HTML and LaTeX live elsewhere.
"""

from __future__ import annotations

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

    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text)) - {"sqrt", "Eq", "exp", "log"}
    symbols = {n: sympy.Symbol(n, positive=True) for n in names}
    try:
        expr = sympy.parse_expr(text, local_dict=symbols)
        kappa = symbols.get("kappa")
        if kappa is not None and not isinstance(expr, sympy.core.relational.Relational):
            power = sympy.degree(expr, kappa) if expr.is_polynomial(kappa) else None
            if power:  # kappa stands apart: P* = kappa E
                rest = mathfmt.from_sympy(expr / kappa**power, order).plain()
                head = "kappa" if power == 1 else f"kappa^{power}"
                return head if rest == "1" else f"{head} {rest}"
        return mathfmt.from_sympy(expr, order).plain()
    except (sympy.SympifyError, TokenError, TypeError, ValueError, SyntaxError, NotImplementedError):
        return text


def summary(data: dict) -> str:
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
            lines.append("  tied with: " + "; ".join(mechanism(p) for p in star["tied"]))
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
                lines.append("      tied with: " + "; ".join(mechanism(p) for p in phase["tied"]))
    if data["boundaries"]:
        lines.append("  phase boundaries:")
        for boundary in data["boundaries"]:
            a, b = boundary["between"]
            lines.append(f"    {show(boundary['relation'])}   ({mechanism(a)} | {mechanism(b)})")
    lines.append("  assignments (energy E where no bound binds, and where that holds):")
    for entry in data["assignments"]:
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
    others = [a for a in data["assignments"] if a["patterns"] != winner and a["energy"] is not None
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
