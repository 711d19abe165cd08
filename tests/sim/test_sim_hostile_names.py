"""Nothing a user writes runs as code in a generated script: a file name, a problem name, a --set
value or its comment that tries to close the docstring stays text (the script compiles, and its
syntax tree calls nothing the template did not write); names Python reads differently (h², or
ｈ1, which Python's NFKC folding turns into h1) simulate the layer they name."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "fcn2_he3.scale").read_text(encoding="utf-8")
PAYLOAD = '""" + __import__("os").system("touch PWNED") + """'


def codegen(path: Path, *sets: str) -> str:
    from scalelang.cli import main

    out = path.parent / "sim.py"
    flags = [item for value in sets for item in ("--set", value)]
    assert main(["codegen", str(path), *flags, "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def calls(text: str) -> set[str]:
    """The names of everything the script calls."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call):
            func = node.func
            found.add(getattr(func, "id", None) or getattr(func, "attr", None))
    return found


@pytest.fixture(scope="module")
def benign(tmp_path_factory) -> set[str]:
    path = tmp_path_factory.mktemp("benign") / "plain.scale"
    path.write_text(EXAMPLE, encoding="utf-8")
    return calls(codegen(path, "N=d"))


@pytest.mark.parametrize(
    "name",
    [f"x{PAYLOAD}.scale", "a\\N{BOGUS}.scale", "tail\\.scale", 'q"q.scale'],
    ids=["docstring-breakout", "bad-escape", "trailing-backslash", "quote"],
)
def test_a_hostile_file_name_stays_text(tmp_path, benign, name):
    path = tmp_path / name
    path.write_text(EXAMPLE.replace("problem fcn2_he3\n", ""), encoding="utf-8")  # stem = name
    text = codegen(path, "N=d")
    assert calls(text) <= benign  # no __import__, no system
    assert name.removesuffix(".scale") in ast.get_docstring(ast.parse(text))


def test_a_hostile_override_comment_stays_text(tmp_path, benign):
    path = tmp_path / "plain.scale"
    path.write_text(EXAMPLE, encoding="utf-8")
    text = codegen(path, f"N=d # {PAYLOAD}")
    assert calls(text) <= benign
    run = subprocess.run(
        [sys.executable, "sim.py", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("first, second", [("h²", "g"), ("ｈ1", "h1")])
def test_names_python_reads_differently_simulate_their_own_layers(tmp_path, first, second):
    """Two layers whose names are no identifiers, or fold together: each function belongs to its
    own layer (the second is linear, the first erf), so the script computes what the file says."""
    pytest.importorskip("torch")
    text = EXAMPLE.replace(
        "layer   h = erf(W x)   width N   prior W ~ normal(0, 1/d)",
        f"layer   {first} = erf(W x)   width N   prior W ~ normal(0, 1/d)\n"
        f"layer   {second} = linear(V {first})   width N   prior V ~ normal(0, 1/N)",
    ).replace("readout f = a . h ", f"readout f = a . {second} ")
    assert text != EXAMPLE
    path = tmp_path / "two.scale"
    path.write_text(text.replace("patterns h:", "# patterns h:"), encoding="utf-8")
    script = codegen(path, "N=d")
    module = type(sys)("generated")
    exec(compile(script, "sim.py", "exec"), module.__dict__)  # noqa: S102
    import torch

    z = torch.tensor([0.5, -1.0])
    assert module.LAYER_NAMES == (first, second)
    assert torch.allclose(module.ACTIVATIONS[0](z), torch.erf(z))
    assert torch.allclose(module.ACTIVATIONS[1](z), z)
