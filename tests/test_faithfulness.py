"""benchmarks/faithfulness.py measures what it says: its curves on the synthetic scene, whose right
order is known, its summaries on ratios whose median and worst are known, and its photo sets."""

import sys

import numpy as np
from PIL import Image

from notebook_cells import REPO
from synthetic import GREY, RELEVANT_SEGMENTS, BrightnessModel, grid_segment_mask, scene

sys.path.insert(0, str(REPO / "benchmarks"))
import faithfulness  # noqa: E402 (its benchmarks/common.py makes plt.show close figures, for the benchmarks only)


def scene_photo():
    """A faithfulness.Photo of the synthetic scene, its grid as the segments and BrightnessModel's class 1."""
    photo = object.__new__(faithfulness.Photo)
    photo.image, photo.segment_mask, photo.label_idx = scene(), grid_segment_mask(), 1
    photo.model = BrightnessModel(photo.segment_mask)
    return photo


def test_a_deletion_curve_starts_at_the_photo_and_ends_with_everything_hidden():
    photo = scene_photo()
    order = np.arange(36)
    fractions, probabilities = photo.curve(photo.segment_mask, order, GREY, deletion=True)
    assert fractions[0] == 0 and fractions[-1] == 1 and np.all(np.diff(fractions) > 0)
    np.testing.assert_allclose([probabilities[0], probabilities[-1]], [1.0, GREY / 255], atol=1e-5)  # float32


def test_the_right_order_beats_random_orders_in_both_measures_and_the_reverse_one_loses():
    photo = scene_photo()
    relevant_first = np.array(list(RELEVANT_SEGMENTS) + [s for s in range(36) if s not in RELEVANT_SEGMENTS])
    right, random = photo.areas(photo.segment_mask, relevant_first), photo.random_areas()
    assert faithfulness.worse_than_random(right, random) == []
    wrong = photo.areas(photo.segment_mask, relevant_first[::-1])
    assert faithfulness.worse_than_random(wrong, random) == list(faithfulness.METRICS)


def test_the_summary_takes_the_median_the_worst_and_counts_the_photos_worse_than_lime():
    values = [0.5, 1.2, 0.8]  # median 0.8; deletion's worst is the largest, insertion's the smallest
    per_photo = [{"ratio": dict.fromkeys(faithfulness.METRICS, value)} for value in values]
    summary = faithfulness.summarise(per_photo)
    assert summary["deletion_grey"] == {"median": 0.8, "worst": 1.2, "worse_on": 1}
    assert summary["insertion_black"] == {"median": 0.8, "worst": 0.5, "worse_on": 2}


def test_every_photo_set_writes_photos_that_open_and_the_new_kinds_are_what_they_say(tmp_path):
    for name, make in faithfulness.PHOTO_SETS.items():
        folder = tmp_path / name
        folder.mkdir()
        paths = make(folder)
        assert len(paths) >= 6 and len(set(paths.values())) == len(paths)
        sizes = {photo: Image.open(path).size for photo, path in paths.items()}
    width, height = sizes["china_panorama (scene, 3:1)"]
    assert width == 3 * height
    assert max(sizes["astronaut_large (person, 2560 px JPEG)"]) == 2560
    cut_out = np.asarray(Image.open(paths["cup_white (object cut out on white)"]))
    assert np.all(cut_out[[0, 0, -1, -1], [0, -1, 0, -1]] == 255)  # the corners are white
