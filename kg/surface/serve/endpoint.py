"""The endpoint: the guard on `host:port` with a pool of Oxigraph processes behind it (:func:`start_endpoint`).

Nothing here prints; the CLI runs the returned :class:`Endpoint` and closes it. Start-up problems raise
:class:`kg.errors.ServeError` with a one-line message.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

from kg.errors import ServeError, one_line
from kg.surface.serve.admission import Admission
from kg.surface.serve.handler import Handler
from kg.surface.serve.page import render_page
from kg.surface.serve.policy import DEFAULT_MAX_ROWS
from kg.surface.serve.upstream import Pool, find_oxigraph

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "MAX_CONNECTIONS",
    "STORE_DIR",
    "Endpoint",
    "Limits",
    "start_endpoint",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_WORKERS = 4  # Oxigraph processes (about 20 MB each)
MAX_CONNECTIONS = 256  # open client connections; one more is answered 503 by the accepting thread
STORE_DIR = "store"  # out/store/: the Oxigraph store `kg build` leaves (when it uses one)


@dataclass(frozen=True)
class Limits:
    """How much load the endpoint takes (docs/decisions.md, D25); the defaults suit a small machine."""

    workers: int = DEFAULT_WORKERS  # Oxigraph processes, one query each at a time
    client_limit: int = 4  # queries one client address may have in the endpoint at once (then 429)
    queue_limit: int = 32  # queries that may wait for a free process (then 503)
    long_slots: int = 0  # processes a query may hold longer than `short`; 0: half the workers
    short: float = 0.5  # seconds a query runs before it needs a long lane
    client_timeout: float = 10.0  # seconds a client has to send its whole request (then 408)


_BUSY_TEXT = b"the endpoint is busy (too many connections); retry in 1 s\n"
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_BUSY_TEXT), _BUSY_TEXT)
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog: a burst of connections waits instead of being refused
    active = 0
    _count = threading.Lock()

    def process_request(self, request, client_address) -> None:
        if self.active >= MAX_CONNECTIONS:  # answered here, by the accepting thread: never a dropped connection
            with contextlib.suppress(OSError):
                request.settimeout(1)
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        with self._count:
            self.active += 1
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._count:
                self.active -= 1

    def handle_error(self, request, client_address) -> None:  # no tracebacks on the console
        handler = getattr(self.RequestHandlerClass, "endpoint", None)
        if handler is not None:
            handler.log.append(f"error: connection from {client_address[0]}: {one_line(sys.exc_info()[1], 300)}")


class _Server6(_Server):
    address_family = socket.AF_INET6


class Endpoint:
    """A running endpoint: the guard on `host:port` and the pool of Oxigraph processes behind it."""

    def __init__(
        self,
        *,
        server: ThreadingHTTPServer,
        upstream: Pool,
        source: Path,
        temp: Path,
        timeout: float,
        max_rows: int,
        cors: bool,
        limits: Limits,
    ):
        self.server, self.upstream, self.source, self.temp = server, upstream, source, temp
        self.timeout, self.max_rows, self.cors, self.limits = timeout, max_rows, cors, limits
        self.client_timeout = limits.client_timeout
        slots = limits.long_slots or max(1, limits.workers // 2)
        self.admission = Admission(
            upstream,
            client_limit=limits.client_limit,
            queue_limit=limits.queue_limit,
            long_slots=min(slots, limits.workers),
            short=limits.short,
        )
        self.log: deque[str] = deque(maxlen=1000)  # the access log, last 1000 lines
        self._thread: threading.Thread | None = None
        self._page: str | None = None

    @property
    def host(self) -> str:
        host = self.server.server_address[0]
        assert isinstance(host, str), "the bound address of an AF_INET or AF_INET6 socket has a str host"
        return host

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        """The query page, e.g. ``http://127.0.0.1:7878/``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint, e.g. ``http://127.0.0.1:7878/query``."""
        return self.url + "query"

    def page(self) -> str:
        """The query page at ``/`` (rendered once)."""
        if self._page is None:
            self._page = render_page(max_rows=self.max_rows, timeout=self.timeout)
        return self._page

    def start(self) -> Endpoint:
        self._thread = threading.Thread(target=self.server.serve_forever, name="kg-serve", daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the endpoint is closed (the CLI: until Ctrl-C)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def close(self) -> None:
        """Stop the guard and the Oxigraph processes; remove the temporary store."""
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(5)
            self._thread = None
        self.server.server_close()
        self.upstream.shutdown()
        shutil.rmtree(self.temp, ignore_errors=True)

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _bind(host: str, port: int) -> ThreadingHTTPServer:
    import errno

    cls = _Server6 if ":" in host else _Server
    try:
        return cls((host.strip("[]"), port), Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError.port_in_use(host, port) from None
        raise ServeError.cannot_bind(host, port, exc.strerror or str(exc)) from None


def start_endpoint(
    out_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    cors: bool = False,
    binary: str | None = None,
    limits: Limits | None = None,
) -> Endpoint:
    """Start the endpoint over the build in `out_dir` and return it running (close it when done).

    Serves ``out_dir/store/`` (an Oxigraph store) when there is one, else ``out_dir/graph.trig`` loaded
    into a temporary store. `port` 0 picks a free port. Raises :class:`ServeError` when the port is
    taken, there is no built graph, or the oxigraph binary is missing or fails. `limits` sets the pool
    of Oxigraph processes and the admission limits (:class:`Limits`).
    """
    limits = limits or Limits()
    if timeout <= 0:
        raise ServeError.bad_timeout()
    if limits.workers < 1 or limits.client_limit < 1 or limits.queue_limit < 0:
        raise ServeError.bad_limits()
    if max_rows < 1:
        raise ServeError.bad_max_rows()
    out_dir = Path(out_dir)
    store, trig = out_dir / STORE_DIR, out_dir / "graph.trig"
    has_store = (store / "CURRENT").is_file()
    if not has_store and not trig.is_file():
        raise ServeError.no_graph(str(out_dir))
    binary = binary or find_oxigraph()
    if not binary or not (Path(binary).is_file() and os.access(binary, os.X_OK)):
        raise ServeError.no_binary()
    server = _bind(host, port)
    temp = Path(tempfile.mkdtemp(prefix="unionkg-serve-"))
    upstream = None
    try:
        location = store
        if not has_store:
            location = temp / "store"
            loaded = subprocess.run(
                [binary, "load", "--location", str(location), "--file", str(trig)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
            )
            if loaded.returncode != 0:
                lines = [ln for ln in loaded.stderr.splitlines() if ln.strip()]
                raise ServeError.upstream(f"loading {trig} failed: {lines[0] if lines else loaded.returncode}")
        upstream = Pool(binary, location, timeout, temp / "oxigraph.log", size=limits.workers)
        upstream.start()
        endpoint = Endpoint(
            server=server,
            upstream=upstream,
            source=store if has_store else trig,
            temp=temp,
            timeout=timeout,
            max_rows=max_rows,
            cors=cors,
            limits=limits,
        )
        server.RequestHandlerClass = type("Handler", (Handler,), {"endpoint": endpoint})
        return endpoint.start()
    except BaseException:
        server.server_close()
        if upstream is not None:
            upstream.shutdown()
        shutil.rmtree(temp, ignore_errors=True)
        raise
