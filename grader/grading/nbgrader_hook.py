"""nbgrader's own autograde, routed through the hardened grader.

The course's ``nbgrader_config.py`` puts ``HardenedExecute`` where nbgrader runs
the notebook (``Autograde.autograde_preprocessors``), so every way of starting
nbgrader's autograde in the course directory grades like ``python -m grader
autograde``: the formgrader's Autograde button, ``nbgrader autograde`` and
``NbGraderAPI.autograde``. Instead of executing the notebook with the hidden
tests inside the student's kernel, it grades the student's submitted file in
the sandbox and writes each graded cell's outcome as that cell's output; nbgrader's
``SaveAutoGrades`` then scores the cells from those outputs, as it would after
running them.

Setting ``DLCOURSE_PLAIN_AUTOGRADE=1`` in nbgrader's environment restores plain
nbgrader (the notebook run in a kernel). The test suite uses it to prove that the
notebooks themselves grade correctly; an instructor has no reason to.
"""

import functools
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from grader.authoring import metadata
from grader.authoring.catalogue import get
from grader.grading import autograde, batch


@functools.cache
def _self_test(root: Path, assignment_id: str) -> None:
    """Once per process and assignment: the reference must score full marks."""
    batch.self_test(root, get(assignment_id))


class HardenedExecute(NbGraderPreprocessor):
    """Score the graded cells with the hardened grader instead of executing them."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        root = Path(CourseDirectory(config=self.config).root).resolve()
        assignment = get(info["assignment"])
        _self_test(root, assignment.id)
        job = batch.job_for(root, assignment, info["student"])
        result = batch.safe_grade(job)
        batch.write_log(root, result)
        outcomes = {cell.grade_id: cell for cell in result.cells}
        for cell in nb.cells:
            if metadata.is_graded_test(cell):
                outcome = outcomes.get(metadata.grade_id(cell))
                passed = outcome is not None and outcome.points == outcome.max_points
                message = outcome.message if outcome is not None else result.error
                autograde.show(cell, passed, message)
        self.log.info("hardened grader: %s %s scored %g/%g%s", info["student"],
                      assignment.id, result.score, result.max_score,
                      f" ({result.error})" if result.error else "")
        return nb, resources
