"""The course in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright,
as a student and as an instructor would use it.

Student: ``bash course.sh open`` on a copy of the repository; c1w2a1 runs until the first
stub, whose message names the notebook; a wrong sigmoid gets the visible test's precise
message; Validate fails on the blank notebook and passes on a completed one; nbgrader's
exchange-bound panels and the Jupyter news question never show.
Instructor: ``bash course.sh open --instructor --course DIR`` on a course directory made by
``python -m grader release/collect --roster/autograde/feedback``; the formgrader lists the
students by name with the gradebook's scores, and a feedback page shows typeset maths (from
the MathJax beside it, no CDN) and no hidden-test code.

Screenshots go to ``build/screenshots/`` (printed). The browser is never downloaded:
``/usr/bin/chromium`` from Debian (``bash course.sh test`` installs it).
"""

import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader import site, submissions
from grader.authoring import course_dir
from grader.authoring.catalogue import ASSIGNMENTS, get
from lab import course_lab

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "build" / "screenshots"
A = get("c1w2a1")
ROSTER = {"ada": ("Ada", "Lovelace"), "bob": ("Bob", "Kahn"), "cyd": ("Cyd", "Charisse")}
# A wrong sigmoid, as a student might write it (the sign of the exponent).
WRONG_SIGMOID = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"
NO_SHOW = ("Error fetching courses", "exchange directory does not exist",
           "No nbgrader_config.py file found", "Jupyter news")


def _run(*args, cwd=REPO):
    done = subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _make_course(tmp: Path) -> Path:
    """c1w2a1 released, three submissions (reference, one wrong function, blank) collected
    with a roster, autograded, feedback written, grades exported."""
    root, folder = tmp / "course", tmp / "submissions"
    _run("-m", "grader", "release", "--course", root, A.id)
    released = course_dir.read_notebook(root / "release" / A.id / A.notebook)
    solution = course_dir.read_notebook(root / "source" / A.id / A.notebook)
    work = {"ada": submissions.reference(released, solution),
            "bob": submissions.one_wrong(released, solution, "losses.l1_loss"),
            "cyd": submissions.unchanged(released, solution)}
    for student, notebook in work.items():
        submissions.write(notebook, folder / student / A.id / A.notebook)
    roster = tmp / "students.csv"
    roster.write_text("id,first_name,last_name,email\n" + "".join(
        f"{sid},{first},{last},{sid}@example.org\n" for sid, (first, last) in ROSTER.items()))
    _run("-m", "grader", "collect", "--course", root, A.id, "--from", folder, "--roster", roster)
    _run("-m", "grader", "autograde", "--course", root, A.id, "--workers", "2", "--quiet")
    _run("-m", "grader", "feedback", "--course", root, A.id)
    _run("-m", "grader", "export", "--course", root)
    return root


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: `apt-get install chromium` "
                    "(bash course.sh test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots():
    # Not emptied: two tests of this module may run at once on two workers; each run
    # overwrites its own files.
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def _repo_copy(tmp: Path) -> Path:
    """What a student clones, with this checkout's environment (.venv)."""
    copy = tmp / "repo"
    shutil.copytree(REPO, copy, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info",
        ".ipynb_checkpoints", "_cache"))
    (copy / ".venv").symlink_to(REPO / ".venv")
    for built in copy.glob("notebooks/*/dlcourse"):
        shutil.rmtree(built)
    return copy


def _notebook(page, base, token, path):
    """Open a notebook in the Lab and wait until it is the current tab with an idle kernel."""
    page.goto(f"{base}/lab/tree/{path}?token={token}")
    page.wait_for_function("""(path) => {
        const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const kernel = w && w.context && w.context.path === path && w.sessionContext.session
            && w.sessionContext.session.kernel;
        return kernel && kernel.status === 'idle';
    }""", arg=path, timeout=120_000)


def _output(page, index, needle, timeout=120_000):
    """Wait until output of code cell ``index`` contains ``needle``; return that text."""
    output = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(
        ".jp-OutputArea-output", has_text=needle).first
    output.wait_for(timeout=timeout)
    output.scroll_into_view_if_needed()
    return output.text_content()


def _validate(page, shots, name):
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-item",
                 has_text="Validate").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    dialog.locator(".jp-Dialog-content").wait_for()
    page.screenshot(path=str(shots / name))
    text = dialog.inner_text()
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    return text


T0 = [time.monotonic()]


def _step(what):
    print(f"[{time.monotonic() - T0[0]:6.1f} s] {what}", file=sys.__stdout__, flush=True)


def _typeset(page):
    """Wait until MathJax has typeset the page's displayed maths."""
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue"
                           " && MathJax.Hub.queue.pending === 0"
                           " && document.querySelector('.MathJax_Display')", timeout=60_000)


def _page_text(page):
    return page.locator("body").inner_text()


def test_student_and_instructor_in_chromium(browser, shots, tmp_path_factory, capsys):
    with capsys.disabled():
        print(f"\nbrowser test screenshots: {shots}")
    tmp = tmp_path_factory.mktemp("browser")
    T0[0] = time.monotonic()
    # The instructor's course directory is graded while the student part runs.
    grading = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "sys.path.insert(0, 'tests'); import test_browser; "
         "print(test_browser._make_course(Path(sys.argv[1])))", str(tmp)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _student(browser, shots, tmp)
    finally:
        out, _ = grading.communicate(timeout=600)
    assert grading.returncode == 0, f"making the course directory failed:\n{out}"
    _step("course graded")
    _instructor(browser, shots, tmp, tmp / "course")


def _student(browser, shots, tmp):
    repo = _repo_copy(tmp)
    folder = repo / "notebooks" / A.id
    released = course_dir.read_notebook(folder / A.notebook)
    solution = course_dir.read_notebook(repo / "solutions" / A.notebook)
    submissions.write(submissions.reference(released, solution), folder / "completed.ipynb")
    _step("repo copied")
    with course_lab(tmp / "student-lab", repo) as (base, token, log):
        _step("student lab up")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _notebook(page, base, token, f"{A.id}/{A.notebook}")
        page.screenshot(path=str(shots / "01-student-notebook-opened.png"))
        _step("notebook open")

        # Validate on the untouched notebook: it must fail and name what fails.
        verdict = _validate(page, shots, "02-validate-blank.png")
        assert "Success" not in verdict, f"Validate passed a blank notebook:\n{verdict}"
        assert "is yours to write" in verdict, verdict
        _step("validate blank")

        # Run all: the first visible test stops on sigmoid's stub, whose message names
        # the notebook.
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        text = _output(page, 4, "is yours to write")
        assert f"sigmoid is yours to write: see notebooks/{A.id}/{A.notebook}" in text, text
        page.screenshot(path=str(shots / "03-stub-message.png"))
        _step("stub")

        # A wrong sigmoid: the visible test says what differs.
        page.evaluate("""(source) => {
            const panel = window.jupyterapp.shell.currentWidget;
            panel.content.widgets[3].model.sharedModel.setSource(source);
            panel.content.activeCellIndex = 3;
        }""", WRONG_SIGMOID)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')")
        text = _output(page, 4, "values differ")
        assert "expected" in text and "got" in text, text
        page.screenshot(path=str(shots / "04-visible-test-message.png"))
        _step("visible test")
        lab_text = _page_text(page)

        _notebook(page, base, token, f"{A.id}/completed.ipynb")
        verdict = _validate(page, shots, "05-validate-completed.png")
        assert "Success" in verdict, f"Validate failed the completed notebook:\n{verdict}"
        _step("validate completed")
        page.close()
    shown = lab_text + log.read_text()
    for message in NO_SHOW:
        assert message not in shown, f"the student's Lab shows {message!r}"


def _instructor(browser, shots, tmp, root):
    with open(root / "grades.csv") as f:
        grades = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    assert grades == {"ada": 8, "bob": 7, "cyd": 0}, grades
    with course_lab(tmp / "instructor-lab", REPO, "--instructor", "--course", str(root),
              grader_path=True) as (base, token, log):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # The Lab opens on the formgrader (log in at / so that the cookie covers every path).
        page.goto(f"{base}/?token={token}")
        page.wait_for_url("**/formgrader**")
        page.goto(f"{base}/formgrader/manage_students")
        rows = page.locator("#main-table tr")
        rows.filter(has_text="Lovelace").wait_for(timeout=60_000)
        page.screenshot(path=str(shots / "06-formgrader-students.png"))
        table = page.locator("#main-table").inner_text()
        for sid, (first, last) in ROSTER.items():
            row = rows.filter(has_text=sid).first.inner_text()
            assert f"{last}, {first}" in row, f"no real name for {sid}: {row}"
            assert f"{grades[sid]:g} / 8" in row, f"{sid}: formgrader {row}, gradebook {grades}"
        assert "None, None" not in table
        page.goto(f"{base}/formgrader/manage_assignments")
        page.locator("#main-table tr", has_text=A.id).wait_for(timeout=30_000)
        page.screenshot(path=str(shots / "07-formgrader-assignments.png"))
        _step("formgrader")
        formgrader_text = _page_text(page)

        # Manual grading of bob's notebook: the formgrader's own page of a submission.
        page.goto(f"{base}/formgrader/manage_students/bob/{A.id}")
        page.locator("#main-table a", has_text=A.notebook.removesuffix(".ipynb")).first.click()
        _typeset(page)
        assert "$$" not in _page_text(page), "raw LaTeX left in the formgrader's page"
        page.locator(".MathJax_Display").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "08-formgrader-submission-maths.png"))
        _step("formgrader submission")
        page.close()
    for message in NO_SHOW:
        assert message not in formgrader_text + log.read_text(), (
            f"the instructor's Lab shows {message!r}")

    html = root / "feedback" / "bob" / A.id / A.notebook.replace(".ipynb", ".html")
    source = html.read_text()
    assert "cdnjs" not in source and 'src="mathjax/MathJax.js' in source
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(html.as_uri())
    _typeset(page)
    text = _page_text(page)
    assert "$$" not in text, "raw LaTeX left in the feedback page"
    assert page.locator(".MathJax_Display").count() > 0
    for hidden in ("hidden.check", "BEGIN HIDDEN TESTS", "grader.grading"):
        assert hidden not in text and hidden not in source, f"hidden-test code: {hidden}"
    assert "l1_loss" in text
    page.locator(".MathJax_Display").first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "09-feedback-maths.png"))
    _step("feedback")
    page.close()


def test_course_site_renders_maths_and_plots_offline(browser, shots, tmp_path):
    """python -m grader site: the index lists every assignment with its goals; a page,
    opened from disk, typesets its maths with the MathJax beside it, shows its plots, and
    holds the student's stubs, not the reference answers or hidden tests."""
    index = site.build(tmp_path / "site")
    for page_file in index.parent.glob("*.html"):
        source = page_file.read_text()
        assert '<script src="http' not in source, f"{page_file.name} loads a script online"
        assert "BEGIN SOLUTION" not in source and "HIDDEN TESTS" not in source, page_file.name
    page = browser.new_page()
    try:
        page.goto(index.as_uri())
        links = page.locator("a[href$='.html']")
        assert links.count() == len(ASSIGNMENTS)
        assert "You will write" in _page_text(page)
        page.screenshot(path=str(shots / "10-site-index.png"))
        page.locator(f"a[href='{A.id}.html']").click()
        page.wait_for_load_state("load")
        _typeset(page)
        text = _page_text(page)
        assert "$$" not in text and "\\frac" not in text, "maths left untypeset"
        assert "sigmoid is yours to write" in text and "np.exp(-z))" not in text, \
            "the student edition shows the reference answer"
        images = page.evaluate("() => [...document.images].map(i => i.complete && "
                               "i.naturalWidth > 0)")
        assert images and all(images), f"plots that did not load: {images}"
        page.locator(".MathJax_Display").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "11-site-page.png"))
    finally:
        page.close()
