"""A real nbgrader round trip for every assignment, then the hardened grader on it.

For each assignment a course directory is copied from the run's shared release
(``nbgrader generate_assignment`` of every assignment, see conftest.py), the
submissions below are put in ``submitted/`` and graded with plain ``nbgrader
autograde`` (hidden tests in the student's kernel); scores are read from the
gradebook, and feedback and the grades CSV are generated. Then the hardened
grader grades the same submissions and one per graded function with only that
function wrong. Each assignment is a test of its own, so pytest-xdist spreads
them over the cores.
"""

import csv

import pytest
from nbgrader.api import Gradebook

from grader import submissions
from grader.authoring import course_dir
from grader.authoring.catalogue import ASSIGNMENTS
from grader.grading import batch

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
    "c4w1a1": "conv.conv_single_step",
    "c4w1a2": "conv.conv_forward_fast",
    "c4w2a1": "resnet.conv_multiplications",
    "c4w2a2": "transfer.replace_head",
    "c4w3a1": "detection.iou",
    "c4w4a1": "faces.triplet_loss_backward",
    "c4w4a2": "style.layer_style_cost",
    "c5w1a1": "rnn.lstm_cell_backward",
    "c5w1a2": "rnn.optimize",
    "c5w1a3": "music.music_cost",
    "c5w2a1": "embeddings.glove_weight",
    "c5w2a2": "emojify.sentence_to_avg",
    "c5w3a1": "attention.one_step_attention",
    "c5w3a2": "trigger.is_overlapping",
    "c5w4a1": "transformer.scaled_dot_product_attention",
}
# edited_and_trimmed has WRONG's function perturbed, its graded test cell replaced
# by `assert True` and the experiment cells deleted: only restoring the test cell and
# isolating the callee give exactly "everything but that function's points".
STUDENTS = ("unchanged", "reference", "edited_and_trimmed")


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_round_trip(course_for, tmp_path, assignment):
    """Reference (without its experiments): full marks; unchanged: 0; one wrong function
    with its test cell edited to `assert True` (and the experiments deleted): everything but
    that function's points.
    Is every submission in the grades CSV, and does each get a feedback page?

    Plain nbgrader's feedback shows the hidden tests (it renders the test cells as
    graded); the hardened grader's does not: see test_hardened.py.
    """
    root = course_for(tmp_path / "course", assignment)
    released = course_dir.read_notebook(root / "release" / assignment.id /
                                             assignment.notebook)
    solution = course_dir.read_notebook(root / "source" / assignment.id /
                                             assignment.notebook)
    made = {
        "unchanged": submissions.unchanged(released, solution),
        # The experiments are left out: nbval runs the whole solution notebook, hidden
        # tests included, so here they would only double the time of the round trip.
        "reference": submissions.without_experiments(submissions.reference(released, solution)),
        "edited_and_trimmed": submissions.edited_and_trimmed(released, solution,
                                                             WRONG[assignment.id]),
    }
    for student, nb in made.items():
        submissions.write(nb, root / "submitted" / student / assignment.id / assignment.notebook)
    points = submissions.points_by_function(solution)
    total = sum(points.values())
    expected = {"unchanged": 0.0, "reference": total,
                "edited_and_trimmed": total - points[WRONG[assignment.id]]}
    course_dir.nbgrader(root, "autograde", assignment.id, "--force", plain=True)
    course_dir.nbgrader(root, "generate_feedback", assignment.id, "--force")
    course_dir.nbgrader(root, "export", "--to", str(root / "grades.csv"))
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(assignment.id, s).score for s in STUDENTS}
    assert scores == pytest.approx(expected), f"{assignment.id}: expected {expected}, got {scores}"
    with open(root / "grades.csv") as f:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)
                if r["assignment"] == assignment.id}
    assert rows == pytest.approx(scores), f"grades.csv {rows} differs from the gradebook {scores}"
    pages = sorted(p.relative_to(root) for p in (root / "feedback").rglob("*.html"))
    assert len(pages) == len(STUDENTS), f"expected one feedback page per student; got {pages}"

    # The hardened grader on the same submissions, and on one per graded function with
    # only that function wrong: does each lose exactly its own points?
    for function in points:
        nb = submissions.one_wrong(released, solution, function)
        submissions.write(nb, root / "submitted" / _wrong(function) / assignment.id /
                          assignment.notebook)
        expected[_wrong(function)] = total - points[function]
    results = batch.run_jobs(batch.jobs_for(root, assignment), workers=1, progress=False)
    got = {r.student: r.score for r in results}
    wrong = "\n".join(f"  {r.student}: {r.score:g}, expected {expected[r.student]:g}; "
                      f"{r.error} " + "; ".join(c.message for c in r.cells if not c.points)
                      for r in results if r.score != pytest.approx(expected[r.student]))
    assert got == pytest.approx(expected), f"{assignment.id}, hardened grader:\n{wrong}"
    # None of these submissions deletes or repeats an answer cell, and the released
    # notebook's setup cells (data loading included) must run in the sandbox too.
    errors = {r.student: r.error for r in results if r.error}
    assert not errors, f"{assignment.id}, hardened grader reported: {errors}"


def _wrong(function):
    return "wrong_" + function.replace(".", "_")


def test_every_assignment_has_a_wrong_function():
    assert set(WRONG) == {a.id for a in ASSIGNMENTS}
