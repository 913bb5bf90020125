"""A small test scene and a black-box classifier whose right explanation is known.

The scene is a 60x60 image cut into a 6x6 grid of square segments, numbered row by
row. The "model" gives class 1 the mean brightness of segments 3 and 7 and looks at
nothing else, so LIME must rank segments 3 and 7 first and give every other segment
a weight of about zero. A second "model", for adaptive sampling, looks at five
segments with known importances.
"""

import numpy as np

RELEVANT_SEGMENTS = (3, 7)
GRID, CELL = 6, 10
GREY = 128  # the notebook's hiding colour


def grid_segment_mask() -> np.ndarray:
    return np.arange(GRID * GRID).reshape(GRID, GRID).repeat(CELL, axis=0).repeat(CELL, axis=1)


def scene() -> np.ndarray:
    """Random colours everywhere, pure white in the relevant segments."""
    image = np.random.default_rng(2016).integers(0, 256, size=(GRID * CELL, GRID * CELL, 3), dtype=np.uint8)
    image[np.isin(grid_segment_mask(), RELEVANT_SEGMENTS)] = 255
    return image


class BrightnessModel:
    """Stands in for MobileNetV2: the same `predict_on_batch` call, two classes.

    Class 1's probability is the mean brightness, from 0 to 1, of the pixels of the
    relevant segments; the input is preprocessed as for MobileNetV2 (values -1 to 1).
    """

    def __init__(self, segment_mask: np.ndarray):
        self.relevant_pixels = np.isin(segment_mask, RELEVANT_SEGMENTS)
        self.batch_sizes = []

    def predict_on_batch(self, images: np.ndarray) -> np.ndarray:
        self.batch_sizes.append(len(images))
        brightness = (images[:, self.relevant_pixels] + 1) / 2
        p = brightness.mean(axis=(1, 2))
        return np.stack([1 - p, p], axis=1)


class FiveSegmentModel:
    """Stands in for MobileNetV2 in the adaptive-sampling tests: it looks at five segments,
    each with its own importance. Class 1's probability is the sum of the importances of
    the segments it sees shown."""

    IMPORTANCE = {4: 0.3, 9: 0.25, 17: 0.2, 22: 0.15, 30: 0.1}
    HIDDEN = np.float32(GREY) / 127.5 - 1  # the hiding colour, preprocessed as in float32

    def __init__(self, segment_mask: np.ndarray):
        self.segment_mask = segment_mask
        self.batch_sizes = []

    def shown(self, images: np.ndarray, segment: int) -> np.ndarray:
        """1 where a segment of the scene is shown, 0 where it is hidden."""
        return np.any(images[:, self.segment_mask == segment] != self.HIDDEN, axis=(1, 2)).astype(float)

    def predict_on_batch(self, images: np.ndarray) -> np.ndarray:
        self.batch_sizes.append(len(images))
        p = sum(importance * self.shown(images, segment) for segment, importance in self.IMPORTANCE.items())
        return np.stack([1 - p, p], axis=1)


def expected_probability(samples: np.ndarray) -> np.ndarray:
    """What BrightnessModel must answer for each on/off sample of the scene.

    A shown relevant segment is white (brightness 1), a hidden one grey (128/255);
    the two segments have the same size, so each counts half.
    """
    shown = samples[:, list(RELEVANT_SEGMENTS)]
    return (shown * 1.0 + (1 - shown) * GREY / 255).mean(axis=1)
