"""The Oxigraph servers behind the guard: a pool of ``serve-read-only`` processes over one store.

Each process (a :class:`Worker`) runs one query at a time on its own internal loopback port, and dies with
`kg serve` (Linux ``PR_SET_PDEATHSIG``). A query past its deadline (or shed from the long lane) is
stopped by killing the one process that runs it; the :class:`Pool` starts a replacement in the
background (about 50 ms), and no other query notices (docs/decisions.md, D11 and D25).
"""

from __future__ import annotations

import functools
import http.client
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kg.errors import ServeError
from kg.surface.serve.guard import Refused

__all__ = ["Deadline", "Pool", "Shed", "Worker", "WorkerDown", "find_oxigraph"]

#: work for the supervisor thread
_Job = Callable[[], None]


def find_oxigraph() -> str | None:
    """Path of the ``oxigraph`` server binary: next to this Python (the venv's scripts dir), else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the Oxigraph child gets SIGTERM when `kg serve` dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Deadline(Exception):
    """The query ran past its deadline (its process has to go)."""


class Shed(Exception):
    """The query outgrew the short lane and no long lane was free (its process has to go)."""


class WorkerDown(Exception):
    """The process did not answer (it died, or was replaced): the query may be tried on another one."""


class Worker:
    """One ``oxigraph serve-read-only`` process; the pool lends it to one query at a time."""

    def __init__(self, index: int, proc: subprocess.Popen, port: int):
        self.index, self.proc, self.port = index, proc, port

    def query(
        self, payload: bytes, accept: str, deadline: float, checkpoint: float, at_checkpoint: Callable[[], bool]
    ) -> tuple[int, bytes]:
        """POST `payload` to this process; the status and the whole body.

        Until the answer starts, the wait is cut at `checkpoint`, where `at_checkpoint()` says whether the
        query may go on (the long lane) or is :class:`Shed`; at `deadline` it is a :class:`Deadline`.
        """
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=max(0.001, deadline - time.monotonic()))
        try:
            try:
                conn.request("POST", "/query", payload, {"Content-Type": _FORM, "Accept": accept})
            except OSError as exc:
                raise WorkerDown(str(exc)) from None
            sock = conn.sock
            assert sock is not None, "a sent request has a socket"
            checked = False
            while True:  # wait for the first byte of the answer without reading it
                now = time.monotonic()
                if now >= deadline:
                    raise Deadline
                until = deadline if checked else min(checkpoint, deadline)
                ready, _, _ = select.select([sock], [], [], max(0.0, until - now))
                if ready:
                    break
                if not checked and time.monotonic() >= checkpoint:
                    checked = True
                    if not at_checkpoint():
                        raise Shed
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                if isinstance(exc, TimeoutError):
                    raise Deadline from None
                raise WorkerDown(str(exc)) from None
            chunks: list[bytes] = []
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Deadline
                sock.settimeout(remaining)
                try:
                    chunk = resp.read1(65536)
                except TimeoutError:
                    raise Deadline from None
                except (OSError, http.client.HTTPException) as exc:
                    raise WorkerDown(str(exc)) from None
                if not chunk:
                    return resp.status, b"".join(chunks)
                chunks.append(chunk)
        finally:
            conn.close()


_FORM = "application/x-www-form-urlencoded"


class Pool:
    """`size` read-only Oxigraph processes over `location`; idle ones wait in :attr:`idle` under :attr:`cond`."""

    def __init__(self, binary: str, location: Path, timeout: float, log: Path, size: int = 1):
        self.binary, self.location, self.timeout, self.log, self.size = binary, location, timeout, log, size
        self.cond = threading.Condition()
        self.idle: list[Worker] = []
        self.workers: dict[int, Worker] = {}  # index -> its current process
        self.restarts = 0
        self.assets: dict[str, bytes] = {}
        self._closed = False
        # Children are started from one long-lived thread: Linux sends PR_SET_PDEATHSIG when the thread
        # that forked it ends, so a child started by a request thread would die with that request.
        self._jobs: queue.Queue[tuple[_Job | None, threading.Event, list[BaseException]]] = queue.Queue()
        self._supervisor = threading.Thread(target=self._supervise, name="kg-serve-oxigraph", daemon=True)
        self._supervisor.start()

    def _supervise(self) -> None:
        while True:
            job, done, box = self._jobs.get()
            if job is None:
                done.set()
                return
            try:
                job()
            except BaseException as exc:
                box.append(exc)
            finally:
                done.set()

    def _in_supervisor(self, job: _Job | None, wait: bool = True) -> None:
        done, box = threading.Event(), list[BaseException]()
        self._jobs.put((job, done, box))
        if wait:
            done.wait()
            if box:
                raise box[0]

    def start(self) -> None:
        """Start every process (from the supervisor thread) and wait until each accepts connections."""
        for index in range(self.size):
            self._in_supervisor(functools.partial(self._spawn, index))

    def procs(self) -> list[subprocess.Popen]:
        """The current processes, one per worker."""
        return [w.proc for w in self.workers.values()]

    @property
    def port(self) -> int:
        """The port of the first worker (for the query page's assets)."""
        return next(iter(self.workers.values())).port

    def release(self, worker: Worker) -> None:
        """Give a worker back after its query."""
        with self.cond:
            if self.workers.get(worker.index) is worker and not self._closed:
                self.idle.append(worker)
                self.cond.notify_all()

    def discard(self, worker: Worker) -> None:
        """Kill the worker's process (the only way to stop its query) and start a replacement in the background."""
        with self.cond:
            if self.workers.get(worker.index) is not worker:
                return
            self.restarts += 1
        _stop(worker.proc)
        if not self._closed:
            self._in_supervisor(functools.partial(self._respawn, worker.index), wait=False)

    def _respawn(self, index: int) -> None:
        for _ in range(3):
            try:
                self._spawn(index)
                return
            except ServeError:
                time.sleep(0.5)

    def _spawn(self, index: int) -> None:
        if self._closed:
            return
        port = _free_port()
        cmd = [
            self.binary,
            "serve-read-only",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            str(max(1, int(self.timeout + 0.999))),
        ]
        with open(self.log, "ab") as log:
            preexec = _die_with_parent if sys.platform.startswith("linux") else None
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=preexec)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                text = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
                raise ServeError.upstream(next((ln for ln in text if ln.strip()), f"exit status {proc.returncode}"))
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.01)
        else:
            _stop(proc)
            raise ServeError.upstream("no answer within 30 s")
        worker = Worker(index, proc, port)
        with self.cond:
            if self._closed:
                _stop(proc)
                return
            self.workers[index] = worker
            self.idle.append(worker)
            self.cond.notify_all()

    def shutdown(self) -> None:
        """Stop every process and the supervisor thread."""
        with self.cond:
            self._closed = True
            workers, self.idle = list(self.workers.values()), []
            self.cond.notify_all()
        for worker in workers:
            _stop(worker.proc)
        if self._supervisor.is_alive():
            self._in_supervisor(None)

    def asset(self, path: str) -> bytes:
        """A file of the query page that Oxigraph bundles (fetched once from any process, then kept)."""
        if path not in self.assets:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                raise Refused(
                    503, f"{path}: the query engine did not answer ({exc}); retry", {"Retry-After": "1"}
                ) from None
            finally:
                conn.close()
            if resp.status != 200:
                raise Refused(404, f"{path}: not found")
            self.assets[path] = body
        return self.assets[path]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.kill()  # a read-only server has nothing to save; SIGKILL frees the core at once
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
