"""chapters/talk.py, the talk's functions for the chapters, is generated from the complete notebook
and must not drift from it; and the chapters use those functions instead of defining their own."""

import ast
import copy
import sys

import nbformat
import pytest

from notebook_cells import CHAPTERS, REPO, chapter_paths, read_notebook

sys.path.insert(0, str(REPO / "tools"))
import make_talk_module  # noqa: E402

MODULE = CHAPTERS / "talk.py"


def code_tree(source: str) -> ast.Module:
    """A code cell parsed as Python, its IPython magics (%, !) left out."""
    return ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))


def talk_functions() -> list:
    """The names of the functions the talk's code cells define, in notebook order."""
    return [
        statement.name
        for cell in read_notebook().cells if cell.cell_type == "code"
        for statement in code_tree(cell.source).body if isinstance(statement, ast.FunctionDef)
    ]


def redefinitions(notebook: nbformat.NotebookNode, names) -> list:
    """(cell id, name) for every function in `names` that a code cell defines or assigns again."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(code_tree(cell.source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
                found.append((cell.id, node.name))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
                found.append((cell.id, node.id))
    return found


def test_committed_talk_module_is_what_the_generator_writes():
    assert MODULE.read_text(encoding="utf-8") == make_talk_module.talk_module(read_notebook()), (
        "run: python tools/make_talk_module.py"
    )


def test_a_change_to_a_function_of_the_talk_makes_the_module_out_of_date(tmp_path, monkeypatch, capsys):
    """An edited copy of the notebook gives another module, and --check says the committed one is stale."""
    edited = copy.deepcopy(read_notebook())
    step2 = next(cell for cell in edited.cells if cell.id == "step2")
    step2.source = step2.source.replace("keep_chance: float = 0.8", "keep_chance: float = 0.7")
    assert "keep_chance: float = 0.7" in step2.source
    stale = make_talk_module.talk_module(edited)
    assert stale != MODULE.read_text(encoding="utf-8")

    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "talk.py").write_text(stale, encoding="utf-8")
    monkeypatch.setattr(make_talk_module, "REPO", tmp_path)
    monkeypatch.setattr(make_talk_module, "MODULE", tmp_path / "chapters" / "talk.py")
    monkeypatch.setattr(sys, "argv", ["make_talk_module.py", "--check"])
    assert make_talk_module.main() == 1
    assert "chapters/talk.py is out of date" in capsys.readouterr().out


def test_the_module_holds_every_function_and_setting_of_the_talk_and_runs_nothing():
    """Only imports, the talk's function definitions, in its order, and its settings: importing the
    module loads no model and explains no photo."""
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    functions, settings = [], []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            functions.append(statement.name)
        elif isinstance(statement, ast.Assign):
            settings += [target.id for target in statement.targets]
        elif isinstance(statement, ast.Expr):
            source = ast.get_source_segment(MODULE.read_text(encoding="utf-8"), statement)
            assert isinstance(statement.value, ast.Constant) or source.startswith("sys.path.insert("), source
        else:
            assert isinstance(statement, (ast.Import, ast.ImportFrom)), ast.dump(statement)
    assert functions == talk_functions()
    assert {"create_segments", "generate_samples", "generate_images", "predict_samples", "compute_distances",
            "exponential_kernel", "fit_surrogate", "explain"} <= set(functions)
    assert sorted(settings) == sorted(make_talk_module.SETTINGS)


def test_the_chapters_get_the_talks_functions_and_settings_from_it():
    import talk

    assert talk.kernel_width == 0.25
    assert talk.grey_levels.tolist() == [16, 48, 80, 112, 143, 175, 207, 239]
    for name in talk_functions():
        assert callable(getattr(talk, name)), name
    assert talk.load_image.__module__ == "helpers"  # and what the talk imports, as `from talk import *` gives it


def test_the_check_finds_a_chapter_that_defines_a_function_of_the_talk_again():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("from talk import *\nsamples = generate_samples(9, 10, rng)", id="own-ok"),
        nbformat.v4.new_code_cell("def generate_samples(n, k, rng):\n    return rng.random((k, n)) < 0.5", id="own-def"),
        nbformat.v4.new_code_cell("%time x = 1\nfit_surrogate = lambda *a: None", id="own-lambda"),
    ]
    assert redefinitions(notebook, talk_functions()) == [("own-def", "generate_samples"), ("own-lambda", "fit_surrogate")]


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda path: path.name)
def test_no_chapter_defines_again_a_function_of_the_talk(path):
    assert redefinitions(read_notebook(path), talk_functions()) == []
