"""The sweep's own fits and orders (benchmarks/faithfulness.py), on small problems whose answers
are known: they decide rows of benchmarks/faithfulness-sweep.md."""

import json
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import Ridge

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
show = plt.show
import faithfulness  # noqa: E402 (its benchmarks/common.py makes plt.show close figures, for the benchmarks only)

plt.show = show


def linear_problem(seed=0, samples=4000, features=6, noise=0.1):
    """On/off samples, sample weights and a linear target with Gaussian noise of the same size everywhere."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(samples, features))
    true_weights = np.linspace(-1, 1, features)
    return x, x @ true_weights + rng.normal(0, noise, samples), rng.uniform(0.5, 1.5, samples)


def test_graph_ridge_without_smoothing_is_ridge():
    x, y, w = linear_problem()
    touches = np.ones((6, 6), bool) & ~np.eye(6, dtype=bool)
    expected = Ridge(alpha=1.0).fit(x, y, sample_weight=w).coef_
    np.testing.assert_allclose(faithfulness.graph_ridge(x, y, w, 1.0, 0.0, touches), expected, atol=1e-10)


def test_graph_ridge_pulls_touching_segments_together():
    x, y, w = linear_problem()
    touches = np.zeros((6, 6), bool)
    touches[0, 1] = touches[1, 0] = True  # only segments 0 and 1 touch
    plain, smoothed = (faithfulness.graph_ridge(x, y, w, 1.0, smooth, touches) for smooth in (0.0, 1e6))
    assert abs(smoothed[0] - smoothed[1]) < 0.01 * abs(plain[0] - plain[1])
    np.testing.assert_allclose(smoothed[2:], plain[2:], atol=0.02)  # the others barely move


def test_standard_errors_match_the_spread_of_weights_over_fresh_samples():
    """With noise of one size everywhere, the sandwich's standard errors are the standard deviation
    of the fitted weights over many independent draws of the samples."""
    fits = []
    for seed in range(300):
        x, y, w = linear_problem(seed, samples=500)
        fits.append(Ridge(alpha=1.0).fit(x, y, sample_weight=w).coef_)
    x, y, w = linear_problem(1000, samples=500)
    weights = Ridge(alpha=1.0).fit(x, y, sample_weight=w).coef_
    ratio = faithfulness.standard_errors(x, y, w, 1.0, weights) / np.std(fits, axis=0)
    assert np.all((ratio > 0.8) & (ratio < 1.25)), ratio


def test_sure_first_order_puts_the_sure_segments_first_and_the_rest_by_smoothed_weights():
    weights = np.array([0.5, 0.1, 0.3, -0.2, 0.2])
    errors = np.array([0.1, 0.1, 0.05, 0.1, 0.1])  # 3 errors above zero: segments 0 (0.5 > 0.3) and 2 (0.3 > 0.15)
    smoothed = np.array([0.05, 0.0, 0.02, 0.4, 0.1])
    assert faithfulness.sure_first_order(weights, errors, smoothed, 3.0).tolist() == [0, 2, 3, 4, 1]
    assert faithfulness.sure_first_order(weights, errors, smoothed, 100.0).tolist() == [3, 4, 0, 2, 1]  # none sure


def test_alike_touching_weights_pairs_by_how_alike_their_colours_are():
    segment_mask = np.repeat(np.array([[0, 1, 2]]), 3, axis=0)  # three stripes: 0 touches 1, 1 touches 2
    image = np.zeros((3, 3, 3))
    image[:, 1] = 10.0  # stripe 1 is 10 levels from stripe 0 in each channel: 17.3 apart
    image[:, 2] = 200.0
    touches = faithfulness.touching(segment_mask)
    alike = faithfulness.alike_touching(image, segment_mask, touches, colour=10.0)
    assert alike[0, 1] == alike[1, 0] == np.exp(-300 / 200)
    assert 0 < alike[1, 2] < 1e-100 and alike[0, 2] == 0  # far apart in colour; not touching
    np.testing.assert_array_equal(faithfulness.alike_touching(image, segment_mask, touches, np.inf), touches)


def test_flat_grey_levels_avoid_the_checks_colours():
    kinds = faithfulness.hiding_kinds("blur+levels8")
    greys = [float(kind.removeprefix("level")) for kind in kinds[1:]]
    assert kinds[0] == "blur" and len(greys) == 8
    assert 0 < greys[0] and greys[-1] < 255 and 128 not in greys  # neither black nor the checks' mid-grey
    np.testing.assert_allclose(np.diff(greys), 255 / 8, atol=1)  # evenly spread
    image = np.zeros((4, 4, 3), np.uint8)
    assert np.all(faithfulness.hiding_image(image, np.zeros((4, 4), int), kinds[1]) == greys[0])


def test_photomean_hides_with_the_whole_photos_mean_colour():
    image = np.zeros((2, 4, 3), np.uint8)
    image[:, :2] = (200, 100, 0)  # half the photo orange, half black
    hidden = faithfulness.hiding_image(image, np.arange(8).reshape(2, 4), "photomean")
    assert hidden.shape == image.shape
    assert np.all(hidden == (100.0, 50.0, 0.0))  # the same flat colour everywhere, whatever the segments


def test_images_hidden_by_a_picture_show_the_photo_where_on_and_the_picture_where_off():
    """The sweep's path for hidings that are not one flat grey (the blur, mean colours)."""
    photo, picture = np.full((2, 3, 3), 200, np.uint8), np.arange(18, dtype=np.uint8).reshape(2, 3, 3)
    segment_mask = np.array([[0, 0, 1], [1, 2, 2]])
    samples = np.array([[1, 1, 1], [1, 0, 1], [0, 0, 0]])
    seen = []

    class Model:
        def predict_on_batch(self, images):
            seen.append(images)
            return np.zeros((len(images), 1000))

    ns = {"preprocess_input": lambda x: x / 255, "model": Model(), "segment_mask": segment_mask,
          "model_input": photo / 255}
    assert faithfulness.predict_hidden_by(ns, samples, picture, batch_size=2).shape == (3, 1000)
    images = np.concatenate(seen) * 255
    assert np.allclose(images[0], photo) and np.allclose(images[2], picture)
    off = segment_mask == 1
    assert np.allclose(images[1][off], picture[off]) and np.allclose(images[1][~off], photo[~off])


def test_a_mixed_keep_draws_each_samples_chance_from_those_named(monkeypatch):
    """keep=0.5+0.8 shows about half of the segments in some samples and about 8 in 10 in the others."""
    seen = {}

    def predict_samples(samples, hidden_value):
        seen.setdefault("samples", []).append(samples)
        return np.zeros((len(samples), 1000))

    class FakePhoto:
        def __init__(self, model, path):
            self.image = np.zeros((8, 8, 3), np.uint8)
            self.label_idx = 0
            self.preprocess = lambda x: x
            self.ns = {"predict_samples": predict_samples, "compute_distances": lambda s: 1 - np.sqrt(s.mean(axis=1)),
                       "exponential_kernel": lambda d, w: np.sqrt(np.exp(-(d**2) / w**2))}

        def areas(self, segment_mask, order):
            return dict.fromkeys(faithfulness.METRICS, 1.0)

    monkeypatch.setattr(faithfulness, "Photo", FakePhoto)
    monkeypatch.setattr(faithfulness, "segment", lambda image, kind: np.arange(64).reshape(8, 8))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "faithfulness-lime.json").write_text(json.dumps({"p": dict.fromkeys(faithfulness.METRICS, 1.0)}))
        faithfulness.sweep(None, {"p": "unused"}, ["hiding=grey,keep=0.5+0.8"], str(Path(folder) / "out.jsonl"))
    shown = np.concatenate(seen["samples"])[1:].mean(axis=1)  # the share each sample shows, the photo left out
    assert np.mean(shown < 0.65) > 0.3 and np.mean(shown > 0.65) > 0.3  # both chances drawn often
    assert abs(np.median(shown[shown < 0.65]) - 0.5) < 0.05 and abs(np.median(shown[shown > 0.65]) - 0.8) < 0.05


def test_the_table_counts_photos_worse_than_random_orders_of_the_same_segments():
    """A photo counts when its order does worse than the random orders on any of the four areas;
    segments whose random orders were not measured get a dash."""
    better = {"deletion_grey": 0.1, "deletion_black": 0.1, "insertion_grey": 0.9, "insertion_black": 0.9}
    random = {"deletion_grey": 0.5, "deletion_black": 0.5, "insertion_grey": 0.5, "insertion_black": 0.5}
    worse_in_one = dict(better, insertion_black=0.4)  # insertion under black below the random orders'
    ratio = dict.fromkeys(faithfulness.METRICS, 1.0)
    rows = [{"setting": f"segments={kind},hiding=blur", "photo": photo, "segments": 9, "areas": areas, "ratio": ratio}
            for kind in ("slic150", "slic100") for photo, areas in [("a", better), ("b", worse_in_one), ("c", better)]]
    with tempfile.TemporaryDirectory() as folder:
        jsonl = Path(folder) / "sweep.jsonl"
        jsonl.write_text("".join(json.dumps(row) + "\n" for row in rows))
        faithfulness.random_orders_cache(str(jsonl)).write_text(json.dumps({"slic150": dict.fromkeys("abc", random)}))
        table = faithfulness.sweep_table(str(jsonl)).splitlines()
    assert table[0].endswith("| worse than random orders on |")
    assert table[2].startswith("| segments=slic150, hiding=blur |") and table[2].endswith("| 1 |")
    assert table[3].startswith("| segments=slic100, hiding=blur |") and table[3].endswith("| – |")
