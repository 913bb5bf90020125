"""The notebook's own LIME steps, run on a synthetic scene whose right explanation is known.

Every test executes the cells of grokking-lime-complete.ipynb (steps 2 to 6) with a
grid segmentation and the BrightnessModel of synthetic.py in place of MobileNetV2.
No weights are needed, and each test takes seconds.
"""

import threading

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics.pairwise import cosine_distances
import pytest

from notebook_cells import STEP_CELLS, run_cells
from synthetic import (
    GREY, RELEVANT_SEGMENTS, BrightnessModel, expected_probability, grid_segment_mask, scene,
)


@pytest.fixture(scope="module")
def notebook_code():
    """The notebook's imports, display helpers and default parameters."""
    return run_cells({}, "imports", "display-helpers", "parameters")


def explain_scene(notebook_code: dict, **overrides) -> dict:
    """Run steps 2 to 5 of the notebook on the synthetic scene; return the namespace."""
    segment_mask = grid_segment_mask()
    namespace = {
        **notebook_code,
        "image": scene(),
        "segment_mask": segment_mask,
        "num_segments": segment_mask.max() + 1,
        "model": BrightnessModel(segment_mask),
        "label_idx": 1,
        "class_name": "bright",
        **overrides,
    }
    # The notebook hides each sample with one of eight greys; the scene hides every sample with
    # one grey, so that what the black box sees, and so the right explanation, is exact.
    run_cells(namespace, "step2", "step3")
    namespace["hidden_levels"] = np.full(len(namespace["samples"]), GREY, dtype=np.uint8)
    run_cells(namespace, *[cell for cell in STEP_CELLS if cell not in ("step2", "step3")])
    plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def explained(notebook_code):
    return explain_scene(notebook_code)


def ranking(segment_weights: np.ndarray) -> list:
    return np.argsort(segment_weights)[::-1].tolist()


def test_lime_ranks_the_segments_the_model_uses_first(explained):
    weights = explained["segment_weights"]
    assert set(ranking(weights)[:2]) == set(RELEVANT_SEGMENTS)
    # showing a white segment instead of grey raises p by half of (1 - 128/255), nearly 0.25
    assert np.allclose(weights[list(RELEVANT_SEGMENTS)], 0.5 * (1 - GREY / 255), atol=0.01)


def test_lime_gives_the_segments_the_model_ignores_weights_near_zero(explained):
    weights = explained["segment_weights"]
    irrelevant = np.delete(weights, RELEVANT_SEGMENTS)
    assert np.abs(irrelevant).max() < 0.01


def test_samples_are_on_off_vectors_and_the_first_is_the_original(explained):
    samples = explained["samples"]
    assert samples.shape == (explained["num_samples"], explained["num_segments"])
    assert set(np.unique(samples)) == {0, 1}
    assert (samples[0] == 1).all()
    assert 0.75 < samples[1:].mean() < 0.85  # each segment shown with chance 0.8
    assert len(np.unique(samples, axis=0)) > 0.99 * len(samples)  # random, not repeated


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


def test_the_model_gets_exactly_the_preprocessed_perturbed_images(explained):
    """Step 4 generates from the preprocessed photo and greys: the same numbers as
    preprocessing each perturbed photo, in float32."""
    generate_images, preprocess_input = explained["generate_images"], explained["preprocess_input"]
    samples, greys = explained["samples"][:20], explained["grey_levels"][np.arange(20) % 8]
    preprocessed_once = np.concatenate(list(explained["image_batches"](samples, greys)))
    each_image = preprocess_input(
        generate_images(explained["image"], explained["segment_mask"], samples, greys).astype(np.float32)
    )
    assert preprocessed_once.dtype == np.float32
    assert np.array_equal(preprocessed_once, each_image)


def test_the_black_box_sees_what_it_should_for_every_sample(explained):
    assert np.allclose(explained["class_probabilities"], expected_probability(explained["samples"]), atol=1e-6)


def test_predictions_are_made_in_bounded_batches(notebook_code):
    namespace = explain_scene(notebook_code, num_samples=250)
    batch_sizes = namespace["model"].batch_sizes
    assert namespace["predictions"].shape == (250, 2)
    assert max(batch_sizes) == namespace["batch_size"] < 250 and sum(batch_sizes) == 250


def test_one_ahead_yields_every_batch_in_order_made_in_a_second_thread(explained):
    one_ahead, made_in = explained["one_ahead"], []

    def batches():
        for batch in range(1, 6):
            made_in.append(threading.get_ident())
            yield batch

    assert list(one_ahead(batches())) == [1, 2, 3, 4, 5]
    assert threading.get_ident() not in made_in
    assert list(one_ahead(iter([]))) == []


def test_one_ahead_passes_on_an_error_in_making_a_batch(explained):
    def batches():
        yield 1
        raise ValueError("no second batch")

    with pytest.raises(ValueError, match="no second batch"):
        list(explained["one_ahead"](batches()))


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


def test_the_same_seed_gives_the_identical_explanation(notebook_code):
    first, second = explain_scene(notebook_code, seed=11), explain_scene(notebook_code, seed=11)
    assert np.array_equal(first["samples"], second["samples"])
    assert np.array_equal(first["segment_weights"], second["segment_weights"])


def test_different_seeds_give_different_samples_but_the_same_ranking(notebook_code, explained):
    other = explain_scene(notebook_code, seed=explained["seed"] + 1)
    assert not np.array_equal(other["samples"], explained["samples"])
    assert set(ranking(other["segment_weights"])[:2]) == set(ranking(explained["segment_weights"])[:2])


def test_the_rendered_explanation_colours_the_relevant_segments_blue(explained):
    namespace = run_cells(dict(explained), "step6")
    plt.close("all")
    explanation = np.asarray(namespace["explanation"].convert("RGB")).astype(int)
    image = explained["image"].astype(int)
    relevant = np.isin(explained["segment_mask"], RELEVANT_SEGMENTS)
    assert explanation.shape == image.shape
    # white segments tinted blue (for_colour) lose more red than blue
    assert (explanation[relevant][:, 2] - explanation[relevant][:, 0]).mean() > 50


def test_the_fit_is_local_samples_near_the_original_count_more(explained):
    """A black box that follows segment 2 near the original and does the opposite far away.

    Near samples hide one or two segments, far samples show only a few. Weighted with
    the notebook's distances and kernel, the surrogate must describe the black box
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


def test_deletion_and_insertion_follow_the_black_box(explained):
    """The relevant segments come first in the explanation's order, so hiding them first
    drops the probability to the all-grey value within two steps, and showing them first
    raises it to the full value within two steps."""
    namespace = run_cells(dict(explained), "trust-deletion")
    plt.close("all")
    probability_along, order = namespace["probability_along"], namespace["explanation_order"]
    full, half, grey = 1.0, (1 + GREY / 255) / 2, GREY / 255
    n = explained["num_segments"]
    pixels_hidden, deletion = probability_along(order, deletion=True)
    pixels_shown, insertion = probability_along(order, deletion=False)
    assert np.allclose(deletion, [full, half] + [grey] * (n - 1), atol=1e-6)
    assert np.allclose(insertion, [grey, half] + [full] * (n - 1), atol=1e-6)
    # the x axis is the fraction of the pixels changed: 0 at the start, each segment's share added in turn, 1 at the end
    shares = np.bincount(explained["segment_mask"].ravel()) / explained["segment_mask"].size
    assert np.allclose(pixels_hidden, np.concatenate([[0], np.cumsum(shares[order])]))
    assert np.allclose(pixels_shown, pixels_hidden) and np.isclose(pixels_hidden[-1], 1)
    ratios = namespace["area_table"]["explanation / random"]
    assert ratios["deletion"] < 1 < ratios["insertion"]


def test_a_curve_takes_curve_points_evenly_spaced_steps_from_none_to_all(explained):
    """With more segments than curve_points, the curve skips steps: it still starts with nothing
    changed and ends with everything changed, and each point is where its step puts it."""
    namespace = run_cells(dict(explained), "trust-deletion")
    plt.close("all")
    namespace["curve_points"] = 5  # read when the curve is made: 5 of the 37 steps
    order, n = namespace["explanation_order"], explained["num_segments"]
    pixels, deletion = namespace["probability_along"](order, deletion=True)
    steps = [0, n // 4, n // 2, 3 * n // 4, n]
    shares = np.bincount(explained["segment_mask"].ravel()) / explained["segment_mask"].size
    assert np.allclose(pixels, np.concatenate([[0], np.cumsum(shares[order])])[steps])
    full, grey = 1.0, GREY / 255
    assert np.allclose(deletion, [full] + [grey] * 4, atol=1e-6)  # the two relevant segments go in the first quarter


def test_subsets_of_the_samples_find_the_relevant_segments(explained):
    namespace = run_cells(dict(explained), "trust-stability")
    plt.close("all")
    for subset_seed in range(5):
        assert set(RELEVANT_SEGMENTS) <= namespace["top5_of_subset"](128, subset_seed)
    assert len(namespace["overlap"]) == len(namespace["sample_counts"])
