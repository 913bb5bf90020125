"""Loading a photo and drawing pictures for Grokking LIME: not part of LIME itself.

The notebooks import these so that they can show the algorithm and not the plotting.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch
from PIL import Image, ImageOps, UnidentifiedImageError
from skimage.segmentation import mark_boundaries

for_colour, against_colour = (0, 114, 178), (230, 159, 0)  # blue and orange, as red, green and blue values
plt.rcParams["font.size"] = 13  # legible on a projector


def load_image(path: str, size: int = 224) -> np.ndarray:
    """Read any photo and return it as an RGB array of shape (size, size, 3), dtype uint8.

    Greyscale becomes three equal channels, transparency is laid on white, and the photo is
    cropped to a square at its centre and resized."""
    try:
        photo = Image.open(path)
        photo.load()
    except FileNotFoundError:
        raise FileNotFoundError(f"There is no file {path!r}: set image_path to the path of a photo.") from None
    except (UnidentifiedImageError, OSError):
        raise ValueError(f"{path!r} is not an image Pillow can read: use a JPEG or PNG photo.") from None
    found = f"{photo.width}×{photo.height} {photo.mode}"
    if photo.mode.startswith("I") or photo.mode == "F":  # 16-bit or float greyscale: scale to 0..255
        values = np.asarray(photo, dtype=np.float64)
        photo = Image.fromarray(np.uint8(255 * values / max(values.max(), 1)))
    photo = ImageOps.exif_transpose(photo).convert("RGBA")
    photo = Image.alpha_composite(Image.new("RGBA", photo.size, "white"), photo).convert("RGB")
    photo = ImageOps.fit(photo, (size, size), Image.Resampling.LANCZOS)
    print(f"Loaded {path}: {found} → {size}×{size} RGB")
    return np.asarray(photo)


def show_images(images, titles=(), columns=4, size=3):
    """Draw images side by side, in rows of `columns`, with optional titles."""
    columns = min(columns, len(images))
    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, picture, title in zip(axes.flat, images, list(titles) + [""] * len(images)):
        ax.imshow(picture)
        ax.set_title(title)
    plt.show()


def show_segments(image, segment_mask, title=""):
    """Draw the segment boundaries and write each segment's number at its centre."""
    fig, ax = plt.subplots(figsize=(9, 9))
    ax.imshow(mark_boundaries(image, segment_mask, color=(1, 1, 0)))
    for segment in range(segment_mask.max() + 1):
        rows, cols = np.nonzero(segment_mask == segment)
        ax.text(cols.mean(), rows.mean(), segment, ha="center", va="center", fontsize=11, fontweight="bold",
                color="white", bbox={"facecolor": "black", "alpha": 0.6, "pad": 1.5, "linewidth": 0})
    ax.set_title(title)
    ax.axis("off")
    plt.show()


def show_explanations(pictures, titles, size=5, segment_mask=None, settled=(), tied=()):
    """Draw explanation pictures side by side, with a legend of what their colours and opacity mean.

    render_explanation makes a coloured segment's opacity its weight's size divided by the
    largest weight's, capped at 0.7: the legend shows two examples. With a segment_mask, the last
    picture outlines the settled segments with a solid line and the tied ones with a dashed line."""
    fig, axes = plt.subplots(1, len(pictures), figsize=(size * len(pictures), size + 1.2), squeeze=False)
    for ax, picture, title in zip(axes.flat, pictures, titles):
        ax.imshow(picture)
        ax.set_title(title)
        ax.axis("off")
    legend = []
    for colour, side in [(for_colour, "for"), (against_colour, "against")]:
        legend += [Patch(color=np.array(colour) / 255, alpha=0.7, label=f"{side} the class, 0.7 of the largest weight or more"),
                   Patch(color=np.array(colour) / 255, alpha=0.1, label="a tenth of the largest")]
    if segment_mask is not None:
        for segments, style, label in [(settled, "solid", "settled"), (tied, "dashed", "tied")]:
            if len(segments):
                axes.flat[-1].contour(np.isin(segment_mask, segments), levels=[0.5], colors="black",
                                      linewidths=2, linestyles=style)
            legend.append(plt.Line2D([], [], color="black", linewidth=2, linestyle=style, label=label))
    fig.legend(handles=legend, loc="lower center", ncol=len(legend) // 2, frameon=False, fontsize=11,
               title="no colour: not among the largest weights", title_fontsize=11)
    fig.subplots_adjust(bottom=0.22)
    plt.show()


def show_curves(curves, colour=for_colour):
    """Draw deletion and insertion curves: `curves` maps ("deletion" or "insertion", "explanation"
    or "random") to lists of (fraction of the pixels, class probability) pairs of arrays."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, name in zip(axes, ["deletion", "insertion"]):
        for pixels, probability in curves[name, "random"]:
            ax.plot(pixels, probability, color="grey", alpha=0.5)
        for pixels, probability in curves[name, "explanation"]:
            ax.plot(pixels, probability, color=np.array(colour) / 255, linewidth=2.5)
        ax.set_xlabel(f"fraction of the pixels {'hidden' if name == 'deletion' else 'shown'}")
        ax.set_ylabel("class probability")
        ax.set_title(name)
    fig.legend(handles=[plt.Line2D([], [], color=np.array(colour) / 255, linewidth=2.5, label="explanation's order"),
                        plt.Line2D([], [], color="grey", label="random orders")],
               loc="lower center", ncol=2, frameon=False)
    fig.subplots_adjust(bottom=0.25)
    plt.show()
