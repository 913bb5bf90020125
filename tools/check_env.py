"""Is this computer ready for Grokking LIME? Run it at home, before the talk:

    .venv/bin/python tools/check_env.py

It checks the Python version and the packages pinned in requirements.txt, imports
everything the notebooks use, and then the talk's own code: helpers.py (loading and
drawing) and chapters/talk.py (the talk's functions, which the chapters import). With
the talk's load_model it loads MobileNetV2 and the ImageNet class names (downloading
both into the Keras cache when online) and checks that it sees a tripod in camera.png,
loaded with the talk's load_image. It prints one line per check and exits with 1 when
anything is not ready, with one sentence per problem.
"""

import contextlib
import importlib
import io
import os
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TALK_FOLDERS = (REPO, REPO / "chapters")  # helpers.py, and chapters/talk.py
SUPPORTED_PYTHONS = ((3, 10), (3, 11), (3, 12), (3, 13))
MODULES = [
    "numpy", "pandas", "matplotlib", "PIL", "skimage", "sklearn", "tensorflow", "keras",
    "visualime", "lime", "shap", "jupyterlab", "nbval", "pytest",
]  # fmt: skip
WEIGHTS = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5"
CLASS_NAMES = "imagenet_class_index.json"


def check_python(version=sys.version_info) -> list:
    """Problems with the Python version, as sentences (none: an empty list)."""
    if tuple(version[:2]) in SUPPORTED_PYTHONS:
        return []
    if tuple(version[:2]) > SUPPORTED_PYTHONS[-1]:
        return [
            f"Python {version[0]}.{version[1]} is too new: TensorFlow publishes no packages for it yet, "
            "so install Python 3.13 and make the virtual environment with it."
        ]
    return [f"Python {version[0]}.{version[1]} is too old: use Python 3.10 to 3.13."]


def check_packages(requirements: str) -> list:
    """Problems with the installed packages, compared with the pins in `requirements`."""
    problems = []
    for line in requirements.splitlines():
        line = line.split("#")[0].strip()
        if "==" not in line:
            continue
        name, pinned = (part.strip() for part in line.split("=="))
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} is not installed: run pip install -r requirements.txt.")
            continue
        if installed != pinned:
            problems.append(f"{name} {installed} is installed, requirements.txt pins {pinned}: run pip install -r requirements.txt.")
    return problems


def check_imports(modules=MODULES) -> list:
    problems = []
    for module in modules:
        try:
            with quiet_stderr():
                importlib.import_module(module)
        except Exception as error:  # any failure to import is a problem to report, not a crash
            problems.append(f"importing {module} failed ({type(error).__name__}: {str(error).splitlines()[0]}).")
    return problems


@contextlib.contextmanager
def quiet_stderr():
    """Hide what C libraries (TensorFlow's start-up log) print on the way."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def keras_cache() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser() / "models"


def check_talk_code() -> list:
    """Problems importing the talk's code: helpers.py and chapters/talk.py."""
    for folder in TALK_FOLDERS:
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    return check_imports(["helpers", "talk"])


def check_model() -> tuple:
    """Load MobileNetV2 with the talk's load_model and classify camera.png: (ready lines, problems)."""
    cached_before = {name: (keras_cache() / name).exists() for name in (WEIGHTS, CLASS_NAMES)}
    import numpy as np
    from helpers import load_image
    from talk import load_model, name_of_class, preprocess_input

    try:
        with quiet_stderr():
            model = load_model()
    except RuntimeError:  # load_model's sentence when Keras could not load or download them
        return [], [
            f"MobileNetV2's weights or the ImageNet class names are not in the Keras cache ({keras_cache()}) "
            "and could not be downloaded: run this again while online, or set KERAS_HOME to a prepared cache."
        ]
    how = "found in" if all(cached_before.values()) else "downloaded into"
    ready = [f"MobileNetV2's weights and the ImageNet class names: {how} {keras_cache()}"]
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # load_image says what it loaded
            image = load_image(str(REPO / "camera.png"))
        with quiet_stderr():
            probabilities = model.predict_on_batch(preprocess_input(image[np.newaxis].astype(np.float32)))[0]
        name, p = name_of_class(int(probabilities.argmax())), float(probabilities.max())
    except Exception as error:
        return ready, [f"classifying camera.png failed ({type(error).__name__}: {str(error).splitlines()[0]})."]
    return ready + [f"camera.png: MobileNetV2 sees a {name} (p = {p:.2f})"], check_classification(name)


def check_classification(name: str) -> list:
    """Problems with what the model sees in camera.png: the talk explains a tripod."""
    if name == "tripod":
        return []
    return [f"MobileNetV2 sees a {name} in camera.png, not a tripod: the weights in the Keras cache "
            f"({keras_cache()}) are not MobileNetV2's ImageNet weights; delete them and run this again while online."]


def main() -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    problems = []

    def report(ready_line: str, found: list) -> None:
        print(f"  {'ok ' if not found else 'NO '} {ready_line}")
        for problem in found:
            print(f"       {problem}")
        problems.extend(found)

    print("Checking this computer for Grokking LIME:")
    report(f"Python {sys.version.split()[0]}", check_python())
    report("packages match requirements.txt", check_packages((REPO / "requirements.txt").read_text()))
    report("everything imports", check_imports())
    if not problems:
        report("the talk's code imports (helpers.py, chapters/talk.py)", check_talk_code())
    ready, found = check_model() if not problems else ([], ["the model was not checked: fix the problems above first."])
    for line in ready[:-1] if found and len(ready) > 1 else ready:
        report(line, [])
    if found:
        report(ready[-1] if len(ready) > 1 else "MobileNetV2 ready", found)
    if problems:
        print(f"Not ready: {len(problems)} problem{'s' if len(problems) > 1 else ''}, see above.")
        return 1
    print("Ready for Grokking LIME.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
