"""The slide deck that tools/make_slides.py writes: a slide per step, nothing from the web,
and, where Debian's chromium is installed, slides that show in a browser with no network."""

import re
import sys
from html import unescape
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image

from notebook_cells import REPO

sys.path.insert(0, str(REPO / "tools"))
import make_slides  # noqa: E402
import screenshot_slides  # noqa: E402


class LoadedAddresses(HTMLParser):
    """Every address the page loads a script or a style sheet from."""

    def __init__(self):
        super().__init__()
        self.addresses, self.in_style = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.addresses.append(attrs["src"])
        if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            self.addresses.append(attrs.get("href", ""))
        self.in_style = tag in ("style", "script")

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:  # @import in a style sheet, import ... from in a module script
            self.addresses += re.findall(r"""@import\s+(?:url\()?["']?([^"')\s;]+)""", data)
            self.addresses += re.findall(r"""\bimport\b[^;'"]*\bfrom\s+["']([^"']+)""", data)


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    return make_slides.make_deck(tmp_path_factory.mktemp("slides"))


def test_the_deck_has_a_slide_per_step_and_no_helpers(deck):
    html = deck.read_text(encoding="utf-8")
    for step in range(1, 7):
        assert f"Step {step}: " in html
    assert "def show_images" not in html
    assert "Reveal.initialize" in html


def test_the_deck_loads_no_script_or_style_sheet_from_the_web(deck):
    finder = LoadedAddresses()
    finder.feed(deck.read_text(encoding="utf-8"))
    assert finder.addresses, "found no script at all: the check is broken"
    web = [address for address in finder.addresses if re.match(r"(https?:)?//", address)]
    assert web == []
    for address in finder.addresses:
        assert (deck.parent / address.split("?")[0]).is_file(), f"{address} is not in the deck's folder"
    local_css = [deck.parent / a for a in finder.addresses if a.endswith(".css")]
    assert local_css and not [css for css in local_css if re.search(r"@import|url\(\s*['\"]?https?:", css.read_text())]


def test_the_introductions_figures_are_embedded_in_the_deck(deck):
    figures = re.findall(r'<img alt="[^"]*" src="([^"]{0,40})', deck.read_text(encoding="utf-8"))
    talk = (REPO / "grokking-lime-complete.ipynb").read_text(encoding="utf-8")
    assert len(figures) == len(re.findall(r"!\[[^\]]*\]\(assets/[^)]+\.svg\)", talk)) > 0
    assert all(src.startswith("data:image/svg+xml;base64,") for src in figures), figures


@pytest.mark.skipif(screenshot_slides.find_browser() is None, reason="no Chromium: apt-get install chromium to run it")
def test_chromium_shows_the_title_and_step_6_with_no_network(tmp_path, capsys):
    assert screenshot_slides.main(tmp_path) == 0, capsys.readouterr().out
    for name in ("title", "step6"):
        picture = np.asarray(Image.open(tmp_path / "screenshots" / f"{name}.png").convert("L"), dtype=float)
        assert picture.shape == (720, 1280)
        assert (picture < 128).mean() > 0.01, f"{name}.png is blank"


MAX_SLIDE_WORDS = 150  # the talk's longest markdown cell is a slide: short enough to read at a glance


def slide_prose(html: str) -> list:
    """The prose of each slide of the deck: what lies between one <section> tag and the next,
    without code and outputs (<pre>), scripts, styles and tags."""
    body = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", html, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", part) for part in re.split(r"</?section\b", body)[1:]]


def test_the_slides_hide_the_live_code_markers_and_wrap_long_code_lines(deck):
    html = deck.read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "for start in range(0, len(samples), batch_size)" in text, "step 4's gap is not on its slide"
    assert not re.search(r'class="c1">## /?live-code', html), "a marker is on a slide"
    assert re.search(r"\.reveal pre[^{]*\{[^}]*white-space:\s*pre-wrap", html)


def test_no_slide_holds_a_wall_of_text(deck):
    slides = slide_prose(deck.read_text(encoding="utf-8"))
    assert len(slides) > 10, "found no slides: the check is broken"
    words = [len(re.findall(r"[A-Za-z]{2,}", text)) for text in slides]
    assert max(words) <= MAX_SLIDE_WORDS, sorted(words)[-5:]
