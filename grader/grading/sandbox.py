"""The outer sandbox: bubblewrap around the harness that confines each graded function.

``run`` starts one process (the harness, see ``harness.py`` and ``confine.py``)
as root inside new namespaces: no network, no other process, an empty /tmp, a
read-only view of exactly what student code needs (the interpreter and its
standard library, the runtime packages at /pkgs, the job folder at /sandbox)
and a writable /out for results. Nothing of the course directory, no other
installed package, and never the reference package or the grader: every
site-packages folder the interpreter knows is hidden under an empty tmpfs,
whatever way the course was installed. The harness then runs each piece of
student code in a process of its own, as an unprivileged uid with limits
(``confine.py``).
"""

import importlib.metadata
import os
import resource
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement

# What a submission may import besides the standard library: the dependencies of the
# course package (pyproject.toml's `dependencies`) and theirs.
RUNTIME = ("numpy", "matplotlib", "h5py", "tqdm")
PACKAGES = "/pkgs"  # where they appear inside


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0  # wall clock for one graded function (all its calls)
    cell_seconds: int = 20  # one cell or one call inside it
    memory_mb: int = 3072  # address space
    processes: int = 64
    file_mb: int = 64


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool


class SandboxUnavailable(RuntimeError):
    pass


def _requirements_closure(names):
    """The installed distributions ``names`` need, recursively (no extras)."""
    seen, todo = {}, list(names)
    while todo:
        name = todo.pop()
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed
        key = dist.metadata["Name"].lower().replace("_", "-")
        if key in seen:
            continue
        seen[key] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return list(seen.values())


@cache
def runtime_entries() -> dict[str, Path]:
    """name inside /pkgs -> path outside: each top-level package, module and metadata
    folder of the runtime distributions."""
    entries = {}
    for dist in _requirements_closure(RUNTIME):
        for top in {f.parts[0] for f in dist.files or []}:
            path = Path(dist.locate_file(top))
            if top not in ("..", "__pycache__") and path.exists():
                entries[top] = path.resolve()
    return entries


def _interpreter() -> Path:
    return Path(sys.executable).resolve()


def _python_roots():
    """Folders holding the interpreter and its standard library (mounted read-only)."""
    roots = {Path(sys.base_prefix).resolve(), _interpreter().parent.parent}
    return sorted(r for r in roots if not str(r).startswith("/usr/"))


def _hidden_folders(roots):
    """Every site-packages or dist-packages folder inside what is mounted: hidden."""
    candidates = set(site.getsitepackages()) | {site.getusersitepackages()}
    for base in {sys.base_prefix, sys.prefix}:
        paths = sysconfig.get_paths(vars={"base": base, "platbase": base})
        candidates |= {paths["purelib"], paths["platlib"]}
    for parent in ("/usr/lib", "/usr/local/lib", *map(str, (r / "lib" for r in roots))):
        candidates |= {str(p) for p in Path(parent).glob("python3*/*-packages")}
    mounted = ["/usr", *map(str, roots)]
    found = {Path(c).resolve() for c in candidates if Path(c).is_dir()}
    return sorted(f for f in found
                  if any(str(f) == m or str(f).startswith(m + "/") for m in mounted))


def _dirs_for(path: Path):
    """bwrap arguments creating each parent of ``path`` readable by everyone."""
    args = []
    for parent in reversed(path.parents):
        if str(parent) != "/":
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def command(job_dir: Path, out_dir: Path, argv, data_dir: Path | None = None):
    """The bwrap command running ``argv`` (a script under /sandbox and its arguments)
    with the sandbox's interpreter, isolated (-I) and without site-packages (-S).

    data_dir: the assignment's data files (with their MANIFEST.json), mounted read-only
    at /sandbox/datasets, where ``dlcourse.data`` looks first (job_dir must hold an
    empty ``datasets`` folder to mount it on). The setup cells of a notebook may load
    its data; the files are public, unlike the rest of the course."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            "bubblewrap is not installed: run `apt-get install bubblewrap` (Debian) first")
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the grader's sandbox runs as root (it gives each graded function a user "
            "and namespaces of its own): run the grading command as root")
    roots = _python_roots()
    args = ["bwrap", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(64 << 20), "--tmpfs", "/tmp"]
    if Path("/etc/alternatives").exists():
        args += ["--ro-bind", "/etc/alternatives", "/etc/alternatives"]
    for root in roots:
        args += _dirs_for(root) + ["--ro-bind", str(root), str(root)]
    for folder in _hidden_folders(roots):
        args += ["--tmpfs", str(folder), "--remount-ro", str(folder)]
    args += ["--perms", "0755", "--dir", PACKAGES]
    for name, path in sorted(runtime_entries().items()):
        args += ["--ro-bind", str(path), f"{PACKAGES}/{name}"]
    args += ["--ro-bind", str(job_dir), "/sandbox"]
    if data_dir is not None:
        args += ["--ro-bind", str(data_dir), "/sandbox/datasets"]
    args += ["--bind", str(out_dir), "/out",
             "--chdir", "/sandbox", "--clearenv",
             "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
             "--setenv", "MPLBACKEND", "Agg", "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib",
             "--setenv", "OPENBLAS_NUM_THREADS", "1", "--setenv", "OMP_NUM_THREADS", "1",
             *_numeric_setting(),
             "--", str(_interpreter()), "-I", "-S", *argv]
    return args


# How the grader's own process computes (its BLAS kernel, NumPy's CPU features): the
# student's code in the sandbox must round as the reference does outside it, or a
# trained result can drift from the reference (a machine that sets OPENBLAS_CORETYPE
# for everything would otherwise grade with two kernels).
NUMERIC_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NPY_DISABLE_CPU_FEATURES")


def _numeric_setting():
    """bwrap --setenv arguments passing NUMERIC_ENV through, where it is set."""
    return [arg for name in NUMERIC_ENV if name in os.environ
            for arg in ("--setenv", name, os.environ[name])]


def _limit(limits: Limits, seconds: float):
    """Limits on the whole sandbox (the harness as root is exempt from the process count;
    each worker gets its own, see ``confine.py``)."""
    def apply():
        mb = 1 << 20
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * mb, limits.memory_mb * mb))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * mb, limits.file_mb * mb))
        cpu = int(seconds) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    return apply


def worker_uid() -> int:
    """The uid confined processes run as: one per live grading process, so two jobs
    graded side by side never share a process limit."""
    return 100_000 + os.getpid()


TAIL = 20_000  # characters of stdout and stderr kept for the messages


def tail(f) -> str:
    """The last TAIL characters written to the (binary) file, saying so if more came
    before."""
    size = f.seek(0, os.SEEK_END)
    f.seek(max(0, size - TAIL))
    text = f.read().decode(errors="replace")
    return text if size <= TAIL else f"[{size - TAIL} earlier bytes dropped]\n" + text


def run(job_dir: Path, out_dir: Path, argv, seconds: float, limits: Limits,
        data_dir: Path | None = None) -> Outcome:
    """Run ``argv`` (paths as seen inside: job folder at /sandbox) in the sandbox, for at
    most ``seconds``.

    stdout and stderr go to files, not pipes: the file-size limit caps them (a print in a
    loop fails with "File too large" at ``file_mb``), and the grader, which keeps only
    their tails, never holds more of them in memory.
    """
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(command(job_dir, out_dir, argv, data_dir), stdout=stdout,
                                stderr=stderr, preexec_fn=_limit(limits, seconds),
                                start_new_session=True)
        try:
            proc.wait(timeout=seconds)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            timed_out = True
        return Outcome(proc.returncode, tail(stdout), tail(stderr), timed_out)
