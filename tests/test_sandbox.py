"""The sandbox and the wire format the grader trusts."""

import sys
from pathlib import Path

import numpy as np
import pytest

from grader.grading import sandbox, wire


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


def _run(tmp_path, code, **limits):
    job, out = tmp_path / "job", tmp_path / "out"
    job.mkdir()
    out.mkdir()
    (job / "t.py").write_text(code)
    job.chmod(0o755)
    (job / "t.py").chmod(0o644)
    return sandbox.run(job, out, [sys.executable, "-I", "/sandbox/t.py"],
                       sandbox.Limits(**limits)), out


def test_sandbox_sees_no_network_no_course_and_no_root(tmp_path):
    secret = Path(__file__).resolve()
    outcome, out = _run(tmp_path, f"""
import os, socket
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    print("network")
except OSError:
    print("no network")
print("sees tests" if os.path.exists({str(secret)!r}) else "no tests")
print("uid", os.getuid())
open("/out/result.json", "w").write("ok")
""")
    assert outcome.returncode == 0, outcome.stderr
    lines = outcome.stdout.split("\n")
    assert lines[0] == "no network" and lines[1] == "no tests", outcome.stdout
    assert lines[2] != "uid 0", "the sandboxed process runs as root"
    assert (out / "result.json").read_text() == "ok"


def test_sandbox_wall_clock_limit(tmp_path):
    outcome, _ = _run(tmp_path, "while True:\n    pass\n", seconds=2)
    assert outcome.timed_out


def test_sandbox_memory_and_process_limits(tmp_path):
    outcome, _ = _run(tmp_path, """
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
    assert "memory limited" in outcome.stdout and "process limited" in outcome.stdout, outcome
