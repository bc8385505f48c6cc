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
        text = (NOTEBOOKS / assignment.id / "dlcourse" / f"{module}.py").read_text()
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


def test_every_module_is_in_every_student_copy():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    for assignment in ASSIGNMENTS:
        copy = sorted(p.name for p in (NOTEBOOKS / assignment.id / "dlcourse").glob("*.py"))
        assert copy == modules, f"{assignment.id}: {copy} != {modules}"

