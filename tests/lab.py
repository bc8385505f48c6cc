"""A JupyterLab started by ``bash course.sh open``, for the tests that talk to it."""

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def course_lab(tmp: Path, cwd: Path, *args: str, grader_path: bool = False):
    """``bash course.sh open ARGS`` run in ``cwd`` (a checkout: its own course.sh); yields its
    base URL, token and log file.

    Jupyter's runtime files and settings go to ``tmp``, out of the user's home.
    ``grader_path``: the server imports this checkout's ``grader`` (for the course's
    ``nbgrader_config.py``) even if the environment's editable install points elsewhere."""
    port, token = free_port(), secrets.token_hex(16)
    tmp.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"))
    if grader_path:
        (tmp / "path").mkdir()
        (tmp / "path" / "grader").symlink_to(REPO / "grader", target_is_directory=True)
        env["PYTHONPATH"] = str(tmp / "path")
    log_path = tmp / "lab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            ["bash", "course.sh", "open", *args, "--no-browser", "--ip=127.0.0.1",
             f"--port={port}", f"--IdentityProvider.token={token}",
             "--LabApp.expose_app_in_browser=True"],
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                request = urllib.request.Request(base + "/api/status",
                                                 headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(request, timeout=5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not come up:\n{log_path.read_text()}")
                time.sleep(0.5)
        yield base, token, log_path
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
