"""``python -m grader site [--edition student|instructor] [--out DIR]``: the course as a website.

Static HTML pages, one per assignment, and an index with each assignment's goals,
written to ``build/site/`` by default (a build product, not committed). Maths is
typeset by a MathJax copied into the site (no CDN), plots are embedded in the pages.

- The **student** edition (default) shows the solution notebooks' prose and plots with
  the student notebooks' code in the exercises: answer cells hold the stubs, hidden-test
  cells only their comments, and the exercise cells carry no outputs (they were made by
  the reference answers). Safe to publish.
- The **instructor** edition renders ``solutions/`` as they are: reference answers and
  hidden tests included. Not for students.
"""

import html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from grader.authoring import metadata
from grader.authoring.catalogue import ASSIGNMENTS, ROOT
from grader.feedback import MATHJAX_URL, add_mathjax

OUT = ROOT / "build" / "site"


def student_edition(assignment):
    """The solution notebook with the student notebook's code in every nbgrader cell."""
    nb = nbformat.read(assignment.source, as_version=4)
    student = nbformat.read(ROOT / assignment.student_notebook, as_version=4)
    released = {metadata.grade_id(c): c.source for c in student.cells if metadata.grade_id(c)}
    for cell in nb.cells:
        grade_id = metadata.grade_id(cell)
        if grade_id and cell.cell_type == "code":
            cell.source = released.get(grade_id, "")
            cell.outputs, cell.execution_count = [], None
    return nb


def goals(nb) -> tuple[str, str]:
    """(title, first paragraph and 'You will write' line) from the notebook's first cell."""
    first = nb.cells[0].source.strip().split("\n\n")
    title = first[0].lstrip("# ").strip()
    writes = next((p for p in first[1:] if p.startswith("**You will write**")), "")
    return title, "\n\n".join(p for p in (first[1] if len(first) > 1 else "", writes) if p)


def _inline_markdown(text: str) -> str:
    """Enough Markdown for the index: code spans and bold, the rest escaped."""
    text = html.escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)


def build(out: Path = OUT, edition: str = "student") -> Path:
    """Write the site; return its index page."""
    out.mkdir(parents=True, exist_ok=True)
    add_mathjax(out)
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL)
    entries = []
    for a in ASSIGNMENTS:
        nb = (student_edition(a) if edition == "student"
              else nbformat.read(a.source, as_version=4))
        page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": a.id}})
        # require.js (for widgets, which no notebook uses) would be fetched from a CDN.
        page = page.replace(f'<script src="{exporter.require_js_url}"></script>', "")
        (out / f"{a.id}.html").write_text(page)
        title, summary = goals(nb)
        paragraphs = "".join(f"<p>{_inline_markdown(p)}</p>" for p in summary.split("\n\n"))
        entries.append(f'<li><h2><a href="{a.id}.html">{html.escape(title)}</a></h2>'
                       f"{paragraphs}</li>")
    label = "student edition" if edition == "student" else "instructor edition (solutions)"
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Deep learning from scratch, in NumPy</title>"
        "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.45}"
        "li{list-style:none;margin-bottom:1.5em}h2{font-size:1.2em;margin-bottom:.2em}</style>"
        "</head><body><h1>Deep learning from scratch, in NumPy</h1>"
        f"<p>The course's notebooks, {label}. Each one teaches the maths, asks for one "
        "function per exercise and ends with an experiment.</p>"
        f"<ul>{''.join(entries)}</ul></body></html>\n")
    return index
