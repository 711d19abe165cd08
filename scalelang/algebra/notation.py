"""Mathematics for the reports: one small expression tree printed as LaTeX and as MathML.

Owns how scalelang's answers look on the page. Monomials are grouped the way a theorist writes
them, with one common root: ``(N1 N2 d)^(1/3)``, ``sqrt(N2 d)``, ``(N2^2/(N1 d))^(1/3)``; powers of
d with affine exponents in free exponents print as ``d^((3 a2 + 3)/4)``. Every exponent is an
exact rational; nothing here touches floats.

LaTeX is used by the Markdown (``$...$``) and LaTeX reports and by the diagram's labels
(matplotlib mathtext). MathML (presentation, MathML Core) is used by the HTML report: browsers
render it natively, offline, with no script, so the HTML report stays one self-contained file.
The LaTeX source travels with every ``<math>`` element as ``alttext``.

This module reads sympy expressions and ``Affine`` forms; it knows nothing about solutions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import sympy

GREEK = {
    "alpha": ("\\alpha", "\u03b1"),
    "beta": ("\\beta", "\u03b2"),
    "gamma": ("\\gamma", "\u03b3"),
    "delta": ("\\delta", "\u03b4"),
    "epsilon": ("\\epsilon", "\u03b5"),
    "eta": ("\\eta", "\u03b7"),
    "kappa": ("\\kappa", "\u03ba"),
    "lambda": ("\\lambda", "\u03bb"),
    "mu": ("\\mu", "\u03bc"),
    "nu": ("\\nu", "\u03bd"),
    "rho": ("\\rho", "\u03c1"),
    "sigma": ("\\sigma", "\u03c3"),
    "tau": ("\\tau", "\u03c4"),
    "theta": ("\\theta", "\u03b8"),
    "phi": ("\\phi", "\u03c6"),
    "psi": ("\\psi", "\u03c8"),
    "omega": ("\\omega", "\u03c9"),
    "xi": ("\\xi", "\u03be"),
    "zeta": ("\\zeta", "\u03b6"),
    "chi": ("\\chi", "\u03c7"),
}

# pdflatex reads UTF-8 but knows no Greek letters: names such as δ or Λ (a scale) are declared,
# in text and in mathematics alike, as the letters of the maths fonts (capitals without a
# command of their own are the Latin ones they look like).
_GREEK_LOWER = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho "
    "varsigma sigma tau upsilon phi chi psi omega"
).split()
_GREEK_UPPER = (
    "A B Gamma Delta E Z H Theta I K Lambda M N Xi O Pi P - Sigma T Upsilon Phi X Psi Omega"
).split()
UNICODE_GREEK_TEX = tuple(  # (code point, command) for the .tex preamble
    (f"{first + i:04X}", name if len(name) == 1 else "\\" + name)
    for first, names in ((0x3B1, _GREEK_LOWER), (0x391, _GREEK_UPPER))
    for i, name in enumerate(names)
    if name != "-"
)
_GREEK_LETTERS = frozenset(chr(int(code, 16)) for code, _ in UNICODE_GREEK_TEX)


# ---- the tree ------------------------------------------------------------------------------------
class Node:
    def latex(self) -> str:
        raise NotImplementedError

    def mathml(self) -> str:
        raise NotImplementedError

    def plain(self) -> str:
        """Plain text for a terminal: d^(3/2), (N1 N2 d)^(1/3), sqrt(N d), N >= d^5."""
        raise NotImplementedError

    def atomic(self) -> bool:
        """True when the node needs no parentheses as a base of a power."""
        return False


def exact(value) -> Fraction:
    """A plain ``Fraction`` with int parts of any exact rational: an int, a Fraction, or the
    engine's gmpy2 ``mpq`` (whose parts are mpz: ``Fraction(mpq)`` would keep them, and such a
    Fraction does not compare with an mpq)."""
    return Fraction(int(value.numerator), int(value.denominator))


@dataclass(frozen=True)
class Sym(Node):
    """A name; trailing digits become a subscript (N1 -> N_1), Greek names their letter, and a
    name with an underscore a subscripted name (sigma_w -> sigma_w)."""

    name: str

    def _parts(self):
        m = re.fullmatch(r"([^\W\d_]+?)_?(\d+|_[^\W_]+)?", self.name)
        if not m:
            return self.name, None
        base, sub = m.group(1), m.group(2)
        if sub and sub.startswith("_"):
            sub = sub[1:]
        return base, sub

    def latex(self) -> str:
        base, sub = self._parts()
        if base in GREEK:
            text = GREEK[base][0]
        elif not base.isascii() and not all(c in _GREEK_LETTERS for c in base):
            text = f"\\text{{{base}}}"  # Ñ: an accent LaTeX makes only in text
        else:
            text = base if len(base) == 1 else f"\\mathrm{{{base}}}"
        return f"{text}_{{{sub}}}" if sub else text

    def mathml(self) -> str:
        base, sub = self._parts()
        letter = GREEK.get(base, (None, base))[1]
        mi = f"<mi>{html.escape(letter)}</mi>"
        if not sub:
            return mi
        tag = "mn" if sub.isdigit() else "mi"
        return f"<msub>{mi}<{tag}>{html.escape(sub)}</{tag}></msub>"

    def plain(self) -> str:
        return self.name

    def atomic(self) -> bool:
        return True


@dataclass(frozen=True)
class Num(Node):
    value: Fraction

    def latex(self) -> str:
        v = exact(self.value)
        if v.denominator == 1:
            return str(v.numerator)
        sign = "-" if v < 0 else ""
        return f"{sign}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"

    def mathml(self) -> str:
        v = exact(self.value)
        if v.denominator == 1:
            return (
                f"<mn>{v.numerator}</mn>"
                if v >= 0
                else f"<mrow><mo>-</mo><mn>{-v.numerator}</mn></mrow>"
            )
        frac = f"<mfrac><mn>{abs(v.numerator)}</mn><mn>{v.denominator}</mn></mfrac>"
        return frac if v > 0 else f"<mrow><mo>-</mo>{frac}</mrow>"

    def plain(self) -> str:
        v = exact(self.value)
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"

    def atomic(self) -> bool:
        v = exact(self.value)
        return v.denominator == 1 and v >= 0


@dataclass(frozen=True)
class Raw(Node):
    """Text typeset upright (an operator, a word, a function name such as He_3)."""

    tex: str
    ml: str
    text: str | None = None  # the plain form; by default the MathML's characters

    def latex(self) -> str:
        return self.tex

    def mathml(self) -> str:
        return self.ml

    def plain(self) -> str:
        if self.text is not None:
            return self.text
        return html.unescape(re.sub(r"<[^>]+>", "", self.ml))

    def atomic(self) -> bool:
        return True


_ASCII = {"\u2264": "<=", "\u2265": ">=", "\u2212": "-", "\u223c": "~", "\u22c5": "."}


def op(tex: str, char: str) -> Raw:
    return Raw(tex, f"<mo>{html.escape(char)}</mo>", _ASCII.get(char, char))


def _math_word(word: str) -> str:
    escaped = re.sub(r"([_%&#${}])", r"\\\1", word)
    return f"\\mathrm{{{escaped}}}"


def text(words: str) -> Raw:
    """Words inside mathematics. A character LaTeX reserves (``h_1``, ``50%``) would break the
    ``\\text{}``, and its escape there is not understood by every renderer (MathJax shows
    ``\\_`` literally), so each word that has one leaves the text for ``\\mathrm`` with the
    math-mode escape, which LaTeX, MathJax, KaTeX and matplotlib all read."""
    parts = re.split(r"(\S*[_%&#${}]\S*)", words)
    tex = "".join(
        _math_word(part) if i % 2 else (f"\\text{{{part}}}" if part else "")
        for i, part in enumerate(parts)
    )
    return Raw(tex, f"<mtext>{html.escape(words)}</mtext>", words)


@dataclass(frozen=True)
class Row(Node):
    """Juxtaposition: items side by side (a product is a Row of factors with thin spaces)."""

    items: tuple
    sep: str = " "

    def latex(self) -> str:
        return self.sep.join(i.latex() for i in self.items)

    def mathml(self) -> str:
        return "<mrow>" + "".join(i.mathml() for i in self.items) + "</mrow>"

    def plain(self) -> str:
        return " ".join(i.plain() for i in self.items)

    def atomic(self) -> bool:
        return len(self.items) == 1 and self.items[0].atomic()


@dataclass(frozen=True)
class Paren(Node):
    inner: Node

    def latex(self) -> str:
        return f"\\left({self.inner.latex()}\\right)"

    def mathml(self) -> str:
        return f"<mrow><mo>(</mo>{self.inner.mathml()}<mo>)</mo></mrow>"

    def plain(self) -> str:
        return f"({self.inner.plain()})"

    def atomic(self) -> bool:
        return True


@dataclass(frozen=True)
class Pow(Node):
    base: Node
    exp: Node

    def latex(self) -> str:
        base = self.base if self.base.atomic() else Paren(self.base)
        return f"{base.latex()}^{{{_inline(self.exp)}}}"

    def mathml(self) -> str:
        base = self.base if self.base.atomic() else Paren(self.base)
        return f"<msup>{base.mathml()}{self.exp.mathml()}</msup>"

    def plain(self) -> str:
        base = self.base.plain() if self.base.atomic() else f"({self.base.plain()})"
        exp = self.exp.plain()
        simple = isinstance(self.exp, Num) and self.exp.atomic()
        return f"{base}^{exp}" if simple else f"{base}^({exp})"


def _inline(node: Node) -> str:
    """An exponent in LaTeX with slashes instead of stacked fractions: d^{3/4}, d^{(a+1)/2}."""
    if isinstance(node, Num) and exact(node.value).denominator != 1:
        v = exact(node.value)
        return f"{'-' if v < 0 else ''}{abs(v.numerator)}/{v.denominator}"
    if isinstance(node, Frac):
        num = node.num.latex()
        num = num if node.num.atomic() else f"({num})"
        return f"{num}/{node.den.latex()}"
    return node.latex()


@dataclass(frozen=True)
class Frac(Node):
    num: Node
    den: Node

    def latex(self) -> str:
        return f"\\frac{{{self.num.latex()}}}{{{self.den.latex()}}}"

    def mathml(self) -> str:
        return f"<mfrac>{self.num.mathml()}{self.den.mathml()}</mfrac>"

    def plain(self) -> str:
        num = self.num.plain()  # a product over something reads as one: d N2/N1^2, a sum not
        if isinstance(self.num, Row) and any(isinstance(i, Raw) for i in self.num.items):
            num = f"({num})"
        den = (
            self.den.plain()
            if self.den.atomic() or isinstance(self.den, Pow)
            else f"({self.den.plain()})"
        )
        return f"{num}/{den}"


@dataclass(frozen=True)
class Sqrt(Node):
    inner: Node

    def latex(self) -> str:
        return f"\\sqrt{{{self.inner.latex()}}}"

    def mathml(self) -> str:
        return f"<msqrt>{self.inner.mathml()}</msqrt>"

    def plain(self) -> str:
        return f"sqrt({self.inner.plain()})"

    def atomic(self) -> bool:
        return True


def row(*items) -> Node:
    flat = []
    for item in items:
        if isinstance(item, str):
            item = text(item)
        flat.append(item)
    return flat[0] if len(flat) == 1 else Row(tuple(flat))


# ---- monomials -----------------------------------------------------------------------------------
def hermite(degree: int, teacher: str, token: str) -> Node:
    """He_k(w . x)."""
    return Raw(
        f"\\mathrm{{He}}_{{{degree}}}({Sym(teacher).latex()} \\cdot {Sym(token).latex()})",
        f"<mrow><msub><mi>He</mi><mn>{degree}</mn></msub><mo>(</mo>{Sym(teacher).mathml()}"
        f"<mo>\u22c5</mo>{Sym(token).mathml()}<mo>)</mo></mrow>",
    )


def combined_hermite(teachers: tuple, token: str) -> Node:
    """He_1((u ± w)/sqrt(2) . x): He1 of a unit combination of teacher directions."""
    latex = " \\pm ".join(Sym(t).latex() for t in teachers)
    mathml = "<mo>\u00b1</mo>".join(Sym(t).mathml() for t in teachers)
    n = len(teachers)
    return Raw(
        f"\\mathrm{{He}}_{{1}}(({latex})/\\sqrt{{{n}}} \\cdot {Sym(token).latex()})",
        f"<mrow><msub><mi>He</mi><mn>1</mn></msub><mo>(</mo><mo>(</mo>{mathml}<mo>)</mo>"
        f"<mo>/</mo><msqrt><mn>{n}</mn></msqrt><mo>\u22c5</mo>{Sym(token).mathml()}<mo>)</mo></mrow>",
    )


def sphere(dim: Node) -> Node:
    """The uniform measure on the unit sphere of R^dim."""
    return Raw(
        f"\\mathrm{{Unif}}(\\mathbb{{S}}^{{{dim.latex()}-1}})",
        f'<mrow><mi>Unif</mi><mo>(</mo><msup><mi mathvariant="double-struck">S</mi>'
        f"<mrow>{dim.mathml()}<mo>\u2212</mo><mn>1</mn></mrow></msup><mo>)</mo></mrow>",
    )


def _power(name: str, e: Fraction) -> Node:
    return Sym(name) if e == 1 else Pow(Sym(name), Num(e))


def _product(powers) -> Node:
    nodes = [_power(n, e) for n, e in powers]
    if not nodes:
        return Num(Fraction(1))
    return nodes[0] if len(nodes) == 1 else Row(tuple(nodes), "\\,")


def canonical_order(inputs=(), widths=(), scales=(), free=()) -> tuple:
    """The one order of factors in every printed monomial: kappa, then the input dimension
    (``inputs``), then the widths, then the other scales (each in the order the file declares
    them), then the free exponents: ``kappa d N2 N1`` for a file declaring ``scale d, N2, N1``.
    ``monomial`` and ``affine`` take it as ``order``; names outside it (the variational
    parameters of an energy term: M, beta) stand before it, as in ``M d + N/M``."""
    return tuple(dict.fromkeys(("kappa", *inputs, *widths, *scales, *free)))


def _order(name: str, order: tuple) -> tuple:
    """Names outside ``order`` (variational parameters: M, beta) first, as in M d + N/M."""
    return (order.index(name) if name in order else -1, name)


def monomial(powers: dict, order: tuple = (), root: bool = True) -> Node:
    """prod name^e with exact exponents, grouped under one common power when that reads better:
    {N1: 1/3, N2: 1/3, d: 1/3} -> (N1 N2 d)^(1/3); {N2: 1/2, d: 1/2} -> sqrt(N2 d);
    {N2: 2/3, N1: -1/3, d: -1/3} -> (N2^2/(N1 d))^(1/3); {N2: 4/5, d: -1} -> N2^(4/5)/d.
    A whole power stays outside a root, as a theorist writes it: {d: 1/2, N: 1} -> N sqrt(d),
    not sqrt(d N^2); {N: 1, d: -1/2} -> N/sqrt(d); {d: 2/3, N: 1} -> d^(2/3) N. Factors stand in
    ``order`` (``canonical_order``), a root where its first factor would: sqrt(d) N,
    (d N2)^(1/3) N1^2."""
    powers = {n: exact(e) for n, e in powers.items() if e}
    whole = {n: e for n, e in powers.items() if e.denominator == 1}
    if root and whole and len(whole) < len(powers):
        return _outside_the_root(powers, whole, order)
    names = sorted(powers, key=lambda n: _order(n, order))
    if not powers:
        return Num(Fraction(1))
    common = Fraction(1)
    if root:
        from math import gcd

        q = lcm(*(e.denominator for e in powers.values()))
        g = 0
        for e in powers.values():
            g = gcd(g, abs(int(e * q)))
        common = Fraction(g, q)
        inner = [abs(e / common) for e in powers.values()]
        grouped = common.denominator > 1 and (
            all(i == 1 for i in inner)
            or (common.numerator == 1 and common.denominator <= 4 and max(inner) <= 3)
        )
        if not grouped:
            common = Fraction(1)
    up = [(n, powers[n] / common) for n in names if powers[n] > 0]
    down = [(n, -powers[n] / common) for n in names if powers[n] < 0]
    inner_node = _product(up) if not down else Frac(_product(up), _product(down))
    if common == 1:
        return inner_node
    if common == Fraction(1, 2):
        return Sqrt(inner_node)
    return Pow(inner_node if inner_node.atomic() else Paren(inner_node), Num(common))


def _outside_the_root(powers: dict, whole: dict, order: tuple) -> Node:
    """The whole powers as factors, the fractional ones grouped (``monomial``), numerator over
    denominator, each side in ``order`` (the group where its first factor stands):
    {N: 1, d: -1/2} -> N/sqrt(d); {N1: 2, d: 1/3} -> d^(1/3) N1^2; {d: 1/2, N: 1} -> sqrt(d) N."""

    def row(whole_part: dict, grouped: dict) -> Node | None:
        items = [(name, _power(name, e)) for name, e in whole_part.items()]
        if grouped:
            first = min(grouped, key=lambda n: _order(n, order))
            items.append((first, monomial(grouped, order)))
        nodes = [node for _, node in sorted(items, key=lambda item: _order(item[0], order))]
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else Row(tuple(nodes), "\\,")

    parts = {n: e for n, e in powers.items() if n not in whole}
    top = row({n: e for n, e in whole.items() if e > 0}, {n: e for n, e in parts.items() if e > 0})
    bottom = row(
        {n: -e for n, e in whole.items() if e < 0}, {n: -e for n, e in parts.items() if e < 0}
    )
    top = top if top is not None else Num(Fraction(1))
    return Frac(top, bottom) if bottom is not None else top


def affine(coeffs: dict, const: Fraction = Fraction(0), order: tuple = ()) -> Node:
    """c1 x1 + c2 x2 + c0 with a common denominator: (3 a2 + 3)/4."""
    coeffs = {n: exact(c) for n, c in coeffs.items() if c}
    const = exact(const)
    q = lcm(*(c.denominator for c in list(coeffs.values()) + [const]))
    items: list = []
    for name in sorted(coeffs, key=lambda n: _order(n, order)):
        c = coeffs[name] * q
        sign = "-" if c < 0 else "+"
        mag = abs(c)
        term = Sym(name) if mag == 1 else Row((Num(mag), Sym(name)), "\\,")
        items.append((sign, term))
    if const or not items:
        c = const * q
        items.append(("-" if c < 0 else "+", Num(abs(c))))
    if items and items[0][0] == "-":  # lead with a positive term, as (3 - a2)/4 is written
        first = next((i for i, (sign, _) in enumerate(items) if sign == "+"), 0)
        items.insert(0, items.pop(first))
    nodes: list = []
    for i, (sign, term) in enumerate(items):
        if i == 0:
            if sign == "-":
                nodes.append(op("-", "-"))
        else:
            nodes.append(op(sign, "+" if sign == "+" else "\u2212"))
        nodes.append(term)
    numer = nodes[0] if len(nodes) == 1 else Row(tuple(nodes))
    return numer if q == 1 else Frac(numer, Num(Fraction(q)))


def _rational(value) -> Fraction | None:
    if isinstance(value, sympy.Rational):  # the usual case, and nsimplify is slow
        return Fraction(int(value.p), int(value.q))
    value = sympy.nsimplify(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return None


def from_sympy(expr, order: tuple = ()) -> Node:
    """A sympy monomial (or d**(affine), or a number, or a relation) as a tree; anything else
    falls back to sympy's own LaTeX and MathML printers."""
    expr = sympy.sympify(expr)
    if isinstance(expr, sympy.core.relational.Relational):
        return relation(expr, order)
    if expr.is_number:
        r = _rational(expr)
        if r is not None:
            return Num(r)
        return _fallback(expr)
    if isinstance(expr, sympy.Add):  # an affine form of free exponents: (3 a2 + 3)/4
        form = _affine_of(expr)
        return affine(*form, order=order) if form is not None else _fallback(expr)
    powers = {}
    coefficient = Fraction(1)
    for factor, exponent in expr.as_powers_dict().items():
        if factor.is_number:
            r = _rational(factor**exponent)
            if r is None:
                return _fallback(expr)
            coefficient *= r
            continue
        if not factor.is_Symbol:
            return _fallback(expr)
        r = _rational(exponent) if exponent.is_number else None
        if r is None:
            form = _affine_of(exponent)
            if form is None or len(expr.as_powers_dict()) != 1:
                return _fallback(expr)
            return Pow(Sym(factor.name), affine(*form, order=order))
        powers[factor.name] = powers.get(factor.name, 0) + r
    node = monomial(powers, order)
    if coefficient != 1:
        node = Row((Num(coefficient), node), "\\,")
    return node


def _affine_of(expr):
    """``(coefficients, constant)`` of an affine form of symbols, or None when ``expr`` is not
    one. The forms this package writes (sums of rational multiples of symbols) are read off their
    terms directly; anything else is expanded and tested as a polynomial, which costs far more."""
    return _affine_terms(expr) or _affine_expanded(expr)


def _affine_expanded(expr):
    """``_affine_of`` of any expression, by expanding it and reading it as a polynomial."""
    expr = sympy.expand(expr)
    symbols = sorted(expr.free_symbols, key=str)
    try:
        poly = sympy.Poly(expr, *symbols)
    except sympy.PolynomialError:
        return None
    if poly.total_degree() > 1:
        return None
    coeffs = {}
    for s in symbols:
        r = _rational(expr.coeff(s))
        if r is None:
            return None
        coeffs[s.name] = r
    const = _rational(expr.subs({s: 0 for s in symbols}))
    return None if const is None else (coeffs, const)


def _affine_terms(expr):
    """``_affine_of`` where every term of ``expr`` is a rational, or a rational times a symbol."""
    coeffs, const = {}, Fraction(0)
    for symbol, coefficient in expr.as_coefficients_dict().items():
        if not isinstance(coefficient, sympy.Rational):
            return None
        value = Fraction(int(coefficient.p), int(coefficient.q))
        if symbol == 1:
            const += value
        elif symbol.is_Symbol:
            coeffs[symbol.name] = coeffs.get(symbol.name, 0) + value
        else:
            return None
    return dict(sorted(coeffs.items())), const


RELATIONS = {
    "<=": ("\\leq", "\u2264"),
    ">=": ("\\geq", "\u2265"),
    "==": ("=", "="),
    "<": ("<", "<"),
    ">": (">", ">"),
}


def relation(rel, order: tuple = ()) -> Node:
    """A sympy relation between monomials (N1 <= sqrt(N2*d)), or an affine relation in free
    exponents (a1 - 1 >= 0 printed as a1 >= 1: positive terms left, negative right)."""
    sign = rel.rel_op
    lhs, rhs = rel.lhs, rel.rhs
    if rhs == 0 and lhs.free_symbols and all(not s.is_positive for s in lhs.free_symbols):
        form = _affine_of(lhs)
        if form is not None:
            coeffs, const = form
            left = {n: c for n, c in coeffs.items() if c > 0}
            right = {n: -c for n, c in coeffs.items() if c < 0}
            lc, rc = (const, Fraction(0)) if const > 0 else (Fraction(0), -const)
            if not left and not lc:
                left, right, lc, rc = right, left, rc, lc
                sign = {"<=": ">=", ">=": "<=", "<": ">", ">": "<"}.get(sign, sign)
            return Row((affine(left, lc, order), op(*RELATIONS[sign]), affine(right, rc, order)))
    return Row((from_sympy(lhs, order), op(*RELATIONS[sign]), from_sympy(rhs, order)))


def _fallback(expr) -> Node:
    ml = sympy.mathml(expr, printer="presentation")
    return Raw(sympy.latex(expr), numeric_entities(ml), sympy.sstr(expr).replace("**", "^"))


def numeric_entities(markup: str) -> str:
    """Named HTML entities (``&InvisibleTimes;``) as numeric ones, so that XML parsers accept the
    markup."""
    import html.entities as entities

    def swap(m):
        name = m.group(1)
        if name in ("amp", "lt", "gt", "quot", "apos"):
            return m.group(0)
        char = entities.html5.get(name + ";")
        return "".join(f"&#{ord(c)};" for c in char) if char else m.group(0)

    return re.sub(r"&([A-Za-z][A-Za-z0-9]*);", swap, markup)


# ---- output -------------------------------------------------------------------------------------
def to_mathml(node: Node, display: bool = False) -> str:
    tex = html.escape(node.latex(), quote=True)
    mode = ' display="block"' if display else ""
    return f'<math{mode} alttext="{tex}">{node.mathml()}</math>'


def show(value) -> str:
    """An expression as an error message quotes it: sympy's text with ``^`` for powers."""
    return str(value).replace("**", "^")
