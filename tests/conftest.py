"""Shared by the tests: figures drawn off-screen, helpers.py importable, and the talk run on
camera.png once."""

import sys

import matplotlib
import pytest

from notebook_cells import REPO, SETUP_CELLS, STEP_CELLS, run_cells

sys.path.insert(0, str(REPO))  # helpers.py, beside the talk, as Jupyter finds it from the talk's folder
matplotlib.use("Agg")  # the notebook's figures are drawn off-screen in tests
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="session")
def camera() -> dict:
    """The talk's namespace after steps 1 to 5 on camera.png, with the real MobileNetV2 and the
    default parameters. Needs the ImageNet weights (see README.md)."""
    namespace = run_cells({}, *SETUP_CELLS, *STEP_CELLS)
    plt.close("all")
    return namespace
