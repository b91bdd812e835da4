"""One build at a time per output folder: a lock file beside `out/` naming its owner (pid, host, start time).

The lock is ``.<out>.lock`` next to `out/` (not inside it: `out/` is swapped whole at the end of a build).
Its owner holds an exclusive ``flock`` on it for the whole build and writes its pid, host and start time
into it; the kernel drops the flock when the process dies, however it dies. So a lock file whose flock is
free is stale (its owner was killed): the next build takes it over with a note. One whose flock is held
belongs to a running build: :func:`build_lock` refuses at once (:meth:`kg.errors.BuildError.locked`) or,
with `wait`, waits for it, saying so once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from kg.errors import BuildError

__all__ = ["build_lock", "lock_owner", "lock_path"]


def lock_path(out: Path) -> Path:
    """The lock file of the output folder `out`: ``.<name>.lock`` beside it."""
    return out.parent / f".{out.name}.lock"


def lock_owner(path: Path) -> dict:
    """What the lock file at `path` says of its owner: pid, host, started (empty when unreadable)."""
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def _describe(owner: dict) -> tuple[int, str, str]:
    pid = owner.get("pid")
    return (
        pid if isinstance(pid, int) else 0,
        str(owner.get("host") or "?"),
        str(owner.get("started") or "?"),
    )


def _running(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def build_lock(
    out: Path, *, wait: bool | float = False, on_wait: Callable[[str], object] | None = None, poll: float = 0.1
) -> Iterator[list[str]]:
    """Hold the lock of `out` for the duration of the block; yields the notes of what was done (a stale
    lock taken over).

    `wait`: False refuses at once when another build holds it (BuildError.locked, naming the lock and
    its pid); True waits for as long as it takes; a number waits that many seconds at most
    (BuildError.lock_timeout). `on_wait` gets one line when the wait begins.
    """
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, notes = _acquire(path, out, wait, on_wait, poll)
    try:
        yield notes
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # before the flock is dropped: a waiter then sees that its file is gone, and retries
        os.close(fd)


def _acquire(
    path: Path, out: Path, wait: bool | float, on_wait: Callable[[str], object] | None, poll: float
) -> tuple[int, list[str]]:
    deadline = None if wait is True else time.monotonic() + float(wait or 0)
    announced = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid, host, started = _describe(lock_owner(path))
            if wait is False:
                raise BuildError.locked(str(path), pid, host, started) from None
            if deadline is not None and time.monotonic() >= deadline:
                raise BuildError.lock_timeout(str(path), pid, float(wait)) from None
            if on_wait is not None and not announced:
                on_wait(
                    f"{path}: another build (pid {pid} on {host}, started {started}) is writing {out}; "
                    "waiting for it to finish"
                )
            announced = True
            time.sleep(poll)
            continue
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # its owner removed it between our open and our flock: try again on the new file
            os.close(fd)
            continue
        break
    notes = []
    previous = os.pread(fd, 4096, 0)
    if previous.strip():
        pid, host, started = _describe(lock_owner(path))
        gone = host == socket.gethostname() and not _running(pid)
        state = "no longer running" if gone else "no longer holding the lock"
        notes.append(f"{path}: took over the stale lock of pid {pid} on {host} (started {started}; {state})")
    me = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me) + "\n").encode(), 0)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        if exc.filename is None:
            exc.filename = str(path)
        raise
    return fd, notes
