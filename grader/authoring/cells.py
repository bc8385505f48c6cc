"""Cells of a solution notebook, with the metadata nbgrader and the build expect.

Every exercise is three cells:

* ``answer_cell(functions)``: the graded functions (autograded answer cell).
  Its source is filled from ``dlcourse`` by ``python -m grader build``.
* ``visible_tests(source)``: locked, worth no points, for the student's
  immediate feedback; it calls ``dlcourse.checks``.
* ``hidden_tests(functions, points)``: locked, worth the points; its body is
  the hidden comparison with the reference, which the release removes.

A wrong function therefore costs exactly its own hidden-test points: the
hidden test of a function that calls another graded function runs with the
reference standing in for the callee.
"""

import nbformat

from grader.authoring import metadata
from grader.authoring.sync import cell_source


def _nbgrader(grade_id, *, grade, solution, locked, points=None):
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def markdown(text: str):
    return nbformat.v4.new_markdown_cell(text.strip())


def code(source: str):
    return nbformat.v4.new_code_cell(source.strip())


def answer_cell(functions, grade_id=None):
    """Graded answer cell holding these ``module.function`` names."""
    grade_id = grade_id or functions[0].rsplit(".", 1)[1]
    cell = nbformat.v4.new_code_cell(cell_source(functions))
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=False, solution=True, locked=False)
    metadata.set_functions(cell, functions)
    return cell


def visible_tests(source: str, grade_id: str):
    cell = nbformat.v4.new_code_cell(source.strip())
    cell.metadata["nbgrader"] = _nbgrader(f"visible_{grade_id}", grade=False, solution=False,
                                          locked=True)
    return cell


def hidden_tests(functions, points=1, grade_id=None):
    """Graded test cell: hidden comparisons with the reference for each function."""
    names = [f.rsplit(".", 1)[1] for f in functions]
    grade_id = grade_id or names[0]
    plural = "s" if points != 1 else ""
    lines = [f"# Hidden tests of {', '.join(names)} ({points} point{plural}) run when the "
             "notebook is graded:",
             "# the reference and your code get the same fresh random inputs.",
             "### BEGIN HIDDEN TESTS",
             "from grader.grading.hidden import check",
             "",
             *[_check_call(f, n) for f, n in zip(functions, names, strict=True)],
             "### END HIDDEN TESTS"]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["nbgrader"] = _nbgrader(f"test_{grade_id}", grade=True, solution=False,
                                          locked=True, points=points)
    metadata.set_tests(cell, functions)
    return cell


def _check_call(qualname, name):
    line = f'check("{qualname}", {name}, globals())'
    return line if len(line) <= 100 else f'check("{qualname}",\n      {name}, globals())'


def exercise(functions, visible_source, points=1):
    """The three cells of one exercise."""
    grade_id = functions[0].rsplit(".", 1)[1]
    return [answer_cell(functions, grade_id), visible_tests(visible_source, grade_id),
            hidden_tests(functions, points, grade_id)]


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb
