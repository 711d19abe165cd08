"""scalelang check: exit codes and what it prints."""

from pathlib import Path

from scalelang.cli import main

from .helpers import replace_line

ROOT = Path(__file__).resolve().parents[2]


def test_examples_exit_zero(capsys):
    files = [str(p) for p in sorted((ROOT / "examples").glob("*.scale"))]
    assert main(["check", *files]) == 0
    assert capsys.readouterr().out.count(": ok") == len(files)


def test_three_mistakes_three_positioned_errors(tmp_path, capsys):
    text = replace_line(8, "layer h = erf(W x) width M prior W ~ normal(0, 1/d)")
    text = replace_line(10, "patterns h: gp | lazy", text)
    text = replace_line(11, "predict h", text)
    bad = tmp_path / "bad.scale"
    bad.write_text(text)
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    heads = [line for line in err.splitlines() if ": error: " in line]
    assert heads == [
        f"{bad}:8:26: error: undeclared scale 'M'",
        f"{bad}:10:18: error: unknown pattern 'lazy'",
        f"{bad}:11:9: error: predict needs a scale, and h is a layer",
    ]
    assert "                             ^" in err  # the caret under M
    assert "Traceback" not in err


def test_missing_file_is_bad_usage(capsys):
    assert main(["check", "no/such/file.scale"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "scalelang check: error: no such file: no/such/file.scale"


def test_no_arguments_is_bad_usage(capsys):
    assert main(["check"]) == 2


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("scalelang ")


def test_bad_set_is_an_error(capsys):
    prop = str(ROOT / "examples" / "fcn3_he3_proportional.scale")
    assert main(["check", prop, "--set", "a1=1"]) == 0
    assert main(["check", prop, "--set", "zz=1"]) == 1
    assert "--set:1:1: error:" in capsys.readouterr().err
    assert main(["check", prop, "--set", "oops"]) == 2
    assert main(["check", prop, "--set", "a1=1", "--set", "a1=2"]) == 2
    assert "--set:2:1: error: --set a1 is given twice" in capsys.readouterr().err


def test_override_with_two_values_in_one_set(capsys):
    prop = str(ROOT / "examples" / "fcn3_he3_proportional.scale")
    assert (
        main(["check", prop, "--set", "a1=1,a2=1"]) == 2
    )  # malformed, like a missing "=": bad usage
    err = capsys.readouterr().err
    assert "--set:1:5: error: unexpected ',' after a complete expression" in err
    assert "its own --set" in err


def test_solve_json_reports_errors_on_stdout(tmp_path, capsys):
    import json

    bad = tmp_path / "bad.scale"
    bad.write_text(replace_line(10, "patterns h: gp | lazy"))
    assert main(["solve", str(bad), "--json"]) == 1
    captured = capsys.readouterr()
    [error] = json.loads(captured.out)["errors"]
    assert (error["line"], error["column"], error["message"]) == (10, 18, "unknown pattern 'lazy'")
    assert "unknown pattern 'lazy'" in captured.err


def test_a_folder_is_not_a_missing_file(tmp_path, capsys):
    folder = tmp_path / "looks.scale"
    folder.mkdir()
    assert main(["check", str(folder)]) == 2
    assert main(["solve", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "is a folder; give a .scale file" in err and "no such file" not in err


def test_a_byte_that_is_not_utf8_is_pointed_at(tmp_path, capsys):
    bad = tmp_path / "latin.scale"
    bad.write_bytes(b"problem p\nscale d\n# caf\xe9\n")
    assert main(["check", str(bad)]) == 1
    assert main(["solve", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count(f"{bad}:3:6: error: cannot read {bad}: byte 0xe9 is not UTF-8 text") == 2


def test_a_set_that_does_not_parse_is_bad_usage(capsys):
    example = str(ROOT / "examples" / "fcn2_he3.scale")
    for bad in ("N==d", "N=d^", "2N=d"):
        assert main(["solve", example, "--set", bad]) == 2, bad
    assert main(["solve", example, "--set", "N=d", "--set", "N=d"]) == 2
    assert "hint: remove the repeat" in capsys.readouterr().err


def test_characters_pasted_from_mathematics_get_a_hint(tmp_path, capsys):
    bad = tmp_path / "dot.scale"
    bad.write_text(replace_line(6, "target  y = He3(w \u00b7 x)"), encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    assert "hint: write the dot product with '.': w . x" in capsys.readouterr().err


def test_a_long_line_is_shown_around_the_error_only():
    from scalelang.support.diagnostics import Diagnostic, format_diagnostic
    from scalelang.support.span import Span

    line = "a + " * 200 + "Q" + " + a" * 200
    column = line.index("Q") + 1
    shown = format_diagnostic(
        Diagnostic(Span("t.scale", 1, column, 1, column + 1), "unknown Q"), line
    )
    source, caret = shown.splitlines()[1:3]
    assert len(source) < 120 and source.strip().startswith("...") and source.endswith("...")
    assert source[caret.index("^")] == "Q"


def test_labels_follow_the_overridden_scales(capsys):
    """The balanced terms and binding bounds are written in the scales the answer is: after
    --set N=d, specialization balances M d against d/M (the labels said N/M), and a scale tied by
    a free exponent (N2 = d^a2) keeps its name."""
    import json

    import scalelang

    assert main(["solve", str(ROOT / "examples" / "fcn2_he3.scale"), "--set", "N=d", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    spec = next(a for a in data["assignments"] if a["patterns"] == {"h": "spec"})
    assert spec["balanced"] == ["M*d", "d/M"] and spec["binding"] == ["1 <= M"]
    pieces = [p for a in data["assignments"] for p in a.get("pieces", [])]
    assert not [label for p in pieces for label in p["balanced"] + p["binding"] if "N" in label]

    solution = scalelang.load(ROOT / "examples" / "fcn3_he3_proportional.scale").solve(N1="d")
    pieces = [p for a in solution.to_json()["assignments"] for p in a.get("pieces", [])]
    labels = {label for p in pieces for label in p["balanced"] + p["binding"]}
    assert "M1 <= d" in labels and not [label for label in labels if "N1" in label]
    assert "N2/M2" in labels


def test_ctrl_c_ends_with_one_line(monkeypatch, capsys):
    """An interrupted command says so in one line and exits 130 (128 + SIGINT), no traceback."""
    import scalelang.commands.solve as solve_command

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(solve_command, "run", interrupted)
    from scalelang.cli import main

    assert main(["solve", "examples/fcn2_he3.scale"]) == 130
    assert capsys.readouterr().err == "scalelang solve: interrupted\n"
