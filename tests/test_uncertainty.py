"""How sure the explanation is (chapters/01-how-sure.ipynb): the talk's bootstrap intervals and
settled segments as the chapter uses them, and the chapter's stopping rule, explain_adaptively.

On the synthetic scene, ImportanceModel (synthetic.py) gives class 1 the summed importances of
the segments shown, plus a wiggle no linear surrogate can follow, so that the weights vary with
the samples as they do with a real model while the right ranking is known. Every sample hides its
segments with the scene's one grey, which is how ImportanceModel tells a hidden segment.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from notebook_cells import run_cells, run_source
from synthetic import GREY, ImportanceModel, grid_segment_mask, scene

# The talk's steps 2 to 5 and Check 1, then the chapter's intervals and its rule (definition only).
TALK_CELLS = ("step2", "step3", "step4", "step5-kernel", "step5-fit", "step5-result", "step6", "uncertainty")
CHAPTER_CELLS = ("sure-label", "sure-bootstrap", "sure-adaptive")
LARGE_GAPS = {4: 0.4, 9: 0.3, 17: 0.25, 22: 0.2, 30: 0.15}  # and every other segment 0
EXACT_TIE = {4: 0.4, 9: 0.35, 17: 0.3, 22: 0.25, 30: 0.2, 31: 0.2}  # places 5 and 6 tie


@pytest.fixture(scope="module")
def talk_code() -> dict:
    """The talk's imports and default parameters."""
    return run_cells({}, "imports", "parameters")


def on_the_scene(talk_code: dict, importance: dict) -> dict:
    """The talk's steps 2 to 5 and Check 1, then the chapter's intervals and rule, on the scene with
    ImportanceModel(importance) as the black box, every sample hidden with the scene's grey."""
    segment_mask = grid_segment_mask()
    namespace = {**talk_code, "image": scene(), "segment_mask": segment_mask, "num_segments": segment_mask.max() + 1,
                 "model": ImportanceModel(segment_mask, importance), "label_idx": 1, "class_name": "important"}
    run_cells(namespace, *TALK_CELLS[:2])
    namespace["hidden_levels"] = np.full(len(namespace["samples"]), GREY, dtype=np.uint8)
    run_cells(namespace, *TALK_CELLS[2:], *CHAPTER_CELLS)
    plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def large_gaps(talk_code) -> dict:
    return on_the_scene(talk_code, LARGE_GAPS)


@pytest.fixture(scope="module")
def exact_tie(talk_code) -> dict:
    return on_the_scene(talk_code, EXACT_TIE)


def fresh_samples(namespace: dict, num_samples: int, seed: int) -> tuple:
    """Step 2's samples for the scene, drawn with `seed`, and the scene's one grey for each."""
    samples = namespace["generate_samples"](namespace["num_segments"], num_samples, np.random.default_rng(seed))
    return samples, np.full(num_samples, GREY, dtype=np.uint8)


def adaptively(namespace: dict, samples: np.ndarray, hidden_levels: np.ndarray, seed: int = 0, **settings) -> tuple:
    """The chapter's rule on the scene: (model calls, settled, tied), for the top five."""
    calls, weights, intervals = namespace["explain_adaptively"](
        namespace["model"], namespace["image"], namespace["segment_mask"], namespace["label_idx"],
        samples, hidden_levels, seed=seed, **settings)
    assert weights.shape == (namespace["num_segments"],) and intervals.shape == (namespace["num_segments"], 2)
    return (calls, *namespace["settled_and_tied"](weights, intervals, settings.get("top_k", 5)))


# The intervals


def test_the_intervals_have_the_width_of_the_closed_form_covariance(large_gaps):
    """The chapter's bootstrap intervals against the sandwich covariance of weighted ridge regression,
    (X'WX + aI)^-1 X'W diag(r^2) W X (X'WX + aI)^-1, on centred X as scikit-learn fits it."""
    samples, weights = large_gaps["samples"], large_gaps["sample_weights"]
    residuals = large_gaps["class_probabilities"] - large_gaps["surrogate"].predict(samples)
    centred = samples - np.average(samples, axis=0, weights=weights)
    alpha = large_gaps["surrogate"].alpha
    bread = np.linalg.inv(centred.T @ (weights[:, None] * centred) + alpha * np.eye(samples.shape[1]))
    pulls = centred * (weights * residuals)[:, None]
    standard_errors = np.sqrt(np.diag(bread @ pulls.T @ pulls @ bread))
    intervals = large_gaps["segment_weight_intervals"]
    assert intervals.shape == (large_gaps["num_segments"], 2)
    ratio = (intervals[:, 1] - intervals[:, 0]) / (2 * 1.96 * standard_errors)
    assert 0.85 < np.median(ratio) < 1.15, np.median(ratio)
    assert np.all((ratio > 0.6) & (ratio < 1.5)), ratio


def test_the_intervals_cover_the_true_weights_about_95_times_in_100(large_gaps):
    """Over 60 draws of 300 samples, the talk's 95 % intervals contain the weights the surrogate
    converges to (fitted to 100,000 samples) for about 95 % of the segments and draws."""
    ns, model = large_gaps, large_gaps["model"]

    def data(n: int, seed: int) -> tuple:
        samples = fresh_samples(ns, n, seed)[0]
        weights = ns["exponential_kernel"](ns["compute_distances"](samples), ns["kernel_width"])
        return samples, model.probability(samples), weights

    true_weights = ns["fit_surrogate"](*data(100_000, 2024)).coef_
    covered = [(low <= true_weights) & (true_weights <= high)
               for low, high in (ns["weight_intervals"](*data(300, seed), np.random.default_rng(seed), refits=100).T
                                 for seed in range(60))]
    assert 0.90 <= np.mean(covered) <= 0.99, np.mean(covered)


def test_with_large_gaps_every_important_segment_is_settled(large_gaps):
    assert large_gaps["settled_segments"] == list(LARGE_GAPS)
    assert large_gaps["tied_segments"] == []


# The stopping rule


def test_an_exact_tie_is_never_called_settled(exact_tie):
    """Segments 30 and 31 are equally important and share places 5 and 6: however many samples the
    rule is given, neither may be settled, so it never stops early, and the four ahead are settled."""
    assert not {30, 31} & set(exact_tie["settled_segments"]), exact_tie["settled_segments"]
    for seed in range(3):
        calls, settled, tied = adaptively(exact_tie, *fresh_samples(exact_tie, 1000, seed), seed=seed)
        assert not {30, 31} & set(settled), (seed, settled)
        assert calls == 1000 and set(settled) <= {4, 9, 17, 22} and set(settled + tied) & {30, 31}


def test_with_large_gaps_the_rule_stops_early_and_settles_the_clear_segments(large_gaps):
    """All five important segments are far ahead of the rest: the rule settles all five and stops
    well before the samples run out."""
    for seed in range(3):
        calls, settled, tied = adaptively(large_gaps, *fresh_samples(large_gaps, 2000, seed), seed=seed)
        assert calls <= 1000 and calls % 100 == 0, calls
        assert settled == list(LARGE_GAPS) and tied == [], (seed, settled, tied)


class Recorder(ImportanceModel):
    """ImportanceModel that keeps the on/off vector of every image it is asked about, in order."""

    def predict_on_batch(self, images: np.ndarray) -> np.ndarray:
        self.seen = getattr(self, "seen", []) + [
            np.stack([self.shown(images, segment) for segment in range(len(self.mix))], axis=1)]
        return super().predict_on_batch(images)


@pytest.mark.parametrize("importance, num_samples, expected_calls", [
    (EXACT_TIE, 150, 150),  # never settled: it asks about every sample, the last round a short one
    (LARGE_GAPS, 2000, None),  # settled early: it asks about the first rounds' samples only
])
def test_the_rule_asks_the_model_about_each_sample_once_in_order(exact_tie, importance, num_samples, expected_calls):
    recorder = Recorder(grid_segment_mask(), importance)
    samples, hidden_levels = fresh_samples(exact_tie, num_samples, seed=7)
    calls, settled, tied = adaptively({**exact_tie, "model": recorder}, samples, hidden_levels)
    asked = np.concatenate(recorder.seen)
    assert calls == len(asked) == sum(recorder.batch_sizes) <= len(samples)
    assert np.array_equal(asked, samples[:calls])  # each sample once, in order, none made up
    if expected_calls is not None:
        assert calls == expected_calls
    else:
        assert calls < len(samples) and not tied


# On camera.png, with MobileNetV2


def test_on_camera_png_the_rule_settles_the_talks_leading_segments(camera):
    """Given the talk's first 500 samples, the rule settles the talk's leading segments (step 5)
    above every segment outside the top five."""
    namespace = run_cells(dict(camera), "step5-result")
    run_source(namespace, "from talk import *", "<the chapter's import>")  # as the chapter has them
    run_cells(namespace, "sure-adaptive")
    calls, settled, tied = adaptively(namespace, camera["samples"][:500], camera["hidden_levels"][:500])
    assert 100 <= calls <= 500
    assert set(namespace["leaders"].tolist()) <= set(settled), (namespace["leaders"], settled, tied)
