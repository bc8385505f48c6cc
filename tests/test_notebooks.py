"""Every solution notebook runs top to bottom under nbval, in under a minute."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.course import ASSIGNMENTS

pytestmark = pytest.mark.slow
SANITIZE = Path(__file__).with_name("nbval_sanitize.cfg")
TIME_LIMIT = 60.0


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.id)
def test_solution_notebook_runs_and_matches_its_outputs(assignment):
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(assignment.source), "--sanitize-with",
         str(SANITIZE), "-p", "no:cacheprovider", "-q", "--nbval-cell-timeout", "300"],
        capture_output=True, text=True)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, f"nbval failed for {assignment.notebook}:\n{done.stdout[-6000:]}"
    print(f"{assignment.notebook}: nbval {seconds:.1f} s")
    assert seconds < TIME_LIMIT, (
        f"{assignment.notebook} took {seconds:.0f} s (limit {TIME_LIMIT:.0f} s)")
