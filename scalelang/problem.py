"""The checked problem: what the front end hands to the theory.

This module owns the intermediate representation between ``check`` (which builds it from the AST
and guarantees it is well formed) and ``lower`` (which turns it into pattern energies). It holds
data only: no parsing, no solving. Every quantity that scales is a sympy expression in the scale
symbols (and in free exponents such as ``nu``); every exponent is an exact ``sympy.Rational``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from scalelang.support.span import Span

OVERRIDES = "--set"  # the file name under which errors point into Problem.override_text


@dataclass(frozen=True)
class Surface:
    """Where overrides were given, as their messages name them: the command line's ``--set N=d``,
    or the keywords of ``Model.solve`` in Python, ``solve(N='d')``."""

    keyword: bool = False

    def words(self, name: str | None = None, value: str | None = None) -> str:
        """An override as the user wrote it: ``--set``, ``--set N``, ``--set N=d``; in Python
        ``override``, ``override N``, ``solve(N='d')``."""
        if self.keyword and value is not None:
            return f"solve({name}={value!r})"
        if self.keyword:
            return "override" + (f" {name}" if name else "")
        return "--set" + (f" {name}" if name else "") + (f"={value}" if value is not None else "")

    @property
    def one_each(self) -> str:
        """What each override takes one of: a ``--set``, or a keyword of ``solve()``."""
        return "keyword of solve()" if self.keyword else "--set"


COMMAND_LINE = Surface()
PYTHON = Surface(keyword=True)


@dataclass(frozen=True)
class Scale:
    """A large parameter. ``definition`` is None for an independent scale, else e.g. ``d**nu``."""

    name: str
    definition: sympy.Expr | None
    span: Span


@dataclass(frozen=True)
class Activation:
    """A pointwise nonlinearity, ``expr`` a sympy expression in the symbol ``z``."""

    name: str
    expr: sympy.Expr
    span: Span


@dataclass(frozen=True)
class PatternParam:
    """A variational parameter of a pattern with its bounds (sympy, may use ``width``)."""

    name: str
    lower: sympy.Expr | None  # None: unbounded below (positive, as every parameter is)
    upper: sympy.Expr | None


@dataclass(frozen=True)
class Pattern:
    """A way a layer can depart from lazy (docs/method.md, section 4), declared in a stdlib module.

    ``cost`` is a sympy expression in the params and the reserved symbols ``width`` (the layer's
    width N_l) and ``norm`` (the norm of the locked feature in the kernel feeding the layer).
    ``effect`` is one of:
      - ``None``: the layer stays lazy (gp);
      - ``("spike", strength, carries)``: the next kernel gains a rank-one part of strength
        ``v_next * strength`` along the locked feature; ``carries`` is ``"activation"`` (the
        neurons' outputs carry every Hermite degree the activation makes of the feature) or
        ``"linear"`` (linear response: only the feature itself);
      - ``("amplify", factor)``: the feature's eigenvalue in the kernel feeding the layer is
        multiplied by ``factor`` before the layer's lazy map.
    """

    name: str
    params: tuple[PatternParam, ...]
    cost: sympy.Expr
    effect: tuple | None
    doc: str
    span: Span


@dataclass(frozen=True)
class Teacher:
    name: str
    dim: sympy.Expr
    span: Span
    # The token the target projects this teacher onto: None for the input itself (every problem
    # without context tokens), else the input's name (a context token) or the query token's name.
    token: str | None = None


@dataclass(frozen=True)
class TargetTerm:
    """``coef * prod_t He_{k_t}(w_t . x)``; ``degrees`` maps teacher name -> Hermite degree >= 1."""

    coef: sympy.Rational
    degrees: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Layer:
    """``name = activation(weight input_name) width width prior weight ~ normal(0, variance)``."""

    name: str
    activation: Activation
    weight: str
    input_name: str
    width: sympy.Expr
    variance: sympy.Expr
    span: Span
    kind: str = "dense"  # or "conv": width is the number of channels, filters shared by patches
    patches: sympy.Expr | None = None  # conv only: the number of non-overlapping patches
    # kind "attention": a softmax head over context tokens (the whole network). ``weight`` is the
    # bilinear query-key weight W (``variance`` its prior), ``input_name`` the context token the
    # logits q W x_l read, ``width`` the number of heads; the value weight is the problem's
    # readout. ``activation`` is the softmax linearized at O(1) logits, L*A_l = 1 + s_l - mean(s).
    query: str | None = None  # attention only: the query token
    # Where the width and the prior variance are written (errors about one of them point there).
    width_span: Span | None = None
    variance_span: Span | None = None


@dataclass(frozen=True)
class Readout:
    """``name = weight . input_name prior weight ~ normal(0, variance)``."""

    name: str
    weight: str
    input_name: str
    variance: sympy.Expr
    span: Span
    variance_span: Span | None = None  # where the prior variance is written


MIXED = " + "  # joins the patterns of a mixture in its name: ``spec + gfl``


@dataclass(frozen=True)
class Problem:
    """A checked .scale file, with overrides applied."""

    name: str
    source_path: str
    scales: tuple[Scale, ...]
    free_exponents: tuple[str, ...]  # symbols in scale definitions that are not scales
    kappa: sympy.Expr
    input_name: str
    input_dim: sympy.Expr
    teachers: tuple[Teacher, ...]
    target: tuple[TargetTerm, ...]
    target_text: str
    layers: tuple[Layer, ...]
    readout: Readout
    allowed_patterns: dict[str, tuple[str, ...]]  # layer name -> pattern names (defaults filled)
    predict: str
    patterns: dict[str, Pattern] = field(default_factory=dict)  # every pattern in scope
    activations: dict[str, Activation] = field(default_factory=dict)
    # O(1) constants (``constant sigma2 = 2``): name -> value. They stay symbolic (positive symbols)
    # in variances and noise; the theory drops them at leading order, simulations use the values.
    constants: dict[str, sympy.Expr] = field(default_factory=dict)
    target_span: Span | None = None  # the `target` statement, for errors about the target
    assumptions: tuple = ()  # (small, large, span): the answer may assume small <= large
    pattern_spans: dict = field(default_factory=dict)  # layer name -> its `patterns` line
    noise_name: str | None = None  # the name in ``noise kappa = ...`` (None: no noise statement)
    noise_span: Span | None = None  # its value (or the --set that replaced it), for errors about it
    # The --set overrides as one text, a line each: what spans with path "--set" point into.
    override_text: str = ""
    # Context tokens (``input x ~ gaussian(d) tokens L query q``): their number L and the query
    # token's name; None for a problem on a single input.
    tokens: sympy.Expr | None = None
    query_name: str | None = None
    # What the file probably did not mean (``lint``): Diagnostics of severity "warning".
    warnings: tuple = ()
    # The file's text as it was read, for the reports that show it.
    source_text: str = field(default="", repr=False)
    input_span: Span | None = None  # the `input` statement
    predict_span: Span | None = None  # the `predict` statement

    def pattern_parts(self, choice: str) -> tuple[Pattern, ...]:
        """The patterns of an allowed choice: one, or a mixture's (``spec + gfl``: a group of
        each in one layer, docs/method.md section 4, "Groups")."""
        return tuple(self.patterns[name] for name in choice.split(MIXED))

    def effective(self, choice: str) -> bool:
        """Whether a layer taking ``choice`` leaves the lazy limit (some part has an effect)."""
        return any(p.effect is not None for p in self.pattern_parts(choice))
