"""The instructor's command line, end to end on c1w2a1."""

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import submissions
from grader.authoring import course_dir
from grader.authoring.catalogue import get
from grader.grading import batch

pytestmark = pytest.mark.slow
A = get("c1w2a1")


def grader(*args, cwd=None):
    done = subprocess.run([sys.executable, "-m", "grader", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)
    return done


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    root, exchange = tmp / "course", tmp / "exchange"
    done = grader("release", "--course", root, "--exchange", exchange, A.id)
    assert done.returncode == 0, done.stderr
    released = course_dir.read_notebook(root / "release" / A.id / A.notebook)
    solution = course_dir.read_notebook(root / "source" / A.id / A.notebook)
    return tmp, root, exchange, released, solution


def test_exchange_fetch_submit_collect(course):
    """Do two students' submissions made through nbgrader's exchange both reach submitted/?"""
    tmp, root, exchange, released, solution = course
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    # nbgrader names a submission after the login unless --student is given: one
    # machine can stand in for a class that way.
    work = {"ada": submissions.reference(released, solution),
            "bob": submissions.one_wrong(released, solution, "losses.l1_loss")}
    for student, notebook in work.items():
        home = tmp / f"home_{student}"
        home.mkdir()
        (home / "nbgrader_config.py").write_text((root / "nbgrader_config.py").read_text())
        for verb in ("fetch_assignment", "submit"):
            if verb == "submit":
                submissions.write(notebook, home / A.id / A.notebook)
            done = subprocess.run([sys.executable, "-m", "nbgrader", verb, A.id, "--course",
                                   "dlcourse", f"--student={student}"], cwd=home,
                                  capture_output=True, text=True, env=env)
            assert done.returncode == 0, f"{student}: nbgrader {verb} failed: {done.stderr}"
    done = grader("collect", "--course", root, A.id, "--exchange")
    assert done.returncode == 0, done.stderr
    collected = sorted(p.parts[-3] for p in (root / "submitted").glob(f"*/{A.id}/{A.notebook}"))
    assert collected == ["ada", "bob"], f"expected ada and bob in submitted/, got {collected}"
    for student, notebook in work.items():
        got = course_dir.read_notebook(root / "submitted" / student / A.id / A.notebook)
        assert got["cells"] == notebook["cells"], f"{student}'s collected notebook differs"


def test_collect_from_zip_autograde_feedback_export_report(course):
    tmp, root, _, released, solution = course
    archive = tmp / "class.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"ada/{A.id}/{A.notebook}",
                   json.dumps(submissions.reference(released, solution)))
        z.writestr(f"bob/{A.notebook}",
                   json.dumps(submissions.one_wrong(released, solution, "losses.l1_loss")))
        z.writestr(f"cyd/{A.notebook}", "{broken")
    done = grader("collect", "--course", root, A.id, "--from", archive)
    assert done.returncode == 0 and "collected 3" in done.stdout, done.stderr
    done = grader("autograde", "--course", root, A.id, "--students", "ada,bob,cyd",
                  "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "ada: 8/8" in done.stdout and "bob: 7/8" in done.stdout, done.stdout
    assert "cyd: 0/8  (unreadable notebook" in done.stdout, done.stdout
    assert "grading" in done.stderr, "no progress bar over submissions"
    assert grader("feedback", "--course", root, A.id).returncode == 0
    assert (root / "feedback" / "bob" / A.id / A.notebook.replace("ipynb", "html")).exists()
    assert grader("export", "--course", root).returncode == 0
    with open(root / "grades.csv") as f:
        rows = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    assert rows["ada"] == 8 and rows["bob"] == 7 and rows["cyd"] == 0
    done = grader("report", "--course", root, A.id)
    assert done.returncode == 0 and "median" in done.stdout, done.stderr
    stats = json.loads((root / "reports" / f"{A.id}.json").read_text())
    assert stats["pass_rates"]["test_l1_loss"] < stats["pass_rates"]["test_sigmoid"]
    assert "cyd" in stats["errors"]


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 not really a zip", "neither a folder nor a readable zip"),
    (None, "refusing member outside the archive"),
])
def test_collect_refuses_bad_archives(course, tmp_path, content, message):
    _, root, _, _, _ = course
    archive = tmp_path / "bad.zip"
    if content is None:
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("../../escape.ipynb", "{}")
    else:
        archive.write_bytes(content)
    done = grader("collect", "--course", root, A.id, "--from", archive)
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert not (root.parent / "escape.ipynb").exists()


def test_resubmission_replaces_the_earlier_one(course, tmp_path):
    _, root, _, _, _ = course
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "dee").mkdir(parents=True)
    (first / "dee" / "old.ipynb").write_text("{}")
    (second / "dee").mkdir(parents=True)
    (second / "dee" / A.notebook).write_text("{}")
    batch.collect(first, root, A)
    batch.collect(second, root, A)
    assert sorted(p.name for p in (root / "submitted" / "dee" / A.id).iterdir()) == [A.notebook]
