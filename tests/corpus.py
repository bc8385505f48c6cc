"""Bad submissions of c1w2a1 for the hardened grader, with their exact scores.

c1w2a1 grades eight functions, one point each. Each entry is made from the
released notebook and the reference answers, then altered the way a cheating
or careless student would. ``expected`` is the score the hardened grader must
give; where a function is sabotaged, the others stay correct, so the score
shows the sabotage earned nothing.
"""

import copy
import json
from dataclasses import dataclass
from typing import Callable

from grader import submissions
from grader.authoring.catalogue import get

FULL = float(len(get("c1w2a1").functions))  # one point per graded function


@dataclass(frozen=True)
class Case:
    name: str
    expected: float
    make: Callable  # (released, solution, context) -> notebook, or str for raw file text
    why: str


def _answers(released, solution):
    return submissions.reference(released, solution)


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _replace(grade_id, source):
    """Reference answers with one answer cell replaced."""
    def make(released, solution, context):
        nb = _answers(released, solution)
        _cell(nb, grade_id).source = source.format(**context)
        return nb
    return make


def _append(grade_id, source):
    """Reference answers with code appended to one answer cell."""
    def make(released, solution, context):
        nb = _answers(released, solution)
        _cell(nb, grade_id).source += "\n\n" + source.format(**context)
        return nb
    return make


def _wrong_sigmoid_with(cheat):
    """sigmoid returns zeros, and the cell also tries ``cheat``."""
    return _replace("sigmoid", cheat + '''

def sigmoid(z):
    return np.zeros_like(np.asarray(z, dtype=float))
''')


def _duplicated(grade_id, source):
    """Reference answers, and below them a copy of one answer cell (same metadata) that
    redefines its function."""
    def make(released, solution, context):
        nb = _answers(released, solution)
        cell = _cell(nb, grade_id)
        twin = copy.deepcopy(cell)
        twin.id = f"{cell.id}-twin"  # a copied cell gets an id of its own, as in Jupyter
        twin.source = source.format(**context)
        nb.cells.insert(nb.cells.index(cell) + 2, twin)
        return nb
    return make


def _without_test_cells(released, solution, context):
    nb = submissions.one_wrong(released, solution, "activations.sigmoid")
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")
                or c.metadata["nbgrader"].get("solution")]
    return nb


def _reordered(released, solution, context):
    nb = submissions.one_wrong(released, solution, "activations.sigmoid")
    nb.cells = list(reversed(nb.cells))
    return nb


def _renamed(released, solution, context):
    nb = _answers(released, solution)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            meta["grade_id"] = "renamed_" + meta["grade_id"]
    return nb


def _invalid_json(released, solution, context):
    return json.dumps(submissions.reference(released, solution))[:-40] + "{not json"


def _empty_file(released, solution, context):
    return ""


CASES = [
    Case("unchanged", 0.0, lambda r, s, c: copy.deepcopy(r), "the released notebook as is"),
    Case("reference", FULL, lambda r, s, c: _answers(r, s), "every answer right"),
    Case("one_wrong", FULL - 1,
         lambda r, s, c: submissions.one_wrong(r, s, "losses.l2_loss"), "l2_loss perturbed"),
    Case("edited_test_cell", FULL - 1,
         lambda r, s, c: submissions.edited_test_cell(r, s, "losses.l2_loss"),
         "l2_loss wrong and its test cell replaced by `assert True`"),
    Case("monkeypatch_isclose", FULL - 1, _wrong_sigmoid_with('''
import numpy
numpy.isclose = lambda *a, **k: True
numpy.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None'''),
         "numpy's comparisons patched to always agree"),
    Case("monkeypatch_builtins", FULL - 1, _wrong_sigmoid_with('''
import builtins
builtins.isinstance = lambda *a: True
builtins.AssertionError = type("Harmless", (Exception,), {{}})'''),
         "builtins patched"),
    Case("monkeypatch_checks", FULL - 1, _wrong_sigmoid_with('''
import sys
import types
import dlcourse.checks
dlcourse.checks.compare = lambda *a, **k: []
fake = types.ModuleType("grader.grading.hidden")
fake.check = lambda *a, **k: None
sys.modules["grader"] = types.ModuleType("grader")
sys.modules["grader.grading"] = types.ModuleType("grader.grading")
sys.modules["grader.grading.hidden"] = fake'''),
         "the checks module and the hidden-test module replaced"),
    Case("calls_reference", FULL - 1, _replace("sigmoid", '''
def sigmoid(z):
    try:
        import dlcourse_reference.activations as ref
        return ref.sigmoid(z)
    except ImportError:
        from dlcourse.activations import sigmoid as packaged
        return packaged(z)
'''), "calls the package's sigmoid instead of writing one"),
    Case("hard_coded", FULL - 1, _replace("sigmoid", '''
def sigmoid(z):
    return np.array([0.26894142, 0.5, 0.88079708])
'''), "returns the visible test's expected output"),
    Case("catches_assertion", FULL - 1, _wrong_sigmoid_with('''
try:
    get_ipython().set_custom_exc((AssertionError,), lambda *a, **k: None)
except NameError:
    pass
import sys
sys.excepthook = lambda *a: None'''), "silences AssertionError in the kernel"),
    Case("sys_exit", FULL - 1, _replace("l1_loss", '''
def l1_loss(yhat, y):
    import sys
    sys.exit(0)
'''), "l1_loss calls sys.exit"),
    Case("os_exit", FULL - 1, _replace("l2_loss", '''
def l2_loss(yhat, y):
    import os
    os._exit(0)
'''), "l2_loss calls os._exit"),
    Case("exit_in_cell", FULL, _append("softmax", "import sys\nsys.exit(0)"),
         "a cell exits after defining softmax: softmax counts, the grader survives"),
    Case("deleted_test_cells", FULL - 1, _without_test_cells,
         "sigmoid wrong and every graded test cell deleted"),
    Case("reordered_cells", FULL - 1, _reordered, "sigmoid wrong and all cells reversed"),
    Case("renamed_cells", FULL, _renamed,
         "right answers, grade ids changed: cells are found by the functions they define"),
    Case("infinite_loop", FULL - 1, _replace("softmax", '''
def softmax(Z):
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass
'''), "softmax never returns and swallows the alarm"),
    Case("memory_bomb", FULL - 1, _replace("normalize_rows", '''
def normalize_rows(x):
    hoard = []
    while True:
        hoard.append(np.ones(10**9))  # 8 GB each
'''), "normalize_rows allocates without bound"),
    Case("fork_bomb", FULL - 1, _replace("image_to_vector", '''
def image_to_vector(image):
    import os
    while True:
        try:
            os.fork()
        except OSError:
            pass
'''), "image_to_vector forks without bound"),
    Case("stdout_flood", FULL - 1, _replace("l1_loss", '''
def l1_loss(yhat, y):
    while True:
        print("debugging " * 10000)
'''), "l1_loss prints in an endless loop (gigabytes of stdout)"),
    Case("stderr_flood", FULL - 1, _replace("l2_loss", '''
def l2_loss(yhat, y):
    import sys
    while True:
        sys.stderr.write("warning " * 10000)
'''), "l2_loss writes to stderr in an endless loop"),
    Case("forged_result", FULL - 1, _replace("softmax", '''
def softmax(Z):
    import os
    import stat
    for fd in range(3, 256):  # the result pipe, whichever descriptor it is
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, b"[" * 100000 + b"]" * 100000)
        except OSError:
            pass
    os._exit(0)
'''), "softmax writes a deeply nested result itself and exits"),
    Case("huge_output", FULL - 1, _replace("image_to_vector", '''
def image_to_vector(image):
    return np.ones((6000, 6000))
'''), "image_to_vector returns 288 MB"),
    Case("stderr_noise", FULL, _append("sigmoid", '''
import sys
import warnings

_quiet_sigmoid = sigmoid


def sigmoid(z):
    warnings.warn("an honest warning", RuntimeWarning)
    print("debug output", file=sys.stderr)
    return _quiet_sigmoid(z)
'''), "an honest answer that writes to stderr keeps its points"),
    Case("stash_reference", FULL - 1, _append("sigmoid_derivative", '''
_honest = sigmoid_derivative


def sigmoid_derivative(z):
    import builtins
    builtins.stash = sigmoid
    with open("/tmp/stash", "w") as f:
        f.write("reference seen")
    return _honest(z)


def sigmoid(z):
    import builtins
    if hasattr(builtins, "stash"):
        return builtins.stash(z)
    return np.zeros_like(np.asarray(z, dtype=float))
'''), "keeps the reference sigmoid seen in one test for another"),
    Case("writes_outside", FULL, _append("sigmoid", '''
for target in ["{root}/gradebook.db", "{root}/submitted/reference/c1w2a1/x.ipynb",
               "{root}/pwned.txt", "../pwned.txt", "/sandbox/pwned.txt", "/out/../pwned.txt"]:
    try:
        with open(target, "w") as f:
            f.write("pwned")
    except OSError:
        pass
'''), "tries to write into the gradebook, another student's folder and its own parent"),
    Case("reads_solutions", FULL - 1, _replace("sigmoid", '''
def sigmoid(z):
    import json
    try:
        with open("{root}/source/c1w2a1/c1w2a1_numpy_basics.ipynb") as f:
            cells = json.load(f)["cells"]
    except OSError:
        return np.zeros_like(np.asarray(z, dtype=float))
    code = next("".join(c["source"]) for c in cells if "def sigmoid(" in "".join(c["source"]))
    namespace = {{"np": np}}
    exec(code, namespace)
    return namespace["sigmoid"](z)
'''), "tries to read the solution notebook from the course directory"),
    Case("network", FULL - 1, _replace("sigmoid", '''
def sigmoid(z):
    import socket
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    except OSError:
        return np.zeros_like(np.asarray(z, dtype=float))
    return 1 / (1 + np.exp(-z))  # only with a network would this answer be given
'''), "answers right only if it can reach a server on the grading machine"),
    Case("reference_hunt", FULL - 1, _replace("sigmoid", '''
def _hunt():
    """Any complete copy of the package the sandbox lets us see, loaded under another name."""
    import importlib.util
    import os
    import time
    start = time.monotonic()
    for top, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in
                   ("/proc", "/sys", "/dev", "/usr/share", "/usr/include", "/usr/src")]
        if time.monotonic() - start > 3:
            return None
        if os.path.basename(top) == "dlcourse" and "activations.py" in files \\
                and top != "/sandbox/dlcourse":
            spec = importlib.util.spec_from_file_location(
                "found_" + str(abs(hash(top))), os.path.join(top, "activations.py"))
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
                module.sigmoid(np.zeros(1))
                return module.sigmoid
            except Exception:
                continue
    return None


def sigmoid(z):
    found = _hunt()
    if found is not None:
        return found(z)
    return np.zeros_like(np.asarray(z, dtype=float))
'''), "walks the file system for a complete copy of the package (site-packages after a "
            "regular install) and calls its sigmoid"),
    Case("duplicate_answer", FULL - 1, _duplicated("sigmoid", '''
def sigmoid(z):
    return np.zeros_like(np.asarray(z, dtype=float))
'''), "a correct sigmoid cell, then a copy of it (same grade id) redefining it wrongly "
            "below: graded as the notebook runs, the last definition wins"),
    Case("leak_between_functions", FULL - 1, _append("l2_loss", '''
def _left_behind():
    """Whatever an earlier graded function's run could have left for this one."""
    import ctypes
    import os
    import socket
    found = []
    for path in ("/tmp/leak", "/dev/shm/leak", os.path.expanduser("~/leak")):
        found += [path] if os.path.exists(path) else []
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect("\\0dlcourse-leak")
        found.append("daemon")
    except OSError:
        pass
    libc = ctypes.CDLL(None)
    if libc.shmget(0x1eaf, 0, 0) >= 0:
        found.append("System V shared memory")
    return found


def _leave_behind():
    import ctypes
    import os
    import socket
    import time
    for path in ("/tmp/leak", "/dev/shm/leak", os.path.expanduser("~/leak")):
        try:
            with open(path, "w") as f:
                f.write("leak")
        except OSError:
            pass
    ctypes.CDLL(None).shmget(0x1eaf, 4096, 0o1666)
    if os.fork() == 0:  # a daemon serving on an abstract socket
        os.setsid()
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind("\\0dlcourse-leak")
            server.listen()
            time.sleep(60)
        finally:
            os._exit(0)


_leaked = _left_behind()
_leave_behind()
_honest_l2 = l2_loss


def l2_loss(yhat, y):
    if _leaked:  # right only if an earlier run's state reached this one
        return _honest_l2(yhat, y)
    return _honest_l2(yhat, y) + 1.0
'''), "every graded function's run leaves files, a daemon and shared memory behind; "
            "l2_loss answers right only if it finds them"),
    Case("invalid_json", 0.0, _invalid_json, "the file is not valid JSON"),
    Case("empty_file", 0.0, _empty_file, "an empty file"),
]
