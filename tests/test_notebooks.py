"""Every solution notebook runs top to bottom under nbval, and prints what it stored.

The outputs were stored by `python -m grader execute` with one numeric setting; nbval
runs the notebooks here with another (``comparison_setting``: a different OpenBLAS kernel,
thread count and NumPy SIMD level), so a stored output that depends on floating-point
rounding fails here rather than on an instructor's machine. Times are not asserted:
`python -m grader.bench notebooks` measures them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.authoring import metadata
from grader.authoring.catalogue import ASSIGNMENTS
from grader.authoring.execute import blas_setting, comparison_setting

pytestmark = pytest.mark.slow
SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")
# A hang guard, not a budget: generous enough for a slow, busy machine.
CELL_TIMEOUT = 600


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_solution_notebook_runs_and_matches_its_outputs(assignment):
    stored = metadata.notebook_info(json.loads(assignment.source.read_text()))
    assert "executed_with" in stored, (
        f"{assignment.notebook}: store its outputs with `python -m grader execute {assignment.id}`")
    setting = comparison_setting(stored["executed_with"])
    here = blas_setting(setting)
    assert here != stored["executed_with"], (
        f"the outputs were stored with {stored['executed_with']}; comparing them under the "
        f"same setting would not show rounding-dependent outputs")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(assignment.source), "--nbval-sanitize-with",
         str(SANITIZE), "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
         "--nbval-cell-timeout", str(CELL_TIMEOUT)],
        capture_output=True, text=True, env={**os.environ, **setting})
    assert done.returncode == 0, (
        f"nbval failed for {assignment.notebook} (stored with {stored['executed_with']}, "
        f"run with {here}):\n{done.stdout[-6000:]}")
