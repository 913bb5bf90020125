"""Chapter 4, what LIME sees: for a model linear in the pixels, the talk's weights tend to Garreau and
Mardaoui's closed form, and a segment that shows the mean hiding grey gets no weight; on the synthetic
scene, where one grey per sample makes the agreement exact, and on camera.png as the chapter runs it."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from notebook_cells import chapter_import, run_cells
from synthetic import grid_segment_mask, scene

CHAPTER_CELLS = ("sees-linear", "sees-explain", "sees-closed-form")


@pytest.fixture(scope="module")
def on_the_scene() -> dict:
    """The chapter's linear model, explanation and closed form on the 6 x 6 synthetic scene."""
    namespace = chapter_import()
    namespace.update(image=scene(), segment_mask=grid_segment_mask(), label_idx=0, num_samples=20000, seed=0)
    run_cells(namespace, *CHAPTER_CELLS)
    plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def on_the_photo() -> dict:
    """The chapter on camera.png, as it is executed, up to the blind spot (MobileNetV2 for the class only)."""
    namespace = run_cells({}, "sees-parameters", "sees-setup", *CHAPTER_CELLS, "sees-samples", "sees-blind")
    plt.close("all")
    return namespace


def one_grey_fit(namespace: dict, image: np.ndarray, grey: int) -> np.ndarray:
    """The talk's step 4 and 5 with the chapter's linear model on `image`, every sample hidden with `grey`."""
    ns = namespace
    greys = np.full(len(ns["samples"]), grey, dtype=np.uint8)
    answers = ns["predict_samples"](ns["linear_model"], image, ns["segment_mask"], ns["samples"], greys)
    return ns["fit_surrogate"](ns["samples"], answers[:, ns["label_idx"]], ns["sample_weights"]).coef_


def test_with_one_grey_the_weights_are_the_closed_form_up_to_ridges_shrinkage(on_the_scene):
    # one grey: no noise term, so the fit differs from the formula only by ridge's penalty (alpha=1),
    # which shrinks every weight by the same small factor; 2 % of the largest weight leaves room for it
    ns = on_the_scene
    weights = one_grey_fit(ns, ns["image"], 128)
    expected = ns["closed_form"](ns["image"], ns["segment_mask"], ns["pixel_weights"], 128 / 127.5 - 1)
    assert np.abs(weights - expected).max() < 0.02 * np.abs(expected).max()


def test_with_the_talks_eight_greys_the_weights_tend_to_the_closed_form_with_the_mean_grey(on_the_scene):
    # 36 segments and 20000 samples: the noise term of the eight greys shrinks below a correlation of 0.99
    assert on_the_scene["mean_grey"] == pytest.approx(0.0)
    assert on_the_scene["correlation"] > 0.99


def test_on_the_photo_the_printed_agreement_is_a_correlation_of_at_least_0_99(on_the_photo):
    assert on_the_photo["num_samples"] == 10000
    assert on_the_photo["correlation"] >= 0.99


def test_a_segment_painted_the_hiding_grey_gets_no_weight_on_the_scene(on_the_scene):
    ns = on_the_scene
    expected = ns["closed_form"](ns["image"], ns["segment_mask"], ns["pixel_weights"], 128 / 127.5 - 1)
    segment = int(np.argmax(np.abs(expected)))  # the segment the linear model's answer goes with most
    painted = ns["image"].copy()
    painted[ns["segment_mask"] == segment] = 128
    before, after = one_grey_fit(ns, ns["image"], 128), one_grey_fit(ns, painted, 128)
    assert abs(before[segment]) > 0.5 * np.abs(expected).max()
    assert abs(after[segment]) < 0.001 * np.abs(expected).max()  # zero, but for rounding


def test_on_the_photo_the_painted_top_segment_loses_its_weight_while_the_answer_still_depends_on_it(on_the_photo):
    ns = on_the_photo
    top, spread = ns["top_segment"], ns["spread"]
    assert ns["photo_weights"][top] > 4 * spread  # clearly weighted in the photo
    assert abs(ns["painted_weights"][top]) < 2 * spread  # within the fit's noise of zero once painted
    black, grey, white = ns["answers"]
    assert black < grey < white  # the model's answer still moves with the segment's pixels
