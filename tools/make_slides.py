"""Write the complete notebook as a reveal.js slide deck that needs no network.

    .venv/bin/python tools/make_slides.py            # writes slides/
    .venv/bin/python tools/make_slides.py OUT_DIR    # writes OUT_DIR/ instead

The folder holds the deck, grokking-lime-complete.slides.html, and local copies of
what it loads: reveal.js (the files the pinned package pyreveal ships) and MathJax
(those of jupyter-server-mathjax). The introduction's figures are embedded in the
HTML. Open the deck in a browser, or copy the whole folder to the laptop you present
from: nothing is fetched from the web at talk time.
"""

import shutil
import sys
from importlib.resources import files
from pathlib import Path

from nbconvert import SlidesExporter

REPO = Path(__file__).resolve().parent.parent
COMPLETE = REPO / "grokking-lime-complete.ipynb"
TEMPLATE = Path(__file__).resolve().parent / "offline-slides.html.j2"

REVEAL_FILES = ["LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css", "dist/plugin/notes.js"]


def copy_assets(deck_dir: Path) -> None:
    """Copy reveal.js and MathJax from their installed packages into the deck's folder."""
    reveal = files("pyreveal") / "revealjs"
    for name in REVEAL_FILES:
        target = deck_dir / "reveal.js" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((reveal / name).read_bytes())
    shutil.copytree(files("jupyter_server_mathjax") / "static", deck_dir / "mathjax", dirs_exist_ok=True)


def make_deck(deck_dir: Path) -> Path:
    """Write the deck and its assets into deck_dir; return the deck's path."""
    deck_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(deck_dir)
    exporter = SlidesExporter(
        template_file=str(TEMPLATE),
        reveal_url_prefix="reveal.js",  # relative to the deck
        reveal_theme="white",  # the one theme that loads no web fonts
        mathjax_url="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full",
        embed_images=True,  # the introduction's figures go into the HTML
    )
    html, _ = exporter.from_filename(str(COMPLETE), resources={"metadata": {"path": str(REPO)}})
    deck = deck_dir / COMPLETE.with_suffix(".slides.html").name
    deck.write_text(html, encoding="utf-8")
    return deck


if __name__ == "__main__":
    deck = make_deck(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "slides")
    print(f"wrote {deck.relative_to(Path.cwd()) if deck.is_relative_to(Path.cwd()) else deck}: open it in a browser")
