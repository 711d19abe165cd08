"""From a checked ``Problem`` to the numbers a simulation needs: the simulation spec.

Owns the translation of the problem IR into code fragments for the generated script: widths,
prior variances and kappa as Python expressions in the input dimension, activations and their
derivatives as torch expressions, and the target as a sum of products of Hermite polynomials.
It may not parse, solve or run anything; it reads ``scalelang.problem`` only.

Every scale other than the input dimension and the predicted one must reduce to a monomial in the
input dimension (``--set N=d``); ``scalelang.pipeline.simulation_problem`` ties any that do not,
and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy
from sympy.printing.pycode import PythonCodePrinter

from scalelang.problem import Problem
from scalelang.support.span import Span

Z_NAME = "z"


class CodegenError(Exception):
    """A problem the simulation backend cannot translate; the message says what to change."""


class _TorchPrinter(PythonCodePrinter):
    """Prints a sympy expression in ``z`` as torch code on a tensor ``z`` (constants via math)."""

    _TORCH = {
        "erf": "torch.erf",
        "erfc": "torch.erfc",
        "tanh": "torch.tanh",
        "exp": "torch.exp",
        "log": "torch.log",
        "sin": "torch.sin",
        "cos": "torch.cos",
        "cosh": "torch.cosh",
        "sinh": "torch.sinh",
        "Abs": "torch.abs",
        "sign": "torch.sign",
    }

    def _print_Function(self, expr):  # noqa: N802 (sympy's naming)
        name = type(expr).__name__
        if name in self._TORCH and expr.free_symbols:
            return f"{self._TORCH[name]}({self._print(expr.args[0])})"
        return super()._print_Function(expr)

    def _print_erf(self, expr):
        return self._print_Function(expr) if expr.free_symbols else super()._print_Function(expr)

    _print_tanh = _print_exp = _print_erfc = _print_log = _print_sin = _print_cos = _print_erf
    _print_cosh = _print_sinh = _print_Abs = _print_sign = _print_erf

    def _print_Max(self, expr):
        args = [a for a in expr.args]
        if len(args) == 2 and any(not a.free_symbols for a in args):
            const = next(a for a in args if not a.free_symbols)
            other = next(a for a in args if a.free_symbols)
            return f"torch.clamp({self._print(other)}, min={float(const)!r})"
        return super()._print_Max(expr)

    def _print_Heaviside(self, expr):
        arg = self._print(expr.args[0])
        return f"({arg} > 0).to(z.dtype)"

    def _print_DiracDelta(self, expr):  # derivative of a kink: zero almost everywhere
        return "torch.zeros_like(z)"

    def _print_Piecewise(self, expr):
        raise CodegenError(f"cannot translate the piecewise activation {expr} to torch")


def torch_code(expr: sympy.Expr) -> str:
    """Torch code for ``expr`` as a function of the tensor ``z``; constants broadcast."""
    expr = sympy.sympify(expr)
    zs = [s for s in expr.free_symbols if s.name == Z_NAME]
    others = [s for s in expr.free_symbols if s.name != Z_NAME]
    if others:
        raise CodegenError(
            f"activation {expr} depends on {', '.join(map(str, others))}, not only on z"
        )
    if not zs:  # a constant (e.g. the derivative of a linear activation)
        return f"torch.full_like(z, {float(expr)!r})"
    return _TorchPrinter().doprint(expr)


def python_code(expr: sympy.Expr) -> str:
    """Plain Python (math) code for a numeric expression in the input dimension ``d``."""
    return PythonCodePrinter().doprint(sympy.sympify(expr))


@dataclass(frozen=True)
class LayerSpec:
    """One hidden layer as the simulation builds it."""

    name: str
    weight: str
    activation: str  # the activation's name in the file
    activation_expr: str  # sympy text, for the header
    activation_code: str  # torch code in z
    derivative_code: str  # torch code in z
    width: sympy.Expr  # in the input dimension symbol
    variance: sympy.Expr
    width_code: str
    variance_code: str
    # Where the layer and its prior are written in the .scale file: the script's comments name
    # these lines (None for a problem built by hand, without a file).
    span: Span | None = None
    variance_span: Span | None = None


@dataclass(frozen=True)
class SimSpec:
    """Everything the templates need, with no sympy left in the code fragments."""

    problem: str
    source_path: str
    dim: str  # the input dimension's name (the swept scale)
    predict: str
    kappa: sympy.Expr
    kappa_code: str
    layers: tuple[LayerSpec, ...]
    readout_weight: str
    readout_variance: sympy.Expr
    readout_variance_code: str
    teachers: tuple[str, ...]
    target_text: str
    target_terms: tuple[
        tuple[float, tuple[tuple[int, int], ...]], ...
    ]  # coef, ((teacher, degree),)
    target_variance: float  # E[y^2] under orthonormal teachers
    settings: dict[str, str] = field(default_factory=dict)  # the overrides that produced it
    notes: tuple[str, ...] = ()
    # "dense" (fully connected layers), "conv" (one conv layer over non-overlapping patches, then
    # the readout) or "attention" (one softmax head; the readout is its value weight).
    kind: str = "dense"
    patches: sympy.Expr | None = None  # conv: the number of patches n
    patches_code: str = "1"
    tokens: sympy.Expr | None = None  # attention: the number of context tokens L
    tokens_code: str = "1"
    query_name: str | None = None  # attention: the query token's name
    # per teacher: "input" (the input / every patch), "query" or "context" (attention tokens)
    teacher_tokens: tuple[str, ...] = ()
    # Where the readout, its prior and the target are written (the layers carry their own).
    readout_span: Span | None = None
    readout_variance_span: Span | None = None
    target_span: Span | None = None


def _by_name(expr: sympy.Expr, values: dict[str, sympy.Expr]) -> sympy.Expr:
    return expr.subs({s: values[s.name] for s in expr.free_symbols if s.name in values})


def resolve(expr: sympy.Expr, problem: Problem, dim_symbol: sympy.Symbol) -> sympy.Expr:
    """``expr`` with scale definitions and constants substituted until only ``dim`` remains."""
    defined = {s.name: s.definition for s in problem.scales if s.definition is not None}
    constants = {
        k: sympy.sympify(v) for k, v in (getattr(problem, "constants", None) or {}).items()
    }
    expr = sympy.sympify(expr)
    for _ in range(len(defined) + 2):
        expr = _by_name(_by_name(expr, defined), constants)
    expr = _by_name(expr, {problem_dim_name(problem): dim_symbol})
    left = sorted(s.name for s in expr.free_symbols if s != dim_symbol)
    if left:
        raise CodegenError(
            f"{expr} still depends on {', '.join(left)}: tie every scale to "
            f"{problem_dim_name(problem)} with --set NAME=EXPR (for example --set "
            f"{left[0]}={problem_dim_name(problem)})"
        )
    return sympy.simplify(expr)


def problem_dim_name(problem: Problem) -> str:
    """The name of the input dimension (the scale the sweep varies)."""
    symbols = sorted(sympy.sympify(problem.input_dim).free_symbols, key=lambda s: s.name)
    if len(symbols) != 1:
        raise CodegenError(f"the input dimension {problem.input_dim} must be a single scale")
    return symbols[0].name


def target_variance(terms) -> float:
    """E[y^2] for a sum of products of He_k of orthonormal projections: sum of coef^2 prod k!."""
    merged: dict[tuple, float] = {}
    for coef, degrees in terms:
        key = tuple(sorted(degrees))
        merged[key] = merged.get(key, 0.0) + coef
    return sum(c * c * math.prod(math.factorial(k) for _, k in key) for key, c in merged.items())


def build_spec(problem: Problem, settings: dict[str, str] | None = None, notes=()) -> SimSpec:
    """The simulation spec of a checked problem whose scales all reduce to the input dimension."""
    dim_name = problem_dim_name(problem)
    d = sympy.Symbol("d", positive=True)  # the generated code always calls the input dimension d
    z = sympy.Symbol(Z_NAME, real=True)
    layers = []
    for layer in problem.layers:
        kind = getattr(layer, "kind", "dense") or "dense"
        if kind not in ("dense", "conv", "attention"):
            raise CodegenError(
                f"layer {layer.name} is a {kind} layer: the simulation backend builds dense, "
                "conv and attention layers only (docs/simulation.md)"
            )
        if kind != "dense" and len(problem.layers) != 1:
            raise CodegenError(
                f"layer {layer.name} is a {kind} layer in a network of {len(problem.layers)} "
                "layers: the "
                f"simulation backend builds a {kind} layer only as the single hidden layer under "
                "the readout "
                "(docs/simulation.md)"
            )
        act = sympy.sympify(layer.activation.expr)
        act = _by_name(act, {Z_NAME: z})
        width = resolve(layer.width, problem, d)
        variance = resolve(layer.variance, problem, d)
        layers.append(
            LayerSpec(
                name=layer.name,
                weight=layer.weight,
                activation=layer.activation.name,
                activation_expr=str(act),
                activation_code=torch_code(act),
                derivative_code=torch_code(sympy.diff(act, z)),
                width=width,
                variance=variance,
                width_code=python_code(width),
                variance_code=python_code(variance),
                span=layer.span,
                variance_span=layer.variance_span,
            )
        )
    teachers = tuple(t.name for t in problem.teachers)
    index = {name: i for i, name in enumerate(teachers)}
    terms = tuple(
        (float(term.coef), tuple((index[name], int(k)) for name, k in term.degrees))
        for term in problem.target
    )
    kind = getattr(problem.layers[0], "kind", "dense") or "dense"
    extra: dict = {"kind": kind}
    if kind == "conv":
        patches = resolve(problem.layers[0].patches, problem, d)
        extra.update(patches=patches, patches_code=python_code(patches))
    if kind == "attention":
        tokens = resolve(problem.tokens, problem, d)
        extra.update(tokens=tokens, tokens_code=python_code(tokens), query_name=problem.query_name)
    extra["teacher_tokens"] = tuple(teacher_token(t, problem) for t in problem.teachers)
    kappa = resolve(problem.kappa, problem, d)
    readout_variance = resolve(problem.readout.variance, problem, d)
    return SimSpec(
        problem=problem.name,
        source_path=problem.source_path,
        dim=dim_name,
        predict=problem.predict,
        kappa=kappa,
        kappa_code=python_code(kappa),
        layers=tuple(layers),
        readout_weight=problem.readout.weight,
        readout_variance=readout_variance,
        readout_variance_code=python_code(readout_variance),
        teachers=teachers,
        target_text=problem.target_text,
        target_terms=terms,
        target_variance=target_variance(terms),
        settings=dict(settings or {}),
        notes=tuple(notes),
        readout_span=problem.readout.span,
        readout_variance_span=problem.readout.variance_span,
        target_span=problem.target_span,
        **extra,
    )


def teacher_token(teacher, problem: Problem) -> str:
    """Which token a teacher projects: "input" (no tokens), "query" or "context"."""
    token = getattr(teacher, "token", None)
    if problem.tokens is None or token is None:
        return "input"
    return "query" if token == problem.query_name else "context"
