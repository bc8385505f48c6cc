"""Fixtures shared by the whole run, built once even when pytest-xdist runs several workers."""

import shutil
import sys
import time
from pathlib import Path

import pytest

# tests/corpus.py and tests/once.py are imported as modules.
sys.path.insert(0, str(Path(__file__).parent))

from grader.authoring import course_dir  # noqa: E402
from grader.authoring.catalogue import ASSIGNMENTS  # noqa: E402
from grader.authoring.stubs import write_packages  # noqa: E402
from once import once_per_run  # noqa: E402


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """An nbgrader course directory with every assignment released (source/, release/,
    gradebook.db), as `python -m grader release` makes it."""
    return once_per_run(tmp_path_factory, "released_course",
                         lambda root: course_dir.release(root, ASSIGNMENTS))


@pytest.fixture(scope="session")
def student_packages(tmp_path_factory):
    """Freshly built package copies: ``<folder>/<id>/dlcourse/``."""
    return once_per_run(tmp_path_factory, "student_packages", write_packages)


@pytest.fixture(scope="session")
def course_for(released_course):
    """``course_for(root, assignment)``: a course directory of its own at ``root`` for one
    assignment, copied from the shared release, with its own gradebook (so graders can
    run side by side and change it)."""
    def copy(root, assignment):
        root.mkdir(parents=True)
        shutil.copy(released_course / "nbgrader_config.py", root)
        shutil.copy(released_course / "gradebook.db", root)
        for step in ("source", "release"):
            shutil.copytree(released_course / step / assignment.id, root / step / assignment.id)
        return root
    return copy


def pytest_collection_modifyitems(config, items):
    """Slow tests first: the workers share them out while there is plenty of quick work
    left to balance the end, instead of finishing the run on one long round trip."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


_START = time.time()


def pytest_terminal_summary(terminalreporter):
    """Where the browser test (tests/test_browser.py) left its screenshots, when it ran."""
    shots = Path(__file__).resolve().parents[1] / "build" / "screenshots"
    if shots.is_dir() and shots.stat().st_mtime >= _START:
        names = ", ".join(sorted(p.name for p in shots.glob("*.png")))
        terminalreporter.write_line(f"browser test screenshots in {shots}: {names}")
