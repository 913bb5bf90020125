"""The code-along notebook is generated from the complete one and must not drift."""

import re
import sys

import nbformat
import pytest

from notebook_cells import CODEALONG, REPO, read_notebook

sys.path.insert(0, str(REPO / "tools"))
from make_codealong import END, GAP, START, make_codealong, make_solutions, strip_live_code  # noqa: E402


def test_committed_codealong_is_what_the_generator_writes():
    expected = nbformat.writes(make_codealong(read_notebook())) + "\n"
    assert CODEALONG.read_text(encoding="utf-8") == expected, "run: python tools/make_codealong.py"


def test_committed_solutions_are_what_the_generator_writes():
    committed = {path.name: path.read_text(encoding="utf-8") for path in (REPO / "solutions").glob("*.py")}
    assert committed == make_solutions(read_notebook()), "run: python tools/make_codealong.py"


def test_every_gap_is_in_a_cell_that_names_its_solution_file():
    for cell in read_notebook(CODEALONG).cells:
        if cell.cell_type == "code" and GAP in cell.source:
            first_line = cell.source.splitlines()[0]
            named = re.fullmatch(r"# Stuck\? %load (solutions/[\w-]+\.py)", first_line)
            assert named, f"cell {cell.id} starts with {first_line!r}"
            assert (REPO / named.group(1)).is_file()


def test_loading_every_solution_gives_back_the_complete_notebook_s_code():
    def without_markers(source):
        return [line for line in source.splitlines() if not line.strip().startswith(("## live-code", "## /live-code"))]

    complete, codealong = read_notebook(), read_notebook(CODEALONG)
    for full, along in zip(complete.cells, codealong.cells):
        if along.cell_type != "code":
            continue
        loaded = along.source
        if loaded.startswith("# Stuck? %load "):  # what %load does: the file replaces the cell
            loaded = (REPO / loaded.splitlines()[0].removeprefix("# Stuck? %load ")).read_text(encoding="utf-8")
        assert loaded.splitlines() == without_markers(full.source), along.id


def test_codealong_has_the_same_cells_and_markdown_and_no_outputs():
    complete, codealong = read_notebook(), read_notebook(CODEALONG)
    assert [c.id for c in codealong.cells] == [c.id for c in complete.cells]
    assert [c.source for c in codealong.cells if c.cell_type == "markdown"] == [
        c.source for c in complete.cells if c.cell_type == "markdown"
    ]
    for cell in codealong.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "live-code" not in cell.source


def test_every_step_has_a_live_code_region():
    steps_with_live_code, step = set(), None
    for cell in read_notebook().cells:
        if cell.cell_type == "markdown" and (heading := re.match(r"## Step (\d): ", cell.source)):
            step = int(heading.group(1))
        elif cell.cell_type == "markdown" and cell.source.startswith("## "):
            step = None
        elif cell.cell_type == "code" and step and "## live-code" in cell.source:
            steps_with_live_code.add(step)
    assert steps_with_live_code == {1, 2, 3, 4, 5, 6}


def test_a_cell_that_starts_with_live_code_and_has_no_end_is_emptied_whole():
    assert strip_live_code("## live-code\nx = 1\ny = 2") == GAP


def test_a_live_code_region_is_cut_out_with_its_markers_and_a_gap_left():
    source = "def f(x):\n    # doc\n    ## live-code\n    y = x + 1\n    return y\n    ## /live-code\n\n\nz = f(1)"
    assert strip_live_code(source) == f"def f(x):\n    # doc\n    {GAP}\n\n\nz = f(1)"


def test_a_cell_starting_with_a_closed_region_keeps_what_follows():
    assert strip_live_code("## live-code\nx = 1\n## /live-code\nprint(x)") == f"{GAP}\nprint(x)"


def test_a_cell_without_markers_is_unchanged():
    assert strip_live_code("x = 1\nprint(x)") == "x = 1\nprint(x)"


@pytest.mark.parametrize(
    "source",
    ["x = 1\n## live-code\ny = 2", "x = 1\n## /live-code", "## live-code\n## live-code\n## /live-code"],
)
def test_malformed_regions_are_refused(source):
    with pytest.raises(ValueError):
        strip_live_code(source)


def test_every_code_along_cell_is_valid_python_before_anything_is_typed():
    for cell in read_notebook(CODEALONG).cells:
        if cell.cell_type == "code":
            compile(cell.source, f"<code-along cell {cell.id}>", "exec")


MAX_GAP_LINES, MAX_LINE = 6, 88  # the speaker's budget for what is typed into one gap


def live_code_regions(notebook) -> list:
    """(cell id, the lines between the markers) for every live-code region of the notebook's code
    cells; a cell that starts with `## live-code` and has no end marker is one region whole."""
    regions = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        lines, region = cell.source.splitlines(), None
        for line in lines:
            if line.strip().startswith(END):
                regions.append((cell.id, region))
                region = None
            elif line.strip().startswith(START):
                region = []
            elif region is not None:
                region.append(line)
        if region is not None:  # a cell emptied whole
            regions.append((cell.id, region))
    return regions


def test_the_regions_are_found_as_the_generator_cuts_them():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("## live-code\nx = 1\ny = 2", id="whole"),
        nbformat.v4.new_code_cell("def f():\n    ## live-code\n    return 1\n    ## /live-code\n\n\nz = f()", id="part"),
        nbformat.v4.new_code_cell("z = 3", id="none"),
    ]
    assert live_code_regions(notebook) == [("whole", ["x = 1", "y = 2"]), ("part", ["    return 1"])]
    assert len(live_code_regions(read_notebook())) == len(make_solutions(read_notebook()))  # one region a cell


def test_every_gap_is_at_most_six_lines_of_at_most_88_characters():
    """What the speaker types in front of the room stays short enough to type, read out and show."""
    regions = live_code_regions(read_notebook())
    assert regions, "no live-code region found: the check is broken"
    too_many = [(cell_id, len(lines)) for cell_id, lines in regions if len(lines) > MAX_GAP_LINES]
    too_long = [(cell_id, len(line), line) for cell_id, lines in regions for line in lines if len(line) > MAX_LINE]
    assert not too_many, f"gaps of more than {MAX_GAP_LINES} lines: {too_many}"
    assert not too_long, f"lines of more than {MAX_LINE} characters: {too_long}"
