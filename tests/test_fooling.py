"""Chapter 5, how to fool LIME: the wrapper hides its sticker from LIME's grey hiding and the blur
reveals it, on a synthetic scene whose innocent model is known and on the photo as the chapter shows
it; the detector flags every perturbed sample LIME shows it and no photo of the benchmark's."""

import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

from notebook_cells import REPO, chapter_import, run_cell_with, run_cells
from synthetic import RELEVANT_SEGMENTS, BrightnessModel

FUNCTION_CELLS = ("fool-sticker", "fool-detector")  # they also segment the photo and show the detector
SIZE, CELL = 224, 28  # the synthetic scene: an 8 x 8 grid of 28-pixel squares, a 4 x 4 tile grid inside each


def grid_mask() -> np.ndarray:
    """The scene's segments, numbered so that segment 0 is the top right square, where the sticker goes."""
    grid = SIZE // CELL
    return np.arange(grid * grid).reshape(grid, grid)[:, ::-1].repeat(CELL, axis=0).repeat(CELL, axis=1)


def noise_scene() -> np.ndarray:
    """Random colours, no flat tile anywhere, and white in BrightnessModel's relevant segments."""
    image = np.random.default_rng(2020).integers(1, 255, size=(SIZE, SIZE, 3), dtype=np.uint8)
    image[np.isin(grid_mask(), RELEVANT_SEGMENTS)] = 255
    return image


def the_chapter_on(namespace: dict, **wrapper_values) -> dict:
    """The chapter's cells after its setup, in `namespace`: the sticker, the detector, the wrapper,
    the fooled and the revealing explanations; the fooled run's counts kept as fooled_answers."""
    run_cells(namespace, *FUNCTION_CELLS)
    if wrapper_values:
        run_cell_with(namespace, "fool-wrapper", **wrapper_values)
    else:
        run_cells(namespace, "fool-wrapper")
    run_cells(namespace, "fool-fooled")
    namespace["fooled_answers"] = dict(namespace["fooling_model"].answered)
    run_cells(namespace, "fool-reveal")
    plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def scene_run() -> dict:
    """The chapter on the noise scene, with the scene's grid as its segments and BrightnessModel as the
    innocent model (class 0: one minus the brightness of segments 3 and 7); the sticker's class is class 0."""
    namespace = chapter_import()
    mask = grid_mask()
    namespace.update(image=noise_scene(), model=BrightnessModel(mask), label_idx=1, seed=0, num_samples=2000,
                     create_segments=lambda image: mask)
    scene_input = namespace["preprocess_input"](namespace["image"][np.newaxis].astype(np.float32))
    namespace["photo_probabilities"] = namespace["model"].predict_on_batch(scene_input)[0]  # as the setup cell
    return the_chapter_on(namespace, target_idx=0)


@pytest.fixture(scope="module")
def photo_run() -> dict:
    """The chapter on camera.png with MobileNetV2, as it is executed (its pictures left out)."""
    return the_chapter_on(run_cells({}, "fool-parameters", "fool-setup"))


def test_on_the_scene_grey_hiding_explains_the_innocent_model_and_blur_finds_the_sticker(scene_run):
    assert scene_run["sticker_segments"].tolist() == [0]
    assert scene_run["fooled_answers"] == {"looked perturbed": 1999, "real, no sticker": 0,
                                           "real with the sticker: biased": 1}
    fooled = scene_run["fooled_weights"]
    assert set(np.argsort(np.abs(fooled))[::-1][:2]) == set(RELEVANT_SEGMENTS)  # the innocent model's two
    assert np.all(fooled[list(RELEVANT_SEGMENTS)] < 0)  # segments, against class 0; the sticker's is about 0
    assert abs(fooled[0]) < 0.05 * np.abs(fooled[list(RELEVANT_SEGMENTS)]).min()
    assert scene_run["fooling_model"].answered["looked perturbed"] == 0  # the blurred samples pass as real
    revealing = scene_run["revealing_weights"]
    assert scene_run["revealing_rank"] == 1 and revealing[0] > 0.5 > np.sort(revealing)[-2]


def test_on_the_photo_the_sticker_is_outside_the_fooled_top_ten_and_first_with_blur(photo_run):
    assert photo_run["fooled_rank"] > 10
    assert photo_run["revealing_rank"] == 1


def test_the_detector_flags_every_perturbed_sample_lime_shows_the_wrapper_and_no_blurred_one(photo_run):
    assert photo_run["fooled_answers"] == {"looked perturbed": photo_run["num_samples"] - 1, "real, no sticker": 0,
                                           "real with the sticker: biased": 1}
    assert photo_run["fooling_model"].answered["looked perturbed"] == 0


def test_flat_share_counts_the_tiles_of_hidden_squares_exactly_and_no_clipped_or_noisy_tile(scene_run):
    flat_share, preprocess_input = scene_run["flat_share"], scene_run["preprocess_input"]
    samples = np.ones((3, 64), dtype=int)
    samples[1, [10, 20, 30]] = 0  # three squares of 7 x 7 tiles each
    samples[2, [10, 11, 12, 13, 14]] = 0
    images = scene_run["generate_images"](noise_scene(), grid_mask(), samples, np.array([128, 16, 239], np.uint8))
    shares = flat_share(preprocess_input(images.astype(np.float32)))
    tiles = (SIZE // 4) ** 2  # the white squares are clipped, the noise never flat: only the hidden squares count
    np.testing.assert_array_equal(shares, [0, 3 * 49 / tiles, 5 * 49 / tiles])


@pytest.fixture(scope="module")
def benchmark_images(tmp_path_factory) -> dict:
    """The benchmark's photos and its held-out photos, loaded as the notebooks load a photo."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import faithfulness  # cheap: it defines functions and writes nothing until they are called

    from helpers import load_image

    folder = tmp_path_factory.mktemp("photos")
    paths = {**faithfulness.photos(folder), **faithfulness.held_out_photos(folder)}
    return {name: load_image(path) for name, path in paths.items()}


def test_no_photo_of_the_benchmark_looks_perturbed_with_or_without_the_sticker(scene_run, benchmark_images):
    looks_perturbed, has_sticker = scene_run["looks_perturbed"], scene_run["has_sticker"]
    add_sticker, preprocess_input = scene_run["add_sticker"], scene_run["preprocess_input"]
    assert len(benchmark_images) >= 20
    for name, image in benchmark_images.items():
        real_input = preprocess_input(np.stack([image, add_sticker(image)]).astype(np.float32))
        assert looks_perturbed(real_input).tolist() == [False, False], name
        assert has_sticker(real_input).tolist() == [False, True], name
