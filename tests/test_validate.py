"""What a student sees from nbgrader's Validate (the toolbar button runs `nbgrader validate`)."""

import shutil

import pytest

from grader import submissions
from grader.authoring import course_dir
from grader.authoring.catalogue import get

pytestmark = pytest.mark.slow
ASSIGNMENT = get("c1w2a1")


def _validate(folder, notebook):
    return course_dir.nbgrader(folder, "validate", str(folder / notebook.name)).stdout


def test_validate_fails_on_stubs_and_passes_on_the_reference(released_course, tmp_path):
    """The released notebook (every function a stub) must not validate; the first failure
    names the function to write. The reference answers must validate."""
    folder = tmp_path / ASSIGNMENT.id
    shutil.copytree(released_course / "release" / ASSIGNMENT.id, folder)
    path = folder / ASSIGNMENT.notebook
    out = _validate(folder, path)
    assert f"VALIDATION FAILED ON {len(ASSIGNMENT.functions)} CELL(S)" in out, out[-3000:]
    # nbgrader cuts long lines of its report at about 90 characters.
    assert "NotImplementedError: sigmoid is yours to write: see notebooks/c1w" in out, out[:3000]
    released = course_dir.read_notebook(path)
    solution = course_dir.read_notebook(released_course / "source" / ASSIGNMENT.id /
                                        ASSIGNMENT.notebook)
    submissions.write(submissions.one_wrong(released, solution, "losses.l2_loss"), path)
    out = _validate(folder, path)
    assert "VALIDATION FAILED ON 1 CELL(S)" in out and "l2_loss" in out, out[-3000:]
    submissions.write(submissions.reference(released, solution), path)
    assert "Success! Your notebook passes all the tests." in _validate(folder, path)
