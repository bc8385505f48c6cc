"""The notebook metadata that the authoring and grading stacks share, defined and read here.

On cells:

- ``nbgrader``: nbgrader's own (``grade_id``; ``solution`` on an answer cell;
  ``grade`` and ``points`` on a graded test cell; ``locked``).
- ``dlcourse.functions``: on an answer cell, the ``module.function`` names it
  holds, whose text the build keeps equal to the package's; on any other cell
  that shows package code, the same.
- ``dlcourse.tests``: on a hidden-test cell, the functions its hidden tests check.

On a notebook, ``dlcourse`` holds ``executed_with`` (a solution notebook: the
BLAS setting its outputs were stored with) or ``generated_from`` and
``generated_by`` (a student notebook).
"""

KEY = "dlcourse"


def nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _ours(cell) -> dict:
    return cell.get("metadata", {}).get(KEY, {})


def functions(cell) -> list[str]:
    """The package functions a cell holds (``dlcourse.functions``)."""
    return list(_ours(cell).get("functions", []))


def tests(cell) -> list[str]:
    """The functions a hidden-test cell checks (``dlcourse.tests``)."""
    return list(_ours(cell).get("tests", []))


def grade_id(cell) -> str | None:
    return nbgrader(cell).get("grade_id")


def is_answer(cell) -> bool:
    return bool(nbgrader(cell).get("solution"))


def is_graded_test(cell) -> bool:
    """A hidden-test cell: graded and worth points (visible tests are worth none)."""
    return bool(nbgrader(cell).get("grade")) and not is_answer(cell) and points(cell) > 0


def is_visible_test(cell) -> bool:
    return str(nbgrader(cell).get("grade_id", "")).startswith("visible_")


def points(cell) -> float:
    return float(nbgrader(cell).get("points", 0))


def set_functions(cell, names) -> None:
    cell.metadata.setdefault(KEY, {})["functions"] = list(names)


def set_tests(cell, names) -> None:
    cell.metadata.setdefault(KEY, {})["tests"] = list(names)


def notebook_info(nb) -> dict:
    """The notebook-level ``dlcourse`` metadata (empty if there is none)."""
    return dict(nb.get("metadata", {}).get(KEY, {}))


def set_notebook_info(nb, replace=False, **fields) -> None:
    """Add ``fields`` to the notebook-level metadata, or replace it with them."""
    info = {} if replace else notebook_info(nb)
    nb.metadata[KEY] = {**info, **fields}
