"""The target's expansion in the product Hermite basis, and target functions."""

import sympy

from .helpers import BASE, load, one_error, replace_line

R = sympy.Rational


def terms(target_line, base=BASE):
    p = load(replace_line(7, target_line, base))
    return [(t.coef, t.degrees) for t in p.target]


def test_raw_power_expands_into_hermite():
    assert terms("target y = (w . x)^3") == [(1, (("w", 3),)), (3, (("w", 1),))]


def test_sums_coefficients_and_order():
    assert terms("target y = He1(w . x) + 1/2 * He3(w . x)") == [(R(1, 2), (("w", 3),)), (1, (("w", 1),))]


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
