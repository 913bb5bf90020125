"""Execute the complete notebook (or the chapters named) top to bottom and store its
outputs; after the complete notebook, regenerate the code-along notebook, solutions/ and
chapters/talk.py.

Run it after every change to a notebook, so that the notebook is committed exactly as a
fresh kernel produces it, in one run, with the real MobileNetV2 weights:

    python tools/run_complete.py                              # the complete notebook
    python tools/run_complete.py chapters/01-how-sure.ipynb   # one chapter, or several

What it stores is what a reader sees, minus noise that would differ on every
run: TensorFlow's C++ start-up log lines (with timestamps and process ids),
progress bars, and per-cell timing metadata.
"""

import re
from datetime import datetime
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_codealong  # noqa: E402
import make_talk_module  # noqa: E402

REPO = make_codealong.REPO
COMPLETE = make_codealong.COMPLETE

# "I0000 00:00:1795348667.706206    2293 port.cc:153] ...", absl's preamble, and
# the second line of TensorFlow's note on CPU instructions
TENSORFLOW_LOG_LINE = re.compile(
    r"^([IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\] .*"
    r"|WARNING: All log messages before absl::InitializeLog\(\).*"
    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)\n?",
    re.MULTILINE,
)
PROGRESS_WIDGET = "application/vnd.jupyter.widget-view+json"
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def without_noise(outputs: list) -> list:
    """Drop TensorFlow's log lines and progress bars (lime draws one) from a cell's outputs."""
    kept = []
    for output in outputs:
        if PROGRESS_WIDGET in output.get("data", {}):
            continue
        if output.output_type == "stream" and output.name == "stderr":
            output.text = TENSORFLOW_LOG_LINE.sub("", output.text)
            if not output.text:
                continue
        kept.append(output)
    return kept


def execute(path: Path) -> None:
    """Run the notebook at `path` in a fresh kernel, in its own folder, and store its outputs."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    seconds = {}
    for cell in notebook.cells:
        timing = cell.metadata.pop("execution", None)
        if timing and "iopub.execute_input" in timing:
            started, ended = (datetime.fromisoformat(timing[key].replace("Z", "+00:00"))
                              for key in ("iopub.execute_input", "shell.execute_reply"))
            seconds[cell.get("id")] = (ended - started).total_seconds()
        if cell.cell_type == "code":
            cell.outputs = without_noise(cell.outputs)
    notebook.metadata = nbformat.from_dict(NOTEBOOK_METADATA)
    nbformat.validate(notebook)
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    slowest = ", ".join(f"{cell_id} {s:.0f} s" for cell_id, s in sorted(seconds.items(), key=lambda x: -x[1])[:4])
    print(f"executed and wrote {path.relative_to(REPO)}: its cells took {sum(seconds.values()):.0f} s ({slowest})")


def main() -> None:
    paths = [Path(arg).resolve() for arg in sys.argv[1:]] or [COMPLETE]
    for path in paths:
        if path == COMPLETE:
            make_talk_module.main()  # the chapters' module first: the talk's code, as it stands
        execute(path)
        if path == COMPLETE:
            make_codealong.main()


if __name__ == "__main__":
    main()
