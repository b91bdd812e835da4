"""`kg serve`: the read-only SPARQL endpoint, tested with real HTTP on 127.0.0.1 (curl, SPARQLWrapper, requests).

Every endpoint here serves the session's demo build (`built_out`); the Oxigraph server behind the guard
is the real binary from the `oxigraph` package.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.query import Result
from test_browser import driver  # noqa: F401 (the shared headless Chromium fixture)

from kg.errors import ServeError
from kg.surface.query import load_query, result_rows, run_query
from kg.surface.serve import Refused, check_query, find_oxigraph, is_loopback, start_endpoint

ROOT = Path(__file__).resolve().parents[2]
JSON_ACCEPT = "application/sparql-results+json"
CURL = shutil.which("curl")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^12+ steps: runs for minutes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(find_oxigraph() is None, reason="the oxigraph binary is missing: pip install oxigraph"),
]


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(built_out):
    """The endpoint with its defaults (127.0.0.1, 30 s, 10,000 rows) on a free port."""
    with start_endpoint(built_out, port=0) as ep:
        yield ep


@pytest.fixture(scope="module")
def tight(built_out):
    """An endpoint with a 2 s timeout and a 5-row cap."""
    with start_endpoint(built_out, port=0, timeout=2, max_rows=5) as ep:
        yield ep


@pytest.fixture(scope="module")
def reference_dataset(built_ds) -> Dataset:
    """The build's graph.trig in rdflib's memory store: what `kg query` answers from, independent of Oxigraph."""
    return built_ds


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection (to prove nothing was sent to it)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def canary():
    c = Canary()
    yield c
    c.close()


def post(ep, query: str, accept: str = JSON_ACCEPT, **kwargs) -> requests.Response:
    return requests.post(ep.query_url, data={"query": query}, headers={"Accept": accept}, timeout=30, **kwargs)


def shared_rows(rows: list[dict]) -> list[tuple]:
    """shared-programmes rows, comparable across engines (GROUP_CONCAT has no set order)."""
    return [
        (r["programme"], r["label"], int(r["count"]), tuple(sorted(r["jurisdictions"].split("、"))), int(r["mentions"]))
        for r in rows
    ]


def json_rows(data: dict) -> list[dict]:
    names = data["head"]["vars"]
    return [{n: row[n]["value"] if n in row else None for n in names} for row in data["results"]["bindings"]]


def curl(*args: str) -> subprocess.CompletedProcess:
    if CURL is None:
        pytest.fail("curl is not installed (Debian package curl, listed in .ci/apt-packages.txt)")
    return subprocess.run([CURL, "-sS", *args], capture_output=True, text=True, timeout=60)


# --- correct answers to clients that know nothing of the project ---------------------------------------


def test_curl_gets_the_same_rows_as_kg_query(endpoint, reference_dataset, tmp_path):
    q = load_query("shared-programmes")
    expected = shared_rows(result_rows(run_query(reference_dataset, q)))
    assert len(expected) >= 5
    body = tmp_path / "answer.json"
    done = curl(
        "-H", f"Accept: {JSON_ACCEPT}", "--data-urlencode", f"query={q.text}",
        "-o", str(body), "-w", "%{http_code} %{content_type}", endpoint.query_url,
    )  # fmt: skip
    assert done.stdout == f"200 {JSON_ACCEPT}; charset=utf-8"
    assert shared_rows(json_rows(json.loads(body.read_text(encoding="utf-8")))) == expected


def test_sparqlwrapper_gets_the_same_rows_as_kg_query(endpoint, reference_dataset):
    from SPARQLWrapper import JSON, SPARQLWrapper

    q = load_query("shared-programmes")
    expected = shared_rows(result_rows(run_query(reference_dataset, q)))
    client = SPARQLWrapper(endpoint.query_url)  # GET with ?query=, as SPARQLWrapper does by default
    client.setQuery(q.text)
    client.setReturnFormat(JSON)
    assert shared_rows(json_rows(client.queryAndConvert())) == expected


def test_every_result_format_carries_the_same_rows(endpoint):
    query = "SELECT ?doc ?title ?date WHERE { ?doc a ukg:PolicyDocument ; dcterms:title ?title . OPTIONAL { ?doc dcterms:date ?date } } ORDER BY ?doc"
    reference = post(endpoint, query).json()
    assert len(reference["results"]["bindings"]) == 5
    want = [tuple(r.values()) for r in json_rows(reference)]
    for accept, fmt in (
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ):
        resp = post(endpoint, query, accept)
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith(accept), accept
        parsed = Result.parse(io.BytesIO(resp.content), format=fmt)
        got = [tuple(None if v is None else str(v) for v in row) for row in parsed]
        assert got == want, accept


def test_ask_construct_and_project_prefixes(endpoint):
    resp = post(endpoint, "ASK { ?doc a ukg:PolicyDocument }")  # ukg: is predeclared
    assert resp.status_code == 200 and resp.json()["boolean"] is True
    resp = post(endpoint, "CONSTRUCT WHERE { ?doc a ukg:PolicyDocument ; dcterms:title ?t }", "text/turtle")
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/turtle")
    from rdflib import Graph

    g = Graph().parse(data=resp.text, format="turtle")
    assert len(g) == 10
    resp = post(endpoint, "ASK { ?s ?p ?o }", "image/png")
    assert resp.status_code == 406


def test_a_syntax_error_is_a_one_line_400(endpoint):
    resp = post(endpoint, "SELECT ?x WHERE { ?x ?y")
    assert resp.status_code == 400
    assert resp.text.strip().count("\n") == 0 and "syntax error" in resp.text
    resp = post(endpoint, "SELECT * WHERE { ?s nosuchprefix:p ?o }")  # parses; Oxigraph refuses the prefix
    assert resp.status_code == 400
    assert resp.text.startswith("Oxigraph: ") and resp.text.strip().count("\n") == 0


# --- refused: updates, LOAD, the graph store ------------------------------------------------------------


INSERT = "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
ASK_INSERTED = "ASK { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"


@pytest.mark.parametrize(
    "how",
    [
        "POST /update update=",
        "POST /query update=",
        "POST /query application/sparql-update",
        "GET /query?update=",
        "POST /query query=INSERT",
        "PUT /store",
    ],
)
def test_updates_are_refused(endpoint, how):
    base = endpoint.url.rstrip("/")
    if how == "POST /update update=":
        resp = requests.post(base + "/update", data={"update": INSERT}, timeout=10)
    elif how == "POST /query update=":
        resp = requests.post(endpoint.query_url, data={"update": INSERT}, timeout=10)
    elif how == "POST /query application/sparql-update":
        resp = requests.post(
            endpoint.query_url, data=INSERT, headers={"Content-Type": "application/sparql-update"}, timeout=10
        )
    elif how == "GET /query?update=":
        resp = requests.get(endpoint.query_url, params={"update": INSERT}, timeout=10)
    elif how == "POST /query query=INSERT":
        resp = post(endpoint, INSERT)
    else:
        resp = requests.put(
            base + "/store?default", data="<http://a> <http://b> <http://c> .", timeout=10,
            headers={"Content-Type": "application/n-triples"},
        )  # fmt: skip
    assert resp.status_code == 403, resp.text
    assert "read-only" in resp.text and resp.text.strip().count("\n") == 0
    assert post(endpoint, ASK_INSERTED).json()["boolean"] is False


@pytest.mark.parametrize("op", ["LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>"])
def test_load_is_refused_and_fetches_nothing(endpoint, canary, op):
    url = f"http://127.0.0.1:{canary.port}/data.ttl"
    for send in (
        lambda: post(endpoint, op.format(url=url)),
        lambda: requests.post(endpoint.query_url, data={"update": op.format(url=url)}, timeout=10),
    ):
        resp = send()
        assert resp.status_code == 403 and "read-only" in resp.text
    time.sleep(0.3)
    assert canary.connections == 0


# --- refused: SERVICE -------------------------------------------------------------------------------------


def test_service_is_refused(endpoint):
    resp = post(endpoint, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert resp.status_code == 403 and "SERVICE" in resp.text


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ ?d a ukg:PolicyDocument OPTIONAL {{ {{ SELECT ?s WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }} }} }} }}",
        "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ],
)
def test_service_anywhere_is_refused_and_nothing_leaves(endpoint, canary, template):
    """The SERVICE target is a listener on this machine: it must never see a connection."""
    resp = post(endpoint, template.format(url=f"http://127.0.0.1:{canary.port}/sparql"))
    assert resp.status_code == 403 and "SERVICE" in resp.text
    time.sleep(0.3)
    assert canary.connections == 0


# --- limits: timeout and row cap --------------------------------------------------------------------------


def test_a_long_query_times_out_with_504_and_the_endpoint_recovers(tight):
    before = tight.upstream.procs()
    assert len(before) == tight.limits.workers and all(p.poll() is None for p in before)
    started = time.monotonic()
    resp = post(tight, CARTESIAN)
    elapsed = time.monotonic() - started
    assert resp.status_code == 504 and "timed out after 2 s" in resp.text
    assert elapsed < 2 + 3
    # the runaway query no longer uses a core: its Oxigraph process, and only that one, was replaced
    assert [p.poll() is not None for p in before].count(True) == 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(p.poll() is None for p in tight.upstream.procs()):
        time.sleep(0.05)
    after = tight.upstream.procs()
    assert len(after) == tight.limits.workers and all(p.poll() is None for p in after)
    assert post(tight, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_a_result_larger_than_the_limit_is_capped_and_says_so(tight):
    resp = post(tight, "SELECT ?s WHERE { ?s a skos:Concept }")
    assert resp.status_code == 200
    assert len(resp.json()["results"]["bindings"]) == 5
    assert resp.headers["X-Result-Limit"] == "5" and resp.headers["X-Result-Capped"] == "true"
    # the client's own larger LIMIT is capped too; a smaller one is kept and nothing is said
    resp = post(tight, "SELECT ?s WHERE { ?s a skos:Concept } LIMIT 1000")
    assert len(resp.json()["results"]["bindings"]) == 5 and resp.headers["X-Result-Capped"] == "true"
    resp = post(tight, "SELECT ?s WHERE { ?s a skos:Concept } LIMIT 3")
    assert len(resp.json()["results"]["bindings"]) == 3 and "X-Result-Capped" not in resp.headers
    # exactly as many rows as the limit: complete, so not capped
    resp = post(tight, "SELECT ?doc WHERE { ?doc a ukg:PolicyDocument }")
    assert len(resp.json()["results"]["bindings"]) == 5 and "X-Result-Capped" not in resp.headers
    # CSV is capped the same way (header + 5 lines)
    resp = post(tight, "SELECT ?s WHERE { ?s a skos:Concept }", "text/csv")
    assert len(resp.text.strip().splitlines()) == 6 and resp.headers["X-Result-Capped"] == "true"


def test_a_graph_result_is_capped_in_triples(tight):
    resp = post(tight, "CONSTRUCT WHERE { ?s skos:prefLabel ?l }", "application/n-triples")
    assert resp.status_code == 200 and resp.headers["X-Result-Capped"] == "true"
    assert len(resp.text.strip().splitlines()) == 5


@pytest.mark.parametrize(
    ("query", "expected_tail"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "LIMIT 101\n"),
        ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 300 OFFSET 2", "LIMIT 101 OFFSET 2"),
        ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 500 } }", "} }\nLIMIT 101\n"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 500 # LIMIT 7", "LIMIT 101 # LIMIT 7"),
        ('SELECT * WHERE { ?s ?p ?o } VALUES ?s { "VALUES" }', 'LIMIT 101\nVALUES ?s { "VALUES" }'),
        ("DESCRIBE <http://example.org/x>", "LIMIT 101\n"),
    ],
)
def test_the_row_limit_is_written_into_the_top_level_query(query, expected_tail):
    checked = check_query(query, max_rows=100)
    assert checked.limited and checked.text.endswith(expected_tail)
    assert not check_query("SELECT * WHERE { ?s ?p ?o } LIMIT 100", max_rows=100).limited
    assert not check_query("ASK { ?s ?p ?o }", max_rows=100).limited


def test_check_query_refusals_name_the_operation():
    with pytest.raises(Refused) as err:
        check_query("DROP GRAPH <http://g> ; LOAD <http://x>")
    assert err.value.status == 403 and "DROP, LOAD" in err.value.message


# --- bind address -------------------------------------------------------------------------------------


def _listening(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp) that listen on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, state = fields[1], fields[3]
            if state == "0A" and int(address.rsplit(":", 1)[1], 16) == port:
                found.add(address.rsplit(":", 1)[0])
    return found


def _other_address() -> str | None:
    """A non-loopback address of this machine, if it has one (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="needs Linux /proc/net/tcp")
def test_default_bind_is_127_0_0_1_only(endpoint):
    assert endpoint.host == "127.0.0.1" and endpoint.url == f"http://127.0.0.1:{endpoint.port}/"
    assert _listening(endpoint.port) == {"0100007F"}  # 127.0.0.1, no wildcard, no other interface
    for worker in endpoint.upstream.workers.values():  # the Oxigraph processes behind it: loopback too
        assert _listening(worker.port) == {"0100007F"}
    other = _other_address()
    if other is not None:
        with pytest.raises(OSError), socket.create_connection((other, endpoint.port), timeout=2):
            pass
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_a_foreign_host_header_is_refused_on_loopback(endpoint):
    """DNS rebinding: a page of evil.example re-pointed at 127.0.0.1 sends `Host: evil.example`."""
    resp = requests.get(endpoint.query_url, params={"query": "ASK {?s ?p ?o}"}, headers={"Host": "evil.example"})
    assert resp.status_code == 403 and "Host" in resp.text
    for host in (f"localhost:{endpoint.port}", f"127.0.0.1:{endpoint.port}"):
        resp = requests.get(endpoint.query_url, params={"query": "ASK {?s ?p ?o}"}, headers={"Host": host})
        assert resp.status_code == 200


def test_a_non_loopback_host_prints_a_warning(built_out, monkeypatch):
    from kg.cli import main

    class Fake:
        query_url, url, source = "http://192.0.2.1:7878/query", "http://192.0.2.1:7878/", built_out / "graph.trig"
        timeout, max_rows, closed = 30.0, 10_000, False

        def wait(self):
            pass

        def close(self):
            Fake.closed = True

    seen = {}

    def fake_start(out_dir, **kwargs):
        seen.update(kwargs)
        return Fake()

    monkeypatch.setattr("kg.surface.serve.start_endpoint", fake_start)
    result = CliRunner().invoke(main, ["serve", "--out", str(built_out), "--host", "192.0.2.1"])
    assert result.exit_code == 0 and "warning: listening on 192.0.2.1" in result.output and Fake.closed
    assert seen["host"] == "192.0.2.1"
    result = CliRunner().invoke(main, ["serve", "--out", str(built_out)])
    assert seen["host"] == "127.0.0.1" and seen["port"] == 7878 and "warning" not in result.output
    assert seen["limits"].workers == 4
    CliRunner().invoke(main, ["serve", "--out", str(built_out), "--workers", "2"])
    assert seen["limits"].workers == 2


# --- the query page ---------------------------------------------------------------------------------------


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.refs += [v for k, v in attrs if k in ("src", "href", "action", "data", "srcset") and v]


def test_the_query_page_has_no_external_references(endpoint):
    resp = requests.get(endpoint.url, timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/html")
    assert "connect-src 'self'" in resp.headers["Content-Security-Policy"]
    parser = _Refs()
    parser.feed(resp.text)
    assert "/yasgui.min.js" in parser.refs
    external = [r for r in parser.refs if r.lower().startswith(("http:", "https:", "//"))]
    assert not external
    for ref in [r for r in parser.refs if not r.endswith("/query")]:  # every asset is served here
        assert requests.get(endpoint.url.rstrip("/") + ref, timeout=10).status_code == 200, ref
    assert "prefix.cc" not in resp.text and "lov.linkeddata" not in resp.text
    assert requests.get(endpoint.url + "prefixes.json", timeout=10).json()["ukg"] == "https://w3id.org/unionkg/ns#"


@pytest.mark.browser
def test_the_query_page_runs_a_query_offline_in_chromium(endpoint, driver):  # noqa: F811 (fixture)
    drv = driver
    drv.get_log("browser")  # drop what earlier pages logged
    drv.get_log("performance")
    drv.get(endpoint.url)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not drv.execute_script("return !!document.querySelector('.yasqe')"):
        time.sleep(0.1)
    drv.execute_script("document.querySelector('.yasqe_queryButton').click()")
    rows = 0
    while time.monotonic() < deadline and rows == 0:
        time.sleep(0.2)
        rows = drv.execute_script("return document.querySelectorAll('.yasr table tbody tr').length")
    text = drv.execute_script("return document.querySelector('.yasr').innerText")
    assert rows >= 5 and "安康杯" in text
    origin = endpoint.url.rstrip("/")
    sent = []
    for entry in drv.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            sent.append(message["params"].get("request", {}).get("url") or message["params"].get("url", ""))
    assert sent and any(u.startswith(origin + "/query") for u in sent)
    network = [u for u in sent if u.split(":", 1)[0].lower() in ("http", "https", "ws", "wss", "ftp")]
    remote = [u for u in network if not u.startswith(origin + "/")]
    assert not remote, remote
    severe = [e for e in drv.get_log("browser") if e.get("level") == "SEVERE"]
    assert not severe, severe


# --- the store it serves ----------------------------------------------------------------------------------


def test_the_build_store_is_served_when_there_is_one(built_out, endpoint):
    has_store = (built_out / "store" / "CURRENT").is_file()
    assert endpoint.source == (built_out / "store" if has_store else built_out / "graph.trig")
    if has_store:  # served in place: nothing copied into the temporary folder
        assert not (endpoint.temp / "store").exists()


def test_a_build_with_only_graph_trig_is_loaded_into_a_temporary_store(built_out, tmp_path, endpoint):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(built_out / "graph.trig", out / "graph.trig")
    q = load_query("shared-programmes").text
    with start_endpoint(out, port=0) as ep:
        assert ep.source == out / "graph.trig"
        temp = ep.temp
        assert (temp / "store").is_dir()
        assert shared_rows(json_rows(post(ep, q).json())) == shared_rows(json_rows(post(endpoint, q).json()))
        children = ep.upstream.procs()
    assert not temp.exists() and children and all(child.poll() is not None for child in children)


# --- start-up errors and the command line -------------------------------------------------------------------


def test_no_built_graph_is_a_one_line_error(tmp_path):
    from kg.cli import main

    result = CliRunner().invoke(main, ["serve", "--out", str(tmp_path), "--port", "0"])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "no built graph" in result.output
    assert "Traceback" not in result.output


def test_port_in_use_and_missing_binary_are_one_line_errors(built_out, endpoint, monkeypatch):
    from kg.cli import main

    result = CliRunner().invoke(main, ["serve", "--out", str(built_out), "--port", str(endpoint.port)])
    assert result.exit_code != 0 and "already in use" in result.output
    assert result.output.strip().count("\n") == 0 and "Traceback" not in result.output
    monkeypatch.setattr("kg.surface.serve.endpoint.find_oxigraph", lambda: None)
    result = CliRunner().invoke(main, ["serve", "--out", str(built_out), "--port", "0"])
    assert result.exit_code != 0 and "pip install oxigraph" in result.output
    with pytest.raises(ServeError, match="not found"):
        start_endpoint(built_out, port=0, binary=str(built_out / "no-such-binary"))


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _ignore_sigint() -> None:  # as a non-interactive shell starts a background job (`kg serve &` in a script)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_kg_serve_stops_on_sigint_even_when_started_with_sigint_ignored(built_out):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kg = [sys.executable, "-m", "kg.cli", "serve", "--out", str(built_out), "--port", str(port)]
    proc = subprocess.Popen(
        kg, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, preexec_fn=_ignore_sigint
    )
    try:
        assert proc.stdout.readline().startswith("SPARQL endpoint:")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopped" in err and "Traceback" not in err


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
def test_kg_serve_runs_until_ctrl_c_and_cleans_up(built_out, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(temp)}
    kg = [sys.executable, "-m", "kg.cli", "serve", "--out", str(built_out), "--port", str(port)]
    proc = subprocess.Popen(kg, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        first = proc.stdout.readline()
        assert first.startswith(f"SPARQL endpoint: http://127.0.0.1:{port}/query")
        done = curl("-H", f"Accept: {JSON_ACCEPT}", "--data-urlencode", "query=ASK { ?s ?p ?o }", first.split()[2])
        assert json.loads(done.stdout)["boolean"] is True
        assert any(temp.iterdir())  # the Oxigraph log (and the store, for a graph.trig build) live here
        children = _children(proc.pid)
        assert children  # the Oxigraph server
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)  # close() may wait 15 s for Oxigraph; more on a loaded machine
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err
    assert not any(temp.iterdir())  # temporary folder removed
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]  # the Oxigraph server stopped
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


# --- degrading gracefully (#16): slow clients, large bodies, bad encodings, limits, lanes, failed workers ----


@pytest.fixture(scope="module")
def guarded(built_out):
    """Small limits: 2 processes, 2 queries per client, 1 waiting, 1 long lane after 0.3 s, 1 s to send a request."""
    from kg.surface.serve import Limits

    limits = Limits(workers=2, client_limit=2, queue_limit=1, long_slots=1, short=0.3, client_timeout=1.0)
    with start_endpoint(built_out, port=0, timeout=3, limits=limits) as ep:
        yield ep


def _raw(ep, data: bytes, *, pause: float = 0.0, trickle: bytes = b"") -> tuple[bytes, float]:
    """Send raw bytes (then `trickle` one byte every `pause` s); the answer and the seconds it took."""
    started = time.monotonic()
    with socket.create_connection((ep.host, ep.port), timeout=10) as s:
        s.sendall(data)
        try:
            for byte in trickle:
                time.sleep(pause)
                s.sendall(bytes([byte]))
        except OSError:
            pass
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer, time.monotonic() - started


def _from(ep, source: str, query: str, timeout: float = 30) -> requests.Response:
    """A POSTed query from the loopback address `source` (another client)."""
    from requests.adapters import HTTPAdapter

    class Bound(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (source, 0)
            super().init_poolmanager(*args, **kwargs)

    with requests.Session() as session:
        session.mount("http://", Bound())
        return session.post(ep.query_url, data={"query": query}, headers={"Accept": JSON_ACCEPT}, timeout=timeout)


def test_a_slow_client_gets_408(guarded):
    host = f"Host: 127.0.0.1:{guarded.port}\r\n".encode()
    answer, took = _raw(guarded, b"POST /query HTTP/1.1\r\n" + host + b"Content-Length: 40\r\n\r\nquery=")
    assert answer.startswith(b"HTTP/1.1 408 ") and 0.9 < took < 3
    # a client trickling its request line one byte at a time does not hold the thread longer either
    answer, took = _raw(guarded, b"GET /query?query=ASK", pause=0.2, trickle=b"%7B%7D" * 10)
    assert answer.startswith(b"HTTP/1.1 408 ") and took < 3
    # an idle keep-alive connection is closed without an answer (nothing was asked)
    answer, took = _raw(guarded, b"")
    assert answer == b"" and took < 3


def test_large_bodies_get_413_and_the_client_reads_it(guarded):
    resp = requests.post(guarded.query_url, data=b"x" * 1_100_000, headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 413 and "larger than" in resp.text
    host = f"Host: 127.0.0.1:{guarded.port}\r\n".encode()
    head = b"POST /query HTTP/1.1\r\n" + host + b"Content-Type: application/sparql-query\r\n"
    answer, _ = _raw(guarded, head + b"Content-Length: 999999999\r\nExpect: 100-continue\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413 ")  # before the client sends a byte of it
    answer, _ = _raw(
        guarded, head + b"Transfer-Encoding: chunked\r\n\r\n" + b"FFFFF\r\n" + b"x" * 0xFFFFF + b"\r\n" * 2
    )
    assert answer.startswith(b"HTTP/1.1 413 ")
    chunked = head + b"Transfer-Encoding: chunked\r\n\r\n10\r\nASK { ?s ?p ?o }\r\n0\r\n\r\n"
    answer, _ = _raw(guarded, chunked + b"")
    assert answer.startswith(b"HTTP/1.1 200 ") and b'"boolean":true' in answer


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("GET ?query=ASK%20%zz", "percent-encoding"),
        ("GET ?query=%ff%fe", "not UTF-8"),
        ("POST sparql-query \xff", "not UTF-8"),
        ("POST form %c3%28", "not UTF-8"),
        ("POST Content-Length: abc", "Content-Length"),
    ],
)
def test_bad_encodings_get_400(guarded, how, message):
    if how.startswith("GET"):  # sent as is (requests would quote the stray %)
        host = f"Host: 127.0.0.1:{guarded.port}\r\n".encode()
        answer, _ = _raw(guarded, f"GET /query{how[4:]} HTTP/1.1\r\n".encode() + host + b"\r\n")
        assert answer.startswith(b"HTTP/1.1 400 ") and message.encode() in answer, answer
        return
    elif "sparql-query" in how:
        resp = requests.post(
            guarded.query_url, data=b"ASK {} \xff", headers={"Content-Type": "application/sparql-query"}
        )
    elif "form" in how:
        resp = requests.post(guarded.query_url, data=b"query=ASK%20%7B%7D%c3%28", headers={"Content-Type": _FORM})
    else:
        host = f"Host: 127.0.0.1:{guarded.port}\r\n".encode()
        answer, _ = _raw(guarded, b"POST /query HTTP/1.1\r\n" + host + b"Content-Length: abc\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 400 ") and message.encode() in answer
        return
    assert resp.status_code == 400 and message in resp.text, resp.text


_FORM = "application/x-www-form-urlencoded"


def test_a_client_over_its_limit_gets_429_and_others_are_served(guarded):
    with ThreadPoolExecutor(2) as pool:  # two runaway queries from 127.0.0.1: the client's limit
        running = [pool.submit(post, guarded, CARTESIAN.replace("?i", "?limit")) for _ in range(2)]
        time.sleep(0.2)
        resp = post(guarded, "ASK { ?s ?p ?o }")
        assert resp.status_code == 429 and resp.headers["Retry-After"] == "1" and "too many" in resp.text
        started = time.monotonic()
        other = _from(guarded, "127.0.0.2", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert other.status_code == 200 and time.monotonic() - started < 1.5  # a second client is not held up
        statuses = sorted(f.result().status_code for f in running)
    # one runaway got the long lane (504 at the deadline), the other was shed after 0.3 s (503)
    assert statuses == [503, 504]


def test_a_full_queue_gets_503_with_retry_after(guarded):
    with ThreadPoolExecutor(4) as pool:
        runaway = CARTESIAN.replace("?i", "?queued")  # a text not yet known to outgrow the short lane
        runaways = [pool.submit(_from, guarded, f"127.0.0.{3 + i}", runaway) for i in range(2)]
        time.sleep(0.1)  # both processes busy: one query may wait, the next is turned away
        waiting = pool.submit(_from, guarded, "127.0.0.5", "ASK { ?s ?p ?o }")
        time.sleep(0.05)
        turned = _from(guarded, "127.0.0.6", "ASK { ?s ?p ?o }")
        assert turned.status_code == 503 and turned.headers["Retry-After"] and "busy" in turned.text
        assert waiting.result().status_code == 200  # served once the shed runaway's process was replaced
        assert sorted(r.result().status_code for r in runaways) == [503, 504]


def test_the_same_runaway_again_is_turned_away_at_once(guarded):
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(_from, guarded, "127.0.0.7", CARTESIAN)
        time.sleep(0.6)  # it holds the one long lane now
        started = time.monotonic()
        again = _from(guarded, "127.0.0.8", CARTESIAN)  # known to outgrow the short lane: not even started
        assert again.status_code == 503 and time.monotonic() - started < 0.5 and "long queries" in again.text
        assert first.result().status_code == 504


def test_a_dead_oxigraph_process_costs_no_answer(guarded):
    """A process that dies (killed here) is replaced; queries on it are tried again: never a 502."""
    for proc in guarded.upstream.procs():
        proc.kill()
    for _ in range(6):
        resp = post(guarded, "ASK { ?s ?p ?o }")
        assert resp.status_code in (200, 503), resp.text
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and post(guarded, "ASK { ?s ?p ?o }").status_code != 200:
        time.sleep(0.1)
    assert post(guarded, "ASK { ?s ?p ?o }").json()["boolean"] is True


@pytest.mark.parametrize(
    "template",
    [
        'SELECT * WHERE {{ {{ ?s ?p "x\\u0022, " }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} #" }} }}',
        "SELECT * WHERE {{ ?s ?p ?o # a comment that ends at CR\r SERVICE <{url}> {{ ?a ?b ?c }} \n }}",
        "PREFIX : <{url}/> SELECT * WHERE {{ ?s ?p ?o . SERVICE:x {{ ?a ?b ?c }} }}",
    ],
)
def test_escapes_and_comment_ends_cannot_smuggle_a_service_call(endpoint, canary, template):
    """Both first forms made Oxigraph call the SERVICE the old guard let through (docs/decisions.md D25)."""
    resp = post(endpoint, template.format(url=f"http://127.0.0.1:{canary.port}/sparql"))
    assert resp.status_code in (200, 403), resp.text
    time.sleep(0.3)
    assert canary.connections == 0
