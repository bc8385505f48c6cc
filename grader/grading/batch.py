"""Grading a class: find submissions, run the jobs, write the gradebook, report.

``run_jobs`` runs each job in a process of its own, ``workers`` at a time (one
per core by default), or sends them to a Dask cluster (``scheduler=``). Workers
only return ``JobResult`` data; ``record`` then writes the gradebook and the
autograded notebooks from this one process, so concurrent grading can never
corrupt the database.
"""

import json
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import statistics
import warnings
import zipfile
from collections import deque
from pathlib import Path

from nbgrader.api import Gradebook
from tqdm import tqdm

from grader.authoring.catalogue import Assignment
from grader.grading import autograde
from grader.grading.autograde import Job, JobResult

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


def gradebook(root: Path) -> Gradebook:
    return Gradebook(f"sqlite:///{root / 'gradebook.db'}", "dlcourse")


def job_for(root: Path, assignment: Assignment, student: str, limits=None,
            submission: Path | None = None) -> Job:
    """The job grading ``submitted/<student>/<id>/`` (or ``submission``)."""
    extra = {} if limits is None else {"limits": limits}
    if submission is None:
        submission = _notebook_in(root / "submitted" / student / assignment.id,
                                  assignment.notebook)
    return Job(student, assignment, submission,
               root / "release" / assignment.id / assignment.notebook,
               root / "source" / assignment.id / "dlcourse", **extra)


def jobs_for(root: Path, assignment: Assignment, students=None, limits=None) -> list[Job]:
    """One job per student folder in ``submitted/<student>/<id>/``."""
    submitted = root / "submitted"
    found = sorted(p.parent.name for p in submitted.glob(f"*/{assignment.id}"))
    return [job_for(root, assignment, student, limits) for student in found
            if students is None or student in students]


def _notebook_in(folder: Path, name: str) -> Path:
    """The submitted notebook: the released name, else the only notebook there."""
    if (folder / name).exists():
        return folder / name
    others = sorted(folder.glob("*.ipynb"))
    return others[0] if len(others) == 1 else folder / name


class SandboxBroken(RuntimeError):
    """The grader could not grade the reference: grading the class would score 0s."""


def self_test(root: Path, assignment: Assignment, limits=None) -> JobResult:
    """Grade the reference (the source notebook) first: full marks, or SandboxBroken
    with the reason, so a sandbox that cannot start never scores a class 0."""
    reference = root / "source" / assignment.id / assignment.notebook
    result = safe_grade(job_for(root, assignment, "reference (self-test)", limits, reference))
    if result.error or result.score != result.max_score:
        # Said once when every function failed the same way (a sandbox that cannot start).
        reasons = {c.message.split(": ", 1)[-1]: c.grade_id for c in result.cells
                   if c.points < c.max_points}
        failed = "\n".join(f"  {grade_id}: {reason}" if len(reasons) > 1 else f"  {reason}"
                           for reason, grade_id in reasons.items())
        raise SandboxBroken(
            f"self-test failed, no submission was graded: the reference answers of "
            f"{assignment.id} scored {result.score:g}/{result.max_score:g} in the sandbox."
            f"\n{failed}\n  {result.error}".rstrip())
    return result


def safe_grade(job: Job) -> JobResult:
    """``autograde.grade`` that turns a grader fault into a recorded error, not a crash."""
    try:
        return autograde.grade(job)
    except Exception as exc:  # noqa: BLE001 - one broken job must not stop the class
        return JobResult(job.student, job.assignment.id,
                         error=f"grader fault, regrade this submission: "
                               f"{type(exc).__name__}: {exc}")


def _grade_into(job: Job, conn) -> None:
    conn.send(safe_grade(job))
    conn.close()


def _death(exitcode) -> str:
    if exitcode is not None and exitcode < 0:
        return autograde.killed_by(-exitcode)
    return f"exit status {exitcode}"


def _run_local(jobs, workers, bar) -> dict:
    """Each job in a process of its own, ``workers`` at a time: a process that dies
    (out of memory, killed) costs only its job, which is tried once more, then recorded
    with the reason."""
    context = multiprocessing.get_context("fork")
    autograde.warm_up()  # once here, not once per forked process
    pending, running, results, deaths = deque(range(len(jobs))), {}, {}, {}
    while pending or running:
        while pending and len(running) < workers:
            i = pending.popleft()
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_grade_into, args=(jobs[i], send), daemon=True)
            process.start()
            send.close()
            running[receive] = (i, process)
        for receive in multiprocessing.connection.wait(list(running)):
            i, process = running.pop(receive)
            try:
                result = receive.recv()
            except (EOFError, OSError):  # it died before sending its result
                result = None
            receive.close()
            process.join()
            if result is None:
                deaths.setdefault(i, []).append(_death(process.exitcode))
                if len(deaths[i]) < 2:
                    pending.append(i)
                    continue
                job = jobs[i]
                result = JobResult(job.student, job.assignment.id,
                                   error=f"the grading process died twice "
                                         f"({'; '.join(deaths[i])}); regrade this submission")
            results[i] = result
            bar.update()
    return results


def run_jobs(jobs, workers=None, scheduler=None, progress=True) -> list[JobResult]:
    """Grade every job; results come back in the order of ``jobs``."""
    bar = tqdm(total=len(jobs), desc="grading", unit="submission", disable=not progress)
    results = {}
    if scheduler is not None:
        from distributed import Client
        from distributed import as_completed as dask_completed

        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        futures = client.map(safe_grade, jobs, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        for future in dask_completed(futures):
            results[index[future.key]] = future.result()
            bar.update()
    else:
        results = _run_local(jobs, workers or os.cpu_count(), bar)
    bar.close()
    return [results[i] for i in range(len(jobs))]


def write_log(root: Path, result: JobResult) -> None:
    """The grading record of one submission, ``grading/<id>/<student>.json``: outside
    autograded/, which nbgrader copies into the feedback."""
    log = root / "grading" / result.assignment / f"{result.student}.json"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(json.dumps(result.to_dict() | {"notebook": ""}, indent=1))


def record(root: Path, assignment: Assignment, results) -> None:
    """Write autograded notebooks and scores (the only writer of the gradebook)."""
    notebook_id = Path(assignment.notebook).stem
    # nbgrader's own API trips SQLAlchemy warnings about its lazy relationships.
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    with gradebook(root) as gb:
        for result in results:
            gb.update_or_create_student(result.student)
            gb.update_or_create_submission(assignment.id, result.student)
            for cell in result.cells:
                grade = gb.find_grade(cell.grade_id, notebook_id, assignment.id, result.student)
                grade.auto_score = cell.points
                grade.needs_manual_grade = False
            # The visible-test cells are graded cells worth 0 points (for Validate).
            submitted = gb.find_submission_notebook(notebook_id, assignment.id, result.student)
            for grade in submitted.grades:
                if grade.max_score == 0:
                    grade.auto_score, grade.needs_manual_grade = 0.0, False
            gb.db.commit()
            folder = root / "autograded" / result.student / assignment.id
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            if result.notebook:
                (folder / assignment.notebook).write_text(result.notebook)
            write_log(root, result)


def report(root: Path, assignment: Assignment) -> dict:
    """Statistics of one assignment from the gradebook and the grading records."""
    scores, passes, errors = {}, {}, {}
    with gradebook(root) as gb:
        for sub in gb.assignment_submissions(assignment.id):
            scores[sub.student.id] = sub.score
            for nb in sub.notebooks:
                for grade in nb.grades:
                    cell = passes.setdefault(grade.name, [0, 0])
                    cell[0] += int(grade.score == grade.max_score)
                    cell[1] += 1
    for record_file in sorted((root / "grading" / assignment.id).glob("*.json")):
        data = json.loads(record_file.read_text())
        if data.get("error"):
            errors[data["student"]] = data["error"]
    values = list(scores.values())
    return {
        "assignment": assignment.id,
        "submissions": len(values),
        "mean": statistics.fmean(values) if values else 0.0,
        "median": statistics.median(values) if values else 0.0,
        "pass_rates": {name: ok / n for name, (ok, n) in sorted(passes.items())},
        "errors": errors,
    }


def collect(source: Path, root: Path, assignment: Assignment) -> list[str]:
    """Copy submissions from a folder or a zip into ``submitted/<student>/<id>/``.

    Accepted layouts, in a folder or a zip: ``<student>/<id>/<files>`` or
    ``<student>/<files>``. Returns the student ids collected; raises ValueError
    with the reason for an unusable source.
    """
    if zipfile.is_zipfile(source):
        entries = _zip_entries(source)
    elif source.is_dir():
        entries = [(p.relative_to(source).parts, p.read_bytes) for p in sorted(source.rglob("*"))
                   if p.is_file()]
    elif source.exists():
        raise ValueError(f"{source} is neither a folder nor a readable zip file")
    else:
        raise ValueError(f"{source} does not exist")
    files = {}
    for parts, read in entries:
        if any(part.startswith(".") or part == "__MACOSX" for part in parts) or len(parts) < 2:
            continue
        student, rest = parts[0], parts[1:]
        if rest[0] == assignment.id and len(rest) > 1:
            rest = rest[1:]
        if not STUDENT_ID.match(student):
            raise ValueError(f"refusing student folder name {student!r}")
        files.setdefault(student, []).append((Path(*rest), read))
    for student, members in files.items():
        folder = root / "submitted" / student / assignment.id
        if folder.exists():  # a resubmission replaces the earlier one whole
            shutil.rmtree(folder)
        for relative, read in members:
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(read())
    return sorted(files)


def _zip_entries(path: Path):
    try:
        archive = zipfile.ZipFile(path)
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"{path} is not a readable zip file: {exc}") from None
    if bad:
        raise ValueError(f"{path}: corrupt member {bad}")
    entries = []
    for info in archive.infolist():
        parts = Path(info.filename).parts
        if info.is_dir():
            continue
        if info.filename.startswith("/") or ".." in parts:
            raise ValueError(f"{path}: refusing member outside the archive: {info.filename}")
        entries.append((parts, lambda info=info: archive.read(info)))
    return entries
