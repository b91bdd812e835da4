"""The policy guard: the HTTP handler clients talk to (SPARQL 1.1 Protocol on ``/query``, the page at ``/``).

Every refusal is a :class:`~kg.surface.serve.guard.Refused` turned into a one-line plain-text answer:
400 bad query, bad percent-encoding or not UTF-8; 403 update/SERVICE/foreign Host; 404; 405 unknown method;
406 no acceptable format; 408 a client too slow to send its request; 413 body too large; 415 wrong content
type; 429 too many queries from one client and 503 busy (both with ``Retry-After``); 504 timeout. Never a
traceback, never a 502: a query whose Oxigraph process failed is tried once more on another, then 503.
The request (line, headers, body) must arrive within ``endpoint.client_timeout`` seconds in all.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

from kg.errors import one_line
from kg.surface.query import project_prefixes
from kg.surface.serve.guard import Refused
from kg.surface.serve.page import PAGE_CSP, STATIC, static_file
from kg.surface.serve.policy import check_query, is_loopback
from kg.surface.serve.results import (
    BOOLEAN_TYPES,
    GRAPH_TYPES,
    N_TRIPLES,
    SOLUTION_TYPES,
    SPARQL_JSON,
    negotiate,
    render_results,
)
from kg.surface.serve.upstream import Deadline, Shed, WorkerDown

if TYPE_CHECKING:
    from kg.surface.serve.endpoint import Endpoint

__all__ = ["ASSETS", "MAX_BODY", "QUERY_PATHS", "Handler"]

MAX_BODY = 1_000_000  # bytes of a POSTed query
ASSETS = {  # files of the query page that Oxigraph bundles, served through the guard
    "/yasgui.min.js": "application/javascript; charset=utf-8",
    "/yasgui.min.css": "text/css; charset=utf-8",
    "/logo.svg": "image/svg+xml",
}
QUERY_PATHS = ("/query", "/sparql")


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_METHODS = "GET, POST, HEAD, OPTIONS"


def parse_form(raw: bytes | str, what: str) -> dict[str, list[str]]:
    """``a=1&b=2`` (bytes or a URL's query string) strictly: 400 for bad percent-encoding or non-UTF-8."""
    try:
        text = raw.encode("latin-1").decode("utf-8") if isinstance(raw, str) else raw.decode("utf-8")
    except UnicodeError:
        raise Refused(400, f"the {what} is not UTF-8") from None
    if _BAD_PERCENT.search(text):
        raise Refused(400, f"bad percent-encoding in the {what} (a % not followed by two hex digits)")
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeError:
        raise Refused(400, f"the {what} is not UTF-8 once percent-decoded") from None


class _DeadlineIO(io.RawIOBase):
    """The client socket, read with one deadline for a whole request (slow clients get 408)."""

    def __init__(self, handler: Handler):
        self.handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        h = self.handler
        remaining = h.read_deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("request not received in time")
        h.connection.settimeout(remaining)
        n = h.connection.recv_into(buffer)
        h.got_bytes = h.got_bytes or n > 0
        return n


def _upstream_error(body: bytes) -> str:
    """The message Oxigraph appended to a result it could not finish (it has sent 200 by then)."""
    text = body.decode("utf-8", errors="replace")
    cut = max(text.rfind("["), text.rfind("}"), text.rfind("\n"))
    return one_line(text[cut + 1 :] or text[-200:], 200) or "the query failed"


class Handler(BaseHTTPRequestHandler):
    server_version = "unionkg-endpoint"
    protocol_version = "HTTP/1.1"
    endpoint: Endpoint  # set on the subclass made per endpoint

    read_deadline = 0.0
    got_bytes = False

    def log_message(self, format, *args):
        self.endpoint.log.append(format % args)

    def setup(self) -> None:
        super().setup()
        self.rfile = io.BufferedReader(_DeadlineIO(self), 65536)

    def handle_one_request(self) -> None:
        """One request, as http.server does it, but 408 for a request that does not arrive in time and
        405 (not 501) for an unknown method."""
        self.read_deadline = time.monotonic() + self.endpoint.client_timeout
        self.got_bytes = False
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline, self.request_version, self.command = "", "", ""
                self.send_error(414)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            method = getattr(self, "do_" + self.command, None)
            if method is None:
                self.close_connection = True
                self._send(405, f"method {self.command} not allowed\n".encode(), "text/plain", {"Allow": _METHODS})
                return
            method()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True
            if self.got_bytes:  # an idle keep-alive connection is closed quietly
                self._late()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _late(self) -> None:
        self.endpoint.log.append(f"408 from {self.client_address[0]}: request not received in time")
        body = f"request not received within {self.endpoint.client_timeout:g} s\n".encode()
        head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        try:
            self.connection.settimeout(2)
            self.connection.sendall(head.encode("ascii") + body)
        except OSError:
            pass

    def handle_expect_100(self) -> bool:
        """``Expect: 100-continue`` with a body too large: 413 at once, before the client sends it."""
        length = self.headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > MAX_BODY:
            self.close_connection = True
            self._error(413, f"request body larger than {MAX_BODY} bytes")
            return False
        return super().handle_expect_100()

    # -- plumbing --
    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.connection.settimeout(self.endpoint.client_timeout)  # a client that does not read is dropped
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.endpoint.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-Result-Limit, X-Result-Capped")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict | None = None) -> None:
        if status in (400, 408, 413):  # the rest of the request may be unread: no keep-alive after it
            self.close_connection = True
            headers = {**(headers or {}), "Connection": "close"}
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)
        if status == 413:
            self._linger()

    def _linger(self) -> None:
        """After an early answer, read (and drop) what the client still sends for a moment, so that it
        reads the answer instead of a reset connection; then the connection closes."""
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(1.0)
            until, seen = time.monotonic() + 2.0, 0
            while time.monotonic() < until and seen < 8 * MAX_BODY and self.connection.recv(65536):
                seen += 65536

    def _body(self) -> bytes:
        """The request body (Content-Length or chunked), at most MAX_BODY bytes: 413 beyond, 408 if too slow."""
        try:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                return self._chunked()
            raw = (self.headers.get("Content-Length") or "0").strip()
            if not raw.isdigit():
                raise Refused(400, f"bad Content-Length {raw[:40]!r}")
            length = int(raw)
            if length > MAX_BODY:
                raise Refused(413, f"request body larger than {MAX_BODY} bytes")
            body = self.rfile.read(length) if length else b""
            if len(body) < length:
                raise Refused(400, "the request body ended early")
            return body
        except TimeoutError:
            raise Refused(408, f"request not received within {self.endpoint.client_timeout:g} s") from None

    def _chunked(self) -> bytes:
        body = bytearray()
        while True:
            line = self.rfile.readline(100).split(b";")[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise Refused(400, "bad chunked encoding") from None
            if len(body) + size > MAX_BODY:
                raise Refused(413, f"request body larger than {MAX_BODY} bytes")
            if size == 0:
                while self.rfile.readline(1000).strip():  # trailers
                    pass
                return bytes(body)
            body += self.rfile.read(size)
            self.rfile.readline(3)

    def _check_host(self) -> None:
        """On loopback, refuse a Host header naming another machine: a web page that re-points its own
        domain at 127.0.0.1 (DNS rebinding) must not read the graph as if it were same-origin."""
        if not is_loopback(self.endpoint.host):
            return
        host = (self.headers.get("Host") or "").strip()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if host and not is_loopback(name.strip("[]")):
            raise Refused(403, f"unexpected Host header {host!r}; use {self.endpoint.url}")

    def _guarded(self, action) -> None:
        try:
            self._check_host()
            action()
        except Refused as exc:
            self._error(exc.status, exc.message, exc.headers)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away, or does not read its answer
        except Exception as exc:  # never a traceback on the console: a one-line 500
            self.endpoint.log.append(f"error: {type(exc).__name__}: {one_line(exc, 300)}")
            self._error(500, f"internal error: {type(exc).__name__}: {one_line(exc, 200)}")

    # -- methods --
    def do_GET(self):
        self._guarded(self._get)

    def do_HEAD(self):
        self._guarded(self._get)

    def do_POST(self):
        self._guarded(self._post)

    def do_OPTIONS(self):
        self.send_response(204)
        self.send_header("Allow", _METHODS)
        if self.endpoint.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _read_only(self):
        self._body()
        self._error(403, "read-only endpoint: only SPARQL queries (GET or POST on /query) are allowed")

    do_PUT = do_DELETE = do_PATCH = _read_only

    def _get(self) -> None:
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            page = self.endpoint.page().encode("utf-8")
            self._send(200, page, "text/html; charset=utf-8", {"Content-Security-Policy": PAGE_CSP})
        elif url.path == "/prefixes.json":
            self._send(200, json.dumps(project_prefixes()).encode("utf-8"), "application/json")
        elif url.path in ASSETS:
            self._send(200, self.endpoint.upstream.asset(url.path), ASSETS[url.path], {"Cache-Control": "max-age=3600"})
        elif url.path in STATIC:
            self._send(200, static_file(url.path), STATIC[url.path], {"Cache-Control": "max-age=3600"})
        elif url.path in QUERY_PATHS:
            params = parse_form(url.query, "query string")
            if "update" in params:
                raise Refused(403, "read-only endpoint: updates are refused")
            if "query" not in params:
                raise Refused(400, "no query: send ?query=… (SPARQL 1.1 Protocol), or open / for the query page")
            self._query(params)
        elif url.path == "/update" or url.path.startswith("/store"):
            raise Refused(403, "read-only endpoint: updates and the graph store are refused")
        else:
            raise Refused(404, f"{url.path}: not found; the endpoint is /query")

    def _post(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if url.path not in QUERY_PATHS:
            if url.path == "/update" or url.path.startswith("/store"):
                raise Refused(403, "read-only endpoint: updates and the graph store are refused")
            raise Refused(404, f"{url.path}: not found; the endpoint is /query")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_form(url.query, "query string")
        if content_type == "application/sparql-update":
            raise Refused(403, "read-only endpoint: updates are refused")
        if content_type == "application/x-www-form-urlencoded":
            for key, values in parse_form(body, "request body").items():
                params.setdefault(key, []).extend(values)
        elif content_type == "application/sparql-query":
            try:
                params["query"] = [body.decode("utf-8")]
            except UnicodeError:
                raise Refused(400, "the query is not UTF-8") from None
        else:
            raise Refused(415, "send the query as application/x-www-form-urlencoded or application/sparql-query")
        if "update" in params:
            raise Refused(403, "read-only endpoint: updates are refused")
        if len(params.get("query", [])) != 1:
            raise Refused(400, "give exactly one query")
        self._query(params)

    # -- the query --
    def _query(self, params: dict[str, list[str]]) -> None:
        ep = self.endpoint
        if len(params["query"]) != 1:
            raise Refused(400, "give exactly one query")
        with ep.admission.client(self.client_address[0]):  # 429 before any work for a client over its limit
            self._answer(params)

    def _answer(self, params: dict[str, list[str]]) -> None:
        ep = self.endpoint
        checked = check_query(params["query"][0], max_rows=ep.max_rows)
        graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
        offered = GRAPH_TYPES if graph_form else BOOLEAN_TYPES if checked.form == "ASK" else SOLUTION_TYPES
        wanted = negotiate(self.headers.get("Accept"), offered)
        if wanted is None:
            raise Refused(
                406,
                f"cannot answer a {checked.form} query as {self.headers.get('Accept')}; "
                f"ask for one of {', '.join(offered)}",
            )
        form = {"query": checked.text}
        extra = [(k, v) for k in ("default-graph-uri", "named-graph-uri") for v in params.get(k, [])]
        payload = urlencode([*form.items(), *extra]).encode("utf-8")
        status, body = self._upstream(payload, N_TRIPLES if graph_form else SPARQL_JSON, checked.text)
        if status != 200:  # Oxigraph's own refusal (e.g. a syntax rdflib accepts and Oxigraph does not)
            message = one_line(body.decode("utf-8", errors="replace"), 300)
            if "timeout" in message.lower() or "cancel" in message.lower():
                raise Refused(504, f"query timed out after {ep.timeout:g} s")
            raise Refused(status if status < 500 else 503, f"Oxigraph: {message}")
        headers = {"X-Result-Limit": str(ep.max_rows)}
        if graph_form:
            answer, capped = self._graph(body, offered[wanted])
            media = "application/n-triples" if wanted == "text/plain" else wanted
        else:
            try:
                data = json.loads(body)
            except ValueError:
                message = _upstream_error(body)
                if "cancel" in message.lower() or "timeout" in message.lower():
                    raise Refused(504, f"query timed out after {ep.timeout:g} s") from None
                raise Refused(503, f"query failed: {message}") from None
            capped = False
            rows = data.get("results", {}).get("bindings")
            if rows is not None and checked.limited and len(rows) > ep.max_rows:
                data["results"]["bindings"], capped = rows[: ep.max_rows], True
            media = SOLUTION_TYPES[wanted]
            answer = render_results(data, media)
        if capped:
            headers["X-Result-Capped"] = "true"
        charset = "" if media == "application/rdf+xml" else "; charset=utf-8"
        self._send(200, answer, media + charset, headers)

    def _graph(self, body: bytes, serializer: str) -> tuple[bytes, bool]:
        from rdflib import Dataset, Graph

        ep = self.endpoint
        lines = [ln for ln in body.decode("utf-8", errors="replace").splitlines() if ln.strip()]
        capped = len(lines) > ep.max_rows
        text = "\n".join(lines[: ep.max_rows]) + "\n"
        graph = Graph(bind_namespaces="none")
        try:
            graph.parse(data=text, format="nt")
        except Exception:
            message = one_line(lines[-1] if lines else "", 200)
            if "cancel" in message.lower() or "timeout" in message.lower():
                raise Refused(504, f"query timed out after {ep.timeout:g} s") from None
            raise Refused(500, f"query failed: {message}") from None
        if serializer == "nt":
            return text.encode("utf-8") if lines else b"", capped
        for prefix, ns in project_prefixes().items():
            graph.bind(prefix, ns)
        if serializer in ("nquads", "trig"):
            ds = Dataset()
            for triple in graph:
                ds.add(triple)
            graph = ds
        data = graph.serialize(format=serializer, encoding="utf-8")
        return data, capped

    def _upstream(self, payload: bytes, accept: str, text: str) -> tuple[int, bytes]:
        """Run the query on a worker of the pool, through admission (docs/decisions.md, D25)."""
        ep = self.endpoint
        client = self.client_address[0]
        deadline = time.monotonic() + ep.timeout
        for _ in range(2):  # a worker that fails is replaced and the query tried once more (read-only: safe)
            with ep.admission.lease(client, text, deadline) as lease:
                worker, keep = lease.worker, False
                try:
                    answer = worker.query(
                        payload, accept, deadline, time.monotonic() + ep.admission.short, lease.at_checkpoint
                    )
                    keep = True
                    return answer
                except Deadline:
                    raise Refused(504, f"query timed out after {ep.timeout:g} s (--timeout)") from None
                except Shed:
                    raise ep.admission.busy(
                        f"the query ran over {ep.admission.short:g} s and all long-query lanes are taken"
                    ) from None
                except WorkerDown as exc:
                    ep.log.append(f"error: worker {worker.index} did not answer ({one_line(exc, 200)}); replaced")
                finally:
                    (ep.upstream.release if keep else ep.upstream.discard)(worker)
        raise ep.admission.busy("the query engine failed twice")
