"""The talk's own LIME steps and checks, run on a synthetic scene whose right answers are known.

Every test executes cells of grokking-lime-complete.ipynb with a grid segmentation and the
BrightnessModel of synthetic.py in place of MobileNetV2, and checks a step's result, or calls
a function those cells defined with inputs whose answer is known. No weights are needed.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_distances

from notebook_cells import STEP_CELLS, run_cells
from synthetic import (
    GREY, RELEVANT_SEGMENTS, BrightnessModel, expected_probability, grid_segment_mask, scene,
)

RELEVANT = set(RELEVANT_SEGMENTS)
CHECK_CELLS = ("step5-result", "step6", "uncertainty", "deletion", "fit", "verdict", "explain")


@pytest.fixture(scope="module")
def talk_code():
    """The talk's imports and default parameters."""
    return run_cells({}, "imports", "parameters")


def on_the_scene(talk_code: dict, **overrides) -> dict:
    """A namespace that holds what the talk has before step 2, for the synthetic scene."""
    segment_mask = grid_segment_mask()
    return {
        **talk_code,
        "image": scene(),
        "segment_mask": segment_mask,
        "num_segments": segment_mask.max() + 1,
        "model": BrightnessModel(segment_mask),
        "label_idx": 1,
        "class_name": "bright",
        **overrides,
    }


@pytest.fixture(scope="module")
def explained(talk_code):
    """Steps 2 to 5 on the scene, every sample hidden with the scene's one grey (set right after
    step 3 draws the eight greys), so that what the black box answers, and the weights, are exact."""
    namespace = run_cells(on_the_scene(talk_code), "step2", "step3")
    namespace["hidden_levels"] = np.full(len(namespace["samples"]), GREY, dtype=np.uint8)
    run_cells(namespace, *[cell for cell in STEP_CELLS if cell not in ("step2", "step3")], "step5-result")
    plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def talk_run(talk_code):
    """The whole talk from step 2 to the end on the scene, as it runs on a photo (eight greys)."""
    namespace = run_cells(on_the_scene(talk_code), *STEP_CELLS, *CHECK_CELLS)
    plt.close("all")
    return namespace


def ranking(segment_weights: np.ndarray) -> list:
    return np.argsort(segment_weights)[::-1].tolist()


# Step 1


def test_superpixels_follow_the_edges_and_are_numbered_from_zero(talk_code):
    """Four flat quadrants: SLIC cuts each into patches, and no patch crosses a quadrant's edge."""
    image = np.zeros((224, 224, 3), dtype=np.uint8)
    image[:112, 112:], image[112:, :112], image[112:, 112:] = (230, 30, 30), (30, 200, 30), (30, 30, 230)
    namespace = run_cells({**talk_code, "image": image}, "step1")
    plt.close("all")
    segment_mask = namespace["segment_mask"]
    quadrant = (np.arange(224)[:, np.newaxis] >= 112) * 2 + (np.arange(224) >= 112)
    assert segment_mask.shape == (224, 224)
    assert np.array_equal(np.unique(segment_mask), np.arange(namespace["num_segments"]))
    assert 4 < namespace["num_segments"] <= 125
    for segment in range(namespace["num_segments"]):
        assert len(np.unique(quadrant[segment_mask == segment])) == 1, f"segment {segment} crosses an edge"


# Step 2


def test_samples_are_on_off_vectors_and_the_first_is_the_original(explained):
    samples = explained["samples"]
    assert samples.shape == (explained["num_samples"], explained["num_segments"])
    assert set(np.unique(samples)) == {0, 1}
    assert (samples[0] == 1).all()
    assert 0.78 < samples[1:].mean() < 0.82  # each segment shown with chance 0.8
    assert len(np.unique(samples, axis=0)) > 0.99 * len(samples)  # random, not repeated


def test_samples_show_each_segment_with_keep_chance_and_come_from_the_generator(explained):
    generate_samples = explained["generate_samples"]
    half = generate_samples(40, 5000, np.random.default_rng(1), keep_chance=0.5)
    assert 0.48 < half[1:].mean() < 0.52
    assert np.array_equal(half, generate_samples(40, 5000, np.random.default_rng(1), keep_chance=0.5))
    rng = np.random.default_rng(1)
    assert not np.array_equal(generate_samples(40, 50, rng), generate_samples(40, 50, rng))


# Step 3


def test_the_hidden_segments_take_one_of_eight_greys_per_sample(talk_run):
    grey_levels, hidden_levels = talk_run["grey_levels"], talk_run["hidden_levels"]
    assert grey_levels.dtype == np.uint8 and len(grey_levels) == 8
    assert grey_levels[0] == 16 and grey_levels[-1] == 239
    assert np.abs(grey_levels - np.linspace(16, 239, 8)).max() <= 0.5  # evenly spaced, rounded
    assert hidden_levels.shape == (talk_run["num_samples"],)
    assert set(hidden_levels.tolist()) == set(grey_levels.tolist())  # all eight drawn, nothing else


def test_perturbed_images_equal_a_naive_per_pixel_computation(explained):
    image, segment_mask, samples = (explained[k] for k in ("image", "segment_mask", "samples"))
    greys = np.array([0, 16, 48, 128, 207, 255], dtype=np.uint8)  # a grey of its own for each sample
    images = explained["generate_images"](image, segment_mask, samples[:6], greys)
    assert images.shape == (6, *image.shape) and images.dtype == np.uint8
    for i in range(6):
        expected = np.empty_like(image)
        for row in range(image.shape[0]):
            for col in range(image.shape[1]):
                segment_is_on = samples[i, segment_mask[row, col]] == 1
                expected[row, col] = image[row, col] if segment_is_on else [greys[i]] * 3
        assert np.array_equal(images[i], expected), f"sample {i}"


# Step 4


class RecordingModel(BrightnessModel):
    """BrightnessModel that keeps every batch it is given."""

    def __init__(self, segment_mask):
        super().__init__(segment_mask)
        self.inputs = []

    def predict_on_batch(self, images):
        self.inputs.append(images)
        return super().predict_on_batch(images)


def test_the_model_gets_exactly_the_preprocessed_perturbed_images(explained):
    generate_images, preprocess_input = explained["generate_images"], explained["preprocess_input"]
    image, segment_mask = explained["image"], explained["segment_mask"]
    samples, greys = explained["samples"][:20], explained["grey_levels"][np.arange(20) % 8]
    model = RecordingModel(segment_mask)
    explained["predict_samples"](model, image, segment_mask, samples, greys)
    given = np.concatenate(model.inputs)
    assert given.dtype == np.float32 and given.min() >= -1 and given.max() <= 1
    assert np.array_equal(given, preprocess_input(generate_images(image, segment_mask, samples, greys).astype(np.float32)))


def test_the_black_box_sees_what_it_should_for_every_sample(explained, talk_run):
    assert np.allclose(explained["class_probabilities"], expected_probability(explained["samples"]), atol=1e-6)
    expected = expected_probability(talk_run["samples"], talk_run["hidden_levels"])  # with the eight greys
    assert np.allclose(talk_run["class_probabilities"], expected, atol=1e-6)
    assert talk_run["predictions"].shape == (talk_run["num_samples"], 2)


@pytest.mark.parametrize("batch_size, expected_sizes", [(None, [8] * 31 + [2]), (64, [64, 64, 64, 58])])
def test_predictions_are_made_in_batches_of_batch_size(explained, batch_size, expected_sizes):
    """predict_samples hands the model batch_size images at a time (8 unless told), and the batch
    size changes nothing in what it returns."""
    segment_mask, samples = explained["segment_mask"], explained["samples"][:250]
    greys = explained["grey_levels"][np.arange(250) % 8]
    model = BrightnessModel(segment_mask)
    sizes = {} if batch_size is None else {"batch_size": batch_size}
    predictions = explained["predict_samples"](model, explained["image"], segment_mask, samples, greys, **sizes)
    assert model.batch_sizes == expected_sizes
    assert predictions.shape == (250, 2)
    assert np.allclose(predictions[:, 1], expected_probability(samples, greys), atol=1e-6)


# Step 5


def test_distance_is_cosine_distance_to_the_original(explained):
    compute_distances = explained["compute_distances"]
    n = 16
    samples = (np.arange(n) < np.array([[n], [9], [4], [1]])).astype(int)  # 16, 9, 4 and 1 segments shown
    assert np.allclose(compute_distances(samples), 1 - np.sqrt([16 / n, 9 / n, 4 / n, 1 / n]))
    # the cosine distance that lime computes, with scikit-learn, on random on/off vectors
    random_samples = np.random.default_rng(3).integers(0, 2, size=(50, n))
    reference = cosine_distances(random_samples, np.ones((1, n))).ravel()
    assert np.allclose(compute_distances(random_samples), reference)


def test_kernel_is_lime_s_exponential_kernel(explained):
    exponential_kernel = explained["exponential_kernel"]
    distances = np.linspace(0, 1, 11)
    assert exponential_kernel(np.array([0.0]), 0.25)[0] == 1.0
    assert np.allclose(exponential_kernel(distances, 0.25), np.sqrt(np.exp(-(distances**2) / 0.25**2)))
    assert explained["kernel_width"] == 0.25
    assert np.all(np.diff(exponential_kernel(distances, 0.25)) < 0)  # farther means less weight


def test_the_surrogate_recovers_a_linear_black_box(explained):
    """Fed the answers of a linear function, the weighted fit returns its coefficients."""
    samples = explained["samples"]
    truth = np.zeros(samples.shape[1])
    truth[[2, 5, 11]] = [0.3, -0.2, 0.1]
    surrogate = explained["fit_surrogate"](samples, 0.05 + samples @ truth, explained["sample_weights"])
    assert np.allclose(surrogate.coef_, truth, atol=0.005)


def test_the_fit_is_local_samples_near_the_original_count_more(explained):
    """A black box that follows segment 2 near the original and does the opposite far away.

    Near samples hide one or two segments, far samples show only a few. Weighted with
    the talk's distances and kernel, the surrogate must describe the black box
    near the original (segment 2 helps); an unweighted fit of the same data mixes
    both behaviours and cannot.
    """
    compute_distances, exponential_kernel = explained["compute_distances"], explained["exponential_kernel"]
    rng, n = np.random.default_rng(8312), 36
    near = np.ones((600, n), dtype=int)
    near[np.arange(600), rng.integers(0, n, 600)] = 0
    near[::2, 2] = 0
    far = (rng.random((600, n)) < 0.15).astype(int)
    samples = np.vstack([near, far])
    y = np.where(samples.sum(axis=1) > n / 2, samples[:, 2], 1 - samples[:, 2]).astype(float)
    weights = exponential_kernel(compute_distances(samples), explained["kernel_width"])
    local = explained["fit_surrogate"](samples, y, weights).coef_[2]
    unweighted = explained["fit_surrogate"](samples, y, np.ones(len(samples))).coef_[2]
    assert local > 0.8, local
    assert unweighted < 0.5, unweighted


def test_lime_ranks_the_segments_the_model_uses_first(explained):
    weights = explained["segment_weights"]
    assert set(ranking(weights)[:2]) == RELEVANT
    # showing a white segment instead of grey raises p by half of (1 - 128/255), nearly 0.25
    assert np.allclose(weights[list(RELEVANT_SEGMENTS)], 0.5 * (1 - GREY / 255), atol=0.01)


def test_lime_gives_the_segments_the_model_ignores_weights_near_zero(explained):
    irrelevant = np.delete(explained["segment_weights"], RELEVANT_SEGMENTS)
    assert np.abs(irrelevant).max() < 0.01


def test_with_eight_greys_the_weights_are_what_the_mean_grey_gives(talk_run):
    weights, mean_grey = talk_run["segment_weights"], talk_run["hidden_levels"].mean()
    assert np.allclose(weights[list(RELEVANT_SEGMENTS)], 0.5 * (1 - mean_grey / 255), atol=0.02)
    assert np.abs(np.delete(weights, RELEVANT_SEGMENTS)).max() < 0.02


def test_the_leading_segments_are_the_two_the_model_uses(explained, talk_run):
    assert set(explained["leaders"].tolist()) == set(talk_run["leaders"].tolist()) == RELEVANT


# Step 6


def test_the_rendered_explanation_colours_the_relevant_segments_blue(talk_run):
    explanation = np.asarray(talk_run["explanation"].convert("RGB")).astype(int)
    image = talk_run["image"].astype(int)
    relevant = np.isin(talk_run["segment_mask"], RELEVANT_SEGMENTS)
    assert explanation.shape == image.shape
    # white segments tinted blue (for_colour) lose more red than blue
    assert (explanation[relevant][:, 2] - explanation[relevant][:, 0]).mean() > 50


# explain(): steps 2 to 5 in one function


def test_explain_gives_exactly_the_step_by_step_results(talk_run):
    results = talk_run["explain"](
        talk_run["model"], talk_run["image"], talk_run["segment_mask"], talk_run["label_idx"],
        talk_run["num_samples"], talk_run["seed"],
    )
    names = ("samples", "hidden_levels", "predictions", "sample_weights", "segment_weights")
    assert len(results) == len(names)
    for name, result in zip(names, results):
        assert np.array_equal(result, talk_run[name]), name


def test_the_same_seed_gives_the_identical_explanation_and_another_the_same_ranking(talk_run):
    explain = talk_run["explain"]
    arguments = talk_run["model"], talk_run["image"], talk_run["segment_mask"], talk_run["label_idx"], 500
    first, again, other = explain(*arguments, 11), explain(*arguments, 11), explain(*arguments, 12)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[0], other[0])
    assert set(ranking(other[-1])[:2]) == set(ranking(first[-1])[:2]) == RELEVANT


# Check 1: bootstrap intervals, settled and tied segments


def test_weight_intervals_are_tight_when_the_black_box_is_linear_and_cover_the_truth_when_noisy(talk_run, explained):
    weight_intervals, samples = talk_run["weight_intervals"], explained["samples"]
    sample_weights = explained["sample_weights"]
    truth = np.linspace(-0.2, 0.3, samples.shape[1])
    exact = weight_intervals(samples, samples @ truth, sample_weights, np.random.default_rng(0), refits=50)
    assert exact.shape == (samples.shape[1], 2)
    assert (exact[:, 1] - exact[:, 0]).max() < 0.002
    noisy_answers = samples @ truth + np.random.default_rng(5).normal(0, 0.1, len(samples))
    noisy = weight_intervals(samples, noisy_answers, sample_weights, np.random.default_rng(0))
    assert (noisy[:, 0] <= noisy[:, 1]).all() and (noisy[:, 1] - noisy[:, 0]).min() > 0.005
    covered = (noisy[:, 0] <= truth) & (truth <= noisy[:, 1])
    assert covered.sum() >= 30, covered.sum()  # 95 % intervals: about 34 of 36
    again = weight_intervals(samples, noisy_answers, sample_weights, np.random.default_rng(0))
    assert np.array_equal(noisy, again)  # the same generator's seed, the same intervals


def test_settled_segments_lie_above_every_interval_outside_the_top(talk_run):
    settled_and_tied = talk_run["settled_and_tied"]
    weights = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.1, 0.0])
    intervals = np.stack([weights - 0.05, weights + 0.05], axis=1)
    intervals[4] = [0.05, 0.95]  # the fifth is uncertain
    assert settled_and_tied(weights, intervals) == ([0, 1, 2, 3], [4])
    # outside a top 2, the uncertain segment might rank above all of them: none is settled
    assert settled_and_tied(weights, intervals, top_k=2) == ([], [0, 1])
    shuffled = np.array([5, 3, 0, 6, 1, 4, 2])  # the same segments under other numbers
    settled, tied = settled_and_tied(weights[np.argsort(shuffled)], intervals[np.argsort(shuffled)])
    assert (settled, tied) == (shuffled[[0, 1, 2, 3]].tolist(), [shuffled[4]])  # in the order of their weights


def test_on_the_scene_the_two_segments_the_model_uses_are_settled(talk_run):
    assert set(talk_run["settled_segments"]) == RELEVANT
    assert len(talk_run["tied_segments"]) == 3 and not RELEVANT & set(talk_run["tied_segments"])
    intervals = talk_run["segment_weight_intervals"]
    assert (intervals[:, 0] <= talk_run["segment_weights"]).all() and (talk_run["segment_weights"] <= intervals[:, 1]).all()


# Check 2: deletion and insertion


def test_deletion_and_insertion_follow_the_black_box(talk_run):
    """The relevant segments come first, so hiding them first (with black) drops the probability
    to 0 within two steps, and showing them first raises it to 1 within two steps."""
    probability_curve, order, n = talk_run["probability_curve"], talk_run["ranking"], talk_run["num_segments"]
    arguments = talk_run["model"], talk_run["image"], talk_run["segment_mask"], talk_run["label_idx"]
    pixels_hidden, deletion = probability_curve(order, True, *arguments, points=n + 1)
    pixels_shown, insertion = probability_curve(order, False, *arguments, points=n + 1)
    assert np.allclose(deletion, [1, 0.5] + [0] * (n - 1), atol=1e-6)
    assert np.allclose(insertion, [0, 0.5] + [1] * (n - 1), atol=1e-6)
    # the x axis is the fraction of the pixels changed: 0 at the start, each segment's share added in turn, 1 at the end
    shares = np.bincount(talk_run["segment_mask"].ravel()) / talk_run["segment_mask"].size
    assert np.allclose(pixels_hidden, np.concatenate([[0], np.cumsum(shares[order])]))
    assert np.allclose(pixels_shown, pixels_hidden) and np.isclose(pixels_hidden[-1], 1)


def test_a_curve_takes_points_evenly_spaced_steps_from_none_to_all(talk_run):
    """With fewer points than segments, the curve skips steps: it still starts with nothing
    changed and ends with everything changed, and each point is where its step puts it."""
    order, n = talk_run["ranking"], talk_run["num_segments"]
    model = BrightnessModel(talk_run["segment_mask"])
    pixels, deletion = talk_run["probability_curve"](
        order, True, model, talk_run["image"], talk_run["segment_mask"], talk_run["label_idx"], points=5)
    steps = [0, n // 4, n // 2, 3 * n // 4, n]
    shares = np.bincount(talk_run["segment_mask"].ravel()) / talk_run["segment_mask"].size
    assert np.allclose(pixels, np.concatenate([[0], np.cumsum(shares[order])])[steps])
    assert np.allclose(deletion, [1, 0, 0, 0, 0], atol=1e-6)  # the two relevant segments go in the first quarter
    assert sum(model.batch_sizes) == 5  # one image per point


def test_the_talks_curves_beat_random_orders(talk_run):
    explanation_deletion = talk_run["curves"]["deletion", "explanation"][0][1]
    assert np.allclose(explanation_deletion[:3], [1, 0.5, 0], atol=1e-6)  # 41 points over 36 segments
    assert len(talk_run["curves"]["deletion", "random"]) == 5
    ratios = talk_run["areas"]["explanation / random"]
    assert ratios["deletion"] < 1 < ratios["insertion"]


# Check 3 and the verdict


def test_the_surrogate_imitates_the_scene_s_black_box_and_the_verdict_believes_it(talk_run, capsys):
    assert talk_run["r_squared"] > 0.5
    run_cells(dict(talk_run), "verdict")
    said = capsys.readouterr().out
    assert "2 of the top 5 segments settled" in said
    assert said.strip().endswith("Verdict: believe the settled segments.")


def test_the_verdict_distrusts_a_picture_with_nothing_settled(talk_run, capsys):
    run_cells({**talk_run, "settled_segments": []}, "verdict")
    said = capsys.readouterr().out
    assert "0 of the top 5 segments settled: another seed may name other ones" in said
    assert said.strip().endswith("Verdict: do not trust this picture.")
