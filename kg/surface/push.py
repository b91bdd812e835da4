"""Push: hand a built graph to a SPARQL 1.1 Graph Store Protocol server, one named graph at a time.

Every named graph of the dataset (one per document, plus the ontology, programme scheme, gazetteer and
entities graphs) is sent with ``PUT {endpoint}?graph=<iri>``. PUT *replaces* a graph, so pushing the same
build twice leaves the server as it was after the first push, and re-pushing after a rebuild replaces
only what changed graph by graph (a document removed from the corpus keeps its old graph on the
server: delete it there).

The function here does no printing and no file I/O: it takes a :class:`rdflib.Dataset` and a transport
(a :class:`requests.Session` or anything with the same ``put`` method) and returns a :class:`PushReport`.
Every failure is a :class:`PushError` whose message is one line.

Endpoints (see docs/scale.md): Virtuoso ``/sparql-graph-crud-auth`` (digest auth) or ``/sparql-graph-crud``,
GraphDB ``/repositories/<repo>/rdf-graphs/service``, Fuseki ``/<dataset>/data``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import quote, urlsplit

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import PushError

__all__ = [
    "AUTH_KINDS",
    "CONTENT_TYPES",
    "GraphPush",
    "PushError",
    "PushReport",
    "graph_payloads",
    "make_auth",
    "progress_line",
    "push_dataset",
    "target_url",
]

#: --format name -> (Content-Type sent, rdflib serializer)
CONTENT_TYPES = {
    "turtle": ("text/turtle; charset=utf-8", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
}
AUTH_KINDS = ("basic", "digest")


@dataclass(frozen=True)
class GraphPush:
    """One named graph: where it went (or would go), how big it was, and what the server said."""

    graph: str
    url: str
    triples: int
    bytes: int
    status: int | None = None  # None in a dry run
    seconds: float = 0.0


@dataclass
class PushReport:
    """What a push did, graph by graph."""

    endpoint: str
    dry_run: bool = False
    graphs: list[GraphPush] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    @property
    def bytes(self) -> int:
        return sum(g.bytes for g in self.graphs)

    def to_json(self) -> dict:
        return {
            "endpoint": self.endpoint,
            "dry_run": self.dry_run,
            "graphs": [g.__dict__ for g in self.graphs],
            "triples": self.triples,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
        }


def target_url(endpoint: str, graph: str | None) -> str:
    """``endpoint?graph=<iri>`` (IRI percent-encoded), or ``endpoint?default`` for the default graph."""
    sep = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={quote(graph, safe='')}"


def graph_payloads(ds: Dataset, fmt: str = "turtle") -> Iterable[tuple[str | None, Graph]]:
    """(graph IRI, graph) for every non-empty graph in IRI order; None names a non-empty default graph."""
    if fmt not in CONTENT_TYPES:
        raise PushError.unknown_format(fmt, CONTENT_TYPES)
    graphs = [g for g in ds.graphs() if len(g)]
    named = sorted((g for g in graphs if g.identifier != DATASET_DEFAULT_GRAPH_ID), key=lambda g: str(g.identifier))
    default = [g for g in graphs if g.identifier == DATASET_DEFAULT_GRAPH_ID]
    for g in default:
        yield None, g
    for g in named:
        yield str(g.identifier), g


def _body(graph: Graph, fmt: str, namespaces: list[tuple[str, URIRef]]) -> bytes:
    """One graph serialised on its own (prefixes of the dataset kept, so Turtle stays compact)."""
    g = Graph()
    for prefix, ns in namespaces:
        g.bind(prefix, ns, override=True, replace=True)
    for triple in graph:
        g.add(triple)
    serializer = CONTENT_TYPES[fmt][1]
    data = g.serialize(format=serializer, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def progress_line(i: int, n: int, g: GraphPush) -> str:
    """What ``kg push`` says of the `i`-th of `n` graphs: ``[1/7] <graph>  120 triples, 4096 bytes  HTTP 204``."""
    status = "dry run" if g.status is None else f"HTTP {g.status}"
    return f"[{i}/{n}] {g.graph}  {g.triples} triples, {g.bytes} bytes  {status}"


def make_auth(kind: str | None, user: str | None, password: str | None):
    """A requests auth object for ``basic`` or ``digest``; None without a user."""
    if not user:
        if password:
            raise PushError.password_without_user()
        return None
    if password is None:
        raise PushError.no_password(user)
    kind = (kind or "basic").lower()
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    if kind == "basic":
        return HTTPBasicAuth(user, password)
    if kind == "digest":
        return HTTPDigestAuth(user, password)
    raise PushError.unknown_auth(kind, AUTH_KINDS)


def server_message(text: str, content_type: str = "") -> str:
    """The one line of a server's answer that says what went wrong.

    Plain text answers (Fuseki, GraphDB, QLever): their first non-empty line. HTML answers (Virtuoso):
    the detail after the title and status lines, i.e. the last non-empty line of the page's text.
    """
    text = text or ""
    if "html" in content_type.lower() or re.match(r"\s*<(!DOCTYPE|html)", text, re.I):
        text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
        text = unescape(re.sub(r"<[^>]+>", "\n", text))
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        lines = [ln for ln in lines if not re.match(r"^HTTP/\d", ln)]
        line = lines[-1] if lines else ""
    else:
        line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = " ".join(line.split())
    return line[:197] + "..." if len(line) > 200 else line


def _describe_status(status: int, reason: str, url: str, message: str, auth) -> str:
    head = f"HTTP {status}{(' ' + reason) if reason else ''} from {url}"
    if status == 401:
        hint = (
            "check --user/--password and --auth (Virtuoso's /sparql-graph-crud-auth wants --auth digest)"
            if auth is not None
            else "the server wants credentials: give --user and --password (or UNIONKG_PUSH_USER/_PASSWORD)"
        )
        return f"{head}: {hint}"
    if status == 403 and "permission" in message.lower():
        return f"{head}: {message} (the user may not write graphs; Virtuoso: use /sparql-graph-crud-auth)"
    return f"{head}: {message}" if message else head


def _connection_problem(exc: Exception, endpoint: str, timeout: float) -> PushError:
    import requests

    where = urlsplit(endpoint).netloc or endpoint
    if isinstance(exc, requests.exceptions.Timeout):
        return PushError.no_answer(endpoint, timeout)
    text = str(exc)
    if "Connection refused" in text or "Errno 111" in text:
        return PushError.refused(endpoint, where)
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return PushError.unknown_host(endpoint, where)
    if isinstance(exc, requests.exceptions.SSLError):
        return PushError.tls(endpoint, text)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return PushError.bad_url(endpoint)
    return PushError.cannot_connect(endpoint, text)


def push_dataset(
    ds: Dataset,
    endpoint: str,
    *,
    session=None,
    auth=None,
    fmt: str = "turtle",
    timeout: float = 120.0,
    dry_run: bool = False,
    on_graph: Callable[[int, int, GraphPush], None] | None = None,
) -> PushReport:
    """PUT every non-empty graph of `ds` to the Graph Store Protocol `endpoint`; stop at the first failure.

    `session` is the transport (default: a new :class:`requests.Session`); `auth` a requests auth object
    (see :func:`make_auth`). A dry run serialises every graph and reports the requests it would send.
    `on_graph(i, n, result)` is called after each graph (for progress lines).
    """
    scheme = urlsplit(endpoint).scheme
    if scheme not in ("http", "https"):
        raise PushError.not_http(endpoint)
    content_type = CONTENT_TYPES.get(fmt, ("", ""))[0]
    payloads = list(graph_payloads(ds, fmt))
    namespaces = list(ds.namespaces())
    report = PushReport(endpoint=endpoint, dry_run=dry_run)
    if not payloads:
        return report
    own_session = False
    if session is None and not dry_run:
        import requests

        session, own_session = requests.Session(), True
    started = time.perf_counter()
    try:
        for i, (iri, graph) in enumerate(payloads, 1):
            url = target_url(endpoint, iri)
            body = _body(graph, fmt, namespaces)
            result = GraphPush(graph=iri or "(default graph)", url=url, triples=len(graph), bytes=len(body))
            if not dry_run:
                result = _put(session, url, body, content_type, auth, timeout, endpoint, result, i, len(payloads))
            report.graphs.append(result)
            if on_graph:
                on_graph(i, len(payloads), result)
    finally:
        if own_session:
            session.close()
    report.seconds = time.perf_counter() - started
    return report


def _put(session, url, body, content_type, auth, timeout, endpoint, result: GraphPush, i: int, n: int) -> GraphPush:
    import requests

    t0 = time.perf_counter()
    try:
        resp = session.put(url, data=body, headers={"Content-Type": content_type}, auth=auth, timeout=timeout)
    except requests.exceptions.RequestException as exc:
        raise _connection_problem(exc, endpoint, timeout) from None
    if resp.status_code >= 300:
        message = server_message(resp.text, resp.headers.get("Content-Type", ""))
        detail = _describe_status(resp.status_code, resp.reason or "", endpoint, message, auth)
        pushed = f"; {i - 1} of {n} graphs were pushed" if i > 1 else ""
        raise PushError.rejected(result.graph, detail, pushed)
    return GraphPush(
        graph=result.graph,
        url=url,
        triples=result.triples,
        bytes=result.bytes,
        status=resp.status_code,
        seconds=time.perf_counter() - t0,
    )
