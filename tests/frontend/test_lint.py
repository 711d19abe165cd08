"""Warnings: files that check but probably do not say what their authors meant."""

import warnings

import pytest

import scalelang
from scalelang.cli import main
from scalelang.support.diagnostics import ScaleWarning

from .helpers import BASE, load, replace_line


def _warnings(text):
    return [(w.span.line, w.span.column, w.message) for w in load(text).warnings]


def test_clean_file_has_no_warnings():
    assert _warnings(BASE) == []


def test_unused_scale_is_named_at_its_declaration():
    found = _warnings(replace_line(2, "scale d, N, Q"))
    assert [(line, column) for line, column, _ in found] == [(2, 13)]
    assert "the scale Q is declared but nothing uses it" in found[0][2]


def test_scale_used_only_in_another_scales_definition_is_used():
    text = replace_line(2, "scale d, M = d^2, N = M")
    assert _warnings(text) == []


@pytest.mark.parametrize("written, shown", [("d^3/2", "d^3/2"), ("d^-3/2", "d^-3/2")])
def test_power_over_a_number_reads_as_a_factor(written, shown):
    found = _warnings(replace_line(8, f"layer h = erf(W x) width N prior W ~ normal(0, {written})"))
    assert [(line, column) for line, column, _ in found] == [(8, 48)]
    assert found[0][2].startswith(f"{shown} reads as (")


@pytest.mark.parametrize("written", ["d^(3/2)", "(d^3)/2", "d^-1", "1/d^2", "(d^-3)/2"])
def test_bracketed_or_plain_powers_do_not_warn(written):
    text = replace_line(8, f"layer h = erf(W x) width N prior W ~ normal(0, {written})")
    assert [m for _, _, m in _warnings(text) if "reads as" in m] == []


def test_cli_prints_warnings_and_still_answers(tmp_path, capsys):
    path = tmp_path / "w.scale"
    path.write_text(replace_line(2, "scale d, N, Q"))
    assert main(["solve", str(path)]) == 0
    out, err = capsys.readouterr()
    assert f"{path}:2:13: warning: the scale Q" in err
    assert "P*" in out
    assert main(["check", str(path)]) == 0
    assert "1 warning" in capsys.readouterr().out


def test_api_raises_python_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scalelang.load(replace_line(2, "scale d, N, Q"))
    assert [w.category for w in caught] == [ScaleWarning]
    assert "2:13: warning" in str(caught[0].message)


def test_a_formula_may_divide_a_power_and_a_product_may_not_hide_one():
    """z^3/6 in an activation means what it says; N*d^3/2 in a width is the slip again."""
    text = BASE.replace("predict P", "activation cube6(z) = z^3/6\npredict P")
    text = text.replace("width N prior", "width N*d^3/2 prior")
    found = _warnings(text)
    assert [m.split(" reads")[0] for _, _, m in found] == ["d^3/2"]
    assert _warnings(text.replace("N*d^3/2", "N*(d^3)/2")) == []


def test_a_scale_used_only_by_an_override_is_used():
    text = replace_line(2, "scale d, N, Q")
    assert [
        m
        for _, _, m in [
            (w.span.line, w.span.column, w.message)
            for w in load(text, overrides={"N": "Q^2"}).warnings
        ]
    ] == []
