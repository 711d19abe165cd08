"""Rendering: a simulation spec, a prediction and a sweep plan into the text of a Python script.

Owns the Jinja2 environment and the templates' context; the templates (scalelang/templates/sim/)
own the code. Nothing here runs the script.
"""

from __future__ import annotations

import json

import jinja2

from scalelang.codegen.plan import Prediction, SweepPlan
from scalelang.codegen.spec import SimSpec
from scalelang.support.version import __version__


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("scalelang", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr  # Python literals in the generated code
    return env


def prediction_text(spec: SimSpec, prediction: Prediction) -> str:
    """'d^(1) (patterns h: spec; from solve: sqrt(N*d))' for the script's first lines."""
    text = f"{spec.dim}^({prediction.exponent})"
    if prediction.patterns:
        text += " (patterns " + ", ".join(f"{k}: {v}" for k, v in prediction.patterns.items()) + ")"
    if prediction.expr:
        text += f"; P* = {prediction.expr}"
    return text + f" [{prediction.source}]"


def render_script(spec: SimSpec, prediction: Prediction, plan: SweepPlan) -> str:
    """The standalone simulation script."""
    template = _environment().get_template("sim/script.py.j2")
    plan_json = json.loads(json.dumps(plan.to_json()))
    return template.render(
        spec=spec,
        prediction=prediction.to_json(),
        prediction_text=prediction_text(spec, prediction),
        plan=plan_json,
        version=__version__,
    )
