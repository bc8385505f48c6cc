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
CONFINE = Path(__file__).with_name("confine.py")
WIRE = Path(__file__).with_name("wire.py")
SETUP_SECONDS = 30  # for starting the sandbox and running the setup cells
SETUP_REPORT = 500  # characters kept of each setup cell's error


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


@dataclass
class Answers:
    """The student's answer cells as the notebook runs them."""
    cells: list  # (grade_id, source) in the submission's order, duplicates included
    duplicates: list  # grade ids found on more than one cell

    @property
    def sources(self):
        """grade_id -> the source of its last cell (the definition in force)."""
        return dict(self.cells)


def answer_functions(answer_cells) -> dict[str, list[str]]:
    """grade_id -> the names of the functions each released answer cell defines: what
    ``read_answers`` looks for."""
    return {metadata.grade_id(c): [f.rsplit(".", 1)[1] for f in metadata.functions(c)]
            for c in answer_cells}


def read_answers(path: Path, wanted) -> Answers:
    """The student's answer cells; ValueError if the notebook is unreadable.

    wanted: grade_id -> names of the functions that answer cell defines. A cell
    is found by its grade_id; failing that (metadata lost or edited), by being
    the first code cell that defines all of those functions. A grade id on two
    cells (a copied cell, a redefinition below) keeps both, in order, as running
    the notebook would.
    """
    try:
        nb = nbformat.reads(Path(path).read_text(errors="strict"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same to a grader
        raise ValueError(f"unreadable notebook {Path(path).name}: {type(exc).__name__}: "
                         f"{str(exc)[:200]}") from None
    code = [c for c in nb.cells if c.cell_type == "code"]
    chosen = {}  # index in code -> grade_id
    for i, cell in enumerate(code):
        if metadata.grade_id(cell) in wanted:
            chosen[i] = metadata.grade_id(cell)
    for grade_id, names in wanted.items():
        if grade_id not in chosen.values() and names:
            match = next((i for i, c in enumerate(code) if i not in chosen
                          and all(f"def {n}(" in c.source for n in names)), None)
            if match is not None:
                chosen[match] = grade_id
    cells = [(chosen[i], code[i].source) for i in sorted(chosen)]
    ids = [g for g, _ in cells]
    return Answers(cells, sorted({g for g in ids if ids.count(g) > 1}))


def _callee_sources(tested, spec, graded):
    """Source defining, in the sandbox, the reference of the graded functions the tested
    one may call (never itself) and the spec's stand-ins under their global names."""
    callees = [q for q in reference.closure(spec.uses, graded) if q != tested]
    parts = [function_source(q) for q in callees]
    for short, qualname in spec.stand_ins:
        parts.append(f"{function_source(qualname)}\n\n\n{short} = "
                     f"{qualname.rsplit('.', 1)[1]}")
    # What those functions read from their module (sigmoid for lstm_cell_forward, a
    # helper, a constant) and the notebook did not bind: from the student's copy of the
    # module, where it is complete. A name the notebook binds is left as it is.
    graded_names = {q.rsplit(".", 1)[1] for q in graded} | {tested.rsplit(".", 1)[1]}
    imports = {}
    for qualname in callees + [q for _, q in spec.stand_ins]:
        module = qualname.rsplit(".", 1)[0]
        for name in reference.module_globals_used(qualname, exclude=graded_names):
            imports.setdefault(name, f"if {name!r} not in globals():\n"
                                     f"    from dlcourse.{module} import {name}")
    return "\n\n\n".join([*imports.values(), *parts])


@functools.cache
def _matplotlib_folder() -> Path | None:
    """A matplotlib config folder holding its font list, made once per grading process
    and copied into each job (None if matplotlib could not make one)."""
    folder = Path(tempfile.mkdtemp(prefix="dlcourse-matplotlib-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"],
                          env={**os.environ, "MPLCONFIGDIR": str(folder)}, capture_output=True)
    return folder if done.returncode == 0 and any(folder.glob("fontlist-*.json")) else None


def warm_up() -> None:
    """Do once what every job needs (the font list, the specs): a process pool forked
    afterwards inherits it."""
    _matplotlib_folder()
    hidden.specs()


def killed_by(number: int) -> str:
    """'killed by SIGKILL', from a signal number."""
    try:
        return f"killed by {signal.Signals(number).name}"
    except ValueError:
        return f"killed by signal {number}"


def _death(code: int, stderr: str) -> str:
    """What ended a sandboxed process that returned no results, in a few words.

    code: its exit code, or 128 + N if signal N killed it (-N as Popen says it)."""
    if "MemoryError" in stderr:
        return "memory limit"
    if code < 0 or code > 128:
        return killed_by(-code if code < 0 else code - 128)
    return f"exit status {code} with no result: a call to sys.exit or os._exit?"


@dataclass
class Trials:
    """One graded function's hidden tests, drawn and answered by the reference here."""
    qualname: str
    spec: object
    drawn: list  # the inputs of each trial
    expected: list  # the reference's outputs (or errors)
    encoded: list  # what the sandbox gets: encoded inputs and seeds

    @property
    def name(self):
        return self.qualname.rsplit(".", 1)[1]


def draw_trials(qualname) -> Trials:
    spec = hidden.specs()[qualname]
    rng = np.random.default_rng()
    reference_fn = reference.reference(qualname)
    trials = Trials(qualname, spec, [], [], [])
    for args, seed in spec.draws(rng):
        with reference.stand_ins_for_reference(reference_fn, spec):
            trials.expected.append(reference.call(reference_fn, args, seed))
        trials.encoded.append({"args": wire.encode(args), "seed": seed})
        trials.drawn.append(args)
    return trials


def _write_job(job: Job, job_dir: Path, setup, answers, functions, seconds):
    """The sandbox's view: the package copy, the harness, and one private file per
    function (root only: a worker reads its own before it drops its privileges)."""
    shutil.copytree(job.package, job_dir / "dlcourse")
    (job_dir / "datasets").mkdir()  # where the assignment's data files are mounted
    for source, name in ((HARNESS, "_harness.py"), (CONFINE, "confine.py"), (WIRE, "wire.py")):
        shutil.copy(source, job_dir / name)
    fonts = _matplotlib_folder()
    if fonts is not None:
        shutil.copytree(fonts, job_dir / "matplotlib")
    (job_dir / "job.json").write_text(json.dumps({
        "setup": setup, "answers": answers, "functions": len(functions), "seconds": seconds,
        "cell_seconds": job.limits.cell_seconds, "limits": asdict(job.limits),
        "uid": sandbox.worker_uid()}))
    for path in [job_dir, *job_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    for k, trials in enumerate(functions):
        private = job_dir / f"function-{k}.json"
        private.write_text(json.dumps({
            "name": trials.name, "trials": trials.encoded,
            "callees": _callee_sources(trials.qualname, trials.spec, job.assignment.functions)}))
        private.chmod(0o600)


def _read_out(out_dir: Path, k):
    """(status, raw result, stderr tail) of function k; status None if the harness never
    got to it. (Its stdout, in ``k.stdout``, says nothing the grader needs.)"""
    try:
        status = json.loads((out_dir / f"{k}.status").read_text())
    except (OSError, ValueError):
        return None, b"", ""
    try:
        with open(out_dir / f"{k}.stderr", "rb") as f:
            stderr = sandbox.tail(f)
    except OSError:
        stderr = ""
    try:
        raw = (out_dir / f"{k}.result").read_bytes()
    except OSError:
        raw = b""
    return status, raw, stderr


def data_dir(job: Job) -> Path | None:
    """The assignment's data files, beside its package copy in the course's source/."""
    folder = job.package.parent / "datasets"
    return folder if folder.is_dir() else None


def _setup_errors(out_dir: Path) -> list[str]:
    """What the harness wrote of the setup cells' errors (nothing if it never got there)."""
    try:
        errors = json.loads((out_dir / "setup.json").read_text()[:SETUP_REPORT])["errors"]
        return [str(e)[:SETUP_REPORT] for e in errors][:10]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def run_sandbox(job: Job, setup, answers, functions, seconds):
    """Run every function's trials in one sandbox: per function (passed, message), and
    the errors of the notebook's setup cells there (the instructor's to fix)."""
    with tempfile.TemporaryDirectory() as tmp:
        job_dir, out_dir = Path(tmp, "job"), Path(tmp, "out")
        out_dir.mkdir()
        _write_job(job, job_dir, setup, answers, functions, seconds)
        outcome = sandbox.run(job_dir, out_dir, ["/sandbox/_harness.py"], seconds + 5,
                              job.limits, data_dir(job))
        read = [_read_out(out_dir, k) for k in range(len(functions))]
        setup_errors = _setup_errors(out_dir)
    return [judge_function(trials, *found, outcome)
            for trials, found in zip(functions, read, strict=True)], setup_errors


def judge_function(trials: Trials, status, raw, stderr, outcome):
    """(passed, message) for one function from what its worker left in /out."""
    name = trials.name
    if status is None:
        if outcome.timed_out:
            return False, f"{name}: not run, the notebook's time limit was reached"
        return False, (f"{name}: not run, the grading sandbox failed "
                       f"(exit status {outcome.returncode}): {outcome.stderr[-500:]}")
    if status.get("not_run"):
        return False, f"{name}: not run, the notebook's time limit was reached"
    if status.get("timed_out"):
        return False, f"{name}: stopped after {status.get('seconds', 0):.0f} s (time limit)"
    if status.get("oversize"):
        return False, f"{name}: unreadable result (more than the result size limit)"
    try:
        results = [{"error": str(r["error"])} if "error" in r else
                   {"output": wire.decode(r["output"])} for r in json.loads(raw)["results"]
                   ] if raw else None
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        # Written in the sandbox, so possibly forged (nested ten thousand deep, say).
        return False, f"{name}: unreadable result ({type(exc).__name__}: {str(exc)[:200]})"
    if results is None:
        death = _death(status.get("exit", 0), stderr)
        return False, f"{name}: the process ended before returning results ({death})"
    expected = trials.expected
    # The harness writes one error when the function is missing; a forged file may hold
    # more or fewer results than trials.
    results = results[:len(expected)]
    missing = results[-1].get("error", "no result") if results else "no result"
    results += [{"error": missing}] * (len(expected) - len(results))
    failure = hidden.judge(name, trials.spec, list(zip(trials.drawn, expected, results,
                                                       strict=True)))
    if failure:
        return False, failure
    return True, hidden.passed_message(name, len(expected))


def grade(job: Job) -> JobResult:
    """Grade one submission; never raises for anything the submission does."""
    start = time.monotonic()
    release_nb = nbformat.read(job.release, as_version=4)
    setup, answers, tests = template_parts(release_nb)
    result = JobResult(job.student, job.assignment.id)
    wanted = answer_functions(answers)
    stubs = {metadata.grade_id(c): c.source for c in answers}
    try:
        found = read_answers(job.submission, wanted)
    except (ValueError, OSError) as exc:
        found, result.error = None, str(exc)
    outcomes = {}
    if found is not None:
        sources = found.sources
        missing = [g for g in wanted if g not in sources]
        # A missing answer cell is graded as its released stub, placed first so that a
        # definition the student put elsewhere still counts.
        answer_cells = [{"name": f"answer cell {g}", "source": stubs[g]} for g in missing]
        answer_cells += [{"name": f"answer cell {g}", "source": source}
                         for g, source in found.cells]
        functions = [draw_trials(q) for cell in tests for q in metadata.tests(cell)]
        seconds = min(job.notebook_seconds,
                      SETUP_SECONDS + len(functions) * job.limits.seconds)
        graded, setup_errors = run_sandbox(
            job, [{"name": f"setup cell {i + 1}", "source": c.source}
                  for i, c in enumerate(setup)], answer_cells, functions, seconds)
        if setup_errors:
            # Not the student's doing: the released notebook's own cells failed.
            result.error = ("the notebook's setup cells failed in the grading sandbox "
                            f"(the instructor's to fix): {'; '.join(setup_errors)}")
        outcomes = {t.qualname: g for t, g in zip(functions, graded, strict=True)}
        for cell in answers:
            cell.source = sources.get(metadata.grade_id(cell), cell.source)
        if missing:
            note = (f"answer cells not found in the submission (deleted, or metadata "
                    f"changed): {', '.join(missing)}; the released stub was graded instead")
            result.error = "; ".join(filter(None, [result.error, note]))
        if found.duplicates:
            note = (f"answer cells that appear more than once: {', '.join(found.duplicates)}; "
                    f"graded as the notebook runs them, the last definition winning")
            result.error = "; ".join(filter(None, [result.error, note]))
    for cell in tests:
        functions = metadata.tests(cell)
        points = metadata.points(cell)
        outcome = [outcomes[q] for q in functions] if found is not None \
            else [(False, result.error)]
        passed = all(ok for ok, _ in outcome)
        message = "\n".join(m for _, m in outcome)
        result.cells.append(CellResult(metadata.grade_id(cell), functions,
                                       points if passed else 0.0, points, message))
        show(cell, passed, message)
    result.seconds = time.monotonic() - start
    result.notebook = nbformat.writes(release_nb)
    return result


def show(cell, passed, message):
    """Record the outcome in the test cell's outputs, as nbgrader's feedback expects."""
    if passed:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=message + "\n")]
    else:
        cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue=message,
                                               traceback=[f"AssertionError: {message}"])]
