"""Serve: a read-only SPARQL 1.1 Protocol endpoint over the built graph (`kg serve`).

Two processes work together (docs/decisions.md, D11):

- Oxigraph's own server (``oxigraph serve-read-only``, from the ``oxigraph`` package) answers the
  queries. It listens on an internal loopback port and reads ``out/store/`` when the build left an
  Oxigraph store there, or else a temporary store loaded from ``out/graph.trig``. All named graphs
  form the default graph (``--union-default-graph``), as in ``kg query``.
- A small policy guard (this module, ``http.server``) is the only thing clients talk to. It accepts
  query operations only (GET or POST on ``/query``), parses every query with rdflib's SPARQL parser and
  refuses updates (``/update``, ``update=``, ``application/sparql-update``, LOAD, INSERT, CLEAR …) and
  SERVICE (a federated call out of the machine) with 403; it caps results at `max_rows` (a LIMIT is
  written into the query, the answer is cut to `max_rows` and ``X-Result-Capped: true`` says so); it
  stops waiting after `timeout` seconds (504), then restarts the Oxigraph process so the runaway query
  stops using a core. It asks Oxigraph for SPARQL JSON results (N-Triples for graphs), checks them
  whole, and renders the format the client's ``Accept`` header asks for.

The query page at ``/`` is YASGUI as bundled in the Oxigraph binary, proxied from the internal
server and configured to talk only to this endpoint (no CDN, no prefix.cc, no LOV look-ups).

Nothing here prints; :func:`start_endpoint` returns an :class:`Endpoint` that the CLI runs and closes.
Start-up problems raise :class:`kg.errors.ServeError` with a one-line message.
"""

from __future__ import annotations

import csv
import http.client
import io
import ipaddress
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape, quoteattr

from kg.errors import ServeError, one_line
from kg.surface.query import project_prefixes

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "STORE_DIR",
    "CheckedQuery",
    "Endpoint",
    "Refused",
    "check_query",
    "find_oxigraph",
    "is_loopback",
    "start_endpoint",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
STORE_DIR = "store"  # out/store/: the Oxigraph store `kg build` leaves (when it uses one)
MAX_BODY = 1_000_000  # bytes of a POSTed query
ASSETS = {  # files of the query page that Oxigraph bundles, served through the guard
    "/yasgui.min.js": "application/javascript; charset=utf-8",
    "/yasgui.min.css": "text/css; charset=utf-8",
    "/logo.svg": "image/svg+xml",
}
QUERY_PATHS = ("/query", "/sparql")
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"
#: media type asked for -> (media type answered, renderer); the first entry is the default.
SOLUTION_TYPES = {
    SPARQL_JSON: SPARQL_JSON,
    "application/json": SPARQL_JSON,
    SPARQL_XML: SPARQL_XML,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
BOOLEAN_TYPES = {k: v for k, v in SOLUTION_TYPES.items() if v in (SPARQL_JSON, SPARQL_XML)}
GRAPH_TYPES = {  # media type -> rdflib serializer
    "text/turtle": "turtle",
    N_TRIPLES: "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Refused(Exception):
    """A request the endpoint will not carry out: an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the policy: its form (SELECT, ASK, CONSTRUCT, DESCRIBE) and the text to run."""

    form: str
    text: str
    limited: bool  # a LIMIT of max_rows + 1 was written into the text: more rows than max_rows means capped


# --- the query policy --------------------------------------------------------------------------------


def _walk(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def _with_prefixes(text: str, parsed) -> str:
    """The query with PREFIX lines for the project prefixes it uses without declaring them."""
    declared = {str(d.prefix or "") for d in _walk(parsed[0]) if d.name == "PrefixDecl"}
    missing = [p for p in project_prefixes() if p not in declared and re.search(rf"(?<![\w:<]){re.escape(p)}:", text)]
    if not missing:
        return text
    return "".join(f"PREFIX {p}: <{project_prefixes()[p]}>\n" for p in missing) + text


def check_query(text: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> CheckedQuery:
    """Parse `text` and apply the policy; raise :class:`Refused` (400 or 403) for anything not allowed.

    Updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP …) and SERVICE anywhere in the query are refused
    with 403; text that is neither a query nor an update with 400. SELECT, CONSTRUCT and DESCRIBE get a
    LIMIT of `max_rows` + 1 unless they already have a smaller one.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            update = parseUpdate(text)
        except Exception:
            message = f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {one_line(exc.msg, 300)}"
            raise Refused(400, message) from None
        names = [op.name for op in update["request"] if hasattr(op, "name")] if "request" in update else []
        ops = sorted({re.sub(r"(?<=[a-z])(?=[A-Z])", " ", n).upper().replace("MODIFY", "DELETE/INSERT") for n in names})
        raise Refused(403, f"read-only endpoint: updates are refused ({', '.join(ops) or 'update'})") from None
    except Exception as exc:  # rdflib reports some problems as bare exceptions
        raise Refused(400, f"invalid SPARQL: {one_line(exc, 300)}") from None
    if any(node.name == "ServiceGraphPattern" for node in _walk(parsed)):
        raise Refused(403, "SERVICE (a federated query to another endpoint) is refused by this endpoint")
    form = parsed[1].name.removesuffix("Query").upper()
    full = _with_prefixes(text, parsed)
    if form == "ASK":
        return CheckedQuery(form, full, limited=False)
    limited_text = _limit(full, parsed if full == text else parseQuery(full), max_rows)
    return CheckedQuery(form, limited_text or full, limited=limited_text is not None)


def _limit_of(top, key: str):
    """The top-level LIMIT or OFFSET of a parsed query, or None."""
    clauses = top["limitoffset"] if "limitoffset" in top else None
    return clauses[key] if clauses is not None and key in clauses else None


def _limit(text: str, parsed, max_rows: int) -> str | None:
    """`text` with its top-level LIMIT set to max_rows + 1; None when it already returns at most max_rows.

    The LIMIT is written into the text (SPARQL has no other way), then the result is parsed again and
    must equal the original apart from that LIMIT; otherwise the query is refused rather than run uncapped.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    top = parsed[1]
    current = _limit_of(top, "limit")
    if current is not None and int(current) <= max_rows:
        return None
    wanted = max_rows + 1
    # The top-level solution modifiers close the query, before an optional trailing VALUES block. Comments
    # and strings may hold the same words, so every place is tried, last first, until one parses right.
    ends = [len(text)]
    if "valuesClause" in top:
        ends = [m.start() for m in reversed(list(re.finditer(r"(?i)\bVALUES\b", text)))]
    candidates = []
    for end in ends:
        head, tail = text[:end], text[end:]
        if current is None:
            candidates.append(f"{head}\nLIMIT {wanted}\n{tail}")
        else:
            for m in reversed(list(re.finditer(r"(?i)\bLIMIT\s+\d+", head))):
                candidates.append(f"{head[: m.start()]}LIMIT {wanted}{head[m.end() :]}{tail}")
    for candidate in candidates[:20]:
        try:
            new_top = parseQuery(candidate)[1]
        except Exception:
            continue
        if (
            new_top.name == top.name
            and str(_limit_of(new_top, "limit")) == str(wanted)
            and set(new_top.keys()) | {"limitoffset"} == set(top.keys()) | {"limitoffset"}
            and all(str(new_top[k]) == str(top[k]) for k in top if k != "limitoffset")
            and str(_limit_of(new_top, "offset")) == str(_limit_of(top, "offset"))
        ):
            return candidate
    raise Refused(400, f"cannot apply the result limit to this query; add LIMIT {max_rows} yourself")


# --- content negotiation and result rendering --------------------------------------------------------


def _negotiate(accept: str | None, offered: dict[str, str]) -> str | None:
    """The key of `offered` the Accept header prefers (first offered for */* or no header); None if none."""
    if not accept or not accept.strip():
        return next(iter(offered))
    best, best_q = None, 0.0
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in offered:
            match = media
        elif media in ("*/*", "*") or (media.endswith("/*") and any(o.startswith(media[:-1]) for o in offered)):
            match = next(o for o in offered if media in ("*/*", "*") or o.startswith(media[:-1]))
        else:
            continue
        # a more specific range wins ties; earlier entries win among equals
        score = q + (0.0001 if "*" not in media else 0.0) - order * 1e-7
        if score > best_q:
            best, best_q = match, score
    return best


def _tsv_term(term: dict | None) -> str:
    if term is None:
        return ""
    kind, value = term.get("type"), str(term.get("value", ""))
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    escaped = escaped.replace("\t", "\\t")
    if term.get("xml:lang"):
        return f'"{escaped}"@{term["xml:lang"]}'
    datatype = term.get("datatype")
    if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def _xml_term(term: dict) -> str:
    kind, value = term.get("type"), escape(str(term.get("value", "")))
    if kind == "uri":
        return f"<uri>{value}</uri>"
    if kind == "bnode":
        return f"<bnode>{value}</bnode>"
    attrs = ""
    if term.get("xml:lang"):
        attrs = f" xml:lang={quoteattr(term['xml:lang'])}"
    elif term.get("datatype"):
        attrs = f" datatype={quoteattr(term['datatype'])}"
    return f"<literal{attrs}>{value}</literal>"


def _render_results(data: dict, media: str) -> bytes:
    """SPARQL JSON results (a dict) in `media`: SPARQL JSON, SPARQL XML, CSV or TSV."""
    names = data.get("head", {}).get("vars", [])
    if media == SPARQL_JSON:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media == SPARQL_XML:
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head>\n")
        if "boolean" in data:
            out.append(f"<boolean>{'true' if data['boolean'] else 'false'}</boolean>\n")
        else:
            out.append("<results>\n")
            for row in data["results"]["bindings"]:
                cells = "".join(
                    f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>" for n in names if n in row
                )
                out.append(f"<result>{cells}</result>\n")
            out.append("</results>\n")
        out.append("</sparql>\n")
        return "".join(out).encode("utf-8")
    rows = data["results"]["bindings"]
    if media == "text/csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(
                [
                    "" if n not in row else ("_:" if row[n].get("type") == "bnode" else "") + str(row[n]["value"])
                    for n in names
                ]
            )
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join(_tsv_term(row.get(n)) for n in names) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- the Oxigraph process ----------------------------------------------------------------------------


def find_oxigraph() -> str | None:
    """Path of the ``oxigraph`` server binary: next to this Python (the venv's scripts dir), else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("oxigraph")


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address or name (only this machine can connect)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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


class _Oxigraph:
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
        self._jobs: queue.Queue = queue.Queue()
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

    def _in_supervisor(self, job) -> None:
        done, box = threading.Event(), []
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
            kwargs = {"preexec_fn": _die_with_parent} if sys.platform.startswith("linux") else {}
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, **kwargs)
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


# --- the guard ---------------------------------------------------------------------------------------


class _Timeout(Exception):
    pass


def _upstream_error(body: bytes) -> str:
    """The message Oxigraph appended to a result it could not finish (it has sent 200 by then)."""
    text = body.decode("utf-8", errors="replace")
    cut = max(text.rfind("["), text.rfind("}"), text.rfind("\n"))
    return one_line(text[cut + 1 :] or text[-200:], 200) or "the query failed"


class _Handler(BaseHTTPRequestHandler):
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
            self._send(200, page, "text/html; charset=utf-8", {"Content-Security-Policy": _PAGE_CSP})
        elif url.path == "/prefixes.json":
            self._send(200, json.dumps(project_prefixes()).encode("utf-8"), "application/json")
        elif url.path in ASSETS:
            self._send(200, self.endpoint.upstream.asset(url.path), ASSETS[url.path], {"Cache-Control": "max-age=3600"})
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
        wanted = _negotiate(self.headers.get("Accept"), offered)
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
            answer = _render_results(data, media)
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


_PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'"
)

_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>unionkg SPARQL endpoint</title>
<link href="/yasgui.min.css" rel="stylesheet" type="text/css">
<link rel="icon" type="image/svg+xml" href="/logo.svg">
<style>
body { font-family: sans-serif; margin: 0 1em; }
header p { margin: .3em 0; color: #444; }
#fallback textarea { width: 100%; height: 14em; font-family: monospace; }
</style>
</head>
<body>
<header>
<h1>unionkg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint: <code id="endpoint">/query</code> (GET or POST).
Results are capped at __MAX_ROWS__ rows; a query may run __TIMEOUT__ s. Updates, LOAD and SERVICE are refused.
The prefixes ukg:, prog:, place:, oa:, skos: … are predeclared.</p>
</header>
<div id="yasgui"></div>
<form id="fallback" method="post" action="/query" hidden>
<p>The query editor could not start; this plain form sends the query instead.</p>
<textarea name="query" id="fallback-query">__QUERY__</textarea>
<p><button type="submit">Run (SPARQL JSON)</button></p>
</form>
<script src="/yasgui.min.js"></script>
<script>
(function () {
  var query = document.getElementById("fallback-query").value;
  var endpoint = window.location.origin + "/query";
  document.getElementById("endpoint").textContent = endpoint;
  if (typeof Yasgui === "undefined") {
    document.getElementById("fallback").hidden = false;
    return;
  }
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: "unionkg-endpoint",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: query, autocompleters: ["prefixes", "variables"],
             prefixCcApi: window.location.origin + "/prefixes.json" }
  });
})();
</script>
</body>
</html>
"""


def _default_query() -> str:
    try:
        from kg.surface.query import load_query

        return load_query("shared-programmes").text
    except Exception:
        return "SELECT ?doc ?title WHERE { ?doc a ukg:PolicyDocument ; dcterms:title ?title }\n"


# --- the endpoint ------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:  # no tracebacks on the console
        handler = getattr(self.RequestHandlerClass, "endpoint", None)
        if handler is not None:
            handler.log.append(f"error: connection from {client_address[0]}: {one_line(sys.exc_info()[1], 300)}")


class _Server6(_Server):
    address_family = socket.AF_INET6


class Endpoint:
    """A running endpoint: the guard on `host:port` and the Oxigraph process behind it."""

    def __init__(
        self,
        *,
        server: ThreadingHTTPServer,
        upstream: _Oxigraph,
        source: Path,
        temp: Path,
        timeout: float,
        max_rows: int,
        cors: bool,
    ):
        self.server, self.upstream, self.source, self.temp = server, upstream, source, temp
        self.timeout, self.max_rows, self.cors = timeout, max_rows, cors
        self.log: deque[str] = deque(maxlen=1000)  # the access log, last 1000 lines
        self._thread: threading.Thread | None = None
        self._page: str | None = None

    @property
    def host(self) -> str:
        return self.server.server_address[0]

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
        if self._page is None:
            query = escape(_default_query())
            self._page = (
                _PAGE.replace("__QUERY__", query)
                .replace("__MAX_ROWS__", f"{self.max_rows:,}")
                .replace("__TIMEOUT__", f"{self.timeout:g}")
            )
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
        """Stop the guard and the Oxigraph process; remove the temporary store."""
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
        return cls((host.strip("[]"), port), _Handler)
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
) -> Endpoint:
    """Start the endpoint over the build in `out_dir` and return it running (close it when done).

    Serves ``out_dir/store/`` (an Oxigraph store) when there is one, else ``out_dir/graph.trig`` loaded
    into a temporary store. `port` 0 picks a free port. Raises :class:`ServeError` when the port is
    taken, there is no built graph, or the oxigraph binary is missing or fails.
    """
    if timeout <= 0:
        raise ServeError("--timeout must be a positive number of seconds")
    if max_rows < 1:
        raise ServeError("--max-rows must be at least 1")
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
        upstream = _Oxigraph(binary, location, timeout, temp / "oxigraph.log")
        upstream.start()
        handler = type("Handler", (_Handler,), {})
        endpoint = Endpoint(
            server=server,
            upstream=upstream,
            source=store if has_store else trig,
            temp=temp,
            timeout=timeout,
            max_rows=max_rows,
            cors=cors,
        )
        handler.endpoint = endpoint
        server.RequestHandlerClass = handler
        return endpoint.start()
    except BaseException:
        server.server_close()
        if upstream is not None:
            upstream.shutdown()
        shutil.rmtree(temp, ignore_errors=True)
        raise
