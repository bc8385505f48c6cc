"""``python -m grader build``: regenerate everything students see.

1. Graded cells of ``solutions/*.ipynb`` are refreshed from ``dlcourse``.
2. Each assignment is released with nbgrader (solutions and hidden tests
   stripped, outputs cleared) in a scratch course directory, and its student
   notebook is written to ``notebooks/<id>/`` (committed).
3. ``notebooks/<id>/dlcourse/`` receives the assignment's stubbed copy of the
   package (a build product, not committed); the datasets stay at the
   repository root, where the loaders find them by walking up.

``--packages`` writes only the package copies, and only the files that
changed: it takes well under a second and never touches a notebook, so
``bash course.sh open`` runs it before every start. ``--check`` reports every
difference between the committed student notebooks and a fresh build.
"""

import tempfile
from pathlib import Path

import nbformat

from grader.authoring import course_dir, metadata
from grader.authoring.catalogue import ASSIGNMENTS, NOTEBOOKS
from grader.authoring.rules import setup_rule
from grader.authoring.stubs import write_if_changed, write_packages
from grader.authoring.sync import stale_cells, synced_notebook

FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
COMMAND = "python -m grader build"


def sync_solutions() -> list[str]:
    """Rewrite stale graded cells in ``solutions/``; return the notebooks changed."""
    changed = []
    for assignment in ASSIGNMENTS:
        nb = synced_notebook(assignment)
        if nbformat.writes(nb) + "\n" != assignment.source.read_text():
            nbformat.write(nb, assignment.source)
            changed.append(assignment.notebook)
    return changed


def student_notebook(assignment, release: Path) -> str:
    """The text of the student notebook, from nbgrader's ``release/`` folder."""
    nb = course_dir.read_notebook(release / assignment.id / assignment.notebook)
    for cell in nb.cells:  # run timings change on every execution
        cell.metadata.pop("execution", None)
    metadata.set_notebook_info(nb, replace=True, generated_from=f"solutions/{assignment.notebook}",
                               generated_by=COMMAND)
    return nbformat.writes(nb) + "\n"


def write_notebooks(out: Path, release: Path) -> list[Path]:
    """Write each ``<out>/<id>/<notebook>`` that differs; return the paths written."""
    return [out / a.id / a.notebook for a in ASSIGNMENTS
            if write_if_changed(out / a.id / a.notebook, student_notebook(a, release))]


def leaked_markers(folder: Path) -> list[str]:
    """Student-facing files that still contain a solution or hidden-test marker."""
    hits = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".ipynb", ".md", ".txt"):
            text = path.read_text(errors="replace")
            hits += [f"{path}: {m}" for m in FORBIDDEN if m in text]
    return hits


def rule_violations() -> list[str]:
    return [problem for a in ASSIGNMENTS for problem in setup_rule(a)]


def build(out: Path = NOTEBOOKS) -> list[str]:
    """Regenerate solutions' graded cells and the student files; return problems.

    Refuses (writes nothing) while a solution notebook breaks the grader's authoring
    rule (``rules.py``).
    """
    violations = rule_violations()
    if violations:
        return violations
    for name in sync_solutions():
        print(f"refreshed graded cells of solutions/{name} from dlcourse")
    with tempfile.TemporaryDirectory() as tmp:
        release = course_dir.release(Path(tmp), ASSIGNMENTS)
        for path in write_notebooks(out, release):
            print(f"wrote {path}")
    write_packages(out)
    return leaked_markers(out)


def check(release: Path | None = None) -> list[str]:
    """Problems that a fresh build would fix: stale graded cells, stale student notebooks.

    release: a ``release/`` folder made by ``course_dir.release`` from the
    current sources (the tests share one); by default one is made here.
    """
    problems = [f"solutions/{a.notebook}: graded cell out of sync with dlcourse: {names}"
                for a in ASSIGNMENTS for names in stale_cells(a)]
    with tempfile.TemporaryDirectory() as tmp:
        release = release or course_dir.release(Path(tmp), ASSIGNMENTS)
        for a in ASSIGNMENTS:
            path = NOTEBOOKS / a.id / a.notebook
            if not path.exists():
                problems.append(f"missing: {path}")
            elif path.read_text() != student_notebook(a, release):
                problems.append(f"differs from a fresh build: {path}")
    known = {a.id for a in ASSIGNMENTS}
    problems += [f"not an assignment of the catalogue: {p}" for p in sorted(NOTEBOOKS.iterdir())
                 if p.is_dir() and p.name not in known]
    problems += leaked_markers(NOTEBOOKS)
    return rule_violations() + problems
