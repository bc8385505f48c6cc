"""``python -m grader.bench notebooks [ids]``: how long each solution notebook takes.

Time budgets live here, not in the tests: a test that asserts a wall-clock limit
fails on a slower or busier machine for reasons that have nothing to do with the
code. The benchmark runs each notebook top to bottom in a fresh kernel, as a
student would (BLAS on every core), and prints its time next to this machine's
measured float64 matrix-multiply rate, so that times from two machines can be
compared. Budgets: each notebook within 60 s, all of them within 5 minutes, on a
2-core laptop.
"""

import argparse
import sys
import time

import numpy as np

from grader.authoring.catalogue import ASSIGNMENTS, get
from grader.authoring.execute import run_notebook

NOTEBOOK_BUDGET = 60.0
COURSE_BUDGET = 300.0


def gemm_gflops(n: int = 1024, repeats: int = 5) -> float:
    """Best rate of an n x n float64 matrix product, in GFLOP/s (2 n^3 operations)."""
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        A @ B
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def seconds_to_run(assignment) -> float:
    """Seconds to execute the solution notebook in a fresh kernel (nothing is stored)."""
    start = time.perf_counter()
    run_notebook(assignment, {}, timeout=1800)
    return time.perf_counter() - start


def notebooks(assignments) -> int:
    rate = gemm_gflops()
    print(f"float64 GEMM on this machine: {rate:.0f} GFLOP/s")
    total, over = 0.0, []
    for a in assignments:
        seconds = seconds_to_run(a)
        total += seconds
        flag = "" if seconds <= NOTEBOOK_BUDGET else f"  over the {NOTEBOOK_BUDGET:.0f} s budget"
        over += [a.id] if flag else []
        print(f"{a.id:8} {seconds:6.1f} s{flag}", flush=True)
    print(f"{'total':8} {total:6.1f} s (budget {COURSE_BUDGET:.0f} s for the whole course); "
          f"GEMM {gemm_gflops():.0f} GFLOP/s after the run")
    return 1 if over or (total > COURSE_BUDGET and len(assignments) == len(ASSIGNMENTS)) else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["notebooks"])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    args = parser.parse_args(argv)
    chosen = [get(i) for i in args.assignments] if args.assignments else list(ASSIGNMENTS)
    return notebooks(chosen)


if __name__ == "__main__":
    sys.exit(main())
