"""The conventions of the talk and the chapters that readers, papermill users and tests rely on,
and the state they are committed in."""

import ast
import json
import re

import pytest

from notebook_cells import CHAPTERS, COMPLETE, chapter_paths, read_notebook, run_cells

# The names a papermill user or a test reads from the finished notebooks, by the notebook that
# assigns them. A chapter that does not exist yet is skipped, by name.
TALK_NAMES = {
    "image_path", "num_samples", "seed", "label_idx", "image", "model", "segment_mask", "segment_weights",
    "segment_weight_intervals", "settled_segments",
}
CHAPTER_NAMES = {"01-how-sure.ipynb": {"model_calls"}}
CHAPTER_FUNCTIONS = {"03-shap.ipynb": {"shapley_kernel"}}
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
NOTEBOOKS = [COMPLETE, *chapter_paths()]


def by_name(path) -> str:
    return path.name


def code_tree(source: str) -> ast.Module:
    """A code cell parsed as Python, its IPython magics (%, !) left out."""
    return ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))


def assigned_names(source: str) -> set:
    return {
        node.id
        for node in ast.walk(code_tree(source))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def defined_functions(source: str) -> set:
    return {node.name for node in ast.walk(code_tree(source)) if isinstance(node, ast.FunctionDef)}


def notebook_code(path) -> list:
    return [c.source for c in read_notebook(path).cells if c.cell_type == "code"]


def parameter_cells(path) -> list:
    return [c for c in read_notebook(path).cells if "parameters" in c.metadata.get("tags", [])]


def test_the_talk_has_one_cell_tagged_parameters_and_it_sets_the_defaults():
    cells = parameter_cells(COMPLETE)
    assert len(cells) == 1
    namespace = run_cells({}, cells[0].id)
    assert {name: namespace[name] for name in assigned_names(cells[0].source)} == {
        "image_path": "camera.png", "num_samples": 2000, "seed": 0, "label_idx": None,
    }


@pytest.mark.parametrize("path", chapter_paths(), ids=by_name)
def test_each_chapter_has_the_talks_parameters_with_the_photo_one_folder_up(path):
    """The same four settings in the same order, so that papermill sets a chapter as it sets the talk;
    the same defaults, but for num_samples, which each chapter sets to run in under a minute; the photo
    is ../camera.png, as the chapter runs in chapters/."""
    cells = parameter_cells(path)
    assert len(cells) == 1, f"{path.name} has {len(cells)} cells tagged parameters"
    assert cells[0].id.endswith("-parameters"), cells[0].id
    talk = run_cells({}, parameter_cells(COMPLETE)[0].id)
    namespace = run_cells({}, cells[0].id)
    names = [line.split(" = ")[0] for line in cells[0].source.splitlines() if " = " in line]
    talk_names = [line.split(" = ")[0] for line in parameter_cells(COMPLETE)[0].source.splitlines() if " = " in line]
    assert names == talk_names == ["image_path", "num_samples", "seed", "label_idx"]
    assert namespace["image_path"] == "../camera.png" and talk["image_path"] == "camera.png"
    assert (namespace["seed"], namespace["label_idx"]) == (talk["seed"], talk["label_idx"])
    assert isinstance(namespace["num_samples"], int) and namespace["num_samples"] > 0


def test_the_talk_assigns_its_public_names():
    assigned = set().union(*map(assigned_names, notebook_code(COMPLETE)))
    assert TALK_NAMES <= assigned, TALK_NAMES - assigned


@pytest.mark.parametrize("name", sorted({*CHAPTER_NAMES, *CHAPTER_FUNCTIONS}))
def test_each_chapter_assigns_its_public_names(name):
    path = CHAPTERS / name
    if not path.exists():
        pytest.skip(f"chapters/{name} does not exist yet")
    code = notebook_code(path)
    assigned = set().union(set(), *map(assigned_names, code))
    functions = set().union(set(), *map(defined_functions, code))
    assert CHAPTER_NAMES.get(name, set()) <= assigned, f"{name} assigns no {CHAPTER_NAMES[name] - assigned}"
    assert CHAPTER_FUNCTIONS.get(name, set()) <= functions, f"{name} defines no {CHAPTER_FUNCTIONS[name] - functions}"


def test_cell_ids_are_unique_across_the_talk_and_the_chapters():
    ids = [(cell.id, path.name) for path in NOTEBOOKS for cell in read_notebook(path).cells]
    seen = {}
    for cell_id, name in ids:
        assert cell_id not in seen, f"cell id {cell_id!r} is in {seen[cell_id]} and in {name}"
        seen[cell_id] = name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_the_notebook_is_committed_executed_top_to_bottom_in_one_run(path):
    code_cells = [c for c in read_notebook(path).cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1))
    assert not [o for c in code_cells for o in c.outputs if o.output_type == "error"]


def stored_texts(path) -> str:
    """Every text a reader sees in the stored outputs (streams, plain text and HTML; not pictures)."""
    texts = []
    for cell in read_notebook(path).cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts += [output.get("data", {}).get(kind, "") for kind in ("text/plain", "text/html")]
    return "\n".join(texts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_stored_outputs_hold_no_machine_paths_logs_timings_or_warnings(path):
    outputs, texts = json.dumps([c.get("outputs", []) for c in read_notebook(path).cells]), stored_texts(path)
    assert not re.search(r"/(tmp|root|home|Users)/", outputs), "a machine path is stored"
    assert not re.search(r"\d+m?s/step", texts), "Keras progress text is stored"
    assert not re.search(r"[IWEF]\d{4} \d\d:\d\d:\d\d", texts), "a TensorFlow log line is stored"
    assert not re.search(r"\b\d+(\.\d+)? ?(ms|s|sec|seconds)\b|\d+(\.\d+)?it/s|Wall time|CPU times", texts), "a timing is stored"
    assert not re.search(r"\w+Warning\b", texts), "a warning is stored"


# Cells of the talk whose output nbval does not compare, and why: TensorFlow's start-up log has
# timestamps and process ids; class probabilities and surrogate weights depend on which copy
# of the ImageNet weights Keras holds (its own download, or a converted offline copy), so they
# are shown but not compared; so do the intervals and the settled segments, the curves' areas,
# the surrogate's R² and the verdict built from them (tests/test_explanation.py checks them
# with tolerances instead).
IGNORED_OUTPUTS = {
    "imports", "load-model", "predict-image", "step5-weights", "step6", "uncertainty", "deletion", "fit", "verdict",
}


def stored_text(cell) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def test_nbval_ignores_only_the_outputs_that_truly_vary():
    ignored = {c.id for c in read_notebook().cells if "nbval-ignore-output" in c.metadata.get("tags", [])}
    assert ignored == IGNORED_OUTPUTS


def test_nbval_compares_the_top_label_the_segment_count_and_the_leading_segments():
    """What every faithful copy of the weights gives; tests/test_weight_copies.py checks that it holds."""
    cells = {c.id: c for c in read_notebook().cells}
    assert re.fullmatch(r"We explain class \d+: 'tripod'\n", stored_text(cells["label"]))
    assert re.search(r"\d+ segments \(125 asked for\)\n", stored_text(cells["step1"]))
    assert re.fullmatch(r"leading segments: \[\d+(, \d+)*\]\n", stored_text(cells["step5-result"]))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_the_notebook_carries_no_stray_metadata(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"] == NOTEBOOK_METADATA
    for cell in notebook["cells"]:
        assert set(cell["metadata"]) <= {"tags", "slideshow"}, cell["id"]
        assert re.fullmatch(r"[a-z0-9-]+", cell["id"])


def test_every_cell_has_a_slide_type_and_every_section_starts_a_slide():
    for cell in read_notebook().cells:
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        assert slide_type in {"slide", "subslide", "fragment", "skip", "-"}, cell.id
        if cell.cell_type == "markdown" and re.match(r"#{1,3} ", cell.source):
            assert slide_type == "slide", f"the section {cell.source.splitlines()[0]!r} should start a slide"
