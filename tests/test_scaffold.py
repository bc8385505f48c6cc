"""`python -m grader new <id>`: the skeleton an author starts a new assignment from."""

import numpy as np
import pytest

from grader.authoring import metadata
from grader.authoring.catalogue import get
from grader.authoring.scaffold import new, solution_notebook, spec_file

A = get("c1w2a1")


def test_notebook_has_the_three_cells_of_each_exercise():
    nb = solution_notebook(A)
    answers = [c for c in nb.cells if metadata.is_answer(c)]
    graded = [c for c in nb.cells if metadata.is_graded_test(c)]
    assert [metadata.functions(c) for c in answers] == [[f] for f in A.functions]
    assert [metadata.tests(c) for c in graded] == [[f] for f in A.functions]
    for qualname in A.functions:
        name = qualname.rsplit(".", 1)[1]
        i = next(i for i, c in enumerate(nb.cells) if metadata.functions(c) == [qualname])
        answer, visible, hidden = nb.cells[i:i + 3]
        assert f"def {name}(" in answer.source and "### BEGIN SOLUTION" in answer.source
        assert metadata.grade_id(visible) == f"visible_{name}" and "raise NotImplementedError" \
            in visible.source, f"{name}: the visible tests must fail until they are written"
        assert f'check("{qualname}", {name}, globals())' in hidden.source


def test_spec_file_fails_until_its_input_makers_are_written():
    namespace = {}
    exec(compile(spec_file(A), "<spec>", "exec"), namespace)
    assert set(namespace["SPECS"]) == set(A.functions)
    with pytest.raises(NotImplementedError, match="activations.sigmoid"):
        namespace["SPECS"]["activations.sigmoid"].inputs(np.random.default_rng(0))


def test_new_refuses_to_overwrite():
    with pytest.raises(SystemExit, match="refusing to overwrite"):
        new("c1w2a1")
