"""The build: a corpus folder in, `out/` written atomically (graphs, records, texts, store, cache, summary).

:func:`run_build` walks the corpus, has the executors extract each document (or takes it from the
previous build's cache), and consumes the results in file order, one at a time, into a staging folder
that then replaces `out/` in one step (:mod:`kg.run.workspace`). What the layers above add to a build
(the views) they write through the `after_build` callback, into the staging folder, before the swap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from rdflib import Dataset

from kg.graph.queries import load_query, result_rows, run_query
from kg.graph.store import STORE_DIR, GraphLoader, close_store, open_store
from kg.graph.summary import DocumentSummary, shared_graphs
from kg.namespaces import DEFAULT_BASE_IRI
from kg.run.cache import (
    CACHE_DIR,
    link_entry,
    link_file,
    pipeline_fingerprint,
    previous_cache,
    read_entry,
    read_index,
    read_text,
    write_entry,
    write_index,
)
from kg.run.corpus import discover_files
from kg.run.executors import DocumentResult, iter_documents
from kg.run.outputs import turtle_prefixes, write_graph_files
from kg.run.progress import BuildProgress
from kg.run.workspace import GRAPH_TRIG, GRAPH_TTL, publish, recover_out, staging_dir
from kg.text.chars import ENUMERATION_COMMA

__all__ = [
    "BuildReport",
    "CountMismatch",
    "SharedProgramme",
    "count_mismatches",
    "run_build",
    "shared_programmes",
]

#: the named query whose rows are the summary's shared programmes (the same as `kg query shared-programmes`)


@dataclass(frozen=True)
class SharedProgramme:
    """A programme that documents of several jurisdictions mention: its label, the jurisdictions' labels
    (joined with 、, sorted) and their number."""

    label: str
    jurisdictions: str
    count: int

    @property
    def names(self) -> list[str]:
        """The jurisdictions' labels."""
        return self.jurisdictions.split(ENUMERATION_COMMA) if self.jurisdictions else []


@dataclass(frozen=True)
class CountMismatch:
    """A document whose measures found differ from the count it announces (十项举措 -> 10)."""

    source: str
    genre: str
    announced: int
    found: int


@dataclass
class BuildReport:
    """What a build produced: counts, problems and where the files are."""

    out_dir: Path
    documents: int = 0
    measures: int = 0
    programmes: int = 0
    quantities: int = 0
    triples: int = 0
    shared: list[SharedProgramme] = field(default_factory=list)
    count_mismatches: list[CountMismatch] = field(default_factory=list)  # in file order
    problems: list[str] = field(default_factory=list)
    store: str = "oxigraph"
    extracted: int = 0  # documents extracted in this build
    reused: int = 0  # documents taken from the previous build's cache
    dropped: int = 0  # documents of the previous build that are gone (their graphs with them)
    notes: list[str] = field(default_factory=list)  # housekeeping: what killed builds left, restored or removed

    def text(self, *, names: int = 3) -> str:
        """The summary `kg build` prints: counts, the documents whose measures found differ from the
        count they announce (the first `names` of them), then the most shared programmes, each with the
        first `names` of its jurisdictions (and … for the rest)."""
        n = len(self.count_mismatches)
        first = ", ".join(f"{Path(c.source).name} {c.found}/{c.announced}" for c in self.count_mismatches[:names])
        lines = [
            f"Built {self.out_dir}/ : {self.documents} documents, {self.measures} measures, "
            f"{self.programmes} programmes, {self.quantities} quantities, {self.triples} triples",
            f"Store: {self.store}; {self.extracted} documents extracted, {self.reused} reused from the "
            f"previous build, {self.dropped} dropped",
            f"{n} document{'' if n == 1 else 's'}: measures found ≠ announced"
            + (f" ({first}{', …' if n > names else ''})" if n else ""),
            "Top shared programmes:",
        ]
        for row in self.shared[:10]:
            shown = ENUMERATION_COMMA.join(row.names[:names]) + (" …" if len(row.names) > names else "")
            lines.append(f"  {row.label}  ({row.count} jurisdictions: {shown})")
        return "\n".join(lines)

    def to_json(self) -> dict:
        """summary.json."""
        return {
            "documents": self.documents,
            "measures": self.measures,
            "programmes": self.programmes,
            "quantities": self.quantities,
            "triples": self.triples,
            "top_shared_programmes": [asdict(s) for s in self.shared],
            "count_mismatches": [asdict(c) for c in self.count_mismatches],
            "problems": self.problems,
        }


def run_build(
    corpus: Path,
    out: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    store: str = "oxigraph",
    jobs: int = 1,
    scheduler: str | None = None,
    incremental: bool = True,
    on_progress: Callable[[BuildProgress], object] | None = None,
    after_build: Callable[[Dataset, Path], object] | None = None,
) -> BuildReport:
    """Extract every document, build the graph and write `out/` atomically (a staging dir, then a swap).

    Documents are extracted by `jobs` processes (or on the Dask cluster at `scheduler`) and consumed in
    file order, one at a time: each is appended to extract.jsonl and text/, its named graph loaded into
    the store (`oxigraph`: on disk in out/store/; `memory`) and cached in out/cache/. With `incremental`,
    documents whose cache entry (path, bytes, base IRI, pipeline fingerprint) is in the previous out/ are
    reused, not extracted again. `on_progress` gets a :class:`BuildProgress` per document.
    `after_build(store, folder)` is called last, with the complete staging folder: what it writes there
    is swapped in with the build. Without any document built, `out/` is left as it was.
    """
    files, problems = discover_files(corpus)
    report = BuildReport(out_dir=out, problems=problems, store=store, notes=recover_out(out))
    previous = previous_cache(out) if incremental else None
    old_index = read_index(previous)
    with staging_dir(out) as staging:
        (staging / CACHE_DIR).mkdir()
        (staging / "text").mkdir()
        ds = open_store(store, staging / STORE_DIR if store == "oxigraph" else None, base=base_iri)
        try:
            docs = _Documents(staging, GraphLoader(ds))
            results = iter_documents(
                files, base=base_iri, jobs=jobs, scheduler=scheduler, cache=previous, fingerprint=pipeline_fingerprint()
            )
            with open(staging / "extract.jsonl", "w", encoding="utf-8", newline="\n") as jsonl:
                for done, item in enumerate(results, 1):
                    status, problem = docs.add(item, jsonl)
                    if problem:
                        problems.append(problem)
                    if status in ("extracted", "reused"):
                        setattr(report, status, getattr(report, status) + 1)
                    if on_progress:
                        on_progress(BuildProgress(done, len(files), item.path, status, problem))
            report.dropped = len(set(old_index) - set(docs.index))
            if not docs.summaries:
                return report
            _finish(ds, staging, docs, report, base=base_iri)
            if after_build:
                after_build(ds, staging)
        finally:
            close_store(ds)
        publish(staging, out)
    return report


class _Documents:
    """The documents consumed so far, in file order: cache entries, texts, graphs, prefixes, summaries."""

    def __init__(self, staging: Path, loader: GraphLoader) -> None:
        self.cache, self.texts, self.loader = staging / CACHE_DIR, staging / "text", loader
        self.summaries: list[DocumentSummary] = []
        self.graph_files: dict[str, Path] = {}
        self.prefixes: set[str] = set()
        self.seen: dict[str, Path] = {}  # content digests (of the bytes; "text:" + of the decoded text) -> path
        self.slugs: dict[str, Path] = {}
        self.index: dict[str, str] = {}

    def add(self, item: DocumentResult, jsonl: IO[str]) -> tuple[str, str | None]:
        """Take one result; its status (extracted, reused, skipped, failed) and problem, if any."""
        if item.error is not None:
            return "failed", item.error
        assert item.key is not None  # a result without an error has its key, and a payload or a cache entry
        meta = read_entry(item.cached, item.key) if item.cached is not None else item.payload
        assert meta is not None
        summary = DocumentSummary.from_json(meta["summary"])
        content = "text:" + summary.text_sha256  # the same text in another encoding
        if summary.sha256 in self.seen or content in self.seen:
            first = self.seen.get(summary.sha256) or self.seen[content]
            return "skipped", f"{item.path}: same content as {first}; built once"
        if summary.slug in self.slugs:
            return "skipped", f"{item.path}: same document IRI ({summary.slug}) as {self.slugs[summary.slug]}; skipped"
        if item.cached is None:
            write_entry(self.cache, item.key, meta)
            turtle, status = meta["turtle"], "extracted"
        else:
            link_entry(item.cached, self.cache, item.key)
            turtle, status = read_text(self.cache / f"{item.key}.ttl"), "reused"
        self.seen[summary.sha256] = self.seen[content] = self.slugs[summary.slug] = item.path
        self.index[str(item.path)] = item.key
        link_file(self.cache / f"{item.key}.txt", self.texts / f"{summary.slug}.txt")
        jsonl.write(meta["record"] + "\n")
        self.loader.add(turtle, meta["graph"])
        self.prefixes |= turtle_prefixes(turtle)
        self.graph_files[meta["graph"]] = self.cache / f"{item.key}.ttl"
        self.summaries.append(summary)
        return status, None


def _finish(ds: Dataset, staging: Path, docs: _Documents, report: BuildReport, *, base: str) -> None:
    """The shared graphs, graph.trig and graph.ttl, the cache index, the counts and summary.json."""
    shared, shared_triples = shared_graphs(docs.summaries, base=base)
    graphs = {gid: (lambda p=path: read_text(p)) for gid, path in docs.graph_files.items()}
    for gid, turtle in shared:
        docs.loader.add(turtle, gid)
        docs.prefixes |= turtle_prefixes(turtle)
        graphs[gid] = lambda t=turtle: t
    docs.loader.flush()
    write_graph_files(sorted(graphs.items()), docs.prefixes, trig=staging / GRAPH_TRIG, turtle=staging / GRAPH_TTL)
    summaries = docs.summaries
    report.documents = len(summaries)
    report.measures = sum(s.measures for s in summaries)
    report.quantities = sum(s.quantities for s in summaries)
    report.programmes = len({p for s in summaries for p in s.programmes})
    report.triples = shared_triples + sum(s.triples for s in summaries)  # document graphs share no triple
    report.shared = shared_programmes(ds)
    report.count_mismatches = count_mismatches(summaries)
    write_index(docs.cache, docs.index)
    (staging / "summary.json").write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def count_mismatches(summaries: list[DocumentSummary]) -> list[CountMismatch]:
    """The documents that announce a count of measures other than the number found, in file order."""
    return [
        CountMismatch(s.source, s.genre, s.announced_count, s.measures)
        for s in summaries
        if s.announced_count is not None and s.announced_count != s.measures
    ]


def shared_programmes(ds: Dataset) -> list[SharedProgramme]:
    """The rows of the library query `shared-programmes` over `ds`, in its order (most jurisdictions first)."""
    rows = result_rows(run_query(ds, load_query("shared-programmes")))
    # label, jurisdictions and count are the query's group key and aggregates: always bound
    return [
        SharedProgramme(r["label"] or "", _sorted_list(r["jurisdictions"] or ""), int(r["count"] or 0)) for r in rows
    ]


def _sorted_list(text: str, sep: str = ENUMERATION_COMMA) -> str:
    """A GROUP_CONCAT in a fixed order (its order is up to the store)."""
    return sep.join(sorted(text.split(sep))) if text else text
