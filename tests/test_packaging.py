"""A non-editable ``pip install .`` must carry every package, the grammar, the stdlib and
templates."""

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def listed_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return set(config["tool"]["setuptools"]["packages"])


def test_every_python_package_under_scalelang_is_listed():
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "scalelang").rglob("__init__.py")
    }
    assert found <= listed_packages(), (
        f"add to pyproject.toml packages: {sorted(found - listed_packages())}"
    )


def test_grammar_stdlib_and_templates_travel_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = config["tool"]["setuptools"]["package-data"]
    assert "*.lark" in data["scalelang.grammar"] and "*.scale" in data["scalelang.stdlib"]
    for template in (ROOT / "scalelang" / "templates").rglob("*.j2"):
        relative = template.relative_to(ROOT / "scalelang" / "templates")
        assert any(relative.match(pattern) for pattern in data["scalelang.templates"]), relative


def test_a_source_checkout_first_on_the_path_finds_grammar_and_stdlib():
    """Benchmarks put the checkout first on sys.path, where scalelang.grammar does not exist as a
    subpackage (setuptools maps it from grammar/ only when installed): the lookup must fall back
    to the folders at the top of the checkout."""
    import subprocess
    import sys
    import sysconfig

    # -S: no site.py, so no editable-install finder; the dependencies' folder is added by hand
    code = (
        "import sys; sys.path.insert(0, %r); sys.path.append(%r); "
        "import scalelang.support.resources as r; assert 'module' in r.grammar_text(); "
        "assert 'patterns' in r.stdlib_modules(); print(r.stdlib_path('patterns'))"
        % (str(ROOT), sysconfig.get_paths()["purelib"])
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, cwd="/"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("patterns.scale")


def test_a_second_checkout_reads_its_own_stdlib(tmp_path):
    """A reviewer ran a second checkout from its root while the first was installed editable:
    ``scalelang`` came from the second, but the editable finder answered ``scalelang.stdlib``
    with the first checkout's folder, so `check stdlib/patterns.scale` there saw every pattern
    declared twice. A checkout reads its own grammar and stdlib."""
    import shutil
    import subprocess
    import sys

    for name in ("scalelang", "grammar", "stdlib"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    code = "import scalelang.support.resources as r; print(r.stdlib_path('patterns'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).resolve() == (tmp_path / "stdlib" / "patterns.scale").resolve()
