"""The students' self-check, ``python -m grader check <notebook>``: visible tests only."""

import shutil
import subprocess
import sys

import pytest

from grader import submissions
from grader.authoring import course_dir
from grader.authoring.catalogue import ASSIGNMENTS, get
from grader.selfcheck import passed, run

pytestmark = pytest.mark.slow
A = get("c1w2a1")


def _student_folder(released_course, tmp_path, assignment, make):
    """The released folder (notebook and package copy) with the notebook ``make`` gives."""
    folder = tmp_path / assignment.id
    shutil.copytree(released_course / "release" / assignment.id, folder)
    path = folder / assignment.notebook
    released = course_dir.read_notebook(path)
    solution = course_dir.read_notebook(released_course / "source" / assignment.id /
                                        assignment.notebook)
    submissions.write(make(released, solution), path)
    return path


def test_blank_notebook_lists_every_exercise_as_not_implemented(released_course, tmp_path):
    path = _student_folder(released_course, tmp_path, A, submissions.unchanged)
    done = subprocess.run([sys.executable, "-m", "grader", "check", path.name], cwd=path.parent,
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()[1:]
    assert len(lines) == len(A.functions), done.stdout
    assert all(" not implemented: " in line and "is yours to write: see notebooks/c1w2a1/"
               in line for line in lines), done.stdout


def test_one_wrong_function_is_named_with_the_checks_message(released_course, tmp_path):
    path = _student_folder(released_course, tmp_path, A, lambda r, s: submissions.one_wrong(
        r, s, "losses.l2_loss"))
    result = run(path)
    status = {exercise: (state, message) for exercise, state, message in result["rows"]}
    assert status["l2_loss"][0] == "failed" and "l2_loss" in status["l2_loss"][1], status
    assert all(state == "passed" for name, (state, _) in status.items() if name != "l2_loss")
    assert not passed(result)


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_reference_answers_pass_the_self_check(released_course, tmp_path, assignment):
    path = _student_folder(released_course, tmp_path, assignment, submissions.reference)
    result = run(path)
    assert passed(result) and not result["broken"], result
