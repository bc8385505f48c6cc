"""The release sync: are student files exactly what the build makes from the sources?

The student notebooks are committed and compared with a fresh build; the package
copies are build products, checked here on a fresh build of their own.
"""

import importlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from grader.authoring import build, rules
from grader.authoring.catalogue import ASSIGNMENTS, NOTEBOOKS, PACKAGE, ROOT, stubs_for
from grader.authoring.stubs import BEGIN, function_source, relative_imports


def test_student_files_are_up_to_date(released_course):
    """Do notebooks/ and the solution notebooks' graded cells match a fresh build?

    Run `python -m grader build` to fix a failure here.
    """
    problems = build.check(released_course / "release")
    assert not problems, "student files are out of date; run `python -m grader build`:\n" + \
        "\n".join(problems)


def test_no_solution_or_hidden_test_in_student_files(student_packages):
    assert build.leaked_markers(NOTEBOOKS) == []
    assert build.leaked_markers(student_packages) == []


def test_package_copies_are_build_products_not_committed():
    """Is no generated copy of the package tracked by git?"""
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    copies = [path for path in tracked if "/dlcourse/" in path]
    assert not copies, f"generated package copies are committed: {copies[:5]} ..."
    notebooks = sorted(f"notebooks/{a.id}/{a.notebook}" for a in ASSIGNMENTS)
    assert sorted(tracked) == notebooks, (
        f"notebooks/ should track exactly the student notebooks {notebooks}; it tracks {tracked}")


def test_second_package_build_writes_nothing(student_packages):
    """Does `build --packages` (run before every `course.sh open`) skip what is fresh?"""
    from grader.authoring.stubs import write_packages

    assert write_packages(student_packages) == []


def _first_code_cell(assignment):
    nb = nbformat.read(NOTEBOOKS / assignment.id / assignment.notebook, as_version=4)
    return next(cell.source for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("with_copy", [False, True], ids=["copy missing", "copy built"])
def test_student_notebook_refuses_the_reference_package(tmp_path, student_packages, with_copy):
    """Does a student notebook opened without its package copy stop at its first cell,
    naming the command that builds the copy, instead of running on the reference?"""
    for assignment in ASSIGNMENTS:
        folder = tmp_path / assignment.id
        folder.mkdir()
        shutil.copy(NOTEBOOKS / assignment.id / assignment.notebook, folder)
        if with_copy:
            shutil.copytree(student_packages / assignment.id / "dlcourse", folder / "dlcourse")
        done = subprocess.run([sys.executable, "-c", _first_code_cell(assignment)], cwd=folder,
                              capture_output=True, text=True, env={"MPLBACKEND": "Agg",
                                                                   "PATH": "/usr/bin:/bin"})
        if with_copy:
            assert done.returncode == 0, f"{assignment.id}: first cell failed:\n{done.stderr}"
        else:
            assert done.returncode != 0 and "course.sh open" in done.stderr, (
                f"{assignment.id}: the first cell ran without the package copy "
                f"(exit {done.returncode}):\n{done.stderr[-2000:]}")


@pytest.mark.parametrize("qualname", sorted({f for a in ASSIGNMENTS for f in a.functions}))
def test_graded_function_has_one_solution_region(qualname):
    assert function_source(qualname).count(BEGIN) == 1, qualname


def _load_student_copy(packages: Path, assignment):
    """Import <packages>/<id>/dlcourse under a private name."""
    name = f"student_{assignment.id}"
    folder = packages / assignment.id / "dlcourse"
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return name


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_student_copy_stubs_this_and_later_assignments(student_packages, assignment):
    """Are this and later assignments' functions stubs naming their notebook, earlier ones whole?"""
    package = _load_student_copy(student_packages, assignment)
    stubs = stubs_for(assignment)
    earlier = {f for a in ASSIGNMENTS[:ASSIGNMENTS.index(assignment)] for f in a.functions}
    for qualname in sorted(stubs):
        module, fn = qualname.rsplit(".", 1)
        path = student_packages / assignment.id / "dlcourse" / f"{module}.py"
        if path.exists():  # modules first graded later are left out (next test)
            text = path.read_text()
            assert f"{fn} is yours to write: see {stubs[qualname].student_notebook}" in text
    for qualname in sorted(earlier - set(stubs)):
        module, fn = qualname.rsplit(".", 1)
        text = (student_packages / assignment.id / "dlcourse" / f"{module}.py").read_text()
        assert f"{fn} is yours to write" not in text, f"{qualname} stubbed in {assignment.id}"
    if "activations.sigmoid" in stubs:
        sigmoid = importlib.import_module(f"{package}.activations").sigmoid
        teacher = stubs["activations.sigmoid"].student_notebook
        with pytest.raises(NotImplementedError, match=teacher):
            sigmoid(0.0)
    else:
        assert importlib.import_module(f"{package}.activations").sigmoid(0.0) == 0.5


def _modules(assignments):
    return {name.split(".")[0] for a in assignments for name in a.functions}


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_student_copy_holds_the_modules_taught_so_far(student_packages, assignment):
    """Modules graded up to this assignment and the ungraded ones (checks, data, plot) are in;
    a module first graded later is not, since its helpers would give answers away, nor an
    ungraded one that imports such a module."""
    now = ASSIGNMENTS.index(assignment)
    so_far = _modules(ASSIGNMENTS[:now + 1])
    ungraded = {p.stem for p in PACKAGE.glob("*.py")} - _modules(ASSIGNMENTS)
    # An ungraded module that builds on graded ones (cnn on conv and optim) waits for them.
    ungraded = {name for name in ungraded
                if relative_imports(PACKAGE / f"{name}.py") <= so_far | ungraded}
    folder = student_packages / assignment.id / "dlcourse"
    copy = {p.stem for p in folder.glob("*.py")}
    assert copy == so_far | ungraded, (
        f"{assignment.id}: expected modules {sorted(so_far | ungraded)}, found {sorted(copy)}")
    package = _load_student_copy(student_packages, assignment)
    for module in sorted(copy - {"__init__"}):  # each imports only modules that are there
        importlib.import_module(f"{package}.{module}")


def test_build_refuses_an_answer_that_needs_an_experiment_cell(tmp_path):
    """Would a graded function reading a variable of an experiment cell (which the
    grader never runs) be caught before release? The rule names the cell."""
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("def scaled(x):\n    return x / train_max\n")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "scaled",
                                   "locked": False, "schema_version": 3}
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nLIMIT = 3"), answer,
                nbformat.v4.new_code_cell("train_max = np.max([1, 2])")]
    path = tmp_path / "x_demo.ipynb"
    nbformat.write(nb, path)
    problems = rules.setup_rule(SimpleNamespace(source=path, notebook=path.name))
    assert len(problems) == 1 and "`train_max`, bound only by cell 2" in problems[0], problems
    answer.source = "def scaled(x):\n    return np.minimum(x, LIMIT)\n"
    nbformat.write(nb, path)
    assert rules.setup_rule(SimpleNamespace(source=path, notebook=path.name)) == []
