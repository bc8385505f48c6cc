"""Maths in feedback and formgrader pages, offline.

nbgrader's page templates load MathJax from nbconvert's CDN, so a class behind a firewall,
or a student reading feedback offline, sees raw LaTeX. The course's ``nbgrader_config.py``
(``grader/authoring/course_dir.py``) renders them with the templates of
``grader/templates/`` instead:

- a feedback page loads ``mathjax/MathJax.js`` beside it (``MATHJAX_URL``):
  generating feedback puts the part of MathJax it needs there (:func:`after_feedback`, hard
  links to the copy the ``jupyter-server-mathjax`` package ships), so the page works from
  disk (file://) and when served;
- a formgrader page loads the MathJax that the Jupyter server serves (the
  ``jupyter-server-mathjax`` server extension).
"""

import os
import shutil
from pathlib import Path

import nbgrader

TEMPLATES = Path(__file__).parent / "templates"
NBGRADER_TEMPLATES = (Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
                      / "templates")
# Our templates extend nbgrader's by these names ('feedback/index.html.j2'); nbgrader's
# feedback page also inlines Bootstrap's CSS from its formgrader's static files.
FEEDBACK_PATHS = (NBGRADER_TEMPLATES.parent / "static" / "node_modules" / "bootstrap" / "dist"
                  / "css", NBGRADER_TEMPLATES)
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX_URL = f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"
# What MathJax 2 needs for TeX in HTML-CSS output; left out: translations, the
# accessibility extensions and the SVG output (8 of its 12 MB).
MATHJAX_PARTS = ("MathJax.js", "LICENSE", "config", "extensions", "jax", "fonts")
MATHJAX_SKIP = ("a11y", "SVG", "localization")


def mathjax_source() -> Path:
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def add_mathjax(folder: Path) -> Path:
    """Put MathJax in ``folder/mathjax`` (once; hard links when the file system allows)."""
    target = folder / "mathjax"
    if (target / "MathJax.js").exists():
        return target
    source = mathjax_source()
    target.mkdir(parents=True, exist_ok=True)
    for part in MATHJAX_PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, target / part, copy_function=_link_or_copy,
                            ignore=shutil.ignore_patterns(*MATHJAX_SKIP), dirs_exist_ok=True)
        else:
            _link_or_copy(path, target / part)
    return target


def after_feedback(assignment, student, notebooks):
    """nbgrader's ``GenerateFeedback.post_convert_hook`` (the course's configuration): MathJax
    beside the feedback pages of one submission, however feedback was generated
    (``python -m grader feedback``, the formgrader's button, ``nbgrader generate_feedback``).
    ``notebooks`` are the autograded notebooks, ``<root>/autograded/<student>/<assignment>/``."""
    for notebook in map(Path, notebooks):
        folder = notebook.parents[3] / "feedback" / notebook.parts[-3] / notebook.parts[-2]
        if folder.is_dir():
            add_mathjax(folder)
