"""The complete notebook's conventions that readers, papermill users and tests rely on,
and the state it is committed in."""

import ast
import json
import re

from notebook_cells import COMPLETE, read_notebook, run_cells

PUBLIC_NAMES = {
    "image_path", "num_samples", "seed", "image", "model", "label_idx", "segment_mask", "segment_weights",
    "segment_weight_intervals", "settled_segments", "model_calls",
}


def assigned_names(source: str) -> set:
    return {
        node.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def test_one_cell_is_tagged_parameters_and_sets_the_defaults():
    cells = [c for c in read_notebook().cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    namespace = run_cells({}, cells[0].id)
    assert namespace["image_path"] == "camera.png"
    assert isinstance(namespace["num_samples"], int) and namespace["num_samples"] > 0
    assert isinstance(namespace["seed"], int)
    assert namespace["label_idx"] is None


def test_the_notebook_defines_its_public_names():
    assigned = set().union(*(assigned_names(c.source) for c in read_notebook().cells if c.cell_type == "code"))
    assert PUBLIC_NAMES <= assigned


def test_the_notebook_is_committed_executed_top_to_bottom_in_one_run():
    code_cells = [c for c in read_notebook().cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1))
    assert not [o for c in code_cells for o in c.outputs if o.output_type == "error"]


def test_stored_outputs_hold_no_machine_paths_logs_or_timings():
    outputs = json.dumps([c.get("outputs", []) for c in read_notebook().cells])
    assert not re.search(r"/(tmp|root|home|Users)/", outputs), "a machine path is stored"
    assert not re.search(r"\d+m?s/step", outputs), "Keras progress text is stored"
    assert not re.search(r"[IWEF]\d{4} \d\d:\d\d:\d\d", outputs), "a TensorFlow log line is stored"


# Cells whose output nbval does not compare, and why: TensorFlow's start-up log has
# timestamps and process ids; class probabilities and surrogate weights depend on
# which copy of the ImageNet weights Keras holds (its own download, or a converted
# offline copy), so they are shown but not compared; so do the intervals, the settled segments and
# the number of model calls the stopping rule needs (tests/test_explanation.py and
# tests/test_uncertainty.py check them with tolerances instead).
IGNORED_OUTPUTS = {
    "imports", "load-model", "predict-image", "step4-table", "step5-weights", "step6-table",
    "uncertainty-plot", "settled",
    "trust-lime", "trust-deletion", "trust-stability", "trust-class", "trust-limits",
    "trust-settings-width", "trust-settings-hiding", "trust-sanity", "adaptive",
    "shap-fit", "shap-compare", "shap-additivity",
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


def test_the_notebook_carries_no_stray_metadata():
    notebook = json.loads(COMPLETE.read_text(encoding="utf-8"))
    assert set(notebook["metadata"]) == {"kernelspec", "language_info"}
    for cell in notebook["cells"]:
        assert set(cell["metadata"]) <= {"tags", "slideshow"}
        assert re.fullmatch(r"[a-z0-9-]+", cell["id"])


def test_every_cell_has_a_slide_type_and_every_section_starts_a_slide():
    for cell in read_notebook().cells:
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        assert slide_type in {"slide", "subslide", "fragment", "skip", "-"}, cell.id
        if cell.cell_type == "markdown" and re.match(r"(# |## )", cell.source):
            assert slide_type == "slide", f"the section {cell.source.splitlines()[0]!r} should start a slide"
    helpers = {c.id: c.metadata["slideshow"]["slide_type"] for c in read_notebook().cells if "helpers" in c.id}
    assert set(helpers.values()) == {"skip"}, "the display helpers stay out of the deck"
