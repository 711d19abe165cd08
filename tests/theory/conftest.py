"""Helpers for theory tests: build small problems from text and read the solution's JSON."""

from scalelang.api import load


def two_layer(
    activation="erf", target="He3(w . x)", readout_var="1/N", patterns="gp | spec | gfl", extra=""
):
    return f"""problem two_layer
scale d, N
scale P
noise kappa = 1
input   x ~ gaussian(d)
teacher w ~ sphere(d)
target  y = {target}
layer   h = {activation}(W x)   width N   prior W ~ normal(0, 1/d)
readout f = a . h                prior a ~ normal(0, {readout_var})
patterns h: {patterns}
{extra}
predict P
"""


def three_layer(activation="erf", target="He3(w . x)", h1="gp | spec", h2="gp | spec | mag"):
    return f"""problem three_layer
scale d
scale N1, N2
scale P
noise kappa = 1
input   x ~ gaussian(d)
teacher w ~ sphere(d)
target  y = {target}
layer   h1 = {activation}(W1 x)   width N1   prior W1 ~ normal(0, 1/d)
layer   h2 = {activation}(W2 h1)  width N2   prior W2 ~ normal(0, 1/N1)
readout f  = a . h2                 prior a  ~ normal(0, 1/N2)
patterns h1: {h1}
patterns h2: {h2}
predict P
"""


def solve_text(text, **overrides):
    return load(text).solve(**overrides).to_json()


def assignment(data, **patterns):
    for entry in data["assignments"]:
        if entry["patterns"] == patterns:
            return entry
    raise AssertionError(
        f"no assignment {patterns} in {[a['patterns'] for a in data['assignments']]}"
    )
