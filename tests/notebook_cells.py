"""Run the complete notebook's own cells in a test, by cell id.

The tests exercise the code that stands in grokking-lime-complete.ipynb, never
a copy of it: they look a cell up by its id and execute its source into a plain
namespace dictionary.
"""

import os
import re
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
COMPLETE = REPO / "grokking-lime-complete.ipynb"
CODEALONG = REPO / "grokking-lime.ipynb"

# The notebook up to step 1 (photo, model, segmentation), and steps 2 to 5 (the explanation).
SETUP_CELLS = ("imports", "display-helpers", "parameters", "load-image", "load", "load-model", "predict-image", "label", "step1")
STEP_CELLS = ("step2", "step3", "step4-batches", "step4", "step5-kernel", "step5-fit")


def read_notebook(path: Path = COMPLETE) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def cell_source(cell_id: str, notebook: nbformat.NotebookNode | None = None) -> str:
    notebook = notebook or read_notebook()
    for cell in notebook.cells:
        if cell.get("id") == cell_id:
            return cell.source
    raise KeyError(f"the notebook has no cell with id {cell_id!r}")


def run_cells(namespace: dict, *cell_ids: str) -> dict:
    """Execute the named cells, in order, in `namespace`; return it.

    Like Jupyter, it runs them in the notebook's own folder, where camera.png is.
    """
    notebook = read_notebook()
    for cell_id in cell_ids:
        run_source(namespace, cell_source(cell_id, notebook), f"<notebook cell {cell_id}>")
    return namespace


def run_source(namespace: dict, source: str, name: str) -> None:
    """Execute `source` in `namespace`, in the notebook's own folder, as Jupyter would."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        exec(compile(source, name, "exec"), namespace)
    finally:
        os.chdir(cwd)


def run_cell_with(namespace: dict, cell_id: str, **values) -> dict:
    """Execute one cell as written, except that each name in `values` takes that value right after
    the cell's own assignment to it, the way papermill sets a parameter; return the namespace."""
    source = cell_source(cell_id)
    for name, value in values.items():
        assignment = re.search(rf"^{name} = .*$", source, flags=re.MULTILINE)
        if assignment is None:
            raise KeyError(f"cell {cell_id!r} assigns no {name!r}")
        source = source[:assignment.end()] + f"\n{name} = {value!r}" + source[assignment.end():]
    run_source(namespace, source, f"<notebook cell {cell_id}, with {values}>")
    return namespace
