"""One test per check: the message, and the line and column it points at."""

import pytest
import sympy

from scalelang.support.diagnostics import ScaleError

from .helpers import BASE, errors, load, one_error, replace_line


def test_base_is_clean():
    assert load(BASE).name == "t"


def test_duplicate_name():
    line, col, msg = one_error(replace_line(3, "scale P, N"))
    assert (line, col) == (3, 10)
    assert msg == "'N' is already declared at line 2 (as a scale)"


def test_duplicate_layer_and_weight_names():
    text = replace_line(8, "layer d = erf(W x) width N prior W ~ normal(0, 1/d)")
    text = text.replace("readout f = a . h", "readout f = a . d")
    line, col, msg = one_error(text.replace("patterns h:", "patterns d:"))
    assert (line, col, msg) == (8, 7, "'d' is already declared at line 2 (as a scale)")


def test_undeclared_scale_in_width():
    line, col, msg = one_error(
        replace_line(8, "layer h = erf(W x) width M prior W ~ normal(0, 1/d)")
    )
    assert (line, col, msg) == (8, 26, "undeclared scale 'M'")


def test_width_not_monomial():
    line, col, msg = one_error(
        replace_line(8, "layer h = erf(W x) width N + d prior W ~ normal(0, 1/d)")
    )
    assert (line, col) == (8, 26)
    assert msg == "the width must be a monomial, not N + d"


def test_prior_variance_undeclared_and_not_monomial():
    line, col, msg = one_error(replace_line(9, "readout f = a . h prior a ~ normal(0, sigma2/N)"))
    assert (line, col, msg) == (9, 39, "undeclared scale 'sigma2'")
    line, col, msg = one_error(replace_line(9, "readout f = a . h prior a ~ normal(0, 1/N - 1/d)"))
    assert (line, col) == (9, 39) and msg.startswith("the prior variance must be a monomial")


def test_monomials_with_constants_and_rational_powers():
    text = replace_line(4, "constant sigma2 = 2")
    text = text.replace("normal(0, 1/d)", "normal(0, sigma2/d)").replace(
        "normal(0, 1/N)", "normal(0, 1/N^(3/2))"
    )
    p = load(text)
    d, n, s2 = (sympy.Symbol(s, positive=True) for s in ("d", "N", "sigma2"))
    assert p.layers[0].variance == s2 / d
    assert p.readout.variance == n ** sympy.Rational(-3, 2)
    assert p.constants == {"sigma2": 2}
    assert p.kappa == 1 and p.noise_name is None


def test_noise_not_monomial():
    line, col, msg = one_error(replace_line(4, "noise kappa = d + 1"))
    assert (line, col) == (4, 15) and msg.startswith("the noise must be a monomial")


def test_noise_monomial_in_scales():
    assert load(replace_line(4, "noise kappa = d^(1/2)")).kappa == sympy.sqrt(
        sympy.Symbol("d", positive=True)
    )


def test_layer_input_not_declared():
    line, col, msg = one_error(
        replace_line(8, "layer h = erf(W z) width N prior W ~ normal(0, 1/d)")
    )
    assert (line, col, msg) == (8, 17, "layer h reads 'z', which is not declared")


def test_layers_must_form_a_chain():
    text = BASE.replace(
        "layer h = erf(W x) width N prior W ~ normal(0, 1/d)",
        "layer h = erf(W x) width N prior W ~ normal(0, 1/d)\nlayer g = erf(V x) width N prior V ~ "
        "normal(0, 1/N)",
    ).replace("a . h", "a . g")
    line, col, msg = one_error(text)
    assert (line, col) == (9, 17)
    assert msg == "layer g reads x, but the layers must form a chain: it should read h"


def test_readout_reads_last_layer():
    text = BASE.replace(
        "layer h = erf(W x) width N prior W ~ normal(0, 1/d)",
        "layer h = erf(W x) width N prior W ~ normal(0, 1/d)\nlayer g = erf(V h) width N prior V ~ "
        "normal(0, 1/N)",
    )
    line, col, msg = one_error(text)
    assert (line, col) == (10, 17)
    assert msg == "the readout reads h, but the layers must form a chain: it should read g"


def test_unknown_activation():
    line, col, msg = one_error(
        replace_line(8, "layer h = swish(W x) width N prior W ~ normal(0, 1/d)")
    )
    assert (line, col, msg) == (8, 11, "unknown activation 'swish'")


def check_activation(body: str, error: str | None) -> None:
    """The base file with ``activation s(z) = body`` used by its layer: one error at the body
    (line 8, column 19) whose message starts with ``error``, or none when ``error`` is None."""
    text = replace_line(
        8, f"activation s(z) = {body}\nlayer h = s(W x) width N prior W ~ normal(0, 1/d)"
    )
    if error is None:
        load(text)
        return
    line, col, msg = one_error(text)
    assert (line, col) == (8, 19) and msg.startswith(error)


@pytest.mark.parametrize(
    "body, fast",
    [
        ("exp(z^2)", True),
        ("exp(exp(z))", True),
        ("exp(z^2/4)", True),
        ("exp(z^2/5)", False),
        ("exp(z)", False),
        ("z^7", False),
        ("max(z, 0)", False),
        ("sign(z)", False),
    ],
)
def test_activation_must_have_a_gaussian_second_moment(body, fast):
    """E[phi(z)^2] over z ~ N(0, 1) is finite exactly when phi grows slower than exp(z^2/4):
    exp(c z^2) squared against exp(-z^2/2) converges for c < 1/4 only."""
    check_activation(body, "activation s grows too fast" if fast else None)


@pytest.mark.parametrize(
    "body, constant",
    [
        ("0*z", True),
        ("z - z", True),
        ("1", True),
        ("max(z, 0) + min(-z, 0)", True),
        ("max(z, 0) + min(z, 0)", False),
        ("exp(z)*sin(z)", False),
        ("sign(z)", False),
    ],
)
def test_an_activation_that_does_not_vary_is_an_error(body, constant):
    """A constant activation carries no feature (0 made the Hermite expansion fail with a
    traceback); functions that do vary, however built, pass."""
    check_activation(body, "activation s is the same for every" if constant else None)


def test_activation_must_be_real_everywhere():
    """Pre-activations are Gaussian, so every real value occurs: sqrt(z) is complex for z < 0."""
    check_activation("sqrt(z)", "activation s is not a real number at z = -7/3")
    check_activation("sqrt(abs(z))", None)


def test_power_activation_token():
    p = load(replace_line(8, "layer h = x^2(W x) width N prior W ~ normal(0, 1/d)"))
    assert p.layers[0].activation.name == "x^2"
    assert p.layers[0].activation.expr == sympy.Symbol("z", real=True) ** 2


def test_prior_names_other_weight():
    line, col, msg = one_error(
        replace_line(8, "layer h = erf(W x) width N prior V ~ normal(0, 1/d)")
    )
    assert (line, col, msg) == (8, 34, "the prior is for V, but the weight here is W")


def test_prior_mean_must_be_zero():
    line, col, msg = one_error(replace_line(9, "readout f = a . h prior a ~ normal(1, 1/N)"))
    assert (line, col, msg) == (9, 36, "priors have mean zero")


def test_target_undeclared_teacher():
    line, col, msg = one_error(replace_line(7, "target y = He3(v . x)"))
    assert (line, col, msg) == (7, 16, "undeclared teacher 'v'")


def test_target_not_the_input():
    line, col, msg = one_error(replace_line(7, "target y = He3(w . z)"))
    assert (line, col, msg) == (7, 20, "'z' is not the input (the input is x)")


def test_target_he0():
    line, col, msg = one_error(replace_line(7, "target y = He3(w . x) + He0(w . x)"))
    assert (line, col) == (7, 25)
    assert msg == "He0 is a constant, and scalelang assumes a zero-mean target"


def test_target_unknown_hermite_degree():
    line, col, msg = one_error(replace_line(7, "target y = Hethree(w . x)"))
    assert (line, col, msg) == (7, 12, "unknown Hermite polynomial 'Hethree'")


def test_target_constant_part():
    line, col, msg = one_error(replace_line(7, "target y = (w . x)^2"))
    assert (line, col) == (7, 12)
    assert msg == "the target has a constant part (1)"


def test_unknown_pattern_and_layer_in_patterns_line():
    line, col, msg = one_error(replace_line(10, "patterns h: gp | lazy"))
    assert (line, col, msg) == (10, 18, "unknown pattern 'lazy'")
    line, col, msg = one_error(replace_line(10, "patterns g: gp"))
    assert (line, col, msg) == (10, 10, "unknown layer 'g' in a patterns line")


def test_predict_not_a_scale():
    line, col, msg = one_error(replace_line(11, "predict h"))
    assert (line, col, msg) == (11, 9, "predict needs a scale, and h is a layer")
    line, col, msg = one_error(replace_line(11, "predict Q"))
    assert (line, col, msg) == (11, 9, "predict needs a scale, and 'Q' is not declared")


def test_missing_statement():
    line, col, msg = one_error(BASE.replace("predict P\n", ""))
    assert (line, col, msg) == (1, 1, "this file has no `predict` statement")


def test_free_exponent_and_numeric_definition():
    text = replace_line(3, "scale P, M = d^nu, K = d^(3/2)")
    p = load(text)
    d = sympy.Symbol("d", positive=True)
    defs = {s.name: s.definition for s in p.scales}
    assert defs["M"] == d ** sympy.Symbol("nu", real=True)
    assert defs["K"] == d ** sympy.Rational(3, 2)
    assert p.free_exponents == ("nu",)


def test_free_exponent_outside_exponent():
    line, col, msg = one_error(replace_line(3, "scale P, M = nu * d^nu"))
    assert (line, col, msg) == (3, 14, "'nu' is not a scale")


def test_scale_cycle():
    line, col, msg = one_error(replace_line(3, "scale P, Q = N2, N2 = Q^2"))
    assert (line, col) == (3, 10)
    assert msg == "scale Q is defined in terms of itself: Q -> N2 -> Q"


def test_unknown_pattern_declaration_names():
    text = BASE + 'pattern odd "x"\n    param M in [1, width]\n    cost M * Q\nend\n'
    line, col, msg = one_error(text)
    assert (line, col, msg) == (14, 14, "unknown name 'Q' in pattern odd")


def test_pattern_declared_in_file_is_in_scope():
    text = BASE.replace("patterns h: gp | spec", "patterns h: gp | lock") + (
        'pattern lock "all neurons"\n    param M in (0, width]\n    cost M * norm\n'
        "    spike M carrying activation\nend\n"
    )
    p = load(text)
    assert p.allowed_patterns["h"] == ("gp", "lock")
    assert p.patterns["lock"].params[0].lower is None


def test_redefining_a_stdlib_activation_is_an_error():
    line, col, msg = one_error(BASE + "activation relu(z) = max(z, 0)\n")
    assert (line, col) == (12, 12) and msg.startswith("activation 'relu' is already declared at ")


def test_three_separate_mistakes_three_errors():
    text = replace_line(8, "layer h = erf(W x) width M prior W ~ normal(0, 1/d)")
    text = replace_line(10, "patterns h: gp | lazy", text)
    text = replace_line(11, "predict h", text)
    assert [(row, c) for row, c, _ in errors(text)] == [(8, 26), (10, 18), (11, 9)]


@pytest.mark.parametrize(
    "bounds, empty",
    [
        ("[width, 1]", True),
        ("[2, 1]", True),
        ("[1, width]", False),
        ("[width^2, width]", True),
        ("[1, 1]", False),
    ],
)
def test_a_parameter_range_empty_at_large_width_is_an_error(bounds, empty):
    text = BASE.replace("patterns h: gp | spec", "patterns h: gp | p") + (
        f'pattern p "a range"\n    param M in {bounds}\n    cost M * norm\n'
        "    spike M carrying activation\nend\n"
    )
    if empty:
        line, col, msg = one_error(text)
        assert (line, col) == (13, 5) and msg == "the range of M is empty for a large width"
    else:
        load(text)


@pytest.mark.parametrize(
    "literal, message",
    [
        ("1" * 5000, "this number has more than 100 digits"),
        ("1e-300", "the number 1e-300 is too small for scalelang"),
        ("1e300", "the number 1e300 is too large for scalelang"),
    ],
)
def test_numbers_past_the_limits_are_positioned_errors(literal, message):
    """Python refuses to read an integer of more than 4300 digits (a traceback before this)."""
    line, col, msg = one_error(replace_line(4, f"noise kappa = {literal}"))
    assert (line, col, msg) == (4, 15, message)


@pytest.mark.parametrize(
    "body, where, message",
    [
        (
            "param M in [1, width]\n    cost M - norm\n    spike M carrying activation",
            (14, 10),
            "a cost must be a sum of monomials with positive coefficients",
        ),
        (
            "param M in [1, width]\n    cost M * norm\n    spike norm carrying activation",
            (15, 11),
            "`norm` may appear only in the cost, not in an effect",
        ),
        (
            "param M in [1, width + 1]\n    cost M * norm\n    spike M carrying activation",
            (13, 20),
            "a bound must be a single monomial",
        ),
    ],
)
def test_pattern_lines_the_engine_cannot_take_are_check_errors(body, where, message):
    """`check` must find what `solve` would refuse, at the line and expression at fault."""
    text = (
        BASE.replace("patterns h: gp | spec", "patterns h: gp | p")
        + f'pattern p "x"\n    {body}\nend\n'
    )
    line, col, msg = one_error(text)
    assert (line, col) == where and msg.startswith(message)


def test_a_pattern_parameter_nothing_uses_is_a_check_error():
    text = BASE.replace("patterns h: gp | spec", "patterns h: gp | p") + (
        'pattern p "x"\n    param M in [1, width]\n    param Q in [1, width]\n'
        "    cost M * norm\n    spike M carrying activation\nend\n"
    )
    line, col, msg = one_error(text)
    assert (line, col) == (14, 11) and msg.startswith("parameter Q is used by neither the cost")


def test_an_activation_dividing_by_zero_gets_a_hint_about_it():
    text = replace_line(
        8, "activation s(z) = 1/z\nlayer h = s(W x) width N prior W ~ normal(0, 1/d)"
    )
    with pytest.raises(ScaleError) as info:
        load(text)
    [diagnostic] = info.value.diagnostics
    assert "z = 0" in diagnostic.message and "divides by zero" in diagnostic.hint


def test_an_irrational_exponent_in_a_prior_says_so():
    """^ is right-associative: d^(1/7)^(1/7) is d^((1/7)^(1/7)), an irrational power."""
    line, col, msg = one_error(
        replace_line(8, "layer h = erf(W x) width N prior W ~ normal(0, 1/d^(1/7)^(1/7))")
    )
    assert line == 8 and "not a rational number" in msg


@pytest.mark.parametrize(
    "width, error",
    [
        ("d^(-1)", "layer h has width 1/d, below 1 where d > 1"),
        ("N/d", "layer h has width N/d, below 1 where"),
        ("N", None),
        ("d^(1/2)", None),
        ("1", None),
    ],
)
def test_a_width_below_one_is_an_error(width, error):
    """A width counts neurons: a width that falls below 1 somewhere in the scales is refused at the
    layer (d^-1 was solved as if it made sense); N/d passes once an assumption keeps N >= d.
    Like the other questions about the scales, it is asked when the scale space is built (by
    check and solve alike)."""
    from scalelang.support.diagnostics import ScaleError
    from scalelang.theory.scales import scale_space

    text = replace_line(8, f"layer h = erf(W x) width {width} prior W ~ normal(0, 1/d)")
    if error is None:
        scale_space(load(text))
        return
    with pytest.raises(ScaleError) as raised:
        scale_space(load(text))
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.span.line == 8 and diagnostic.message.startswith(error)
    assert diagnostic.span.column == len("layer h = erf(W x) width ") + 1  # at the width
    if width == "N/d":
        scale_space(load(text + "assume d <= N\n"))


def test_an_undeclared_name_in_an_exponent_is_taken_for_a_free_exponent():
    """`width d^nu` means a width that grows with d at a free exponent: the hint says how to write
    that (a scale defined with it), not `scale nu`."""
    from scalelang.support.diagnostics import ScaleError

    with pytest.raises(ScaleError) as raised:
        load(replace_line(8, "layer h = erf(W x) width d^nu prior W ~ normal(0, 1/d)"))
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.message == "undeclared exponent 'nu'"
    assert "`scale S = d^nu`" in diagnostic.hint and "--set nu=1" in diagnostic.hint


def test_the_predicted_scale_cannot_be_defined():
    """`scale P = d^2` with `predict P` was solved as if the definition were not there."""
    from scalelang.support.diagnostics import ScaleError

    with pytest.raises(ScaleError) as raised:
        load(replace_line(3, "scale P = d^2"))
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.span.line, diagnostic.span.column) == (3, 11)
    assert diagnostic.message.startswith("P is predicted, so it cannot also be defined")


def test_importing_a_stdlib_module_again_is_harmless():
    from scalelang.support.resources import stdlib_path

    load(f'import "{stdlib_path("activations")}"\n' + BASE)


def test_old_macintosh_line_ends_are_line_ends():
    assert load(BASE.replace("\n", "\r")).name == "t"


def test_the_first_small_scale_is_blamed_among_many():
    """The region of large scales is bisected over the scales in declaration order: the scale
    blamed is the first that leaves no region, wherever it stands among many."""
    from scalelang import pipeline

    many = "".join(f"scale S{i}\n" for i in range(40))
    text = BASE.replace("scale P\n", "scale P\n" + many + "scale Bad = d^-1\nscale Worse = d^-2\n")
    problem = pipeline.load("x.scale", text=text)
    with pytest.raises(ScaleError) as raised:
        pipeline.scales(problem)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.message.startswith("scale Bad = 1/d is not large")
