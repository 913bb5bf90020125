"""How two colours look to readers with red-green colour blindness.

Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for Simulation of
Color Vision Deficiency", IEEE TVCG 15(6), give a 3×3 matrix per deficiency that maps
linear RGB to what a dichromat sees. Below are their matrices for full protanopia and
deuteranopia (severity 1.0), the CIELAB conversion (D65 white), and the distance between
two colours as the CIE 1976 ΔE*ab: about 2.3 is just noticeable, 40 is clearly apart.
"""

import numpy as np

PROTANOPIA = np.array([
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
])  # fmt: skip
DEUTERANOPIA = np.array([
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
])  # fmt: skip
NORMAL = np.eye(3)

SRGB_TO_XYZ = np.array([
    [0.4124564, 0.3575761, 0.1804375],
    [0.2126729, 0.7151522, 0.0721750],
    [0.0193339, 0.1191920, 0.9503041],
])  # fmt: skip
D65_WHITE = SRGB_TO_XYZ @ np.ones(3)


def to_linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB values 0 to 255 to linear light 0 to 1."""
    c = np.asarray(rgb, dtype=float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    c = np.clip(linear, 0, 1)
    return 255 * np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb, deficiency: np.ndarray) -> np.ndarray:
    """The sRGB colour (0 to 255) that a reader with `deficiency` sees for `rgb`."""
    return to_srgb(deficiency @ to_linear(rgb))


def to_lab(rgb) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ to_linear(rgb) / D65_WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def over(colour, background, opacity: float) -> np.ndarray:
    """`colour` painted at `opacity` over `background`, blended in sRGB as Pillow does."""
    return opacity * np.asarray(colour, dtype=float) + (1 - opacity) * np.asarray(background, dtype=float)


def distance(first, second, deficiency: np.ndarray = NORMAL) -> float:
    """ΔE*ab between two sRGB colours as a reader with `deficiency` sees them."""
    return float(np.linalg.norm(to_lab(simulate(first, deficiency)) - to_lab(simulate(second, deficiency))))
