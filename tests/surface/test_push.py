"""`kg push`: Graph Store Protocol hand-off, against a fake transport and a real Virtuoso on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests
from click.testing import CliRunner
from rdflib import XSD, Dataset, Graph, Literal, URIRef

from kg.cli import main
from kg.surface.push import PushError, make_auth, push_dataset, server_message, target_url

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/unionkg/"
VIRTUOSO_START_TIMEOUT = 60


# --- a fake transport -------------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, status: int, text: str = "", content_type: str = "text/plain", reason: str = ""):
        self.status_code = status
        self.text = text
        self.headers = {"Content-Type": content_type}
        self.reason = reason


class FakeSession:
    """Records every PUT; answers with the given responses in turn (then 201)."""

    def __init__(self, *responses: FakeResponse):
        self.calls: list[dict] = []
        self.responses = list(responses)

    def put(self, url, data=None, headers=None, auth=None, timeout=None):
        self.calls.append({"url": url, "data": data, "headers": headers, "auth": auth, "timeout": timeout})
        return self.responses.pop(0) if self.responses else FakeResponse(201)


def _small_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ex = "http://example.org/"
    ds.graph(URIRef(ex + "g/b")).add((URIRef(ex + "s"), URIRef(ex + "p"), Literal("乙", lang="zh")))
    g = ds.graph(URIRef(ex + "g/a?x=1"))
    g.add((URIRef(ex + "s"), URIRef(ex + "p"), Literal("甲")))
    g.add((URIRef(ex + "s"), URIRef(ex + "q"), Literal(2)))
    return ds


def test_push_puts_every_named_graph_in_iri_order_with_encoded_graph_parameter():
    session = FakeSession()
    report = push_dataset(_small_dataset(), "http://h:1/store", session=session, timeout=7)
    urls = [c["url"] for c in session.calls]
    assert urls == [
        "http://h:1/store?graph=http%3A%2F%2Fexample.org%2Fg%2Fa%3Fx%3D1",
        "http://h:1/store?graph=http%3A%2F%2Fexample.org%2Fg%2Fb",
    ]
    assert unquote(urls[0].split("graph=")[1]) == "http://example.org/g/a?x=1"
    assert all(c["headers"]["Content-Type"].startswith("text/turtle") for c in session.calls)
    assert all(c["timeout"] == 7 for c in session.calls)
    assert "乙" in session.calls[1]["data"].decode("utf-8")
    assert [g.triples for g in report.graphs] == [2, 1]
    assert report.triples == 3 and [g.status for g in report.graphs] == [201, 201]


def test_push_ntriples_and_endpoint_with_query_string():
    session = FakeSession()
    push_dataset(_small_dataset(), "http://h/ds?x=y", session=session, fmt="ntriples")
    assert session.calls[0]["url"].startswith("http://h/ds?x=y&graph=")
    assert session.calls[0]["headers"]["Content-Type"] == "application/n-triples"
    lines = session.calls[0]["data"].decode("utf-8").strip().splitlines()
    assert len(lines) == 2 and all(ln.endswith(" .") for ln in lines)


def test_dry_run_sends_nothing_and_reports_what_it_would_send():
    session = FakeSession()
    report = push_dataset(_small_dataset(), "http://h/store", session=session, dry_run=True)
    assert session.calls == []
    assert report.dry_run and len(report.graphs) == 2 and report.triples == 3
    assert all(g.status is None and g.bytes > 0 for g in report.graphs)


def test_default_graph_uses_the_default_parameter():
    assert target_url("http://h/s", None) == "http://h/s?default"


def test_server_errors_become_one_line_messages():
    html = (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html>\n<head>\n<title>SPARQL Graph Protocol request'
        " failed</title>\n</head>\n<body>\n<h1>HTTP/1.1 500 Request Failed</h1>\n<h3>Error 22023</h3>\n"
        "<xmp>The PUT request for graph &lt;x&gt; is rejected</xmp></body></html>"
    )
    session = FakeSession(FakeResponse(201), FakeResponse(500, html, "text/html", "Request Failed"))
    with pytest.raises(PushError) as err:
        push_dataset(_small_dataset(), "http://h/store", session=session)
    msg = str(err.value)
    assert "\n" not in msg
    assert "HTTP 500 Request Failed" in msg and "The PUT request for graph <x> is rejected" in msg
    assert "1 of 2 graphs were pushed" in msg


def test_401_says_which_credentials_to_give():
    with pytest.raises(PushError, match="give --user and --password"):
        push_dataset(_small_dataset(), "http://h/s", session=FakeSession(FakeResponse(401, reason="Unauthorized")))
    auth = make_auth("basic", "dba", "x")
    with pytest.raises(PushError, match="--auth digest"):
        push_dataset(_small_dataset(), "http://h/s", session=FakeSession(FakeResponse(401)), auth=auth)


def test_plain_text_error_keeps_the_first_line():
    assert (
        server_message("Error 400: Parse error: bad IRI\nline 2\n", "text/plain") == "Error 400: Parse error: bad IRI"
    )


def test_auth_options_are_checked():
    assert make_auth("digest", None, None) is None
    assert type(make_auth("digest", "dba", "dba")).__name__ == "HTTPDigestAuth"
    with pytest.raises(PushError, match="no password"):
        make_auth("basic", "dba", None)
    with pytest.raises(PushError, match="without a user"):
        make_auth("basic", None, "secret")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_one_clear_line():
    port = _free_port()  # nothing listens there any more
    with pytest.raises(PushError, match=r"connection refused by 127\.0\.0\.1:\d+; is the server running\?"):
        push_dataset(_small_dataset(), f"http://127.0.0.1:{port}/store", timeout=5)


def test_cli_rejects_a_non_http_endpoint(built_out):
    result = CliRunner().invoke(main, ["push", "--out", str(built_out), "--endpoint", "ftp://x/y"])
    assert result.exit_code == 2
    assert "must be an http:// or https:// URL" in result.stderr


def test_cli_dry_run_lists_one_put_per_graph(built_out):
    result = CliRunner().invoke(main, ["push", "--out", str(built_out), "--endpoint", "http://h/s", "--dry-run"])
    assert result.exit_code == 0, result.output
    puts = [ln for ln in result.stdout.splitlines() if ln.startswith("PUT ")]
    graphs = _local_counts(built_out)  # 5 documents + the vocabulary and entities graphs
    assert len(puts) == len(graphs) and sum("%2Fgraph%2Fdoc%2F" in p for p in puts) == 5
    assert f"dry run: would push {len(graphs)} graphs, {sum(graphs.values())} triples" in result.stdout


# --- a real Virtuoso --------------------------------------------------------------------------------


def _virtuoso_binary() -> str | None:
    """$VIRTUOSO_BIN, else virtuoso-t on PATH (Debian's virtuoso-opensource-7-bin puts it in /usr/bin)."""
    candidate = os.environ.get("VIRTUOSO_BIN") or shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
    return candidate if Path(candidate).is_file() else None


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
MaxClientConnections = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A throwaway Virtuoso listening on 127.0.0.1 only; yields its HTTP base URL; stopped afterwards."""
    binary = _virtuoso_binary()
    if binary is None:
        message = (
            "virtuoso-t not found: `make system-deps` installs virtuoso-opensource "
            "(listed in .ci/apt-packages.txt); or set VIRTUOSO_BIN"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("virtuoso")
    (folder / "vsp").mkdir()
    http_port, sql_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = open(folder / "stdout.log", "wb")  # closed at teardown
    proc = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + VIRTUOSO_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                tail = (folder / "stdout.log").read_text(errors="replace")[-800:]
                pytest.fail(f"virtuoso-t exited with {proc.returncode} while starting:\n{tail}")
            try:
                if requests.get(f"{url}/sparql", timeout=2).status_code == 200:
                    break
            except requests.exceptions.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Virtuoso did not answer on {url} within {VIRTUOSO_START_TIMEOUT} s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _server_counts(url: str, prefix: str = BASE) -> dict[str, int]:
    query = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }} GROUP BY ?g'
    )
    resp = requests.get(
        f"{url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    resp.raise_for_status()
    rows = json.loads(resp.text)["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def _local_counts(out: Path) -> dict[str, int]:
    ds = Dataset(default_union=True)
    ds.parse(out / "graph.trig", format="trig")
    return {str(g.identifier): len(g) for g in ds.graphs() if len(g)}


def test_push_to_virtuoso_matches_local_counts_and_is_idempotent(virtuoso, built_out, monkeypatch):
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    local = _local_counts(built_out)
    assert len(local) >= 9 and sum(local.values()) > 10000

    monkeypatch.setenv("UNIONKG_PUSH_USER", "dba")
    monkeypatch.setenv("UNIONKG_PUSH_PASSWORD", "dba")
    args = ["push", "--out", str(built_out), "--endpoint", endpoint, "--auth", "digest"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert f"pushed {len(local)} graphs, {sum(local.values())} triples" in first.stdout
    assert _server_counts(virtuoso) == local

    second = CliRunner().invoke(main, [*args, "--format", "ntriples"])  # PUT replaces: nothing doubles
    assert second.exit_code == 0, second.output
    assert _server_counts(virtuoso) == local


def _canonical(term):
    """Virtuoso writes xsd:decimal in canonical form (100.0 -> 100): compare decimals by value."""
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        return ("decimal", Decimal(str(term)).normalize())
    return term


def test_virtuoso_round_trip_keeps_every_triple(virtuoso, built_out):
    """After a push, CONSTRUCT of a document graph and of the gazetteer gives back the same triples."""
    push = ["push", "--out", str(built_out), "--endpoint", f"{virtuoso}/sparql-graph-crud-auth"]
    result = CliRunner().invoke(main, [*push, "--auth", "digest", "--user", "dba", "--password", "dba"])
    assert result.exit_code == 0, result.output
    local = Dataset(default_union=True)
    local.parse(built_out / "graph.trig", format="trig")
    names = sorted(str(g.identifier) for g in local.graphs() if len(g))
    for name in (next(n for n in names if "/graph/doc/" in n), BASE + "id/graph/gazetteer"):
        resp = requests.get(
            f"{virtuoso}/sparql",
            params={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/n-triples"},
            timeout=60,
        )
        resp.raise_for_status()
        remote = Graph()
        remote.parse(data=resp.text, format="nt")
        mine = {tuple(map(_canonical, t)) for t in local.graph(URIRef(name))}
        theirs = {tuple(map(_canonical, t)) for t in remote}
        assert mine == theirs, (name, len(mine - theirs), len(theirs - mine))


def test_virtuoso_put_replaces_a_graph(virtuoso):
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    auth = make_auth("digest", "dba", "dba")
    ds = Dataset()
    g = ds.graph(URIRef(BASE + "test/replace"))
    for i in range(3):
        g.add((URIRef(BASE + "test/s"), URIRef(BASE + "test/p"), Literal(f"值{i}")))
    push_dataset(ds, endpoint, auth=auth, timeout=30)
    assert _server_counts(virtuoso, BASE + "test/") == {BASE + "test/replace": 3}
    g.remove((None, None, Literal("值0")))
    report = push_dataset(ds, endpoint, auth=auth, timeout=30)
    assert [r.status for r in report.graphs] in ([200], [201], [204])
    assert _server_counts(virtuoso, BASE + "test/") == {BASE + "test/replace": 2}


def test_virtuoso_wrong_password_is_a_clear_401(virtuoso, built_out):
    args = ["push", "--out", str(built_out), "--endpoint", f"{virtuoso}/sparql-graph-crud-auth"]
    result = CliRunner().invoke(main, [*args, "--auth", "digest", "--user", "dba", "--password", "nope"])
    assert result.exit_code == 1  # a runtime failure (exit code 2 is for usage errors)
    assert "HTTP 401" in result.stderr and "--auth" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
