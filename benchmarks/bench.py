"""How fast is Grokking LIME, and what does it cost besides the model?

Runs the complete notebook's own code (its cells, looked up by id as the tests do)
on camera.png and measures, side by side in one run:

- each LIME step, and MobileNetV2 alone on the same perturbed images;
- the `lime` package (same model, same number of samples, its fastest batch size)
  and VisuaLIME's `explain_classification` (same model, same number of samples);
- the process's peak memory after explaining camera.png once, TensorFlow included;
- the stopping rule (the notebook's "Going further") on camera.png and on six photos that
  scikit-image ships, ten seeds each: model calls against the notebook's fixed default, and
  how often two seeds contradict each other (a segment settled into the top five under one
  seed and settled out of it under another).

Times are medians over --repeats rounds. Each round runs ours end to end (the time of
each step), then ours against the model alone batch by batch (the overhead ratio; on a
shared machine the model's speed drifts by several percent from one minute to the next,
see Notebook.paired), then lime and VisuaLIME. It prints a table, then as its last line one
JSON object.

    .venv/bin/python benchmarks/bench.py              # N = 1000 samples, 5 rounds
    .venv/bin/python benchmarks/bench.py --repeats 9
    .venv/bin/python benchmarks/bench.py --only-uncertainty   # the stopping rule alone

It needs MobileNetV2's weights in the Keras cache, as the notebook does (see README.md).
"""

import argparse
import ast
import contextlib
import io
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import REPO  # first: it quiets TensorFlow and puts tests/ on the path
import numpy as np
from faithfulness import Photo
from notebook_cells import SETUP_CELLS, STEP_CELLS, cell_source, read_notebook, run_cells


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# Photos for the stopping rule, chosen by kind before anything was measured: a person, an
# animal, an object, two vehicles and a greyscale object, all shipped with scikit-image.
PHOTOS = {
    "astronaut (person)": lambda data: data.astronaut(),
    "chelsea (animal)": lambda data: data.chelsea(),
    "coffee (object)": lambda data: data.coffee(),
    "rocket (vehicle, scene)": lambda data: data.rocket(),
    "motorcycle (vehicle)": lambda data: data.stereo_motorcycle()[0],
    "clock (object, greyscale)": lambda data: data.clock(),
}


def photo_namespace(model, path: str) -> dict:
    """The notebook's namespace for the photo at `path` (the faithfulness benchmark's Photo: its
    functions defined, the model already loaded, its own explanation run on a handful of samples),
    with the uncertainty cells and the stopping rule defined too."""
    ns = Photo(model, path).ns
    run_cells(ns, "step5-result", "step6", "uncertainty", "settled", "adaptive")
    return ns


def stopping_rule(model, seeds: int, cap: int) -> dict:
    """The notebook's explain_adaptively on camera.png and PHOTOS, `seeds` seeds each, `cap` samples at most."""
    from PIL import Image
    from skimage import data

    per_photo = {}
    with tempfile.TemporaryDirectory() as folder:
        paths = {"camera.png": str(REPO / "camera.png")}
        for name, make in PHOTOS.items():
            paths[name] = str(Path(folder) / f"{name.split()[0]}.png")
            Image.fromarray(make(data)).save(paths[name])
        for name, path in paths.items():
            with contextlib.redirect_stdout(io.StringIO()):
                ns = photo_namespace(model, path)
            runs = []
            for seed in range(seeds):
                ns["seed"] = seed  # the rule's bootstrap draws from it
                rng = np.random.default_rng(seed)
                samples = ns["generate_samples"](ns["num_segments"], cap, rng)
                calls, weights, intervals = ns["explain_adaptively"](samples, rng.choice(ns["grey_levels"], cap))
                settled, tied, rivals = ns["settled_and_tied"](weights, intervals, ns["top_k"])
                top = np.argsort(weights)[::-1][: ns["top_k"]]
                settled_out = {s for s in range(len(weights)) if intervals[s, 1] < intervals[top, 0].min()}
                runs.append({"calls": calls, "settled": settled, "tied": tied, "settled_out": settled_out,
                             "top5": sorted(top.tolist())})
            settled_in = set().union(*(set(run["settled"]) for run in runs))
            settled_out = set().union(*(run["settled_out"] for run in runs))
            per_photo[name] = {
                "class": ns["class_name"],
                "segments": int(ns["num_segments"]),
                "runs": runs,
                "contradictions": sorted(settled_in & settled_out),
                "median_calls": statistics.median(run["calls"] for run in runs),
            }
    fractions = [run["calls"] / cap for photo in per_photo.values() for run in photo["runs"]]
    return {
        "per_photo": per_photo,
        "summary": {
            "images": len(per_photo),
            "seeds": seeds,
            "contradictions": sum(len(photo["contradictions"]) for photo in per_photo.values()),
            "median_call_fraction": round(statistics.median(fractions), 4),
        },
    }


def print_stopping_rule(rule: dict, cap: int) -> None:
    print(f"stopping rule (rounds of 100 samples; stop once the samples left are not expected to settle any more "
          f"of the top five), {rule['summary']['seeds']} seeds, at most {cap} samples:")
    print(f"  {'photo':28} {'class':18} {'segments':>8} {'median calls':>13} {'of ' + str(cap):>7} "
          f"{'settled (seed 0)':>18} {'contradictions':>15}")
    for name, photo in rule["per_photo"].items():
        print(f"  {name:28} {photo['class'][:18]:18} {photo['segments']:8d} {photo['median_calls']:13.0f} "
              f"{photo['median_calls'] / cap:7.0%} {str(photo['runs'][0]['settled']):>18} {len(photo['contradictions']):15d}")
    summary = rule["summary"]
    print(f"  all {summary['images']} photos: median call fraction {summary['median_call_fraction']:.0%}, "
          f"contradictions {summary['contradictions']}")


def top5(weights: np.ndarray) -> list:
    return sorted(np.argsort(weights)[::-1][:5].tolist())


class Notebook:
    """The complete notebook's namespace, with its step cells compiled once and its displays muted."""

    def __init__(self, num_samples: int):
        self.ns = run_cells({}, *SETUP_CELLS)
        self.ns["num_samples"] = num_samples
        with contextlib.redirect_stdout(io.StringIO()):
            run_cells(self.ns, *STEP_CELLS, "step5-result", "step6", "uncertainty", "settled", "adaptive")
        self.ns["show_segments"] = self.ns["show_images"] = self.ns["show_explanations"] = lambda *args, **kwargs: None  # not timed: no figures
        notebook = read_notebook()
        self.code = {cell: compile(cell_source(cell, notebook), f"<cell {cell}>", "exec") for cell in ("step1", "step6")}
        self.model = self.ns["model"]
        self.generate_images = self.ns["generate_images"]

    def run_cell(self, cell: str) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(self.code[cell], self.ns)

    def explain(self, num_samples: int, seed: int, model=None) -> dict:
        """Steps 1 to 6 as the notebook runs them, with `model` (default: MobileNetV2) as the
        black box; the time of each step, and the segment weights."""
        ns, times, model = self.ns, {"generate": 0.0, "model": 0.0}, model or self.model

        def timed_generate_images(*args):
            start = time.perf_counter()
            images = self.generate_images(*args)
            times["generate"] += time.perf_counter() - start
            return images

        class TimedModel:
            def predict_on_batch(_, batch):
                start = time.perf_counter()
                probabilities = model.predict_on_batch(batch)
                times["model"] += time.perf_counter() - start
                return probabilities

        ns["generate_images"], ns["model"] = timed_generate_images, TimedModel()
        try:
            start = time.perf_counter()
            self.run_cell("step1")
            times["segment"] = time.perf_counter() - start

            mark = time.perf_counter()
            samples = ns["generate_samples"](ns["num_segments"], num_samples, np.random.default_rng(seed))
            times["sample"] = time.perf_counter() - mark

            mark = time.perf_counter()
            predictions = ns["predict_samples"](samples, np.random.default_rng(seed).choice(ns["grey_levels"], len(samples)))
            times["predict"] = time.perf_counter() - mark

            mark = time.perf_counter()
            sample_weights = ns["exponential_kernel"](ns["compute_distances"](samples), ns["kernel_width"])
            surrogate = ns["fit_surrogate"](samples, predictions[:, ns["label_idx"]], sample_weights)
            ns["segment_weights"] = surrogate.coef_
            times["fit"] = time.perf_counter() - mark
            times["total"] = time.perf_counter() - start

            mark = time.perf_counter()
            self.run_cell("step6")
            times["render"] = time.perf_counter() - mark
        finally:
            ns["generate_images"], ns["model"] = self.generate_images, self.model
        return {"times": times, "samples": samples, "segment_weights": surrogate.coef_}

    def paired(self, num_samples: int, seed: int) -> dict:
        """Steps 1 to 5 against the model alone, with the machine's drift cancelled out.

        Every batch the notebook's predict_samples gives the model is classified a second
        time by the model alone, right after, on the same images. The time of those second
        calls is the model alone; the rest of the run is ours. Both sides see the same
        moments of a noisy machine. The second call always comes after ours: the thread
        that paints the next batch starts with ours and is nearly always done long before
        it ends, so what painting costs the model counts against ours.
        """
        model, alone = self.model, []

        class PairedModel:
            def predict_on_batch(_, batch):
                probabilities = model.predict_on_batch(batch)
                mark = time.perf_counter()
                model.predict_on_batch(batch)
                alone.append(time.perf_counter() - mark)
                return probabilities

        steps_1_to_5 = self.explain(num_samples, seed, model=PairedModel())["times"]["total"]
        return {"total": steps_1_to_5 - sum(alone), "model": sum(alone)}

    def segmentation_fn(self, _image: np.ndarray) -> np.ndarray:
        """The notebook's step 1, for lime to call."""
        self.run_cell("step1")
        return self.ns["segment_mask"]

    def classifier_fn(self, images, batch_size: int) -> np.ndarray:
        """MobileNetV2 on raw images, in batches: what lime and VisuaLIME call."""
        images = np.asarray(images)
        preprocess_input = self.ns["preprocess_input"]
        return np.concatenate([
            self.model.predict_on_batch(preprocess_input(images[start:start + batch_size].astype(np.float32)))
            for start in range(0, len(images), batch_size)
        ])


def run_lime(notebook: Notebook, num_samples: int, batch_size: int) -> float:
    from lime.lime_image import LimeImageExplainer

    ns = notebook.ns
    start = time.perf_counter()
    LimeImageExplainer(kernel_width=ns["kernel_width"], random_state=ns["seed"]).explain_instance(
        ns["image"], lambda images: notebook.classifier_fn(images, batch_size),
        labels=(ns["label_idx"],), top_labels=None, hide_color=128,  # lime hides with one colour
        num_samples=num_samples, num_features=ns["num_segments"], batch_size=batch_size,
        segmentation_fn=notebook.segmentation_fn,
    )
    return time.perf_counter() - start


def notebook_slic_settings() -> dict:
    """The keyword arguments of step 1's call to slic, read from the notebook's cell, so that
    VisuaLIME cuts the same segments as the notebook whatever step 1 asks for."""
    calls = [node for node in ast.walk(ast.parse(cell_source("step1")))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "slic"]
    return {keyword.arg: ast.literal_eval(keyword.value) for keyword in calls[0].keywords}


def run_visualime(notebook: Notebook, num_samples: int, batch_size: int) -> float:
    from visualime.explain import explain_classification

    ns = notebook.ns
    settings = notebook_slic_settings()
    start = time.perf_counter()
    explain_classification(
        ns["image"], lambda images: notebook.classifier_fn(images, batch_size), label_idx=ns["label_idx"],
        segmentation_method="slic", segmentation_settings=settings,
        num_of_samples=num_samples,
    )
    return time.perf_counter() - start


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    import keras
    import tensorflow

    return (f"{cpu}, {os.cpu_count()} CPUs, {platform.system()}; Python {platform.python_version()}, "
            f"TensorFlow {tensorflow.__version__}, Keras {keras.__version__}, numpy {np.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=1000, help="samples per explanation (default 1000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed rounds; the table shows medians (default 5)")
    parser.add_argument("--seeds", type=int, default=10, help="seeds per photo for the stopping rule (default 10)")
    parser.add_argument("--only-uncertainty", action="store_true", help="measure the stopping rule alone")
    args = parser.parse_args()
    n = args.samples
    cap = run_cells({}, "parameters")["num_samples"]  # the notebook's fixed default

    if args.only_uncertainty:
        with contextlib.redirect_stdout(io.StringIO()):
            model = run_cells({}, "imports", "load-model")["model"]
        rule = stopping_rule(model, args.seeds, cap)
        print_stopping_rule(rule, cap)
        print(json.dumps({"uncertainty": rule["summary"]}))
        return

    with contextlib.redirect_stdout(io.StringIO()):  # the notebook's own printing
        notebook = Notebook(n)  # runs the notebook once at n samples: the warm-up
    ns = notebook.ns
    seed, batch_size = ns["seed"], ns["batch_size"]
    peak_ours = peak_rss_mb()  # before anything but the notebook has run

    # lime's fastest batch size, on a quarter of the samples
    lime_batches = {size: run_lime(notebook, max(n // 4, 64), size) for size in (8, 10, 16, 32, 64, 100)}
    lime_batch_size = min(lime_batches, key=lime_batches.get)
    run_visualime(notebook, 64, lime_batch_size)  # warm-up

    rounds = {"model": [], "ours": [], "ours_end_to_end": [], "lime": [], "visualime": []}
    steps = []
    for _ in range(args.repeats):
        ours = notebook.explain(n, seed)  # end to end, step by step
        rounds["ours_end_to_end"].append(ours["times"]["total"])
        steps.append(ours["times"])
        paired = notebook.paired(n, seed)
        rounds["ours"].append(paired["total"])
        rounds["model"].append(paired["model"])
        rounds["lime"].append(run_lime(notebook, n, lime_batch_size))
        rounds["visualime"].append(run_visualime(notebook, n, lime_batch_size))
    median = {name: statistics.median(values) for name, values in rounds.items()}
    step = {name: statistics.median(times[name] for times in steps) for name in steps[0]}

    # the stopping rule: on camera.png and the other photos, against the notebook's fixed default
    rule = stopping_rule(notebook.model, args.seeds, cap)
    camera_runs = rule["per_photo"]["camera.png"]["runs"]
    fixed_top5 = top5(notebook.explain(cap, seed)["segment_weights"])
    adaptive_calls, adaptive_top5 = camera_runs[seed]["calls"], camera_runs[seed]["top5"]

    model_s, total_s = median["model"], median["ours"]
    round_ratios = [ours_s / alone_s for ours_s, alone_s in zip(rounds["ours"], rounds["model"])]
    result = {
        "n_samples": n,
        "batch_size": batch_size,
        "repeats": args.repeats,
        "model_s": round(model_s, 3),
        "total_s": round(total_s, 3),
        "overhead_ratio": round(total_s / model_s, 4),
        "overhead_ratio_per_round": [round(ratio, 4) for ratio in round_ratios],
        "total_end_to_end_s": round(median["ours_end_to_end"], 3),
        "lime_s": round(median["lime"], 3),
        "lime_batch_size": lime_batch_size,
        "ratio_vs_lime": round(total_s / median["lime"], 4),
        "visualime_s": round(median["visualime"], 3),
        "ratio_vs_visualime": round(total_s / median["visualime"], 4),
        "peak_rss_mb": round(peak_ours),
        "adaptive_calls": adaptive_calls,
        "fixed_calls": cap,
        "adaptive_top5": adaptive_top5,
        "fixed_top5": fixed_top5,
        "adaptive_top5_equal": adaptive_top5 == fixed_top5,
        "adaptive_agreement": f"{sum(set(run['settled']) <= set(fixed_top5) for run in camera_runs)}/{len(camera_runs)}",
        "uncertainty": rule["summary"],
        "steps_s": {name: round(value, 4) for name, value in step.items()},
    }

    print(f"Grokking LIME benchmark: camera.png, N = {n} samples, batch size {batch_size}, medians of {args.repeats} rounds")
    print(f"machine: {machine()}")
    print()
    print(f"{'our LIME end to end, step by step':44} {'seconds':>8} {'share':>15}")
    waiting = step["predict"] - step["model"]
    for label, seconds in [
        ("1 segment (SLIC)", step["segment"]),
        ("2 sample on/off vectors", step["sample"]),
        ("4 predict: MobileNetV2's calls", step["model"]),
        ("4 predict: waiting for images, concatenating", waiting),
        ("5 distances, kernel, surrogate fit", step["fit"]),
    ]:
        print(f"{label:44} {seconds:8.3f} {seconds / step['total']:15.2%}")
    print(f"{'total, steps 1 to 5':44} {step['total']:8.3f} {1:15.2%}")
    print(f"3 generating the perturbed images took {step['generate']:.3f} s of work, in a second thread while the model ran")
    print(f"6 rendering took {step['render']:.3f} s, not in the total: lime and VisuaLIME return weights, not pictures")
    print()
    print(f"{'side by side, same model, N = ' + str(n):44} {'seconds':>8} {'/ model alone':>15} {'ours / it':>10}")
    print("(ours and the model alone compared batch by batch, so that the machine's drift cancels out)")
    print(f"{'MobileNetV2 alone, same images and batches':44} {model_s:8.3f} {1:15.3f} {total_s / model_s:10.3f}")
    print(f"{'Grokking LIME (this notebook)':44} {total_s:8.3f} {total_s / model_s:15.3f} {1:10.3f}")
    print(f"{'  (round by round)':44} {'':8} {min(round_ratios):7.3f} to {max(round_ratios):.3f}")
    print(f"{f'lime 0.2.0.1, batch size {lime_batch_size} (its fastest)':44} {median['lime']:8.3f} "
          f"{median['lime'] / model_s:15.3f} {total_s / median['lime']:10.3f}")
    print(f"{'VisuaLIME 0.1.0 explain_classification':44} {median['visualime']:8.3f} "
          f"{median['visualime'] / model_s:15.3f} {total_s / median['visualime']:10.3f}")
    print()
    print(f"peak memory (RSS) after explaining camera.png once, TensorFlow included: {peak_ours:.0f} MB")
    print()
    print_stopping_rule(rule, cap)
    print(f"  camera.png, seed {seed}: {adaptive_calls} model calls against {cap}; top-5 {adaptive_top5}, "
          f"fixed N = {cap}: {fixed_top5}; settled segments inside the fixed top-5 for "
          f"{result['adaptive_agreement']} seeds")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
