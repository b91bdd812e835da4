"""Batch: extract many documents in parallel (local processes or Dask), reuse cached results, stream in order.

A worker (:func:`extract_document`) runs the pipeline on one file *and* builds that document's named
graph, and returns plain data: the `kg extract` JSON line, the text, the graph as Turtle and a
:class:`kg.graph.build.DocumentSummary`. :func:`iter_documents` hands the results back **in file order**
from a bounded window of documents in flight, so the caller holds only a few documents' text at once,
whatever the executor: inline (``jobs=1``), a local process pool (``jobs>1``) or a Dask cluster
(``scheduler="tcp://…"``). The same worker runs everywhere, so every executor gives the same bytes.

Results are cached by content: ``<cache>/<key>.json`` (record line, graph IRI, summary), ``.ttl``
(the graph) and ``.txt`` (the text), where the key hashes the file's path and bytes, the base IRI and a
fingerprint of the pipeline (its source files, the ontology files and the version), so a change to
any of them re-extracts everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import ConfigError, IngestError, KgError, one_line
from kg.ingest.source import read_file_bytes
from kg.namespaces import DEFAULT_BASE_IRI

__all__ = [
    "CACHE_SUFFIXES",
    "DocumentResult",
    "cache_key",
    "extract_document",
    "internal_error",
    "iter_documents",
    "link_entry",
    "link_file",
    "pipeline_fingerprint",
    "read_entry",
    "read_text",
    "turtle_prefixes",
    "write_entry",
    "write_graph_files",
]

#: files of one cache entry
CACHE_SUFFIXES = (".json", ".ttl", ".txt")
#: the packages (and top-level modules) whose code decides what a document yields; every file in them
#: is fingerprinted, so a new stage module can never be forgotten
PIPELINE_PACKAGES = ("text", "vocab", "ingest", "pipeline", "graph")
PIPELINE_MODULES = ("__init__.py", "errors.py", "model.py", "namespaces.py")


def internal_error(path, exc: Exception) -> str:
    """The one-line report of an unexpected error while processing one document."""
    detail = one_line(exc)[:200]
    return f"{path}: internal error while processing this document ({type(exc).__name__}: {detail}); please report it"


def extract_document(path: str, data: bytes | None = None, base: str = DEFAULT_BASE_IRI) -> dict:
    """Worker: the record, text, named graph (Turtle) and summary of one file, as a plain dict.

    With `data` the file is not read (a Dask worker need not see the corpus); a bad file gives
    ``{"error": one-line message}``.
    """
    from kg.graph.build import document_graph, summarize
    from kg.pipeline.components import process_file, process_source

    try:
        if data is None:
            rec = process_file(path)
        else:
            from kg.ingest.source import read_source

            rec = process_source(read_source(path, data), data)
        doc = document_graph(rec, base=base)
    except KgError as exc:
        return {"error": str(exc)}
    except Exception as exc:  # a bug on one document must not stop the corpus: a one-line report instead
        return {"error": internal_error(path, exc)}
    return {
        "record": json.dumps(rec.to_json(), ensure_ascii=False),
        "graph": doc.graph,
        "turtle": doc.turtle,
        "text": rec.text,
        "summary": summarize(rec, triples=doc.triples).to_json(),
    }


@lru_cache(maxsize=8)
def pipeline_fingerprint(ontology_dir: str | None = None) -> str:
    """A hash of everything besides the input that decides a document's output."""
    import kg
    from kg.vocab.ontology import ONTOLOGY_DIR

    h = hashlib.sha256(f"unionkg {kg.__version__}\n".encode())
    package = Path(kg.__file__).resolve().parent
    code = [package / name for name in PIPELINE_MODULES]
    for sub in PIPELINE_PACKAGES:
        code += sorted(p for p in (package / sub).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    folder = Path(ontology_dir) if ontology_dir else ONTOLOGY_DIR
    data = sorted(p for p in folder.rglob("*") if p.is_file())
    for name, path in [(p.relative_to(package).as_posix(), p) for p in code] + [
        (p.relative_to(folder).as_posix(), p) for p in data
    ]:
        if path.exists():
            content = path.read_bytes()
            h.update(f"{name}\0{len(content)}\0".encode())
            h.update(content)
    return h.hexdigest()


def cache_key(path: str, content_sha256: str, *, base: str, fingerprint: str) -> str:
    """The cache key of a document: its path, its bytes, the base IRI and the pipeline fingerprint."""
    return hashlib.sha256(f"{fingerprint}\0{base}\0{path}\0{content_sha256}".encode()).hexdigest()


@dataclass
class DocumentResult:
    """One document, in file order: a fresh extraction (`payload`), a cache hit (`cached`: the folder
    holding its entry) or a failure (`error`)."""

    path: Path
    key: str | None = None
    error: str | None = None
    payload: dict | None = None
    cached: Path | None = None


def write_entry(folder: Path, key: str, payload: dict) -> None:
    """Store a worker's result as a cache entry."""
    meta = {"record": payload["record"], "graph": payload["graph"], "summary": payload["summary"]}
    (folder / f"{key}.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / f"{key}.ttl").write_bytes(payload["turtle"].encode("utf-8"))
    (folder / f"{key}.txt").write_bytes(payload["text"].encode("utf-8"))


def read_entry(folder: Path, key: str) -> dict:
    """The record line, graph IRI and summary of a cache entry (not its graph or text)."""
    return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))


def link_entry(src: Path, dst: Path, key: str) -> None:
    """Put an entry of folder `src` into folder `dst` (hard links; a copy across file systems)."""
    for suffix in CACHE_SUFFIXES:
        link_file(src / f"{key}{suffix}", dst / f"{key}{suffix}")


def link_file(src: Path, dst: Path) -> None:
    """`dst` as a hard link to `src` (a copy where links are not possible)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _has_entry(folder: Path | None, key: str) -> bool:
    return folder is not None and all((folder / f"{key}{s}").is_file() for s in CACHE_SUFFIXES)


class _Inline:
    """A 'future' computed when asked for (``jobs=1``: no processes)."""

    def __init__(self, *args):
        self.args = args

    def result(self) -> dict:
        return extract_document(*self.args)


def _pool_initializer() -> None:  # pragma: no cover - runs in the worker processes
    import kg.pipeline.components  # noqa: F401 — import the pipeline once per worker, before the first document


def _dask_client(scheduler: str):
    """A client of the Dask scheduler at `scheduler`; a one-line ConfigError when there is none."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError.no_distributed() from None
    try:
        return Client(scheduler, set_as_default=False, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = one_line(exc) or type(exc).__name__
        raise ConfigError.scheduler_unreachable(scheduler, detail) from None


def _local_pool(jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(["kg.run.executors", "kg.pipeline.components", "kg.graph.build"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_pool_initializer)


def iter_documents(
    files: Iterable[Path],
    *,
    base: str = DEFAULT_BASE_IRI,
    jobs: int = 1,
    scheduler: str | None = None,
    cache: Path | None = None,
    fingerprint: str = "",
    window: int | None = None,
) -> Iterator[DocumentResult]:
    """Every file's :class:`DocumentResult`, in the order of `files`.

    Files whose entry is in `cache` are not extracted again. At most `window` documents are in
    flight (default: four per job; 64 on Dask), so memory stays bounded however large the corpus.
    """
    jobs = max(1, int(jobs or 1))
    client = pool = None
    if scheduler:
        client = _dask_client(scheduler)
        window = window or 64

        def submit(path: str, data: bytes):
            return client.submit(extract_document, path, data, base, pure=False)
    elif jobs > 1:
        pool = _local_pool(jobs)
        window = window or 4 * jobs

        def submit(path: str, data: bytes):
            return pool.submit(extract_document, path, None, base)
    else:
        window = 1

        def submit(path: str, data: bytes):
            return _Inline(path, None, base)

    try:
        yield from _ordered(iter(files), submit, cache=cache, base=base, fingerprint=fingerprint, window=window)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if client is not None:
            client.close()


def _ordered(
    files: Iterator[Path], submit: Callable, *, cache: Path | None, base: str, fingerprint: str, window: int
) -> Iterator[DocumentResult]:
    pending: deque = deque()
    in_flight = 0

    def fill() -> None:
        nonlocal in_flight
        while in_flight < window and len(pending) < 16 * window:
            path = next(files, None)
            if path is None:
                return
            try:
                data = read_file_bytes(path)  # refuses pipes, broken links and oversized files before reading
            except IngestError as exc:
                pending.append(DocumentResult(path, error=str(exc)))
                continue
            key = cache_key(str(path), hashlib.sha256(data).hexdigest(), base=base, fingerprint=fingerprint)
            if _has_entry(cache, key):
                pending.append(DocumentResult(path, key, cached=cache))
            else:
                pending.append((path, key, submit(str(path), data)))
                in_flight += 1

    fill()
    while pending:
        item = pending.popleft()
        if isinstance(item, tuple):
            path, key, future = item
            payload = future.result()
            in_flight -= 1
            item = DocumentResult(
                path, key, error=payload.get("error"), payload=None if "error" in payload else payload
            )
            del future
        fill()
        yield item


def turtle_prefixes(text: str) -> set[str]:
    """The ``@prefix`` lines at the top of a Turtle document."""
    out = set()
    for line in text.split("\n"):  # not splitlines(): U+2028 and the like may be inside a literal
        if line.startswith("@prefix"):
            out.add(line)
        elif line.strip():
            break
    return out


def _body(text: str) -> list[str]:
    """A Turtle document's lines after its prefixes, verbatim (a line may be inside a multi-line
    literal), without leading or trailing blank lines."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (lines[i].startswith("@prefix") or not lines[i].strip()):
        i += 1
    body = lines[i:]
    while body and not body[-1]:
        body.pop()
    return body


def write_graph_files(
    graphs: Iterable[tuple[str, Callable[[], str]]], prefixes: set[str], *, trig: Path, turtle: Path
) -> None:
    """graph.trig and graph.ttl from the named graphs' Turtle, one graph in memory at a time.

    `graphs`: (graph IRI, a function returning that graph's Turtle), in IRI order; `prefixes`: every
    ``@prefix`` line they use. TriG is what :func:`kg.surface.export.serialize` writes for the same dataset,
    byte for byte; Turtle lists the same graphs' triples, each graph's block after a comment naming it.
    """
    head = "\n".join(sorted(prefixes)) + "\n\n"
    with open(trig, "w", encoding="utf-8", newline="") as tg, open(turtle, "w", encoding="utf-8", newline="") as tt:
        tg.write(head)
        tt.write(head)
        for i, (gid, load) in enumerate(graphs):
            body = "\n".join(_body(load()))
            sep = "\n" if i else ""
            tg.write(f"{sep}<{gid}> {{\n{body}\n}}\n")
            tt.write(f"{sep}# graph <{gid}>\n{body}\n")


def read_text(path: Path) -> str:
    """A cached Turtle or text file exactly as written (no newline translation)."""
    return path.read_bytes().decode("utf-8")
