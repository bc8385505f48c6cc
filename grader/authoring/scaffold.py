"""``python -m grader new <id>``: the skeleton of a new assignment, for its author.

The assignment must already be in the catalogue with its graded functions, and
those functions must exist in ``dlcourse`` with their solution markers (the
reference code lives there first). The command writes:

* ``solutions/<notebook>``: an introduction to fill in, a setup cell, and for
  each graded function the exercise's cells: the math (to fill in), the answer
  cell (filled from the package), a visible-test cell that fails until its
  checks are written, and the hidden-test cell; then an experiment to write.
* ``grader/grading/specs/<id>.py``: one hidden-test spec per function, whose input
  makers raise until they are written.

Nothing is overwritten. Until the TODOs are done the notebook and the specs fail
their tests, as they should.
"""

from pathlib import Path

import nbformat

from grader.authoring.catalogue import get
from grader.authoring.cells import code, exercise, markdown, notebook
from grader.authoring.stubs import function_source

SPECS = Path(__file__).resolve().parent.parent / "grading" / "specs"

_SPEC_FILE = '''"""Hidden tests of {id} ({title}): fresh random inputs for each graded function."""

import numpy as np

from grader.grading.spec import Spec

{makers}

SPECS = {{
{entries}
}}
'''

_MAKER = '''def _{name}(rng: np.random.Generator) -> tuple:
    """Positional arguments of {qualname}, with fresh shapes and values."""
    raise NotImplementedError("write the input maker of {qualname}")
'''


def _setup_cell(modules):
    imports = "\n".join(f"from dlcourse import {m}" for m in sorted(modules))
    return code("import matplotlib.pyplot as plt\nimport numpy as np\n\nfrom dlcourse import "
                f"checks\n{imports}\n\nnp.random.seed(1)")


def solution_notebook(assignment):
    """The skeleton notebook of an assignment."""
    cells = [markdown(f"# {assignment.title}\n\nTODO: what the student builds and why it "
                      "matters, in a few sentences and one picture."),
             _setup_cell({q.split(".")[0] for q in assignment.functions} - {"checks"})]
    for number, qualname in enumerate(assignment.functions, start=1):
        name = qualname.rsplit(".", 1)[1]
        cells.append(markdown(f"## {number}. `{name}`\n\nTODO: the math, in LaTeX and the "
                              "notes' notation."))
        visible = (f"# TODO: visible tests of {name}: a hand-worked value (checks.expect), "
                   f"a shape (checks.expect_shape), a gradient check (checks.expect_gradient).\n"
                   f'raise NotImplementedError("write the visible tests of {name}")')
        cells += exercise([qualname], visible)
    cells.append(markdown("## Experiment\n\nTODO: train, plot, discuss what the student sees."))
    return notebook(cells)


def spec_file(assignment) -> str:
    names = [q.rsplit(".", 1)[1] for q in assignment.functions]
    makers = "\n\n".join(_MAKER.format(name=n, qualname=q)
                         for n, q in zip(names, assignment.functions, strict=True))
    entries = "\n".join(f'    "{q}": Spec(_{n}),'
                        for n, q in zip(names, assignment.functions, strict=True))
    return _SPEC_FILE.format(id=assignment.id, title=assignment.title, makers=makers,
                             entries=entries)


def new(assignment_id: str) -> list[Path]:
    """Write the skeleton files of an assignment of the catalogue; return their paths."""
    assignment = get(assignment_id)
    for qualname in assignment.functions:
        function_source(qualname)  # a clear error if the reference is not written yet
    paths = [assignment.source, SPECS / f"{assignment.id}.py"]
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        raise SystemExit(f"new {assignment.id}: refusing to overwrite {', '.join(existing)}")
    nbformat.write(solution_notebook(assignment), paths[0])
    paths[1].write_text(spec_file(assignment))
    return paths
