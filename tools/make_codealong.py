"""Write the code-along notebook from the complete one.

grokking-lime-complete.ipynb is the single source of truth. This script turns it
into grokking-lime.ipynb: the same cells with the same ids, the same markdown,
every output removed, and every live-code region emptied.

The live-code rule:
- a code cell whose first line is `## live-code` and that has no `## /live-code`
  is emptied whole;
- in any other code cell, the lines from `## live-code` through `## /live-code`
  (both marker lines included) are removed; a `# your code here` comment at the
  same indentation marks the gap.

Stuck learners: every code-along cell with a gap starts with the line
`# Stuck? %load solutions/<cell id>.py`. Uncommented and run, `%load` replaces the
cell with that file, which holds the complete notebook's cell without the markers.
This script writes those files too, so the solutions never drift.

    python tools/make_codealong.py           # write grokking-lime.ipynb and solutions/
    python tools/make_codealong.py --check   # only say whether they are up to date
"""

import copy
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
COMPLETE = REPO / "grokking-lime-complete.ipynb"
CODEALONG = REPO / "grokking-lime.ipynb"
SOLUTIONS = REPO / "solutions"

START = "## live-code"
END = "## /live-code"
GAP = "# your code here"


def strip_live_code(source: str) -> str:
    """Return a code cell's source with its live-code regions emptied."""
    lines = source.splitlines()
    is_end = [line.strip().startswith(END) for line in lines]
    if lines and lines[0].strip().startswith(START) and not any(is_end):
        return GAP
    kept, inside = [], False
    for line, end in zip(lines, is_end):
        if line.strip().startswith(START):
            if inside:
                raise ValueError(f"a live-code region opens inside another one:\n{source}")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            kept.append(indent + GAP)
        elif end:
            if not inside:
                raise ValueError(f"`{END}` without `{START}`:\n{source}")
            inside = False
        elif not inside:
            kept.append(line)
    if inside:
        raise ValueError(f"a live-code region that does not start the cell needs `{END}`:\n{source}")
    return "\n".join(kept)


def has_live_code(source: str) -> bool:
    return any(line.strip().startswith(START) for line in source.splitlines())


def stuck_line(cell_id: str) -> str:
    return f"# Stuck? %load solutions/{cell_id}.py"


def make_codealong(complete: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The code-along notebook: the complete one, live-code emptied, no outputs."""
    codealong = copy.deepcopy(complete)
    for cell in codealong.cells:
        if cell.cell_type == "code":
            if has_live_code(cell.source):
                cell.source = stuck_line(cell.id) + "\n" + strip_live_code(cell.source)
            cell.outputs = []
            cell.execution_count = None
    return codealong


def make_solutions(complete: nbformat.NotebookNode) -> dict:
    """solutions/<cell id>.py for every cell with live-code: the cell without its marker lines."""
    markers = (START, END)
    return {
        f"{cell.id}.py": "\n".join(l for l in cell.source.splitlines() if not l.strip().startswith(markers)) + "\n"
        for cell in complete.cells
        if cell.cell_type == "code" and has_live_code(cell.source)
    }


def main() -> int:
    complete = nbformat.read(COMPLETE, as_version=4)
    expected = nbformat.writes(make_codealong(complete)) + "\n"
    solutions = make_solutions(complete)
    if "--check" in sys.argv[1:]:
        current = CODEALONG.read_text(encoding="utf-8") if CODEALONG.exists() else ""
        current_solutions = {p.name: p.read_text(encoding="utf-8") for p in SOLUTIONS.glob("*.py")}
        if current != expected or current_solutions != solutions:
            print(f"{CODEALONG.name} or solutions/ is out of date: run python tools/make_codealong.py")
            return 1
        print(f"{CODEALONG.name} and solutions/ are up to date")
        return 0
    CODEALONG.write_text(expected, encoding="utf-8")
    SOLUTIONS.mkdir(exist_ok=True)
    for stale in set(p.name for p in SOLUTIONS.glob("*.py")) - set(solutions):
        (SOLUTIONS / stale).unlink()
    for name, text in solutions.items():
        (SOLUTIONS / name).write_text(text, encoding="utf-8")
    print(f"wrote {CODEALONG.name} and {len(solutions)} files in solutions/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
