"""Run untrusted code under bubblewrap with resource limits.

The process sees a read-only Python environment, its own job folder
(read-only), an output folder, an empty /tmp, no network, no other process,
and runs as an unprivileged uid with limits on memory, processes, file size
and CPU time. Nothing of the course directory (other submissions, solutions,
gradebook) is visible.
"""

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0  # wall clock for one sandboxed process
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


def _python_roots():
    """Folders the interpreter and its packages live in (mounted read-only)."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(sys.executable).resolve().parent.parent}
    return sorted(r for r in roots if not str(r).startswith("/usr"))


def _dirs_for(path: Path):
    """bwrap arguments creating each parent of ``path`` readable by everyone."""
    args = []
    for parent in reversed(path.parents):
        if str(parent) != "/":
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def command(job_dir: Path, out_dir: Path, argv, uid: int):
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            "bubblewrap is not installed: run `apt-get install bubblewrap` (Debian) first")
    args = ["bwrap", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(64 << 20), "--tmpfs", "/tmp"]
    if Path("/etc/alternatives").exists():
        args += ["--ro-bind", "/etc/alternatives", "/etc/alternatives"]
    for root in _python_roots():
        args += _dirs_for(root) + ["--ro-bind", str(root), str(root)]
    args += ["--ro-bind", str(job_dir), "/sandbox", "--bind", str(out_dir), "/out",
             "--chdir", "/sandbox", "--clearenv",
             "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
             "--setenv", "MPLBACKEND", "Agg", "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib",
             "--setenv", "OPENBLAS_NUM_THREADS", "1", "--setenv", "OMP_NUM_THREADS", "1",
             "--", "/usr/bin/setpriv", "--reuid", str(uid), "--regid", str(uid),
             "--clear-groups", "--inh-caps=-all", *argv]
    return args


def _limit(limits: Limits):
    def apply():
        mb = 1 << 20
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * mb, limits.memory_mb * mb))
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * mb, limits.file_mb * mb))
        cpu = int(limits.seconds) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    return apply


TAIL = 20_000  # characters of stdout and stderr kept for the messages


def _tail(f) -> str:
    """The last TAIL characters written to the file, saying so if more came before."""
    size = f.seek(0, os.SEEK_END)
    f.seek(max(0, size - TAIL))
    text = f.read().decode(errors="replace")
    return text if size <= TAIL else f"[{size - TAIL} earlier bytes dropped]\n" + text


def run(job_dir: Path, out_dir: Path, argv, limits: Limits) -> Outcome:
    """Run ``argv`` (paths as seen inside: job folder at /sandbox) in the sandbox.

    stdout and stderr go to files, not pipes: the file-size limit caps them (a print in a
    loop fails with "File too large" at ``file_mb``), and the grader, which keeps only
    their tails, never holds more of them in memory.
    """
    os.chmod(out_dir, 0o777)  # the unprivileged uid writes its result there
    # One uid per live worker process: process limits never mix two jobs.
    uid = 100_000 + os.getpid()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(command(job_dir, out_dir, argv, uid), stdout=stdout,
                                stderr=stderr, preexec_fn=_limit(limits), start_new_session=True)
        try:
            proc.wait(timeout=limits.seconds)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            timed_out = True
        return Outcome(proc.returncode, _tail(stdout), _tail(stderr), timed_out)
