"""``python -m grader build``: regenerate everything students see.

1. Graded cells of ``solutions/*.ipynb`` are refreshed from ``dlcourse``.
2. Each assignment is released with nbgrader (solutions and hidden tests
   stripped, outputs cleared) in a scratch course directory.
3. ``notebooks/<id>/`` receives the released notebook and the student copy of
   the package; the datasets stay at the repository root, where the loaders
   find them by walking up.

``--check`` builds into a scratch folder and reports every difference from
the committed files instead of writing.
"""

import filecmp
import shutil
import tempfile
from pathlib import Path

import nbformat

from grader import nbgrader_course
from grader.course import ASSIGNMENTS, NOTEBOOKS, SOLUTIONS
from grader.solutions import synced_notebook

FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def sync_solutions() -> list[str]:
    """Rewrite stale graded cells in ``solutions/``; return the notebooks changed."""
    changed = []
    for assignment in ASSIGNMENTS:
        nb = synced_notebook(assignment)
        if nbformat.writes(nb) + "\n" != assignment.source.read_text():
            nbformat.write(nb, assignment.source)
            changed.append(assignment.notebook)
    return changed


def build_student_files(out: Path) -> None:
    """Write ``<out>/<id>/`` for every assignment, replacing what was there."""
    with tempfile.TemporaryDirectory() as tmp:
        root = nbgrader_course.assemble(Path(tmp), ASSIGNMENTS)
        for assignment in ASSIGNMENTS:
            released = nbgrader_course.release(root, assignment)
            nb = nbgrader_course.read_notebook(released / assignment.notebook)
            for cell in nb.cells:  # run timings change on every execution
                cell.metadata.pop("execution", None)
            nb.metadata["dlcourse"] = {
                "generated_from": f"solutions/{assignment.notebook}",
                "generated_by": "python -m grader build",
            }
            nbformat.write(nb, released / assignment.notebook)
            shutil.rmtree(released / "datasets", ignore_errors=True)
            target = out / assignment.id
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(released, target, ignore=shutil.ignore_patterns("__pycache__"))
    known = {a.id for a in ASSIGNMENTS}
    for stale in out.iterdir():
        if stale.is_dir() and stale.name not in known:
            shutil.rmtree(stale)


def leaked_markers(folder: Path) -> list[str]:
    """Student-facing files that still contain a solution or hidden-test marker."""
    hits = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".ipynb", ".md", ".txt"):
            text = path.read_text(errors="replace")
            hits += [f"{path}: {m}" for m in FORBIDDEN if m in text]
    return hits


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ, or exist on one side only, between two folders."""
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__", ".ipynb_checkpoints"])
    out = [f"only in {a / n}" for n in cmp.left_only] + [f"only in {b / n}" for n in cmp.right_only]
    out += [f"differs: {a / n}" for n in cmp.diff_files + cmp.funny_files]
    for name in cmp.common_dirs:
        out += differences(a / name, b / name)
    return out


def build(out: Path = NOTEBOOKS) -> list[str]:
    """Regenerate solutions' graded cells and the student files; return problems."""
    changed = sync_solutions()
    for name in changed:
        print(f"refreshed graded cells of solutions/{name} from dlcourse")
    out.mkdir(exist_ok=True)
    build_student_files(out)
    return leaked_markers(out)


def check() -> list[str]:
    """Problems that a fresh build would fix: stale cells, stale or leaky student files."""
    from grader.solutions import stale_cells

    problems = [f"solutions/{a.notebook}: graded cell out of sync with dlcourse: {names}"
                for a in ASSIGNMENTS for names in stale_cells(a)]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "notebooks"
        fresh.mkdir()
        build_student_files(fresh)
        problems += differences(fresh, NOTEBOOKS)
    problems += leaked_markers(NOTEBOOKS)
    return problems


__all__ = ["build", "check", "leaked_markers", "SOLUTIONS"]
