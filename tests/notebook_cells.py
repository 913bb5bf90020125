"""Run the notebooks' own cells in a test, by cell id.

The tests exercise the code that stands in grokking-lime-complete.ipynb and in the
chapters, never a copy of it: they look a cell up by its id (ids are unique across the
complete notebook and all chapters) and execute its source into a plain namespace
dictionary, in the folder of the notebook that holds the cell, as Jupyter would.
"""

import os
import re
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
COMPLETE = REPO / "grokking-lime-complete.ipynb"
CODEALONG = REPO / "grokking-lime.ipynb"
CHAPTERS = REPO / "chapters"
sys.path.insert(0, str(CHAPTERS))  # chapter cells run `from talk import *`, as Jupyter does in chapters/


def chapter_paths() -> list:
    return sorted(CHAPTERS.glob("[0-9][0-9]-*.ipynb"))

# The talk up to step 1 (photo, model, segmentation), and steps 2 to 5 (the explanation).
SETUP_CELLS = ("imports", "parameters", "load", "load-model", "predict-image", "label", "step1")
STEP_CELLS = ("step2", "step3", "step4", "step5-kernel", "step5-fit")


def read_notebook(path: Path = COMPLETE) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def find_cell(cell_id: str) -> tuple:
    """The cell with this id, in the complete notebook or a chapter, and that notebook's folder."""
    for path in [COMPLETE, *chapter_paths()]:
        for cell in read_notebook(path).cells:
            if cell.get("id") == cell_id:
                return cell, path.parent
    raise KeyError(f"no notebook has a cell with id {cell_id!r}")


def cell_source(cell_id: str, notebook: nbformat.NotebookNode | None = None) -> str:
    if notebook is not None:
        for cell in notebook.cells:
            if cell.get("id") == cell_id:
                return cell.source
    return find_cell(cell_id)[0].source


def run_cells(namespace: dict, *cell_ids: str) -> dict:
    """Execute the named cells, in order, in `namespace`; return it.

    Like Jupyter, it runs each in its notebook's own folder (camera.png is in the repository's)."""
    for cell_id in cell_ids:
        cell, folder = find_cell(cell_id)
        run_source(namespace, cell.source, f"<notebook cell {cell_id}>", folder)
    return namespace


def run_source(namespace: dict, source: str, name: str, folder: Path = REPO) -> None:
    """Execute `source` in `namespace`, in `folder`, as Jupyter would."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        exec(compile(source, name, "exec"), namespace)
    finally:
        os.chdir(cwd)


def chapter_import() -> dict:
    """A namespace after a chapter's first line, `from talk import *`: the talk's functions."""
    namespace = {}
    run_source(namespace, "from talk import *", "<from talk import *>")
    return namespace


def run_cell_with(namespace: dict, cell_id: str, **values) -> dict:
    """Execute one cell as written, except that each name in `values` takes that value right after
    the cell's own assignment to it, the way papermill sets a parameter; return the namespace."""
    cell, folder = find_cell(cell_id)
    source = cell.source
    for name, value in values.items():
        assignment = re.search(rf"^{name} = .*$", source, flags=re.MULTILINE)
        if assignment is None:
            raise KeyError(f"cell {cell_id!r} assigns no {name!r}")
        source = source[:assignment.end()] + f"\n{name} = {value!r}" + source[assignment.end():]
    run_source(namespace, source, f"<notebook cell {cell_id}, with {values}>", folder)
    return namespace
