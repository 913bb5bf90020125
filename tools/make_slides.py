"""Write the complete notebook as a reveal.js slide deck that needs no network.

    .venv/bin/python tools/make_slides.py            # writes slides/
    .venv/bin/python tools/make_slides.py OUT_DIR    # writes OUT_DIR/ instead

The folder holds the deck, grokking-lime-complete.slides.html, and local copies of
what it loads: reveal.js (the files the pinned package pyreveal ships) and MathJax
(those of jupyter-server-mathjax). The introduction's figures are embedded in the
HTML. Open the deck in a browser, or copy the whole folder to the laptop you present
from: nothing is fetched from the web at talk time.

The `## live-code` markers are left out of the slides (they are for the code-along and
for solutions/), and long code lines wrap instead of running off the slide.
"""

import shutil
import sys
from importlib.resources import files
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

REPO = Path(__file__).resolve().parent.parent
COMPLETE = REPO / "grokking-lime-complete.ipynb"
TEMPLATE = Path(__file__).resolve().parent / "offline-slides.html.j2"

MARKERS = ("## live-code", "## /live-code")
REVEAL_FILES = ["LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css", "dist/plugin/notes.js"]


def copy_assets(deck_dir: Path) -> None:
    """Copy reveal.js and MathJax from their installed packages into the deck's folder."""
    reveal = files("pyreveal") / "revealjs"
    for name in REVEAL_FILES:
        target = deck_dir / "reveal.js" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((reveal / name).read_bytes())
    shutil.copytree(files("jupyter_server_mathjax") / "static", deck_dir / "mathjax", dirs_exist_ok=True)


def without_markers(notebook):
    """The notebook with every `## live-code` and `## /live-code` line taken out of its code cells."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = "\n".join(line for line in cell.source.splitlines() if line.strip() not in MARKERS)
    return notebook


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
    notebook = without_markers(nbformat.read(COMPLETE, as_version=4))
    html, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"path": str(REPO)}})
    deck = deck_dir / COMPLETE.with_suffix(".slides.html").name
    deck.write_text(html, encoding="utf-8")
    return deck


if __name__ == "__main__":
    deck = make_deck(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "slides")
    print(f"wrote {deck.relative_to(Path.cwd()) if deck.is_relative_to(Path.cwd()) else deck}: open it in a browser")
