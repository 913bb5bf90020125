"""Print the budgets of the talk and the chapters (issue 28) and say PASS or FAIL for each.

    KERAS_HOME=/tmp/keras/keras python tools/budget.py               # counts, and executes every notebook
    python tools/budget.py --no-execute                              # counts only: no timeline, no run times

The talk, grokking-lime-complete.ipynb:
- words: every `\\S+` in its markdown cells, image alt texts included (their share is printed too);
- code lines: the non-blank lines of its code cells, in all and in steps 1 to 6 (from the `## Step 1`
  heading to the first `## ` heading after it that is not a step);
- each live-code gap: its lines between `## live-code` and `## /live-code` (or after `## live-code` to the
  end of a cell that starts with it), markers excluded, and its longest line;
- the timeline: prose said at 130 words a minute, the gaps typed at 100 characters a minute (indentation
  included), and each cell's execution time in a fresh kernel; per `## ` section and in all.
Each chapter, chapters/NN-*.ipynb: its words and the time its cells take to execute.

The exit code is 1 if any budget fails, else 0 (with --no-execute: of the budgets it measures).
"""

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
TALK = REPO / "grokking-lime-complete.ipynb"
CHAPTERS = sorted((REPO / "chapters").glob("[0-9][0-9]-*.ipynb"))

WORDS_PER_MINUTE = 130  # speaking
CHARACTERS_PER_MINUTE = 100  # typing
MAX_TALK_WORDS, MAX_CODE_LINES, MAX_STEP_CODE_LINES = 3500, 200, 120
MAX_GAP_LINES, MAX_GAP_WIDTH, MAX_TALK_MINUTES = 6, 88, 45
MAX_CHAPTER_WORDS, MAX_CHAPTER_SECONDS = 2000, 60

START, END = "## live-code", "## /live-code"


def count_words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def alt_text_words(markdown: str) -> int:
    """The words inside the alt texts of markdown images: ![these words](picture.svg)."""
    return sum(count_words(alt) for alt in re.findall(r"!\[([^\]]*)\]", markdown))


def code_lines(source: str) -> int:
    return sum(1 for line in source.splitlines() if line.strip())


def heading(cell) -> str | None:
    """The text of a markdown cell's `## ` heading (not `#` or `###`), or None."""
    if cell.cell_type == "markdown":
        for line in cell.source.splitlines():
            if line.startswith("## "):
                return line[3:].strip()
    return None


def live_code_gaps(source: str) -> list[list[str]]:
    """The lines of each live-code gap in a code cell's source, markers excluded."""
    gaps, gap = [], None
    for line in source.splitlines():
        if line.strip() == START:
            gap = []
        elif line.strip() == END:
            gaps.append(gap)
            gap = None
        elif gap is not None:
            gap.append(line)
    if gap is not None:  # a cell that starts with `## live-code` and has no end marker
        gaps.append(gap)
    return gaps


def sections(cells) -> list[tuple[str, list]]:
    """The cells grouped by `## ` heading; the cells before the first heading are "(title)"."""
    groups = [("(title)", [])]
    for cell in cells:
        if heading(cell) is not None:
            groups.append((heading(cell), []))
        groups[-1][1].append(cell)
    return [(name, group) for name, group in groups if group]


def step_cells(cells) -> list:
    """The cells from the `## Step 1` heading up to the first `## ` heading after it that is not a step."""
    steps, inside = [], False
    for cell in cells:
        title = heading(cell)
        if title is not None:
            if title.startswith("Step 1"):
                inside = True
            elif inside and not title.startswith("Step"):
                break
        if inside:
            steps.append(cell)
    return steps


def words_of(cells) -> int:
    return sum(count_words(cell.source) for cell in cells if cell.cell_type == "markdown")


def code_lines_of(cells) -> int:
    return sum(code_lines(cell.source) for cell in cells if cell.cell_type == "code")


def typed_characters(cells) -> int:
    """The characters of every live-code gap line in the cells (indentation included, newlines not)."""
    return sum(len(line) for cell in cells if cell.cell_type == "code"
               for gap in live_code_gaps(cell.source) for line in gap)


def execute(path: Path) -> list[float]:
    """Run the notebook in a fresh kernel, in its own folder; return each cell's seconds (0 for markdown)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    seconds = []
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            start = time.perf_counter()
            client.execute_cell(cell, index)
            seconds.append(time.perf_counter() - start if cell.cell_type == "code" else 0.0)
    return seconds


def verdict(name: str, passed: bool, measured: str) -> bool:
    print(f"{'PASS' if passed else 'FAIL'}  {name}: {measured}")
    return passed


def talk_budgets(run: bool) -> list[bool]:
    cells = nbformat.read(TALK, as_version=4).cells
    words = words_of(cells)
    alt_words = sum(alt_text_words(cell.source) for cell in cells if cell.cell_type == "markdown")
    lines, step_lines = code_lines_of(cells), code_lines_of(step_cells(cells))
    print(f"# The talk, {TALK.name}")
    print(f"words of markdown: {words} ({alt_words} of them in image alt texts, {words - alt_words} outside)")
    print(f"code lines: {lines} in all, {step_lines} in steps 1 to 6")

    gaps = [(cell.id, gap) for cell in cells if cell.cell_type == "code" for gap in live_code_gaps(cell.source)]
    print("live-code gaps (cell: lines, longest line in characters):")
    for cell_id, gap in gaps:
        print(f"  {cell_id}: {len(gap)} lines, longest {max(map(len, gap), default=0)}")
    most_lines = max((len(gap) for _, gap in gaps), default=0)
    widest = max((len(line) for _, gap in gaps for line in gap), default=0)

    seconds = dict(zip((cell.id for cell in cells), execute(TALK))) if run else None
    print("timeline in minutes (prose at 130 words/min + typing at 100 characters/min + execution):")
    total = 0.0
    for name, group in sections(cells):
        prose = words_of(group) / WORDS_PER_MINUTE
        typing = typed_characters(group) / CHARACTERS_PER_MINUTE
        running = sum(seconds[cell.id] for cell in group) / 60 if run else 0.0
        total += prose + typing + running
        print(f"  {prose + typing + running:5.1f}  = {prose:4.1f} + {typing:4.1f} + {running:4.1f}  {name}")
    if not run:
        print("  (execution not measured: --no-execute)")
    print(f"  {total:5.1f}  in all")

    results = [
        verdict("words", words <= MAX_TALK_WORDS, f"{words} <= {MAX_TALK_WORDS}"),
        verdict("code lines", lines <= MAX_CODE_LINES, f"{lines} <= {MAX_CODE_LINES}"),
        verdict("code lines in steps 1 to 6", step_lines <= MAX_STEP_CODE_LINES,
                f"{step_lines} <= {MAX_STEP_CODE_LINES}"),
        verdict("live-code gap lines", most_lines <= MAX_GAP_LINES, f"longest gap {most_lines} <= {MAX_GAP_LINES}"),
        verdict("live-code line width", widest <= MAX_GAP_WIDTH, f"widest line {widest} <= {MAX_GAP_WIDTH}"),
    ]
    if run:
        results.append(verdict("timeline", total <= MAX_TALK_MINUTES, f"{total:.1f} min <= {MAX_TALK_MINUTES}"))
    else:
        print("----  timeline: not measured (--no-execute)")
    return results


def chapter_budgets(run: bool) -> list[bool]:
    print("\n# The chapters")
    if not CHAPTERS:
        print("no chapters/NN-*.ipynb yet")
    results = []
    for path in CHAPTERS:
        words = words_of(nbformat.read(path, as_version=4).cells)
        results.append(verdict(f"{path.name} words", words <= MAX_CHAPTER_WORDS, f"{words} <= {MAX_CHAPTER_WORDS}"))
        if run:
            seconds = sum(execute(path))
            results.append(verdict(f"{path.name} execution", seconds < MAX_CHAPTER_SECONDS,
                                   f"{seconds:.0f} s < {MAX_CHAPTER_SECONDS}"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true", help="count only; do not run the notebooks")
    run = not parser.parse_args().no_execute
    results = talk_budgets(run) + chapter_budgets(run)
    print(f"\n{results.count(False)} of {len(results)} budgets failed" if not all(results) else "\nall budgets pass")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
