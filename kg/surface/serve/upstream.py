"""The Oxigraph server behind the guard: find the binary, run ``serve-read-only``, restart it, fetch its assets.

The child runs on an internal loopback port and dies with `kg serve` (Linux ``PR_SET_PDEATHSIG``);
a timed-out query is stopped by restarting the process (docs/decisions.md, D11).
"""

from __future__ import annotations

import http.client
import os
import queue
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
from kg.surface.serve.policy import Refused

__all__ = ["Oxigraph", "find_oxigraph"]

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


class Oxigraph:
    """The internal read-only Oxigraph server; restartable (a timed-out query is stopped by a restart)."""

    def __init__(self, binary: str, location: Path, timeout: float, log: Path):
        self.binary, self.location, self.timeout, self.log = binary, location, timeout, log
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.generation = 0
        self._lock = threading.Lock()
        self.assets: dict[str, bytes] = {}
        # The child is started from one long-lived thread: Linux sends PR_SET_PDEATHSIG when the thread
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

    def _in_supervisor(self, job: _Job | None) -> None:
        done, box = threading.Event(), list[BaseException]()
        self._jobs.put((job, done, box))
        done.wait()
        if box:
            raise box[0]

    def start(self) -> None:
        """Start the server (from the supervisor thread) and wait until it accepts connections."""
        self._in_supervisor(self._start)

    def shutdown(self) -> None:
        """Stop the server and the supervisor thread."""
        self.stop()
        if self._supervisor.is_alive():
            self._in_supervisor(None)

    def _start(self) -> None:
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
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=preexec)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                text = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
                raise ServeError.upstream(
                    next((ln for ln in text if ln.strip()), f"exit status {self.proc.returncode}")
                )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    self.port = port
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServeError.upstream("no answer within 30 s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def restart(self, generation: int) -> None:
        """Restart unless another thread already did since `generation` was read."""
        with self._lock:
            if generation != self.generation:
                return
            self.stop()
            self.generation += 1
            self.start()

    def asset(self, path: str) -> bytes:
        if path not in self.assets:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
            finally:
                conn.close()
            if resp.status != 200:
                raise Refused(404, f"{path}: not found")
            self.assets[path] = body
        return self.assets[path]
