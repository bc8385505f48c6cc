"""``python -m grader check <notebook>``: a student's self-check, visible tests only.

In a fresh Python process started in the notebook's folder (so the kernel's own
copy of ``dlcourse`` is the one imported), it runs the notebook's setup cells,
its answer cells and each exercise's visible-test cell, plus any earlier cell
whose names a visible test needs, and prints one line per exercise: passed,
failed with the check's message, or not implemented yet. It reads the notebook as
saved on disk, never runs a hidden test, needs nothing from the instructor and
no network, and exits non-zero unless everything passed.

From a notebook cell (save the notebook first)::

    from grader.selfcheck import check
    check("c1w2a1_numpy_basics.ipynb")
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from grader.authoring import metadata
from grader.authoring.rules import bound_names, python_only, used_names

TIMEOUT = 300  # seconds for the whole run: training cells a visible test needs may be slow

# Runs in the fresh process: the plan's cells in order, each visible test's outcome kept.
RUNNER = r'''
import contextlib, io, json, sys
plan, out = json.load(open(sys.argv[1])), sys.argv[2]
namespace = {"__name__": "__main__", "display": print}
outcomes, broken = {}, []
for cell in plan:
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(cell["source"], f"<{cell['label']}>", "exec"), namespace)
        if cell["kind"] == "visible":
            outcomes[cell["grade_id"]] = ["passed", ""]
    except BaseException as exc:  # noqa: BLE001 - a student's cell may raise anything
        message = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        if cell["kind"] == "visible" and isinstance(exc, NotImplementedError):
            outcomes[cell["grade_id"]] = ["not implemented", str(exc)]
        elif cell["kind"] == "visible":
            outcomes[cell["grade_id"]] = ["failed", message]
        else:
            broken.append(f"{cell['label']}: {message}")
json.dump({"outcomes": outcomes, "broken": broken}, open(out, "w"))
'''


def plan(nb) -> list[dict]:
    """The cells to run, in notebook order: setup, answers, visible tests, and the other
    cells a visible test needs names from (found by what each cell binds)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = next(i for i, c in enumerate(code) if metadata.is_answer(c))
    chosen = set(range(first)) | {i for i, c in enumerate(code)
                                  if metadata.is_answer(c) or metadata.is_visible_test(c)}
    others = [i for i in range(first, len(code)) if i not in chosen
              and not metadata.is_graded_test(code[i])]
    wanted = [i for i in sorted(chosen) if metadata.is_visible_test(code[i])]
    while wanted:  # pull in, transitively, the earlier cells that bind what is used
        i = wanted.pop()
        needed = used_names(code[i].source)
        for j in others:
            if j < i and j not in chosen and bound_names(code[j].source) & needed:
                chosen.add(j)
                wanted.append(j)
    cells = []
    for i in sorted(chosen):
        cell = code[i]
        kind = ("answer" if metadata.is_answer(cell) else
                "visible" if metadata.is_visible_test(cell) else "setup" if i < first else "other")
        grade_id = metadata.grade_id(cell) or ""
        cells.append({"kind": kind, "grade_id": grade_id, "source": python_only(cell.source),
                      "label": f"{kind} cell {grade_id or i + 1}"})
    return cells


def run(path: Path) -> dict:
    """{"rows": [(exercise, status, message)], "broken": [cell errors]} for a notebook."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    cells = plan(nb)
    with tempfile.TemporaryDirectory() as tmp:
        plan_file, out_file = Path(tmp, "plan.json"), Path(tmp, "out.json")
        plan_file.write_text(json.dumps(cells))
        env = dict(os.environ, MPLBACKEND="Agg")
        try:
            done = subprocess.run([sys.executable, "-c", RUNNER, plan_file, out_file],
                                  cwd=path.parent, env=env, capture_output=True, text=True,
                                  timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return {"rows": [], "broken": [f"stopped after {TIMEOUT} s"]}
        if not out_file.exists():
            return {"rows": [], "broken": [done.stderr.strip()[-2000:] or "the run failed"]}
        found = json.loads(out_file.read_text())
    rows = []
    for cell in nb.cells:
        if metadata.is_answer(cell):
            names = [f.rsplit(".", 1)[1] for f in metadata.functions(cell)]
            exercise = ", ".join(names) or metadata.grade_id(cell)
            status, message = found["outcomes"].get(f"visible_{metadata.grade_id(cell)}",
                                                    ["no visible test", ""])
            rows.append((exercise, status, message))
    return {"rows": rows, "broken": found["broken"]}


def report(result) -> str:
    width = max([len(r[0]) for r in result["rows"]] + [8])
    lines = [f"{'exercise':<{width}}  result"]
    for exercise, status, message in result["rows"]:
        lines.append(f"{exercise:<{width}}  {status}" + (f": {message}" if message else ""))
    lines += [f"note: {line}" for line in result["broken"]]
    return "\n".join(lines)


def passed(result) -> bool:
    return bool(result["rows"]) and all(status in ("passed", "no visible test")
                                        for _, status, _ in result["rows"])


def check(notebook) -> bool:
    """Print the self-check table of a saved notebook; True if every visible test passed."""
    result = run(Path(notebook))
    print(report(result))
    return passed(result)
