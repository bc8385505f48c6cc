"""Work done once per test run, however many pytest-xdist workers run the tests."""

import os

from filelock import FileLock


def once_per_run(tmp_path_factory, name, make):
    """``make(folder)`` once per test run; every xdist worker gets the same folder.

    Workers' temporary folders share a parent (the run's), where a lock lets the first
    worker build while the others wait. The folder is read-only by convention: a test
    that needs to change it copies it first.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder, done = base / name, base / f"{name}.done"
    with FileLock(str(base / f"{name}.lock")):
        if not done.exists():
            make(folder)
            done.touch()
    return folder
