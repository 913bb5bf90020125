"""Going further: SHAP. The notebook's Shapley kernel and constrained fit, run by cell id, against
Shapley values computed from their definition and against shap.KernelExplainer.

A segment's Shapley value is what showing it adds, averaged over all orders of showing the segments:

    φ_i = sum over the coalitions S without i of |S|! (M - |S| - 1)! / M! · (f(S with i) - f(S)).

On a 3×3 grid of the synthetic scene (9 segments, 2^9 = 512 coalitions) the tests compute it exactly,
by enumeration, from the answers the notebook's own predict_samples gets from a stand-in model: the
ImportanceModel of synthetic.py, whose sine wiggle makes the segments interact, so that its Shapley
values are not what a plain linear fit returns (one test checks that). It tells a shown segment by the
scene's own pixels, so the tests hold whatever step 3 hides segments with.
"""

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from keras.applications.mobilenet_v2 import preprocess_input

from notebook_cells import run_cell_with, run_cells
from synthetic import CELL, GRID, ImportanceModel, grid_segment_mask, scene
from test_lime_steps import explain_scene, notebook_code  # noqa: F401 (a fixture)

SHAP_CELLS = ("step6", "shap-kernel", "shap-weights", "shap-fit")
COARSE = 3  # a 3×3 grid of the scene: 9 segments
COARSE_IMPORTANCE = {0: 0.3, 4: 0.2, 8: 0.1}
FINE_IMPORTANCE = {4: 0.4, 9: 0.3, 17: 0.2, 22: 0.1, 30: 0.05}  # on the 6×6 grid, as in test_uncertainty.py


class SceneImportanceModel(ImportanceModel):
    """ImportanceModel that sees a segment as shown when all its pixels are the scene's own, preprocessed
    as for MobileNetV2, and as hidden otherwise, whatever the hidden pixels show. A base probability
    keeps f(all hidden) away from 0, so that the intercept matters."""

    BASE = 0.1

    def __init__(self, segment_mask: np.ndarray, importance: dict):
        super().__init__(segment_mask, importance)
        self.scene_input = preprocess_input(scene().astype(np.float32))  # the photo as the model gets it

    def shown(self, images: np.ndarray, segment: int) -> np.ndarray:
        pixels = self.segment_mask == segment
        return np.all(images[:, pixels] == self.scene_input[pixels], axis=(1, 2)).astype(float)

    def probability(self, shown: np.ndarray) -> np.ndarray:
        return self.BASE + super().probability(shown)


def coarse_segment_mask() -> np.ndarray:
    size = GRID * CELL // COARSE
    return np.arange(COARSE * COARSE).reshape(COARSE, COARSE).repeat(size, axis=0).repeat(size, axis=1)


def explain_with_shap(notebook_code: dict, segment_mask: np.ndarray, importance: dict) -> dict:
    """Steps 2 to 6 and the notebook's SHAP cells on the scene cut by `segment_mask`."""
    namespace = explain_scene(
        notebook_code, segment_mask=segment_mask, num_segments=segment_mask.max() + 1,
        model=SceneImportanceModel(segment_mask, importance),
    )
    run_cells(namespace, *SHAP_CELLS)
    plt.close("all")
    return namespace


def all_coalitions(num_segments: int) -> np.ndarray:
    """Every on/off vector, the photo (all ones) first and all hidden last."""
    return 1 - np.array(list(itertools.product([0, 1], repeat=num_segments)))


def exact_shapley_values(coalitions: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """The Shapley values by their definition, from f of every coalition."""
    f = {tuple(coalition): p for coalition, p in zip(coalitions.tolist(), probabilities)}
    num_segments = coalitions.shape[1]
    values = np.zeros(num_segments)
    for coalition in f:
        size = sum(coalition)
        for segment in range(num_segments):
            if coalition[segment] == 0:  # then size <= num_segments - 1
                share = math.factorial(size) * math.factorial(num_segments - size - 1) / math.factorial(num_segments)
                with_segment = coalition[:segment] + (1,) + coalition[segment + 1:]
                values[segment] += share * (f[with_segment] - f[coalition])
    return values


@pytest.fixture(scope="module")
def coarse(notebook_code):  # noqa: F811
    """The notebook on the 3×3 grid with step 2's random samples."""
    return explain_with_shap(notebook_code, coarse_segment_mask(), COARSE_IMPORTANCE)


@pytest.fixture(scope="module")
def enumerated(coarse):
    """The notebook's SHAP cells on the 3×3 grid, with all 512 coalitions in place of step 2's samples."""
    samples = all_coalitions(coarse["num_segments"])
    namespace = {**coarse, "samples": samples}
    namespace["class_probabilities"] = coarse["predict_samples"](samples, np.full(len(samples), 128))[:, coarse["label_idx"]]
    run_cells(namespace, "shap-weights", "shap-fit")
    plt.close("all")
    namespace["exact"] = exact_shapley_values(samples, namespace["class_probabilities"])
    return namespace


@pytest.fixture(scope="module")
def fair_coin(coarse):
    """The notebook's SHAP cells on the 3×3 grid with 2000 samples that show each segment with a fair
    coin, in place of step 2's chance of 0.8: they show every number of segments, as the kernel needs."""
    rng = np.random.default_rng(coarse["seed"])
    samples = coarse["generate_samples"](coarse["num_segments"], 2000, rng, keep_chance=0.5)
    hidden_levels = rng.choice(coarse["grey_levels"], len(samples))
    namespace = {**coarse, "samples": samples}
    namespace["class_probabilities"] = coarse["predict_samples"](samples, hidden_levels)[:, coarse["label_idx"]]
    namespace["sample_weights"] = coarse["exponential_kernel"](coarse["compute_distances"](samples), coarse["kernel_width"])
    run_cells(namespace, "shap-weights", "shap-fit")
    plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def fine(notebook_code):  # noqa: F811
    """The notebook on the scene's 6×6 grid (36 segments), step 2's samples, and shap's KernelExplainer."""
    namespace = explain_with_shap(notebook_code, grid_segment_mask(), FINE_IMPORTANCE)
    run_cells(namespace, "shap-compare", "shap-additivity")
    plt.close("all")
    return namespace


def test_on_all_coalitions_the_fit_gives_the_exact_shapley_values(enumerated):
    assert np.allclose(enumerated["shapley_values"], enumerated["exact"], atol=1e-9)


def test_the_stand_in_model_makes_the_segments_interact(enumerated):
    """Otherwise every weighted linear fit to all coalitions would give the Shapley values, and the test
    above would prove little: fitted with LIME's kernel instead of the Shapley kernel, no ridge, it misses them."""
    samples = enumerated["samples"]
    lime_kernel = enumerated["exponential_kernel"](enumerated["compute_distances"](samples), enumerated["kernel_width"])
    with_intercept = np.column_stack([np.ones(len(samples)), samples])
    root = np.sqrt(lime_kernel)
    fitted = np.linalg.lstsq(with_intercept * root[:, np.newaxis], enumerated["class_probabilities"] * root, rcond=None)[0]
    assert np.abs(fitted[1:] - enumerated["exact"]).max() > 0.02


def test_on_all_coalitions_each_sample_stands_for_itself_and_the_photo_and_all_hidden_are_the_constraints(enumerated):
    weights, kernel = enumerated["shapley_weights"], enumerated["shapley_kernel"](enumerated["samples"])
    assert np.array_equal(enumerated["stands_for"], np.ones(len(weights)))
    assert np.array_equal(weights, kernel)
    assert np.isinf(weights).nonzero()[0].tolist() == [0, len(weights) - 1]  # all shown, all hidden


def test_the_shapley_kernel_depends_only_on_how_many_segments_are_shown_and_is_symmetric(coarse):
    shapley_kernel, rng = coarse["shapley_kernel"], np.random.default_rng(1953)
    samples = rng.integers(0, 2, size=(300, 12))
    kernel = shapley_kernel(samples)
    for size in range(1, 12):
        same_size = samples.sum(axis=1) == size
        assert np.unique(kernel[same_size]).size <= 1
    shown_first = (np.arange(12) < np.arange(13)[:, np.newaxis]).astype(int)  # 0 to 12 segments shown
    weights = shapley_kernel(shown_first)
    assert np.isinf(weights[[0, 12]]).all() and np.isfinite(weights[1:12]).all()
    assert np.allclose(weights[1:12], weights[1:12][::-1])  # k shown weighs as much as k hidden


@pytest.mark.parametrize("scene", ["coarse", "fair_coin"])
def test_each_size_the_samples_show_carries_the_weight_of_all_coalitions_of_that_size(scene, enumerated, request):
    """Step 2's samples (chance 0.8) never show just one of the 9 segments, so only the sizes drawn are
    checked; the fair coin draws every size from 1 to 8."""
    namespace = request.getfixturevalue(scene)
    sizes, weights = namespace["samples"].sum(axis=1), namespace["shapley_weights"]
    all_sizes, kernel = enumerated["samples"].sum(axis=1), enumerated["shapley_kernel"](enumerated["samples"])
    drawn = sorted(set(sizes.tolist()) & set(range(1, namespace["num_segments"])))
    assert len(drawn) >= (8 if scene == "fair_coin" else 6), drawn
    for size in drawn:
        assert np.isclose(weights[sizes == size].sum(), kernel[all_sizes == size].sum(), rtol=1e-12), size


def error_and_error_with_lime_kernel(ns: dict, exact: np.ndarray) -> tuple:
    """How far the notebook's Shapley values are from the exact ones, and how far the same constrained fit
    is on the same samples with LIME's kernel in place of the Shapley weights."""
    lime_kernel = np.where(np.isinf(ns["shapley_weights"]), np.inf, ns["sample_weights"])  # the same constraints
    with_lime_kernel = ns["fit_shapley"](
        ns["samples"], ns["class_probabilities"], lime_kernel, ns["photo_probability"], ns["hidden_probability"]
    )
    return np.abs(ns["shapley_values"] - exact).max(), np.abs(with_lime_kernel - exact).max()


def test_from_fair_coin_samples_the_values_are_close_to_the_exact_ones(fair_coin, enumerated):
    """2000 random samples of 9 segments that show every size: with the notebook's weights the values come
    close to the exact ones; the same constrained fit with LIME's kernel in their place does not."""
    error, wrong_kernel_error = error_and_error_with_lime_kernel(fair_coin, enumerated["exact"])
    assert error < 0.015, error
    assert wrong_kernel_error > 2 * error, (error, wrong_kernel_error)


def test_step_2_s_samples_which_skip_the_smallest_sizes_give_values_further_off(coarse, fair_coin, enumerated):
    """What the notebook says of its own samples: the sizes step 2 draws cannot stand in for those the
    kernel weighs most, so the same fit on them lands further from the exact values than on fair-coin ones."""
    error = error_and_error_with_lime_kernel(coarse, enumerated["exact"])[0]
    fair_coin_error = error_and_error_with_lime_kernel(fair_coin, enumerated["exact"])[0]
    assert error > fair_coin_error, (error, fair_coin_error)


@pytest.mark.parametrize("scene", ["coarse", "enumerated", "fine"])
def test_the_shapley_values_add_up_to_the_photo_minus_all_hidden(scene, request):
    namespace = request.getfixturevalue(scene)
    all_hidden = np.zeros((1, namespace["num_segments"]))
    assert np.isclose(namespace["hidden_probability"], namespace["model"].probability(all_hidden)[0], atol=1e-6)
    assert namespace["photo_probability"] == namespace["class_probabilities"][0]
    difference = namespace["photo_probability"] - namespace["hidden_probability"]
    assert abs(namespace["shapley_values"].sum() - difference) < 1e-6


def test_which_weight_is_eliminated_does_not_change_the_values(coarse):
    ns, order = coarse, np.random.default_rng(17).permutation(coarse["num_segments"])
    reordered = ns["fit_shapley"](
        ns["samples"][:, order], ns["class_probabilities"], ns["shapley_weights"],
        ns["photo_probability"], ns["hidden_probability"],
    )
    assert np.allclose(reordered, ns["shapley_values"][order], atol=1e-10)


def test_shap_agrees_exactly_when_both_see_all_coalitions(enumerated):
    """shap asks about every coalition when nsamples allows it (here 510 of them besides the photo and
    all hidden): then its values are exact too."""
    namespace = run_cells(dict(enumerated), "shap-compare")
    plt.close("all")
    assert namespace["shap_samples"] >= 2 ** namespace["num_segments"] - 2
    assert np.allclose(namespace["shap_values"], enumerated["exact"], atol=1e-9)
    assert np.isclose(namespace["explainer"].expected_value, enumerated["hidden_probability"], atol=1e-12)


def test_shap_agrees_on_the_36_segments_of_the_synthetic_scene(fine):
    """Too many coalitions to enumerate: ours come from step 2's random samples, shap draws its own."""
    assert fine["shap_correlation"] >= 0.95, fine["shap_correlation"]
    assert fine["our_top3"] == fine["shap_top3"] == list(FINE_IMPORTANCE)[:3]
    difference = fine["photo_probability"] - fine["hidden_probability"]
    assert abs(fine["shap_values"].sum() - difference) < 1e-6


def test_shap_agrees_on_camera_png(camera):
    """The notebook's Shapley values against shap.KernelExplainer with the real MobileNetV2, on the
    same segments and with the notebook's own model function; needs the ImageNet weights (see README.md).

    shap's values are estimates too: with 95 segments, the notebook's shap_samples leave them moving
    from seed to seed, so this test asks shap for 8000 coalitions. Ours come from step 2's samples,
    which show 62 to 89 of the 95 segments: they describe the model where most of the photo is
    shown, and agree with shap's best where one segment stands far ahead (a correlation of 0.91 with
    the offline weights, 0.53 without that segment: benchmarks/shap-agreement.txt). So the test asks for the same leading segment
    and a correlation of at least 0.75, not for the same order behind it. The notebook's
    shap-compare cell runs as written, but for its shap_samples, set to 8000 the way papermill sets
    a parameter: by a line after the assignment."""
    namespace = run_cell_with(run_cells(dict(camera), *SHAP_CELLS), "shap-compare", shap_samples=8000)
    run_cells(namespace, "shap-additivity")
    plt.close("all")
    assert namespace["shap_samples"] == 8000
    shap_values = namespace["shap_values"]
    ours = namespace["shapley_values"]
    assert np.corrcoef(ours, shap_values)[0, 1] >= 0.75, np.corrcoef(ours, shap_values)[0, 1]
    assert np.argmax(ours) == np.argmax(shap_values), (ours, shap_values)
    difference = namespace["photo_probability"] - namespace["hidden_probability"]
    assert abs(ours.sum() - difference) < 1e-6
    assert abs(shap_values.sum() - difference) < 1e-6
    assert abs(namespace["segment_weights"].sum() - difference) > 1e-3  # LIME's weights do not add up
