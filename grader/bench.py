"""Benchmarks (times measured side by side in one run, never asserted in a test).

``python -m grader.bench notebooks [ids]``: how long each solution notebook takes.
``python -m grader.bench grading [ids]``: seconds per submission of plain nbgrader
autograde and of the hardened grader, serial and with 2 workers (see ``grading``).
``python -m grader.bench similarity [--size 200]``: seconds for the similarity report
of a synthetic class of c1w4a1 submissions, and its precision and recall there.
``python -m grader.bench lstm``: dlcourse.rnn's LSTM forward + backward against
``torch.nn.LSTM`` on the same shapes (see ``lstm``).
``python -m grader.bench conv``: the course's fast convolution against PyTorch's
(``grader.bench_conv``).

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
from pathlib import Path

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


GRADING_DEFAULT = ("c1w2a1", "c1w4a1", "c2w2a1")
GRADING_GOAL = 1.8  # hardened with 2 workers vs plain nbgrader serial, in throughput


def _class_of(root, assignment, size):
    """``size`` submissions in ``submitted/``: the reference, the released notebook, and
    one wrong function each for the rest, in turn."""
    from grader import submissions
    from grader.authoring import course_dir

    released = course_dir.read_notebook(root / "release" / assignment.id / assignment.notebook)
    solution = course_dir.read_notebook(root / "source" / assignment.id / assignment.notebook)
    made = {"reference": submissions.reference(released, solution),
            "unchanged": submissions.unchanged(released, solution)}
    for i in range(size - len(made)):
        function = assignment.functions[i % len(assignment.functions)]
        made[f"wrong{i}"] = submissions.one_wrong(released, solution, function)
    for student, nb in made.items():
        submissions.write(nb, root / "submitted" / student / assignment.id / assignment.notebook)
    return sorted(made)


def _timed(action):
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def grading_one(assignment, size, folder):
    """(seconds per submission by mode, scores agree?) for one assignment."""
    from grader.authoring import course_dir
    from grader.grading import batch

    root = folder / assignment.id
    course_dir.release(root, [assignment])
    students = _class_of(root, assignment, size)
    plain_seconds, _ = _timed(lambda: course_dir.nbgrader(root, "autograde", assignment.id,
                                                          "--force", plain=True))
    with batch.gradebook(root) as gb:
        plain = {s: gb.find_submission(assignment.id, s).score for s in students}
    jobs = batch.jobs_for(root, assignment)
    batch.self_test(root, assignment)  # as the CLI does, once per class (not timed)
    modes = {"plain nbgrader, serial": (plain_seconds, plain)}
    for label, workers in (("hardened, serial", 1), ("hardened, 2 workers", 2)):
        seconds, results = _timed(lambda w=workers: batch.run_jobs(jobs, workers=w,
                                                                   progress=False))
        modes[label] = (seconds, {r.student: r.score for r in results})
    agree = all(scores == plain for _, scores in modes.values())
    return {label: seconds / len(students) for label, (seconds, _) in modes.items()}, agree


def grading(assignments, size=8) -> int:
    """Plain ``nbgrader autograde`` (one process, the notebook run in a kernel with the
    hidden tests) against the hardened grader, serial and with 2 workers, on the same
    class of ``size`` submissions per assignment."""
    import tempfile

    print(f"float64 GEMM on this machine: {gemm_gflops():.0f} GFLOP/s; "
          f"{size} submissions per assignment")
    header = ("plain nbgrader, serial", "hardened, serial", "hardened, 2 workers")
    print(f"{'':8} " + " ".join(f"{h:>22}" for h in header) + f" {'speed-up':>9} "
          f"{'scores':>7}")
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        for a in assignments:
            per, agree = grading_one(a, size, Path(tmp))
            ratio = per["plain nbgrader, serial"] / per["hardened, 2 workers"]
            missed += [a.id] if ratio < GRADING_GOAL or not agree else []
            print(f"{a.id:8} " + " ".join(f"{per[h]:>20.2f} s" for h in header) +
                  f" {ratio:>8.2f}x {'agree' if agree else 'DIFFER':>7}", flush=True)
    print(f"goal: hardened with 2 workers at least {GRADING_GOAL}x the throughput of plain "
          f"nbgrader serial, identical scores: "
          f"{'met' if not missed else 'missed for ' + ', '.join(missed)}")
    return 1 if missed else 0


def similarity(size=200) -> int:
    """The similarity report (``python -m grader similarity``) of ``size`` synthetic c1w4a1
    submissions, nine in ten honest and one in ten copied (``grader/synthetic_class.py``),
    written as notebooks into a released course directory: seconds (reading and
    normalising the notebooks, comparing every pair, writing the report), and the
    precision and recall of the suspicious pairs."""
    import tempfile

    from grader import similarity as sim
    from grader import submissions, synthetic_class
    from grader.authoring import course_dir

    a = synthetic_class.ASSIGNMENT
    copies = max(2, size // 10)
    students = synthetic_class.make_class(size - copies, copies)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        course_dir.release(root, [a])
        released = course_dir.read_notebook(root / "release" / a.id / a.notebook)
        for s in students:
            submissions.write(synthetic_class.notebook(s, released),
                              root / "submitted" / s.name / a.id / a.notebook)
        cpu = time.process_time()
        seconds, (result, _, _) = _timed(lambda: sim.report(root, a))
        cpu = time.process_time() - cpu
    truth = synthetic_class.copy_pairs(students)
    precision, recall = synthetic_class.precision_recall(result, truth)
    copy = [p.score for p in result.pairs if (p.a, p.b) in truth]
    honest = [p.score for p in result.pairs if (p.a, p.b) not in truth] or [0.0]
    print(f"float64 GEMM on this machine: {gemm_gflops():.0f} GFLOP/s")
    print(f"{len(students)} submissions of {a.id} ({size - copies} honest, {copies} copiers, "
          f"{len(truth)} copy pairs), {len(students) * (len(students) - 1) // 2} pairs")
    print(f"similarity report: {seconds:.1f} s, {cpu:.1f} s of CPU time (a busy machine "
          f"stretches the first, hardly the second); {result.compare_seconds:.1f} s comparing "
          f"the pairs, the rest reading and normalising the notebooks and writing the report")
    print(f"at the threshold {result.threshold:g}: precision {precision:.3f}, recall "
          f"{recall:.3f}; lowest copy pair {min(copy):.3f}, highest honest pair "
          f"{max(honest):.3f}")
    return 0


LSTM_SHAPES = ((8, 32, 16, 20), (32, 64, 32, 50), (64, 128, 64, 100))  # (n_x, n_a, m, T_x)


def lstm(repeats=5) -> int:
    """Best-of-``repeats`` time of one forward and backward pass through an LSTM layer:
    ``dlcourse.rnn`` (NumPy, one cell at a time, float64) and ``torch.nn.LSTM`` on the CPU
    with the same shapes, in float64 and in float32, and the ratio NumPy / torch float64.
    The loss is sum(da * a) for a fixed random da, the gradient ``lstm_backward`` takes."""
    import torch

    from dlcourse.rnn import lstm_backward, lstm_forward
    from grader.bench_conv import best_seconds

    print(f"float64 GEMM on this machine: {gemm_gflops():.0f} GFLOP/s; torch threads: "
          f"{torch.get_num_threads()}; best of {repeats}")
    print(f"{'n_x':>4} {'n_a':>4} {'m':>4} {'T_x':>4} {'NumPy f64':>11} {'torch f64':>11} "
          f"{'torch f32':>11} {'NumPy/torch f64':>16}")
    for n_x, n_a, m, T_x in LSTM_SHAPES:
        rng = np.random.default_rng(0)
        parameters = {"Wy": rng.normal(size=(2, n_a)), "by": np.zeros((2, 1))}
        for g in ("f", "u", "c", "o"):
            parameters["W" + g] = rng.normal(0, 1 / np.sqrt(n_a + n_x), (n_a, n_a + n_x))
            parameters["b" + g] = np.zeros((n_a, 1))
        x, a0 = rng.normal(size=(n_x, m, T_x)), np.zeros((n_a, m))
        da = rng.normal(size=(n_a, m, T_x))

        def numpy_pass(x=x, a0=a0, da=da, parameters=parameters):
            lstm_backward(da, lstm_forward(x, a0, parameters)[3])

        seconds = {"numpy": best_seconds(numpy_pass, repeats)}
        for dtype in (torch.float64, torch.float32):
            layer = torch.nn.LSTM(n_x, n_a, dtype=dtype)
            # (T_x, m, n_x): PyTorch's sequence-first layout
            tx = torch.tensor(x.transpose(2, 1, 0), dtype=dtype, requires_grad=True)
            tda = torch.tensor(da.transpose(2, 1, 0), dtype=dtype)  # (T_x, m, n_a)

            def torch_pass(layer=layer, tx=tx, tda=tda):
                layer.zero_grad()
                (layer(tx)[0] * tda).sum().backward()

            seconds[dtype] = best_seconds(torch_pass, repeats)
        print(f"{n_x:>4} {n_a:>4} {m:>4} {T_x:>4} {seconds['numpy'] * 1e3:>8.1f} ms "
              f"{seconds[torch.float64] * 1e3:>8.1f} ms {seconds[torch.float32] * 1e3:>8.1f} ms "
              f"{seconds['numpy'] / seconds[torch.float64]:>15.2f}x", flush=True)
    return 0


BENCHMARKS = ("notebooks", "grading", "similarity", "lstm", "conv")


def command_line() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grader.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=BENCHMARKS)
    parser.add_argument("assignments", nargs="*",
                        help=f"assignment ids (default: all notebooks; for grading "
                             f"{', '.join(GRADING_DEFAULT)})")
    parser.add_argument("--size", type=int,
                        help="grading: submissions per assignment (default 8); similarity: "
                             "submissions (default 200)")
    return parser


def main(argv=None) -> int:
    args = command_line().parse_args(argv)
    if args.what == "similarity":
        return similarity(args.size or 200)
    if args.what == "lstm":
        return lstm()
    if args.what == "conv":
        from grader.bench_conv import conv

        return conv(gemm_gflops)
    if args.what == "grading":
        return grading([get(i) for i in args.assignments or GRADING_DEFAULT], args.size or 8)
    chosen = [get(i) for i in args.assignments] if args.assignments else list(ASSIGNMENTS)
    return notebooks(chosen)


if __name__ == "__main__":
    sys.exit(main())
