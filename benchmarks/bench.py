"""How fast is Grokking LIME, and what does it cost besides the model?

Runs the talk's own functions (chapters/talk.py, written from grokking-lime-complete.ipynb) on
camera.png and measures, side by side in one run:

- each LIME step, and MobileNetV2 alone on the same perturbed images;
- the `lime` package (same model, same segments, same number of samples, its fastest batch size)
  and VisuaLIME's `explain_classification` (same model, same SLIC settings, same number of samples);
- the process's peak memory after explaining camera.png once, TensorFlow included;
- the stopping rule of chapter 1 (`explain_adaptively`, cell `sure-adaptive` of
  chapters/01-how-sure.ipynb) on camera.png and five photos that scikit-image ships, several seeds
  each: its model calls against chapter 1's fixed 1000, for the top segment and for the top five, and
  how often two seeds contradict each other (a segment settled into the top under one seed and settled
  out of it under another).

Times are medians over --repeats rounds. In each round every batch the talk's predict_samples gives
the model is classified a second time by the model alone, right after, on the same images: those
second calls are "the model alone", and both sides see the same moments of a noisy machine. It
prints a table, then as its last line one JSON object.

    .venv/bin/python benchmarks/bench.py                      # N = 1000 samples, 5 rounds, 5 seeds
    .venv/bin/python benchmarks/bench.py --only-stopping-rule --seeds 5

It needs MobileNetV2's weights in the Keras cache, as the notebooks do (see README.md).
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
from notebook_cells import cell_source

sys.path[:0] = [str(REPO), str(REPO / "chapters")]
import talk  # noqa: E402  (the talk's functions)
from helpers import load_image  # noqa: E402

FIXED_SAMPLES = 1000  # chapter 1's parameters cell
TOP_KS = (1, 5)  # chapter 1 settles the top segment; the talk names five
# Photos for the stopping rule, chosen by kind before anything was measured: a person, an animal,
# an object, a vehicle and a greyscale object, all shipped with scikit-image (the fewest that make six with
# camera.png: each takes 5000 model calls).
PHOTOS = {
    "astronaut (person)": lambda data: data.astronaut(),
    "chelsea (animal)": lambda data: data.chelsea(),
    "coffee (object)": lambda data: data.coffee(),
    "rocket (vehicle, scene)": lambda data: data.rocket(),
    "clock (object, greyscale)": lambda data: data.clock(),
}


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def chapter_one_rule():
    """Chapter 1's explain_adaptively and its Replay, defined from their cells with the talk's functions
    at hand."""
    namespace = dict(vars(talk))
    for cell_id in ("sure-adaptive", "sure-replay"):
        exec(compile(cell_source(cell_id), f"<cell {cell_id}>", "exec"), namespace)
    return namespace["explain_adaptively"], namespace["Replay"]


def load(model, path: str) -> dict:
    """A photo as the talk loads it, its top class and its segments."""
    with contextlib.redirect_stdout(io.StringIO()):  # load_image says what it loaded
        image = load_image(path)
    probabilities = model.predict_on_batch(talk.preprocess_input(image[np.newaxis].astype(np.float32)))[0]
    return {"image": image, "label_idx": int(probabilities.argmax()), "segment_mask": talk.create_segments(image)}


def stopping_rule(model, seeds: int) -> dict:
    """explain_adaptively on camera.png and PHOTOS, `seeds` seeds each, at most FIXED_SAMPLES samples,
    for each top_k in TOP_KS. The model answers each seed's samples once; the rule, for each top_k, asks
    chapter 1's Replay of those answers, so that every top_k sees the same answers."""
    from PIL import Image
    from skimage import data

    (explain_adaptively, Replay), per_photo = chapter_one_rule(), {}
    with tempfile.TemporaryDirectory() as folder:
        paths = {"camera.png": str(REPO / "camera.png")}
        for name, make in PHOTOS.items():
            paths[name] = str(Path(folder) / f"{name.split()[0]}.png")
            Image.fromarray(make(data)).save(paths[name])
        for name, path in paths.items():
            photo = load(model, path)
            num_segments = photo["segment_mask"].max() + 1
            runs = {top_k: [] for top_k in TOP_KS}
            for seed in range(seeds):
                rng = np.random.default_rng(seed)
                samples = talk.generate_samples(num_segments, FIXED_SAMPLES, rng)
                hidden_levels = rng.choice(talk.grey_levels, size=FIXED_SAMPLES)
                answers = talk.predict_samples(model, photo["image"], photo["segment_mask"], samples, hidden_levels)
                for top_k in TOP_KS:
                    calls, weights, intervals = explain_adaptively(
                        Replay(answers), photo["image"], photo["segment_mask"], photo["label_idx"], samples,
                        hidden_levels, top_k=top_k, seed=seed)
                    settled, tied = talk.settled_and_tied(weights, intervals, top_k)
                    top = np.argsort(weights)[::-1][:top_k]
                    settled_out = {s for s in range(num_segments) if intervals[s, 1] < intervals[top, 0].min()}
                    runs[top_k].append({"calls": int(calls), "settled": settled, "settled_out": settled_out})
            per_photo[name] = {"class": talk.name_of_class(photo["label_idx"]), "segments": int(num_segments)}
            cells = []
            for top_k in TOP_KS:
                settled_in = set().union(*(set(run["settled"]) for run in runs[top_k]))
                settled_out = set().union(*(run["settled_out"] for run in runs[top_k]))
                per_photo[name][top_k] = {
                    "calls": [run["calls"] for run in runs[top_k]],
                    "settled_seed0": [int(s) for s in runs[top_k][0]["settled"]],
                    "contradictions": sorted(int(s) for s in settled_in & settled_out)}
                result = per_photo[name][top_k]
                cells.append(f"{statistics.median(result['calls']):8.0f} {str(result['settled_seed0']):>18} "
                             f"{len(result['contradictions']):5d}")
            print(f"  {name:26} {per_photo[name]['class'][:16]:16} {num_segments:4d}  " + "  ".join(cells), flush=True)
    summary = {"images": len(per_photo), "seeds": seeds, "max_samples": FIXED_SAMPLES}
    for top_k in TOP_KS:
        fractions = [calls / FIXED_SAMPLES for photo in per_photo.values() for calls in photo[top_k]["calls"]]
        summary[f"top_{top_k}"] = {
            "contradictions": sum(len(photo[top_k]["contradictions"]) for photo in per_photo.values()),
            "median_call_fraction": round(statistics.median(fractions), 4),
            "largest_call_fraction": round(max(fractions), 4)}
    return summary


def print_stopping_rule_header(seeds: int) -> None:
    print(f"stopping rule (chapter 1: rounds of 100 samples), {seeds} seeds, at most {FIXED_SAMPLES} samples;")
    print("per top_k: median model calls, the segments settled with seed 0, contradictions between seeds")
    print(f"  {'photo':26} {'class':16} {'segs':>4}  " + "  ".join(
        f"{'top ' + str(k) + ': calls':>8} {'settled (seed 0)':>18} {'contr':>5}" for k in TOP_KS))


def timed_explain(model, photo: dict, num_samples: int, seed: int) -> dict:
    """The talk's steps 1 to 5 on the photo, each timed; every batch is classified a second time by the
    model alone, right after, and that time is kept apart as "model_alone"."""
    times = {"model_alone": 0.0}

    class PairedModel:
        def predict_on_batch(self, batch):
            probabilities = model.predict_on_batch(batch)
            mark = time.perf_counter()
            model.predict_on_batch(batch)
            times["model_alone"] += time.perf_counter() - mark
            return probabilities

    image, label_idx = photo["image"], photo["label_idx"]
    start = time.perf_counter()
    segment_mask = talk.create_segments(image)
    times["segment"] = time.perf_counter() - start
    mark = time.perf_counter()
    rng = np.random.default_rng(seed)
    samples = talk.generate_samples(segment_mask.max() + 1, num_samples, rng)
    hidden_levels = rng.choice(talk.grey_levels, size=num_samples)
    times["sample"] = time.perf_counter() - mark
    mark = time.perf_counter()
    predictions = talk.predict_samples(PairedModel(), image, segment_mask, samples, hidden_levels)
    times["predict"] = time.perf_counter() - mark - times["model_alone"]
    mark = time.perf_counter()
    sample_weights = talk.exponential_kernel(talk.compute_distances(samples), talk.kernel_width)
    talk.fit_surrogate(samples, predictions[:, label_idx], sample_weights)
    times["fit"] = time.perf_counter() - mark
    times["total"] = times["segment"] + times["sample"] + times["predict"] + times["fit"]
    return times


def classifier_fn(model, images, batch_size: int) -> np.ndarray:
    """MobileNetV2 on raw images, in batches: what lime and VisuaLIME call."""
    images = np.asarray(images)
    return np.concatenate([model.predict_on_batch(talk.preprocess_input(images[start:start + batch_size].astype(np.float32)))
                           for start in range(0, len(images), batch_size)])


def run_lime(model, photo: dict, num_samples: int, batch_size: int) -> float:
    from lime.lime_image import LimeImageExplainer

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        LimeImageExplainer(kernel_width=talk.kernel_width, random_state=0).explain_instance(
            photo["image"], lambda images: classifier_fn(model, images, batch_size),
            labels=(photo["label_idx"],), top_labels=None, hide_color=128, num_samples=num_samples,
            num_features=photo["segment_mask"].max() + 1, batch_size=batch_size,
            segmentation_fn=lambda image: talk.create_segments(image))
    return time.perf_counter() - start


def talk_slic_settings() -> dict:
    """The keyword arguments of the talk's call to slic (step 1's cell), so that VisuaLIME cuts the same
    segments whatever step 1 asks for."""
    calls = [node for node in ast.walk(ast.parse(cell_source("step1")))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "slic"]
    return {keyword.arg: ast.literal_eval(keyword.value) for keyword in calls[0].keywords}


def run_visualime(model, photo: dict, num_samples: int, batch_size: int) -> float:
    from visualime.explain import explain_classification

    start = time.perf_counter()
    explain_classification(photo["image"], lambda images: classifier_fn(model, images, batch_size),
                           label_idx=photo["label_idx"], segmentation_method="slic",
                           segmentation_settings=talk_slic_settings(),
                           num_of_samples=num_samples)
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
    parser.add_argument("--seeds", type=int, default=5, help="seeds per photo for the stopping rule (default 5)")
    parser.add_argument("--only-stopping-rule", action="store_true", help="measure the stopping rule alone")
    args = parser.parse_args()
    n = args.samples
    with contextlib.redirect_stdout(io.StringIO()):
        model = talk.load_model()
    print(f"machine: {machine()}")
    if args.only_stopping_rule:
        print_stopping_rule_header(args.seeds)
        print(json.dumps({"stopping_rule": stopping_rule(model, args.seeds)}))
        return

    camera = load(model, str(REPO / "camera.png"))
    timed_explain(model, camera, 64, 0)  # warm-up
    peak = peak_rss_mb()
    lime_batches = {size: run_lime(model, camera, max(n // 4, 64), size) for size in (8, 16, 32, 64, 100)}
    lime_batch_size = min(lime_batches, key=lime_batches.get)
    run_visualime(model, camera, 64, lime_batch_size)  # warm-up
    rounds = {"ours": [], "model_alone": [], "lime": [], "visualime": []}
    steps = []
    for _ in range(args.repeats):
        times = timed_explain(model, camera, n, 0)
        steps.append(times)
        rounds["ours"].append(times["total"])
        rounds["model_alone"].append(times["model_alone"])
        rounds["lime"].append(run_lime(model, camera, n, lime_batch_size))
        rounds["visualime"].append(run_visualime(model, camera, n, lime_batch_size))
    median = {name: statistics.median(values) for name, values in rounds.items()}
    step = {name: statistics.median(times[name] for times in steps) for name in steps[0]}
    overhead = [ours / alone for ours, alone in zip(rounds["ours"], rounds["model_alone"])]

    print(f"camera.png, N = {n} samples, batch size 8, medians of {args.repeats} rounds\n")
    print(f"{'our LIME, step by step':44} {'seconds':>8} {'share':>8}")
    for label, key in [("1 segment (SLIC)", "segment"), ("2 sample on/off vectors and greys", "sample"),
                       ("3+4 make the images and predict them", "predict"), ("5 distances, kernel, fit", "fit")]:
        print(f"{label:44} {step[key]:8.3f} {step[key] / step['total']:8.1%}")
    print(f"{'total, steps 1 to 5':44} {step['total']:8.3f}\n")
    print(f"{'side by side, same model, N = ' + str(n):44} {'seconds':>8} {'/ model alone':>14} {'ours / it':>10}")
    print(f"{'MobileNetV2 alone, same images and batches':44} {median['model_alone']:8.3f} {1:14.3f} "
          f"{median['ours'] / median['model_alone']:10.3f}")
    print(f"{'Grokking LIME (the talk)':44} {median['ours']:8.3f} {median['ours'] / median['model_alone']:14.3f} {1:10.3f}")
    print(f"{'  (round by round, ours / model alone)':44} {'':8} {min(overhead):6.3f} to {max(overhead):.3f}")
    for label, key in [(f"lime 0.2.0.1, batch size {lime_batch_size} (its fastest)", "lime"),
                       ("VisuaLIME 0.1.0 explain_classification", "visualime")]:
        print(f"{label:44} {median[key]:8.3f} {median[key] / median['model_alone']:14.3f} "
              f"{median['ours'] / median[key]:10.3f}")
    print(f"\npeak memory (RSS) after explaining camera.png once, TensorFlow included: {peak:.0f} MB\n")
    print_stopping_rule_header(args.seeds)
    rule = stopping_rule(model, args.seeds)
    for top_k in TOP_KS:
        result = rule[f"top_{top_k}"]
        print(f"  all {rule['images']} photos, top {top_k}: median call fraction {result['median_call_fraction']:.0%}, "
              f"largest {result['largest_call_fraction']:.0%}, contradictions {result['contradictions']}")
    print(json.dumps({
        "n_samples": n, "repeats": args.repeats, "model_alone_s": round(median["model_alone"], 3),
        "ours_s": round(median["ours"], 3), "overhead_ratio": round(median["ours"] / median["model_alone"], 4),
        "lime_s": round(median["lime"], 3), "lime_batch_size": lime_batch_size,
        "ratio_vs_lime": round(median["ours"] / median["lime"], 4), "visualime_s": round(median["visualime"], 3),
        "ratio_vs_visualime": round(median["ours"] / median["visualime"], 4), "peak_rss_mb": round(peak),
        "steps_s": {name: round(value, 4) for name, value in step.items()}, "stopping_rule": rule}))


if __name__ == "__main__":
    main()
