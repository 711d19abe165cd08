"""The target's expansion in the product Hermite basis, and target functions."""

import sympy

from .helpers import BASE, errors, load, one_error, replace_line

R = sympy.Rational


def terms(target_line, base=BASE):
    p = load(replace_line(7, target_line, base))
    return [(t.coef, t.degrees) for t in p.target]


def test_raw_power_expands_into_hermite():
    assert terms("target y = (w . x)^3") == [(1, (("w", 3),)), (3, (("w", 1),))]


def test_sums_coefficients_and_order():
    assert terms("target y = He1(w . x) + 1/2 * He3(w . x)") == [
        (R(1, 2), (("w", 3),)),
        (1, (("w", 1),)),
    ]


def test_product_of_hermites_of_one_teacher_is_re_expanded():
    # He1(u) He2(u) = He3(u) + 2 He1(u)
    assert terms("target y = He1(w . x) * He2(w . x)") == [(1, (("w", 3),)), (2, (("w", 1),))]


def test_two_teachers_and_a_function():
    base = BASE.replace("teacher w ~ sphere(d)", "teacher w ~ sphere(d)\nteacher v ~ sphere(d)")
    p = load(replace_line(8, "target y = staircase(w . x, v . x)", base))
    assert [(t.coef, t.degrees) for t in p.target] == [(1, (("w", 1), ("v", 2))), (1, (("w", 1),))]
    assert p.target_text == "staircase(w . x, v . x)"


def test_user_function_and_cubic():
    text = BASE + "function mine(u) = 2 * He3(u) - He1(u)\n"
    p = load(replace_line(7, "target y = mine(w . x) + cubic(w . x)", text))
    assert [(t.coef, t.degrees) for t in p.target] == [(3, (("w", 3),)), (-1, (("w", 1),))]


def test_activation_in_target_is_an_error():
    line, col, msg = one_error(replace_line(7, "target y = erf(w . x)"))
    assert (line, col, msg) == (7, 12, "erf cannot appear in a target")


def test_zero_target():
    line, col, msg = one_error(replace_line(7, "target y = He1(w . x) - He1(w . x)"))
    assert (line, col, msg) == (7, 12, "the target is zero")


def test_composed_functions_past_the_degree_limit_stop_at_the_first_call():
    """f_k(z) = f_{k-1}(f_{k-1}(z)) squares the degree: f_0 = He2 has 2, then 4, 16, 256, and
    f_39 would have 2^(2^39) terms to expand. The first call over the limit (f_3's body) is the one
    error, and the functions declared from it are not reported again as unknown."""
    chain = "\n".join(f"function f{k}(z) = f{k - 1}(f{k - 1}(z))" for k in range(1, 40))
    text = BASE.replace("problem t", "problem t\nfunction f0(z) = He2(z)\n" + chain)
    text = text.replace("target y = He3(w . x)", "target y = f39(w . x)")
    [(line, column, message)] = errors(text)
    assert (line, column) == (5, 18)
    assert "degree up to 256" in message


def test_a_power_tower_is_refused_before_expansion():
    [(line, _, message)] = errors(replace_line(7, "target y = ((He1(w . x) + He2(w . x))^64)^64"))
    assert line == 7 and "degree up to 8192" in message


def test_a_broken_activation_is_reported_once():
    text = BASE.replace("problem t", "problem t\nactivation act(z) = erf(g(z))")
    text = text.replace("erf(W x)", "act(W x)")
    [(line, _, message)] = errors(text)
    assert line == 2 and "unknown function 'g'" in message
