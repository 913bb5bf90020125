"""tools/check_env.py: a clear yes or no per item, one sentence per problem, never a traceback."""

import os
import subprocess
import sys

from notebook_cells import REPO

sys.path.insert(0, str(REPO / "tools"))
import check_env  # noqa: E402


def run_check_env(**environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "check_env.py")],
        env={**os.environ, **environment}, capture_output=True, text=True, timeout=300,
    )


def test_supported_pythons_pass_and_others_get_one_sentence():
    assert check_env.check_python((3, 10, 13)) == check_env.check_python((3, 13, 0)) == []
    assert check_env.check_python((3, 9, 18)) == ["Python 3.9 is too old: use Python 3.10 to 3.13."]
    assert check_env.check_python((3, 14, 0)) == [
        "Python 3.14 is too new: TensorFlow publishes no packages for it yet, "
        "so install Python 3.13 and make the virtual environment with it."
    ]


def test_a_package_that_differs_from_its_pin_is_named():
    problems = check_env.check_packages("numpy==0.0.1  # a pin nobody has\nno-such-package-here==1.0\n")
    assert problems == [
        f"numpy {check_env.metadata.version('numpy')} is installed, requirements.txt pins 0.0.1: run pip install -r requirements.txt.",
        "no-such-package-here is not installed: run pip install -r requirements.txt.",
    ]


def test_this_environment_matches_requirements_txt():
    assert check_env.check_packages((REPO / "requirements.txt").read_text()) == []


def test_a_module_that_does_not_import_is_named():
    assert check_env.check_imports(["numpy", "no_such_module_here"]) == [
        "importing no_such_module_here failed (ModuleNotFoundError: No module named 'no_such_module_here')."
    ]


def test_with_the_weights_it_says_ready():
    result = run_check_env()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "camera.png: MobileNetV2 sees a tripod" in result.stdout
    assert result.stdout.strip().endswith("Ready for Grokking LIME.")


def test_offline_without_weights_it_says_what_to_do_and_no_traceback(tmp_path):
    result = run_check_env(KERAS_HOME=str(tmp_path / "empty"), HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
    assert result.returncode == 1
    assert "are not in the Keras cache" in result.stdout and "set KERAS_HOME to a prepared cache" in result.stdout
    assert "Not ready: 1 problem, see above." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
