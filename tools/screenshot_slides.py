"""Look at the slide deck as the room will: headless Chromium, no network.

    .venv/bin/python tools/screenshot_slides.py            # writes slides/ and slides/screenshots/
    .venv/bin/python tools/screenshot_slides.py OUT_DIR

It writes the offline deck with tools/make_slides.py, opens it from disk in headless
Chromium (Debian's package `chromium`) with every web address sent to a closed port, and
saves two screenshots at a projector's 1280×720: the title slide and Step 6's picture.
It prints what Chromium's console reported about resources that failed to load (nothing,
when the deck is truly offline).
"""

import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_slides import REPO, make_deck  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
WINDOW = "1280,720"


def find_browser():
    """The path of a Chromium-like browser, or None."""
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


class SlideIndex(HTMLParser):
    """Finds the reveal.js position (horizontal, vertical) of the slide that contains some text."""

    def __init__(self, text: str):
        super().__init__()
        self.text, self.depth, self.position, self.found = text, 0, [-1, -1], None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.depth += 1
            if self.depth == 1:
                self.position = [self.position[0] + 1, -1]
            elif self.depth == 2:
                self.position[1] += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1

    def handle_data(self, data):
        if self.found is None and self.text in data and self.depth:
            self.found = tuple(self.position)


def slide_of(deck: Path, text: str) -> tuple:
    finder = SlideIndex(text)
    finder.feed(deck.read_text(encoding="utf-8"))
    if finder.found is None:
        raise ValueError(f"no slide of {deck.name} contains {text!r}")
    return finder.found


def screenshot(browser: str, deck: Path, slide: tuple, picture: Path) -> list:
    """Save the slide at `slide` as a PNG; return the console lines about failed loads."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # no network: every address fails
                "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
                f"--window-size={WINDOW}", "--virtual-time-budget=15000",  # time for MathJax to typeset
                f"--screenshot={picture}", f"{deck.resolve().as_uri()}#/{slide[0]}/{max(slide[1], 0)}",
            ],
            capture_output=True, text=True, timeout=180,
        )
    if not picture.exists():
        raise RuntimeError(f"Chromium saved no screenshot: {result.stderr.strip()[-500:]}")
    return [line for line in result.stderr.splitlines() if re.search(r"CONSOLE.*(Failed to load|ERR_)", line)]


def main(out_dir: Path) -> int:
    browser = find_browser()
    if browser is None:
        print("No Chromium found: install Debian's package chromium (apt-get install chromium).")
        return 1
    deck = make_deck(out_dir)
    pictures = out_dir / "screenshots"
    pictures.mkdir(exist_ok=True)
    failed = []
    # the title slide; and Step 6's code and picture, the slide below its heading
    for name, text, below in [("title", "Grokking LIME", 0), ("step6", "Step 6: Render", 1)]:
        slide = slide_of(deck, text)
        slide = (slide[0], max(slide[1], 0) + below)
        failed += screenshot(browser, deck, slide, pictures / f"{name}.png")
        print(f"{pictures / f'{name}.png'}: slide {slide[0]}/{max(slide[1], 0)}")
    for line in failed:
        print(f"failed to load: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "slides"))
