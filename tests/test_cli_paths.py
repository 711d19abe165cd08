"""Command-line edges a user hits with paths and numbers: no traceback, a sentence, exit 2."""

from pathlib import Path

import numpy as np
import pytest

from scalelang.cli import main

ROOT = Path(__file__).resolve().parents[1]
FCN2 = str(ROOT / "examples" / "fcn2_he3.scale")


@pytest.mark.parametrize("command", ["codegen", "report"])
def test_an_output_under_a_file_or_at_a_folder_is_refused_in_words(command, tmp_path, capsys):
    blocker = tmp_path / "f"
    blocker.write_text("x")
    suffix = ".py" if command == "codegen" else ".md"
    assert main([command, FCN2, "-o", str(blocker / f"x{suffix}")]) == 2
    assert f"{blocker} is a file, not a folder" in capsys.readouterr().err
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    assert main([command, FCN2, "-o", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "it is a folder" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["codegen", "report"])
def test_the_input_file_is_never_overwritten(command, tmp_path, capsys):
    source = tmp_path / "mine.scale"
    source.write_text(Path(FCN2).read_text())
    extra = ["--format", "md"] if command == "report" else []
    assert main([command, str(source), "-o", str(source), *extra]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert source.read_text() == Path(FCN2).read_text()


@pytest.mark.parametrize("value", ["1/0", "99999999999"])
def test_a_predicted_exponent_out_of_reach_is_an_error(value, tmp_path, capsys):
    assert main(["codegen", FCN2, "-o", str(tmp_path / "s.py"), "--predicted-exponent", value]) == 1
    assert "--predicted-exponent" in capsys.readouterr().err


def _results(tmp_path, dims=(8, 16)):
    from tests.sim.test_sim_fit import synthetic, write_results

    data = synthetic(np.random.default_rng(0), 1.0, seeds=2)
    path = tmp_path / "r.jsonl"
    write_results(path, {d: data[d] for d in dims})
    return str(path)


@pytest.mark.parametrize(
    "flags, said, code",
    [
        (["--boot", "0"], "must be > 0", 2),
        (["--level", "2"], "between 0 and 1", 2),
        (["--dims", "999"], "the results have d in", 1),
    ],
)
def test_fit_refuses_bad_numbers_in_words(flags, said, code, tmp_path, capsys):
    assert main(["fit", _results(tmp_path), *flags]) == code
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_fit_of_one_d_asks_for_more(tmp_path, capsys):
    assert main(["fit", _results(tmp_path, dims=(8,))]) == 1
    assert "needs at least two" in capsys.readouterr().err


@pytest.mark.parametrize(
    "flags, said",
    [
        (["--predicted-specialists", "q=1"], "which is no layer"),
        (["--burn-in", "100", "--steps", "10"], "leaves nothing"),
    ],
)
def test_codegen_refuses_a_plan_that_cannot_be_meant(flags, said, tmp_path, capsys):
    assert main(["codegen", FCN2, "-o", str(tmp_path / "s.py"), *flags]) == 1
    assert said in capsys.readouterr().err
