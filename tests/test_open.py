"""`bash course.sh open`, the student's way in: JupyterLab serves the student notebooks,
and a notebook's kernel imports the assignment's own copy of the package."""

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from grader.authoring.catalogue import ASSIGNMENTS, get

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab started by the README's command; yields (base URL, token)."""
    tmp = tmp_path_factory.mktemp("lab")
    port, token = _free_port(), secrets.token_hex(16)
    # Keep runtime files and settings out of the user's home.
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"))
    log = open(tmp / "lab.log", "w")
    server = subprocess.Popen(
        ["bash", "course.sh", "open", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(base, token, "/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"JupyterLab did not come up:\n{(tmp / 'lab.log').read_text()}")
                time.sleep(0.5)
        yield base, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _get(base, token, path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def _post(base, token, path, body):
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


async def _execute(base, token, kernel_id, code, timeout=60):
    """Run code in the kernel over its websocket, as JupyterLab does; return its stdout."""
    url = base.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels?token={token}"
    connection = await websocket_connect(url)
    msg_id, stdout = uuid.uuid4().hex, []
    await connection.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "student", "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(connection.read_message(), deadline - time.monotonic())
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                stdout.append(msg["content"]["text"])
            elif kind == "error":
                raise AssertionError(f"kernel error: {msg['content']['ename']}: "
                                     f"{msg['content']['evalue']}")
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(stdout)
        raise AssertionError(f"no answer from the kernel within {timeout} s")
    finally:
        connection.close()


def test_lab_serves_every_student_notebook(lab):
    base, token = lab
    status, page = _get(base, token, "/lab")
    assert status == 200 and "JupyterLab" in page, f"/lab answered {status}"
    _, listing = _get(base, token, "/api/contents/")
    folders = sorted(item["name"] for item in json.loads(listing)["content"])
    assert folders == sorted(a.id for a in ASSIGNMENTS), (
        f"expected one folder per assignment in the Lab's file browser, got {folders}")
    for a in ASSIGNMENTS:
        _, body = _get(base, token, f"/api/contents/{a.id}/{a.notebook}")
        notebook = json.loads(body)["content"]
        assert notebook["cells"], f"{a.id}/{a.notebook} opened empty"


def test_kernel_uses_the_assignments_own_package_copy(lab):
    """In c1w4a2, the package is the student copy: the week-4 step-by-step functions are
    complete, the two functions this notebook teaches are stubs that name it."""
    base, token = lab
    a = get("c1w4a2")
    session = _post(base, token, "/api/sessions", {
        "path": f"{a.id}/{a.notebook}", "type": "notebook", "name": a.notebook,
        "kernel": {"name": "python3"}})
    code = "\n".join([
        "import numpy as np, dlcourse",
        "from dlcourse import dense",
        "print('FILE', dlcourse.__file__)",
        "np.random.seed(1)",
        "p = dense.initialize_parameters_deep([3, 2, 1])",
        "AL, _ = dense.model_forward(np.ones((3, 4)), p)",
        "print('FORWARD', AL.shape)",
        "try:",
        "    dense.deep_model(np.ones((3, 4)), np.ones((1, 4)), [3, 2, 1])",
        "except NotImplementedError as e:",
        "    print('STUB', e)",
    ])
    out = asyncio.run(_execute(base, token, session["kernel"]["id"], code))
    expected_file = REPO / "notebooks" / a.id / "dlcourse" / "__init__.py"
    assert f"FILE {expected_file}" in out, (
        f"the kernel should import {expected_file}, not the reference package; it printed:\n{out}")
    assert "FORWARD (1, 4)" in out, f"model_forward (from C1W4A1) should work; got:\n{out}"
    assert "STUB" in out and a.notebook in out, (
        f"deep_model should raise NotImplementedError naming {a.notebook}; got:\n{out}")
