"""`bash course.sh open`, the student's way in: JupyterLab serves the student notebooks,
and a notebook's kernel imports the assignment's own copy of the package."""

import asyncio
import json
import time
import urllib.request
import uuid

import pytest
from tornado.websocket import websocket_connect

from grader.authoring.catalogue import ASSIGNMENTS, get
from lab import REPO, course_lab

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab started by the README's command; yields (base URL, token)."""
    with course_lab(tmp_path_factory.mktemp("lab"), REPO) as (base, token, _):
        yield base, token


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
