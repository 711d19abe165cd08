"""The canonical text of an AST: parse(print(tree)) gives the same tree back (spans aside).

Owns the layout of .scale text: one statement per line, single spaces, pattern lines indented by
four spaces, the fewest parentheses that keep each expression's shape. Comments are not part of the
AST and are not printed.
"""

from __future__ import annotations

from scalelang.frontend import ast

# Binding strength of each operator; higher binds tighter.
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}


def _prec(expr: ast.Expr) -> int:
    if isinstance(expr, ast.BinOp):
        return _PREC[expr.op]
    if isinstance(expr, ast.Neg):
        return _PREC["neg"]
    return 5


def _wrap(expr: ast.Expr, needs: bool) -> str:
    text = _expr(expr)
    return f"({text})" if needs else text


def _expr(expr: ast.Expr) -> str:
    if isinstance(expr, ast.Number):
        return expr.text
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Dot):
        return f"{expr.left.id} . {expr.right.id}"
    if isinstance(expr, ast.Call):
        return f"{expr.func.id}({', '.join(_expr(a) for a in expr.args)})"
    if isinstance(expr, ast.Neg):
        return "-" + _wrap(expr.operand, _prec(expr.operand) < _PREC["neg"])
    if isinstance(expr, ast.BinOp):
        p = _PREC[expr.op]
        if expr.op == "^":  # right-associative; the base is an atom, the exponent a unary
            base = _wrap(expr.left, _prec(expr.left) <= p)
            return f"{base}^{_wrap(expr.right, _prec(expr.right) < _PREC['neg'])}"
        left = _wrap(expr.left, _prec(expr.left) < p)
        right = _wrap(expr.right, _prec(expr.right) <= p)
        return f"{left} {expr.op} {right}"
    raise TypeError(f"not an expression: {expr!r}")


def _call(call: ast.Call) -> str:
    return _expr(call)


def print_statement(stmt) -> str:
    """One statement (a pattern block spans several lines)."""
    if isinstance(stmt, ast.ProblemStmt):
        return f"problem {stmt.name.id}"
    if isinstance(stmt, ast.Import):
        return f'import "{stmt.path}"'
    if isinstance(stmt, ast.ScaleStmt):
        items = [
            i.name.id if i.definition is None else f"{i.name.id} = {_expr(i.definition)}"
            for i in stmt.items
        ]
        return "scale " + ", ".join(items)
    if isinstance(stmt, ast.Constant):
        return f"constant {stmt.name.id}" + (
            "" if stmt.value is None else f" = {_expr(stmt.value)}"
        )
    if isinstance(stmt, ast.Noise):
        return f"noise {stmt.name.id} = {_expr(stmt.value)}"
    if isinstance(stmt, ast.InputStmt):
        tokens = stmt.tokens
        extra = "" if tokens is None else f" tokens {_expr(tokens.count)} query {tokens.query.id}"
        return f"input {stmt.name.id} ~ {_call(stmt.dist)}{extra}"
    if isinstance(stmt, ast.TeacherStmt):
        return f"teacher {stmt.name.id} ~ {_call(stmt.dist)}"
    if isinstance(stmt, ast.Target):
        return f"target {stmt.name.id} = {_expr(stmt.expr)}"
    if isinstance(stmt, ast.AttentionStmt):
        return (
            f"attention {stmt.name.id} = {stmt.normalizer.id}({stmt.query.id} {stmt.weight.id} "
            f"{stmt.key.id})"
            f" {stmt.value_weight.id} {stmt.value_input.id} heads {_expr(stmt.heads)}"
            f" {_prior(stmt.prior)} {_prior(stmt.value_prior)}"
        )
    if isinstance(stmt, ast.LayerStmt) and stmt.kind == "conv":
        return (
            f"conv {stmt.name.id} = {stmt.activation.id}({stmt.weight.id} {stmt.input.id})"
            f" channels {_expr(stmt.width)} patches {_expr(stmt.patches)} {_prior(stmt.prior)}"
        )
    if isinstance(stmt, ast.LayerStmt):
        return (
            f"layer {stmt.name.id} = {stmt.activation.id}({stmt.weight.id} {stmt.input.id})"
            f" width {_expr(stmt.width)} {_prior(stmt.prior)}"
        )
    if isinstance(stmt, ast.ReadoutStmt):
        return f"readout {stmt.name.id} = {stmt.weight.id} . {stmt.input.id} {_prior(stmt.prior)}"
    if isinstance(stmt, ast.PatternsStmt):
        return f"patterns {stmt.layer.id}: " + " | ".join(p.id for p in stmt.patterns)
    if isinstance(stmt, ast.Assume):
        return f"assume {_expr(stmt.left)} {stmt.relation} {_expr(stmt.right)}"
    if isinstance(stmt, ast.Predict):
        return f"predict {stmt.name.id}"
    if isinstance(stmt, ast.ActivationDecl):
        return f"activation {stmt.name.id}({stmt.param.id}) = {_expr(stmt.body)}"
    if isinstance(stmt, ast.FunctionDecl):
        return (
            f"function {stmt.name.id}({', '.join(p.id for p in stmt.params)}) = {_expr(stmt.body)}"
        )
    if isinstance(stmt, ast.PatternDecl):
        head = f"pattern {stmt.name.id}" + ("" if stmt.doc is None else f' "{stmt.doc}"')
        return "\n".join([head, *("    " + _pattern_line(line) for line in stmt.lines), "end"])
    raise TypeError(f"not a statement: {stmt!r}")


def _prior(prior: ast.Prior) -> str:
    return f"prior {prior.weight.id} ~ {_call(prior.dist)}"


def _pattern_line(line) -> str:
    if isinstance(line, ast.ParamLine):
        opening = "[" if line.closed_lower else "("
        closing = "]" if line.closed_upper else ")"
        return f"param {line.name.id} in {opening}{_expr(line.lower)}, {_expr(line.upper)}{closing}"
    if isinstance(line, ast.CostLine):
        return f"cost {_expr(line.expr)}"
    if isinstance(line, ast.AmplifyLine):
        return f"amplify {_expr(line.expr)}"
    if isinstance(line, ast.SpikeLine):
        return f"spike {_expr(line.expr)} carrying {line.carrying.id}"
    raise TypeError(f"not a pattern line: {line!r}")


def print_module(module: ast.Module) -> str:
    """The whole file, one statement per line; a blank line around each pattern block."""
    out: list[str] = []
    for stmt in module.statements:
        text = print_statement(stmt)
        if isinstance(stmt, ast.PatternDecl) and out and out[-1] != "":
            out.append("")
        out.append(text)
        if isinstance(stmt, ast.PatternDecl):
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
