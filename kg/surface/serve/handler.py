"""The policy guard: the HTTP handler clients talk to (SPARQL 1.1 Protocol on ``/query``, the page at ``/``).

Every refusal is a :class:`~kg.surface.serve.policy.Refused` turned into a one-line plain-text answer:
400 bad query, 403 update/SERVICE/foreign Host, 404, 406 no acceptable format, 413 body too large,
415 wrong content type, 502 Oxigraph down, 504 timeout; never a traceback.
"""

from __future__ import annotations

import http.client
import json
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

from kg.errors import one_line
from kg.surface.query import project_prefixes
from kg.surface.serve.page import PAGE_CSP, STATIC, static_file
from kg.surface.serve.policy import Refused, check_query, is_loopback
from kg.surface.serve.results import (
    BOOLEAN_TYPES,
    GRAPH_TYPES,
    N_TRIPLES,
    SOLUTION_TYPES,
    SPARQL_JSON,
    negotiate,
    render_results,
)

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


class _Timeout(Exception):
    pass


def _upstream_error(body: bytes) -> str:
    """The message Oxigraph appended to a result it could not finish (it has sent 200 by then)."""
    text = body.decode("utf-8", errors="replace")
    cut = max(text.rfind("["), text.rfind("}"), text.rfind("\n"))
    return one_line(text[cut + 1 :] or text[-200:], 200) or "the query failed"


class Handler(BaseHTTPRequestHandler):
    server_version = "unionkg-endpoint"
    protocol_version = "HTTP/1.1"
    endpoint: Endpoint  # set on the subclass made per endpoint

    def log_message(self, format, *args):
        self.endpoint.log.append(format % args)

    # -- plumbing --
    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
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

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Refused(413, f"request body larger than {MAX_BODY} bytes")
        return self.rfile.read(length) if length else b""

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
            self._error(exc.status, exc.message)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away
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
        self.send_header("Allow", "GET, POST, HEAD, OPTIONS")
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
            params = parse_qs(url.query, keep_blank_values=True)
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
        params = parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/sparql-update":
            raise Refused(403, "read-only endpoint: updates are refused")
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif content_type == "application/sparql-query":
            params["query"] = [body.decode("utf-8", errors="replace")]
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
        status, _, body = self._upstream(payload, N_TRIPLES if graph_form else SPARQL_JSON)
        if status != 200:  # Oxigraph's own refusal (e.g. a syntax rdflib accepts and Oxigraph does not)
            raise Refused(status, f"Oxigraph: {one_line(body.decode('utf-8', errors='replace'), 300)}")
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
                raise Refused(500, f"query failed: {message}") from None
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

    def _upstream(self, payload: bytes, accept: str) -> tuple[int, str, bytes]:
        ep = self.endpoint
        upstream = ep.upstream
        generation, port = upstream.generation, upstream.port
        deadline = time.monotonic() + ep.timeout
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=ep.timeout)
        try:
            conn.request(
                "POST",
                "/query",
                payload,
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            )
            sock = conn.sock
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            resp = conn.getresponse()
            chunks = []
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _Timeout
                sock.settimeout(remaining)
                chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
            return resp.status, resp.getheader("Content-Type", ""), b"".join(chunks)
        except (TimeoutError, _Timeout):
            conn.close()
            upstream.restart(generation)  # stops the runaway query; in-flight queries fail and can retry
            raise Refused(504, f"query timed out after {ep.timeout:g} s (--timeout)") from None
        except (OSError, http.client.HTTPException) as exc:
            raise Refused(502, f"the Oxigraph server did not answer ({one_line(exc, 120)})") from None
        finally:
            conn.close()
