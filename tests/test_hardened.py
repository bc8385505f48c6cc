"""The hardened autograder against a corpus of cheating and broken submissions."""

import hashlib
import json
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import corpus
from grader import submissions
from grader.authoring import course_dir
from grader.authoring.catalogue import ROOT, get
from grader.grading import batch, sandbox
from grader.grading.sandbox import Limits
from once import once_per_run

pytestmark = pytest.mark.slow
ASSIGNMENT = get("c1w2a1")
LIMITS = Limits(seconds=20, cell_seconds=5, memory_mb=2048)
CASES = {case.name: case for case in corpus.CASES}


def _hashes(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file()}


class _Listener:
    """A TCP server on the grading machine that counts connections."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


def _grade_corpus(folder, course_for):
    """Grade every case of the corpus in a course directory under ``folder``; pickle what
    the tests read (the run's workers share it: grading the corpus takes minutes)."""
    root = course_for(folder / "course", ASSIGNMENT)
    released = course_dir.read_notebook(root / "release" / ASSIGNMENT.id / ASSIGNMENT.notebook)
    solution = course_dir.read_notebook(root / "source" / ASSIGNMENT.id / ASSIGNMENT.notebook)
    listener = _Listener()
    context = {"root": root, "port": listener.port}
    for case in corpus.CASES:
        made = case.make(released, solution, context)
        path = root / "submitted" / case.name / ASSIGNMENT.id / ASSIGNMENT.notebook
        if isinstance(made, str):
            path.parent.mkdir(parents=True)
            path.write_text(made)
        else:
            submissions.write(made, path)
    before = {name: _hashes(root / name) for name in ("submitted", "source", "release")}
    jobs = batch.jobs_for(root, ASSIGNMENT, limits=LIMITS)
    results = {r.student: r for r in batch.run_jobs(jobs, workers=2, progress=False)}
    batch.record(root, ASSIGNMENT, results.values())
    listener.sock.close()
    with open(folder / "graded.pickle", "wb") as f:
        pickle.dump((root, results, before, listener.connections, jobs), f)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, course_for):
    """(course root, results by student, hashes before grading, connections the listener
    saw, jobs), graded once per test run."""
    folder = once_per_run(tmp_path_factory, "hardened",
                          lambda folder: _grade_corpus(folder, course_for))
    with open(folder / "graded.pickle", "rb") as f:
        return pickle.load(f)


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_score(graded, name):
    """Does each bad submission get exactly its expected score?"""
    _, results, _, _, _ = graded
    result, case = results[name], CASES[name]
    detail = "\n".join(f"  {c.grade_id}: {c.points}/{c.max_points} {c.message}"
                       for c in result.cells)
    assert result.score == case.expected, (
        f"{name} ({case.why}): expected {case.expected}, got {result.score}\n{detail}\n"
        f"  error: {result.error}")


def test_gradebook_holds_exactly_the_results(graded):
    root, results, _, _, _ = graded
    with batch.gradebook(root) as gb:
        stored = {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT.id)}
    assert stored == {name: r.score for name, r in results.items()}


def test_course_directory_untouched_by_submissions(graded):
    """Did no submission change another student's files, the source or the release?"""
    root, _, before, _, _ = graded
    for folder, hashes in before.items():
        assert _hashes(root / folder) == hashes, f"{folder}/ changed during grading"
    assert not list(root.parent.rglob("pwned.txt")), "a submission wrote outside its sandbox"


def test_no_network_from_the_sandbox(graded):
    _, _, _, connections, _ = graded
    assert connections == 0


def test_unreadable_submissions_say_why(graded):
    _, results, _, _, _ = graded
    for name in ("invalid_json", "empty_file"):
        assert "unreadable notebook" in results[name].error, results[name].error


@pytest.mark.parametrize("name, grade_id, words", [
    ("infinite_loop", "test_softmax", "stopped after"),
    ("memory_bomb", "test_normalize_rows", "MemoryError"),
    ("sys_exit", "test_l1_loss", "SystemExit"),
    ("os_exit", "test_l2_loss", "ended before returning"),
    ("stdout_flood", "test_l1_loss", "output limit"),
    ("stderr_flood", "test_l2_loss", "output limit"),
    ("forged_result", "test_softmax", "unreadable result (RecursionError"),
])
def test_limit_hits_say_why(graded, name, grade_id, words):
    _, results, _, _, _ = graded
    cell = next(c for c in results[name].cells if c.grade_id == grade_id)
    assert cell.points == 0 and words in cell.message, cell.message


def test_serial_grading_gives_the_same_scores(graded):
    _, results, _, _, jobs = graded
    subset = [j for j in jobs if j.student in ("reference", "one_wrong", "monkeypatch_checks",
                                                "stash_reference", "renamed_cells")]
    serial = batch.run_jobs(subset, workers=1, progress=False)
    assert {r.student: r.score for r in serial} == \
        {j.student: results[j.student].score for j in subset}


def test_dask_cluster_gives_the_same_scores(graded):
    """Do the same jobs run on a Dask cluster (here a LocalCluster) with the same scores?"""
    from distributed import Client, LocalCluster

    _, results, _, _, jobs = graded
    subset = [j for j in jobs if j.student in ("reference", "unchanged", "monkeypatch_isclose")]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        remote = batch.run_jobs(subset, scheduler=client, progress=False)
    assert {r.student: r.score for r in remote} == \
        {j.student: results[j.student].score for j in subset}


def test_feedback_shows_results_but_no_hidden_tests(graded):
    root, results, _, _, _ = graded
    course_dir.nbgrader(root, "generate_feedback", ASSIGNMENT.id, "--force")
    page = (root / "feedback" / "one_wrong" / ASSIGNMENT.id /
            ASSIGNMENT.notebook.replace(".ipynb", ".html")).read_text()
    assert "l2_loss: hidden test 1 of 3 failed for inputs (array of shape" in page
    for path in (root / "feedback").rglob("*.html"):
        text = path.read_text()
        assert "from grader.grading.hidden import" not in text and "HIDDEN TESTS" not in text, path


def _copy_course(graded, tmp_path):
    root = graded[0]
    copy = tmp_path / "course"
    shutil.copytree(root, copy)
    return copy


def _scores_in_gradebook(root, students):
    with batch.gradebook(root) as gb:
        return {s: gb.find_submission(ASSIGNMENT.id, s).score for s in students}


# Cheats that in-kernel grading can fall for, and a sabotaged honest run.
NBGRADER_PATHS = ("monkeypatch_checks", "catches_assertion", "stash_reference")


def test_nbgrader_autograde_goes_through_the_hardened_grader(graded, tmp_path):
    """`nbgrader autograde` in the course directory, and the formgrader's Autograde
    button (NbGraderAPI.autograde, which the button calls): hardened scores?"""
    root = _copy_course(graded, tmp_path)
    course_dir.nbgrader(root, "autograde", ASSIGNMENT.id, "--force",
                        "--student", NBGRADER_PATHS[0])
    button = (f"from nbgrader.apps import NbGraderAPI\n"
              f"from traitlets.config.loader import PyFileConfigLoader\n"
              f"config = PyFileConfigLoader('nbgrader_config.py', path='.').load_config()\n"
              f"config.CourseDirectory.root = '.'\n"
              f"api = NbGraderAPI(config=config)\n"
              f"for student in {list(NBGRADER_PATHS[1:])!r}:\n"
              f"    assert api.autograde({ASSIGNMENT.id!r}, student, force=True)['success']\n")
    done = subprocess.run([sys.executable, "-c", button], cwd=root, env=course_dir.grading_env(),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _scores_in_gradebook(root, NBGRADER_PATHS) == \
        {name: CASES[name].expected for name in NBGRADER_PATHS}
    log = json.loads((root / "grading" / ASSIGNMENT.id / "catches_assertion.json").read_text())
    assert log["student"] == "catches_assertion", "the hook keeps the grading record"


def test_a_dying_grading_process_costs_only_its_job(graded, monkeypatch, tmp_path):
    """A job whose grading process is killed is tried once more; killed again, it is
    recorded with the reason, and every other job keeps its score."""
    _, results, _, _, jobs = graded
    chosen = {j.student: j for j in jobs if j.student in ("reference", "unchanged")}
    flaky_mark = tmp_path / "flaky-died-once"
    real_grade = batch.autograde.grade

    def grade(job):
        if job.student == "always_dies" or (job.student == "dies_once"
                                            and not flaky_mark.exists()):
            flaky_mark.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real_grade(job)

    monkeypatch.setattr(batch.autograde, "grade", grade)
    run = [chosen["reference"], replace(chosen["reference"], student="always_dies"),
           replace(chosen["reference"], student="dies_once"), chosen["unchanged"]]
    got = {r.student: r for r in batch.run_jobs(run, workers=2, progress=False)}
    assert got["reference"].score == results["reference"].score == corpus.FULL
    assert got["unchanged"].score == 0
    assert got["dies_once"].score == corpus.FULL and not got["dies_once"].error
    assert got["always_dies"].score == 0 and got["always_dies"].error == (
        "the grading process died twice (killed by SIGKILL; killed by SIGKILL); "
        "regrade this submission")


def test_a_sandbox_that_cannot_start_stops_the_run(graded, monkeypatch):
    """An interpreter the sandbox cannot reach (a path it does not mount): the self-test
    fails with the reason instead of every student scoring 0."""
    root = graded[0]
    monkeypatch.setattr(sandbox, "_interpreter", lambda: Path("/not/mounted/python3.11"))
    with pytest.raises(batch.SandboxBroken) as caught:
        batch.self_test(root, ASSIGNMENT, LIMITS)
    message = str(caught.value)
    assert "self-test failed, no submission was graded" in message
    assert "the grading sandbox failed" in message and "/not" in message, message
    assert message.count("the grading sandbox failed") == 1, "the same reason said once"


# The cases that depend on what the sandbox can see or on how results come back, graded
# again by a copy of the project installed the regular way (packages copied into the
# environment's site-packages) instead of the editable install the tests run from.
INSTALL_CASES = ("reference", "unchanged", "stdout_flood", "stderr_flood", "reference_hunt",
                 "forged_result", "duplicate_answer", "leak_between_functions")


def _regular_install(folder):
    """A virtual environment with dlcourse and grader copied into its site-packages and
    the test environment's other packages on its path; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", folder], check=True)
    site_packages = next(folder.glob("lib/python3*/site-packages"))
    for package in ("dlcourse", "grader"):
        shutil.copytree(ROOT / package, site_packages / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    (site_packages / "runtime.pth").write_text(str(Path(np.__file__).parents[1]) + "\n")
    return folder / "bin" / "python"


def test_corpus_under_a_regular_install(graded, tmp_path):
    root = _copy_course(graded, tmp_path)
    python = _regular_install(tmp_path / "regular")
    where = subprocess.run([python, "-c", "import dlcourse, grader; "
                            "print(dlcourse.__file__); print(grader.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert all("site-packages" in line and str(tmp_path) in line
               for line in where.split()), f"not the regular install: {where}"
    done = subprocess.run(
        [python, "-m", "grader", "autograde", "--course", root, ASSIGNMENT.id, "--workers", "2",
         "--quiet", "--seconds", str(LIMITS.seconds), "--memory-mb", str(LIMITS.memory_mb),
         "--students", ",".join(INSTALL_CASES)],
        cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    scores = {name: json.loads((root / "grading" / ASSIGNMENT.id / f"{name}.json").read_text())
              for name in INSTALL_CASES}
    got = {name: sum(c["points"] for c in record["cells"]) for name, record in scores.items()}
    assert got == {name: CASES[name].expected for name in INSTALL_CASES}, done.stdout


def test_duplicate_answer_cells_are_named(graded):
    _, results, _, _, _ = graded
    assert "answer cells that appear more than once: sigmoid" in results["duplicate_answer"].error
