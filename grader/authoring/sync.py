"""Graded cells of the solution notebooks are copies of ``dlcourse`` functions.

A graded answer cell carries ``metadata.dlcourse.functions``, the list of
``module.function`` names it holds; its source is those functions' text in the
package, markers included. Any other cell with that metadata (for example a
training loop shown in full, which cannot live in the student package because
it calls this assignment's stubs) is kept in sync the same way.
``python -m grader build`` rewrites the cells so the package stays the one
source of reference code.
"""

import nbformat

from grader.authoring import metadata
from grader.authoring.catalogue import Assignment
from grader.authoring.stubs import function_source


def graded_functions(cell) -> list[str]:
    return metadata.functions(cell)


def cell_source(functions) -> str:
    return "\n\n\n".join(function_source(name) for name in functions)


def synced_notebook(assignment: Assignment):
    """The solution notebook with every graded cell refreshed from the package."""
    nb = nbformat.read(assignment.source, as_version=4)
    seen = []
    for cell in nb.cells:
        functions = graded_functions(cell)
        if functions:
            cell.source = cell_source(functions)
            seen.extend(functions)
    missing = [f for f in assignment.functions if f not in seen]
    if missing:
        raise ValueError(f"{assignment.notebook}: no graded cell holds {missing}")
    return nb


def stale_cells(assignment: Assignment) -> list[str]:
    """Functions whose graded cell differs from the package (empty when in sync)."""
    nb = nbformat.read(assignment.source, as_version=4)
    return [", ".join(graded_functions(c)) for c in nb.cells
            if graded_functions(c) and c.source != cell_source(graded_functions(c))]
