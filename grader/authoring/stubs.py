"""Reading the reference package: graded functions' source, and the student copy.

nbgrader strips solutions from notebooks only; this module does the same for
the package's ``.py`` files.
"""

import ast
import threading
from pathlib import Path

from grader.authoring.catalogue import ASSIGNMENTS, NOTEBOOKS, PACKAGE, Assignment, stubs_for

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


# CPython 3.11's parser keeps global state: ast.parse from two threads at once can
# fail with "AST constructor recursion depth mismatch" (Dask workers use threads).
_PARSE_LOCK = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, one thread at a time."""
    with _PARSE_LOCK:
        return ast.parse(source, filename=filename)


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = parse(path.read_text(), filename=str(path))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def function_source(qualname: str) -> str:
    """The exact text of a graded function in ``dlcourse`` (markers included)."""
    module, name = qualname.rsplit(".", 1)
    path = PACKAGE / f"{module}.py"
    node = _functions(path).get(name)
    if node is None:
        raise LookupError(f"{qualname}: no top-level function {name!r} in {path}")
    lines = path.read_text().splitlines()
    start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
    return "\n".join(lines[start:node.end_lineno])


def _marker_lines(lines, first, last):
    """Indices of BEGIN/END marker lines between lines first..last (0-based, inclusive)."""
    begins = [i for i in range(first, last + 1) if lines[i].strip() == BEGIN]
    ends = [i for i in range(first, last + 1) if lines[i].strip() == END]
    return begins, ends


def student_module(path: Path, stubs: dict[str, Assignment], header: str) -> str:
    """The student version of one package module.

    Functions listed in ``stubs`` keep their signature and docstring and raise
    ``NotImplementedError`` naming the notebook that teaches them; the other
    functions keep their reference body without the markers.
    """
    module = path.stem
    lines = path.read_text().splitlines()
    functions = _functions(path)
    out: list[str] = []
    covered = set()
    i = 0
    for name, node in sorted(functions.items(), key=lambda item: item[1].lineno):
        first, last = node.lineno - 1, node.end_lineno - 1
        begins, ends = _marker_lines(lines, first, last)
        if len(begins) != len(ends) or len(begins) > 1:
            raise ValueError(f"{path}:{node.lineno}: {name} needs exactly one solution region")
        covered.update(range(first, last + 1))
        if not begins:
            continue
        out.extend(lines[i:begins[0]])
        teacher = stubs.get(f"{module}.{name}")
        if teacher is None:
            out.extend(lines[begins[0] + 1:ends[0]])
            i = ends[0] + 1
        else:
            indent = lines[begins[0]][: len(lines[begins[0]]) - len(lines[begins[0]].lstrip())]
            out.append(f'{indent}raise NotImplementedError(\n'
                       f'{indent}    "{stub_message(name, teacher)}")')
            i = last + 1
    stray = [n + 1 for n, line in enumerate(lines)
             if line.strip() in (BEGIN, END) and n not in covered]
    if stray:
        raise ValueError(f"{path}: solution markers outside a top-level function, lines {stray}")
    out.extend(lines[i:])
    return header + "\n" + "\n".join(out) + "\n"


def stub_message(name: str, assignment) -> str:
    """What a function not written yet says, in the package copy and in the notebook."""
    return f"{name} is yours to write: see {assignment.student_notebook}"


def relative_imports(path: Path) -> set[str]:
    """Sibling modules that a package module imports (``from .x import ...``)."""
    tree = parse(path.read_text(), filename=str(path))
    return {node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}


def modules_for(assignment: Assignment) -> list[Path]:
    """The package modules this assignment's copy holds.

    A module first graded in a later assignment is left out: its ungraded helpers
    (a complete backward pass, an initializer written out) would hand over answers
    to this or earlier notebooks. Modules without graded functions (checks, data,
    plot) are in as soon as every module they import is.
    """
    first = {}  # module -> index of the first assignment grading one of its functions
    for index, a in enumerate(ASSIGNMENTS):
        for name in a.functions:
            first.setdefault(name.split(".")[0], index)
    now = ASSIGNMENTS.index(assignment)
    kept = [path for path in sorted(PACKAGE.glob("*.py")) if first.get(path.stem, 0) <= now]
    # A module without graded functions that builds on later ones (cnn, on conv and
    # optim) arrives with the last of them: drop it until everything it imports is in.
    while True:
        names = {path.stem for path in kept}
        waiting = [path for path in kept if path.stem not in first
                   and relative_imports(path) - names]
        if not waiting:
            break
        kept = [path for path in kept if path not in waiting]
    for path in kept:
        missing = relative_imports(path) - names
        if missing:
            raise ValueError(f"{assignment.id}: dlcourse/{path.name} imports {sorted(missing)}, "
                             "first graded in a later assignment")
    return kept


def student_package(assignment: Assignment) -> dict[str, str]:
    """File name -> text of every module in this assignment's copy of the package."""
    header = ("# Generated from dlcourse/{name} by `python -m grader build`; do not edit.\n"
              f"# Student copy for {assignment.id}: functions of this and later assignments "
              "are yours to write.")
    stubs = stubs_for(assignment)
    return {path.name: student_module(path, stubs, header.format(name=path.name))
            for path in modules_for(assignment)}


def write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True


def write_packages(out: Path = NOTEBOOKS) -> list[Path]:
    """Write each assignment's package copy to ``<out>/<id>/dlcourse/``, only the files
    that differ, and remove modules that no longer belong; return the paths changed."""
    changed = []
    for assignment in ASSIGNMENTS:
        folder = out / assignment.id / "dlcourse"
        files = student_package(assignment)
        changed += [folder / name for name, text in files.items()
                    if write_if_changed(folder / name, text)]
        for stale in sorted(folder.glob("*.py")):
            if stale.name not in files:
                stale.unlink()
                changed.append(stale)
    return changed
