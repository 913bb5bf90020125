"""Write chapters/talk.py, the talk's functions for the chapters, from the complete notebook.

grokking-lime-complete.ipynb is the single source of truth. The chapters start from the
functions the talk builds, not from copies of them: this script takes, in notebook order,
every top-level import, every function definition and the settings named in SETTINGS from
the complete notebook's code cells (the `## live-code` marker lines left out) and writes
them to chapters/talk.py, which the chapters import.

    python tools/make_talk_module.py           # write chapters/talk.py
    python tools/make_talk_module.py --check   # only say whether it is up to date
"""

import ast
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
COMPLETE = REPO / "grokking-lime-complete.ipynb"
MODULE = REPO / "chapters" / "talk.py"

SETTINGS = ("grey_levels", "kernel_width")  # the talk's settings that its functions rely on
MARKERS = ("## live-code", "## /live-code")

HEADER = '''"""The functions and settings of the talk, grokking-lime-complete.ipynb, for the chapters.

Written by tools/make_talk_module.py from the complete notebook: do not edit; change the
notebook and run that script (a test fails when this file and the notebook differ).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # helpers.py lives beside the talk
'''


def kept(statement: ast.stmt) -> bool:
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef)):
        return True
    return isinstance(statement, ast.Assign) and all(
        isinstance(target, ast.Name) and target.id in SETTINGS for target in statement.targets
    )


def talk_module(complete: nbformat.NotebookNode) -> str:
    parts = []
    for cell in complete.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.strip().startswith(MARKERS))
        for statement in ast.parse(source).body:
            if kept(statement):
                parts.append((f"# from cell {cell.id}\n" if isinstance(statement, ast.FunctionDef) else "")
                             + ast.get_source_segment(source, statement))
    imports = [p for p in parts if p.startswith(("import ", "from "))]
    rest = [p for p in parts if not p.startswith(("import ", "from "))]
    return HEADER + "\n" + "\n".join(imports) + "\n\n\n" + "\n\n\n".join(rest) + "\n"


def main() -> int:
    expected = talk_module(nbformat.read(COMPLETE, as_version=4))
    if "--check" in sys.argv[1:]:
        if not MODULE.exists() or MODULE.read_text(encoding="utf-8") != expected:
            print(f"{MODULE.relative_to(REPO)} is out of date: run python tools/make_talk_module.py")
            return 1
        print(f"{MODULE.relative_to(REPO)} is up to date")
        return 0
    MODULE.write_text(expected, encoding="utf-8")
    print(f"wrote {MODULE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
