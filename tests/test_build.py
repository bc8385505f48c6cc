"""The release sync: are student files exactly what the build makes from the sources?"""

import importlib
import importlib.util
import sys

import pytest

from grader import build
from grader.course import ASSIGNMENTS, NOTEBOOKS, PACKAGE, stubs_for
from grader.package import BEGIN, function_source


def test_student_files_are_up_to_date():
    """Do notebooks/ and the solution notebooks' graded cells match a fresh build?

    Run `python -m grader build` to fix a failure here.
    """
    problems = build.check()
    assert not problems, "student files are out of date; run `python -m grader build`:\n" + \
        "\n".join(problems)


def test_no_solution_or_hidden_test_in_student_files():
    assert build.leaked_markers(NOTEBOOKS) == []


@pytest.mark.parametrize("qualname", sorted({f for a in ASSIGNMENTS for f in a.functions}))
def test_graded_function_has_one_solution_region(qualname):
    assert function_source(qualname).count(BEGIN) == 1, qualname


def _load_student_copy(assignment):
    """Import notebooks/<id>/dlcourse under a private name."""
    name = f"student_{assignment.id}"
    folder = NOTEBOOKS / assignment.id / "dlcourse"
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return name


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_student_copy_stubs_this_and_later_assignments(assignment):
    """Are this and later assignments' functions stubs naming their notebook, earlier ones whole?"""
    package = _load_student_copy(assignment)
    stubs = stubs_for(assignment)
    earlier = {f for a in ASSIGNMENTS[:ASSIGNMENTS.index(assignment)] for f in a.functions}
    for qualname in sorted(stubs):
        module, fn = qualname.rsplit(".", 1)
        path = NOTEBOOKS / assignment.id / "dlcourse" / f"{module}.py"
        if path.exists():  # modules first graded later are left out (next test)
            text = path.read_text()
            assert f"{fn} is yours to write: see {stubs[qualname].student_notebook}" in text
    for qualname in sorted(earlier - set(stubs)):
        module, fn = qualname.rsplit(".", 1)
        text = (NOTEBOOKS / assignment.id / "dlcourse" / f"{module}.py").read_text()
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
def test_student_copy_holds_the_modules_taught_so_far(assignment):
    """Modules graded up to this assignment and the ungraded ones (checks, data, plot) are in;
    a module first graded later is not, since its helpers would give answers away."""
    now = ASSIGNMENTS.index(assignment)
    so_far = _modules(ASSIGNMENTS[:now + 1])
    ungraded = {p.stem for p in PACKAGE.glob("*.py")} - _modules(ASSIGNMENTS)
    folder = NOTEBOOKS / assignment.id / "dlcourse"
    copy = {p.stem for p in folder.glob("*.py")}
    assert copy == so_far | ungraded, (
        f"{assignment.id}: expected modules {sorted(so_far | ungraded)}, found {sorted(copy)}")
    package = _load_student_copy(assignment)
    for module in sorted(copy - {"__init__"}):  # each imports only modules that are there
        importlib.import_module(f"{package}.{module}")
