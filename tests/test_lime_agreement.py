"""Chapter 2, "Can we trust it?": the lime package against the talk's steps, another class, and the
sanity check with a randomised model. Every test runs the chapter's own cells (run_cells).

On the synthetic scene the right answer is known. BrightnessModel gives class 1 the mean brightness
of segments 3 and 7, which are white; hidden, a segment shows a grey g, of brightness g / 255. So
showing one of them raises the probability by a = (1 - g / 255) / 2 and showing any other segment
changes nothing. lime hides with the chapter's one grey (128): the model is then exactly linear in
the segments, and lime's weights are a and 0 up to ridge's pull towards zero. The talk hides with one
of eight greys per sample: its weights are a (for the mean grey) and 0 up to sampling noise. So they
must agree within (all computed in the test, none chosen):
- the talk's sampling noise: its bootstrap intervals (the talk's weight_intervals) give each weight's
  standard error; at most z of them, with z the normal quantile that keeps all 36 segments inside
  together with a chance of 99 % (a Bonferroni bound: 1 % / 36 for each);
- the difference of their right answers, (128 - the mean of the eight greys) / 255 / 2, for 3 and 7;
- ridge's pull on each: a / (1 + S / alpha) for a segment whose weighted spread of on/off values is S.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.stats import norm

from notebook_cells import chapter_import, run_cell_with, run_cells
from synthetic import RELEVANT_SEGMENTS, BrightnessModel, grid_segment_mask, scene

LIME_GREY = 128  # the chapter's hide_color


def ranking(weights: np.ndarray) -> list:
    return np.argsort(weights)[::-1].tolist()


def ridge_pull(samples: np.ndarray, sample_weights: np.ndarray, answer: float) -> float:
    """The most that ridge's penalty (alpha 1) pulls a weight of size `answer` towards zero, for
    segments shown independently of each other: answer / (1 + S), S the smallest weighted spread."""
    centred = samples - np.average(samples, axis=0, weights=sample_weights)
    spread = (sample_weights[:, np.newaxis] * centred**2).sum(axis=0).min()
    return answer / (1 + spread)


@pytest.fixture(scope="module")
def scene_run() -> dict:
    """The talk's explain() and the chapter's lime cell on the synthetic scene, class 1."""
    namespace = chapter_import()
    segment_mask = grid_segment_mask()
    namespace.update(image=scene(), segment_mask=segment_mask, model=BrightnessModel(segment_mask), label_idx=1,
                     class_name="bright", num_samples=2000, seed=0, num_segments=segment_mask.max() + 1,
                     model_calls=0)
    explain = namespace["explain"]
    (namespace["samples"], namespace["hidden_levels"], namespace["predictions"], namespace["sample_weights"],
     namespace["segment_weights"]) = explain(namespace["model"], namespace["image"], segment_mask, 1, 2000, 0)
    run_cells(namespace, "trust-lime")
    plt.close("all")
    return namespace


def test_lime_and_the_talk_rank_the_relevant_segments_first_on_the_synthetic_scene(scene_run):
    for weights in (scene_run["segment_weights"], scene_run["lime_weights"]):
        assert set(ranking(weights)[:2]) == set(RELEVANT_SEGMENTS), ranking(weights)[:5]
    assert scene_run["shared_top5"] >= 2  # what the chapter prints counts the two


def test_lime_and_the_talk_agree_within_the_computed_tolerance_on_the_synthetic_scene(scene_run):
    talk, lime = scene_run["segment_weights"], scene_run["lime_weights"]
    samples, sample_weights, num_segments = scene_run["samples"], scene_run["sample_weights"], scene_run["num_segments"]
    relevant = np.isin(np.arange(num_segments), RELEVANT_SEGMENTS)

    intervals = scene_run["weight_intervals"](samples, scene_run["predictions"][:, 1], sample_weights,
                                              np.random.default_rng(0))
    standard_errors = (intervals[:, 1] - intervals[:, 0]) / (2 * norm.ppf(0.975))
    z = norm.ppf(1 - 0.01 / (2 * num_segments))

    talk_answer = (1 - scene_run["grey_levels"].mean() / 255) / 2
    lime_answer = (1 - LIME_GREY / 255) / 2
    answers_apart = np.where(relevant, abs(talk_answer - lime_answer), 0)

    fair_coin = scene_run["generate_samples"](num_segments, len(samples), np.random.default_rng(0), keep_chance=0.5)
    fair_coin_weights = scene_run["exponential_kernel"](scene_run["compute_distances"](fair_coin),
                                                        scene_run["kernel_width"])  # lime's kernel (the chapter checks)
    pulls = ridge_pull(samples, sample_weights, talk_answer) + ridge_pull(fair_coin, fair_coin_weights, lime_answer)

    tolerance = z * standard_errors + answers_apart + pulls
    assert np.all(np.abs(talk - lime) <= tolerance), np.abs(talk - lime) / tolerance
    assert np.allclose(lime, np.where(relevant, lime_answer, 0), atol=pulls)  # lime: the answer, but for ridge's pull


class NoModel:
    """Stands in for the model where it must not be called: any use fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the model was used ({name}), but the cell needs no new model calls")


@pytest.fixture(scope="module")
def chapter() -> dict:
    """The chapter's cells up to its lime comparison on camera.png, with the real MobileNetV2 and
    200 samples (enough for what these tests check). Needs the ImageNet weights (see README.md)."""
    namespace = run_cell_with({}, "trust-parameters", num_samples=200)
    run_cells(namespace, "trust-setup", "trust-label", "trust-lime")
    plt.close("all")
    return namespace


def test_another_class_is_a_refit_on_the_same_predictions_with_no_model_calls(chapter):
    namespace = run_cells({**chapter, "model": NoModel()}, "trust-class")
    plt.close("all")
    second = int(np.argsort(chapter["photo_probabilities"])[::-1][1])
    assert chapter["label_idx"] == int(chapter["photo_probabilities"].argmax())
    assert namespace["other_idx"] == second
    assert namespace["model_calls"] == chapter["model_calls"]
    refit = namespace["fit_surrogate"](chapter["samples"], chapter["predictions"][:, second], chapter["sample_weights"])
    np.testing.assert_array_equal(namespace["other_weights"], refit.coef_)
    assert not np.allclose(namespace["other_weights"], chapter["segment_weights"])


def test_the_randomised_model_answers_differently_and_only_its_last_layer_changed(chapter):
    namespace = run_cells(dict(chapter), "trust-sanity", "trust-sanity-explain")
    plt.close("all")
    model, randomised = chapter["model"], namespace["randomised_model"]
    photo = chapter["preprocess_input"](chapter["image"][np.newaxis].astype(np.float32))

    trained_weights, randomised_weights = model.get_weights(), randomised.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(trained_weights[:-2], randomised_weights[:-2]))
    assert not np.allclose(trained_weights[-2], randomised_weights[-2])  # the last layer's kernel
    np.testing.assert_allclose(model.predict_on_batch(photo)[0], chapter["photo_probabilities"], atol=1e-6)

    assert namespace["randomised_probabilities"].argmax() != chapter["photo_probabilities"].argmax()
    assert not np.allclose(namespace["randomised_probabilities"], chapter["photo_probabilities"], atol=1e-3)
    few = namespace["few"]
    assert not np.allclose(namespace["randomised_predictions"], chapter["predictions"][:few], atol=1e-3)
    assert namespace["model_calls"] == chapter["model_calls"] + 1 + few
