"""The syntax tree of a .scale file, exactly as written.

Owns the node types that ``syntax.parse`` builds and ``check`` and ``printer`` read. Nodes are
small frozen dataclasses; every node carries the ``span`` of the text it came from (left out of the
``repr`` so that trees read well, and replaced by ``UNKNOWN`` in ``strip_spans`` to compare trees
by content). Nothing here knows what a statement means: that is ``check``'s job.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from scalelang.support.span import UNKNOWN, Span


def _span() -> Span:
    return field(default=UNKNOWN, repr=False)


# ---- expressions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A numeric literal, kept as written (``1``, ``0.5``, ``1e-3``)."""

    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Name:
    """A name, either declared or referred to."""

    id: str
    span: Span = _span()


@dataclass(frozen=True)
class BinOp:
    """``left op right`` with ``op`` one of ``+ - * / ^``."""

    op: str
    left: "Expr"
    right: "Expr"
    span: Span = _span()


@dataclass(frozen=True)
class Neg:
    operand: "Expr"
    span: Span = _span()


@dataclass(frozen=True)
class Call:
    """``func(args...)``: a Hermite polynomial, an activation, a function or a distribution."""

    func: Name
    args: tuple["Expr", ...]
    span: Span = _span()


@dataclass(frozen=True)
class Dot:
    """A projection ``w . x`` of the input onto a teacher."""

    left: Name
    right: Name
    span: Span = _span()


Expr = Number | Name | BinOp | Neg | Call | Dot


# ---- statements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemStmt:
    name: Name
    span: Span = _span()


@dataclass(frozen=True)
class Import:
    """``import "path.scale"``: ``path`` without the quotes, relative to the importing file."""

    path: str
    span: Span = _span()


@dataclass(frozen=True)
class ScaleItem:
    name: Name
    definition: Expr | None
    span: Span = _span()


@dataclass(frozen=True)
class ScaleStmt:
    items: tuple[ScaleItem, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Constant:
    """``constant NAME [= EXPR]``: an O(1) constant (value 1 when none is given)."""

    name: Name
    value: Expr | None
    span: Span = _span()


@dataclass(frozen=True)
class Noise:
    name: Name
    value: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Tokens:
    """``tokens L query q`` after an input: L context tokens and one query token named q."""

    count: Expr
    query: Name
    span: Span = _span()


@dataclass(frozen=True)
class InputStmt:
    """``input x ~ gaussian(d)``, or ``input x ~ gaussian(d) tokens L query q`` (``tokens``)."""

    name: Name
    dist: Call
    span: Span = _span()
    tokens: Tokens | None = None


@dataclass(frozen=True)
class TeacherStmt:
    """``teacher w ~ sphere(d)``."""

    name: Name
    dist: Call
    span: Span = _span()


@dataclass(frozen=True)
class Target:
    """``target y = EXPR``; ``text`` is the expression as written."""

    name: Name
    expr: Expr
    text: str = field(default="", compare=False)
    span: Span = _span()


@dataclass(frozen=True)
class Prior:
    """``prior W ~ normal(0, VAR)``."""

    weight: Name
    dist: Call
    span: Span = _span()


@dataclass(frozen=True)
class LayerStmt:
    """``layer h = act(W z) width N prior W ~ normal(0, VAR)``, or a convolution
    ``conv h = act(W x) channels C patches n prior W ~ normal(0, VAR)`` (kind "conv", width C)."""

    name: Name
    activation: Name
    weight: Name
    input: Name
    width: Expr
    prior: Prior
    span: Span = _span()
    kind: str = "layer"
    patches: Expr | None = None


@dataclass(frozen=True)
class AttentionStmt:
    """``attention f = softmax(q W x) V x heads H prior W ~ normal(0, VAR)
    prior V ~ normal(0, VAR)``.

    ``normalizer`` is the function around the logits (``softmax``), ``query`` the query token,
    ``weight`` the bilinear query-key weight, ``key`` the context token the logits read;
    ``value_weight`` . ``value_input`` is the value. The whole network (no layers, no readout).
    """

    name: Name
    normalizer: Name
    query: Name
    weight: Name
    key: Name
    value_weight: Name
    value_input: Name
    heads: Expr
    prior: Prior
    value_prior: Prior
    span: Span = _span()


@dataclass(frozen=True)
class ReadoutStmt:
    """``readout f = a . h prior a ~ normal(0, VAR)``."""

    name: Name
    weight: Name
    input: Name
    prior: Prior
    span: Span = _span()


@dataclass(frozen=True)
class Mixture:
    """``spec + gfl`` in a patterns line: the layer holds one group of each pattern, each on its
    own direction of the target (docs/method.md, section 4, "Groups")."""

    parts: tuple[Name, ...]
    span: Span = _span()

    @property
    def id(self) -> str:
        """The choice as the answer names it: ``spec + gfl`` (joined as ``problem.MIXED``, which
        ``Problem.pattern_parts`` splits)."""
        return " + ".join(p.id for p in self.parts)


@dataclass(frozen=True)
class PatternsStmt:
    """``patterns h: gp | spec | spec + gfl``."""

    layer: Name
    patterns: tuple[Name | Mixture, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Assume:
    """``assume L <= d``: a relation between monomials of the scales that the answer may assume."""

    left: Expr
    relation: str  # "<=" or ">="
    right: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Predict:
    name: Name
    span: Span = _span()


# ---- declarations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivationDecl:
    """``activation NAME(z) = EXPR``; NAME may be a power such as ``x^2``."""

    name: Name
    param: Name
    body: Expr
    span: Span = _span()


@dataclass(frozen=True)
class FunctionDecl:
    """``function NAME(u, v) = EXPR``: a named target function."""

    name: Name
    params: tuple[Name, ...]
    body: Expr
    span: Span = _span()


@dataclass(frozen=True)
class ParamLine:
    """``param NAME in [LOWER, UPPER)``; ``closed_*`` says which brackets were used."""

    name: Name
    lower: Expr
    upper: Expr
    closed_lower: bool
    closed_upper: bool
    span: Span = _span()


@dataclass(frozen=True)
class CostLine:
    expr: Expr
    span: Span = _span()


@dataclass(frozen=True)
class AmplifyLine:
    expr: Expr
    span: Span = _span()


@dataclass(frozen=True)
class SpikeLine:
    """``spike S carrying activation|linear``."""

    expr: Expr
    carrying: Name
    span: Span = _span()


PatternLine = ParamLine | CostLine | AmplifyLine | SpikeLine


@dataclass(frozen=True)
class PatternDecl:
    name: Name
    doc: str | None
    lines: tuple[PatternLine, ...]
    span: Span = _span()


Statement = (
    ProblemStmt
    | Import
    | ScaleStmt
    | Constant
    | Noise
    | InputStmt
    | TeacherStmt
    | Target
    | LayerStmt
    | AttentionStmt
    | ReadoutStmt
    | PatternsStmt
    | Predict
    | Assume
    | ActivationDecl
    | FunctionDecl
    | PatternDecl
)

DECLARATIONS = (Import, Constant, ActivationDecl, FunctionDecl, PatternDecl)
"""Statements a module may hold without being a problem (the stdlib holds only these)."""


@dataclass(frozen=True)
class Module:
    """A parsed file: its statements in source order."""

    path: str
    statements: tuple[Statement, ...]
    span: Span = _span()


def strip_spans(node):
    """``node`` with every span replaced by ``UNKNOWN``: compares trees by content only."""
    if isinstance(node, tuple):
        return tuple(strip_spans(n) for n in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, Span):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        changes[f.name] = UNKNOWN if f.name == "span" else strip_spans(value)
    return dataclasses.replace(node, **changes)


def dump(node, indent: int = 0) -> str:
    """An indented, readable tree of ``node`` (for debugging and teaching)."""
    pad = "  " * indent
    if isinstance(node, Name):
        return f"{pad}{node.id}"
    if isinstance(node, Number):
        return f"{pad}{node.text}"
    if isinstance(node, tuple):
        return "\n".join(dump(n, indent) for n in node)
    if not dataclasses.is_dataclass(node):
        return f"{pad}{node!r}"
    parts = [f"{pad}{type(node).__name__}"]
    for f in dataclasses.fields(node):
        if f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, (str, bool)) or value is None:
            parts.append(f"{pad}  {f.name}: {value!r}")
        else:
            parts.append(f"{pad}  {f.name}:")
            parts.append(dump(value, indent + 2))
    return "\n".join(parts)
