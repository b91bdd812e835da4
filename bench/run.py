"""Benchmark runner: build, query and export synthetic corpora on two stores, side by side.

    python -m bench.run                          # sizes 10, 100, 1000 (what `make bench` runs)
    python -m bench.run --sizes 10,100,1000,10000
    python -m bench.run --sizes 10 --min-runs 1 --max-runs 1 --no-warmup   # the smoke test

For every size a corpus is generated (:mod:`bench.generate`, seed ``--seed``), then every store
(``memory``: rdflib's in-memory store; ``oxigraph``: Oxigraph through oxrdflib) is measured in its own
Python process, so that the peak resident memory (``ru_maxrss``) belongs to that store alone:

1. extraction: :func:`kg.pipeline.components.process_file` over every document (sequential; see ``--jobs``);
2. build: :func:`kg.graph.build.build_dataset` of the records on that store;
3. triples, quads and named graphs;
4. every query in queries/, unbound and with its ``# param:`` parameters bound to values taken from the
   data; p50/p95 over ``--min-runs``..``--max-runs`` runs after one warm-up run;
5. export with :func:`kg.surface.export.serialize` as Turtle and N-Quads (and Oxigraph's own N-Quads dump).

A watchdog in the parent kills a measurement that exceeds ``--max-rss-gb`` resident memory or
``--timeout`` seconds and records why. Results go to ``--out`` (default bench/results): results.json,
results.md (tables with memory/oxigraph ratios, and the goals met or missed) and scaling.svg.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import inspect
import json
import math
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results"
DEFAULT_WORK = ROOT / "bench" / ".work"
DEFAULT_SIZES = (10, 100, 1000)
DEFAULT_EXPORT_MAX_QUADS = 5_000_000
STORE_NAMES = ("memory", "oxigraph")
EXPORT_FORMATS = ("turtle", "nquads")
_XSD_STRING = "^^<http://www.w3.org/2001/XMLSchema#string>"
_DATATYPE = re.compile(r'"\^\^<http://www\.w3\.org/2001/XMLSchema#(\w+)>')

# goals this benchmark reports against (bench/README.md)
GOAL_DOCS, GOAL_BUILD_S, GOAL_PEAK_GB = 10_000, 300.0, 4.0
GOAL_TRIPLES, GOAL_QUERY, GOAL_QUERY_P50_S, GOAL_TURTLE_S = 1_000_000, "shared-programmes", 0.2, 3.0
LINEAR_SLOPE_MAX = 1.15


# --- inside one measurement process -------------------------------------------------------------------


def _rss_mb() -> float:
    """Current resident set size of this process, MB."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return float("nan")


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def _phase(name: str, started: float) -> None:
    """One progress line on stderr (the parent quotes the last one when it has to stop a measurement)."""
    print(
        f"phase: {name} at {time.perf_counter() - started:.0f} s, RSS {_rss_mb():,.0f} MB", file=sys.stderr, flush=True
    )


def corpus_files(corpus: Path) -> list[Path]:
    """The documents of a generated corpus in manifest order (else every supported file, sorted)."""
    from bench.generate import MANIFEST

    manifest = corpus / MANIFEST
    if manifest.exists():
        docs = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
        return [corpus / d["file"] for d in docs]
    from kg.run import discover_files

    return discover_files(corpus)[0]


def extract_records(files: list[Path], jobs: int = 1) -> list:
    """Records of `files`, in order: sequential, or with ``jobs > 1`` on the parallel build's process pool
    (:func:`kg.run.executors.iter_documents`, the workers `kg build --jobs` uses; they also serialise each
    document's graph, which this phase then includes). Bad files are left out, as `kg build` does."""
    from kg.pipeline.components import process_file

    if jobs <= 1:
        return [process_file(p) for p in files]
    from kg.run.executors import iter_documents

    return [_record(r.payload) for r in iter_documents(files, jobs=jobs) if r.payload is not None]


def _record(payload: dict):
    """A :class:`kg.pipeline.components.DocumentRecord` back from a worker's JSON line and text."""
    from kg.model import DocumentRecord

    return DocumentRecord.from_json(json.loads(payload["record"]), text=payload["text"])


def choose_bindings(records: list, ds) -> dict[str, object]:
    """A value for every parameter name the queries use, taken from the data (deterministic)."""
    from rdflib import SKOS, Literal, URIRef

    from kg.namespaces import DEFAULT_BASE_IRI, document_iri, document_slug

    def top(counter: Counter, k: int = 0):
        ranked = sorted(counter, key=lambda x: (-counter[x], x))
        return ranked[k] if len(ranked) > k else None

    jur = Counter(r.jurisdiction["id"] for r in records if r.jurisdiction)
    by_type: dict[str, Counter] = {}
    for r in records:
        for m in r.mentions:
            by_type.setdefault(m["type"], Counter())[m["id"]] += 1
    units = Counter(q["unit"] for r in records for q in r.quantities if q.get("unit"))
    programme = top(by_type.get("programme", Counter()))
    values: dict[str, object] = {}
    if top(jur) is not None:
        values["jurisdiction"] = values["a"] = URIRef(top(jur))
    if top(jur, 1) is not None:
        values["b"] = URIRef(top(jur, 1))
    if programme:
        values["programme"] = URIRef(programme)
        broader = sorted(str(o) for o in ds.objects(URIRef(programme), SKOS.broader))
        if broader:
            values["category"] = URIRef(broader[0])
    group = top(by_type.get("target_group", Counter()))
    if group:
        values["group"] = URIRef(group)
    first = min(records, key=lambda r: document_slug(r.source, r.sha256), default=None)
    if first is not None:
        values["document"] = document_iri(DEFAULT_BASE_IRI, document_slug(first.source, first.sha256))
    values["role"] = Literal("target")
    if units:
        values["unit"] = Literal(top(units))
    return values


def query_variants(names: list[str], values: dict) -> list[tuple[str, object, dict]]:
    """(label, NamedQuery, bindings): every query unbound (unless it requires parameters) and bound."""
    from rdflib import Literal

    from kg.surface.query import load_query

    out = []
    for name in names:
        q = load_query(name)
        required = set(getattr(q, "required", ()) or ())
        if not required:
            out.append((name, q, {}))
        if not q.params:
            continue
        bound = {}
        for param, kind in sorted(q.params.items()):
            if kind == "integer":
                bound[param] = Literal(2 if "min" in param.lower() else 1)
            elif param in values:
                bound[param] = values[param]
        if required - bound.keys():
            out.append((f"{name} [needs {', '.join(sorted(required - bound.keys()))}]", q, None))
            continue
        if bound:
            label = ", ".join(f"{k}={_short(v)}" for k, v in bound.items())
            out.append((f"{name} [{label}]", q, bound))
    return out


def _short(value) -> str:
    text = str(value)
    return text.rsplit("/", 1)[-1] if text.startswith("http") else text


class _Stop(BaseException):
    """Raised inside a running query by :class:`_Guard` (a BaseException, so no `except Exception` eats it)."""


_ACTIVE_GUARD: _Guard | None = None


def _on_alarm(signum, frame) -> None:
    guard = _ACTIVE_GUARD
    if guard is not None:
        guard.check()


def _stop_guards() -> None:
    """Disarm the timer (an armed timer at interpreter exit, after the handler is reset, kills the process)."""
    global _ACTIVE_GUARD
    _ACTIVE_GUARD = None
    if signal.getsignal(signal.SIGALRM) is _on_alarm:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


class _Guard:
    """Stop the query running in this thread after `timeout_s`, or once this process passes `rss_mb`.

    One SIGALRM handler, installed once, checks the active guard four times a second (it never goes
    back to the default action, which would kill the process). rdflib's engine is Python, so the
    exception lands between two steps of the evaluation and the query's memory is freed; Oxigraph's
    engine is native and is stopped when it hands back its next row.
    """

    def __init__(self, timeout_s: float, rss_mb: float):
        self.timeout_s, self.rss_mb = timeout_s, rss_mb

    def check(self) -> None:
        global _ACTIVE_GUARD
        if time.monotonic() > self.deadline:
            _ACTIVE_GUARD = None
            raise _Stop(f"timeout after {self.timeout_s:g} s")
        if self.rss_mb and _rss_mb() > self.rss_mb:
            _ACTIVE_GUARD = None
            raise _Stop(f"stopped: process memory above {self.rss_mb:,.0f} MB")

    def __enter__(self):
        global _ACTIVE_GUARD
        if signal.getsignal(signal.SIGALRM) is not _on_alarm:
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, 0.25, 0.25)
        self.deadline = time.monotonic() + self.timeout_s
        _ACTIVE_GUARD = self
        return self

    def __exit__(self, *exc):
        global _ACTIVE_GUARD
        _ACTIVE_GUARD = None
        return False


def time_query(
    fn, *, min_runs: int, max_runs: int, budget_s: float, warmup: bool, timeout_s: float, rss_mb: float = 0
) -> dict:
    """Run `fn` repeatedly: one warm-up, then at least `min_runs`, more until `budget_s` or `max_runs`.

    A run stopped by the time or memory guard ends the series with an ``error``.
    """
    samples: list[float] = []
    rows, first_s, spent = None, None, 0.0
    for i in range(max_runs + (1 if warmup else 0)):
        t0 = time.perf_counter()
        try:
            with _Guard(timeout_s, rss_mb):
                rows = len(fn())
        except _Stop as stop:
            gc.collect()
            return {"error": str(stop), "runs": len(samples), "first_s": first_s}
        except Exception as exc:  # a query the store cannot run is a result, not a crash
            return {"error": " ".join(f"{type(exc).__name__}: {exc}".split())[:300], "runs": len(samples)}
        dt = time.perf_counter() - t0
        if i == 0:
            first_s = dt
            if warmup and dt < budget_s:  # a query slower than the budget is its own warm-up
                continue
        samples.append(dt)
        spent += dt
        if len(samples) >= min_runs and (spent >= budget_s or len(samples) >= max_runs):
            break
        if len(samples) >= 2 and spent >= 6 * budget_s:  # a slow query: a few runs are enough
            break
    ordered = sorted(samples)
    return {
        "p50_s": statistics.median(ordered),
        "p95_s": ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)],
        "min_s": ordered[0],
        "first_s": first_s,
        "runs": len(ordered),
        "rows": rows,
    }


def _normalised_nquads_sha256(text: str) -> str:
    """Hash of the sorted N-Quads with explicit ^^xsd:string dropped (RDF 1.1: the same literal)."""
    lines = sorted({ln.replace(_XSD_STRING, "") for ln in text.splitlines() if ln.strip()})
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def measure(store: str, corpus: Path, opts: dict) -> dict:
    """Everything measured for one store on one corpus (runs inside its own process)."""
    from bench.stores import build_into, run_named_query
    from kg.surface.export import serialize
    from kg.surface.query import available_queries

    files = corpus_files(corpus)
    input_bytes = sum(p.stat().st_size for p in files)
    out: dict = {"store": store, "docs": len(files), "input_bytes": input_bytes, "jobs": opts.get("jobs", 1)}
    rss0 = _rss_mb()
    started = time.perf_counter()
    _phase("extract", started)

    t0 = time.perf_counter()
    records = extract_records(files, opts.get("jobs", 1))
    _phase("build", started)
    out["extract_s"] = time.perf_counter() - t0
    out["rss_after_extract_mb"] = _rss_mb()

    t0 = time.perf_counter()
    ds = build_into(records, store)
    out["build_s"] = time.perf_counter() - t0
    out["total_build_s"] = out["extract_s"] + out["build_s"]
    out["docs_per_s"] = len(files) / out["total_build_s"]
    out["mb_per_s"] = input_bytes / 1e6 / out["total_build_s"]
    out["rss_after_build_mb"] = _rss_mb()
    out["store_rss_mb"] = out["rss_after_build_mb"] - out["rss_after_extract_mb"]
    out["peak_rss_build_mb"] = _peak_rss_mb()
    out["rss_start_mb"] = rss0
    _phase("count", started)

    if store == "oxigraph":
        # oxrdflib answers len() with COUNT(DISTINCT ...) queries, which hold every distinct triple in a
        # hash set (5.6 GB at 4.7M triples): count quads and graphs natively, distinct triples only when small
        inner = ds.store._inner
        out["quads"] = len(inner)
        out["graphs"] = sum(1 for _ in inner.named_graphs())
        count_triples = out["quads"] <= opts.get("export_max_quads", DEFAULT_EXPORT_MAX_QUADS)
    else:
        graphs = [g for g in ds.graphs() if len(g)]
        out["graphs"] = len(graphs)
        out["quads"] = sum(len(g) for g in graphs)
        count_triples = True
    t0 = time.perf_counter()
    out["triples"] = len(ds) if count_triples else None
    out["count_triples_s"] = time.perf_counter() - t0 if count_triples else None
    out["measures_found"] = sum(len(r.measures) for r in records)
    expected = _manifest_expectations(corpus)
    if expected:
        out["measures_expected"] = expected["measures"]
        found = {Path(r.source).name: r for r in records}
        out["jurisdiction_match"] = sum(
            1
            for name, jur in expected["jurisdictions"].items()
            if name in found and (found[name].jurisdiction or {}).get("id") == jur
        ) / max(1, len(expected["jurisdictions"]))
        from bench.check import check_measures

        by_genre = check_measures(expected["manifest"], records)
        out["exact_by_genre"] = {g: [f.exact, f.docs] for g, f in by_genre.items()}

    _phase("queries", started)
    values = choose_bindings(records, ds)
    out["bindings"] = {k: str(v) for k, v in sorted(values.items())}
    out["queries"] = {}
    names = available_queries() if opts.get("queries", True) else []
    for label, q, bindings in query_variants(names, values):
        if bindings is None:
            out["queries"][label] = {"error": "no value found in the data for a required parameter", "runs": 0}
            continue
        out["queries"][label] = time_query(
            lambda q=q, b=bindings: run_named_query(ds, store, q, b),
            min_runs=opts["min_runs"],
            max_runs=opts["max_runs"],
            budget_s=opts["budget_s"],
            warmup=opts["warmup"],
            timeout_s=opts["query_timeout_s"],
            rss_mb=opts.get("query_rss_mb", 0),
        )

    _stop_guards()
    _phase("export", started)
    out["exports"] = {}
    for fmt in EXPORT_FORMATS:
        if out["quads"] > opts.get("export_max_quads", DEFAULT_EXPORT_MAX_QUADS):
            out["exports"][fmt] = {"skipped": f"more than {opts.get('export_max_quads'):,} quads (--export-max-quads)"}
            continue
        t0 = time.perf_counter()
        text = serialize(ds, fmt)
        entry = {"s": time.perf_counter() - t0, "bytes": len(text.encode("utf-8"))}
        if fmt == "nquads":
            entry["sha256_normalised"] = _normalised_nquads_sha256(text)
            entry["literal_datatypes"] = dict(sorted(Counter(_DATATYPE.findall(text)).items()))
        out["exports"][fmt] = entry
        del text
    if store == "oxigraph":
        out["native_exports"] = _native_exports(ds)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _native_exports(ds) -> dict:
    """Oxigraph's own serialisers (no rdflib in the loop), for comparison."""
    import pyoxigraph as ox

    inner = ds.store._inner
    result = {}
    with tempfile.TemporaryDirectory(prefix="unionkg-bench-") as tmp:
        for name, fmt in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
            path = Path(tmp) / f"dump.{name}"
            t0 = time.perf_counter()
            inner.dump(output=str(path), format=fmt)
            result[name] = {"s": time.perf_counter() - t0, "bytes": path.stat().st_size}
            path.unlink()
    return result


def _manifest_expectations(corpus: Path) -> dict | None:
    from bench.generate import MANIFEST

    path = corpus / MANIFEST
    if not path.exists():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    docs = manifest["documents"]
    return {
        "measures": sum(d["measures"] for d in docs),
        "jurisdictions": {d["file"]: d["jurisdiction"] for d in docs},
        "manifest": manifest,
    }


def measure_end_to_end(corpus: Path, jobs: int, store: str = "oxigraph") -> dict:
    """`kg.run.run_build` as `kg build` runs it (a clean build writing out/ and its views, the store on disk),
    `jobs` processes.

    Peak RSS: the main process, and the largest worker where the OS reports it (``ru_maxrss`` of waited-for
    children; forkserver workers are not the main process's children, so 0 there).
    """
    from kg.run import run_build
    from kg.surface.views import write_views

    kwargs = {"jobs": jobs} if "jobs" in inspect.signature(run_build).parameters else {}
    if "after_build" in inspect.signature(run_build).parameters:  # the views, as `kg build` writes them
        kwargs["after_build"] = lambda ds, folder: write_views(ds, folder / "views", text_dir=folder / "text")
    if "store" in inspect.signature(run_build).parameters:
        kwargs.update(store=store, incremental=False)
    phases: dict[str, float] = {}
    t0 = time.perf_counter()

    def progress(p) -> None:
        if getattr(p, "done", 0) == getattr(p, "total", -1):
            phases["documents_s"] = time.perf_counter() - t0

    if "on_progress" in inspect.signature(run_build).parameters:
        kwargs["on_progress"] = progress
    with tempfile.TemporaryDirectory(prefix="unionkg-bench-", dir=corpus.parent) as tmp:
        t0 = time.perf_counter()
        report = run_build(corpus, Path(tmp) / "out", **kwargs)
        seconds = time.perf_counter() - t0
        out_mb = sum(p.stat().st_size for p in (Path(tmp) / "out").rglob("*") if p.is_file()) / 1e6
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "store": kwargs.get("store", "memory"),
        "jobs": kwargs.get("jobs", "sequential (run_build has no jobs parameter yet)"),
        "seconds": seconds,
        "documents_s": phases.get("documents_s"),
        "documents": report.documents,
        "triples": report.triples,
        "out_mb": out_mb,
        "peak_rss_mb": _peak_rss_mb(),
        "peak_rss_worker_mb": children / 1e6 if sys.platform == "darwin" else children * 1024 / 1e6,
    }


# --- the parent: corpora, one process per measurement, watchdog, reports ----------------------------


def _child_command(kind: str, corpus: Path, result: Path, opts: dict) -> list[str]:
    return [sys.executable, "-m", "bench.run", "--child", kind, str(corpus), str(result), json.dumps(opts)]


def run_child(kind: str, corpus: Path, opts: dict, *, max_rss_mb: float, timeout_s: float) -> dict:
    """Run one measurement in a fresh interpreter; kill it past `max_rss_mb` or `timeout_s`."""
    with tempfile.TemporaryDirectory(prefix="unionkg-bench-") as tmp:
        result = Path(tmp) / "result.json"
        log = Path(tmp) / "stderr.txt"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        with open(log, "wb") as err:
            proc = subprocess.Popen(_child_command(kind, corpus, result, opts), cwd=ROOT, env=env, stderr=err)
            started, peak, reason = time.monotonic(), 0.0, None
            while proc.poll() is None:
                rss = _child_rss_mb(proc.pid)
                peak = max(peak, rss)
                if rss > max_rss_mb:
                    reason = f"killed: resident memory above {max_rss_mb / 1000:.1f} GB"
                elif time.monotonic() - started > timeout_s:
                    reason = f"killed: still running after {timeout_s:.0f} s"
                if reason:
                    proc.kill()
                    proc.wait()
                    break
                time.sleep(0.2)
        wall = time.monotonic() - started
        if reason is None and proc.returncode == 0 and result.exists():
            data = json.loads(result.read_text(encoding="utf-8"))
            data["wall_s"] = wall
            return data
        lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        phase = next((ln[len("phase: ") :] for ln in reversed(lines) if ln.startswith("phase: ")), None)
        tail = [ln for ln in lines if not ln.startswith("phase: ")][-3:]
        if reason and phase:
            reason += f" (in phase {phase})"
        return {
            "store": kind,
            "error": reason or f"exit code {proc.returncode}: {' | '.join(tail)[:400]}",
            "wall_s": wall,
            "peak_rss_mb": peak,
        }


def _child_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def prepare_corpus(size: int, seed: int, work: Path) -> tuple[Path, float]:
    """The generated corpus of `size` documents (reused when an identical one is already there)."""
    from bench.generate import GENERATOR_VERSION, MANIFEST, generate_corpus

    folder = work / f"corpus-s{seed}-n{size}"
    manifest = folder / MANIFEST
    if manifest.exists():
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        if (meta.get("generator_version"), meta.get("seed"), meta.get("docs")) == (GENERATOR_VERSION, seed, size):
            return folder, float("nan")
    t0 = time.perf_counter()
    generate_corpus(size, seed, folder)
    return folder, time.perf_counter() - t0


def machine_info() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor()
    try:
        cpu = next(
            ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln
        )
    except (OSError, StopIteration):
        pass
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError):
        mem_gb = float("nan")
    versions = {}
    for pkg in ("rdflib", "pyoxigraph", "oxrdflib", "spacy"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def ratios(memory: dict, oxigraph: dict) -> dict:
    """memory / oxigraph for every comparable figure (> 1: Oxigraph is cheaper)."""
    if "error" in memory or "error" in oxigraph:
        return {}

    def r(a, b):
        return a / b if a is not None and b not in (None, 0) else None

    out = {
        "build_s": r(memory["build_s"], oxigraph["build_s"]),
        "total_build_s": r(memory["total_build_s"], oxigraph["total_build_s"]),
        "peak_rss_mb": r(memory["peak_rss_mb"], oxigraph["peak_rss_mb"]),
        "peak_rss_build_mb": r(memory["peak_rss_build_mb"], oxigraph["peak_rss_build_mb"]),
        "store_rss_mb": r(memory["store_rss_mb"], oxigraph["store_rss_mb"]),
        "triples": r(memory["triples"], oxigraph["triples"]),
        "queries": {},
        "exports": {},
    }
    for label, m in memory["queries"].items():
        o = oxigraph["queries"].get(label, {})
        if "p50_s" in m and "p50_s" in o:
            out["queries"][label] = {"p50": r(m["p50_s"], o["p50_s"]), "p95": r(m["p95_s"], o["p95_s"])}
    for fmt in memory["exports"]:
        out["exports"][fmt] = r(_export_s(memory, fmt), _export_s(oxigraph, fmt))
    return out


def _linear_at(x: float, points: list[tuple[float, float]]) -> float:
    """y at `x` on the straight line through two points (through the origin for one point)."""
    if len(points) == 1:
        (x1, y1) = points[0]
        return y1 * x / x1
    (x1, y1), (x2, y2) = points[-2:]
    return y1 + (y2 - y1) / (x2 - x1) * (x - x1)


def _loglog_slope(points: list[tuple[float, float]]) -> float | None:
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def _at_triples(points: list[tuple[float, float]], target: float) -> tuple[float | None, str]:
    """A cost at `target` triples: measured if a run is within 10 %, else log-log interpolated/extrapolated."""
    pts = sorted((t, v) for t, v in points if t and v is not None and v > 0)
    if not pts:
        return None, "not measured"
    near = [p for p in pts if abs(p[0] - target) <= 0.1 * target]
    if near:
        t, v = min(near, key=lambda p: abs(p[0] - target))
        return v, f"measured at {t:,.0f} triples"
    below = [p for p in pts if p[0] < target]
    above = [p for p in pts if p[0] > target]
    if below and above:
        (t1, v1), (t2, v2) = below[-1], above[0]
        how = "interpolated"
    elif len(pts) >= 2:
        (t1, v1), (t2, v2) = (pts[-2], pts[-1]) if below else (pts[0], pts[1])
        how = "extrapolated"
    else:
        return None, "one size only"
    k = (math.log(v2) - math.log(v1)) / (math.log(t2) - math.log(t1))
    value = math.exp(math.log(v1) + k * (math.log(target) - math.log(t1)))
    return value, f"{how} between {t1:,.0f} and {t2:,.0f} triples"


def evaluate_goals(runs: list[dict]) -> list[dict]:
    """The goals of bench/README.md, met or missed, per store, with the margin."""
    goals = []
    for store in STORE_NAMES:
        ok_runs = [r for r in runs if "error" not in r["stores"].get(store, {"error": 1})]
        if not ok_runs:
            continue
        by_docs = {r["docs"]: r["stores"][store] for r in ok_runs}
        # 1. 10,000 documents: build <= 5 min, peak <= 4 GB
        if GOAL_DOCS in by_docs:
            m = by_docs[GOAL_DOCS]
            build_s, peak_gb, how = m["total_build_s"], m["peak_rss_build_mb"] / 1000, "measured"
        else:
            failed = next((r for r in runs if r["docs"] == GOAL_DOCS and "error" in r["stores"].get(store, {})), None)
            sizes = sorted(by_docs)[-2:]
            build_s = _linear_at(GOAL_DOCS, [(d, by_docs[d]["total_build_s"]) for d in sizes])
            peak_gb = _linear_at(GOAL_DOCS, [(d, by_docs[d]["peak_rss_build_mb"]) for d in sizes]) / 1000
            how = "extrapolated linearly from " + " and ".join(f"{d:,}" for d in sizes) + " documents"
            if failed:
                how = f"{failed['stores'][store]['error']} at {GOAL_DOCS:,}; " + how
            elif any(r["docs"] == GOAL_DOCS for r in runs):
                how = f"not run at {GOAL_DOCS:,}; " + how
        goals.append(
            {
                "store": store,
                "goal": f"{GOAL_DOCS:,} documents build in <= {GOAL_BUILD_S / 60:.0f} min",
                "value": f"{build_s:,.0f} s",
                "met": build_s <= GOAL_BUILD_S,
                "margin": f"{build_s / GOAL_BUILD_S:.2f}x the limit",
                "how": how,
            }
        )
        goals.append(
            {
                "store": store,
                "goal": f"{GOAL_DOCS:,} documents build with <= {GOAL_PEAK_GB:g} GB peak memory",
                "value": f"{peak_gb:.1f} GB",
                "met": peak_gb <= GOAL_PEAK_GB,
                "margin": f"{peak_gb / GOAL_PEAK_GB:.2f}x the limit",
                "how": how,
            }
        )
        # 2. build time linear in documents
        pts = [(d, m["total_build_s"]) for d, m in sorted(by_docs.items()) if d >= 100] or [
            (d, m["total_build_s"]) for d, m in sorted(by_docs.items())
        ]
        slope = _loglog_slope(pts)
        if slope is not None:
            goals.append(
                {
                    "store": store,
                    "goal": "build time linear in documents",
                    "value": f"log-log slope {slope:.2f}",
                    "met": slope <= LINEAR_SLOPE_MAX,
                    "margin": f"slope {slope:.2f} vs 1.00 (accepted up to {LINEAR_SLOPE_MAX})",
                    "how": "sizes " + ", ".join(f"{d:,}" for d, _ in pts),
                }
            )
        # 3. at 1M triples: shared-programmes p50 <= 0.2 s (Oxigraph), Turtle export <= 3 s
        qpts = [(m["triples"] or m["quads"], m["queries"].get(GOAL_QUERY, {}).get("p50_s")) for m in by_docs.values()]
        value, how = _at_triples(qpts, GOAL_TRIPLES)
        if value is not None:
            goals.append(
                {
                    "store": store,
                    "goal": f"{GOAL_QUERY} p50 <= {GOAL_QUERY_P50_S} s at 1M triples"
                    + (" (the goal is set for Oxigraph)" if store != "oxigraph" else ""),
                    "value": f"{value:.3f} s",
                    "met": value <= GOAL_QUERY_P50_S,
                    "margin": f"{value / GOAL_QUERY_P50_S:.2f}x the limit",
                    "how": how,
                }
            )
        tpts = [(m["triples"] or m["quads"], _export_s(m, "turtle")) for m in by_docs.values()]
        value, how = _at_triples(tpts, GOAL_TRIPLES)
        if value is not None:
            goals.append(
                {
                    "store": store,
                    "goal": f"Turtle export (kg.surface.export) <= {GOAL_TURTLE_S:g} s at 1M triples",
                    "value": f"{value:.1f} s",
                    "met": value <= GOAL_TURTLE_S,
                    "margin": f"{value / GOAL_TURTLE_S:.2f}x the limit",
                    "how": how,
                }
            )
    return goals


# --- reports -------------------------------------------------------------------------------------------


def _fmt(value, unit: str = "", digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    if abs(value) >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:.{digits}g}{unit}"


def _ratio(value) -> str:
    return "–" if value is None else f"{value:.2f}×"


def markdown_report(results: dict) -> str:
    lines = ["# unionkg benchmark results", ""]
    mach = results["machine"]
    lines += [
        f"Machine: {mach['cpus']} CPUs ({mach['cpu']}), {mach['memory_gb']} GB RAM; Python {mach['python']}, "
        f"rdflib {mach['rdflib']}, pyoxigraph {mach['pyoxigraph']}, oxrdflib {mach['oxrdflib']}.",
        f"Seed {results['seed']}; sizes {', '.join(str(r['docs']) for r in results['runs'])}; queries timed "
        f"{results['options']['min_runs']}–{results['options']['max_runs']} runs"
        f"{' after one warm-up run' if results['options']['warmup'] else ''}. "
        "Ratio = memory / oxigraph (above 1: Oxigraph is cheaper).",
        "",
        "## Scaling",
        "",
        "| docs | input MB | store | triples | extract s | store build s | docs/s | MB/s | peak RSS MB "
        "| shared-programmes p50 s | Turtle export s | N-Quads export s |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        for store in results["stores"]:
            m = run["stores"].get(store, {})
            if not m:
                lines.append(
                    f"| {run['docs']:,} | {run['input_bytes'] / 1e6:.1f} | {store} | not run | | | | | | | | |"
                )
                continue
            if "error" in m:
                lines.append(
                    f"| {run['docs']:,} | {run['input_bytes'] / 1e6:.1f} | {store} | {m['error']} "
                    f"(after {m.get('wall_s', 0):.0f} s, RSS {m.get('peak_rss_mb', 0):,.0f} MB) | | | | | | | | |"
                )
                continue
            q = m["queries"].get(GOAL_QUERY, {})
            lines.append(
                f"| {run['docs']:,} | {run['input_bytes'] / 1e6:.1f} | {store} | {_triples_cell(m)} | "
                f"{_fmt(m['extract_s'])} | {_fmt(m['build_s'])} | {_fmt(m['docs_per_s'])} | {_fmt(m['mb_per_s'])} | "
                f"{_fmt(m['peak_rss_build_mb'])} | {_fmt(q.get('p50_s'))} | {_fmt(_export_s(m, 'turtle'))} | "
                f"{_fmt(_export_s(m, 'nquads'))} |"
            )
    lines += ["", "Peak RSS is the measurement process's maximum resident memory once the graph is built"]
    lines[-1] += " (Python, spaCy, the records and the store)."
    if results.get("end_to_end"):
        lines += ["", "`kg.run.run_build` end to end (writes out/ as `kg build` does):", ""]
        for e in results["end_to_end"]:
            lines.append(
                f"- {e['docs']:,} docs: "
                + (
                    e["error"]
                    if "error" in e
                    else f"{e['seconds']:.1f} s ({_fmt(e.get('documents_s'))} s until the last document), "
                    f"jobs: {e['jobs']}, store: {e.get('store', 'memory')}, {e['triples']:,} triples, "
                    f"peak RSS {_fmt(e.get('peak_rss_mb'))} MB (main process"
                    + (f"; largest worker {_fmt(e['peak_rss_worker_mb'])} MB)" if e.get("peak_rss_worker_mb") else ")")
                )
            )
    lines += ["", "## Goals", "", "| store | goal | value | met | margin | how |", "|---|---|---|---|---|---|"]
    for g in results["goals"]:
        met = "met" if g["met"] else "**missed**"
        lines.append(f"| {g['store']} | {g['goal']} | {g['value']} | {met} | {g['margin']} | {g['how']} |")
    for run in results["runs"]:
        lines += ["", f"## {run['docs']:,} documents ({run['input_bytes'] / 1e6:.1f} MB)", ""]
        if run.get("options", {}).get("queries") is False:
            lines += [
                "Build, memory and native exports only (`--skip-queries`; kg.surface.export above --export-max-quads).",
                "",
            ]
        mem, ox = run["stores"].get("memory", {}), run["stores"].get("oxigraph", {})
        ratio = run.get("ratios", {})
        if "error" in mem or "error" in ox:
            for store, m in run["stores"].items():
                if "error" in m:
                    lines.append(f"- {store}: {m['error']}")
            lines.append("")
        lines += ["| figure | memory | oxigraph | ratio |", "|---|---:|---:|---:|"]

        def row(name, key, unit="", _mem=mem, _ox=ox, _ratio=ratio, _lines=lines):
            _lines.append(
                f"| {name} | {_fmt(_mem.get(key), unit)} | {_fmt(_ox.get(key), unit)} | {_ratio_cell(_ratio, key)} |"
            )

        row("extraction s", "extract_s")
        row("store build s", "build_s")
        row("total build s", "total_build_s")
        row("documents/s", "docs_per_s")
        row("input MB/s", "mb_per_s")
        row("triples", "triples")
        row("quads", "quads")
        row("store RSS MB (after build − before)", "store_rss_mb")
        row("peak RSS MB after build", "peak_rss_build_mb")
        row("peak RSS MB incl. queries and export", "peak_rss_mb")
        for fmt in EXPORT_FORMATS:
            ms, os_ = _export_s(mem, fmt), _export_s(ox, fmt)
            lines.append(
                f"| export {fmt} s (kg.surface.export) | {_fmt(ms)} | {_fmt(os_)} | {_ratio(ratio.get('exports', {}).get(fmt))} |"
            )
        for fmt, e in ox.get("native_exports", {}).items():
            lines.append(f"| export {fmt} s (Oxigraph native dump) | | {_fmt(e['s'])} | |")
        if mem.get("exports") and ox.get("exports"):
            lines.append(f"| same N-Quads (modulo ^^xsd:string) | {same_nquads(mem, ox)} | | |")
        if "measures_expected" in (mem or ox):
            m = mem if "measures_expected" in mem else ox
            lines.append(f"| measures found / generated | {m['measures_found']:,} / {m['measures_expected']:,} | | |")
            lines.append(f"| jurisdiction as generated | {m['jurisdiction_match']:.1%} | | |")
            if m.get("exact_by_genre"):
                by_genre = ", ".join(f"{g} {e}/{d}" for g, (e, d) in m["exact_by_genre"].items())
                lines.append(f"| documents with exactly the generated measures, by genre | {by_genre} | | |")
        labels = list(dict.fromkeys([*mem.get("queries", {}), *ox.get("queries", {})]))
        if labels:
            lines += [
                "",
                "| query | memory p50 s | memory p95 s | oxigraph p50 s | oxigraph p95 s | p50 ratio | rows | runs |",
                "|---|---:|---:|---:|---:|---:|---:|---|",
            ]
        for label in labels:
            a, b = mem.get("queries", {}).get(label, {}), ox.get("queries", {}).get(label, {})
            rows = {a.get("rows"), b.get("rows")} - {None}
            rows_cell = (
                "–" if not rows else str(rows.pop()) if len(rows) == 1 else f"**{a.get('rows')} ≠ {b.get('rows')}**"
            )
            err = "; ".join(f"{s}: {q['error']}" for s, q in (("memory", a), ("oxigraph", b)) if "error" in q)
            lines.append(
                f"| {label.replace('|', '/')} | {_fmt(a.get('p50_s'))} | {_fmt(a.get('p95_s'))} | {_fmt(b.get('p50_s'))} | "
                f"{_fmt(b.get('p95_s'))} | {_ratio(ratio.get('queries', {}).get(label, {}).get('p50'))} | {rows_cell} | "
                f"{a.get('runs', '–')}/{b.get('runs', '–')}{(' ' + err) if err else ''} |"
            )
    return "\n".join(lines) + "\n"


def same_nquads(memory: dict, oxigraph: dict) -> str:
    """ "yes", or "no" and the literal datatypes whose counts differ between the two exports."""
    a, b = memory["exports"]["nquads"], oxigraph["exports"]["nquads"]
    if "sha256_normalised" not in a or "sha256_normalised" not in b:
        return "not compared (export skipped)"
    if a["sha256_normalised"] == b["sha256_normalised"]:
        return "yes"
    da, db = a.get("literal_datatypes", {}), b.get("literal_datatypes", {})
    da, db = ({k: v for k, v in d.items() if k != "string"} for d in (da, db))  # plain = ^^xsd:string
    diff = [f"xsd:{t} {da.get(t, 0):,}→{db.get(t, 0):,}" for t in sorted(set(da) | set(db)) if da.get(t) != db.get(t)]
    return "**no**" + (f" (literals by datatype, memory→oxigraph: {', '.join(diff)})" if diff else "")


def _triples_cell(m: dict) -> str:
    return f"{m['triples']:,}" if m.get("triples") is not None else f"({m['quads']:,} quads)"


def _export_s(m: dict, fmt: str) -> float | None:
    """Seconds of an export, None when it was skipped or the measurement failed."""
    return m.get("exports", {}).get(fmt, {}).get("s")


def _ratio_cell(ratio: dict, key: str) -> str:
    return _ratio(ratio.get(key)) if key in ratio else ""


def scaling_svg(results: dict) -> str:
    """Four log-log panels (build s, peak RSS MB, shared-programmes p50 s, Turtle export s) against docs."""
    panels = [
        ("total build (s)", lambda m: m["total_build_s"]),
        ("peak RSS after build (MB)", lambda m: m["peak_rss_build_mb"]),
        (f"{GOAL_QUERY} p50 (s)", lambda m: m["queries"].get(GOAL_QUERY, {}).get("p50_s")),
        ("Turtle export (s)", lambda m: _export_s(m, "turtle")),
    ]
    colours = {"memory": "#d95f02", "oxigraph": "#1b9e77"}
    pw, ph, ml, mt, gap = 330, 230, 60, 40, 30
    width, height = 2 * (pw + ml) + gap + 30, 2 * (ph + mt + 40) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13">unionkg: cost against corpus size '
        "(log-log; documents on x)</text>",
    ]
    for i, (title, get) in enumerate(panels):
        ox0 = ml + (i % 2) * (pw + ml + gap)
        oy0 = 30 + mt + (i // 2) * (ph + mt + 40)
        series = {}
        for store in results["stores"]:
            pts = []
            for run in results["runs"]:
                m = run["stores"].get(store, {})
                if "error" not in m and m:
                    v = get(m)
                    if v and v > 0:
                        pts.append((run["docs"], v))
            series[store] = pts
        allpts = [p for pts in series.values() for p in pts]
        out.append(f'<text x="{ox0 + pw / 2}" y="{oy0 - 10}" text-anchor="middle" font-size="12">{title}</text>')
        out.append(f'<rect x="{ox0}" y="{oy0}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
        if not allpts:
            continue
        xs = [math.log10(x) for x, _ in allpts]
        ys = [math.log10(y) for _, y in allpts]
        x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
        y0, y1 = math.floor(min(ys)), math.ceil(max(ys))
        x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

        def px(x, _x0=x0, _x1=x1, _ox=ox0):
            return _ox + (math.log10(x) - _x0) / (_x1 - _x0) * pw

        def py(y, _y0=y0, _y1=y1, _oy=oy0):
            return _oy + ph - (math.log10(y) - _y0) / (_y1 - _y0) * ph

        for e in range(x0, x1 + 1):
            x = px(10**e)
            out.append(f'<line x1="{x:.1f}" y1="{oy0}" x2="{x:.1f}" y2="{oy0 + ph}" stroke="#eee"/>')
            out.append(f'<text x="{x:.1f}" y="{oy0 + ph + 14}" text-anchor="middle">{10**e:,}</text>')
        for e in range(y0, y1 + 1):
            y = py(10**e)
            label = f"{10**e:,}" if e >= 0 else f"{10**e:g}"
            out.append(f'<line x1="{ox0}" y1="{y:.1f}" x2="{ox0 + pw}" y2="{y:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{ox0 - 4}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
        for store, pts in series.items():
            c = colours.get(store, "#555")
            if len(pts) > 1:
                path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
                out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
            for x, y in pts:
                out.append(
                    f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}"><title>{store}: {x:,} docs, {y:.3g}</title></circle>'
                )
    lx = ml
    for store in results["stores"]:
        c = colours.get(store, "#555")
        out.append(f'<rect x="{lx}" y="{height - 18}" width="12" height="4" fill="{c}"/>')
        out.append(f'<text x="{lx + 16}" y="{height - 13}">{store}</text>')
        lx += 110
    out.append("</svg>")
    return "\n".join(out) + "\n"


def merge_results(old: dict, new: dict) -> dict:
    """`new` added to `old`: a size measured in both gets the stores of both (new ones win)."""
    merged = dict(old)
    runs = {r["docs"]: r for r in old["runs"]}
    for run in new["runs"]:
        if run["docs"] in runs:
            target = dict(runs[run["docs"]])
            target["stores"] = {**target["stores"], **run["stores"]}
            runs[run["docs"]] = target
        else:
            runs[run["docs"]] = run
        r = runs[run["docs"]]
        if "memory" in r["stores"] and "oxigraph" in r["stores"]:
            r["ratios"] = ratios(r["stores"]["memory"], r["stores"]["oxigraph"])
    merged["runs"] = [runs[d] for d in sorted(runs)]
    merged["stores"] = [s for s in STORE_NAMES if s in set(old["stores"]) | set(new["stores"])]
    merged["end_to_end"] = old.get("end_to_end", []) + new.get("end_to_end", [])
    merged["goals"] = evaluate_goals(merged["runs"])
    return merged


def write_reports(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "results.md").write_text(markdown_report(results), encoding="utf-8")
    (out / "scaling.svg").write_text(scaling_svg(results), encoding="utf-8")


def run_benchmark(args: argparse.Namespace) -> dict:
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    for s in stores:
        if s not in STORE_NAMES:
            raise SystemExit(f"unknown store {s!r}; choose from {', '.join(STORE_NAMES)}")
    if args.jobs > 1:
        from kg.run import run_build

        if "jobs" not in inspect.signature(run_build).parameters:
            print(
                "note: --jobs: kg.run.run_build has no jobs parameter yet; measuring the sequential build",
                file=sys.stderr,
            )
    opts = {
        "min_runs": args.min_runs,
        "max_runs": max(args.max_runs, args.min_runs),
        "budget_s": args.query_budget,
        "warmup": not args.no_warmup,
        "query_timeout_s": args.query_timeout,
        "query_rss_mb": args.max_rss_gb * 1000 * 0.85,
        "export_max_quads": args.export_max_quads,
        "queries": not args.skip_queries,
        "jobs": args.jobs,
        "end_to_end_store": stores[0] if stores else "oxigraph",
    }
    results: dict = {
        "seed": args.seed,
        "stores": stores,
        "options": opts,
        "machine": machine_info(),
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "runs": [],
        "end_to_end": [],
    }
    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    previous = None
    if args.append and (args.out / "results.json").exists():
        previous = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
    for size in sizes:
        corpus, gen_s = prepare_corpus(size, args.seed, args.work)
        files = corpus_files(corpus)
        run = {
            "docs": size,
            "input_bytes": sum(p.stat().st_size for p in files),
            "generate_s": None if math.isnan(gen_s) else gen_s,
            "corpus": str(corpus),
            "options": opts,
            "stores": {},
        }
        for store in [] if args.end_to_end_only else stores:
            print(f"[{size:,} docs] {store} …", file=sys.stderr, flush=True)
            m = run_child(store, corpus, opts, max_rss_mb=args.max_rss_gb * 1000, timeout_s=args.timeout)
            run["stores"][store] = m
            if "error" in m:
                print(f"[{size:,} docs] {store}: {m['error']}", file=sys.stderr)
            else:
                print(
                    f"[{size:,} docs] {store}: build {m['total_build_s']:.1f} s, {m.get('triples') or m['quads']:,} triples, "
                    f"peak {m['peak_rss_build_mb']:,.0f} MB",
                    file=sys.stderr,
                )
        if "memory" in run["stores"] and "oxigraph" in run["stores"]:
            run["ratios"] = ratios(run["stores"]["memory"], run["stores"]["oxigraph"])
        results["runs"].append(run)
        if args.end_to_end or args.end_to_end_only or args.jobs > 1:
            print(f"[{size:,} docs] end to end, jobs {args.jobs} …", file=sys.stderr, flush=True)
            e = run_child("end-to-end", corpus, opts, max_rss_mb=args.max_rss_gb * 1000, timeout_s=args.timeout)
            e["docs"] = size
            results["end_to_end"].append(e)
            if "error" not in e:
                print(f"[{size:,} docs] end to end: {e['seconds']:.1f} s", file=sys.stderr, flush=True)
        results["goals"] = evaluate_goals(results["runs"])
        write_reports(merge_results(previous, results) if previous else results, args.out)  # partial results
    results["goals"] = evaluate_goals(results["runs"])
    if previous:
        results = merge_results(previous, results)
    write_reports(results, args.out)
    return results


def _child_main(kind: str, corpus: str, result: str, opts_json: str) -> int:
    opts = json.loads(opts_json)
    try:
        if kind == "end-to-end":
            data = measure_end_to_end(Path(corpus), opts.get("jobs", 1), opts.get("end_to_end_store", "oxigraph"))
        else:
            data = measure(kind, Path(corpus), opts)
    finally:
        _stop_guards()
    Path(result).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return 0


def _total_memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError):
        return 8.0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        return _child_main(*argv[1:5])
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="corpus sizes, e.g. 10,100,1000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stores", default=",".join(STORE_NAMES), help="memory,oxigraph (default: both)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results.json/.md and scaling.svg go")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where generated corpora are kept")
    parser.add_argument("--min-runs", type=int, default=5, help="timed runs per query, at least")
    parser.add_argument("--max-runs", type=int, default=20, help="timed runs per query, at most")
    parser.add_argument("--query-budget", type=float, default=5.0, help="seconds per query after --min-runs")
    parser.add_argument("--query-timeout", type=float, default=60.0, help="abandon a query run after this (s)")
    parser.add_argument("--no-warmup", action="store_true", help="time the first run of every query too")
    parser.add_argument(
        "--max-rss-gb",
        type=float,
        default=round(min(16.0, 0.6 * _total_memory_gb()), 1),
        help="kill a measurement above this resident memory (default: 60%% of RAM, at most 16)",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="kill a measurement after this many seconds")
    parser.add_argument(
        "--export-max-quads",
        type=int,
        default=DEFAULT_EXPORT_MAX_QUADS,
        help="skip the kg.surface.export timings above this many quads (Turtle is slow and copies the graph)",
    )
    parser.add_argument("--append", action="store_true", help="add to OUT/results.json instead of replacing it")
    parser.add_argument("--skip-queries", action="store_true", help="measure build, memory and exports only")
    parser.add_argument("--jobs", type=int, default=1, help="processes for extraction (and for run_build end to end)")
    parser.add_argument(
        "--end-to-end", action="store_true", help="also time kg.run.run_build (on the first of --stores)"
    )
    parser.add_argument("--end-to-end-only", action="store_true", help="time kg.run.run_build only")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite results.md and scaling.svg from OUT/results.json"
    )
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        results["goals"] = evaluate_goals(results["runs"])
        write_reports(results, args.out)
        print(f"wrote {args.out / 'results.md'}", file=sys.stderr)
        return 0
    results = run_benchmark(args)
    print(f"wrote {args.out / 'results.md'}", file=sys.stderr)
    failed = [f"{r['docs']}:{s}" for r in results["runs"] for s, m in r["stores"].items() if "error" in m]
    if failed:
        print(f"some measurements did not finish: {', '.join(failed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
