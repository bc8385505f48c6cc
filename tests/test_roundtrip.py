"""A real nbgrader round trip for every assignment.

The course directory is assembled from this repository, each assignment is
released with ``nbgrader generate_assignment``, the submissions below are put
in ``submitted/`` and graded with ``nbgrader autograde``; scores are read from
the gradebook and the feedback and grades CSV are generated.
"""

import csv
import time

import pytest
from nbgrader.api import Gradebook

import submissions
from grader import nbgrader_course
from grader.course import ASSIGNMENTS

pytestmark = pytest.mark.slow

# The function made wrong in each assignment: one that others call, to show
# that a wrong callee costs only its own points.
WRONG = {
    "c1w2a1": "activations.sigmoid",
    "c1w2a2": "logistic.propagate",
    "c1w3a1": "shallow.forward_propagation",
    "c1w4a1": "dense.linear_forward",
    "c1w4a2": "dense.two_layer_model",
}
STUDENTS = ("unchanged", "reference", "one_wrong", "edited_test_cell")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Autograde all submissions of all assignments once; return scores and timings."""
    root = nbgrader_course.assemble(tmp_path_factory.mktemp("course"), ASSIGNMENTS)
    expected, seconds = {}, {}
    for a in ASSIGNMENTS:
        released = nbgrader_course.read_notebook(nbgrader_course.release(root, a) / a.notebook)
        solution = nbgrader_course.read_notebook(root / "source" / a.id / a.notebook)
        made = {
            "unchanged": submissions.unchanged(released, solution),
            "reference": submissions.reference(released, solution),
            "one_wrong": submissions.one_wrong(released, solution, WRONG[a.id]),
            "edited_test_cell": submissions.edited_test_cell(released, solution, WRONG[a.id]),
        }
        for student, nb in made.items():
            submissions.write(nb, root / "submitted" / student / a.id / a.notebook)
        points = submissions.points_by_function(solution)
        total = sum(points.values())
        expected[a.id] = {"unchanged": 0.0, "reference": total,
                          "one_wrong": total - points[WRONG[a.id]],
                          "edited_test_cell": total - points[WRONG[a.id]]}
        start = time.perf_counter()
        nbgrader_course.nbgrader(root, "autograde", a.id, "--force")
        seconds[a.id] = (time.perf_counter() - start) / len(made)
        nbgrader_course.nbgrader(root, "generate_feedback", a.id, "--force")
    nbgrader_course.nbgrader(root, "export")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        scores = {(a.id, s): gb.find_submission(a.id, s).score for a in ASSIGNMENTS
                  for s in STUDENTS}
    print("autograde seconds per submission:", {k: round(v, 1) for k, v in seconds.items()})
    return root, scores, expected


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("assignment", [a.id for a in ASSIGNMENTS])
def test_score(graded, assignment, student):
    """Reference: full marks; unchanged: 0; one wrong function (even with its test cell
    edited to `assert True`): everything but that function's points."""
    _, scores, expected = graded
    assert scores[assignment, student] == pytest.approx(expected[assignment][student]), (
        f"{assignment}/{student}: expected {expected[assignment][student]}, "
        f"got {scores[assignment, student]}")


def test_grades_csv_has_every_submission(graded):
    root, scores, _ = graded
    with open(root / "grades.csv") as f:
        rows = {(r["assignment"], r["student_id"]): float(r["raw_score"])
                for r in csv.DictReader(f)}
    for key, score in scores.items():
        assert rows[key] == pytest.approx(score), key


def test_feedback_hides_hidden_tests(graded):
    """Does the feedback a student receives show no hidden test code?"""
    root, _, _ = graded
    pages = list((root / "feedback").rglob("*.html"))
    assert len(pages) == len(ASSIGNMENTS) * len(STUDENTS), pages
    for page in pages:
        text = page.read_text()
        assert "grader.hidden" not in text and "HIDDEN TESTS" not in text, page
