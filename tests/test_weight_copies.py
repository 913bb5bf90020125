"""What nbval compares must hold for any faithful copy of MobileNetV2's ImageNet weights.

Keras' own download and the converted offline copy that CI uses give slightly different
probabilities, and so slightly different segment weights. The complete notebook's stored
outputs are made with one copy and compared by nbval on machines with another, so nbval
must compare only what every copy gives (the class, the segment count, the leading
segments), never a near tie.

The test makes a much harsher copy than any real one: every tensor of the weights
multiplied by (1 + 0.02 * N(0, 1)). That moves camera.png's probabilities and segment
weights far more than the step from one real copy to another, yet the model still sees a
tripod. nbval must pass on the complete notebook and on every chapter with that copy in the
Keras cache.
"""

import os
import shutil
import subprocess
import sys

import h5py
import keras
import numpy as np
from keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input
from keras.src.applications.imagenet_utils import CLASS_INDEX_PATH
from keras.src.applications.mobilenet_v2 import BASE_WEIGHT_PATH

from notebook_cells import CHAPTERS, COMPLETE, REPO

sys.path.insert(0, str(REPO / "tools"))
from check_env import CLASS_NAMES, WEIGHTS  # noqa: E402  (the file names Keras looks for)

NOISE = 0.02  # relative noise on every weight: 2 %


def keras_file(name: str, origin: str) -> str:
    """The path of `name` in the Keras cache (downloaded first if online and not there yet)."""
    return keras.utils.get_file(name, origin, cache_subdir="models")


def perturbed_copy(weights_file: str, copy_file: str, noise: float, seed: int) -> None:
    """Copy the HDF5 weights file, multiplying every tensor by (1 + noise * N(0, 1))."""
    shutil.copyfile(weights_file, copy_file)
    rng = np.random.default_rng(seed)
    with h5py.File(copy_file, "r+") as weights:
        tensors = []
        weights.visititems(lambda name, item: tensors.append(name) if isinstance(item, h5py.Dataset) else None)
        for name in sorted(tensors):
            values = weights[name][()]
            weights[name][...] = values * (1 + noise * rng.standard_normal(values.shape)).astype(values.dtype)


def test_nbval_passes_with_another_copy_of_the_weights(camera, tmp_path):
    keras_home = tmp_path / "keras"
    (keras_home / "models").mkdir(parents=True)
    perturbed_copy(keras_file(WEIGHTS, BASE_WEIGHT_PATH + WEIGHTS), keras_home / "models" / WEIGHTS, NOISE, seed=0)
    class_names = keras_file(CLASS_NAMES, CLASS_INDEX_PATH)
    shutil.copyfile(class_names, keras_home / "models" / CLASS_NAMES)

    other_model = MobileNetV2(weights=str(keras_home / "models" / WEIGHTS))
    image = preprocess_input(camera["image"][np.newaxis].astype(np.float32))
    probabilities, other_probabilities = camera["probabilities"][0], other_model.predict_on_batch(image)[0]
    assert other_probabilities.argmax() == probabilities.argmax() == camera["label_idx"], "another class: no test"
    assert not np.allclose(other_probabilities, probabilities, atol=1e-3), "the copy is not another copy"

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(COMPLETE.relative_to(REPO)),
         str(CHAPTERS.relative_to(REPO))],
        cwd=REPO, env={**os.environ, "KERAS_HOME": str(keras_home)}, capture_output=True, text=True, timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-6000:]
