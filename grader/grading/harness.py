"""Runs inside the sandbox: define a student's functions, call one on given inputs.

Reads ``job.json`` from the current folder: the setup and answer cells to run,
the reference source of the graded functions the tested one may call, the
function's name and the encoded inputs of each trial. Writes ``/out/result.json``
with one encoded output (or error) per trial. Nothing here is trusted by the
grader: it only compares what comes back with the reference it computed
itself, outside the sandbox.
"""

import builtins
import errno
import json
import os
import shutil
import signal
import sys
import traceback

sys.path.insert(0, "/sandbox")  # the student copy of dlcourse and wire.py

import numpy as np  # noqa: E402
import wire  # noqa: E402


class CellTimeout(BaseException):
    pass


def _alarm(signum, frame):
    raise CellTimeout()


def _python_only(source):
    """Drop IPython magics and shell escapes, which plain Python cannot run."""
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


def main():
    # matplotlib's font list, built once by the grader: without it every process would
    # spend a second rebuilding it (the config folder must be writable, /sandbox is not).
    if os.path.isdir("/sandbox/matplotlib"):
        shutil.copytree("/sandbox/matplotlib", "/tmp/matplotlib", dirs_exist_ok=True)
    with open("job.json") as f:
        job = json.load(f)
    signal.signal(signal.SIGALRM, _alarm)
    namespace = {"__name__": "__main__"}
    cell_errors = []
    for cell in job["cells"]:
        code = _python_only(cell["source"])
        _, error = _run(lambda code=code, name=cell["name"]:
                        exec(compile(code, f"<{name}>", "exec"), namespace), job["cell_seconds"])
        if error:
            cell_errors.append(f"{cell['name']}: {error}")
    exec(compile(job["callees"], "<reference callees>", "exec"), namespace)
    fn = namespace.get(job["function"])
    results = []
    if not callable(fn):
        note = "; ".join(cell_errors) or "the answer cells did not define it"
        results = [{"error": f"no function {job['function']}() was defined ({note})"}]
    for trial in job["trials"] if callable(fn) else []:
        args = wire.decode(trial["args"])
        if trial["seed"] is not None:
            np.random.seed(trial["seed"])
        output, error = _run(lambda args=args: wire.encode(fn(*args)), job["cell_seconds"])
        results.append({"error": error} if error else {"output": output})
    with open("/out/result.json", "w") as f:
        json.dump({"results": results, "cell_errors": cell_errors}, f)


if __name__ == "__main__":
    main()
