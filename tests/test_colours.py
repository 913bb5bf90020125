"""Every picture's colours for "for" and "against" stay apart for red-green colour-blind readers.

Simulated with Machado et al. (2009) for full deuteranopia and protanopia (tests/colour_vision.py),
each colour painted at render_explanation's full opacity (0.7) over mid-grey, the two must
stay at least 40 apart in CIELAB (ΔE*ab); green and red give about 17 under deuteranopia.
"""

import re

import numpy as np
import pytest

from colour_vision import DEUTERANOPIA, NORMAL, PROTANOPIA, distance, over, to_lab
from notebook_cells import COMPLETE, REPO, chapter_paths, read_notebook

MID_GREY = (128, 128, 128)
OPACITY = 0.7  # render_explanation's default opacity, the most a segment gets
VISIONS = {"normal": NORMAL, "deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}


def apart_for_everyone(first, second) -> dict:
    """The ΔE*ab of two colours painted over mid-grey, for each kind of vision."""
    painted = over(first, MID_GREY, OPACITY), over(second, MID_GREY, OPACITY)
    return {name: distance(*painted, vision) for name, vision in VISIONS.items()}


def hex_rgb(code: str) -> tuple:
    return tuple(int(code[i:i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def colours() -> tuple:
    import helpers

    return helpers.for_colour, helpers.against_colour


def test_the_check_tells_green_and_red_apart_from_a_good_pair():
    assert apart_for_everyone((0, 128, 0), (255, 0, 0))["deuteranopia"] < 20


def test_the_notebooks_pair_stays_apart_for_every_reader(colours):
    assert min(apart_for_everyone(*colours).values()) >= 40, apart_for_everyone(*colours)


def explanation_renders(path) -> list:
    """The source of every code cell of the notebook at `path` that renders an explanation."""
    code = [cell.source for cell in read_notebook(path).cells if cell.cell_type == "code"]
    return [source for source in code if "render_explanation(" in source]


@pytest.mark.parametrize("path", [COMPLETE, *chapter_paths()], ids=lambda path: path.name)
def test_every_explanation_picture_uses_the_pair_and_shows_a_legend(path):
    renders = explanation_renders(path)
    if path == COMPLETE:
        assert renders, "the talk renders no explanation: the check is broken"
    for source in renders:
        calls = re.findall(r"render_explanation\((.*?)\)\n", source, flags=re.DOTALL)
        assert calls and all("positive=for_colour, negative=against_colour" in call for call in calls), source
        assert "show_explanations(" in source, source


def test_the_introductions_figures_use_the_same_pair(colours):
    """Every colourful fill or stroke of the SVG figures is one of the pair; the rest are greys."""
    pair, pair_seen = {tuple(colours[0]), tuple(colours[1])}, False
    for figure in sorted((REPO / "assets").glob("*.svg")):
        used = {hex_rgb(code) for code in re.findall(r"#[0-9a-fA-F]{6}\b", figure.read_text())}
        colourful = {rgb for rgb in used if np.hypot(*to_lab(rgb)[1:]) > 20}  # CIELAB chroma: greys are below
        assert colourful <= pair, f"{figure.name}: {colourful - pair}"
        pair_seen = pair_seen or colourful == pair
    assert pair_seen, "no figure shows the pair"
