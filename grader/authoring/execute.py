"""``python -m grader execute [ids]``: run solution notebooks and store their outputs.

The stored outputs are what nbval compares in the tests, which run every notebook
again under another numeric setting (see ``comparison_setting``): an output that changes
with the CPU's floating-point rounding fails there, not on an instructor's machine.
Each notebook records the setting it was executed with in its metadata
(``dlcourse.executed_with``), and per-cell run timestamps are dropped so that a
re-execution changes only what the notebook prints.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from grader.authoring import metadata
from grader.authoring.catalogue import SOLUTIONS
from grader.authoring.sync import synced_notebook

# The setting outputs are stored with: the machine's own kernels, two BLAS threads.
STORE_BLAS = {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}

# OpenBLAS kernels the tests can switch to, fastest first, with the CPU flags each needs:
# Haswell (AVX2 with fused multiply-add), Sandybridge (AVX, no FMA), Prescott (SSE3).
_KERNELS = (("Haswell", {"avx2", "fma"}), ("Sandybridge", {"avx"}), ("Prescott", set()))


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags")
            for flag in line.split(":", 1)[1].split()}


def comparison_setting(stored: dict) -> dict:
    """Environment under which the tests compare outputs stored with ``stored``.

    Another OpenBLAS kernel than the stored one (the fastest this CPU runs), one thread
    instead of two, and NumPy's own loops without AVX-512 (a no-op where it has none):
    each changes the rounding of sums and products the way another machine would.
    """
    flags = _cpu_flags()
    kernel = next(name for name, needs in _KERNELS
                  if needs <= flags and name != stored.get("blas")) if flags else "Prescott"
    return {"OPENBLAS_CORETYPE": kernel, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}

_PROBE = ("import json, numpy, threadpoolctl; "
          "info = [i for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas'][0]; "
          "print(json.dumps({'blas': info.get('architecture'), "
          "'blas_threads': info['num_threads']}))")


def blas_setting(env: dict) -> dict:
    """The BLAS kernel and thread count a Python started with ``env`` uses."""
    done = subprocess.run([sys.executable, "-c", _PROBE], env={**os.environ, **env},
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def run_notebook(assignment, env: dict, timeout: int = 600):
    """The solution notebook, graded cells synced, run top to bottom in a fresh kernel
    whose environment is this process's with ``env`` on top; returns the notebook."""
    nb = synced_notebook(assignment)
    kernel_env = {**os.environ, **env}
    kernel_env.pop("MPLBACKEND", None)  # Jupyter's inline plots need it unset
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(SOLUTIONS)}}).execute(env=kernel_env)
    return nb


def execute(assignment) -> None:
    """Run the solution notebook with ``STORE_BLAS``; store it executed."""
    nb = run_notebook(assignment, STORE_BLAS)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    metadata.set_notebook_info(nb, executed_with=blas_setting(STORE_BLAS))
    nbformat.write(nb, assignment.source)
