"""Write camera.png, the tutorial's example photo.

The photo is scikit-image's "camera" (skimage.data.camera(), 512x512 greyscale,
CC0, photographer Lav Varshney). MobileNetV2 takes 224x224 RGB images, so we
resize it and store it as RGB.

    python tools/make_camera.py
"""

from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    photo = Image.fromarray(skimage.data.camera()).convert("RGB")
    photo = photo.resize((224, 224), Image.Resampling.LANCZOS)
    photo.save(REPO / "camera.png", optimize=True)
    print(f"wrote camera.png: {np.asarray(photo).shape}")


if __name__ == "__main__":
    main()
