"""The functions and settings of the talk, grokking-lime-complete.ipynb, for the chapters.

Written by tools/make_talk_module.py from the complete notebook: do not edit; change the
notebook and run that script (a test fails when this file and the notebook differ).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # helpers.py lives beside the talk

import numpy as np
import pandas as pd
from keras.applications.mobilenet_v2 import MobileNetV2, decode_predictions, preprocess_input
from skimage.segmentation import slic
from sklearn.linear_model import Ridge
from visualime.explain import render_explanation
from helpers import against_colour, for_colour, load_image, show_curves, show_explanations, show_images, show_segments
import matplotlib.pyplot as plt


# from cell load-model
def load_model():
    """MobileNetV2 with its ImageNet weights, from the Keras cache or downloaded into it."""
    try:
        model = MobileNetV2()
        decode_predictions(np.zeros((1, 1000)))  # the class names come as a second download
    except Exception as error:  # Keras raises a plain Exception when a download fails
        raise RuntimeError("MobileNetV2's weights or class names could not be loaded or downloaded: "
                           f"go online once, or set KERAS_HOME as README.md says. Keras said: {error}") from None
    return model


# from cell load-model
def name_of_class(class_idx):
    return decode_predictions(np.eye(1000)[[class_idx]], top=1)[0][0][1]


# from cell step1
def create_segments(image: np.ndarray) -> np.ndarray:
    """SLIC superpixels of image: shape (height, width), each pixel's segment number."""
    return slic(image, n_segments=125, compactness=10, start_label=0)


# from cell step2
def generate_samples(num_segments: int, num_samples: int, rng: np.random.Generator,
                     keep_chance: float = 0.8) -> np.ndarray:
    """Random on/off rows, shape (num_samples, num_segments); row 0 shows every segment."""
    # rng.random() draws evenly from 0 to 1: below keep_chance with chance keep_chance
    samples = (rng.random((num_samples, num_segments)) < keep_chance).astype(int)
    samples[0] = 1
    return samples


grey_levels = np.linspace(16, 239, 8).round().astype(np.uint8)


# from cell step3
def generate_images(image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray,
                    hidden_levels: np.ndarray) -> np.ndarray:
    """One perturbed copy of image per sample, shape (len(samples), height, width, 3).
    The hidden segments of sample i show the grey hidden_levels[i]."""
    is_on = samples[:, segment_mask, np.newaxis] == 1  # (samples, height, width, 1)
    greys = hidden_levels.reshape(-1, 1, 1, 1)  # one grey per image
    return np.where(is_on, image, greys)


# from cell step4
def predict_samples(model, image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray,
                    hidden_levels: np.ndarray, batch_size: int = 8) -> np.ndarray:
    """The model's 1000 class probabilities for each sample's image: (len(samples), 1000)."""
    predictions = []
    for start in range(0, len(samples), batch_size):
        rows = slice(start, start + batch_size)
        images = generate_images(image, segment_mask,
                                 samples[rows], hidden_levels[rows])
        model_input = preprocess_input(images.astype(np.float32))  # to -1 .. 1
        predictions.append(model.predict_on_batch(model_input))
    return np.concatenate(predictions)


kernel_width = 0.25


# from cell step5-kernel
def compute_distances(samples: np.ndarray) -> np.ndarray:
    """Each sample's distance to the photo, shape (len(samples),): 1 - sqrt(k / n)."""
    shown = samples.sum(axis=1) / samples.shape[1]  # the share of segments shown
    return 1 - np.sqrt(shown)


# from cell step5-kernel
def exponential_kernel(distances: np.ndarray, width: float) -> np.ndarray:
    """LIME's locality weight of each sample: 1 at distance 0, falling off with distance."""
    return np.exp(-(distances**2) / (2 * width**2))


# from cell step5-fit
def fit_surrogate(samples: np.ndarray, class_probabilities: np.ndarray, sample_weights: np.ndarray) -> Ridge:
    """The locality-weighted linear surrogate; its coef_ holds one weight per segment."""
    surrogate = Ridge(alpha=1.0)
    surrogate.fit(samples, class_probabilities, sample_weight=sample_weights)
    return surrogate


# from cell uncertainty
def weight_intervals(samples, class_probabilities, sample_weights, rng, refits=200):
    """A 95 % interval for every segment weight, shape (num_segments, 2): low and high."""
    resampled_weights = []
    for rows in rng.integers(0, len(samples), size=(refits, len(samples))):
        refit = fit_surrogate(samples[rows], class_probabilities[rows], sample_weights[rows])
        resampled_weights.append(refit.coef_)
    return np.percentile(resampled_weights, [2.5, 97.5], axis=0).T


# from cell uncertainty
def settled_and_tied(segment_weights, intervals, top_k=5):
    """The top_k segments, split into those settled above every other segment and those tied."""
    ranking = np.argsort(segment_weights)[::-1]
    top, rest = ranking[:top_k], ranking[top_k:]
    ceiling = intervals[rest, 1].max()  # as high as a segment outside the top_k may be
    settled = [int(segment) for segment in top if intervals[segment, 0] > ceiling]
    return settled, [int(segment) for segment in top if segment not in settled]


# from cell deletion
def probability_curve(order, deletion, model, image, segment_mask, label_idx, points=41):
    """Hide (deletion) or show (insertion) the segments in order, a few more at each of `points`
    steps, with black; return the fraction of the pixels changed and the class probability."""
    steps = np.linspace(0, len(order), points).round()  # how many segments are changed at each step
    changed = np.argsort(order) < steps[:, np.newaxis]  # segment s changes once its place in order comes
    curve_samples = (~changed if deletion else changed).astype(int)  # deletion hides, insertion shows
    black = np.zeros(points, dtype=np.uint8)
    curve = predict_samples(model, image, segment_mask, curve_samples, black)[:, label_idx]
    segment_shares = np.bincount(segment_mask.ravel()) / segment_mask.size  # share of the pixels
    return changed @ segment_shares, curve


# from cell explain
def explain(model, image, segment_mask, label_idx, num_samples, seed):
    """Steps 2 to 5 as above: the samples, their greys, the model's predictions, the sample
    weights and the segment weights."""
    rng = np.random.default_rng(seed)
    samples = generate_samples(segment_mask.max() + 1, num_samples, rng)
    hidden_levels = rng.choice(grey_levels, size=num_samples)
    predictions = predict_samples(model, image, segment_mask, samples, hidden_levels)
    sample_weights = exponential_kernel(compute_distances(samples), kernel_width)
    segment_weights = fit_surrogate(samples, predictions[:, label_idx], sample_weights).coef_
    return samples, hidden_levels, predictions, sample_weights, segment_weights
