"""Inside the sandbox: run one piece of untrusted work in a process nothing else shares.

The sandbox's first process (the harness, root inside bubblewrap, never running
student code) calls ``call`` once per graded function. Each call forks:

    harness (root) ── C (root: reads the function's private job file, makes namespaces)
                          └── init (pid 1 of a new PID namespace: reaps, and its exit
                                │   kills every process left in the namespace)
                                └── worker (unprivileged uid, no capabilities, limits:
                                            runs the student's cells and the calls)

The worker gets its own PID, mount and IPC namespaces: a fresh /proc that shows
only its own processes, an empty /tmp of its own, no System V objects of anyone
else. When it ends, or its time is up, everything it started dies with its PID
namespace, and its /tmp goes with its mount namespace. So nothing one graded
function's run leaves behind (a process, a file, a shared-memory segment, a
patched module in memory) can reach the next one, which starts again from the
clean harness.

The worker's result comes back through a pipe, read to a cap; its stdout and
stderr go to files the harness opened, capped by the file-size limit. Only the
standard library is used: this module runs before anything else is trusted.
"""

import ctypes
import json
import os
import resource
import select
import signal
import sys
import traceback

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID = 0x00020000, 0x08000000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
RESULT_CAP = 64 << 20  # bytes of result read back; more is dropped (and the result unreadable)

_libc = ctypes.CDLL(None, use_errno=True)


def _checked(name, *args):
    if getattr(_libc, name)(*args) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{name}: {os.strerror(err)}")


def _limit(limits):
    """Apply the per-function limits (a dict from the grader's ``Limits``)."""
    mb = 1 << 20
    for which, value in ((resource.RLIMIT_AS, limits["memory_mb"] * mb),
                         (resource.RLIMIT_NPROC, limits["processes"]),
                         (resource.RLIMIT_FSIZE, limits["file_mb"] * mb),
                         (resource.RLIMIT_CPU, int(limits["seconds"]) + 5)):
        hard = resource.getrlimit(which)[1]  # the sandbox's own limit may be lower
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))


def _drop_privileges(uid):
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to another uid: every capability is gone
    _checked("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _checked("prctl", PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _exit_code(status):
    """A wait status as one exit code: the code, or 128 + the signal that killed it."""
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def _worker(work, prepared, result_fd, stdout_fd, stderr_fd, uid, limits):
    null = os.open("/dev/null", os.O_RDONLY)
    for fd, target in ((null, 0), (stdout_fd, 1), (stderr_fd, 2)):
        os.dup2(fd, target)
    os.closerange(3, result_fd)
    os.closerange(result_fd + 1, 1 << 16)
    _drop_privileges(uid)
    _limit(limits)
    data = work(prepared)
    view = memoryview(data)
    while view:
        view = view[os.write(result_fd, view):]
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _init(work, prepared, fds, uid, limits):
    """pid 1 of the worker's namespace: its own /proc, then wait for the worker."""
    _checked("mount", b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
    worker = os.fork()
    if worker == 0:
        _worker(work, prepared, *fds, uid, limits)
    for fd in fds:
        os.close(fd)
    while True:  # reap everything reparented to us until the worker itself ends
        pid, status = os.wait()
        if pid == worker:
            os._exit(_exit_code(status))


def _confined(prepare, work, fds, status_fd, uid, limits, tmp_mb):
    """C: read what only root may read, make the namespaces, watch the clock."""
    prepared = prepare()
    _checked("unshare", CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC)
    _checked("mount", None, b"/", None, MS_REC | MS_PRIVATE, None)
    _checked("mount", b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV,
             f"size={tmp_mb}m,mode=1777".encode())
    init = os.fork()
    if init == 0:
        _init(work, prepared, fds, uid, limits)
    for fd in fds:
        os.close(fd)
    watch = os.pidfd_open(init)
    timed_out = not select.select([watch], [], [], limits["seconds"])[0]
    if timed_out:
        os.kill(init, signal.SIGKILL)  # pid 1 gone: the kernel kills the whole namespace
    _, status = os.waitpid(init, 0)
    os.write(status_fd, json.dumps({"exit": _exit_code(status), "timed_out": timed_out})
             .encode())
    os._exit(0)


def call(prepare, work, *, uid, limits, stdout_path, stderr_path, tmp_mb=64):
    """Run ``work(prepare())`` confined; return (bytes it returned, status dict).

    ``prepare`` runs as root before any namespace is made (to read a file only root
    may read); ``work`` runs as ``uid`` and must return bytes. ``status`` holds
    ``exit`` (0, the code the worker exited with, or 128 + the signal that killed it),
    ``timed_out`` and ``oversize`` (the result was longer than RESULT_CAP and cut).
    """
    result_r, result_w = os.pipe()
    status_r, status_w = os.pipe()
    stdout_fd = os.open(stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    stderr_fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:
        try:
            os.close(result_r)
            os.close(status_r)
            _confined(prepare, work, (result_w, stdout_fd, stderr_fd), status_w, uid, limits,
                      tmp_mb)
        except BaseException:  # noqa: BLE001 - said on stderr: the worker's, once redirected
            traceback.print_exc()
        finally:
            os._exit(70)
    for fd in (result_w, status_w, stdout_fd, stderr_fd):
        os.close(fd)
    chunks, size = [], 0
    while chunk := os.read(result_r, 1 << 20):  # EOF once the worker's namespace is gone
        if size < RESULT_CAP:
            chunks.append(chunk)
        size += len(chunk)
    os.close(result_r)
    os.waitpid(child, 0)
    raw = os.read(status_r, 4096)
    os.close(status_r)
    status = json.loads(raw) if raw else {"exit": 70, "timed_out": False}
    status["oversize"] = size > RESULT_CAP
    return b"".join(chunks)[:RESULT_CAP], status
