"""tools/budget.py counts words, code lines, steps, sections and live-code gaps as it says (nothing is executed)."""

import sys

from nbformat.v4 import new_code_cell, new_markdown_cell

from notebook_cells import REPO

sys.path.insert(0, str(REPO / "tools"))
import budget  # noqa: E402

CELLS = [
    new_markdown_cell("# Title\n\nTwo words.", id="title"),
    new_markdown_cell("## Setup\n\n![a tiny picture](p.svg) after it"),
    new_code_cell("import numpy as np\n\n\nx = 1"),
    new_markdown_cell("## Step 1: first\n\nSay it."),
    new_code_cell("def f():\n    ## live-code\n    return 1\n    ## /live-code\n\n\ny = f()"),
    new_markdown_cell("### A subsection\n\nOf step 1."),
    new_markdown_cell("## Step 2: second"),
    new_code_cell("## live-code\nz = 2\nw = 3"),
    new_markdown_cell("## Checks"),
    new_code_cell("print(z)"),
]


def test_words_count_every_run_of_non_space_and_alt_text_separately():
    assert budget.count_words("# Title\n\nTwo  words.") == 4
    assert budget.words_of(CELLS[:2]) == 4 + 7  # "##", "Setup", "![a", "tiny", "picture](p.svg)", "after", "it"
    assert budget.alt_text_words(CELLS[1].source) == 3
    assert budget.alt_text_words("no picture [a link](x)") == 0


def test_code_lines_are_the_non_blank_lines_and_steps_end_at_the_first_other_heading():
    assert budget.code_lines(CELLS[2].source) == 2
    assert budget.code_lines_of(CELLS) == 2 + 5 + 3 + 1
    steps = budget.step_cells(CELLS)
    assert [cell.source.splitlines()[0] for cell in steps if cell.cell_type == "markdown"] == [
        "## Step 1: first", "### A subsection", "## Step 2: second"]
    assert budget.code_lines_of(steps) == 5 + 3


def test_live_code_gaps_exclude_markers_and_a_cell_may_leave_out_the_end_marker():
    assert budget.live_code_gaps(CELLS[4].source) == [["    return 1"]]
    assert budget.live_code_gaps(CELLS[7].source) == [["z = 2", "w = 3"]]
    assert budget.live_code_gaps(CELLS[2].source) == []
    assert budget.typed_characters(CELLS) == len("    return 1") + len("z = 2") + len("w = 3")


def test_sections_group_cells_by_their_level_two_heading():
    names = [(name, len(group)) for name, group in budget.sections(CELLS)]
    assert names == [("(title)", 1), ("Setup", 2), ("Step 1: first", 3), ("Step 2: second", 2), ("Checks", 2)]
