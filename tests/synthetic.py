"""A small test scene and a black-box classifier whose right explanation is known.

The scene is a 60x60 image cut into a 6x6 grid of square segments, numbered row by
row. The "model" gives class 1 the mean brightness of segments 3 and 7 and looks at
nothing else, so LIME must rank segments 3 and 7 first and give every other segment
a weight of about zero. A second "model", for the uncertainty tests, looks at a few
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


class ImportanceModel:
    """Stands in for MobileNetV2 in the uncertainty tests: class 1's probability is the sum of
    the importances of the segments shown, plus a wiggle that no linear surrogate can follow
    (a sine of a fixed mix of all segments), so that the surrogate's weights vary from one
    draw of samples to the next, as they do with a real model. Segments of equal importance
    enter the mix equally too, so that they are exactly tied for the surrogate as well."""

    HIDDEN = np.float32(GREY) / 127.5 - 1  # the hiding colour, preprocessed as in float32

    def __init__(self, segment_mask: np.ndarray, importance: dict, wiggle: float = 0.1):
        self.segment_mask, self.importance, self.wiggle = segment_mask, importance, wiggle
        self.batch_sizes = []
        self.mix = np.random.default_rng(1979).normal(0, 1, segment_mask.max() + 1)
        for segment, segment_importance in importance.items():  # equal importances: equal in every way
            self.mix[segment] = 2 * segment_importance

    def shown(self, images: np.ndarray, segment: int) -> np.ndarray:
        """1 where a segment of the scene is shown, 0 where it is hidden."""
        return np.any(images[:, self.segment_mask == segment] != self.HIDDEN, axis=(1, 2)).astype(float)

    def probability(self, shown: np.ndarray) -> np.ndarray:
        """Class 1's probability for on/off vectors `shown`, shape (samples, segments)."""
        linear = sum(importance * shown[:, segment] for segment, importance in self.importance.items())
        return linear + self.wiggle * np.sin(3 * shown @ self.mix)

    def predict_on_batch(self, images: np.ndarray) -> np.ndarray:
        self.batch_sizes.append(len(images))
        shown = np.stack([self.shown(images, segment) for segment in range(len(self.mix))], axis=1)
        p = self.probability(shown)
        return np.stack([1 - p, p], axis=1)


def expected_probability(samples: np.ndarray, hidden_levels=GREY) -> np.ndarray:
    """What BrightnessModel must answer for each on/off sample of the scene.

    A shown relevant segment is white (brightness 1), a hidden one grey (hidden_levels/255:
    one grey for all samples, or one per sample); the two segments have the same size, so
    each counts half.
    """
    shown = samples[:, list(RELEVANT_SEGMENTS)]
    greys = np.broadcast_to(np.asarray(hidden_levels, dtype=float), (len(samples),))[:, np.newaxis]
    return (shown * 1.0 + (1 - shown) * greys / 255).mean(axis=1)
