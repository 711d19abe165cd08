"""Checking: a parsed file (and its prelude) to the ``Problem`` IR, or every error found.

Owns the meaning of the statements: names and where they are declared, scales and free exponents,
constants, monomials, the chain of layers, the Hermite expansion of the target, activations,
target functions and patterns. It reports every error of a file at once (one ``ScaleError``). It
may not solve anything (``lower``/``solve`` do) nor read files (``load`` does).

Conventions (docs/language.md states them for users):
- scales are ``Symbol(name, positive=True)``, free exponents ``Symbol(name, real=True)``, constants
  ``Symbol(name, positive=True)`` kept symbolic in expressions (their values in
  ``Problem.constants``); scale definitions stay symbolic, never substituted into widths;
- activations are expressions in ``Symbol("z", real=True)``; pattern expressions use their params
  and the reserved ``width`` and ``norm`` (positive symbols).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import sympy

from scalelang.algebra.monomial import NotMonomial, mono_from_sympy, posynomial_from_sympy
from scalelang.algebra.notation import show
from scalelang.frontend import ast
from scalelang.frontend.expressions import (
    BUILTINS,
    HERMITE,
    MAX_DEGREE,
    NORM,
    WIDTH,
    Z,
    _Fail,
    convert,
    cycle_from,
    definition_expr,
    degree_bound,
    monomial_parts,
    names_in_exponents,
    number,
    scale_symbol,
)
from scalelang.problem import (
    Activation,
    Layer,
    Pattern,
    PatternParam,
    Problem,
    Readout,
    Scale,
    TargetTerm,
    Teacher,
)
from scalelang.support import cache
from scalelang.support.diagnostics import Diagnostic, ScaleError, sort_diagnostics
from scalelang.support.span import Span

# ---- the declarations in scope ----------------------------------------------------------------


@dataclass
class Scope:
    """Everything declared by the prelude, the imports and the file (in that order)."""

    activations: dict[str, Activation] = field(default_factory=dict)
    functions: dict[str, tuple[tuple[sympy.Symbol, ...], sympy.Expr]] = field(default_factory=dict)
    patterns: dict[str, Pattern] = field(default_factory=dict)
    constants: dict[str, sympy.Expr] = field(default_factory=dict)
    declared: dict[tuple[str, str], Span] = field(default_factory=dict)  # (kind, name) -> span


def is_problem(module: ast.Module) -> bool:
    """Whether ``module`` describes a problem (anything beyond declarations)."""
    return any(not isinstance(s, ast.DECLARATIONS) for s in module.statements)


def check_declarations(
    module: ast.Module, source_path: str, prelude: Sequence[ast.Module]
) -> Scope:
    """Check a module of declarations only (the stdlib, an imported file); its Scope."""
    checker = _Checker(source_path, prelude, frozenset())
    checker.declarations(module)
    for stmt in module.statements:
        if not isinstance(stmt, ast.DECLARATIONS):
            checker.fail(stmt.span, "this module declares no problem, yet has a problem statement")
    checker.raise_if_errors()
    return checker.scope


def check(
    module: ast.Module,
    source_path: str,
    prelude: Sequence[ast.Module],
    broken: frozenset[str] | None = None,
) -> Problem:
    """Check a parsed file and build its ``Problem``; raise ScaleError with every error found.

    ``prelude``: the parsed modules in scope before the file (stdlib, then imports; ``frontend``
    reads them, since checking reads no files). ``broken``: names on lines that did not
    parse (the caller reports those lines); errors about them are left out, as are missing
    statements, since a broken line may have been the missing one.
    """
    checker = _Checker(source_path, prelude, broken)
    checker.declarations(module)
    problem = checker.problem(module)
    checker.raise_if_errors()
    assert problem is not None
    return problem


class _Checker:
    def __init__(self, path: str, prelude: Sequence[ast.Module], broken: frozenset[str] | None):
        self.path = path
        self.prelude = tuple(prelude)
        self.broken = broken
        self.diagnostics: list[Diagnostic] = []
        self.scope = Scope()
        # (kind, name) of declarations already reported as wrong: their uses are not errors too
        self.failed: set[tuple[str, str]] = set()

    # -- bookkeeping

    def fail(self, span: Span, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(span, message, hint))

    def guarded(self, fn, *args, default=None):
        """Run ``fn``; an ``_Fail`` becomes a diagnostic and ``default`` is returned."""
        try:
            return fn(*args)
        except _Fail as failure:
            if failure.diagnostic is not None:
                self.diagnostics.append(failure.diagnostic)
            return default

    def raise_if_errors(self) -> None:
        if self.diagnostics:
            raise ScaleError(sort_diagnostics(self.diagnostics))

    def declare(self, kind: str, name: ast.Name, plural: str) -> bool:
        key = (kind, name.id)
        if key in self.scope.declared:
            where = self.scope.declared[key]
            self.fail(
                name.span,
                f"{kind} {name.id!r} is already declared at {where.path}:{where.line}",
                f"give this {kind} another name; {plural} cannot be redefined",
            )
            return False
        self.scope.declared[key] = name.span
        return True

    # -- declarations: activations, functions, patterns, constants

    def declarations(self, module: ast.Module) -> None:
        for prelude_module in self.prelude:
            for stmt in prelude_module.statements:
                if isinstance(stmt, ast.DECLARATIONS):
                    self.declaration(stmt)
                else:
                    self.fail(
                        stmt.span,
                        "an imported module may only declare activations, functions, patterns "
                        "and constants",
                        "move the problem's statements into the file you check or solve",
                    )
        for stmt in module.statements:
            if isinstance(stmt, ast.DECLARATIONS):
                self.declaration(stmt)

    def declaration(self, stmt) -> None:
        if isinstance(stmt, ast.ActivationDecl):
            self.guarded(self.activation, stmt)
        elif isinstance(stmt, ast.FunctionDecl):
            self.guarded(self.function, stmt)
        elif isinstance(stmt, ast.PatternDecl):
            self.pattern(stmt)
        elif isinstance(stmt, ast.Constant):
            self.guarded(self.constant, stmt)

    def activation(self, stmt: ast.ActivationDecl) -> None:
        param = stmt.param.id

        def name(node: ast.Name, _in_exp: bool):
            if node.id == param:
                return Z
            raise _Fail(
                node.span,
                f"unknown name {node.id!r} in activation {stmt.name.id}",
                f"an activation is a function of its one argument {param!r} only",
            )

        def call(node: ast.Call, args):
            fn = node.func.id
            if fn in BUILTINS:
                arity, build = BUILTINS[fn]
                if len(args) != arity:
                    raise _Fail(node.span, f"{fn} takes {arity} argument(s), not {len(args)}")
                return build(*args)
            if fn in self.scope.activations:
                if len(args) != 1:
                    raise _Fail(node.span, f"activation {fn} takes one argument")
                return self.scope.activations[fn].expr.subs(Z, args[0])
            raise _Fail(
                node.func.span,
                f"unknown function {fn!r} in an activation",
                "an activation may call "
                + ", ".join(BUILTINS)
                + " and activations declared before it",
            )

        try:
            expr = convert(stmt.body, name, call, what="in an activation")
        except _Fail:
            self.failed.add(("activation", stmt.name.id))
            raise
        if self.declare("activation", stmt.name, "activations"):
            self.scope.activations[stmt.name.id] = Activation(stmt.name.id, expr, stmt.span)
        bad = _not_real_at(expr)  # declared all the same, so that its uses are not errors too
        if bad is not None:
            divides = any(p.exp.is_negative for p in expr.atoms(sympy.Pow))
            raise _Fail(
                stmt.body.span,
                f"activation {stmt.name.id} is not a real number at "
                f"{param} = {bad}: a neuron's output must be real for every pre-activation",
                "it divides by zero there: every real pre-activation occurs"
                if divides and bad == 0
                else "use abs(z) or max(z, 0) inside sqrt, log or fractional powers",
            )
        if _does_not_vary(expr):
            raise _Fail(
                stmt.body.span,
                f"activation {stmt.name.id} is the same for every "
                "pre-activation: its neurons output a constant, so no feature passes it",
                "an activation must vary with its argument (here its terms cancel, or it has none)",
            )
        if _grows_too_fast(expr):
            raise _Fail(
                stmt.body.span,
                f"activation {stmt.name.id} grows too fast: its square has "
                "no mean under a Gaussian pre-activation, so it has no Hermite expansion",
                "an activation may grow at most like exp(c z^2) with c < 1/4 (exp(z), "
                "polynomials and bounded functions are fine)",
            )

    def function(self, stmt: ast.FunctionDecl) -> None:
        params = {}
        for p in stmt.params:
            if p.id in params:
                raise _Fail(p.span, f"parameter {p.id!r} appears twice")
            params[p.id] = sympy.Symbol(f"_{stmt.name.id}_{p.id}", real=True)

        def name(node: ast.Name, _in_exp: bool):
            if node.id in params:
                return params[node.id]
            raise _Fail(
                node.span,
                f"unknown name {node.id!r} in function {stmt.name.id}",
                f"a function is a polynomial of its parameters ({', '.join(params) or 'none'})",
            )

        try:
            expr = convert(
                stmt.body, name, self._target_call, what="in a function", max_power=MAX_DEGREE
            )
            _within_degree(stmt.body.span, expr)
            if not expr.is_polynomial(*params.values()):
                raise _Fail(
                    stmt.body.span,
                    f"function {stmt.name.id} is not a polynomial",
                    "target functions are sums and products of Hermite polynomials He1, He2, ...",
                )
        except _Fail:
            self.failed.add(("function", stmt.name.id))
            raise
        if self.declare("function", stmt.name, "functions"):
            self.scope.functions[stmt.name.id] = (tuple(params.values()), expr)

    def _target_call(self, node: ast.Call, args) -> sympy.Expr:
        """He_k(u) and calls of declared functions, inside a target or a function body."""
        fn = node.func.id
        match = HERMITE.match(fn)
        if match:
            degree = int(match.group(1))
            if degree == 0:
                raise _Fail(
                    node.func.span,
                    "He0 is a constant, and scalelang assumes a zero-mean target",
                    "drop the constant term; Hermite degrees start at He1",
                )
            if degree > MAX_DEGREE:
                raise _Fail(
                    node.func.span,
                    f"Hermite degree {degree} is above scalelang's limit of {MAX_DEGREE}",
                )
            if len(args) != 1:
                raise _Fail(node.span, f"{fn} takes one argument, such as {fn}(w . x)")
            return _within_degree(node.span, sympy.hermite_prob(degree, args[0]))
        if fn in self.scope.functions:
            params, body = self.scope.functions[fn]
            if len(args) != len(params):
                raise _Fail(
                    node.span, f"function {fn} takes {len(params)} argument(s), not {len(args)}"
                )
            return _within_degree(node.span, body.xreplace(dict(zip(params, args))))
        if ("function", fn) in self.failed:
            raise _Quiet()
        if fn.startswith("He"):
            raise _Fail(
                node.func.span,
                f"unknown Hermite polynomial {fn!r}",
                "Hermite polynomials are written He1, He2, He3, ... (an integer degree >= 1)",
            )
        if fn in self.scope.activations or fn in BUILTINS:
            raise _Fail(
                node.func.span,
                f"{fn} cannot appear in a target",
                "a target is a polynomial: Hermite polynomials He1, He2, ... of projections, "
                "and functions declared with `function`",
            )
        raise _Fail(
            node.func.span,
            f"unknown function {fn!r}",
            "functions in scope: " + ", ".join(sorted(self.scope.functions)) + "; He1, He2, ...",
        )

    def constant(self, stmt: ast.Constant) -> None:
        if stmt.value is None:
            value = sympy.Integer(1)
        else:

            def name(node: ast.Name, _in_exp: bool):
                raise _Fail(node.span, f"a constant's value must be a number, not {node.id!r}")

            value = convert(stmt.value, name, what="in a constant's value")
            if not (value.is_number and value.is_positive):
                raise _Fail(stmt.value.span, f"constant {stmt.name.id} must be a positive number")
        if self.declare("name", stmt.name, "names"):
            self.scope.constants[stmt.name.id] = value

    def pattern(self, stmt: ast.PatternDecl) -> None:
        params: dict[str, sympy.Symbol] = {}
        for line in stmt.lines:
            if isinstance(line, ast.ParamLine):
                if line.name.id in params:
                    self.fail(line.name.span, f"parameter {line.name.id!r} is declared twice")
                elif line.name.id in ("width", "norm", "inf"):
                    self.fail(
                        line.name.span,
                        f"{line.name.id!r} is reserved; name the parameter otherwise",
                    )
                else:
                    params[line.name.id] = sympy.Symbol(line.name.id, positive=True)
        allowed = dict(params, width=WIDTH, norm=NORM)

        def name(node: ast.Name, _in_exp: bool):
            if node.id in allowed:
                return allowed[node.id]
            if node.id == "inf":
                return sympy.oo
            raise _Fail(
                node.span,
                f"unknown name {node.id!r} in pattern {stmt.name.id}",
                "a pattern's expressions may use its params, width, norm and numbers",
            )

        def expression(expr):
            value = convert(expr, name, what="in a pattern")
            if value.has(sympy.oo) and value != sympy.oo:
                raise _Fail(expr.span, "inf may only stand alone, as an upper bound")
            return value

        ok = True
        pattern_params, cost, effect, seen_cost, seen_effect = [], None, None, None, None
        for line in stmt.lines:
            try:
                if isinstance(line, ast.ParamLine):
                    lower, upper = expression(line.lower), expression(line.upper)
                    if lower == sympy.oo or (lower.is_number and lower.is_negative):
                        raise _Fail(
                            line.lower.span, "a parameter's lower bound must be 0 or positive"
                        )
                    if upper.is_number and upper.is_nonpositive:
                        raise _Fail(line.upper.span, "a parameter's upper bound must be positive")
                    if _empty_range(lower, upper):
                        raise _Fail(
                            line.span,
                            f"the range of {line.name.id} is empty for a large width",
                            "write the smaller bound first, e.g. `param M in [1, width]`",
                        )
                    for bound, node in ((lower, line.lower), (upper, line.upper)):
                        if bound not in (0, sympy.oo):
                            _require_monomial(bound, node, "a bound")
                    pattern_params.append(
                        PatternParam(
                            line.name.id,
                            None if lower == 0 else lower,
                            None if upper == sympy.oo else upper,
                        )
                    )
                elif isinstance(line, ast.CostLine):
                    if seen_cost:
                        raise _Fail(line.span, f"pattern {stmt.name.id} has two cost lines")
                    seen_cost = line
                    cost = expression(line.expr)
                    if cost == sympy.oo:
                        raise _Fail(line.expr.span, "a cost cannot be inf")
                    _require_posynomial(cost, line.expr)
                else:
                    if seen_effect:
                        raise _Fail(
                            line.span,
                            f"pattern {stmt.name.id} has two effect lines",
                            "a pattern has at most one `spike` or `amplify` line",
                        )
                    seen_effect = line
                    value = expression(line.expr)
                    if value == sympy.oo:
                        raise _Fail(line.expr.span, "an effect's strength cannot be inf")
                    _require_monomial(value, line.expr, "an effect")
                    if isinstance(line, ast.AmplifyLine):
                        effect = ("amplify", value)
                    else:
                        carries = line.carrying.id
                        if carries not in ("activation", "linear"):
                            raise _Fail(
                                line.carrying.span,
                                f"a spike carries `activation` or `linear`, not {carries!r}",
                            )
                        effect = ("spike", value, carries)
            except _Fail as failure:
                ok = False
                self.diagnostics.append(failure.diagnostic)
        if seen_cost is None:
            ok = False
            self.fail(
                stmt.name.span,
                f"pattern {stmt.name.id} has no cost line",
                "add a line such as `cost 0` or `cost M * norm`",
            )
        if ok:
            ok = self._params_used(stmt, params, pattern_params, cost, effect)
        if not ok:
            self.failed.add(("pattern", stmt.name.id))
        if ok and self.declare("pattern", stmt.name, "patterns"):
            self.scope.patterns[stmt.name.id] = Pattern(
                stmt.name.id, tuple(pattern_params), cost, effect, stmt.doc or "", stmt.span
            )

    def _params_used(self, stmt, params: dict, pattern_params: list, cost, effect) -> bool:
        """Every parameter must appear in the cost or the effect: one that appears in neither
        (nor bounds one that does) changes nothing, and the engine would find no finite optimum
        for it."""
        used = set(cost.free_symbols) | (set(effect[1].free_symbols) if effect else set())
        for p in pattern_params:  # a parameter bounding a used one is used too
            for bound in (p.lower, p.upper):
                if bound is not None and params[p.name] in used:
                    used |= bound.free_symbols
        lines = {line.name.id: line for line in stmt.lines if isinstance(line, ast.ParamLine)}
        unused = [name for name, symbol in params.items() if symbol not in used]
        for name in unused:
            self.fail(
                lines[name].name.span,
                f"parameter {name} is used by neither the cost nor the "
                f"effect of pattern {stmt.name.id}",
                "use it, or drop its `param` line",
            )
        return not unused

    # -- the problem

    def problem(self, module: ast.Module) -> Problem | None:
        return _ProblemBuilder(self, module).build()


class _ProblemBuilder:
    """The problem statements of one file, checked in source order of dependence."""

    def __init__(self, checker: _Checker, module: ast.Module):
        self.c = checker
        self.module = module
        self.names: dict[str, tuple[str, Span]] = {}  # the problem's one namespace
        by_kind: dict[type, list] = {}
        for stmt in module.statements:
            by_kind.setdefault(type(stmt), []).append(stmt)
        self.by_kind = by_kind
        self.scales: dict[str, ast.ScaleItem] = {}
        self.scale_defs: dict[str, sympy.Expr | None] = {}
        self.free: list[str] = []
        self.file_span = Span(checker.path, 1, 1, 1, 1)

    def stmts(self, kind) -> list:
        return self.by_kind.get(kind, [])

    def fail(self, span, message, hint=None):
        self.c.fail(span, message, hint)

    def missing(self, message, hint=None):
        if self.c.broken is None:  # with syntax errors, the missing statement may be the broken one
            self.fail(self.file_span, message, hint)

    def undeclared(self, node: ast.Name, message: str, hint: str | None = None):
        if self.c.broken and node.id in self.c.broken:
            return _Quiet()
        return _Fail(node.span, message, hint)

    def one(self, kind, what: str, required: str | None):
        found = self.stmts(kind)
        for extra in found[1:]:
            self.fail(
                extra.span,
                f"a problem has one {what}; this is a second one",
                f"the first is at line {found[0].span.line}",
            )
        if not found and required:
            self.missing(f"this file has no {what}", required)
        return found[0] if found else None

    def declare(self, name: ast.Name, kind: str) -> bool:
        if name.id in self.names:
            other_kind, span = self.names[name.id]
            self.fail(
                name.span,
                f"{name.id!r} is already declared at line {span.line} (as {other_kind})",
                "every scale, constant, input, teacher, layer, weight and output needs its own "
                "name",
            )
            return False
        if name.id in self.c.scope.constants and kind != "constant":
            self.fail(name.span, f"{name.id!r} is already a constant")
            return False
        self.names[name.id] = (kind, name.span)
        return True

    # -- expressions over scales

    def scale_names(self) -> set[str]:
        return set(self.scales)

    def monomial(self, expr: ast.Expr, what: str, allow_constants: bool = True) -> sympy.Expr:
        """A positive monomial in the scales (constants allowed as O(1) factors)."""

        def name(node: ast.Name, in_exp: bool):
            if node.id in self.scales:
                return scale_symbol(node.id)
            if in_exp and node.id not in {*self.names, *self.free, *self.c.scope.constants}:
                raise self.undeclared(
                    node,
                    f"undeclared exponent {node.id!r}",
                    f"a free exponent enters through a scale's definition, "
                    f"e.g. `scale S = d^{node.id}`, and S is used here; "
                    f"--set {node.id}=1 then fixes it",
                )
            if node.id in self.c.scope.constants and allow_constants:
                return scale_symbol(node.id)
            if node.id in self.free:
                raise _Fail(
                    node.span,
                    f"{node.id!r} is a free exponent; it may only appear in a scale's definition",
                    f"use a scale defined with it, e.g. `scale N = d^{node.id}`",
                )
            if node.id in self.names:
                raise _Fail(
                    node.span, f"{node.id!r} is not a scale (it is {self.names[node.id][0]})"
                )
            raise self.undeclared(
                node,
                f"undeclared scale {node.id!r}",
                f"declare it with `scale {node.id}` (or `constant {node.id}` for an O(1) constant)",
            )

        value = convert(expr, name, what=f"in a {what}")
        parts = monomial_parts(value)
        irrational = [e for _, e in parts or () if e.is_number and not e.is_Rational]
        if irrational:
            raise _Fail(
                expr.span,
                f"the {what} has the exponent {show(irrational[0])}, which is "
                "not a rational number",
                "exponents are exact fractions such as 3/2; a power "
                "of a power, a^b^c, is read a^(b^c)",
            )
        if parts is None or not all(e.is_Rational for _, e in parts):
            raise _Fail(
                expr.span,
                f"the {what} must be a monomial, not {show(value)}",
                "write a number times a product of powers of scales, e.g. 1/d, sigma2/N^2, d^(3/2)",
            )
        return value

    # -- statements

    def build(self) -> Problem | None:
        c = self.c
        problem_stmt = self.one(ast.ProblemStmt, "`problem` statement", None)
        name = problem_stmt.name.id if problem_stmt else _stem(c.path)
        for constant in self.stmts(ast.Constant):
            self.names[constant.name.id] = ("a constant", constant.name.span)

        scales = self.build_scales()
        kappa = self.build_noise()
        input_name, input_dim = self.build_input()
        teachers = self.build_teachers(input_name, input_dim)
        target, target_text = self.build_target(input_name, teachers)
        if self.query_name is not None:  # each teacher's token; unused teachers are context ones
            tokens = getattr(self, "teacher_tokens", {})
            teachers = tuple(
                dataclasses.replace(t, token=tokens.get(t.name, input_name)) for t in teachers
            )
        layers, readout = self.build_network(input_name)
        if self.query_name is not None and layers and layers[0].kind == "attention":
            self.query_only_terms(target, teachers)
        allowed = self.build_patterns(layers, readout, target)
        predict = self.build_predict()
        assumptions = self.build_assumptions()
        if c.diagnostics:
            return None
        return Problem(
            name=name,
            source_path=c.path,
            scales=scales,
            free_exponents=tuple(self.free),
            kappa=kappa,
            input_name=input_name,
            input_dim=input_dim,
            teachers=teachers,
            target=target,
            target_text=target_text,
            layers=layers,
            readout=readout,
            allowed_patterns=allowed,
            pattern_spans=dict(self.pattern_spans),
            predict=predict,
            assumptions=assumptions,
            patterns=dict(c.scope.patterns),
            activations=dict(c.scope.activations),
            constants=dict(c.scope.constants),
            noise_name=self.noise_name,
            noise_span=self.noise_span,
            target_span=getattr(self, "target_span", None),
            tokens=self.tokens,
            query_name=self.query_name,
            input_span=self.input_span,
            predict_span=self.predict_span,
        )

    def build_scales(self) -> tuple[Scale, ...]:
        items = [item for stmt in self.stmts(ast.ScaleStmt) for item in stmt.items]
        for item in items:
            if self.declare(item.name, "a scale"):
                self.scales[item.name.id] = item
        # Free exponents: names in the exponents of definitions that are not scales or constants.
        for item in items:
            if item.definition is not None:
                for ref in names_in_exponents(item.definition):
                    if (
                        ref not in self.scales
                        and ref not in self.c.scope.constants
                        and ref not in self.free
                    ):
                        if ref in self.names:
                            continue  # reported below as "not a scale"
                        self.free.append(ref)
        result = []
        for item in items:
            if self.scales.get(item.name.id) is not item:
                continue
            definition = None
            if item.definition is not None:
                definition = self.c.guarded(self.scale_definition, item, default=None)
            self.scale_defs[item.name.id] = definition
            result.append(Scale(item.name.id, definition, item.span))
        self.check_cycles(result)
        return tuple(result)

    def scale_definition(self, item: ast.ScaleItem) -> sympy.Expr:
        return definition_expr(
            item.definition,
            set(self.scales),
            set(self.free),
            lambda n: self.undeclared(
                n, f"undeclared scale {n.id!r}", f"declare it with `scale {n.id}`"
            ),
            other=lambda n: self.names.get(n.id, (None,))[0],
        )

    def check_cycles(self, scales: list[Scale]) -> None:
        graph = {
            s.name: {
                str(b)
                for b in (s.definition.free_symbols if s.definition is not None else ())
                if str(b) in self.scales
            }
            for s in scales
        }
        reported = set()
        for start in graph:
            path = cycle_from(graph, start)
            if path and frozenset(path) not in reported:
                reported.add(frozenset(path))
                item = self.scales[start]
                self.fail(
                    item.name.span,
                    f"scale {start} is defined in terms of itself: " + " -> ".join(path + [start]),
                    "tie every scale, directly or not, to an independent one",
                )

    def build_noise(self) -> sympy.Expr:
        self.noise_name = None
        stmt = self.one(ast.Noise, "`noise` statement", None)
        self.noise_span = stmt.value.span if stmt is not None else None
        for s in self.stmts(ast.Noise)[:1]:
            if self.declare(s.name, "the noise"):
                self.noise_name = s.name.id
        if stmt is None:
            return sympy.Integer(1)
        return self.c.guarded(self.monomial, stmt.value, "noise", default=sympy.Integer(1))

    def build_input(self):
        self.tokens, self.query_name, self.tokens_stmt = None, None, None
        stmt = self.one(ast.InputStmt, "`input` statement", "add e.g. `input x ~ gaussian(d)`")
        self.input_span = stmt.span if stmt else None
        if stmt is None:
            return "x", scale_symbol("d")
        self.declare(stmt.name, "the input")
        # On failure no dimension: the teachers are then not compared with a made-up one.
        dim = self.c.guarded(self.distribution, stmt.dist, "gaussian", "input", default=None)
        if stmt.tokens is not None:
            self.tokens_stmt = stmt.tokens
            if stmt.tokens.query.id == stmt.name.id:
                self.fail(
                    stmt.tokens.query.span,
                    f"the query token needs its own name, not {stmt.name.id}",
                    f"write e.g. `input {stmt.name.id} ~ gaussian(d) tokens L query q`",
                )
            elif self.declare(stmt.tokens.query, "the query token"):
                self.query_name = stmt.tokens.query.id
            self.tokens = self.c.guarded(
                self.monomial, stmt.tokens.count, "number of context tokens", default=None
            )
        return stmt.name.id, dim

    def distribution(self, dist: ast.Call, expected: str, what: str) -> sympy.Expr:
        if dist.func.id != expected:
            raise _Fail(
                dist.func.span,
                f"unknown {what} distribution {dist.func.id!r}",
                f"scalelang knows `{expected}(DIM)` for {what}s",
            )
        if len(dist.args) != 1:
            raise _Fail(
                dist.span, f"{expected} takes one argument, the dimension, e.g. {expected}(d)"
            )
        return self.monomial(dist.args[0], "dimension", allow_constants=False)

    def build_teachers(self, input_name, input_dim) -> tuple[Teacher, ...]:
        teachers = []
        for stmt in self.stmts(ast.TeacherStmt):
            if not self.declare(stmt.name, "a teacher"):
                continue
            dim = self.c.guarded(self.distribution, stmt.dist, "sphere", "teacher", default=None)
            if dim is not None and input_dim is not None and sympy.simplify(dim - input_dim) != 0:
                self.fail(
                    stmt.dist.span,
                    f"teacher {stmt.name.id} lives in dimension {dim}, but the input "
                    f"{input_name} in dimension {input_dim}",
                )
            teachers.append(Teacher(stmt.name.id, dim if dim is not None else input_dim, stmt.span))
        if not self.stmts(ast.TeacherStmt):
            self.missing("this file has no `teacher` statement", "add e.g. `teacher w ~ sphere(d)`")
        return tuple(teachers)

    def build_target(self, input_name, teachers):
        stmt = self.one(ast.Target, "`target` statement", "add e.g. `target y = He3(w . x)`")
        if stmt is None:
            return (), ""
        self.declare(stmt.name, "the target")
        self.target_span = stmt.span
        terms = self.c.guarded(self.target_terms, stmt, input_name, teachers, default=())
        return terms, stmt.text

    def target_terms(self, stmt: ast.Target, input_name, teachers) -> tuple[TargetTerm, ...]:
        teacher_names = [t.name for t in teachers]
        symbols = {t: sympy.Symbol(f"_proj_{t}", real=True) for t in teacher_names}
        query = self.query_name
        tokens = {input_name} | ({query} if query else set())
        roles: dict[str, ast.Name] = {}  # teacher -> the token it is first projected onto
        self.teacher_tokens = {}

        def name(node: ast.Name, _in_exp: bool):
            if node.id in symbols:
                raise _Fail(
                    node.span,
                    f"teacher {node.id} enters a target through a projection, as in {node.id} . "
                    f"{input_name}",
                )
            if node.id == input_name:
                raise _Fail(
                    node.span,
                    f"the input enters a target through a projection, as in w . {input_name}",
                )
            raise self.undeclared(
                node,
                f"unknown name {node.id!r} in the target",
                "a target is made of numbers, He1, He2, ... of projections `w . x`, and functions",
            )

        def dot(node: ast.Dot):
            left, right = node.left, node.right
            if left.id in tokens and right.id not in tokens:
                left, right = right, left
            if right.id not in tokens:
                if query:
                    raise self.undeclared(
                        right,
                        f"{right.id!r} is neither the context token {input_name} "
                        f"nor the query token {query}",
                    )
                raise self.undeclared(
                    right, f"{right.id!r} is not the input (the input is {input_name})"
                )
            if left.id not in symbols:
                raise self.undeclared(
                    left,
                    f"undeclared teacher {left.id!r}",
                    f"declare it with `teacher {left.id} ~ sphere(d)`",
                )
            first = roles.setdefault(left.id, right)
            if first.id != right.id:
                raise _Fail(
                    node.span,
                    f"teacher {left.id} is projected onto both {first.id} and {right.id}",
                    f"each teacher belongs to one token: the query {query} or the context token "
                    f"{input_name} (line {first.span.line}, column {first.span.column} projects "
                    f"it onto {first.id}); declare another teacher for the other token",
                )
            if query:
                self.teacher_tokens[left.id] = right.id
            return symbols[left.id]

        def call(node: ast.Call, args):
            return self.c._target_call(node, args)

        value = convert(stmt.expr, name, call, dot, what="in a target", max_power=MAX_DEGREE)
        gens = list(symbols.values())
        if not value.is_polynomial(*gens):
            raise _Fail(
                stmt.expr.span,
                "the target must be a polynomial in the projections",
                "use sums and products of He1, He2, ... of projections, and numeric coefficients",
            )
        return hermite_expand(value, gens, teacher_names, stmt.expr.span)

    def build_network(self, input_name):
        attention = self.stmts(ast.AttentionStmt)
        if attention:
            return self.build_attention(input_name, attention)
        if self.tokens_stmt is not None and self.c.broken is None:
            self.fail(
                self.tokens_stmt.span,
                "context tokens are read by an attention head, and this network has none",
                "drop `tokens ... query ...` from the input, or write the network as "
                "`attention f = softmax(q W x) V x heads 1 prior W ~ normal(0, 1/d^2) "
                "prior V ~ normal(0, 1/d)`",
            )
        layers: list[Layer] = []
        readout_stmt = self.one(
            ast.ReadoutStmt,
            "`readout` statement",
            "add e.g. `readout f = a . h prior a ~ normal(0, 1/N)`",
        )
        layer_stmts = self.stmts(ast.LayerStmt)
        if not layer_stmts and readout_stmt is not None and self.c.broken is None:
            self.fail(
                readout_stmt.span,
                "a network needs at least one layer before its readout",
                "add e.g. `layer h = erf(W x) width N prior W ~ normal(0, 1/d)`",
            )
        previous = input_name
        declared_layers = {s.name.id for s in layer_stmts}
        for stmt in layer_stmts:
            self.declare(stmt.name, "a layer")
            self.declare(stmt.weight, "a weight")
            self.chain(stmt.input, previous, stmt.name.id, declared_layers, input_name)
            activation = self.c.scope.activations.get(stmt.activation.id)
            if activation is None and ("activation", stmt.activation.id) not in self.c.failed:
                self.fail(
                    stmt.activation.span,
                    f"unknown activation {stmt.activation.id!r}",
                    "activations in scope: "
                    + ", ".join(self.c.scope.activations)
                    + f"; declare one with `activation {stmt.activation.id}(z) = ...`",
                )
            width = self.c.guarded(self.monomial, stmt.width, "width", default=None)
            variance = self.c.guarded(self.prior, stmt.prior, stmt.weight, default=None)
            patches = self.conv_patches(stmt, input_name)
            if activation is not None and width is not None and variance is not None:
                kind = "conv" if stmt.kind == "conv" else "dense"
                layers.append(
                    Layer(
                        stmt.name.id,
                        activation,
                        stmt.weight.id,
                        stmt.input.id,
                        width,
                        variance,
                        stmt.span,
                        kind,
                        patches,
                        width_span=stmt.width.span,
                        variance_span=_variance_span(stmt.prior),
                    )
                )
            previous = stmt.name.id
        if readout_stmt is None:
            return tuple(layers), None
        self.declare(readout_stmt.name, "the readout")
        self.declare(readout_stmt.weight, "a weight")
        if layer_stmts:
            self.chain(
                readout_stmt.input,
                previous,
                readout_stmt.name.id,
                declared_layers,
                input_name,
                readout=True,
            )
        variance = self.c.guarded(self.prior, readout_stmt.prior, readout_stmt.weight, default=None)
        readout = Readout(
            readout_stmt.name.id,
            readout_stmt.weight.id,
            readout_stmt.input.id,
            variance if variance is not None else sympy.Integer(1),
            readout_stmt.span,
            _variance_span(readout_stmt.prior),
        )
        return tuple(layers), readout

    def query_only_terms(self, target, teachers) -> None:
        """A target term of the query token alone reaches an attention head's output only through
        q W (sum_l x_l x_l^T / L) V ~ q W V: a pairing of the logits' bulk with the value's, which
        the kernel rules do not track. Say so rather than call the term impossible."""
        query = {t.name for t in teachers if t.token == self.query_name}
        for term in target:
            names = [n for n, _ in term.degrees]
            if names and all(n in query for n in names):
                text = " * ".join(f"He{k}({n} . {self.query_name})" for n, k in term.degrees)
                self.fail(
                    self.target_span,
                    f"the target term {text} depends on the query token alone, "
                    "which scalelang's attention rules do not track",
                    "such a term reaches the head's output only through q W V (the logits' bulk "
                    "paired with the value); every target term needs a teacher projected onto "
                    "the context token",
                )
                return

    def build_attention(self, input_name: str, stmts: list):
        """``attention f = softmax(q W x) V x heads H prior W ~ ... prior V ~ ...``: the whole
        network.

        In the IR it is one layer of kind "attention" (width H, weight W, input the context token,
        the linearized softmax as its activation) and a readout whose weight is the value V.
        """
        stmt = stmts[0]
        for extra in stmts[1:]:
            self.fail(
                extra.span,
                "a problem has one attention head; this is a second one",
                f"the first is at line {stmt.span.line}; use `heads H` for several heads",
            )
        for other in self.stmts(ast.LayerStmt) + self.stmts(ast.ReadoutStmt):
            word = "readout" if isinstance(other, ast.ReadoutStmt) else other.kind
            self.fail(
                other.span,
                f"an attention head is the whole network: this {word} has no place beside it",
                f"the head's value V plays the readout (line {stmt.span.line}); drop this "
                "statement",
            )
        self.declare(stmt.name, "the attention head")
        self.declare(stmt.weight, "a weight")
        self.declare(stmt.value_weight, "a weight")
        if stmt.normalizer.id != "softmax":
            self.fail(
                stmt.normalizer.span,
                f"an attention head normalizes its logits with softmax, not {stmt.normalizer.id!r}",
                "write `softmax(q W x)`",
            )
        query = self.query_name
        if query is None:
            if self.tokens_stmt is None:
                self.fail(
                    stmt.query.span,
                    f"the attention head reads a query token {stmt.query.id!r}, "
                    f"but the input declares no context tokens",
                    f"write `input {input_name} ~ gaussian(d) tokens L query {stmt.query.id}`",
                )
        elif stmt.query.id != query:
            what = "is the context token" if stmt.query.id == input_name else "is not declared"
            self.fail(
                stmt.query.span,
                f"the logits read the query token first: {stmt.query.id!r} {what}, "
                f"the query token is {query}",
                f"write `softmax({query} {stmt.weight.id} {input_name})`",
            )
        for used, role in ((stmt.key, "the logits"), (stmt.value_input, "the value")):
            if used.id != input_name:
                what = (
                    "the query token"
                    if used.id == query
                    else ("not declared" if used.id not in self.names else self.names[used.id][0])
                )
                if not (self.c.broken and used.id in self.c.broken):
                    self.fail(
                        used.span,
                        f"{role} read the context token {input_name}, and {used.id!r} is {what}",
                        f"write `softmax({query or 'q'} {stmt.weight.id} {input_name}) "
                        f"{stmt.value_weight.id} {input_name}`",
                    )
        heads = self.c.guarded(self.monomial, stmt.heads, "number of heads", default=None)
        variance = self.c.guarded(self.prior, stmt.prior, stmt.weight, default=None)
        value_variance = self.c.guarded(
            self.prior, stmt.value_prior, stmt.value_weight, default=None
        )
        if heads is None or variance is None or value_variance is None:
            return (), None
        z = Z
        softmax = Activation("softmax", 1 + z, stmt.normalizer.span)
        layer = Layer(
            stmt.name.id,
            softmax,
            stmt.weight.id,
            input_name,
            heads,
            variance,
            stmt.span,
            "attention",
            None,
            query,
            width_span=stmt.heads.span,
            variance_span=_variance_span(stmt.prior),
        )
        readout = Readout(
            stmt.name.id,
            stmt.value_weight.id,
            stmt.name.id,
            value_variance,
            stmt.value_prior.span,
            _variance_span(stmt.value_prior),
        )
        return (layer,), readout

    def conv_patches(self, stmt: ast.LayerStmt, input_name: str):
        """A convolution reads the input directly: it is the first layer."""
        if stmt.kind != "conv":
            return None
        if stmt.input.id != input_name:
            self.fail(
                stmt.input.span,
                f"conv {stmt.name.id} must read the input {input_name}",
                "a convolution over patches is the first layer; dense layers may follow it",
            )
        return self.c.guarded(self.monomial, stmt.patches, "number of patches", default=None)

    def chain(
        self,
        used: ast.Name,
        expected: str,
        who: str,
        layers: set[str],
        input_name: str,
        readout=False,
    ):
        if used.id == expected:
            return
        what = "the readout" if readout else f"layer {who}"
        rule = (
            "layers form a chain: the first layer reads the input, each next layer reads the one "
            "before it, and the readout reads the last layer"
        )
        if used.id not in layers and used.id != input_name:
            if self.c.broken and used.id in self.c.broken:
                return
            self.fail(
                used.span,
                f"{what} reads {used.id!r}, which is not declared",
                f"it should read {expected}; {rule}",
            )
        else:
            self.fail(
                used.span,
                f"{what} reads {used.id}, but the layers must form a chain: it should read "
                f"{expected}",
                rule,
            )

    def prior(self, prior: ast.Prior, weight: ast.Name) -> sympy.Expr:
        if prior.weight.id != weight.id:
            raise _Fail(
                prior.weight.span,
                f"the prior is for {prior.weight.id}, but the weight here is {weight.id}",
                f"write `prior {weight.id} ~ normal(0, VAR)`",
            )
        dist = prior.dist
        if dist.func.id != "normal":
            raise _Fail(
                dist.func.span,
                f"unknown prior {dist.func.id!r}",
                "priors are Gaussian: `normal(0, VAR)`",
            )
        if len(dist.args) != 2:
            raise _Fail(
                dist.span,
                "normal takes two arguments: the mean 0 and a variance, as in normal(0, 1/d)",
            )
        mean = dist.args[0]
        if not (isinstance(mean, ast.Number) and number(mean) == 0):
            raise _Fail(mean.span, "priors have mean zero", "write normal(0, VAR)")
        return self.monomial(dist.args[1], "prior variance")

    def build_patterns(
        self, layers: tuple[Layer, ...], readout, target=()
    ) -> dict[str, tuple[str, ...]]:
        """Each layer's allowed patterns (all in scope without a patterns line); the lines' spans
        go to ``self.pattern_spans`` for later errors about what the patterns cannot do. A
        mixture (``spec + gfl``) is allowed by the name the answer gives it."""
        self.pattern_spans = {}
        in_scope = tuple(self.c.scope.patterns)
        allowed = {layer.name: in_scope for layer in layers}
        layer_names = {s.name.id for s in self.stmts(ast.LayerStmt)} | {
            s.name.id for s in self.stmts(ast.AttentionStmt)
        }
        seen: dict[str, Span] = {}
        for stmt in self.stmts(ast.PatternsStmt):
            layer = stmt.layer.id
            if layer not in layer_names:
                if readout is not None and layer == readout.name:
                    self.fail(
                        stmt.layer.span, f"{layer} is the readout; patterns apply to hidden layers"
                    )
                elif not (self.c.broken and layer in self.c.broken):
                    self.fail(
                        stmt.layer.span,
                        f"unknown layer {layer!r} in a patterns line",
                        "layers: " + ", ".join(sorted(layer_names)),
                    )
                continue
            if layer in seen:
                self.fail(
                    stmt.span,
                    f"layer {layer} already has a patterns line (line {seen[layer].line})",
                )
                continue
            seen[layer] = stmt.span
            self.pattern_spans[layer] = stmt.span
            names = []
            for choice in stmt.patterns:
                parts = choice.parts if isinstance(choice, ast.Mixture) else (choice,)
                if not all(self._known_pattern(p, in_scope) for p in parts):
                    continue
                if isinstance(choice, ast.Mixture) and not self._mixture_holds(
                    choice, layers, target
                ):
                    continue
                if choice.id in names:
                    self.fail(choice.span, f"pattern {choice.id} is listed twice")
                else:
                    names.append(choice.id)
            allowed[layer] = tuple(names)
        return allowed

    def _known_pattern(self, name: ast.Name, in_scope: tuple) -> bool:
        if ("pattern", name.id) in self.c.failed:
            return False
        if name.id not in self.c.scope.patterns:
            self.fail(
                name.span,
                f"unknown pattern {name.id!r}",
                "patterns in scope: " + ", ".join(in_scope),
            )
            return False
        return True

    def _mixture_holds(self, mixture: ast.Mixture, layers, target) -> bool:
        """A mixture's groups each need a pattern with an effect (the neurons no group takes are
        lazy already) and a direction of their own: a teacher of the target, or a product term's
        combination of teachers (docs/method.md, section 4, "Groups"), in a network of dense
        layers, the only one whose groups are derived."""
        lazy = [p for p in mixture.parts if self.c.scope.patterns[p.id].effect is None]
        if lazy:
            self.fail(
                lazy[0].span,
                f"{lazy[0].id} in a mixture: the neurons no group takes are lazy already",
                f"name the patterns with an effect, e.g. `{mixture.parts[-1].id} + ...`, and "
                f"allow {lazy[0].id} on its own (`| {lazy[0].id}`)",
            )
            return False
        if any(layer.kind != "dense" for layer in layers):
            self.fail(
                mixture.span,
                "groups in one layer are derived for networks of dense layers only",
                "allow the patterns one at a time (`spec | gfl`)",
            )
            return False
        teachers = {t for term in target for t, k in term.degrees if k}
        supports = {tuple(sorted(t for t, k in term.degrees if k)) for term in target}
        directions = (len(teachers) if len(teachers) > 1 else 0) + sum(len(s) > 1 for s in supports)
        if len(mixture.parts) > directions:
            self.fail(
                mixture.span,
                f"a mixture of {len(mixture.parts)} groups needs as many directions of the target, "
                f"and this target has {directions or 'none'}",
                "each group locks onto its own teacher (or a product term's combination of "
                "teachers); name fewer patterns, or allow them one at a time",
            )
            return False
        return True

    def build_assumptions(self) -> tuple:
        """``assume A <= B`` as (A, B, span) with A, B monomials in the scales: B/A >= 1."""
        result = []
        for stmt in self.stmts(ast.Assume):
            left = self.c.guarded(self.monomial, stmt.left, "side of an assumption", default=None)
            right = self.c.guarded(self.monomial, stmt.right, "side of an assumption", default=None)
            if left is None or right is None:
                continue
            small, large = (left, right) if stmt.relation == "<=" else (right, left)
            result.append((small, large, stmt.span))
        return tuple(result)

    def build_predict(self) -> str:
        stmt = self.one(
            ast.Predict,
            "`predict` statement",
            "add e.g. `predict P` (the sample count to solve for)",
        )
        self.predict_span = stmt.span if stmt else None
        if stmt is None:
            return ""
        if stmt.name.id not in self.scales:
            if stmt.name.id in self.names:
                self.fail(
                    stmt.name.span,
                    f"predict needs a scale, and {stmt.name.id} is {self.names[stmt.name.id][0]}",
                    "predict names the scale to solve for, such as the sample count: `scale P` ... "
                    "`predict P`",
                )
            elif not (self.c.broken and stmt.name.id in self.c.broken):
                self.fail(
                    stmt.name.span,
                    f"predict needs a scale, and {stmt.name.id!r} is not declared",
                    f"declare it with `scale {stmt.name.id}`",
                )
        elif self.scales[stmt.name.id].definition is not None:
            item = self.scales[stmt.name.id]
            self.fail(
                item.definition.span,
                f"{item.name.id} is predicted, so it cannot also be "
                "defined: the answer says how it grows",
                f"declare it alone, `scale {item.name.id}`; compare the answer with the "
                "growth you had in mind",
            )
        return stmt.name.id


class _Quiet(_Fail):
    """An error about a name on a broken line: raised to stop, but never reported."""

    def __init__(self) -> None:
        Exception.__init__(self, "quiet")
        self.diagnostic = None


def _require_posynomial(cost: sympy.Expr, node) -> None:
    """The exponent engine minimizes sums of monomials with positive coefficients."""
    try:
        posynomial_from_sympy(cost)
    except NotMonomial as error:
        raise _Fail(
            node.span,
            f"a cost must be a sum of monomials with positive coefficients: {error}",
            "write e.g. `cost M * norm` or `cost width * D`",
        ) from None


def _require_monomial(value: sympy.Expr, node, what: str) -> None:
    """Bounds and effects are single monomials in the parameters and the width (not ``norm``:
    it depends on the feature locked onto, which only the cost may read)."""
    if NORM in value.free_symbols:
        raise _Fail(
            node.span,
            f"`norm` may appear only in the cost, not in {what}",
            "bounds and effects use the parameters and width",
        )
    try:
        mono_from_sympy(value)
    except NotMonomial:
        raise _Fail(
            node.span,
            f"{what} must be a single monomial, such as M or width^(1/2) * D, not {show(value)}",
        ) from None


def _empty_range(lower: sympy.Expr, upper: sympy.Expr) -> bool:
    """Whether ``[lower, upper]``, both numbers or powers of the width, holds no value once the
    width is large (``[width, 1]``, ``[2, 1]``). Bounds in other parameters are left to the
    solver."""
    if lower == 0 or upper == sympy.oo or (lower.free_symbols | upper.free_symbols) - {WIDTH}:
        return False
    coefficient, exponent = sympy.powsimp(upper / lower).as_coeff_exponent(WIDTH)
    if not (coefficient.is_number and exponent.is_number):
        return False
    return bool(exponent < 0 or (exponent == 0 and coefficient < 1))


def _does_not_vary(expr: sympy.Expr) -> bool:
    """Whether the activation is one constant everywhere (``0*z``, ``z - z``, ``1``,
    ``max(z, 0) + min(-z, 0)``): exactly for a polynomial, else at a spread of sample points (a
    varying function of the kinds an activation is built from is not equal at all of them).
    Cached on disk like realness: the thirty-digit samples of every stdlib activation were a
    visible part of every load."""
    found = cache.remembered(
        "constancy",
        f"{CONSTANCY_CACHE_VERSION}|{sympy.srepr(expr)}",
        lambda: "yes" if _sample_constancy(expr) else "no",
    )
    return found == "yes"


def _sample_constancy(expr: sympy.Expr) -> bool:
    if expr.is_polynomial(Z):
        return sympy.degree(sympy.expand(expr), Z) <= 0
    at = lambda x: complex(sympy.N(expr.subs(Z, sympy.Float(x)), 30))
    first = at(0.4)
    return all(abs(at(x) - first) < 1e-25 * (1 + abs(first)) for x in (-2.7, -1.1, -0.3, 1.3, 2.9))


REALNESS_CACHE_VERSION = "1"  # bump when _sample_not_real changes
GROWTH_CACHE_VERSION = "2"  # bump when _sample_growth changes
CONSTANCY_CACHE_VERSION = "1"  # bump when _sample_constancy changes


def _grows_too_fast(expr: sympy.Expr) -> bool:
    """Whether E[phi(z)^2] diverges for z ~ N(0, 1): whether log|phi(z)| - z^2/4 fails to fall as
    |z| goes from 16 to 32 on either side (exp(z^2), exp(exp(z)); not exp(z^2/5) or any
    polynomial). The theory reads an activation by its Hermite coefficients, and such a function
    has none. Cached on disk like realness (every stdlib activation is checked on every load)."""
    found = cache.remembered(
        "growth",
        f"{GROWTH_CACHE_VERSION}|{sympy.srepr(expr)}",
        lambda: "yes" if _sample_growth(expr) else "no",
    )
    return found == "yes"


def _sample_growth(expr: sympy.Expr) -> bool:
    for sign in (1, -1):
        excess = []
        for x in (16, 32):
            value = sympy.N(
                sympy.log(sympy.Abs(expr.subs(Z, sign * x))) - sympy.Rational(x * x, 4), 15
            )
            excess.append(value if value.is_real and value.is_finite else -sympy.oo)
        if excess[1] > -1 or (excess[1].is_finite and excess[1] >= excess[0]):
            return True
    return False


def _not_real_at(expr: sympy.Expr) -> sympy.Rational | None:
    """A sample pre-activation where ``expr`` is complex, infinite or undefined (sqrt(z) at z < 0,
    log(z) at 0), or None. Pre-activations are Gaussian: every real value occurs.

    Every stdlib activation is checked on every load, so the answer is kept in the on-disk cache
    (it depends only on the expression)."""
    found = cache.remembered(
        "realness",
        f"{REALNESS_CACHE_VERSION}|{sympy.srepr(expr)}",
        lambda: cache.optional_text(_sample_not_real(expr)),
    )
    return None if found is None else sympy.Rational(found)


def _sample_not_real(expr: sympy.Expr) -> sympy.Rational | None:
    for x in (sympy.Rational(n, 3) for n in (-7, -2, 0, 1, 4, 11)):
        value = sympy.N(expr.subs(Z, x), 15)
        if not (value.is_real and value.is_finite):
            return x
    return None


def _within_degree(span: Span, value: sympy.Expr) -> sympy.Expr:
    """``value``, if its degree cannot pass the limit; else an error at ``span`` (see
    degree_bound)."""
    bound = degree_bound(value)
    if bound > MAX_DEGREE:
        raise _Fail(
            span,
            f"this makes a polynomial of degree up to {bound}, above scalelang's "
            f"limit of {MAX_DEGREE}",
            "use lower powers and Hermite degrees, or nest fewer function calls",
        )
    return value


def hermite_expand(
    value: sympy.Expr, gens: list, teacher_names: list[str], span: Span
) -> tuple[TargetTerm, ...]:
    """A polynomial in the projections as a sum of products of He_k (probabilists' Hermite)."""
    if not gens:
        raise _Fail(
            span,
            "the target uses no teacher",
            "a target is a function of projections such as w . x",
        )
    _within_degree(span, value)
    poly = sympy.Poly(sympy.expand(value), *gens)
    if poly.total_degree() > MAX_DEGREE:
        raise _Fail(
            span,
            f"the target's degree {poly.total_degree()} is above scalelang's limit of {MAX_DEGREE}",
        )
    terms: dict[tuple[int, ...], sympy.Rational] = {}
    for powers, coef in poly.terms():
        if not coef.is_Rational:
            raise _Fail(span, f"the target's coefficients must be exact rationals, not {coef}")
        expansions = [_power_in_hermite(n) for n in powers]
        combos = [((), sympy.Rational(coef))]
        for expansion in expansions:
            combos = [(ks + (k,), c * ck) for ks, c in combos for k, ck in expansion]
        for ks, c in combos:
            terms[ks] = terms.get(ks, 0) + c
    zero = tuple(0 for _ in gens)
    if terms.get(zero, 0) != 0:
        raise _Fail(
            span,
            f"the target has a constant part ({terms[zero]})",
            "scalelang assumes a zero-mean target; drop the constant",
        )
    result = [
        TargetTerm(sympy.Rational(c), tuple((teacher_names[i], k) for i, k in enumerate(ks) if k))
        for ks, c in terms.items()
        if c != 0 and ks != zero
    ]
    if not result:
        raise _Fail(span, "the target is zero")
    result.sort(
        key=lambda t: (
            -sum(k for _, k in t.degrees),
            [(teacher_names.index(n), -k) for n, k in t.degrees],
        )
    )
    return tuple(result)


def _power_in_hermite(n: int) -> list[tuple[int, sympy.Rational]]:
    """u^n = sum_k c_k He_k(u), with c_k = n! / (k! m! 2^m) for n - k = 2m."""
    return [
        (
            k,
            sympy.Rational(
                math.factorial(n),
                math.factorial(k) * math.factorial((n - k) // 2) * 2 ** ((n - k) // 2),
            ),
        )
        for k in range(n % 2, n + 1, 2)
    ]


def _stem(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name[: -len(".scale")] if name.endswith(".scale") else name


def _variance_span(prior: ast.Prior) -> Span:
    """Where a prior's variance is written (``1/d`` in ``normal(0, 1/d)``), else the prior."""
    args = prior.dist.args
    return args[1].span if len(args) == 2 else prior.span
