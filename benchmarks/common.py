"""What every benchmark script sets up first: quiet TensorFlow, no progress bars, figures drawn
off-screen and never kept, and the notebook's cells at hand (tests/notebook_cells.py)."""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TQDM_DISABLE"] = "1"  # lime draws a progress bar

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

plt.show = lambda *args, **kwargs: plt.close("all")  # the notebook's figures: drawn, never kept
