"""How faithful are the talk's explanations, photo by photo, next to the `lime` package's?

Runs the talk's own functions (chapters/talk.py, written from grokking-lime-complete.ipynb) and
`lime`'s `LimeImageExplainer` at its defaults, with the same model and the same class, on photos
that scikit-image, scikit-learn and matplotlib ship, saved as files of several kinds (JPEG,
greyscale, transparent, tiny, large) so that they pass through `load_image` as a reader's photo
would. Three sets: `benchmark` (the photos the talk's settings were chosen on), `held-out` (photos
no setting was chosen on) and `new-kinds` (kinds added after the settings were chosen: a cut-out
on white, a thumbnail, greyscale close-ups, a 3:1 panorama, a 2560-pixel JPEG).

Each explanation is measured as RISE does (Petsiuk et al. 2018): hide its segments in its order,
from the most important down, and take the area under the class probability (deletion, lower is
better); or start with everything hidden and show them in that order (insertion, higher is
better). The x axis is the fraction of pixels hidden or shown, so that explanations with different
segments share one axis. Hidden pixels are mid-grey (128) or black (0). Ten random orders of the
talk's segments are the yardstick: an order that does worse than their mean has failed.

It prints a line per photo (ours ÷ lime's, each area the mean over the seeds) and, as its last
line, one JSON object: the median, the worst and the number of photos worse than lime's, for each
of the four areas; how many photos are worse than random orders; and, with --seeds 2 or more, the
same summary of each explainer's seed 1 ÷ its own seed 0 (how far a ratio moves with the samples
alone).

    .venv/bin/python benchmarks/faithfulness.py --seeds 3                   # the benchmark's photos
    .venv/bin/python benchmarks/faithfulness.py --seeds 3 --set held-out
    .venv/bin/python benchmarks/faithfulness.py --seeds 3 --set new-kinds

It needs MobileNetV2's weights in the Keras cache, as the notebooks do (see README.md).
"""

import argparse
import contextlib
import io
import json
import statistics
import sys
import tempfile
from pathlib import Path

from common import REPO  # first: it quiets TensorFlow
import matplotlib
import numpy as np

sys.path[:0] = [str(REPO), str(REPO / "chapters")]
import talk  # noqa: E402  (the talk's functions)
from helpers import load_image  # noqa: E402

CURVE_POINTS = 48  # at most this many points per curve, evenly spread over the fraction of pixels
RANDOM_ORDERS = 10
METRICS = ("deletion_grey", "deletion_black", "insertion_grey", "insertion_black")
TALK_NUM_SAMPLES = 2000  # the talk's parameters cell


def save(made: dict, folder: Path, name: str, picture, box=None, suffix=".png", **options) -> None:
    """Write `picture` (an array or a PIL image), cut to `box` if given, into `folder`; record its path."""
    from PIL import Image

    picture = picture if isinstance(picture, Image.Image) else Image.fromarray(picture)
    made[name] = str(folder / f"{name.split()[0]}{suffix}")
    (picture.crop(box) if box else picture).save(made[name], **options)


def cut_out_cup():
    """The coffee cup of scikit-image's coffee photo, an ellipse around it kept: (the ellipse, as a mask)."""
    from skimage import data

    rows, columns = np.mgrid[:400, :600]
    return data.coffee(), ((rows - 200) / 190) ** 2 + ((columns - 300) / 230) ** 2 <= 1


def photos(folder: Path) -> dict:
    """The benchmark's photos, written into `folder`: {name: path}. Chosen by kind before anything was
    measured: people, animals, objects, vehicles, scenes; colour and greyscale; PNG and JPEG."""
    import sklearn.datasets
    from PIL import Image
    from skimage import data

    made = {}
    china, flower = sklearn.datasets.load_sample_images().images
    save(made, folder, "astronaut (person, colour)", data.astronaut())
    made["grace_hopper (person, JPEG)"] = str(Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg")
    save(made, folder, "chelsea (animal, JPEG)", data.chelsea(), None, ".jpg", quality=85)
    save(made, folder, "coffee (object)", data.coffee())
    save(made, folder, "clock (object, greyscale)", data.clock())
    save(made, folder, "motorcycle (vehicle)", data.stereo_motorcycle()[0])
    save(made, folder, "rocket (vehicle, scene, large)", Image.fromarray(data.rocket()).resize((1280, 854)),
         None, ".jpg", quality=90)
    save(made, folder, "china (scene, JPEG)", china, None, ".jpg", quality=90)
    save(made, folder, "flower (plant, JPEG)", flower, None, ".jpg", quality=90)
    coffee, inside = cut_out_cup()
    cup = Image.fromarray(coffee).convert("RGBA")
    cup.putalpha(Image.fromarray(np.uint8(255 * inside)))
    save(made, folder, "cup (object, transparent)", cup)
    save(made, folder, "astronaut_thumb (person, 64 px thumbnail)", Image.fromarray(data.astronaut()).resize((64, 64)))
    save(made, folder, "chelsea_grey (animal, greyscale)", Image.fromarray(data.chelsea()).convert("L"))
    return made


def held_out_photos(folder: Path) -> dict:
    """Photos no setting was chosen on, written into `folder`: close-ups cut from the benchmark's photos,
    which the model sees as new pictures with other classes, and photos of other kinds."""
    import sklearn.datasets
    from PIL import Image
    from skimage import data

    made = {}
    china = sklearn.datasets.load_sample_images().images[0]
    hopper = Image.open(Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg")
    save(made, folder, "astronaut_face (person, close-up)", data.astronaut(), (120, 0, 360, 240))
    save(made, folder, "astronaut_shuttle (vehicle, model)", data.astronaut(), (380, 0, 512, 260))
    save(made, folder, "astronaut_helmet (object)", data.astronaut(), (300, 330, 512, 512))
    save(made, folder, "coffee_spoon (object, JPEG)", data.coffee(), (350, 150, 600, 400), ".jpg", quality=85)
    save(made, folder, "china_pagoda (building)", china, (80, 0, 400, 320))
    save(made, folder, "hopper_face (person, greyscale)", hopper.convert("L"), (100, 80, 420, 400))
    save(made, folder, "motorcycle_wheel (vehicle, part)", data.stereo_motorcycle()[0], (0, 200, 300, 500))
    save(made, folder, "rocket_tower (scene, night)", data.rocket(), (0, 0, 200, 427))
    save(made, folder, "chelsea_eye (animal, close-up, JPEG)", data.chelsea(), (230, 80, 400, 250), ".jpg", quality=70)
    save(made, folder, "retina (medical, JPEG)", data.retina(), None, ".jpg", quality=90)
    save(made, folder, "hubble (deep sky, JPEG)", data.hubble_deep_field(), None, ".jpg", quality=90)
    save(made, folder, "horse (silhouette, black and white)", Image.fromarray(data.horse()).convert("L"))
    return made


def new_kinds_photos(folder: Path) -> dict:
    """Kinds of photo added after the settings were chosen, written into `folder`: a cut-out object on
    white, a thumbnail, greyscale close-ups, a 3:1 panorama and a 2560-pixel JPEG."""
    import sklearn.datasets
    from PIL import Image
    from skimage import data

    made = {}
    coffee, inside = cut_out_cup()
    save(made, folder, "cup_white (object cut out on white)", np.where(inside[..., None], coffee, 255).astype(np.uint8))
    save(made, folder, "chelsea_thumb (animal, 64 px thumbnail)", Image.fromarray(data.chelsea()).resize((64, 48)))
    save(made, folder, "clock_face (object, greyscale close-up)", data.clock(), (80, 0, 340, 260))
    save(made, folder, "camera_face (person, greyscale close-up)", data.camera(), (150, 30, 350, 230))
    save(made, folder, "china_panorama (scene, 3:1)", sklearn.datasets.load_sample_images().images[0], (0, 150, 639, 363))
    save(made, folder, "astronaut_large (person, 2560 px JPEG)", Image.fromarray(data.astronaut()).resize((2560, 2560)),
         None, ".jpg", quality=90)
    return made


PHOTO_SETS = {"benchmark": photos, "held-out": held_out_photos, "new-kinds": new_kinds_photos}


class Photo:
    """One photo, loaded as the talk loads it, classified by the model and cut into the talk's segments."""

    def __init__(self, model, path: str):
        with contextlib.redirect_stdout(io.StringIO()):  # load_image says what it loaded
            self.image = load_image(path)
        self.model = model
        self.probabilities = model.predict_on_batch(talk.preprocess_input(self.image[np.newaxis].astype(np.float32)))[0]
        self.label_idx = int(self.probabilities.argmax())
        self.segment_mask = talk.create_segments(self.image)

    def curve(self, segment_mask: np.ndarray, order: np.ndarray, hidden_level: int, deletion: bool):
        """The class probability as the segments in `order` are hidden (deletion) or shown (insertion),
        against the fraction of pixels hidden or shown: (fractions, probabilities)."""
        sizes = np.bincount(segment_mask.ravel(), minlength=len(order)) / segment_mask.size
        reached = np.concatenate([[0], np.cumsum(sizes[order])])  # fraction changed after k segments
        reached[-1] = 1.0
        steps = np.unique(np.searchsorted(reached, np.linspace(0, 1, CURVE_POINTS), side="left"))
        steps = np.unique(np.concatenate([[0], steps, [len(order)]]))
        changed = np.argsort(order)[np.newaxis, :] < steps[:, np.newaxis]
        samples = (~changed if deletion else changed).astype(int)
        levels = np.full(len(samples), hidden_level)
        return reached[steps], talk.predict_samples(self.model, self.image, segment_mask, samples, levels)[:, self.label_idx]

    def areas(self, segment_mask: np.ndarray, order: np.ndarray) -> dict:
        """The four areas of one order of segments."""
        result = {}
        for colour, value in [("grey", 128), ("black", 0)]:
            for deletion in (True, False):
                x, y = self.curve(segment_mask, order, value, deletion)
                result[f"{'deletion' if deletion else 'insertion'}_{colour}"] = float(np.trapezoid(y, x))
        return result

    def random_areas(self, seed: int = 0) -> dict:
        """The mean of each area over RANDOM_ORDERS random orders of the talk's segments."""
        count = self.segment_mask.max() + 1
        runs = [self.areas(self.segment_mask, np.random.default_rng(seed + i).permutation(count))
                for i in range(RANDOM_ORDERS)]
        return {metric: float(np.mean([run[metric] for run in runs])) for metric in METRICS}

    def explain_talk(self, num_samples: int, seed: int) -> np.ndarray:
        """The talk's segment weights (its explain(): steps 2 to 5)."""
        return talk.explain(self.model, self.image, self.segment_mask, self.label_idx, num_samples, seed)[-1]

    def explain_lime(self, seed: int):
        """lime's LimeImageExplainer at its defaults, for the same model and class: (segment_mask, weights)."""
        from lime.lime_image import LimeImageExplainer

        def classifier_fn(images):
            return self.model.predict_on_batch(talk.preprocess_input(np.array(images, dtype=np.float32)))

        with contextlib.redirect_stdout(io.StringIO()):
            explanation = LimeImageExplainer(random_state=seed).explain_instance(
                self.image, classifier_fn, random_seed=seed)
        if self.label_idx not in explanation.local_exp:  # lime explains its five top classes; ours is the top one
            raise RuntimeError(f"lime did not explain class {self.label_idx}")
        weights = np.zeros(explanation.segments.max() + 1)
        for segment, weight in explanation.local_exp[self.label_idx]:
            weights[segment] = weight
        return explanation.segments, weights


def ratios(ours: dict, lime: dict) -> dict:
    return {metric: ours[metric] / lime[metric] for metric in METRICS}


def summarise(per_photo: list, key: str = "ratio") -> dict:
    """Median, worst and how many photos worse than 1, of one ratio, for each metric (deletion: worse is
    larger; insertion: worse is smaller)."""
    summary = {}
    for metric in METRICS:
        values = [photo[key][metric] for photo in per_photo]
        deletion = metric.startswith("deletion")
        summary[metric] = {
            "median": round(statistics.median(values), 3),
            "worst": round(max(values) if deletion else min(values), 3),
            "worse_on": sum(value > 1 if deletion else value < 1 for value in values),
        }
    return summary


def worse_than_random(areas: dict, random: dict) -> list:
    """The metrics on which an order does worse than the mean of random orders."""
    return [metric for metric in METRICS
            if (areas[metric] > random[metric] if metric.startswith("deletion") else areas[metric] < random[metric])]


def measure(model, path: str, num_samples: int, seeds: int) -> dict:
    """One photo: the talk's and lime's mean areas over the seeds, the random orders, and their ratios."""
    photo = Photo(model, path)
    runs = {"ours": [], "lime": []}
    for seed in range(seeds):
        runs["ours"].append(photo.areas(photo.segment_mask, np.argsort(photo.explain_talk(num_samples, seed))[::-1]))
        lime_mask, lime_weights = photo.explain_lime(seed)
        runs["lime"].append(photo.areas(lime_mask, np.argsort(lime_weights)[::-1]))
    ours, lime = ({m: float(np.mean([run[m] for run in runs[who]])) for m in METRICS} for who in ("ours", "lime"))
    random = photo.random_areas()
    row = {"class": talk.name_of_class(photo.label_idx), "p": float(photo.probabilities[photo.label_idx]),
           "segments": [int(photo.segment_mask.max() + 1), int(lime_mask.max() + 1)],
           "ours": ours, "lime": lime, "random": random, "ratio": ratios(ours, lime),
           "worse_than_random": worse_than_random(ours, random)}
    if seeds >= 2:  # how far each explainer is from itself with other samples: seed 1 ÷ seed 0
        row["lime_reseeded"] = ratios(runs["lime"][1], runs["lime"][0])
        row["ours_reseeded"] = ratios(runs["ours"][1], runs["ours"][0])
    return row


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=PHOTO_SETS, default="benchmark", help="which photos (default: benchmark)")
    parser.add_argument("--seeds", type=int, default=1, help="explain each photo with this many seeds (default 1)")
    parser.add_argument("--num-samples", type=int, default=TALK_NUM_SAMPLES, help="default: the talk's 2000")
    parser.add_argument("--only", nargs="*", help="only the photos whose names start with these words")
    args = parser.parse_args(argv)
    with contextlib.redirect_stdout(io.StringIO()):
        model = talk.load_model()
    per_photo = []
    print(f"{'photo':42} {'class':18} {'p':>5} {'segs':>9}  " + "  ".join(f"{m:>15}" for m in METRICS)
          + "  worse than random")
    with tempfile.TemporaryDirectory() as folder:
        for name, path in PHOTO_SETS[args.set](Path(folder)).items():
            if args.only and not any(name.startswith(word) for word in args.only):
                continue
            row = measure(model, path, args.num_samples, args.seeds)
            per_photo.append({"photo": name, **row})
            print(f"{name:42} {row['class'][:18]:18} {row['p']:5.2f} {row['segments'][0]:4d}/{row['segments'][1]:<4d} "
                  + "  ".join(f"{row['ratio'][m]:15.2f}" for m in METRICS)
                  + f"  {','.join(row['worse_than_random']) or '-'}", flush=True)
    keys = [("ratio", "ours ÷ lime's defaults (deletion: lower is better; insertion: higher is better)")]
    if args.seeds >= 2:
        keys += [("lime_reseeded", "lime's explanation with seed 1 ÷ lime's with seed 0"),
                 ("ours_reseeded", "ours with seed 1 ÷ ours with seed 0")]
    summaries = {key: summarise(per_photo, key) for key, _ in keys}
    for key, title in keys:
        print(f"{title}:")
        for metric, values in summaries[key].items():
            print(f"  {metric:16} median {values['median']:.3f}  worst {values['worst']:.3f}  "
                  f"worse on {values['worse_on']} of {len(per_photo)}")
    worse = sum(bool(photo["worse_than_random"]) for photo in per_photo)
    print(f"photos where one of our four areas is worse than random orders': {worse} of {len(per_photo)}")
    print(json.dumps({"set": args.set, "images": len(per_photo), "seeds": args.seeds,
                      "ratio_to_lime": summaries["ratio"], "worse_than_random": worse,
                      **{key: summaries[key] for key, _ in keys[1:]}}))


if __name__ == "__main__":
    main()
