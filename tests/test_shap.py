"""Chapter 3, chapters/03-shap.ipynb: its Shapley kernel, its sampling and its constrained fit, run by
cell id on the synthetic scene, against Shapley values known exactly and against shap.KernelExplainer.

A segment's Shapley value is what showing it adds, averaged over the coalitions S of the other segments,
each size counting equally:

    φ_i = sum over the coalitions S without i of |S|! (M - |S| - 1)! / M! · (f(S with i) - f(S)).

The stand-in model is synthetic.py's ImportanceModel, made to tell a shown segment by the scene's own
pixels (whatever grey hides the others) and given a base probability, so that the baseline matters. With
no wiggle it is additive, f(S) = base + sum of the importances in S, and then φ_i is segment i's
importance. With its sine wiggle the segments interact; on a 3×3 grid (9 segments, 512 coalitions) the
tests then compute φ by enumerating every coalition.
"""

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from keras.applications.mobilenet_v2 import preprocess_input

from notebook_cells import chapter_import, run_cell_with, run_cells
from synthetic import CELL, GRID, ImportanceModel, grid_segment_mask, scene

CHAPTER_CELLS = ("shap-baseline", "shap-kernel", "shap-sample", "shap-fit")
IMPORTANCE = {4: 0.3, 9: 0.2, 17: -0.1, 22: 0.05}  # on the 6×6 grid
COARSE, COARSE_IMPORTANCE = 3, {0: 0.3, 4: 0.2, 8: -0.1}  # a 3×3 grid of the scene: 9 segments


class SceneModel(ImportanceModel):
    """ImportanceModel that sees a segment as shown when all its pixels are the scene's own, as the
    model gets them, whatever the hidden ones show; class 1's probability has a base of 0.1."""

    BASE = 0.1

    def __init__(self, segment_mask: np.ndarray, importance: dict, wiggle: float):
        super().__init__(segment_mask, importance, wiggle)
        self.scene_input = preprocess_input(scene().astype(np.float32))

    def shown(self, images: np.ndarray, segment: int) -> np.ndarray:
        pixels = self.segment_mask == segment
        return np.all(images[:, pixels] == self.scene_input[pixels], axis=(1, 2)).astype(float)

    def probability(self, shown: np.ndarray) -> np.ndarray:
        return self.BASE + super().probability(shown)


def coarse_segment_mask() -> np.ndarray:
    size = GRID * CELL // COARSE
    return np.arange(COARSE * COARSE).reshape(COARSE, COARSE).repeat(size, axis=0).repeat(size, axis=1)


def talk_on_scene(model, segment_mask: np.ndarray) -> dict:
    """What the chapter's setup cell leaves, for the scene and a stand-in model: the talk's functions,
    the photo's probabilities and step 2's samples as the talk draws them (which the chapter compares with)."""
    namespace = chapter_import()
    image, num_samples, label_idx, seed = scene(), 500, 1, 0
    namespace.update(
        image=image, model=model, segment_mask=segment_mask, label_idx=label_idx, class_name="class 1",
        seed=seed, num_samples=num_samples, num_segments=segment_mask.max() + 1, model_calls=0,
        photo_probabilities=model.predict_on_batch(preprocess_input(image[np.newaxis].astype(np.float32)))[0],
        talk_samples=namespace["generate_samples"](segment_mask.max() + 1, 2000, np.random.default_rng(seed)),
    )
    return namespace


def chapter_on_scene(model, segment_mask: np.ndarray, num_coalitions: int = 1500) -> dict:
    """The chapter's Kernel SHAP cells, run as written on the scene, but for num_coalitions."""
    namespace = run_cells(talk_on_scene(model, segment_mask), "shap-baseline", "shap-kernel")
    return estimate_again(namespace, seed=0, num_coalitions=num_coalitions)


def estimate_again(namespace: dict, seed: int, num_coalitions: int) -> dict:
    """The chapter's sampling and fit once more, with another seed, in a copy of `namespace`."""
    namespace = {**namespace, "seed": seed}
    run_cell_with(namespace, "shap-sample", num_coalitions=num_coalitions)
    run_cells(namespace, "shap-fit")
    plt.close("all")
    return namespace


def exact_shapley_values(model: SceneModel, num_segments: int) -> np.ndarray:
    """φ by its definition, from the model's probability of every one of the 2^M coalitions."""
    coalitions = np.array(list(itertools.product([0, 1], repeat=num_segments)))
    f = dict(zip(map(tuple, coalitions.tolist()), model.probability(coalitions.astype(float))))
    values = np.zeros(num_segments)
    for coalition, probability in f.items():
        size = sum(coalition)
        for segment in np.flatnonzero(np.array(coalition) == 0):
            share = math.factorial(size) * math.factorial(num_segments - size - 1) / math.factorial(num_segments)
            with_segment = coalition[:segment] + (1,) + coalition[segment + 1:]
            values[segment] += share * (f[with_segment] - probability)
    return values


@pytest.fixture(scope="module")
def additive():
    segment_mask = grid_segment_mask()
    return chapter_on_scene(SceneModel(segment_mask, IMPORTANCE, wiggle=0.0), segment_mask)


@pytest.fixture(scope="module")
def interacting():
    """The 6×6 grid, the wiggling model, and shap's KernelExplainer beside the chapter's estimate."""
    segment_mask = grid_segment_mask()
    namespace = chapter_on_scene(SceneModel(segment_mask, IMPORTANCE, wiggle=0.1), segment_mask)
    return run_cells(namespace, "shap-package")


def test_the_shapley_kernel_is_the_papers_formula_and_symmetric_in_s_and_m_minus_s():
    namespace = run_cells({**chapter_import(), "num_segments": 12}, "shap-kernel")
    shapley_kernel = namespace["shapley_kernel"]
    for num_segments in (2, 9, 12, 95):
        sizes = np.arange(1, num_segments)
        formula = [(num_segments - 1) / (math.comb(num_segments, s) * s * (num_segments - s)) for s in sizes.tolist()]
        weights = shapley_kernel(num_segments, sizes)
        assert weights.shape == sizes.shape
        assert np.allclose(weights, formula, rtol=1e-12, atol=0), num_segments
        assert np.allclose(weights, weights[::-1], rtol=1e-12, atol=0), num_segments  # s ↔ M - s
        assert np.isinf(shapley_kernel(num_segments, [0, num_segments])).all()


def test_on_an_additive_model_the_estimate_is_each_segments_importance(additive):
    """For f(S) = base + sum of the importances in S, segment i adds its importance to every coalition, so
    φ_i is its importance, 0 for the others. The model is exactly linear in the coalition, so the fit
    has no error but rounding: a least-squares solve of a consistent system is off by about
    cond(X) · eps · |y| (X the coalitions with a column of ones, y the answers); the tolerance is 100
    times that, computed from the chapter's own coalitions."""
    importance = np.zeros(additive["num_segments"])
    importance[list(IMPORTANCE)] = list(IMPORTANCE.values())
    design = np.column_stack([np.ones(len(additive["coalitions"])), additive["coalitions"]])
    tolerance = 100 * np.linalg.cond(design) * np.finfo(float).eps * np.abs(additive["coalition_answers"]).max()
    assert tolerance < 1e-9, tolerance
    assert np.abs(additive["kernel_shap_values"] - importance).max() <= tolerance


def test_the_values_add_up_to_the_photo_minus_the_baseline_and_the_baseline_is_all_grey(interacting):
    model, num_segments = interacting["model"], interacting["num_segments"]
    assert np.isclose(interacting["baseline_probability"], model.probability(np.zeros((1, num_segments)))[0], atol=1e-12)
    assert np.isclose(interacting["photo_probability"], model.probability(np.ones((1, num_segments)))[0], atol=1e-12)
    difference = interacting["photo_probability"] - interacting["baseline_probability"]
    assert abs(interacting["kernel_shap_values"].sum() - difference) < 1e-12
    assert abs(interacting["package_values"].sum() - difference) < 1e-9
    assert interacting["explainer"].expected_value == pytest.approx(interacting["baseline_probability"], abs=1e-12)


def test_averaged_over_seeds_the_estimate_lands_on_the_exact_values_of_an_interacting_model():
    """On 9 segments with interactions, the estimate from 500 coalitions varies with the seed; if the
    sampling and the fit are right, its mean over 20 seeds is within 4 standard errors (computed from
    those 20 estimates) of the exact values, for every segment, and the error is small."""
    segment_mask = coarse_segment_mask()
    model = SceneModel(segment_mask, COARSE_IMPORTANCE, wiggle=0.1)
    exact = exact_shapley_values(model, COARSE * COARSE)
    namespace = chapter_on_scene(model, segment_mask, num_coalitions=500)
    estimates = np.array([estimate_again(namespace, seed, num_coalitions=500)["kernel_shap_values"]
                          for seed in range(20)])
    standard_error = estimates.std(axis=0, ddof=1) / np.sqrt(len(estimates))
    assert (np.abs(estimates.mean(axis=0) - exact) <= 4 * standard_error).all(), (estimates.mean(axis=0), exact)
    assert np.abs(estimates.mean(axis=0) - exact).max() < 0.01


def test_shap_agrees_on_the_synthetic_scene(interacting):
    """36 segments, too many to enumerate: both estimates are random, from 1500 coalitions each."""
    assert interacting["correlation"] >= 0.95, interacting["correlation"]
    ranking = list(IMPORTANCE)[:2]  # the two largest importances
    assert interacting["top5"]["Kernel SHAP (ours)"][:2] == interacting["top5"]["shap"][:2] == ranking
    assert interacting["shared"] >= 3


def test_shap_and_the_exact_values_agree_when_shap_can_ask_about_every_coalition():
    """On 9 segments, shap's budget covers all 2^9 - 2 coalitions, so it enumerates them and is exact: the
    same game (segments, baseline, model) as the chapter's, and this file's enumeration is right."""
    segment_mask = coarse_segment_mask()
    model = SceneModel(segment_mask, COARSE_IMPORTANCE, wiggle=0.1)
    namespace = run_cells(chapter_on_scene(model, segment_mask), "shap-package")
    assert np.allclose(namespace["package_values"], exact_shapley_values(model, COARSE * COARSE), atol=1e-9)
