"""The command, the LaTeX output (compiled where pdflatex exists), the notebook views, the
parameterization, and the mathematics printer."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from fractions import Fraction as F

import pytest

from scalelang.algebra import notation as mf
from scalelang.cli import main
from scalelang.report import render
from scalelang.report.model import parameterization

from .report_helpers import EXAMPLES, solved


def test_command_writes_markdown_and_png(tmp_path, capsys):
    out = tmp_path / "r" / "fcn2.md"
    assert main(["report", str(EXAMPLES / "fcn2_he3.scale"), "-o", str(out)]) == 0
    assert out.exists() and (tmp_path / "r" / "fcn2-phases.png").exists()
    assert "![Phase diagram of fcn2_he3](fcn2-phases.png)" in out.read_text()
    assert "wrote" in capsys.readouterr().out


def test_command_format_option_and_set(tmp_path):
    out = tmp_path / "report.txt"
    assert (
        main(
            [
                "report",
                str(EXAMPLES / "fcn2_he3.scale"),
                "--set",
                "N=d",
                "-o",
                str(out),
                "--format",
                "html",
            ]
        )
        == 0
    )
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") and "--set N=d" in text and "<svg" not in text


def test_command_errors(tmp_path, capsys):
    assert main(["report", str(EXAMPLES / "fcn2_he3.scale"), "-o", str(tmp_path / "x.doc")]) == 2
    assert main(["report", str(tmp_path / "missing.scale"), "-o", str(tmp_path / "x.md")]) == 2
    bad = tmp_path / "bad.scale"
    bad.write_text("problem bad\nscale d\nlayer\n")
    assert main(["report", str(bad), "-o", str(tmp_path / "x.md")]) == 1
    assert "error" in capsys.readouterr().err


def test_latex_source_is_balanced():
    text = render(solved("fcn2_he3"), "tex", draw_figure=False)
    assert text.count("\\begin{") == text.count("\\end{")
    body = text.replace("\\{", "").replace("\\}", "")
    assert body.count("{") == body.count("}")
    assert "\\includegraphics" in text and "fcn2_he3-phases.pdf" in text


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("name", ["fcn2_he3", "cnn_patches", "fcn3_he3"])
def test_latex_compiles(name, tmp_path):
    from scalelang.report import write

    tex = tmp_path / f"{name}.tex"
    write(solved(name), tex)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / f"{name}.pdf").exists()


@pytest.mark.parametrize("name", ["fcn2_he3", "fcn3_he3"])
def test_a_latex_fragment_to_input(name, tmp_path):
    """--fragment: the answer, the figure and the boundaries, no document around them; its head
    says which packages it needs; the standalone report holds the same answer."""
    out = tmp_path / "answer.tex"
    assert main(["report", str(EXAMPLES / f"{name}.scale"), "-o", str(out), "--fragment"]) == 0
    text = out.read_text()
    assert "\\documentclass" not in text and "\\begin{document}" not in text
    assert text.startswith("% ")
    assert "\\usepackage{amsmath,amssymb,graphicx,longtable,array}" in text
    for heading in ("Answer", "Phase diagram", "Phase boundaries"):
        assert f"\\subsection*{{{heading}}}" in text
    assert "\\includegraphics" in text and (tmp_path / "answer-phases.pdf").exists()
    assert text.count("\\begin{") == text.count("\\end{")
    body = text.replace("\\{", "").replace("\\}", "")
    assert body.count("{") == body.count("}")
    standalone = render(solved(name), "tex", draw_figure=False)
    answer = text.split("\\subsection*{Answer}", 1)[1].split("\\subsection*{Phase diagram}")[0]
    assert answer in standalone


def test_a_fragment_is_latex_only(tmp_path, capsys):
    out = tmp_path / "answer.md"
    assert main(["report", str(EXAMPLES / "fcn2_he3.scale"), "-o", str(out), "--fragment"]) == 2
    assert "--fragment writes LaTeX" in capsys.readouterr().err and not out.exists()


def test_an_output_name_never_reaches_latex_raw(tmp_path):
    """The figure's file name is made of safe characters, so a brace or percent sign in the output
    name cannot end \\includegraphics{...}; a line break in the source name cannot end a comment."""
    out = tmp_path / "a}\\input{x}%.tex"
    assert main(["report", str(EXAMPLES / "fcn2_he3.scale"), "-o", str(out), "--fragment"]) == 0
    text = out.read_text()
    graphic = text.split("\\includegraphics[width=0.8\\linewidth]{", 1)[1].split("}", 1)[0]
    assert graphic == "a__input_x__-phases.pdf" and (tmp_path / graphic).exists()
    from scalelang.report.output import one_line

    assert one_line("x.scale\n\\input{evil}\r\u2028") == "x.scale \\input{evil}  "


UNDERSCORED = """problem under_scored
activation mix_act(z) = erf(z) + cos(z)
scale d_in, N_1, P_star
input   x_0 ~ gaussian(d_in)
teacher w_t ~ sphere(d_in)
teacher v_t ~ sphere(d_in)
target  y = He2(w_t . x_0) * He1(v_t . x_0) + 1/2 * He4(w_t . x_0)
layer   h_1 = mix_act(W_1 x_0)   width N_1   prior W_1 ~ normal(0, 2/d_in)
readout f = a_out . h_1   prior a_out ~ normal(0, 1/N_1^2)
predict P_star
"""


def test_words_in_mathematics_escape_what_latex_reserves():
    """A layer named h_1 appears in the words of a binding bound ('... variance in h_1'): inside
    \\text{} its underscore broke pdflatex; such a word now leaves the text for \\mathrm."""
    import re

    import scalelang

    # As a convolution, whose layer locks onto one feature at a time (no groups per teacher),
    # the network amplifies w_t alone and GFL's bound binds, its words naming h_1.
    dense = "layer   h_1 = mix_act(W_1 x_0)   width N_1"
    conv = "constant n_p = 2\nconv    h_1 = mix_act(W_1 x_0)   channels N_1   patches n_p"
    problem = scalelang.load(UNDERSCORED.replace(dense, conv))
    text = render(problem.solve(), "tex", draw_figure=False)
    assert "\\mathrm{h\\_1" in text
    assert not re.search(r"\\text\{[^}]*(?<!\\)[_%&#]", text)
    assert mf.text(" variance in h_1)").latex() == "\\text{ variance in }\\mathrm{h\\_1)}"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize(
    "text",
    [
        UNDERSCORED,
        (EXAMPLES / "fcn2_he3.scale")
        .read_text()
        .replace("scale d, N", "scale δ, Ñ")
        .replace("(d)", "(δ)")
        .replace("1/d)", "1/δ)")
        .replace("width N", "width Ñ")
        .replace("1/N)", "1/Ñ)"),
        (EXAMPLES / "fcn2_he3.scale").read_text().replace("N", "Λ"),
    ],
    ids=["underscores", "unicode", "capital-greek"],
)
def test_latex_with_unusual_names_compiles(text, tmp_path):
    """Names with underscores (h_1), Greek letters (δ) and accents (Ñ) all typeset."""
    import scalelang
    from scalelang.report import write

    tex = tmp_path / "names.tex"
    write(scalelang.load(text).solve(), tex)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "invalid in math mode" not in run.stdout


def test_notebook_views():
    solution = solved("fcn2_he3")
    fragment = solution._repr_html_()
    ET.fromstring(fragment)  # well-formed
    assert "<svg" in fragment and "<math" in fragment
    latex = solution._repr_latex_()
    assert latex.startswith("$$") and "\\begin{cases}" in latex and "N \\geq d^{5}" in latex
    assert solved("cnn_patches")._repr_latex_() == "$$P^* \\propto \\kappa\\,d^{3/4}$$"


def test_parameterization_named():
    from scalelang.frontend.load import load_problem

    standard = parameterization(solved("fcn3_he3").problem)
    assert standard["name"] == "standard"
    text = (EXAMPLES / "fcn2_he3.scale").read_text()
    mean_field = load_problem("<mf>", text=text.replace("normal(0, 1/N)", "normal(0, 1/N^2)"))
    assert parameterization(mean_field)["name"] == "mean-field"
    custom = load_problem("<c>", text=text.replace("normal(0, 1/d)", "normal(0, 1/d^2)"))
    result = parameterization(custom)
    assert result["name"] == "custom" and "h" in result["note"]


@pytest.mark.parametrize(
    "powers, tex",
    [
        ({"d": F(1, 3), "N1": F(1, 3), "N2": F(1, 3)}, "\\left(d\\,N_{1}\\,N_{2}\\right)^{1/3}"),
        ({"d": F(1, 2), "N2": F(1, 2)}, "\\sqrt{d\\,N_{2}}"),
        (
            {"N2": F(2, 3), "N1": F(-1, 3), "d": F(-1, 3)},
            "\\left(\\frac{N_{2}^{2}}{d\\,N_{1}}\\right)^{1/3}",
        ),
        ({"N2": F(4, 5), "d": F(-1)}, "\\frac{N_{2}^{4/5}}{d}"),
        ({"d": F(3)}, "d^{3}"),
        ({}, "1"),
    ],
)
def test_monomials_read_like_the_paper(powers, tex):
    node = mf.monomial(powers, ("d", "N1", "N2"))
    assert node.latex() == tex
    ET.fromstring(mf.to_mathml(node))


def test_affine_exponents_and_relations():
    import sympy

    a1, a2 = sympy.symbols("a1 a2", real=True)
    node = mf.from_sympy(sympy.Symbol("d", positive=True) ** (3 * a2 / 4 + sympy.Rational(3, 4)))
    assert node.latex() == "d^{(3\\,a_{2} + 3)/4}"
    rel = mf.relation(sympy.Ge(a1 - 1, 0))
    assert rel.latex() == "a_{1} \\geq 1"


def test_caveats_typeset_their_mathematics():
    """The below-d caveat keeps its P* and its relations apart from its words (solve.Caveat), so
    each format typesets them; the terminal and JSON text is plain, as a theorist writes it."""
    import sympy

    from scalelang.report.model import _caveat
    from scalelang.theory.solve import Caveat

    d, N = sympy.symbols("d N", positive=True)
    caveat = Caveat("h=gfl (P* ~ ", (N * d) ** sympy.Rational(3, 4), ") where ", sympy.Lt(N, d))
    assert caveat == "h=gfl (P* ~ (N d)^(3/4)) where N < d"
    words, p_star, where, relation = _caveat(caveat, ("d", "N"))
    assert (words, where) == ("h=gfl (P* ~ ", ") where ")
    assert p_star.latex() == "\\left(d\\,N\\right)^{3/4}" and relation.latex() == "N < d"
    markdown = render(solved("fcn2_he3"), "md", draw_figure=False)
    caveats = (row for row in markdown.splitlines() if row.startswith("- **Caveat:**"))
    line = next(row for row in caveats if "falls below" in row)
    assert "$\\left(d\\,N\\right)^{3/4}$" in line and "**" not in line.replace("**Caveat:**", "")


@pytest.mark.parametrize("fmt", ["md", "html", "tex"])
def test_every_format_lists_the_assignments_with_several_pieces(fmt):
    """fcn3: gp/spec is sqrt(d N2) where N2 >= d, and d where the bound M2 >= 1 binds."""
    text = render(solved("fcn3_he3"), fmt, draw_figure=False)
    listed = text.split("Assignments with several pieces")
    assert len(listed) == 2
    assert "h1 = gp, h2 = spec" in listed[1].split("Derivation")[0]


def test_a_product_of_hermite_features_is_one_formula():
    """attention_head locks onto He1(u . q)*He1(v . x): one formula, not two with a * between."""
    from scalelang.report.model import feature_node
    from scalelang.theory.phrases import Hermites

    node = feature_node(Hermites(((1, "u", "q"), (1, "v", "x"))))
    assert node.latex() == "\\mathrm{He}_{1}(u \\cdot q)\\,\\mathrm{He}_{1}(v \\cdot x)"
    assert "$*$" not in render(solved("attention_head"), "md", draw_figure=False)


def test_a_bound_is_typeset_from_its_monomials_whatever_its_names():
    """fcn3 with free exponents: GFL's variance bound under a magnetized layer reads
    D2 * (beta1/N1) <= 1. Re-read from its label, beta1 looked like the start of a comment and
    the bound was printed as words."""
    text = render(solved("fcn3_he3_proportional"), "md", draw_figure=False)
    assert "\\text{D2 *}" not in text
    assert "$\\frac{D_{2}\\,\\beta_{1}}{N_{1}} \\leq 1 \\text{ (the amplified feature" in text


def test_a_pattern_of_the_file_is_worded_by_its_effect():
    """A pattern named otherwise than the stdlib's, that spikes the activation along the feature,
    specializes; its doc string says how."""
    from scalelang.api import load

    source = (
        (EXAMPLES / "fcn2_he3.scale")
        .read_text()
        .replace(
            "patterns h: gp | spec | gfl",
            'pattern whole "all: every neuron locks on"\n    cost width * norm\n'
            "    spike width carrying activation\nend\npatterns h: gp | whole",
        )
    )
    text = render(load(source).solve(), "md", draw_figure=False)
    assert (
        "layer h specializes (whole, locked onto $\\mathrm{He}_{1}(w \\cdot x)$: every "
        "neuron locks on)" in text
    )
    assert "layer h stays lazy (gp)" in text


def test_the_derivation_is_written_in_the_overridden_scales():
    """fcn2 with --set N=d: the energy is M d + d/M, as its answer E ~ d is (it said N/M)."""
    text = render(solved("fcn2_he3", (("N", "d"),)), "md", draw_figure=False)
    assert "The energy is $E = M\\,d + \\frac{d}{M}$" in text


def test_markdown_breakouts_stay_text(tmp_path):
    """A backtick in a file name or an override cannot close its code span, and a pattern's doc
    cannot open a link, an image or raw HTML: every such character stays text."""
    from scalelang import pipeline

    text = (
        (EXAMPLES / "fcn2_he3.scale")
        .read_text()
        .replace("patterns h: gp | spec | gfl", "patterns h: gp | spec | gfl | lure")
    )
    text += 'pattern lure "see [here](javascript:alert(1)) ![i](http://x/i.png) <img src=x>"\n'
    text += "    cost 0\nend\n"
    path = tmp_path / "a`b <img src=x onerror=alert(1)>.scale"
    path.write_text(text)
    solution = pipeline.solve(pipeline.load(path, overrides={"N": "d"}))
    markdown = render(
        solution, "md", draw_figure=False, source=str(path), overrides={"N": "d # ``<img src=y>"}
    )
    head = markdown.splitlines()[2]
    assert f"``{path}``" in head
    assert "```--set N=d # ``<img src=y>```" in head
    lure = next(row for row in markdown.splitlines() if "javascript" in row)
    assert "\\[here\\](javascript" in lure and "!\\[i\\]" in lure and "&lt;img" in lure


@pytest.mark.parametrize(
    "powers, plain",
    [
        ({"d": F(1, 2), "N": F(1)}, "sqrt(d) N"),  # not sqrt(d N^2)
        ({"d": F(2, 3), "N": F(1)}, "d^(2/3) N"),  # not (d^2 N^3)^(1/3)
        ({"N": F(1), "d": F(-1, 2)}, "N/sqrt(d)"),  # not sqrt(N^2/d)
        ({"N2": F(1, 2), "d": F(-1)}, "sqrt(N2)/d"),  # not sqrt(N2/d^2)
        ({"d": F(3, 2)}, "d^(3/2)"),
        ({"d": F(1, 2), "N2": F(1, 2)}, "sqrt(d N2)"),
    ],
)
def test_whole_powers_stand_outside_roots(powers, plain):
    assert mf.monomial(powers, ("d", "N", "N1", "N2")).plain() == plain


# Widths declared N2 before N1: every printed monomial reads kappa, d, N2, N1, whatever sympy's
# own order (kappa*N1*sqrt(d) and N1**(1/3)*N2**(1/3)*d**(1/3) in its str).
DECLARED_N2_FIRST = """problem order
scale N2, N1, d
scale P
input   x ~ gaussian(d)
teacher w ~ sphere(d)
target  y = He3(w . x)
layer   h1 = erf(W1 x)   width N1   prior W1 ~ normal(0, 1/d)
layer   h2 = erf(W2 h1)  width N2   prior W2 ~ normal(0, 1/N1)
readout f  = a . h2                 prior a  ~ normal(0, 1/N2)
patterns h1: gp | spec | gfl
patterns h2: gp | spec | gfl
predict P
"""


def test_the_canonical_order_is_kappa_the_input_the_widths_then_the_rest():
    order = mf.canonical_order(["d"], ["N2", "N1"], ["N1", "L", "d", "N2"], ["a1"])
    assert order == ("kappa", "d", "N2", "N1", "L", "a1")
    import sympy

    kappa, d, n1, n2 = sympy.symbols("kappa d N1 N2", positive=True)
    assert str(kappa * n1 * sympy.sqrt(d)) == "N1*sqrt(d)*kappa"  # sympy's order
    assert mf.from_sympy(n1 * sympy.sqrt(d), order).plain() == "sqrt(d) N1"
    assert mf.from_sympy((n1 * n2 * d) ** sympy.Rational(1, 3), order).plain() == "(d N2 N1)^(1/3)"
    assert mf.from_sympy(n1 * d ** sympy.Rational(2, 3), order).latex() == "d^{2/3}\\,N_{1}"


@pytest.fixture(scope="module")
def declared_n2_first():
    import scalelang

    return scalelang.load(DECLARED_N2_FIRST).solve()


def test_the_terminal_and_json_caveats_follow_the_declared_widths(declared_n2_first):
    from scalelang.report.terminal import summary

    assert declared_n2_first.space.order == ("kappa", "d", "N2", "N1", "P")
    text = summary(declared_n2_first)
    assert "P* ~ kappa (d N2 N1)^(1/3)" in text
    assert "P* ~ kappa (d N1 N2)" not in text and "N1 N2 d" not in text
    caveats = " ".join(declared_n2_first.to_json()["caveats"])
    assert "(d N2 N1)^(1/3)" in caveats and "N1 N2 d" not in caveats


@pytest.mark.parametrize(
    "fmt, product",
    [
        ("md", "\\left(d\\,N_{2}\\,N_{1}\\right)^{1/3}"),
        ("tex", "\\left(d\\,N_{2}\\,N_{1}\\right)^{1/3}"),
        ("html", "<mi>d</mi><msub><mi>N</mi><mn>2</mn></msub><msub><mi>N</mi><mn>1</mn></msub>"),
    ],
)
def test_every_report_follows_the_declared_widths(declared_n2_first, fmt, product):
    text = render(declared_n2_first, fmt, draw_figure=False)
    assert product in text
    swapped = product.replace("2", "@").replace("1", "2").replace("@", "1")
    assert swapped not in text


def test_figure_labels_follow_the_declared_widths(declared_n2_first):
    """The diagram's P* exponents and boundary equations: nu2 (of N2) before nu1."""
    from scalelang.report.diagram import figure_of

    figure, _ = figure_of(declared_n2_first)
    exponents = [r["exponent"].plain() for r in figure.regions]
    assert "P* \u221d kappa d^((nu2 + nu1 + 1)/3)" in exponents
    relations = [b["relation"].plain() for b in figure.boundaries]
    assert all("N1 N2" not in r for r in relations)
    # each boundary is solved for one axis in the diagram's coordinates too, as in the scales
    for boundary in figure.boundaries:
        scale = boundary["relation"].plain().split(" = ")[0]
        assert boundary["plane"].plain().startswith({"N1": "nu1 = ", "N2": "nu2 = "}[scale])


@pytest.mark.parametrize(
    "coeffs, const, plain",
    [
        ({"a2": F(-1, 4)}, F(3, 4), "(3 - a2)/4"),
        ({"a1": F(-1, 2)}, F(1, 2), "(1 - a1)/2"),
        ({"a2": F(3, 4)}, F(3, 4), "(3 a2 + 3)/4"),
    ],
)
def test_affine_exponents_lead_with_a_positive_term(coeffs, const, plain):
    assert mf.affine(coeffs, const).plain() == plain


@pytest.mark.parametrize(
    "fmt, typeset",
    [
        ("md", "$\\mathrm{He}_{1}(w \\cdot x)$"),
        ("tex", "$\\mathrm{He}_{1}(w \\cdot x)$"),
        ("html", '<math alttext="\\mathrm{He}_{1}(w \\cdot x)"'),
    ],
)
def test_mechanisms_typeset_their_features(fmt, typeset):
    """The winning mechanism names the feature it locks onto as mathematics, not as ASCII."""
    text = render(solved("fcn2_he3", (("N", "d"),)), fmt, draw_figure=False)
    line = next(row for row in text.splitlines() if "Mechanism:" in row)
    assert "spec on " + typeset in line and "He1(w . x)" not in line


@pytest.mark.parametrize(
    "text",
    [
        "3*a2/4 + 3/4",
        "2*(a1 + 1)/3 - a2",
        "a1/2 + a1/2 + 2",
        "a1*a2 + 1",
        "(a1 + 1)**2",
        "sqrt(2)*a1",
    ],
)
def test_affine_forms_read_off_their_terms_as_expanded(text):
    """Exponents read off their terms directly (``_affine_terms``) give what expanding them as
    polynomials gives, and whatever is not affine in rationals is still refused."""
    import sympy

    a1, a2 = sympy.symbols("a1 a2", real=True)
    expr = sympy.sympify(text, locals={"a1": a1, "a2": a2})
    direct = mf._affine_terms(expr)
    if direct is not None:
        assert direct == mf._affine_expanded(expr)
    affine = text not in ("a1*a2 + 1", "(a1 + 1)**2", "sqrt(2)*a1")
    assert (mf._affine_of(expr) is not None) == affine


def test_relations_between_free_exponents_read_as_affine_forms():
    """a1 >= (3 a2 + 3)/4, not sympy's a1 >= 3*a2/4 + 3/4."""
    import sympy

    a1, a2 = sympy.symbols("a1 a2", real=True)
    relation = sympy.Rel(a1, sympy.Rational(3, 4) * a2 + sympy.Rational(3, 4), ">=")
    assert mf.relation(relation, ("a1", "a2")).plain() == "a1 >= (3 a2 + 3)/4"
