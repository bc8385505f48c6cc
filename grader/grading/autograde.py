"""The hardened autograder: each (student, assignment) is one independent job.

A job never executes the submission in the grader's own process. It rebuilds
the notebook from the released one, keeping only the student's answer cells
(so edited, deleted or reordered test cells change nothing), then for each
graded function starts a fresh sandboxed process (see ``sandbox.py``) that
runs the setup and answer cells and calls the function on inputs drawn here.
The outputs come back as plain data and are compared here with the reference,
which the sandbox never sees. Monkeypatching numpy or the checks, catching
``AssertionError``, exiting, or stashing a reference between tests therefore
earn nothing.

Jobs return plain data (``JobResult``), so they run alike in a local process
pool or on a Dask cluster; the caller alone writes the gradebook.
"""

import atexit
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from grader.authoring import metadata
from grader.authoring.catalogue import Assignment
from grader.authoring.stubs import function_source
from grader.grading import hidden, reference, sandbox, wire

HARNESS = Path(__file__).with_name("harness.py")
WIRE = Path(__file__).with_name("wire.py")


@dataclass
class CellResult:
    grade_id: str
    functions: list
    points: float
    max_points: float
    message: str


@dataclass
class JobResult:
    student: str
    assignment: str
    cells: list = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    notebook: str = ""  # the autograded notebook (JSON text) for feedback

    @property
    def score(self):
        return sum(c.points for c in self.cells)

    @property
    def max_score(self):
        return sum(c.max_points for c in self.cells)

    def to_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class Job:
    """Everything a worker needs; paths must be readable where the job runs."""
    student: str
    assignment: Assignment
    submission: Path  # the student's notebook file
    release: Path  # the released notebook (the template)
    package: Path  # the student copy of dlcourse for this assignment
    limits: sandbox.Limits = sandbox.Limits()
    notebook_seconds: float = 600.0


def template_parts(release_nb):
    """Setup cells, answer cells and graded test cells of the released notebook."""
    cells = release_nb.cells
    first_answer = next(i for i, c in enumerate(cells) if metadata.is_answer(c))
    setup = [c for c in cells[:first_answer] if c.cell_type == "code"]
    answers = [c for c in cells if metadata.is_answer(c)]
    tests = [c for c in cells if metadata.is_graded_test(c)]
    return setup, answers, tests


def read_answers(path: Path, wanted):
    """grade_id -> source of the student's answer cells; ValueError if unreadable.

    wanted: grade_id -> names of the functions that answer cell defines. A cell
    is found by its grade_id; failing that (metadata lost or edited), by being
    the first code cell that defines all of those functions.
    """
    try:
        nb = nbformat.reads(Path(path).read_text(errors="strict"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same to a grader
        raise ValueError(f"unreadable notebook {Path(path).name}: {type(exc).__name__}: "
                         f"{str(exc)[:200]}") from None
    code = [c for c in nb.cells if c.cell_type == "code"]
    found = {}
    for cell in code:
        grade_id = metadata.grade_id(cell)
        if grade_id in wanted and grade_id not in found:
            found[grade_id] = cell.source
    for grade_id, names in wanted.items():
        if grade_id not in found and names:
            match = next((c for c in code if all(f"def {n}(" in c.source for n in names)), None)
            if match is not None:
                found[grade_id] = match.source
    return found


def _callee_sources(tested, spec, graded):
    """Source defining, in the sandbox, the reference of the graded functions the tested
    one may call (never itself) and the spec's stand-ins under their global names."""
    callees = [q for q in reference.closure(spec.uses, graded) if q != tested]
    parts = [function_source(q) for q in callees]
    for short, qualname in spec.stand_ins:
        parts.append(f"{function_source(qualname)}\n\n\n{short} = "
                     f"{qualname.rsplit('.', 1)[1]}")
    return "\n\n\n".join(parts)


@functools.cache
def _matplotlib_folder() -> Path | None:
    """A matplotlib config folder holding its font list, made once per grading process
    and copied into each job (None if matplotlib could not make one)."""
    folder = Path(tempfile.mkdtemp(prefix="dlcourse-matplotlib-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"],
                          env={**os.environ, "MPLCONFIGDIR": str(folder)}, capture_output=True)
    return folder if done.returncode == 0 and any(folder.glob("fontlist-*.json")) else None


def _death(outcome) -> str:
    """What ended a sandboxed process that returned no results, in a few words."""
    if "MemoryError" in outcome.stderr:
        return "memory limit"
    code = outcome.returncode
    if code < 0 or code > 128:  # killed by a signal: Popen says -N, a shell 128 + N
        number = -code if code < 0 else code - 128
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {code} with no result: a call to sys.exit or os._exit?"


def check_function(job: Job, qualname, cells, deadline):
    """(passed, message) for one graded function, run in a fresh sandbox."""
    spec = hidden.specs()[qualname]
    name = qualname.rsplit(".", 1)[1]
    rng = np.random.default_rng()
    trials, expected, drawn = [], [], []
    reference_fn = reference.reference(qualname)
    for args, seed in spec.draws(rng):
        with reference.stand_ins_for_reference(reference_fn, spec):
            expected.append(reference.call(reference_fn, args, seed))
        trials.append({"args": wire.encode(args), "seed": seed})
        drawn.append(args)
    seconds = min(job.limits.seconds, deadline - time.monotonic())
    if seconds <= 1:
        return False, f"{name}: not run, the notebook's time limit was reached"
    with tempfile.TemporaryDirectory() as tmp:
        job_dir, out_dir = Path(tmp, "job"), Path(tmp, "out")
        out_dir.mkdir()
        shutil.copytree(job.package, job_dir / "dlcourse")
        shutil.copy(HARNESS, job_dir / "_harness.py")
        shutil.copy(WIRE, job_dir / "wire.py")
        fonts = _matplotlib_folder()
        if fonts is not None:
            shutil.copytree(fonts, job_dir / "matplotlib")
        (job_dir / "job.json").write_text(json.dumps({
            "cells": cells, "function": name, "trials": trials,
            "callees": _callee_sources(qualname, spec, job.assignment.functions),
            "cell_seconds": job.limits.cell_seconds}))
        for path in [job_dir, *job_dir.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        limits = sandbox.Limits(**{**asdict(job.limits), "seconds": seconds})
        outcome = sandbox.run(job_dir, out_dir, [sys.executable, "-I", "/sandbox/_harness.py"],
                              limits)
        result_file = out_dir / "result.json"
        raw = result_file.read_text()[:50_000_000] if result_file.exists() else ""
    if outcome.timed_out:
        return False, f"{name}: stopped after {seconds:.0f} s (time limit)"
    try:
        results = [{"error": str(r["error"])} if "error" in r else
                   {"output": wire.decode(r["output"])} for r in json.loads(raw)["results"]
                   ] if raw else None
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        # Written in the sandbox, so possibly forged (nested ten thousand deep, say).
        return False, f"{name}: unreadable result ({type(exc).__name__}: {str(exc)[:200]})"
    if results is None:
        return False, f"{name}: the process ended before returning results ({_death(outcome)})"
    # The harness writes one error when the function is missing; a forged file may hold
    # more or fewer results than trials.
    results = results[:len(expected)]
    missing = results[-1].get("error", "no result") if results else "no result"
    results += [{"error": missing}] * (len(expected) - len(results))
    failure = hidden.judge(name, spec, list(zip(drawn, expected, results, strict=True)))
    if failure:
        return False, failure
    return True, hidden.passed_message(name, len(expected))


def grade(job: Job) -> JobResult:
    """Grade one submission; never raises for anything the submission does."""
    start = time.monotonic()
    deadline = start + job.notebook_seconds
    release_nb = nbformat.read(job.release, as_version=4)
    setup, answers, tests = template_parts(release_nb)
    result = JobResult(job.student, job.assignment.id)
    answer_ids = [metadata.grade_id(c) for c in answers]
    wanted = {metadata.grade_id(c): [f.rsplit(".", 1)[1] for f in metadata.functions(c)]
              for c in answers}
    try:
        found = read_answers(job.submission, wanted)
    except (ValueError, OSError) as exc:
        found, result.error = None, str(exc)
    cells = [{"name": f"setup cell {i + 1}", "source": c.source} for i, c in enumerate(setup)]
    for cell in answers:
        grade_id = metadata.grade_id(cell)
        source = (found or {}).get(grade_id, cell.source)
        cells.append({"name": f"answer cell {grade_id}", "source": source})
        if found is not None:
            cell.source = source
    missing = [g for g in answer_ids if found is not None and g not in found]
    for cell in tests:
        functions = metadata.tests(cell)
        points = metadata.points(cell)
        if found is None:
            outcome = [(False, result.error)]
        else:
            outcome = [check_function(job, q, cells, deadline) for q in functions]
        passed = all(ok for ok, _ in outcome)
        message = "\n".join(m for _, m in outcome)
        result.cells.append(CellResult(metadata.grade_id(cell), functions,
                                       points if passed else 0.0, points, message))
        _show(cell, passed, message)
    if missing:
        note = (f"answer cells not found in the submission (deleted, or metadata changed): "
                f"{', '.join(missing)}; the released stub was graded instead")
        result.error = "; ".join(filter(None, [result.error, note]))
    result.seconds = time.monotonic() - start
    result.notebook = nbformat.writes(release_nb)
    return result


def _show(cell, passed, message):
    """Record the outcome in the test cell's outputs, as nbgrader's feedback expects."""
    if passed:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=message + "\n")]
    else:
        cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue=message,
                                               traceback=[f"AssertionError: {message}"])]
