"""The talk's explanation of camera.png with the real MobileNetV2: reproducible for a seed,
its leading segments independent of the seed, and its three checks saying what the talk says.

These tests need the ImageNet weights: online, Keras downloads them; offline, point
KERAS_HOME at a prepared cache (see README.md). Without them they fail, loudly.
"""

import os
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

from notebook_cells import REPO, run_cells

CHECK_CELLS = ("step5-result", "step6", "uncertainty", "deletion", "fit", "verdict")


@pytest.fixture(scope="module")
def explain(camera):
    """The talk's explain(), on camera.png with the talk's model: the segment weights for a seed."""
    namespace = run_cells(dict(camera), "explain")

    def segment_weights(seed: int) -> np.ndarray:
        return namespace["explain"](camera["model"], camera["image"], camera["segment_mask"],
                                    camera["label_idx"], camera["num_samples"], seed)[-1]

    return segment_weights


@pytest.fixture(scope="module")
def checked(camera):
    """The talk's namespace after its three checks and the verdict on camera.png."""
    namespace = run_cells(dict(camera), *CHECK_CELLS)
    plt.close("all")
    return namespace


def top5(segment_weights: np.ndarray) -> set:
    return set(np.argsort(segment_weights)[::-1][:5].tolist())


def leaders(camera: dict, segment_weights: np.ndarray) -> list:
    """The talk's leading segments (step 5) for these weights."""
    return run_cells({**camera, "segment_weights": segment_weights}, "step5-result")["leaders"].tolist()


def test_the_model_sees_a_tripod_and_the_talk_explains_its_top_class(camera):
    probabilities = camera["probabilities"][0]
    assert camera["class_name"] == "tripod"
    assert camera["label_idx"] == int(probabilities.argmax())
    assert probabilities[camera["label_idx"]] > 0.9


def test_the_segments_number_every_pixel_from_zero(camera):
    segment_mask = camera["segment_mask"]
    assert segment_mask.shape == camera["image"].shape[:2]
    assert np.array_equal(np.unique(segment_mask), np.arange(camera["num_segments"]))
    assert 50 < camera["num_segments"] <= 125


def test_at_the_default_num_samples_the_leaders_do_not_depend_on_the_seed(camera, explain):
    """The leading segments are the same for other seeds; the top-5 may differ in the near ties of its
    last places (two or three small weights lie close together there)."""
    weights = [camera["segment_weights"], explain(1), explain(2)]
    assert weights[0].shape == (camera["num_segments"],) and not np.array_equal(weights[0], weights[1])
    assert all(leaders(camera, w) == leaders(camera, weights[0]) for w in weights), [leaders(camera, w) for w in weights]
    assert all(len(top5(w) & top5(weights[0])) >= 3 for w in weights), [top5(w) for w in weights]


def test_the_leaders_are_settled_and_the_checks_pass_on_camera_png(checked):
    """What the talk's verdict says of its photo: the leaders settled, a surrogate that follows the
    model, and an order that beats random ones in both curves."""
    assert set(checked["leaders"].tolist()) <= set(checked["settled_segments"])
    assert set(checked["settled_segments"]) | set(checked["tied_segments"]) == top5(checked["segment_weights"])
    assert checked["r_squared"] >= 0.5
    ratios = checked["areas"]["explanation / random"]
    assert ratios["deletion"] < 0.5 and ratios["insertion"] > 1.5, ratios
    assert checked["trusted"]


def test_missing_weights_offline_give_one_clear_sentence(tmp_path):
    """No weights in the cache and no network: the model cell says what to do."""
    environment = {
        **os.environ,
        "KERAS_HOME": str(tmp_path / "empty-keras-cache"),
        "HTTPS_PROXY": "http://127.0.0.1:9",  # a closed port: every download fails at once
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    script = "from notebook_cells import run_cells; run_cells({}, 'imports', 'load-model')"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO / "tests", env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    error = result.stderr[result.stderr.rindex("RuntimeError: "):]
    assert error.startswith("RuntimeError: MobileNetV2's weights or class names could not be loaded or downloaded: "
                            "go online once, or set KERAS_HOME as README.md says.")
    assert "Traceback" not in error
