"""Shared by the tests: figures drawn off-screen, and the notebook run on camera.png once."""

import matplotlib
import pytest

from notebook_cells import SETUP_CELLS, STEP_CELLS, run_cells

matplotlib.use("Agg")  # the notebook's figures are drawn off-screen in tests
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="session")
def camera() -> dict:
    """The complete notebook's namespace after steps 1 to 5 on camera.png, with the real
    MobileNetV2 and the default parameters. Needs the ImageNet weights (see README.md)."""
    namespace = run_cells({}, *SETUP_CELLS, *STEP_CELLS)
    plt.close("all")
    return namespace
