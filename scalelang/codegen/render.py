"""Rendering: a simulation spec, a prediction and a sweep plan into the text of a Python script.

Owns the Jinja2 environment and the templates' context; the templates (scalelang/templates/sim/)
own the code. Nothing here runs the script.
"""

from __future__ import annotations

import json
import unicodedata

import jinja2

from scalelang.codegen.plan import Prediction, SweepPlan
from scalelang.codegen.spec import SimSpec
from scalelang.support.span import Span
from scalelang.support.version import __version__


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("scalelang", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr  # Python literals in the generated code
    env.filters["source"] = source  # "FILE:LINE: what" for a comment
    env.filters["docstring"] = docstring_text
    return env


# Characters that must not reach a comment as they are: controls (a newline would end the comment
# and make the rest of a file name code; a NUL stops the compiler), format characters (a
# right-to-left override makes the line read other than it runs), lone surrogates (a file name
# that is not UTF-8: the script could not be written), and Unicode's line and paragraph separators.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def comment_text(text: str) -> str:
    """``text`` fit for one line of a Python comment: each unsafe character as its escape
    (a newline as ``\\n``, a NUL as ``\\x00``, as ``ascii`` writes them), the rest as it is."""
    return "".join(ascii(c)[1:-1] if unicodedata.category(c) in _UNSAFE else c for c in str(text))


def docstring_text(text: str) -> str:
    """``text`` fit for the script's docstring: as for a comment, and with backslashes and quotes
    escaped (a Windows path's ``\\x`` or a ``\"\"\"`` would otherwise end or break it). Every
    part of the docstring that comes from the user's file or command line goes through it."""
    return comment_text(text).replace("\\", "\\\\").replace('"', '\\"')


def source(span: Span | None, what: str) -> str:
    """``FILE:LINE: what``, the place in the .scale file a part of the script comes from, for a
    comment; ``what`` alone when the place is not known (a problem built without a file)."""
    if span is None or span.line <= 0:
        return comment_text(what)
    return comment_text(f"{span.path}:{span.line}: {what}")


def prediction_text(spec: SimSpec, prediction: Prediction) -> str:
    """'d^(1) (patterns h: spec; from solve: sqrt(N*d))' for the script's first lines."""
    text = f"{spec.dim}^({prediction.exponent})"
    if prediction.patterns:
        text += " (patterns " + ", ".join(f"{k}: {v}" for k, v in prediction.patterns.items()) + ")"
    if prediction.expr:
        text += f"; P* = {prediction.expr}"
    return text + f" [{prediction.source}]"


def measured_groups(spec: SimSpec, prediction: Prediction) -> list[tuple]:
    """The groups the script counts: ``(layer index, name, teacher indices, sign patterns)`` for
    every group of the prediction (``plan.groups_of``) whose layer and teachers the network has.
    Nothing for an attention head: its overlaps are with (query, context) pairs of teachers, not
    with teachers, so a group's direction has no counterpart there (docs/simulation.md)."""
    if spec.kind == "attention":
        return []
    layers = [layer.name for layer in spec.layers]
    out = []
    for layer, groups in prediction.groups.items():
        for group in groups:
            if layer not in layers or not set(group["teachers"]) <= set(spec.teachers):
                continue
            teachers = tuple(spec.teachers.index(t) for t in group["teachers"])
            signs = None if group["signs"] is None else tuple(map(tuple, group["signs"]))
            out.append((layers.index(layer), group["name"], teachers, signs))
    return out


def render_script(spec: SimSpec, prediction: Prediction, plan: SweepPlan) -> str:
    """The standalone simulation script."""
    template = _environment().get_template("sim/script.py.j2")
    plan_json = json.loads(json.dumps(plan.to_json()))
    return template.render(
        spec=spec,
        groups=measured_groups(spec, prediction),
        prediction=prediction.to_json(),
        prediction_text=prediction_text(spec, prediction),
        plan=plan_json,
        version=__version__,
    )
