"""The HTML report: one well-formed, self-contained file whose phase diagram is an inline SVG with
one labelled region per winning assignment; and, where Chromium exists, a screenshot that shows
the diagram is drawn."""

import html.parser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scalelang.report import render
from scalelang.report.model import slug

from .report_helpers import solved

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def fcn3_html():
    return render(solved("fcn3_he3"), "html")


class _Balance(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "hr", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_html_is_well_formed(fcn3_html):
    ET.fromstring(fcn3_html.split("\n", 1)[1])  # XML-parseable after the doctype
    checker = _Balance()
    checker.feed(fcn3_html)
    checker.close()
    assert not checker.errors and not checker.stack


def test_html_is_self_contained(fcn3_html):
    lowered = fcn3_html.lower()
    assert "<script" not in lowered and "<link" not in lowered and "<img" not in lowered
    assert "mathjax" not in lowered
    assert fcn3_html.count("<svg") == 1
    root = ET.fromstring(fcn3_html.split("\n", 1)[1])
    for element in root.iter():
        for key, value in element.attrib.items():
            if key.endswith("href") or key == "src":
                assert value.startswith("#"), f"external reference {key}={value}"


def test_one_labelled_region_per_winning_assignment(fcn3_html):
    solution = solved("fcn3_he3")
    winners = {slug(p.winners[0]) for p in solution.phases}
    root = ET.fromstring(fcn3_html.split("\n", 1)[1])
    svg = root.find(f".//{SVG}svg")
    assert svg is not None
    ids = [g.get("id") for g in svg.iter(f"{SVG}g") if g.get("id")]
    regions = [i[len("phase-region-") :] for i in ids if i.startswith("phase-region-")]
    assert sorted(regions) == sorted(winners)
    for region in regions:
        labels = [i for i in ids if i.startswith(f"phase-label-{region}-")]
        assert labels, f"region {region} has no label"
        group = next(g for g in svg.iter(f"{SVG}g") if g.get("id") == f"phase-region-{region}")
        assert group.find(f".//{SVG}path") is not None


def test_mathematics_is_mathml_with_latex_source(fcn3_html):
    root = ET.fromstring(fcn3_html.split("\n", 1)[1])
    maths = [e for e in root.iter() if e.tag.endswith("math")]
    assert len(maths) > 20
    assert all(m.get("alttext") for m in maths)
    without_source = fcn3_html.split('<details id="source">')[0]  # the file's comments say it
    assert "(N1 N2 d)" not in without_source  # grouped in MathML, not as plain text
    assert "\\left(d\\,N_{1}\\,N_{2}\\right)^{1/3}" in fcn3_html.replace("&amp;", "&")


CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (.ci/run installs Debian's chromium package with apt-get)",
)
def test_diagram_is_drawn_in_headless_chromium(fcn3_html, tmp_path):
    from PIL import Image

    start = fcn3_html.index('<figure id="phase-diagram">')
    end = fcn3_html.index("</figure>", start) + len("</figure>")
    page = tmp_path / "diagram.html"
    head = fcn3_html[: fcn3_html.index("<body>")]
    page.write_text(
        head + "<body style='margin:0'>" + fcn3_html[start:end] + "</body></html>", encoding="utf-8"
    )
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        "--window-size=1000,760",
        f"--screenshot={shot}",
        page.as_uri(),
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=90)
    except subprocess.TimeoutExpired:
        pytest.skip("chromium did not finish within 90 s")
    image = Image.open(shot).convert("RGB")
    raw = image.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    coloured = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 40)
    dark = sum(1 for r, g, b in pixels if max(r, g, b) < 80)
    assert coloured > 0.05 * len(pixels), "the phase regions are not drawn"
    assert dark > 0.002 * len(pixels), "no lines or labels are drawn"
    shot_copy = Path(__import__("os").environ.get("SCALELANG_KEEP_SCREENSHOT", ""))
    if str(shot_copy) not in ("", "."):
        shutil.copy(shot, shot_copy)
    colours = {
        (r // 32, g // 32, b // 32) for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 40
    }
    assert len(colours) >= 5, "fewer colours than winning assignments"


def test_the_source_is_shown_highlighted_and_escaped():
    """The .scale file closes the problem section, coloured by the .scale lexer; a comment that
    holds markup stays text."""
    pytest.importorskip("pygments")
    import scalelang
    from scalelang.pipeline import solve

    text = (Path(__file__).resolve().parents[2] / "examples" / "fcn2_he3.scale").read_text()
    hostile = text + "# <img src=x onerror=alert(1)> & </pre>\n"
    page = render(solve(scalelang.load(hostile).problem), "html")
    source = page.split('<pre class="source">', 1)[1].split("</pre>", 1)[0]
    assert '<span style="' in source and ">layer</span>" in source  # a keyword is coloured
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/pre&gt;" in source
    assert "<img" not in source
