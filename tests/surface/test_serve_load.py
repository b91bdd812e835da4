"""`kg serve` under hostile load: 16 client threads for 35 s against the real command on 127.0.0.1.

The clients come from three loopback addresses (127.0.0.11 with eight threads, so the per-client limit
bites, 127.0.0.12 and .13 with four) and send, as fast as they get answers and each on a fresh connection: simple counts, a
cartesian-product COUNT, a property-path explosion, malformed queries and bodies, INSERT/DELETE/LOAD/CLEAR/DROP,
SERVICE in either case, and updates hidden behind a ``\\u0049NSERT`` escape, a comment or a CR. A probe from
127.0.0.1, a light client, sends a simple COUNT four times a second. Asserted: every request has an answer
(no dropped connection), no 5xx but 503 and 504, no update or SERVICE ever answered 200, no connection to
the LOAD/SERVICE target, and the probe's COUNT answers 200 with a p95 under 1 s. The figures go to
docs/reliability.md (section load). The whole test stops by itself within 60 s.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from reliability_doc import markdown_table, write_section
from test_serve import canary  # noqa: F401 (the fixture: a listener that counts connections)

from kg.surface.serve import find_oxigraph

ROOT = Path(__file__).resolve().parents[2]
DURATION = float(os.environ.get("KG_LOAD_SECONDS", "32"))
TIMEOUT = 5  # the endpoint's --timeout: runaway queries end in 504 after 5 s
CLIENTS = ["127.0.0.11"] * 8 + ["127.0.0.12"] * 4 + ["127.0.0.13"] * 4  # one greedy client, two others
PROBE_ADDRESS = "127.0.0.1"
ALLOWED = {200, 400, 403, 408, 413, 429, 503, 504}
SIMPLE_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(find_oxigraph() is None, reason="the oxigraph binary is missing: pip install oxigraph"),
]


def mix(canary_port: int) -> dict[str, tuple[str, object, set[int]]]:
    """kind -> (how it is sent, what, the answers it may get besides 429/503)."""
    target = f"http://127.0.0.1:{canary_port}/sparql"
    insert = "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
    return {
        "count": ("form", SIMPLE_COUNT, {200}),
        "count-documents": ("form", "SELECT (COUNT(?d) AS ?n) WHERE { ?d a ukg:PolicyDocument }", {200}),
        "ask": ("get", "ASK { ?s a skos:Concept }", {200}),
        "cartesian": ("form", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", {504}),
        "path-explosion": (
            "form",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?c (<urn:x:p>|!<urn:x:p>)* ?d }",
            {504},
        ),
        "syntax-error": ("form", "SELECT ?x WHERE { ?x ?y", {400}),
        "bad-percent": ("raw-get", "/query?query=ASK%20%zz", {400}),
        "not-utf8": ("body", b"ASK { ?s ?p \xff\xfe }", {400}),
        "insert": ("form", insert, {403}),
        "delete": ("form", "DELETE WHERE { ?s ?p ?o }", {403}),
        "load": ("form", f"LOAD <{target}>", {403}),
        "clear": ("form", "CLEAR ALL", {403}),
        "drop": ("form", "DROP GRAPH <http://example.org/g>", {403}),
        "update-endpoint": ("update", insert, {403}),
        "SERVICE": ("form", f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}", {403}),
        "service": ("form", f"select * where {{ ?x ?y ?z . service silent <{target}> {{ ?s ?p ?o }} }}", {403}),
        "escaped-insert": ("form", insert.replace("INSERT", "\\u0049NSERT"), {403}),
        "commented-insert": ("form", "# just a comment\n" + insert, {403}),
        "cr-comment-service": (
            "form",
            f"SELECT * WHERE {{ ?s ?p ?o # \r SERVICE <{target}> {{ ?a ?b ?c }} \n }}",
            {403},
        ),
        "too-large": ("body", b"ASK {} #" + b"x" * 1_100_000, {413}),
    }


REFUSED_KINDS = {"insert", "delete", "load", "clear", "drop", "update-endpoint", "SERVICE", "service"}
REFUSED_KINDS |= {"escaped-insert", "commented-insert", "cr-comment-service"}


def send(port: int, source: str, how: str, what, timeout: float) -> tuple[int, bytes]:
    """One request on a fresh connection from `source`; status and body (an exception is a dropped connection)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        accept = {"Accept": "application/sparql-results+json"}
        if how == "form":
            headers = {**accept, "Content-Type": "application/x-www-form-urlencoded"}
            conn.request("POST", "/query", urlencode({"query": what}), headers)
        elif how == "get":
            conn.request("GET", "/query?" + urlencode({"query": what}), headers=accept)
        elif how == "raw-get":
            conn.request("GET", what, headers=accept)
        elif how == "update":
            conn.request(
                "POST", "/update", urlencode({"update": what}), {"Content-Type": "application/x-www-form-urlencoded"}
            )
        else:
            conn.request("POST", "/query", what, {**accept, "Content-Type": "application/sparql-query"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class Load:
    def __init__(self, port: int, canary_port: int, duration: float):
        self.port, self.duration, self.kinds = port, duration, mix(canary_port)
        self.results: list[tuple[str, int | None, float, str]] = []  # kind, status (None: dropped), seconds, error
        self.probes: list[tuple[int | None, float]] = []
        self.samples: dict[tuple[str, int], str] = {}  # (kind, status) -> the first answer's first line
        self.stop_at = time.monotonic() + duration
        self.lock = threading.Lock()

    def client(self, source: str, seed: int) -> None:
        rnd = random.Random(seed)
        names = list(self.kinds)
        while time.monotonic() < self.stop_at:
            kind = rnd.choice(names)
            how, what, _ = self.kinds[kind]
            started = time.monotonic()
            status, error = None, ""
            try:
                status, body = send(self.port, source, how, what, timeout=TIMEOUT + 15)
                self.samples.setdefault((kind, status), body[:160].decode("utf-8", "replace").split("\n")[0])
            except Exception as exc:  # a dropped connection: recorded, and the test fails on it
                error = f"{type(exc).__name__}: {exc}"
            with self.lock:
                self.results.append((kind, status, time.monotonic() - started, error))

    def probe(self) -> None:
        while time.monotonic() < self.stop_at:
            started = time.monotonic()
            try:
                status: int | None = send(self.port, PROBE_ADDRESS, "form", SIMPLE_COUNT, timeout=TIMEOUT + 15)[0]
            except Exception:
                status = None
            self.probes.append((status, time.monotonic() - started))
            time.sleep(max(0.0, 0.25 - (time.monotonic() - started)))

    def run(self) -> None:
        threads = [threading.Thread(target=self.client, args=(a, i), daemon=True) for i, a in enumerate(CLIENTS)]
        threads.append(threading.Thread(target=self.probe, daemon=True))
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.1, self.stop_at + TIMEOUT + 10 - time.monotonic()))
        assert not any(t.is_alive() for t in threads), "a client thread did not stop"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_kg_serve(out: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "kg.cli", "serve", "--out", str(out), "--port", str(port), "--timeout", str(TIMEOUT)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = proc.stdout.readline() if proc.stdout else ""
    assert line.startswith("SPARQL endpoint:"), line + (proc.stderr.read() if proc.poll() is not None else "")
    return proc


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _can_bind(address: str) -> bool:
    with socket.socket() as s:
        try:
            s.bind((address, 0))
            return True
        except OSError:
            return False


def test_kg_serve_under_hostile_load(built_out, canary):  # noqa: F811 (the fixture)
    if not _can_bind(CLIENTS[0]):
        pytest.fail(f"cannot bind {CLIENTS[0]}: the load test needs the loopback network 127.0.0.0/8")
    begun = time.monotonic()
    port = _free_port()
    proc = start_kg_serve(built_out, port)
    try:
        load = Load(port, canary.port, DURATION)
        load.run()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
    elapsed = time.monotonic() - begun
    results, probes = load.results, load.probes
    statuses = Counter(s for _, s, _, _ in results)
    dropped = [(k, e) for k, s, _, e in results if s is None]
    by_kind: dict[str, Counter] = {}
    for kind, status, _, _ in results:
        by_kind.setdefault(kind, Counter())[status] += 1
    probe_ok = [t for s, t in probes if s == 200]
    p50, p95 = _pct(probe_ok, 50), _pct(probe_ok, 95)
    latencies = [t for _, s, t, _ in results if s is not None]
    _write_doc(results, statuses, by_kind, probes, p50, p95, latencies, elapsed)

    assert not dropped, dropped[:5]
    assert set(statuses) <= ALLOWED, statuses
    for kind, counts in by_kind.items():  # each kind gets its own answer, or is told to come back
        assert set(counts) <= self_expected(load, kind), (kind, counts, load.samples)
    assert all(by_kind.get(k, Counter())[200] == 0 for k in REFUSED_KINDS)
    assert canary.connections == 0  # LOAD and SERVICE never left the guard
    assert len(results) > 500 and statuses[200] > 0 and statuses[403] > 0 and statuses[504] > 0
    assert len(probes) >= 0.8 * DURATION * 4 * 0.5 and len(probe_ok) == len(probes), Counter(s for s, _ in probes)
    assert p95 < 1.0, f"the probe COUNT's p95 under load is {p95:.3f} s"
    assert elapsed < 60


def self_expected(load: Load, kind: str) -> set[int]:
    return load.kinds[kind][2] | {429, 503}


def _write_doc(results, statuses, by_kind, probes, p50, p95, latencies, elapsed) -> None:
    kinds = sorted(by_kind)
    status_cols = sorted(s for s in statuses if s is not None)
    rows = [[k, sum(by_kind[k].values()), *(by_kind[k].get(s, "") for s in status_cols)] for k in kinds]
    rows.append(["**all**", len(results), *(statuses[s] for s in status_cols)])
    probe_ok = sum(1 for s, _ in probes if s == 200)
    body = (
        f"`tests/surface/test_serve_load.py`: `kg serve --timeout {TIMEOUT}` (defaults otherwise: 4 Oxigraph processes, "
        f"4 queries per client, 32 waiting, long lanes for 2) on {os.cpu_count()} cores; 16 client threads from 3 "
        f"loopback addresses (8, 4, 4) for {DURATION:g} s, each request on a fresh connection, plus a probe COUNT from "
        f"127.0.0.1 four times a second. Whole test {elapsed:.0f} s.\n\n"
        f"- requests: {len(results)}; dropped connections: {statuses.get(None, 0)}; "
        f"5xx other than 503/504: {sum(n for s, n in statuses.items() if s and s >= 500 and s not in (503, 504))}\n"
        f"- answers: {', '.join(f'{s}: {statuses[s]}' for s in status_cols)}\n"
        f"- all requests, p50 / p95: {_pct(latencies, 50):.3f} s / {_pct(latencies, 95):.3f} s\n"
        f"- probe COUNT under load: {probe_ok}/{len(probes)} answered 200, p50 {p50:.3f} s, p95 {p95:.3f} s\n\n"
        + markdown_table(["kind", "requests", *map(str, status_cols)], rows)
        + "\n\nBefore this round, the same mix against the old endpoint (one Oxigraph process, restarted at each "
        "timeout; measured once, 32 s): 35,125 requests, 31,620 answered 400 (rdflib's parser, shared by the "
        "threads, broke under concurrent parses, so even the probe COUNT was a syntax error), 1,755 with 403, "
        "1,745 with 413, 5 dropped connections; the issue's own run: 22 answers with 502 and one dropped connection."
    )
    write_section("load", body)
