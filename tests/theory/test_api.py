"""The notebook API: load, solve with keyword overrides, P* as sympy, readable objects."""

from pathlib import Path

import pytest
import sympy

import scalelang
from scalelang.support.diagnostics import ScaleError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fcn2_he3.scale"


def test_p_star_is_a_sympy_expression_monomial_or_piecewise():
    model = scalelang.load(EXAMPLE)
    d, kappa = sympy.symbols("d kappa", positive=True)
    assert model.solve(N="d").p_star == d * kappa
    piecewise = model.solve().p_star
    assert isinstance(piecewise, sympy.Piecewise) and len(piecewise.args) == 4
    N = sympy.Symbol("N", positive=True)
    assert piecewise.subs({N: 2**12, d: 2, kappa: 1}) == 8  # N >= d^5: the lazy network's d^3


def test_solving_at_other_values_reads_and_checks_the_file_once(monkeypatch):
    """``solve(N="d")`` applies the overrides to the problem loaded, as ``load`` with them
    would give it: the same answer as a fresh load with the overrides, and no second check."""
    from scalelang import pipeline
    from scalelang.frontend import load as front

    fresh = pipeline.load(EXAMPLE, overrides={"N": "d^2"}, surface=scalelang.api.PYTHON)
    model = scalelang.load(EXAMPLE)
    monkeypatch.setattr(front, "check_file", lambda *a, **k: pytest.fail("checked again"))
    for value in ("d", "d^2", "d^6"):
        model.solve(N=value)
    assert model.solve(N="d^2").to_json() == pipeline.solve(fresh).to_json()


def test_override_errors_name_the_keyword_not_the_command_line():
    with pytest.raises(ScaleError) as error:
        scalelang.load(EXAMPLE).solve(X="d")
    text = str(error.value.diagnostics[0].message)
    assert "--set" not in text and "override X" in text
    assert error.value.diagnostics[0].span.path == "solve()"


def test_an_empty_text_is_an_empty_file_not_the_current_folder():
    with pytest.raises(ScaleError) as error:
        scalelang.load("")
    message = error.value.diagnostics[0].message
    assert "declares no problem" in message and "directory" not in message


def test_objects_print_briefly():
    solution = scalelang.load(EXAMPLE).solve()
    for thing in (solution.phases[0], solution.assignments[1], solution.assignments[1].pieces[0]):
        text = repr(thing)
        assert len(text) < 200 and "Candidate(" not in text and "Affine(" not in text
    assert repr(solution.assignments[0]) == "AssignmentResult(h=gp: 1 piece)"


def test_phase_at_names_the_coordinates_it_wants():
    import pytest

    solution = scalelang.load(str(EXAMPLE)).solve()
    assert solution.phase_at({"d": 1, "N": 3}).winners[0] == {"h": "spec"}
    with pytest.raises(KeyError, match="x is not one; missing d, N"):
        solution.phase_at({"x": 1})


def test_one_line_of_text_and_the_error_type_at_top_level():
    import pytest

    with pytest.raises(scalelang.ScaleError):
        scalelang.load("scale d")
