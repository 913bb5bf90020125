"""How faithful are the notebook's explanations, photo by photo, next to the `lime` package's?

Runs the complete notebook's own steps (its cells, looked up by id as the tests do) and
`lime`'s `LimeImageExplainer` at its defaults, with the same model and the same class, on
photos the notebook was never tuned on: photos that scikit-image, scikit-learn and
matplotlib ship, some of them saved as JPEG, greyscale, with a transparent background, as a
thumbnail or enlarged, so that they pass through the notebook's `load_image` as a reader's
photo would.

Each explanation is measured as RISE does (Petsiuk et al. 2018): hide its segments in its
order, from the most important down, and take the area under the class probability
(deletion, lower is better); or start from the photo with everything hidden and show them in
that order (insertion, higher is better). The x axis is the **fraction of pixels** hidden or
shown, so that explanations with different segmentations share one axis. Hidden pixels are
mid-grey (between two of the notebook's eight hiding greys) or black (a colour neither explanation
was fitted on). Ten random orders of the same segments give the context: an explanation whose order does
worse than random ones has failed.

Finer segments make both areas smaller, whatever the order: revealing many small pieces
hides the object longer than revealing a few large ones. So the script also runs the random
orders on `lime`'s segments, and reports, as context, ours ÷ lime's for random orders (what the
two segmentations alone give) and the ratio with that part taken out: ours ÷ lime's, each first
divided by its own random orders' area.

It prints a line per photo and, as its last line, one JSON object:
{"images": n, "ratio_to_lime": {"deletion_grey": {"median", "worst", "worse_on"}, ...},
 "worse_than_random": k}, where each ratio is ours ÷ lime's on one photo; worst is the largest
ratio for deletion and the smallest for insertion, and worse_on counts the photos where ours
is worse than lime's. "random_orders" and "over_random" summarise the two context ratios
above the same way. With --seeds 2 or more, "lime_reseeded" and "ours_reseeded" summarise each
explainer's areas with seed 1 ÷ its own with seed 0: how far a ratio moves with the samples
alone, the noise under every worst photo and "worse on" count.

    .venv/bin/python benchmarks/faithfulness.py            # the notebook's defaults against lime's
    .venv/bin/python benchmarks/faithfulness.py --seeds 3  # each explained with three seeds: mean areas compared
    .venv/bin/python benchmarks/faithfulness.py --sweep --settings "segments=slic100" "hiding=blur"
    .venv/bin/python benchmarks/faithfulness.py --table    # the sweep so far, as a markdown table
    .venv/bin/python benchmarks/faithfulness.py --sweep --held-out --settings "segments=slic150,hiding=blur"
    .venv/bin/python benchmarks/faithfulness.py --table --held-out  # ... on photos no setting was chosen on
    .venv/bin/python benchmarks/faithfulness.py --plot benchmarks/faithfulness-trade.png  # ... and as a picture

`--sweep` measures other settings on the same photos against lime's same explanations (cached
in benchmarks/faithfulness-lime.json): the segments (slic50, slic100, slic150, other SLIC
compactness or SLICO, merged neighbours, quickshift, felzenszwalb), the hiding (grey, mean, the photo's
mean colour, blur, black, eight flat greys, or several mixed across samples), how samples are drawn
(keep: the chance of showing a segment, "uniform" for a chance drawn anew for each sample, or
several chances mixed across samples), the number of samples (n), the
kernel width, ridge's alpha, a penalty that smooths the weights of touching segments, and what
the surrogate fits (the probability, its log or its log-odds); the comment above DEFAULTS lists
how to write each. It appends one JSON line per setting and photo to
benchmarks/faithfulness-sweep.jsonl and goes on where a stopped sweep left off; --table turns
the lines into the table of benchmarks/faithfulness-sweep.md, and --plot into the picture
benchmarks/faithfulness-trade.png. With --held-out, the sweep measures on twelve other photos
(held_out_photos), which no setting was chosen on, into benchmarks/faithfulness-sweep-held-out.jsonl. The sweep's samples are drawn by
its own code, not the notebook's, so its row for the notebook's settings differs from the main
run by sampling noise.

It needs MobileNetV2's weights in the Keras cache, as the notebook does (see README.md).
"""

import argparse
import contextlib
import io
import itertools
import json
import statistics
import tempfile
from pathlib import Path

from common import REPO  # first: it quiets TensorFlow and puts tests/ on the path
import matplotlib
import numpy as np
from notebook_cells import STEP_CELLS, run_cells

NOTEBOOK_NUM_SAMPLES = int(run_cells({}, "parameters")["num_samples"])  # the notebook's default
CURVE_POINTS = 48  # at most this many points per curve, evenly spread over the fraction of pixels
RANDOM_ORDERS = 10
METRICS = ("deletion_grey", "deletion_black", "insertion_grey", "insertion_black")


def save_photo(made: dict, folder: Path, name: str, picture, box=None, suffix=".png", **options) -> None:
    """Write `picture` (an array or a PIL image), cut to `box` if given, into `folder`; record its path in `made`."""
    from PIL import Image

    picture = picture if isinstance(picture, Image.Image) else Image.fromarray(picture)
    made[name] = str(folder / f"{name.split()[0]}{suffix}")
    (picture.crop(box) if box else picture).save(made[name], **options)


def photos(folder: Path) -> dict:
    """Write the benchmark's photos into `folder` as files; return {name: path}.

    Chosen by kind before anything was measured: people, animals, objects, vehicles, scenes;
    colour and greyscale; PNG and JPEG; transparent, small and large."""
    import sklearn.datasets
    from PIL import Image
    from skimage import data

    sample_data = Path(matplotlib.get_data_path()) / "sample_data"
    made = {}

    def save(name, picture, suffix=".png", **options):
        save_photo(made, folder, name, picture, None, suffix, **options)

    china, flower = sklearn.datasets.load_sample_images().images
    save("astronaut (person, colour)", data.astronaut())
    made["grace_hopper (person, JPEG)"] = str(sample_data / "grace_hopper.jpg")
    save("chelsea (animal, JPEG)", data.chelsea(), ".jpg", quality=85)
    save("coffee (object)", data.coffee())
    save("clock (object, greyscale)", data.clock())
    save("motorcycle (vehicle)", data.stereo_motorcycle()[0])
    save("rocket (vehicle, scene, large)", Image.fromarray(data.rocket()).resize((1280, 854)), ".jpg", quality=90)
    save("china (scene, JPEG)", china, ".jpg", quality=90)
    save("flower (plant, JPEG)", flower, ".jpg", quality=90)
    # a cut-out: the coffee cup on a transparent background (an ellipse around it kept)
    cup = Image.fromarray(data.coffee()).convert("RGBA")
    rows, columns = np.mgrid[: cup.height, : cup.width]
    inside = ((rows - 200) / 190) ** 2 + ((columns - 300) / 230) ** 2 <= 1
    cup.putalpha(Image.fromarray(np.uint8(255 * inside)))
    save("cup (object, transparent)", cup)
    save("astronaut_thumb (person, 64 px thumbnail)", Image.fromarray(data.astronaut()).resize((64, 64)))
    save("chelsea_grey (animal, greyscale)", Image.fromarray(data.chelsea()).convert("L"))
    return made


def held_out_photos(folder: Path) -> dict:
    """Photos kept out of choosing the settings, to measure a setting on photos it was not chosen on;
    written into `folder` like photos(). Chosen by kind before they were measured: close-ups cut
    from the benchmark's photos (a face, a helmet, a spoon, a wheel, an eye ...), which the model
    sees as new pictures with other classes, and photos of other kinds (a retina, the deep sky, a
    horse's silhouette in black and white)."""
    import sklearn.datasets
    from PIL import Image
    from skimage import data

    sample_data = Path(matplotlib.get_data_path()) / "sample_data"
    china = sklearn.datasets.load_sample_images().images[0]
    hopper = Image.open(sample_data / "grace_hopper.jpg")
    made = {}

    def save(name, picture, box=None, suffix=".png", **options):
        save_photo(made, folder, name, picture, box, suffix, **options)

    save("astronaut_face (person, close-up)", data.astronaut(), (120, 0, 360, 240))
    save("astronaut_shuttle (vehicle, model)", data.astronaut(), (380, 0, 512, 260))
    save("astronaut_helmet (object)", data.astronaut(), (300, 330, 512, 512))
    save("coffee_spoon (object, JPEG)", data.coffee(), (350, 150, 600, 400), ".jpg", quality=85)
    save("china_pagoda (building)", china, (80, 0, 400, 320))
    save("hopper_face (person, greyscale)", hopper.convert("L"), (100, 80, 420, 400))
    save("motorcycle_wheel (vehicle, part)", data.stereo_motorcycle()[0], (0, 200, 300, 500))
    save("rocket_tower (scene, night)", data.rocket(), (0, 0, 200, 427))
    save("chelsea_eye (animal, close-up, JPEG)", data.chelsea(), (230, 80, 400, 250), ".jpg", quality=70)
    save("retina (medical, JPEG)", data.retina(), None, ".jpg", quality=90)
    save("hubble (deep sky, JPEG)", data.hubble_deep_field(), None, ".jpg", quality=90)
    save("horse (silhouette, black and white)", Image.fromarray(data.horse()).convert("L"))
    return made


class Photo:
    """The notebook's namespace for one photo: its functions defined, the photo loaded and
    classified, its class chosen and its segments cut, with the model already loaded."""

    def __init__(self, model, path: str):
        with contextlib.redirect_stdout(io.StringIO()):
            ns = run_cells({}, "imports", "display-helpers", "parameters", "load-image")
            ns["image_path"], ns["model"], ns["num_samples"] = path, model, 16  # explain_notebook sets the real N
            ns["show_segments"] = ns["show_images"] = ns["show_explanations"] = lambda *args, **kwargs: None
            run_cells(ns, "load", "predict-image", "label", "step1", *STEP_CELLS)
        self.ns = ns
        self.image, self.label_idx = ns["image"], ns["label_idx"]
        self.preprocess = ns["preprocess_input"]

    def curve(self, segment_mask: np.ndarray, order: np.ndarray, hidden_level: int, deletion: bool):
        """The class probability as the segments in `order` are hidden (deletion) or shown
        (insertion), against the fraction of pixels hidden or shown: (fractions, probabilities).
        The notebook's own predict_samples makes and classifies the images."""
        sizes = np.bincount(segment_mask.ravel(), minlength=len(order)) / segment_mask.size
        reached = np.concatenate([[0], np.cumsum(sizes[order])])  # fraction changed after k segments
        reached[-1] = 1.0
        steps = np.unique(np.searchsorted(reached, np.linspace(0, 1, CURVE_POINTS), side="left"))
        steps = np.unique(np.concatenate([[0], steps, [len(order)]]))
        changed = np.argsort(order)[np.newaxis, :] < steps[:, np.newaxis]
        samples = (~changed if deletion else changed).astype(int)
        self.ns["segment_mask"] = segment_mask  # predict_samples paints the segments of this mask
        return reached[steps], self.ns["predict_samples"](samples, np.full(len(samples), hidden_level))[:, self.label_idx]

    def areas(self, segment_mask: np.ndarray, order: np.ndarray) -> dict:
        """The four areas of one order of segments."""
        result = {}
        for colour, value in [("grey", 128), ("black", 0)]:
            for deletion in (True, False):
                x, y = self.curve(segment_mask, order, value, deletion)
                result[f"{'deletion' if deletion else 'insertion'}_{colour}"] = float(np.trapezoid(y, x))
        return result

    def random_areas(self, segment_mask: np.ndarray, seed: int = 0) -> dict:
        """The mean of each area over RANDOM_ORDERS random orders of the segments."""
        count = segment_mask.max() + 1
        runs = [self.areas(segment_mask, np.random.default_rng(seed + i).permutation(count)) for i in range(RANDOM_ORDERS)]
        return {metric: float(np.mean([run[metric] for run in runs])) for metric in METRICS}


def explain_notebook(photo: Photo, num_samples: int, seed: int = 0):
    """The notebook's own explanation at its defaults: (segment_mask, segment_weights)."""
    ns = photo.ns
    ns["num_samples"], ns["seed"] = num_samples, seed
    with contextlib.redirect_stdout(io.StringIO()):
        run_cells(ns, "step1", *STEP_CELLS)
    return ns["segment_mask"], ns["segment_weights"]


def explain_lime(photo: Photo, seed: int = 0):
    """lime's LimeImageExplainer at its defaults, for the same model and class: (segment_mask, weights)."""
    from lime.lime_image import LimeImageExplainer

    model = photo.ns["model"]
    explainer = LimeImageExplainer(random_state=seed)
    with contextlib.redirect_stdout(io.StringIO()):
        explanation = explainer.explain_instance(
            photo.image, lambda images: model.predict_on_batch(photo.preprocess(np.array(images, dtype=np.float32))),
            random_seed=seed,
        )
    weights = np.zeros(explanation.segments.max() + 1)
    if photo.label_idx not in explanation.local_exp:  # lime explains its five top classes; ours is the top one
        raise RuntimeError(f"lime did not explain class {photo.label_idx}")
    for segment, weight in explanation.local_exp[photo.label_idx]:
        weights[segment] = weight
    return explanation.segments, weights


def ratios(ours: dict, lime: dict) -> dict:
    return {metric: ours[metric] / lime[metric] for metric in METRICS}


def summarise(per_photo: list, key: str = "ratio", digits: int | None = 3) -> dict:
    """Median, worst and how many photos worse, of ours ÷ lime's (or of another ratio, `key`), for each metric;
    digits=None leaves median and worst unrounded."""
    summary = {}
    for metric in METRICS:
        values = [photo[key][metric] for photo in per_photo]
        deletion = metric.startswith("deletion")
        median, worst = statistics.median(values), max(values) if deletion else min(values)
        summary[metric] = {
            "median": median if digits is None else round(median, digits),
            "worst": worst if digits is None else round(worst, digits),
            "worse_on": sum(value > 1 if deletion else value < 1 for value in values),
        }
    return summary


def worse_than_random(areas: dict, random: dict) -> list:
    """The metrics on which an order does worse than the mean of random orders."""
    return [metric for metric in METRICS
            if (areas[metric] > random[metric] if metric.startswith("deletion") else areas[metric] < random[metric])]


# --- the settings sweep -------------------------------------------------------------------
# A setting is written as key=value pairs; anything not named keeps the notebook's defaults from
# before the sweep (SLIC with n_segments=50, grey, a fair coin), the sweep's starting point:
# segments (slic50, slic100, slic150; slic150c30 for compactness 30, slic150zero for SLICO,
# slic150rag20 for touching segments merged below a colour difference of 20; quickshift,
# felzenszwalb), hiding (grey, mean, photomean: the whole photo's mean colour, blur,
# black, or several joined by "+": each sample then hides with one of them, drawn at random; levels8:
# one of 8 flat greys evenly spread from 16 to 239, none of them the checks' black or mid-grey), keep
# (the chance that a sample shows a segment; "uniform", or several joined by "+": each sample draws
# its chance from 0 to 1, or one of those named), n (samples), width (the kernel width),
# alpha (ridge's penalty), smooth (a penalty that pulls touching segments' weights together; 0: plain
# ridge), target (what the surrogate fits: p, the class probability; log; or logit) and order
# (how the check orders the segments: weights; grow, grow1, grow0.5, see grown_order; or sure3 and
# the like, see sure_first_order). width,
# alpha, smooth, target and order may list several values, split by "/": they only refit the same
# samples, without new model calls. colour (default inf) scales smooth's pull between two touching
# segments by how alike their mean colours are: exp(-d^2 / (2 colour^2)), d the distance between them
# in colour levels (0 to 255 for each of red, green and blue); see alike_touching. It may list values
# too. seed draws other samples (default 0), to see how far a row moves with them.
DEFAULTS = {"segments": "slic50", "hiding": "grey", "keep": "0.5", "n": "2000", "width": "0.25", "alpha": "1", "smooth": "0", "target": "p",
            "order": "weights", "colour": "inf", "seed": "0"}


def parse(setting: str) -> dict:
    values = dict(DEFAULTS, **dict(pair.split("=") for pair in setting.split(",") if pair))
    return values


def segment(image: np.ndarray, kind: str) -> np.ndarray:
    from skimage.segmentation import felzenszwalb, quickshift, slic

    if "rag" in kind:  # slic150rag20: SLIC's segments, touching ones merged where their mean colours differ by < 20
        from skimage import graph

        fine_kind, _, threshold = kind.partition("rag")
        fine = segment(image, fine_kind)
        merged = graph.cut_threshold(fine, graph.rag_mean_color(image, fine), float(threshold), in_place=False)
        return np.unique(merged, return_inverse=True)[1].reshape(fine.shape)
    if kind.startswith("slic"):  # slic150, or slic150c3 for compactness 3 (default 10), or slic150zero for SLICO
        asked, _, compactness = kind[4:].removesuffix("zero").partition("c")
        return slic(image, n_segments=int(asked), compactness=float(compactness or 10), start_label=0,
                    slic_zero=kind.endswith("zero"))
    if kind == "quickshift":  # lime's default segmentation
        return quickshift(image, kernel_size=4, max_dist=200, ratio=0.2, rng=0)
    if kind == "felzenszwalb":
        return felzenszwalb(image, scale=200, sigma=0.8, min_size=100)
    raise ValueError(kind)


def hiding_image(image: np.ndarray, segment_mask: np.ndarray, kind: str) -> np.ndarray:
    """What hidden pixels show, as an image of the photo's shape (0..255)."""
    from skimage.filters import gaussian

    if kind in ("grey", "black"):
        return np.full(image.shape, 128.0 if kind == "grey" else 0.0)
    if kind.startswith("level"):  # level48: flat grey of level 48 (hiding=levels8 in the sweep: 8 such greys)
        return np.full(image.shape, float(kind[5:]))
    if kind == "photomean":  # the whole photo's mean colour, flat
        return np.broadcast_to(image.reshape(-1, 3).mean(axis=0), image.shape).astype(float)
    if kind == "mean":  # each segment flat in its own mean colour, as lime does
        return segment_mean_colours(image, segment_mask)[segment_mask]
    if kind.startswith("blur"):  # a Gaussian blur of the photo, as SLICE does
        return gaussian(image.astype(float), sigma=float(kind[4:] or 10), channel_axis=-1, preserve_range=True)
    raise ValueError(kind)


def segment_mean_colours(image: np.ndarray, segment_mask: np.ndarray) -> np.ndarray:
    """Each segment's mean red, green and blue: an array of shape (segments, 3)."""
    pixels = np.bincount(segment_mask.ravel())
    sums = [np.bincount(segment_mask.ravel(), image[..., c].ravel().astype(float)) for c in range(3)]
    return np.stack(sums, axis=-1) / pixels[:, np.newaxis]


def hiding_kinds(hiding: str) -> list:
    """The hidings a setting's samples draw from: "blur+grey" gives ["blur", "grey"]; levels8 stands
    for 8 flat greys spread evenly over 0..255 (level16, level48, ..., level239), none of them 0 or 128."""
    kinds = []
    for kind in hiding.split("+"):
        greys = int(kind[6:]) if kind.startswith("levels") else 0
        kinds += [f"level{(k + 0.5) * 255 / greys:.0f}" for k in range(greys)] if greys else [kind]
    return kinds


def touching(segment_mask: np.ndarray) -> np.ndarray:
    """Which segments share a pixel edge: a symmetric boolean matrix, False on the diagonal."""
    count = segment_mask.max() + 1
    touches = np.zeros((count, count), bool)
    for left_or_top, right_or_below in [(segment_mask[:, :-1], segment_mask[:, 1:]), (segment_mask[:-1], segment_mask[1:])]:
        touches[left_or_top.ravel(), right_or_below.ravel()] = True
    touches |= touches.T
    np.fill_diagonal(touches, False)
    return touches


def alike_touching(image: np.ndarray, segment_mask: np.ndarray, touches: np.ndarray, colour: float) -> np.ndarray:
    """touching(), each pair weighted by how alike the two segments' mean colours are: exp(-d^2 / (2 colour^2)),
    d the distance between the mean colours; colour=inf weights every touching pair 1."""
    if np.isinf(colour):
        return touches.astype(float)
    means = segment_mean_colours(image, segment_mask)
    distances_squared = ((means[:, np.newaxis] - means[np.newaxis]) ** 2).sum(axis=-1)
    return touches * np.exp(-distances_squared / (2 * colour ** 2))


def centred(samples, targets, sample_weights):
    """Samples and targets minus their means weighted by sample_weights, as Ridge centres them before
    it fits with an intercept."""
    share = sample_weights / sample_weights.sum()
    return samples - share @ samples, targets - share @ targets


def graph_ridge(samples, targets, sample_weights, alpha: float, smooth: float, touches: np.ndarray) -> np.ndarray:
    """Ridge's weights with one more penalty, `smooth` times the sum of (w_j - w_k)^2 over touching
    segments j, k (times touches[j, k], if it holds weights rather than True and False): neighbours
    are pulled towards the same weight. Solved in closed form, after
    centring as Ridge does with an intercept; with smooth=0 it gives Ridge's coef_."""
    centred_samples, centred_targets = centred(samples, targets, sample_weights)
    laplacian = np.diag(touches.sum(axis=1)) - touches  # w.L.w is the sum of (w_j - w_k)^2 over touching pairs
    weighted = centred_samples.T * sample_weights
    return np.linalg.solve(weighted @ centred_samples + alpha * np.eye(len(laplacian)) + smooth * laplacian,
                           weighted @ centred_targets)


def grown_order(weights: np.ndarray, touches: np.ndarray, bonus: float) -> np.ndarray:
    """An order that grows a region, as XRAI does: start from the largest weight, then take the
    segment with the largest weight plus `bonus` (in standard deviations of the weights) if it
    touches the segments taken so far; bonus=inf takes only touching segments while there are any."""
    order = [int(np.argmax(weights))]
    taken = np.zeros(len(weights), bool)
    taken[order[0]] = True
    while len(order) < len(weights):
        frontier = touches[taken].any(axis=0) & ~taken
        if np.isinf(bonus):
            score = np.where(frontier, weights, -np.inf) if frontier.any() else weights.astype(float)
        else:
            score = weights + bonus * weights.std() * frontier
        score = np.where(taken, -np.inf, score)
        order.append(int(np.argmax(score)))
        taken[order[-1]] = True
    return np.array(order)


def standard_errors(samples, targets, sample_weights, alpha: float, weights: np.ndarray) -> np.ndarray:
    """How far each of ridge's weights would move between runs: the square root of the diagonal of
    the sandwich covariance (bread @ meat @ bread), which does not assume that every sample is as
    noisy as the others."""
    centred_samples, centred_targets = centred(samples, targets, sample_weights)
    residuals = centred_targets - centred_samples @ weights
    bread = np.linalg.inv((centred_samples.T * sample_weights) @ centred_samples + alpha * np.eye(samples.shape[1]))
    meat = (centred_samples.T * (sample_weights * residuals) ** 2) @ centred_samples
    return np.sqrt(np.diag(bread @ meat @ bread))


def sure_first_order(weights: np.ndarray, errors: np.ndarray, smoothed: np.ndarray, z: float) -> np.ndarray:
    """The segments whose weight lies more than z standard errors above 0 first, in the weights'
    order; then all the others, in the order of `smoothed`, the same fit's weights pulled towards
    those of touching segments (graph_ridge)."""
    sure = weights > z * errors
    return np.concatenate([np.flatnonzero(sure)[np.argsort(weights[sure])[::-1]],
                           np.flatnonzero(~sure)[np.argsort(smoothed[~sure])[::-1]]])


def fit_target(class_probabilities: np.ndarray, target: str) -> np.ndarray:
    """What the surrogate is fitted to: the probability (p), its log, or its log-odds (logit)."""
    if target == "p":
        return class_probabilities
    log_p, log_not_p = np.log(class_probabilities + 1e-6), np.log(1 - class_probabilities + 1e-6)  # 1e-6: no log(0)
    return {"log": log_p, "logit": log_p - log_not_p}[target]


def predict_hidden_by(ns: dict, samples: np.ndarray, picture: np.ndarray, batch_size: int = 32) -> np.ndarray:
    """The model's probabilities for `samples` of the photo in the notebook's namespace `ns`, each hidden
    segment showing the pixels of `picture` (an image of the photo's size, 0 to 255) there."""
    hidden_input = ns["preprocess_input"](picture.astype(np.float32))
    predictions = []
    for start in range(0, len(samples), batch_size):
        is_on = (samples[start:start + batch_size][:, ns["segment_mask"]] == 1)[..., np.newaxis]
        predictions.append(ns["model"].predict_on_batch(np.where(is_on, ns["model_input"], hidden_input)))
    return np.concatenate(predictions)


def read_cache(path: Path) -> dict:
    """A JSON cache next to the sweep's lines (lime's areas, random orders' areas); empty if not made yet."""
    return json.loads(path.read_text()) if path.exists() else {}


def sweep(model, paths: dict, settings: list, out: str) -> None:
    """Measure each setting on every photo; append one JSON line per setting, refit and photo to `out`."""
    from sklearn.linear_model import Ridge

    lime_cache = Path(out).with_name("faithfulness-lime.json")
    lime_areas = read_cache(lime_cache)
    done = set()
    if Path(out).exists():  # a sweep that was stopped goes on where it was
        done = {(row["asked"], row["photo"]) for row in map(json.loads, Path(out).read_text().splitlines())}
    with open(out, "a") as log:
        for name, path in paths.items():
            if all((setting, name) in done for setting in settings):
                continue
            photo = Photo(model, path)
            ns = photo.ns
            if name not in lime_areas:
                lime_mask, lime_weights = explain_lime(photo)
                lime_areas[name] = photo.areas(lime_mask, np.argsort(lime_weights)[::-1])
                lime_cache.write_text(json.dumps(lime_areas, indent=1))
            for setting in settings:
                if (setting, name) in done:
                    continue
                values = parse(setting)
                segment_mask = segment(photo.image, values["segments"])
                count = segment_mask.max() + 1
                rng = np.random.default_rng(int(values["seed"]))
                if values["keep"] == "uniform":  # each sample its own chance of showing a segment, from 0 to 1
                    keep = rng.random((int(values["n"]), 1))
                elif "+" in values["keep"]:  # 0.5+0.8: each sample one of the chances named, drawn at random
                    keep = rng.choice([float(chance) for chance in values["keep"].split("+")], size=(int(values["n"]), 1))
                else:
                    keep = float(values["keep"])
                samples = (rng.random((int(values["n"]), count)) < keep).astype(int)
                samples[0] = 1
                ns["segment_mask"] = segment_mask
                kinds = hiding_kinds(values["hiding"])  # several: each sample hides with one of them, drawn at random
                which = rng.integers(0, len(kinds), len(samples))
                class_probabilities = np.zeros(len(samples))
                for k, kind in enumerate(kinds):
                    rows, picture = which == k, hiding_image(photo.image, segment_mask, kind)
                    if np.all(picture == picture.flat[0]):  # one flat grey: the notebook's own predict_samples
                        with contextlib.redirect_stdout(io.StringIO()):
                            probabilities = ns["predict_samples"](samples[rows], np.full(rows.sum(), picture.flat[0]))
                    else:  # a picture (the blur, mean colours): the notebook paints flat greys only
                        probabilities = predict_hidden_by(ns, samples[rows], picture)
                    class_probabilities[rows] = probabilities[:, photo.label_idx]
                distances = ns["compute_distances"](samples)
                touches = touching(segment_mask)  # for smooth and grown orders
                for width, alpha, smooth, target, order, colour in itertools.product(
                        *(values[key].split("/") for key in ("width", "alpha", "smooth", "target", "order", "colour"))):
                    kernel_weights = ns["exponential_kernel"](distances, float(width))
                    targets = fit_target(class_probabilities, target)
                    if smooth == "0":
                        weights = Ridge(alpha=float(alpha)).fit(samples, targets, sample_weight=kernel_weights).coef_
                    else:
                        alike = alike_touching(photo.image, segment_mask, touches, float(colour))
                        weights = graph_ridge(samples, targets, kernel_weights, float(alpha), float(smooth), alike)
                    if order == "weights":
                        ranking = np.argsort(weights)[::-1]
                    elif order.startswith("sure"):  # sure3: the sure segments first, then the rest smoothed (smooth=1000)
                        errors = standard_errors(samples, targets, kernel_weights, float(alpha), weights)
                        smoothed = graph_ridge(samples, targets, kernel_weights, float(alpha), 1000.0, touches)
                        ranking = sure_first_order(weights, errors, smoothed, float(order[4:]))
                    else:  # grow (only touching segments), or grow1 (a bonus of 1 standard deviation for touching)
                        ranking = grown_order(weights, touches, float(order[4:] or "inf"))
                    areas = photo.areas(segment_mask, ranking)
                    single = dict(values, width=width, alpha=alpha, smooth=smooth, target=target, order=order, colour=colour)
                    for key in ("smooth", "target", "order", "colour", "seed"):  # named only when changed, as in rows from before they existed
                        if single[key] == DEFAULTS[key]:
                            del single[key]
                    row = {"setting": ",".join(f"{k}={v}" for k, v in single.items()), "asked": setting, "photo": name,
                           "segments": int(count), "areas": areas, "ratio": ratios(areas, lime_areas[name])}
                    log.write(json.dumps(row) + "\n")
                    log.flush()
                    print(f"{name[:30]:30} {row['setting']:70} "
                          + " ".join(f"{row['ratio'][m]:5.2f}" for m in METRICS), flush=True)


def random_orders_cache(jsonl: str) -> Path:
    """Where the mean areas of random orders are kept, next to the sweep's lines: {segments: {photo: areas}}."""
    return Path(jsonl).with_name("faithfulness-random.json")


def fill_random_orders(model, paths: dict, kinds: list, out: str) -> None:
    """The mean areas of RANDOM_ORDERS random orders of each photo's segments, for each kind of
    segments in `kinds`, into random_orders_cache(out): the yardstick of "worse than random"."""
    cache = random_orders_cache(out)
    areas = read_cache(cache)
    for name, path in paths.items():
        if all(name in areas.get(kind, {}) for kind in kinds):
            continue
        photo = Photo(model, path)
        for kind in kinds:
            if name not in areas.setdefault(kind, {}):
                with contextlib.redirect_stdout(io.StringIO()):
                    areas[kind][name] = photo.random_areas(segment(photo.image, kind))
                cache.write_text(json.dumps(areas, indent=1, sort_keys=True))
                print(f"{name:42} {kind:12} " + " ".join(f"{areas[kind][name][m]:.3f}" for m in METRICS), flush=True)


def rows_by_setting(jsonl: str, other_seeds: bool = True) -> dict:
    """The sweep's lines as {setting: {photo: row}}; the last run of a setting and photo counts.
    other_seeds=False leaves out the rows with seed=1 and the like, which repeat a setting."""
    by_setting = {}
    for row in (json.loads(line) for line in Path(jsonl).read_text().splitlines() if line.strip()):
        if other_seeds or "seed=" not in row["setting"]:
            by_setting.setdefault(row["setting"], {})[row["photo"]] = row
    return by_setting


def sweep_table(jsonl: str) -> str:
    """The sweep's lines as a markdown table: for each setting, ours ÷ lime's over the photos."""
    by_setting = rows_by_setting(jsonl)
    random = read_cache(random_orders_cache(jsonl))
    header = ("| setting | photos | segments (median) | "
              + " | ".join(f"{metric.replace('_', ' ')}: median, worst, worse on" for metric in METRICS)
              + " | worse than random orders on |")
    lines = [header, "|" + " --- |" * 3 + " ---: |" * (len(METRICS) + 1)]
    for setting, photos_done in by_setting.items():
        summary = summarise(list(photos_done.values()), digits=None)  # rounded once, by the format below
        changed = ", ".join(f"{k}={v}" for k, v in (pair.split("=") for pair in setting.split(",")) if DEFAULTS[k] != v)
        segments = statistics.median(row["segments"] for row in photos_done.values())
        yardstick = random.get(parse(setting)["segments"], {})  # the random orders of the same segments
        worse = "–"  # not measured for these segments
        if all(photo in yardstick for photo in photos_done):
            worse = sum(bool(worse_than_random(row["areas"], yardstick[photo])) for photo, row in photos_done.items())
        lines.append(f"| {changed or 'the old defaults'} | {len(photos_done)} | {segments:.0f} | "
                     + " | ".join(f"{s['median']:.2f}, {s['worst']:.2f}, {s['worse_on']}" for s in summary.values())
                     + f" | {worse} |")
    return "\n".join(lines)


def sweep_plot(jsonl: str, png: str) -> None:
    """The trade the sweep found, as a picture: for each setting measured on all the photos, the
    deletion median against the insertion median, one panel per hiding colour of the check, with
    the goals' corner and lime's point (1, 1). Rows with other samples (seed=1, ...) repeat a
    setting, and are left out."""
    import matplotlib.pyplot as plt

    by_setting = rows_by_setting(jsonl, other_seeds=False)
    complete = {setting: summarise(list(done.values())) for setting, done in by_setting.items()
                if len(done) == max(len(done) for done in by_setting.values())}
    named = {  # setting: its label, and where the label goes from the point (in points; a negative x: to the left)
        "segments=slic150,hiding=blur": ("the blur (before)", (7, -13)), "": ("the old defaults", (7, -13)),
        "segments=slic150": ("grey", (7, 4)), "segments=slic150,hiding=grey+black": ("grey+black", (7, 4)),
        "segments=slic150,hiding=blur,smooth=1000": ("blur, smooth=1000", (7, 4)),
        "segments=slic150c30,hiding=blur": ("rounder segments", (7, 4)),
        "segments=slic150,hiding=blur,order=sure4": ("blur, order=sure4", (-7, 4)),
        "segments=slic150,hiding=blur,smooth=1000,colour=10": ("blur, alike smoothed", (7, -19)),
        "segments=slic150,hiding=levels8": ("8 flat greys", {"grey": (-30, 40), "black": (-40, -12)}),
        "segments=slic150,hiding=levels8,keep=0.7": ("8 flat greys, keep=0.7", {"grey": (70, 75), "black": (110, -30)}),
        "segments=slic150,hiding=levels8,keep=0.8": ("8 flat greys, keep=0.8 (150 segments)", {"grey": (90, 45), "black": (15, 40)}),
        "segments=slic125,hiding=levels8,keep=0.8": ("8 flat greys, keep=0.8, 125 segments: the notebook now", {"grey": (2, 38), "black": (2, 37)}),
        "segments=slic150,hiding=photomean,keep=0.8": ("photo's mean colour, keep=0.8", {"grey": (85, 95), "black": (95, 60)}),
    }
    figure, axes = plt.subplots(1, 2, figsize=(10, 4.6), sharey=True, layout="constrained")
    for ax, colour in zip(axes, ("grey", "black")):
        ax.fill_between([0.2, 0.8], 1.1, 1.6, color="0.88", zorder=0, label="the goals (medians)")
        for setting, summary in complete.items():
            x, y = summary[f"deletion_{colour}"]["median"], summary[f"insertion_{colour}"]["median"]
            short = ",".join(pair for pair in setting.split(",") if pair.split("=")[1] != DEFAULTS[pair.split("=")[0]])
            label, offset = named.get(short, (None, None))
            offset = offset[colour] if isinstance(offset, dict) else offset  # one offset for both panels, or one each
            ax.scatter(x, y, s=60 if label else 18, marker="o" if label else ".",
                       color="black" if label and label.endswith("the notebook now") else "0.35", zorder=3)
            if label:
                ax.annotate(label, (x, y), xytext=offset, textcoords="offset points", fontsize=9,
                            ha="right" if offset[0] < 0 else "left",  # a label placed far off gets a line to its point
                            arrowprops=dict(arrowstyle="-", color="0.35", lw=0.6) if max(map(abs, offset)) > 20 else None)
        ax.scatter(1, 1, marker="s", s=60, color="white", edgecolor="black", zorder=3)
        ax.annotate("lime's defaults", (1, 1), xytext=(6, -12), textcoords="offset points", fontsize=9)
        ax.set(xlim=(0.2, 1.9), ylim=(0.6, 1.6), title=f"the check hides with {colour}",
               xlabel="deletion area ÷ lime's, median (lower is better)")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("insertion area ÷ lime's, median (higher is better)")
    axes[0].legend(loc="lower right", fontsize=9)
    figure.suptitle(f"Each point: one setting of the sweep, over {len(next(iter(by_setting.values())))} photos")
    figure.savefig(png, dpi=100)


def load_model():
    from keras.applications.mobilenet_v2 import MobileNetV2

    return MobileNetV2()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--num-samples", type=int, default=None, help="default: the notebook's num_samples")
    parser.add_argument("--seeds", type=int, default=1,
                        help="explain each photo with this many seeds, ours and lime's, and compare the mean areas (default 1)")
    parser.add_argument("--sweep", action="store_true", help="sweep the settings, one JSON line per setting and photo")
    parser.add_argument("--settings", nargs="*", default=[], help="for --sweep: settings such as segments=slic100,keep=0.8")
    parser.add_argument("--held-out", action="store_true",
                        help="measure on held_out_photos(), photos no setting was chosen on; with --sweep or --table, "
                             "the default --out is benchmarks/faithfulness-sweep-held-out.jsonl")
    parser.add_argument("--out", default=None, help="default: benchmarks/faithfulness-sweep.jsonl")
    parser.add_argument("--table", action="store_true", help="print the sweep's lines (--out) as a markdown table")
    parser.add_argument("--random-orders", nargs="+", metavar="SEGMENTS",
                        help="measure random orders of these segments (e.g. slic150) on every photo, for --table's "
                             "last column, into faithfulness-random.json next to --out")
    parser.add_argument("--plot", metavar="PNG", help="draw the sweep's settings measured on every photo (--out) into PNG")
    args = parser.parse_args(argv)
    args.out = args.out or str(REPO / "benchmarks" / f"faithfulness-sweep{'-held-out' if args.held_out else ''}.jsonl")
    if args.table:
        print(sweep_table(args.out))
        return
    if args.plot:
        sweep_plot(args.out, args.plot)
        return
    model = load_model()
    with tempfile.TemporaryDirectory() as folder:
        paths = (held_out_photos if args.held_out else photos)(Path(folder))
        if args.random_orders:
            fill_random_orders(model, paths, args.random_orders, args.out)
            return
        if args.sweep:
            sweep(model, paths, args.settings, args.out)
            return
        per_photo = []
        print(f"{'photo':42} {'class':18} {'p':>5} {'segs':>9}  "
              + "  ".join(f"{metric:>15}" for metric in METRICS) + "  worse than random")
        for name, path in paths.items():
            photo = Photo(model, path)
            num_samples = args.num_samples or NOTEBOOK_NUM_SAMPLES
            runs = {"ours": [], "lime": []}  # each seed's four areas
            for seed in range(args.seeds):
                our_mask, our_weights = explain_notebook(photo, num_samples, seed)
                lime_mask, lime_weights = explain_lime(photo, seed)
                runs["ours"].append(photo.areas(our_mask, np.argsort(our_weights)[::-1]))
                runs["lime"].append(photo.areas(lime_mask, np.argsort(lime_weights)[::-1]))
            ours, lime = ({m: float(np.mean([run[m] for run in runs[who]])) for m in METRICS} for who in ("ours", "lime"))
            random = photo.random_areas(our_mask)
            random_lime = photo.random_areas(lime_mask)  # the same random orders, on lime's segments
            row = {"photo": name, "class": photo.ns["class_name"],
                   "p": float(photo.ns["probabilities"][0, photo.label_idx]),
                   "segments": [int(our_mask.max() + 1), int(lime_mask.max() + 1)],
                   "ours": ours, "lime": lime, "random": random, "random_lime": random_lime,
                   "ratio": ratios(ours, lime), "random_orders": ratios(random, random_lime),
                   "worse_than_random": worse_than_random(ours, random)}
            row["over_random"] = {m: row["ratio"][m] / row["random_orders"][m] for m in METRICS}
            if args.seeds >= 2:  # how far each explainer is from itself with other samples: seed 1 ÷ seed 0
                row["lime_reseeded"] = ratios(runs["lime"][1], runs["lime"][0])
                row["ours_reseeded"] = ratios(runs["ours"][1], runs["ours"][0])
            per_photo.append(row)
            print(f"{name:42} {row['class'][:18]:18} {row['p']:5.2f} {row['segments'][0]:4d}/{row['segments'][1]:<4d} "
                  + "  ".join(f"{row['ratio'][m]:15.2f}" for m in METRICS)
                  + f"  {','.join(row['worse_than_random']) or '-'}", flush=True)
            print(f"{'   random orders, ours ÷ lime':42} {'':18} {'':5} {'':9}  "
                  + "  ".join(f"{row['random_orders'][m]:15.2f}" for m in METRICS), flush=True)
    print("ours ÷ lime's defaults (deletion: lower is better; insertion: higher is better)")
    keys = [("ratio", "our explanation"), ("random_orders", "random orders of each one's segments"),
            ("over_random", "our explanation, each first divided by its random orders")]
    if args.seeds >= 2:  # the noise in the ratios above: each explainer against itself with other samples
        keys += [("lime_reseeded", "lime's explanation with seed 1 ÷ lime's with seed 0"),
                 ("ours_reseeded", "our explanation with seed 1 ÷ ours with seed 0")]
    summaries = {key: summarise(per_photo, key) for key, _ in keys}
    for key, title in keys:
        if key == "lime_reseeded":
            print("each against itself, one seed against another (how far a ratio moves with the samples alone):")
        print(f" {title}:")
        for metric, values in summaries[key].items():
            print(f"  {metric:16} median {values['median']:.3f}  worst {values['worst']:.3f}  "
                  f"worse on {values['worse_on']} of {len(per_photo)}")
    print(json.dumps({"images": len(per_photo), "seeds": args.seeds, "ratio_to_lime": summaries["ratio"],
                      "worse_than_random": sum(bool(photo["worse_than_random"]) for photo in per_photo),
                      **{key: summaries[key] for key, _ in keys[1:]}}))


if __name__ == "__main__":
    main()
