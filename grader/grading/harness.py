"""Runs inside the sandbox as its first process: grades every function of one submission.

Reads ``/sandbox/job.json``: the setup cells (the released notebook's code before
the first exercise: trusted), the student's answer cells, the limits, the uid
workers run as and how many graded functions there are. For function ``k``,
``/sandbox/function-k.json``, readable by root only, holds its name, the encoded
inputs of each trial and the reference source of the graded functions it may
call.

This process imports NumPy and runs the setup cells once, and never runs student
code. For each function, ``confine.call`` forks a worker of its own (its own uid,
namespaces, /tmp and limits) that runs the answer cells, defines the callees and
calls the function on each trial. Per function, ``/out/k.result`` receives what
the worker returned, unparsed, and ``/out/k.status`` how it ended; ``/out/k.stdout``
and ``/out/k.stderr`` its output. Nothing a worker returns is trusted: the grader
outside compares it with the reference it computed itself.
"""

import builtins
import errno
import json
import os
import shutil
import signal
import sys
import time
import traceback

sys.path[:0] = ["/sandbox", "/pkgs"]  # the student copy of dlcourse, wire.py; NumPy & co.

import confine  # noqa: E402
import numpy as np  # noqa: E402
import wire  # noqa: E402


class CellTimeout(BaseException):
    pass


def _alarm(signum, frame):
    raise CellTimeout()


def _python_only(source):
    """Drop IPython magics and shell escapes, which plain Python cannot run (the twin of
    ``grader.authoring.rules.python_only``: nothing of ``grader`` is importable in here)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def _error(exc):
    """One line naming the exception and where in the student's cells it arose."""
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return ("output limit: more was written (to stdout, stderr or a file) than the "
                "sandbox's file-size limit allows; a print in a loop?")
    if isinstance(exc, MemoryError):
        # The failed frames may still hold the memory: free them before anything else.
        traceback.clear_frames(exc.__traceback__)
        return "MemoryError: the memory limit was reached"
    frames = traceback.extract_tb(exc.__traceback__)
    traceback.clear_frames(exc.__traceback__)
    where = next((f"{f.filename}, line {f.lineno}" for f in reversed(frames)
                  if f.filename.startswith("<")), "")
    text = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return f"{text} ({where})" if where else text


def _run(action, seconds):
    """(value, None) or (None, error message); ``seconds`` is a soft limit.

    The parent's wall-clock limit on the whole process is the hard one.
    """
    signal.alarm(seconds)
    try:
        value = action()
        signal.alarm(0)
        return value, None
    except CellTimeout:
        return None, f"stopped after {seconds} s"
    except BaseException as exc:  # noqa: BLE001 - SystemExit too: student code may exit()
        signal.alarm(0)
        return None, _error(exc)
    finally:
        signal.alarm(0)
        _restore_builtins()


_BUILTINS = dict(builtins.__dict__)


def _restore_builtins():
    """Undo a submission's changes to builtins, which this harness relies on too."""
    builtins.__dict__.clear()
    builtins.__dict__.update(_BUILTINS)


def _run_cells(cells, namespace, seconds):
    """Run notebook cells in ``namespace``; the errors, one line per failed cell."""
    errors = []
    for cell in cells:
        code = _python_only(cell["source"])
        _, error = _run(lambda code=code, name=cell["name"]:
                        exec(compile(code, f"<{name}>", "exec"), namespace), seconds)
        if error:
            errors.append(f"{cell['name']}: {error}")
    return errors


def _matplotlib_cache():
    """matplotlib's font list, built once by the grader: without it each worker would
    spend a second rebuilding it (the config folder must be writable, /sandbox is not)."""
    if os.path.isdir("/sandbox/matplotlib"):
        shutil.copytree("/sandbox/matplotlib", "/tmp/matplotlib", dirs_exist_ok=True)


def _private(k):
    """Runs as root before the worker drops its privileges: function k's own job."""
    with open(f"/sandbox/function-{k}.json") as f:
        return json.load(f)


def _grade_function(job, namespace, function):
    """In the worker: the student's cells, then each trial; the encoded results."""
    _matplotlib_cache()
    cell_errors = _run_cells(job["answers"], namespace, job["cell_seconds"])
    exec(compile(function["callees"], "<reference callees>", "exec"), namespace)
    fn = namespace.get(function["name"])
    results = []
    if not callable(fn):
        note = "; ".join(cell_errors) or "the answer cells did not define it"
        results = [{"error": f"no function {function['name']}() was defined ({note})"}]
    for trial in function["trials"] if callable(fn) else []:
        args = wire.decode(trial["args"])
        if trial["seed"] is not None:
            np.random.seed(trial["seed"])
        output, error = _run(lambda args=args: wire.encode(fn(*args)), job["cell_seconds"])
        results.append({"error": error} if error else {"output": output})
    return json.dumps({"results": results, "cell_errors": cell_errors}).encode()


def main():
    start = time.monotonic()
    _matplotlib_cache()
    with open("/sandbox/job.json") as f:
        job = json.load(f)
    signal.signal(signal.SIGALRM, _alarm)
    namespace = {"__name__": "__main__"}
    setup_errors = _run_cells(job["setup"], namespace, job["cell_seconds"])
    with open("/out/setup.json", "w") as f:
        json.dump({"errors": setup_errors}, f)
    for k in range(job["functions"]):
        left = job["seconds"] - (time.monotonic() - start)
        limits = dict(job["limits"], seconds=min(job["limits"]["seconds"], left))
        if limits["seconds"] <= 1:
            status = {"not_run": True}
        else:
            data, status = confine.call(
                lambda k=k: _private(k),
                lambda function: _grade_function(job, namespace, function),
                uid=job["uid"], limits=limits,
                stdout_path=f"/out/{k}.stdout", stderr_path=f"/out/{k}.stderr")
            status["seconds"] = limits["seconds"]
            with open(f"/out/{k}.result", "wb") as f:
                f.write(data)
        with open(f"/out/{k}.status", "w") as f:
            json.dump(status, f)


if __name__ == "__main__":
    main()
