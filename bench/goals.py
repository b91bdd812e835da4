"""The performance goals of issue #15, measured side by side in one run: what `make bench` runs.

    python -m bench.goals                                   # sizes 50 and 100, Dask at 1,000 (make bench)
    python -m bench.goals --sizes 1000,10000 --dask-docs 1000   # the full run the goals are stated for
    python -m bench.goals --sizes 5 --jobs 1 --dask-docs 0 --no-overview   # the smoke test of `make test`

Per size: a clean `kg build --jobs J` (kg.run.run_build with the CLI's views, in a child process whose
process tree is sampled for the sum of resident memory), its phases, out/ by folder; the floor (spaCy's
character tokeniser over the same texts on J processes + pyoxigraph ``bulk_load`` of the same graph.trig);
extraction per core (process_file, one process); ``kg export`` as Turtle and N-Quads (twice: deterministic?);
shared-programmes through kg's query path and through raw pyoxigraph; an incremental rebuild after one
document changed (byte-identical to a clean build of the changed corpus at the smallest size); the overview
opening in headless Chromium. Then a build on a local Dask cluster (``--dask-docs``), byte-identical to the
local build. Goals stated for 10,000 documents or 1 M triples are judged on figures scaled linearly from the
largest size measured (said so in the row). Writes ``goals.json`` and ``goals.md`` in --out and the goals
section of bench/README.md. Figures only: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["GOALS", "evaluate", "main", "markdown", "measure_size"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "bench" / "results"
DEFAULT_WORK = ROOT / "bench" / ".work"
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- goals:begin (written by python -m bench.goals) -->", "<!-- goals:end -->"
OUTPUTS = ("graph.trig", "extract.jsonl", "summary.json")
GOAL_DOCS, GOAL_TRIPLES = 10_000, 1_000_000
#: key -> (what, goal, "<=" or ">=", unit)
GOALS = {
    "build_s": ("clean `kg build --jobs 2` of 10,000 documents, end to end", 120.0, "<=", "s"),
    "floor_ratio": ("the same, against the floor measured in the same run", 3.0, "<=", "×"),
    "peak_gb": ("peak memory, all processes", 4.0, "<=", "GB"),
    "out_gb": ("out/ at 10,000 documents", 4.0, "<=", "GB"),
    "views_mb": ("views at 10,000 documents", 50.0, "<=", "MB"),
    "incremental_s": ("incremental rebuild after changing one document of 10,000", 10.0, "<=", "s"),
    "chars_per_core": ("extraction per core", 0.5, ">=", "M chars/s"),
    "export_turtle_s": ("`kg export --format turtle` at 1 M triples, deterministic", 3.0, "<=", "s"),
    "export_nquads_s": ("`kg export --format nquads` at 1 M triples, deterministic", 3.0, "<=", "s"),
    "query_p50_s": ("shared-programmes p50 at 1 M triples through kg's query path", 0.2, "<=", "s"),
    "query_vs_raw": ("… against raw pyoxigraph", 1.2, "<=", "×"),
    "overview_s": ("10,000-document overview opening in headless Chromium", 3.0, "<=", "s"),
    "slope": ("cost against documents (log-log slope of the clean build)", 1.05, "<=", ""),
}


# ---------------------------------------------------------------- children (python -m bench.goals --child …)


def _child_build(corpus: str, out: str, jobs: str, scheduler: str, incremental: str, views: str) -> dict:
    from kg.run import run_build
    from kg.surface.views import write_build_views

    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def progress(_p) -> None:
        marks["docs_end"] = time.perf_counter()

    def after(ds, folder) -> None:
        marks["views_start"] = time.perf_counter()
        write_build_views(ds, folder)
        marks["views_end"] = time.perf_counter()

    report = run_build(
        Path(corpus), Path(out), jobs=int(jobs), scheduler=scheduler or None, incremental=incremental == "1",
        on_progress=progress, after_build=after if views == "1" else None,
    )  # fmt: skip
    total = time.perf_counter() - t0
    docs_end = marks.get("docs_end", t0)
    views_start = marks.get("views_start", t0 + total)
    import resource

    return {
        "in_process_s": total,
        "documents_phase_s": docs_end - t0,
        "graph_files_store_summary_s": views_start - docs_end,
        "views_s": marks.get("views_end", views_start) - views_start,
        "publish_s": t0 + total - marks.get("views_end", views_start),
        "documents": report.documents,
        "extracted": report.extracted,
        "reused": report.reused,
        "triples": report.triples,
        "main_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _nlp_init() -> None:  # pragma: no cover - in the floor's worker processes
    global _NLP
    import spacy

    _NLP = spacy.blank("zh")  # the character segmenter


def _tokens(texts: list[str]) -> int:  # pragma: no cover - in the floor's worker processes
    return sum(len(doc) for doc in _NLP.pipe(texts))


def _child_floor(out: str, jobs: str) -> dict:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import pyoxigraph as ox

    texts = [p.read_text(encoding="utf-8") for p in sorted((Path(out) / "text").glob("*.txt"))]
    n = max(1, int(jobs))
    chunks = [texts[i::n] for i in range(n)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"), initializer=_nlp_init) as pool:
        tokens = sum(pool.map(_tokens, chunks))
    t1 = time.perf_counter()
    folder = tempfile.mkdtemp(prefix="unionkg-floor-")
    try:
        store = ox.Store(folder)
        store.bulk_load(path=str(Path(out) / "graph.trig"), format=ox.RdfFormat.TRIG)
        store.flush()
        t2 = time.perf_counter()
        quads = len(store)
        del store
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    chars = sum(len(t) for t in texts)
    return {
        "tokenise_s": t1 - t0,
        "bulk_load_s": t2 - t1,
        "floor_s": t2 - t0,
        "chars": chars,
        "tokens": tokens,
        "quads": quads,
    }


def _child_extract(corpus: str, limit: str) -> dict:
    from bench.run import corpus_files
    from kg.pipeline.components import process_file

    files = corpus_files(Path(corpus))[: int(limit)]
    process_file(files[0])  # the pipeline loaded
    t0 = time.perf_counter()
    chars = sum(len(process_file(f).text) for f in files)
    seconds = time.perf_counter() - t0
    return {"docs": len(files), "chars": chars, "seconds": seconds, "chars_per_s": chars / seconds}


def _child_query(out: str, runs: str) -> dict:
    import pyoxigraph as ox

    from kg.graph.queries import load_query, result_rows, run_query
    from kg.graph.store import close_store
    from kg.run import open_output

    query = load_query("shared-programmes")
    ds = open_output(Path(out))
    result_rows(run_query(ds, query))  # warm-up
    kg_times = []
    for _ in range(int(runs)):
        t0 = time.perf_counter()
        rows = result_rows(run_query(ds, query))
        kg_times.append(time.perf_counter() - t0)
    close_store(ds)
    del ds
    store = ox.Store.read_only(str(Path(out) / "store"))
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _prefixes().items())
    text = prefixes + query.text
    opts = {"use_default_graph_as_union": True}
    list(store.query(text, **opts))
    raw_times = []
    for _ in range(int(runs)):
        t0 = time.perf_counter()
        raw = list(store.query(text, **opts))
        raw_times.append(time.perf_counter() - t0)
    return {"kg_p50_s": _p50(kg_times), "raw_p50_s": _p50(raw_times), "rows": len(rows), "raw_rows": len(raw)}


def _prefixes() -> dict[str, str]:
    from kg.graph.queries import project_prefixes

    return {p: str(ns) for p, ns in project_prefixes().items()}


def _child_export(out: str) -> dict:
    from kg.surface.export import export_graph_file

    res: dict = {}
    for fmt in ("turtle", "nquads"):
        digests, times = [], []
        for _ in range(2):
            t0 = time.perf_counter()
            data = export_graph_file(Path(out) / "graph.trig", fmt)
            times.append(time.perf_counter() - t0)
            digests.append(hashlib.sha256(data).hexdigest())
        res[fmt] = {"seconds": min(times), "bytes": len(data), "deterministic": digests[0] == digests[1]}
    return res


CHILDREN = {"build": _child_build, "floor": _child_floor, "extract": _child_extract, "query": _child_query,
            "export": _child_export}  # fmt: skip


def _p50(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else math.nan


# ---------------------------------------------------------------- the parent: children, memory, sizes


def run_child(kind: str, *args: object, timeout: float = 7200.0) -> dict:
    """Run one measurement in a fresh Python; its wall time and the peak of the summed resident memory of its
    process tree (sampled every 0.2 s) are added to what it returns."""
    import psutil

    result = Path(tempfile.mkstemp(prefix=f"unionkg-goals-{kind}-", suffix=".json")[1])
    cmd = [sys.executable, "-m", "bench.goals", "--child", kind, str(result), *map(str, args)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
            while not stop.is_set():
                total = 0
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak[0] = max(peak[0], total)
                stop.wait(0.2)
        except psutil.Error:
            return

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = -9
    wall = time.perf_counter() - t0
    stop.set()
    watcher.join()
    try:
        data = json.loads(result.read_text(encoding="utf-8")) if code == 0 else {"error": f"exit {code}"}
    finally:
        result.unlink(missing_ok=True)
    return {**data, "wall_s": wall, "peak_tree_mb": peak[0] / 1e6}


def digests(out: Path) -> dict[str, str]:
    return {n: hashlib.sha256((out / n).read_bytes()).hexdigest() for n in OUTPUTS}


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_blocks * 512 / 1e6
    total = 0
    for root, _, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total / 1e6


def _linked_copy(src: Path, dst: Path) -> Path:
    """A copy of a corpus made of hard links (a changed document is written as a new file, never in place)."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, copy_function=os.link)
    return dst


def _change_one(corpus: Path) -> str:
    """Append a sentence to one UTF-8 document of the corpus (the middle one); its name."""
    from bench.run import corpus_files

    files = corpus_files(corpus)
    manifest = json.loads((corpus / ".manifest.json").read_text(encoding="utf-8"))
    utf8 = {d["file"] for d in manifest["documents"] if d.get("encoding") == "utf-8"}
    choice = next((f for f in files[len(files) // 2 :] + files if f.name in utf8), files[len(files) // 2])
    data = choice.read_bytes() + "\n\n本方案自印发之日起施行，由市总工会负责解释。\n".encode()
    choice.unlink()
    choice.write_bytes(data)
    return choice.name


def measure_size(size: int, args: argparse.Namespace) -> dict:
    """Every per-size figure (see the module docstring)."""
    from bench.run import prepare_corpus

    source, _ = prepare_corpus(size, args.seed, args.work)
    work = args.work / f"goals-n{size}"
    corpus = _linked_copy(source, work / "corpus")
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    log = lambda msg: print(f"[{size:,} docs] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    log(f"clean build, jobs {args.jobs} …")
    build = run_child("build", corpus, out, args.jobs, "", 0, 1)
    run: dict = {"docs": size, "input_mb": folder_mb(source), "build": build}
    if "error" in build:
        return run
    run["digests"] = digests(out)
    run["out_mb"] = {n: folder_mb(out / n) for n in ("store", "views", "cache", "text", *OUTPUTS)}
    run["out_mb"]["total"] = folder_mb(out)
    log(f"build {build['wall_s']:.1f} s; floor …")
    run["floor"] = run_child("floor", out, args.jobs)
    log("extraction per core …")
    run["extract"] = run_child("extract", corpus, min(size, args.extract_docs))
    log("exports …")
    run["export"] = run_child("export", out)
    log("shared-programmes …")
    run["query"] = run_child("query", out, args.query_runs)
    if args.overview and Path("/usr/bin/chromium").exists():
        log("overview in Chromium …")
        try:
            from bench.overview import open_times

            run["overview_s"] = _p50(open_times(out / "views" / "overview.html", runs=3))
        except Exception as exc:  # a browser that does not start: the row says so
            run["overview_error"] = f"{type(exc).__name__}: {exc}"[:200]
    if size == args.dask_docs:  # the same corpus folder as the local build (records name their source path)
        run["dask"] = _dask_build(corpus, work / "out-dask", args.jobs, run["digests"])
    changed = _change_one(corpus)
    log(f"incremental build after changing {changed} …")
    run["incremental"] = {**run_child("build", corpus, out, args.jobs, "", 1, 1), "changed": changed}
    if size == min(args.sizes):
        clean = work / "out-clean-changed"
        shutil.rmtree(clean, ignore_errors=True)
        run_child("build", corpus, clean, args.jobs, "", 0, 0)
        run["incremental"]["identical_to_clean"] = digests(out) == digests(clean)
        shutil.rmtree(clean, ignore_errors=True)
    return run


def _dask_build(corpus: Path, out: Path, jobs: int, expected: dict[str, str]) -> dict:
    """`corpus` built on a local Dask cluster of `jobs` worker processes (no views), against `expected` digests."""
    from distributed import LocalCluster

    print(f"[{corpus}] Dask, {jobs} workers …", file=sys.stderr, flush=True)
    shutil.rmtree(out, ignore_errors=True)
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        build = run_child("build", corpus, out, jobs, cluster.scheduler_address, 0, 0)
    same = "error" not in build and digests(out) == expected
    shutil.rmtree(out, ignore_errors=True)
    return {"build": build, "identical_to_local": same}


def measure_dask(size: int, args: argparse.Namespace) -> dict:
    """A Dask build of a size not measured locally in this run: a local build (no views) first, to compare."""
    from bench.run import prepare_corpus

    source, _ = prepare_corpus(size, args.seed, args.work)
    work = args.work / f"goals-dask-n{size}"
    ref = work / "out-local"
    shutil.rmtree(ref, ignore_errors=True)
    run_child("build", source, ref, args.jobs, "", 0, 0)
    result = _dask_build(source, work / "out-dask", args.jobs, digests(ref))
    shutil.rmtree(ref, ignore_errors=True)
    return {"docs": size, **result}


# ---------------------------------------------------------------- goals


def _scaled(run: dict, value: float, *, by: str, runs: list[dict] | None = None, get=None) -> tuple[float, str]:
    """`value` (of `run`, the largest size) at 10,000 documents or 1 M triples: on the line through the two
    largest sizes when `runs` and `get` give a second point (fixed costs stay fixed), else in proportion."""
    if by == "docs":
        x, target, unit = run["docs"], GOAL_DOCS, "documents"
    else:
        x, target, unit = max(1, run["build"]["triples"]), GOAL_TRIPLES, "triples"
    if x == target:
        return value, "measured"
    others = [r for r in runs or [] if r is not run and "error" not in r["build"] and r["docs"] < run["docs"]]
    if others and get is not None:
        other = max(others, key=lambda r: r["docs"])
        x0 = other["docs"] if by == "docs" else other["build"]["triples"]
        y0 = get(other)
        if y0 is not None and x0 != x:
            slope = (value - y0) / (x - x0)
            return value + slope * (target - x), f"on the line through {other['docs']:,} and {run['docs']:,} documents"
    return value * target / x, f"scaled in proportion from {run['docs']:,} documents to {target:,} {unit}"


def _checked(runs: list[dict]) -> bool | None:
    """Whether the incremental builds compared with a clean build (the smallest size) were byte-identical."""
    seen = [r["incremental"]["identical_to_clean"] for r in runs if "identical_to_clean" in r.get("incremental", {})]
    return all(seen) if seen else None


def evaluate(runs: list[dict], dask: dict | None) -> list[dict]:
    """One row per goal: value (at the goal's size), how it was got, ratio to the goal, met."""
    ok = [r for r in runs if "error" not in r["build"]]
    if not ok:
        return []
    big = max(ok, key=lambda r: r["docs"])
    b, rows = big["build"], []

    def row(key: str, value: float | None, how: str) -> None:
        what, goal, sense, unit = GOALS[key]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            rows.append({"key": key, "what": what, "goal": goal, "sense": sense, "unit": unit, "value": None,
                         "how": how, "ratio": None, "met": None})  # fmt: skip
            return
        ratio = value / goal
        met = value <= goal if sense == "<=" else value >= goal
        rows.append({"key": key, "what": what, "goal": goal, "sense": sense, "unit": unit, "value": value,
                     "how": how, "ratio": ratio, "met": met})  # fmt: skip

    build_s, how = _scaled(big, b["wall_s"], by="docs", runs=ok, get=lambda r: r["build"]["wall_s"])
    row("build_s", build_s, how)
    floor = big.get("floor", {})
    if "floor_s" in floor:
        row("floor_ratio", b["wall_s"] / floor["floor_s"], f"at {big['docs']:,} documents: {b['wall_s']:.1f} s / "
            f"{floor['floor_s']:.1f} s (tokenise {floor['tokenise_s']:.1f} s + bulk_load {floor['bulk_load_s']:.1f} s)")  # fmt: skip
    peak = max(b["peak_tree_mb"], big.get("incremental", {}).get("peak_tree_mb", 0)) / 1e3
    peak_s, how = _scaled(big, peak, by="docs", runs=ok, get=lambda r: r["build"]["peak_tree_mb"] / 1e3)
    row("peak_gb", peak_s, f"{peak:.2f} GB measured; {how}")
    out_gb, how = _scaled(
        big, big["out_mb"]["total"] / 1e3, by="docs", runs=ok, get=lambda r: r["out_mb"]["total"] / 1e3
    )
    row("out_gb", out_gb, how)
    views, how = _scaled(big, big["out_mb"]["views"], by="docs", runs=ok, get=lambda r: r["out_mb"]["views"])
    row("views_mb", views, f"{big['out_mb']['views']:.1f} MB measured; {how}")
    inc = big.get("incremental", {})
    if "wall_s" in inc and "error" not in inc:
        inc_s, how = _scaled(
            big, inc["wall_s"], by="docs", runs=ok, get=lambda r: r.get("incremental", {}).get("wall_s")
        )
        same = {True: "; byte-identical to a clean build of the changed corpus", False: "; **differs** from a clean "
                "build of the changed corpus", None: ""}[_checked(ok)]  # fmt: skip
        row("incremental_s", inc_s, f"{inc['wall_s']:.1f} s measured ({inc['extracted']} extracted, "
            f"{inc['reused']} reused, views {inc['views_s']:.1f} s); {how}{same}")  # fmt: skip
    ex = big.get("extract", {})
    row(
        "chars_per_core",
        ex.get("chars_per_s", math.nan) / 1e6,
        f"process_file, one process, {ex.get('docs')} documents",
    )
    for fmt in ("turtle", "nquads"):
        e = big.get("export", {}).get(fmt)
        if e:
            v, how = _scaled(big, e["seconds"], by="triples", runs=ok,
                             get=lambda r, f=fmt: r.get("export", {}).get(f, {}).get("seconds"))  # fmt: skip
            row(f"export_{fmt}_s", v, f"kg.surface.export.export_graph_file, {e['seconds']:.2f} s at "
                f"{b['triples']:,} triples; {how}; deterministic: {e['deterministic']}")  # fmt: skip
    q = big.get("query", {})
    if "kg_p50_s" in q:
        v, how = _scaled(big, q["kg_p50_s"], by="triples", runs=ok, get=lambda r: r.get("query", {}).get("kg_p50_s"))
        row("query_p50_s", v, f"{q['kg_p50_s']:.3f} s at {b['triples']:,} triples; {how}")
        row("query_vs_raw", q["kg_p50_s"] / q["raw_p50_s"], f"{q['kg_p50_s']:.3f} s / {q['raw_p50_s']:.3f} s raw")
    over = big.get("overview_s")
    row("overview_s", over, f"at {big['docs']:,} documents (the page is bounded by jurisdictions × programmes)"
        if over is not None else big.get("overview_error", "not measured (--no-overview or no chromium)"))  # fmt: skip
    if len(ok) > 1:
        small = min(ok, key=lambda r: r["docs"])
        slope = math.log(b["wall_s"] / small["build"]["wall_s"]) / math.log(big["docs"] / small["docs"])
        row("slope", slope, f"{small['docs']:,} → {big['docs']:,} documents")
    else:
        row("slope", None, "needs two sizes")
    if dask:
        rows.append({"key": "dask", "what": f"{dask['docs']:,}-document build on a local Dask cluster",
                     "goal": "byte-identical", "value": dask["build"].get("wall_s"), "unit": "s",
                     "how": "graph.trig, extract.jsonl, summary.json against the local build",
                     "met": dask["identical_to_local"], "ratio": None, "sense": "="})  # fmt: skip
    return rows


def _fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "not measured"
    text = f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
    return f"{text} {unit}".strip()


def markdown(results: dict) -> str:
    """The goals table and the per-size figures, as bench/README.md shows them."""
    lines = [f"Measured {results['generated_at']} on {results['machine']}, load average {results['load']} at the start; "
             f"`python -m bench.goals {results['argv']}`.", "",
             "| what | goal | measured | × goal | met | how |", "|---|---|---:|---:|---|---|"]  # fmt: skip
    for r in results["goals"]:
        goal = (
            r["goal"]
            if isinstance(r["goal"], str)
            else f"{r['sense'].replace('<=', '≤').replace('>=', '≥')} {_fmt(r['goal'], r['unit'])}"
        )
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        met = {True: "met", False: "**missed**", None: "—"}[r["met"]]
        lines.append(f"| {r['what']} | {goal} | {_fmt(r['value'], r['unit'])} | {ratio} | {met} | {r['how']} |")
    lines += ["", "| docs | build wall | documents phase | graph files, store, summary | views | peak (all processes) "
              "| main peak | out/ | store | views | cache | floor (tokenise + bulk_load) | incremental | chars/s per core |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for r in results["runs"]:
        b = r["build"]
        if "error" in b:
            lines.append(f"| {r['docs']:,} | {b['error']} |" + " |" * 12)
            continue
        f, o, inc = r.get("floor", {}), r["out_mb"], r.get("incremental", {})
        lines.append(
            f"| {r['docs']:,} | {b['wall_s']:.1f} s | {b['documents_phase_s']:.1f} s | {b['graph_files_store_summary_s']:.1f} s "
            f"| {b['views_s']:.1f} s | {b['peak_tree_mb']:,.0f} MB | {b['main_peak_mb']:,.0f} MB | {o['total']:,.0f} MB "
            f"| {o['store']:,.0f} MB | {o['views']:,.1f} MB | {o['cache']:,.0f} MB "
            f"| {f.get('tokenise_s', math.nan):.1f} + {f.get('bulk_load_s', math.nan):.1f} s "
            f"| {inc.get('wall_s', math.nan):.1f} s (views {inc.get('views_s', math.nan):.1f} s) "
            f"| {r.get('extract', {}).get('chars_per_s', math.nan) / 1e6:.3f} M |"
        )
    return "\n".join(lines) + "\n"


def write(results: dict, out: Path, readme: Path = README) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "goals.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = markdown(results)
    (out / "goals.md").write_text(text, encoding="utf-8")
    if readme.exists():
        doc = readme.read_text(encoding="utf-8")
        if BEGIN in doc and END in doc:
            head, rest = doc.split(BEGIN, 1)
            readme.write_text(head + BEGIN + "\n" + text + END + rest.split(END, 1)[1], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        kind, result, *rest = argv[1:]
        Path(result).write_text(json.dumps(CHILDREN[kind](*rest)), encoding="utf-8")
        return 0
    p = argparse.ArgumentParser(prog="python -m bench.goals", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="50,100", help="corpus sizes (default 50,100; the goals: 1000,10000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--dask-docs", type=int, default=1000, help="documents of the Dask build (0: none)")
    p.add_argument("--extract-docs", type=int, default=200, help="documents timed for extraction per core")
    p.add_argument("--query-runs", type=int, default=7)
    p.add_argument("--no-overview", dest="overview", action="store_false")
    p.add_argument("--work", type=Path, default=DEFAULT_WORK)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--readme", type=Path, default=README, help="the README whose goals section is rewritten")
    args = p.parse_args(argv)
    args.sizes = sorted(int(s) for s in str(args.sizes).split(",") if s.strip())
    from bench.run import machine_info

    m = machine_info()
    results: dict = {
        "generated_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{m.get('cpu')}, {os.cpu_count()} cores",
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "argv": " ".join(argv),
        "runs": [],
    }
    for size in args.sizes:
        results["runs"].append(measure_size(size, args))
        results["goals"] = evaluate(results["runs"], None)
        write(results, args.out, args.readme)  # partial results, should a later size not finish
    dask = next(({"docs": r["docs"], **r["dask"]} for r in results["runs"] if "dask" in r), None)
    if args.dask_docs and dask is None:
        dask = measure_dask(args.dask_docs, args)
    results["dask"] = dask
    results["goals"] = evaluate(results["runs"], dask)
    write(results, args.out, args.readme)
    print(markdown(results), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
