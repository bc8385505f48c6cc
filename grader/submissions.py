"""Submissions made for the grader tests and benchmarks, named after what the student did.

Each maker takes the released notebook (what the student received) and the
solution notebook, and returns the notebook the student hands in.
"""

import copy

import nbformat

from grader.authoring import metadata

# Appended to an answer cell: the function still runs the reference code but
# returns a perturbed result, as a plausible bug would.
_WRONG = '''

def _make_wrong(fn):
    import functools
    import numpy as _np

    def nudge(value):
        if isinstance(value, dict):
            return {k: nudge(v) for k, v in value.items()}
        if isinstance(value, (tuple, list)):
            return type(value)(nudge(v) for v in value)
        if isinstance(value, (_np.ndarray, float, int)) and not isinstance(value, bool):
            return value + 0.5 if _np.ndim(value) == 0 else value * 1.1 + 0.5
        if isinstance(value, str):
            return value + " (wrong)"
        if value is None or isinstance(value, bool):
            return "wrong"
        return value

    @functools.wraps(fn)
    def wrong(*args, **kwargs):
        return nudge(fn(*args, **kwargs))
    return wrong


{name} = _make_wrong({name})
'''


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def unchanged(released, solution):
    """The released notebook handed in as it was: every graded function is a stub."""
    return copy.deepcopy(released)


def reference(released, solution):
    """Every answer cell filled with the reference solution."""
    answers = {_meta(c)["grade_id"]: c.source for c in solution.cells if _meta(c).get("solution")}
    nb = copy.deepcopy(released)
    for cell in nb.cells:
        if _meta(cell).get("solution"):
            cell.source = answers[_meta(cell)["grade_id"]]
    return nb


def one_wrong(released, solution, function):
    """Reference answers, except ``function`` returns a perturbed result."""
    nb = reference(released, solution)
    for cell in nb.cells:
        if function in metadata.functions(cell):
            cell.source += _WRONG.replace("{name}", function.rsplit(".", 1)[1])
            return nb
    raise LookupError(f"no answer cell holds {function}")


def edited_test_cell(released, solution, function):
    """``one_wrong`` plus the graded test cell of that function replaced by ``assert True``."""
    nb = one_wrong(released, solution, function)
    for cell in nb.cells:
        if function in metadata.tests(cell):
            cell.source = "assert True"
    return nb


def without_experiments(nb):
    """A copy of ``nb`` without the ungraded code cells after the first answer cell
    (experiments, training runs): grading must not depend on them."""
    nb = copy.deepcopy(nb)
    first = next(i for i, c in enumerate(nb.cells) if _meta(c).get("solution"))
    nb.cells = nb.cells[:first] + [c for c in nb.cells[first:]
                                   if c.cell_type != "code" or _meta(c)]
    return nb


def edited_and_trimmed(released, solution, function):
    """``edited_test_cell`` ``without_experiments``."""
    return without_experiments(edited_test_cell(released, solution, function))


def points_by_function(notebook) -> dict[str, float]:
    """Points of the graded test cell of each function (shared cells split evenly)."""
    out = {}
    for cell in notebook.cells:
        tested = metadata.tests(cell)
        for name in tested:
            out[name] = float(_meta(cell)["points"]) / len(tested)
    return out


def write(notebook, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
