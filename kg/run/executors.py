"""Executors: extract many documents in parallel (local processes or Dask), reuse cached results, stream in order.

A worker (:func:`extract_document`) runs the pipeline on one file *and* builds that document's named
graph, and returns plain data: the `kg extract` JSON line, the text, the graph as Turtle and a
:class:`kg.graph.summary.DocumentSummary`. :func:`iter_documents` hands the results back **in file order**
from a bounded window of documents in flight, so the caller holds only a few documents' text at once,
whatever the executor: inline (``jobs=1``), a local process pool (``jobs>1``) or a Dask cluster
(``scheduler="tcp://…"``). The same worker runs everywhere, so every executor gives the same bytes.

Results already in the cache (:mod:`kg.run.cache`) are not extracted again.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ConfigError, IngestError, KgError, one_line
from kg.ingest.source import read_file_bytes
from kg.namespaces import DEFAULT_BASE_IRI
from kg.run.cache import CacheEntryError, cache_key, has_entry, read_entry

__all__ = ["DocumentResult", "extract_document", "internal_error", "iter_documents"]


def internal_error(path, exc: Exception) -> str:
    """The one-line report of an unexpected error while processing one document."""
    detail = one_line(exc)[:200]
    return f"{path}: internal error while processing this document ({type(exc).__name__}: {detail}); please report it"


def extract_document(path: str, data: bytes | None = None, base: str = DEFAULT_BASE_IRI) -> dict:
    """Worker: the record, text, named graph (Turtle) and summary of one file, as a plain dict.

    With `data` the file is not read (a Dask worker need not see the corpus); a bad file gives
    ``{"error": one-line message}``.
    """
    from kg.graph.build import document_graph
    from kg.graph.summary import summarize
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


@dataclass
class DocumentResult:
    """One document, in file order: a fresh extraction (`payload`), a cache hit (`cached`: the folder
    holding its entry, checked; `payload`: its record, graph IRI and summary) or a failure (`error`).
    `warning`: the damaged cache file that was passed over for a fresh extraction."""

    path: Path
    key: str | None = None
    error: str | None = None
    payload: dict | None = None
    cached: Path | None = None
    warning: str | None = None


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
    indexed: dict[str, str] | None = None,
) -> Iterator[DocumentResult]:
    """Every file's :class:`DocumentResult`, in the order of `files`.

    Files whose entry is in `cache` (and sound) are not extracted again; a damaged entry, or one that the
    cache's index (`indexed`: path -> key) lists but that is gone, is extracted again with a warning. At most `window` documents are in
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
        yield from _ordered(
            iter(files), submit, cache=cache, base=base, fingerprint=fingerprint, window=window, indexed=indexed or {}
        )
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if client is not None:
            client.close()


def _ordered(
    files: Iterator[Path],
    submit: Callable,
    *,
    cache: Path | None,
    base: str,
    fingerprint: str,
    window: int,
    indexed: dict[str, str],
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
            warning = None
            if cache is not None and has_entry(cache, key):
                try:
                    pending.append(DocumentResult(path, key, payload=read_entry(cache, key), cached=cache))
                    continue
                except CacheEntryError as exc:
                    warning = f"{exc}; extracted the document again"
            elif cache is not None and indexed.get(str(path)) == key:
                warning = f"{cache / (key + '.json')}: cache entry missing; extracted the document again"
            pending.append((path, key, submit(str(path), data), warning))
            in_flight += 1

    fill()
    while pending:
        item = pending.popleft()
        if isinstance(item, tuple):
            path, key, future, warning = item
            payload = future.result()
            in_flight -= 1
            item = DocumentResult(
                path, key, error=payload.get("error"), payload=None if "error" in payload else payload, warning=warning
            )
            del future
        fill()
        yield item
