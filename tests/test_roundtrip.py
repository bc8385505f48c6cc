"""A real nbgrader round trip for every assignment.

For each assignment a course directory is assembled from this repository, the
assignment is released with ``nbgrader generate_assignment``, the submissions
below are put in ``submitted/`` and graded with plain ``nbgrader autograde``
(hidden tests in the student's kernel); scores are read from the gradebook,
and feedback and the grades CSV are generated. Two assignments are graded at
a time, each in its own course directory.
"""

import csv
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from nbgrader.api import Gradebook

import submissions
from grader import nbgrader_course
from grader.course import ASSIGNMENTS

pytestmark = pytest.mark.slow

# The function made wrong in each assignment: where possible one that other
# graded functions call, to show that a wrong callee costs only its own points.
WRONG = {
    "c1w2a1": "activations.sigmoid",
    "c1w2a2": "logistic.propagate",
    "c1w3a1": "shallow.forward_propagation",
    "c1w4a1": "dense.linear_forward",
    "c1w4a2": "dense.two_layer_model",
    "c2w1a1": "init.initialize_parameters_he",
    "c2w1a2": "regularization.forward_propagation_with_dropout",
    "c2w1a3": "gradcheck.dictionary_to_vector",
    "c2w2a1": "optim.initialize_adam",
    "c2w3a1": "batchnorm.batchnorm_forward",
    "c3w1a1": "strategy.precision_recall_f1",
}
# edited_test_cell has WRONG's function perturbed AND its graded test cell
# replaced by `assert True`: only restoring the cell and isolating the callee
# give exactly "everything but that function's points".
STUDENTS = ("unchanged", "reference", "edited_test_cell")


def _grade_one(root, assignment):
    nbgrader_course.assemble(root, [assignment])
    released = nbgrader_course.read_notebook(
        nbgrader_course.release(root, assignment) / assignment.notebook)
    solution = nbgrader_course.read_notebook(root / "source" / assignment.id /
                                             assignment.notebook)
    made = {
        "unchanged": submissions.unchanged(released, solution),
        "reference": submissions.reference(released, solution),
        "edited_test_cell": submissions.edited_test_cell(released, solution,
                                                         WRONG[assignment.id]),
    }
    for student, nb in made.items():
        submissions.write(nb, root / "submitted" / student / assignment.id / assignment.notebook)
    points = submissions.points_by_function(solution)
    total = sum(points.values())
    expected = {"unchanged": 0.0, "reference": total,
                "edited_test_cell": total - points[WRONG[assignment.id]]}
    start = time.perf_counter()
    nbgrader_course.nbgrader(root, "autograde", assignment.id, "--force")
    seconds = (time.perf_counter() - start) / len(made)
    nbgrader_course.nbgrader(root, "generate_feedback", assignment.id, "--force")
    nbgrader_course.nbgrader(root, "export", "--to", str(root / "grades.csv"))
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(assignment.id, s).score for s in STUDENTS}
    return {"root": root, "scores": scores, "expected": expected, "seconds": seconds}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("roundtrip")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {a.id: pool.submit(_grade_one, base / a.id, a) for a in ASSIGNMENTS}
        results = {aid: f.result() for aid, f in futures.items()}
    print("plain nbgrader autograde, seconds per submission:",
          {aid: round(r["seconds"], 1) for aid, r in results.items()})
    return results


def test_every_assignment_has_a_wrong_function():
    assert set(WRONG) == {a.id for a in ASSIGNMENTS}


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("assignment", [a.id for a in ASSIGNMENTS])
def test_score(graded, assignment, student):
    """Reference: full marks; unchanged: 0; one wrong function with its test cell edited
    to `assert True`: everything but that function's points."""
    result = graded[assignment]
    assert result["scores"][student] == pytest.approx(result["expected"][student]), (
        f"{assignment}/{student}: expected {result['expected'][student]}, "
        f"got {result['scores'][student]}")


@pytest.mark.parametrize("assignment", [a.id for a in ASSIGNMENTS])
def test_grades_csv_and_feedback(graded, assignment):
    """Is every submission in the grades CSV and does each get a feedback page?

    Plain nbgrader's feedback shows the hidden tests (it renders the test cells
    as graded); the hardened grader's does not: see test_hardened.py.
    """
    result = graded[assignment]
    root = result["root"]
    with open(root / "grades.csv") as f:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert rows == pytest.approx(result["scores"])
    pages = list((root / "feedback").rglob("*.html"))
    assert len(pages) == len(STUDENTS), pages
