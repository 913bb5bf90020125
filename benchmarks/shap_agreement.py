"""Do the notebook's Shapley values agree with the shap package's, on photos other than camera.png?

The notebook's SHAP section reuses step 2's samples, which show each segment with chance 0.8,
and reweights them with the Shapley kernel. On camera.png its leading segment is shap's too
(tests/test_shap.py). This script asks the same on other photos: for each, it runs the
notebook's own cells (steps 1 to 6 and the SHAP section, at the notebook's defaults, its own
run of shap included), then asks the notebook's `explainer` again with more coalitions
(--coalitions, 8000 by default). It prints the correlation the notebook prints, the correlation
with the larger shap run, that one without shap's leading segment, and the three leading segments
of ours and of the larger run. The last line is one JSON object.

    .venv/bin/python benchmarks/shap_agreement.py      # a few minutes on 2 CPUs

It needs MobileNetV2's weights in the Keras cache, as the notebook does (see README.md).
"""

import argparse
import contextlib
import io
import json
import tempfile
from pathlib import Path

from common import REPO  # first: it quiets TensorFlow and puts tests/ on the path
import numpy as np
from faithfulness import load_model, photos
from notebook_cells import STEP_CELLS, run_cells

SHAP_CELLS = ("shap-kernel", "shap-weights", "shap-fit", "shap-compare")


def our_shapley_values(model, path: str) -> dict:
    """The notebook's namespace after its steps, its own Shapley values and its shap run, for the photo at `path`."""
    ns = {"__name__": "shap_agreement"}
    with contextlib.redirect_stdout(io.StringIO()):
        run_cells(ns, "imports", "display-helpers", "parameters")
        ns["image_path"], ns["model"] = path, model  # the model loaded once, for every photo
        ns["show_segments"] = ns["show_images"] = ns["show_explanations"] = lambda *args, **kwargs: None
        run_cells(ns, "load-image", "load", "predict-image", "label", "step1", *STEP_CELLS, "step6", *SHAP_CELLS)
    return ns


def shap_values(ns: dict, coalitions: int) -> np.ndarray:
    """The notebook's shap explainer (same segments, model and hiding), asked with `coalitions` coalitions."""
    np.random.seed(ns["seed"])  # shap draws its coalitions from numpy's global random generator
    return ns["explainer"].shap_values(np.ones((1, ns["num_segments"])), nsamples=coalitions, l1_reg=False, silent=True)[0]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coalitions", type=int, default=8000, help="shap's nsamples (default 8000)")
    parser.add_argument("--photos", default="camera,astronaut,chelsea,coffee,rocket",
                        help="camera and the first word of faithfulness.py's photo names, split by commas")
    args = parser.parse_args(argv)
    model = load_model()
    with tempfile.TemporaryDirectory() as folder:
        paths = {"camera (the notebook's photo)": str(REPO / "camera.png")}
        paths.update(photos(Path(folder)))
        chosen = {name: path for name, path in paths.items() if name.split()[0] in args.photos.split(",")}
        print(f"{'photo':32} {'segments':>8} {'notebook':>8} {'correlation':>11} {'without leader':>14}  "
              "top 3: ours / shap's")
        results = []
        for name, path in chosen.items():
            ns = our_shapley_values(model, path)
            ours = ns["shapley_values"]
            theirs = shap_values(ns, args.coalitions)
            leader = int(np.argmax(theirs))
            row = {
                "photo": name, "segments": int(ns["num_segments"]),
                "notebook_correlation": float(ns["shap_correlation"]),  # with the notebook's own shap run
                "correlation": float(np.corrcoef(ours, theirs)[0, 1]),
                "without_leader": float(np.corrcoef(np.delete(ours, leader), np.delete(theirs, leader))[0, 1]),
                "top3_ours": np.argsort(ours)[::-1][:3].tolist(), "top3_shap": np.argsort(theirs)[::-1][:3].tolist(),
            }
            results.append(row)
            print(f"{name[:32]:32} {row['segments']:8d} {row['notebook_correlation']:8.3f} {row['correlation']:11.3f} "
                  f"{row['without_leader']:14.3f}  "
                  f"{row['top3_ours']} / {row['top3_shap']}", flush=True)
    print(json.dumps({"coalitions": args.coalitions, "photos": results}))


if __name__ == "__main__":
    main()
