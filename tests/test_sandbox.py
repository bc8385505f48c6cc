"""The sandbox and the wire format the grader trusts."""

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from grader.grading import confine, sandbox, wire


def test_wire_round_trip_keeps_types_shapes_and_bits():
    value = ({"dw": np.arange(6, dtype=np.float64).reshape(2, 3) / 7, "db": -0.1},
             [np.float32(1.5), 3, True, None, "text"], np.array([[True, False]]),
             float("nan"), np.int64(7))
    back = wire.loads(wire.dumps(value))
    assert isinstance(back, tuple) and isinstance(back[0], dict) and isinstance(back[1], list)
    np.testing.assert_array_equal(back[0]["dw"], value[0]["dw"])
    assert back[0]["dw"].dtype == np.float64 and back[2].dtype == bool
    assert back[1][:4] == [1.5, 3, True, None] and np.isnan(back[3]) and back[4] == 7


def test_wire_never_carries_objects():
    """Would an object array or a custom class smuggle code into the grader? No."""
    assert wire.encode(np.array([object()], dtype=object)).startswith("<unsupported")
    assert wire.encode(object()).startswith("<unsupported")
    with pytest.raises(ValueError):
        wire.decode({"__array__": ["|O", [1], ""]})
    with pytest.raises(ValueError):
        wire.decode({"__class__": "os.system"})


def _confined(tmp_path, code, seconds=20, data_dir=None, **limits):
    """Run ``code`` the way the grader runs student code: in the sandbox, in a worker
    forked by ``confine.call`` (data_dir mounted at /sandbox/datasets, as the grader
    mounts an assignment's data files). Returns (status, stdout, stderr, what it returned)."""
    job, out = tmp_path / "job", tmp_path / "out"
    job.mkdir()
    out.mkdir()
    (job / "datasets").mkdir()
    shutil.copy(Path(confine.__file__), job / "confine.py")
    (job / "student.py").write_text(code)
    (job / "main.py").write_text(f"""
import sys
sys.path[:0] = ["/sandbox", "/pkgs"]
import confine
import json


def work(_):
    exec(compile(open("/sandbox/student.py").read(), "<student>", "exec"), {{}})
    return b"returned"


data, status = confine.call(lambda: None, work, uid={sandbox.worker_uid()},
                            limits={asdict(sandbox.Limits(seconds=seconds, **limits))!r},
                            stdout_path="/out/stdout", stderr_path="/out/stderr")
with open("/out/status.json", "w") as f:
    json.dump(dict(status, data=data.decode()), f)
""")
    for path in [job, *job.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    outcome = sandbox.run(job, out, ["/sandbox/main.py"], seconds + 10, sandbox.Limits(),
                          data_dir)
    assert outcome.returncode == 0, outcome.stderr
    status = json.loads((out / "status.json").read_text())
    return status, (out / "stdout").read_text(), (out / "stderr").read_text(), status["data"]


def test_data_files_are_readable_and_read_only_in_the_sandbox(tmp_path):
    """The assignment's data files are mounted where dlcourse.data looks first (the
    working directory's datasets/), so a setup cell that loads data works there too."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "MANIFEST.json").write_text('{"x.h5": "0"}')
    status, stdout, _, _ = _confined(tmp_path, """
import os
print(open("datasets/MANIFEST.json").read())
try:
    open("datasets/x.h5", "w")
    print("wrote")
except OSError:
    print("read-only")
""", data_dir=data)
    assert stdout.split() == ['{"x.h5":', '"0"}', "read-only"], (status, stdout)


def test_confined_code_sees_no_network_no_course_and_no_root(tmp_path):
    secret = Path(__file__).resolve()
    status, stdout, stderr, data = _confined(tmp_path, f"""
import os, socket
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    print("network")
except OSError:
    print("no network")
print("sees tests" if os.path.exists({str(secret)!r}) else "no tests")
print("uid", os.getuid())
for path in ("/out/x", "/sandbox/x", "/tmp/x"):
    try:
        open(path, "w").write("x")
        print("wrote", path)
    except OSError:
        print("cannot write", path)
print("processes", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
""")
    lines = stdout.split("\n")
    assert lines[:2] == ["no network", "no tests"], stdout + stderr
    assert lines[2] != "uid 0", "the confined process runs as root"
    assert lines[3:6] == ["cannot write /out/x", "cannot write /sandbox/x", "wrote /tmp/x"]
    assert lines[6] == "processes [1, 2]", "it sees processes other than its own"
    assert status == {"exit": 0, "timed_out": False, "oversize": False, "data": "returned"}


def test_sandbox_hides_every_installed_package_but_the_runtime(tmp_path):
    """Is dlcourse (the reference), grader or pytest importable or even on disk inside?"""
    _, stdout, stderr, _ = _confined(tmp_path, """
import importlib.util, os, sys
for name in ("numpy", "matplotlib", "dlcourse", "grader", "pytest", "nbgrader"):
    print(name, importlib.util.find_spec(name) is not None)
print("site-packages", [p for p in sys.path if "-packages" in p])
""")
    assert stdout.split("\n")[:6] == ["numpy True", "matplotlib True", "dlcourse False",
                                        "grader False", "pytest False", "nbgrader False"], \
        stdout + stderr
    for folder in sandbox._hidden_folders(sandbox._python_roots()):
        assert "-packages" in folder.name


def test_sandbox_wall_clock_limit(tmp_path):
    status, _, _, _ = _confined(tmp_path, "while True:\n    pass\n", seconds=2)
    assert status["timed_out"]


def test_confined_processes_end_with_the_worker(tmp_path):
    """Does a daemon the student starts die when the worker ends (PID namespace)?"""
    status, stdout, _, _ = _confined(tmp_path, """
import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(30)
    os._exit(0)
print("started")
""", seconds=10)
    assert stdout == "started\n" and status["exit"] == 0


def test_sandbox_memory_and_process_limits(tmp_path):
    _, stdout, stderr, _ = _confined(tmp_path, """
import os, numpy as np
try:
    np.ones(10**10)
except MemoryError:
    print("memory limited")
children = 0
try:
    for _ in range(100):
        if os.fork() == 0:
            import time
            time.sleep(3)
            os._exit(0)
        children += 1
except OSError:
    print("process limited after", children)
""", processes=16, memory_mb=1024, seconds=20)
    assert "memory limited" in stdout and "process limited" in stdout, stdout + stderr


def test_sandbox_computes_with_the_graders_blas_kernel(tmp_path, monkeypatch):
    """Does student code round as the reference outside does? The sandbox clears the
    environment but keeps the BLAS kernel and NumPy CPU features the grader runs with,
    and no other variable of its environment."""
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Sandybridge")
    monkeypatch.setenv("DLCOURSE_SECRET", "x")
    _, stdout, stderr, _ = _confined(tmp_path, """
import os
print(os.environ.get("OPENBLAS_CORETYPE"), os.environ.get("DLCOURSE_SECRET"))
""")
    assert stdout.split("\n")[0] == "Sandybridge None", stdout + stderr
