"""The build: a corpus folder in, `out/` written atomically (graphs, records, texts, store, cache, summary).

:func:`run_build` walks the corpus, has the executors extract each document (or takes it from the
previous build's cache), and consumes the results in file order, one at a time, into a staging folder
that then replaces `out/` in one step (:mod:`kg.run.workspace`). What the layers above add to a build
(the views) they write through the `after_build` callback, into the staging folder, before the swap.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from rdflib import Dataset

from kg.errors import BuildError
from kg.graph.queries import load_query, result_rows, run_query
from kg.graph.store import STORE_DIR, GraphLoader, close_store, open_store, remove_graphs, store_files
from kg.graph.summary import DocumentSummary, shared_graphs
from kg.namespaces import DEFAULT_BASE_IRI
from kg.run.cache import (
    CACHE_DIR,
    link_entry,
    link_file,
    pipeline_fingerprint,
    previous_cache,
    read_index,
    read_text,
    sync_folder,
    write_atomic,
    write_entry,
    write_index,
)
from kg.run.corpus import discover_files
from kg.run.executors import DocumentResult, iter_documents
from kg.run.lock import build_lock
from kg.run.outputs import file_prefixes, turtle_prefixes, write_graph_files
from kg.run.progress import BuildProgress
from kg.run.reuse import StoreManifest, reuse_store, text_digest
from kg.run.workspace import GRAPH_TRIG, GRAPH_TTL, publish, recover_out, staging_dir
from kg.text.chars import ENUMERATION_COMMA

__all__ = [
    "BuildReport",
    "CountMismatch",
    "SharedProgramme",
    "count_mismatches",
    "run_build",
    "shared_programmes",
    "write_error",
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
    kept: int = 0  # named graphs taken over unchanged from the previous build's store (not loaded again)
    notes: list[str] = field(default_factory=list)  # housekeeping: what killed builds left, restored or removed
    # faults met and repaired on the way (a damaged cache file, a stale lock): warnings, not in summary.json
    warnings: list[str] = field(default_factory=list)

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

    def messages(self, *, shown: set[str] | frozenset[str] = frozenset()) -> list[str]:
        """The lines `kg build` prints on stderr after the build: ``note:`` for housekeeping, ``warning:`` for
        each fault repaired (damaged cache file, stale lock) and each problem not already `shown`."""
        problems = [p for p in self.problems if p not in shown]
        return [f"note: {n}" for n in self.notes] + [f"warning: {w}" for w in self.warnings + problems]

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


@dataclass(frozen=True)
class _Options:
    base_iri: str
    store: str
    jobs: int
    scheduler: str | None
    incremental: bool
    turtle: bool
    on_progress: Callable[[BuildProgress], object] | None
    on_phase: Callable[[str], object] | None
    after_build: Callable[[Dataset, Path], object] | None

    def phase(self, name: str) -> None:
        if self.on_phase:
            self.on_phase(name)


def run_build(
    corpus: Path,
    out: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    store: str = "oxigraph",
    jobs: int = 1,
    scheduler: str | None = None,
    incremental: bool = True,
    turtle: bool = False,
    on_progress: Callable[[BuildProgress], object] | None = None,
    on_phase: Callable[[str], object] | None = None,
    after_build: Callable[[Dataset, Path], object] | None = None,
    wait: bool | float = False,
    on_wait: Callable[[str], object] | None = None,
) -> BuildReport:
    """Extract every document, build the graph and write `out/` atomically (a staging dir, then a swap).

    Documents are extracted by `jobs` processes (or on the Dask cluster at `scheduler`) and consumed in
    file order, one at a time: each is appended to extract.jsonl and text/, its named graph loaded into
    the store (`oxigraph`: on disk in out/store/; `memory`) and cached in out/cache/. With `incremental`,
    documents whose cache entry (path, bytes, base IRI, pipeline fingerprint) is in the previous out/ are
    reused, not extracted again; a damaged entry is extracted again, with a warning; and on Oxigraph the
    store starts as a copy of the previous one, of which only the graphs of changed, added and removed
    documents and the shared graphs that changed are replaced (:mod:`kg.run.reuse`). graph.trig is always
    written, graph.ttl (the same triples again, without graph names) only with `turtle`. `on_progress` gets
    a :class:`BuildProgress` per document, `on_phase` the name of each step after the documents (shared
    graphs, store, graph.trig, summary, views, publish) as it starts. `after_build(store, folder)` is called
    last, with the complete staging folder: what it writes there is swapped in with the build. Without any
    document built, `out/` is left as it was.

    One build at a time per `out/` (:mod:`kg.run.lock`): with another one running this raises
    BuildError.locked, or with `wait` waits for it (`on_wait` gets one line when it starts waiting). A
    write error anywhere (a full disk) raises BuildError.no_space or write_failed naming the path, with the
    previous `out/` untouched and the staging folder removed.
    """
    files, problems = discover_files(corpus)
    report = BuildReport(out_dir=out, problems=problems, store=store)
    options = _Options(base_iri, store, jobs, scheduler, incremental, turtle, on_progress, on_phase, after_build)
    try:
        with build_lock(out, wait=wait, on_wait=on_wait) as taken:
            report.warnings += taken
            report.notes = recover_out(out)
            _build(files, out, report, options)
    except OSError as exc:
        raise write_error(exc, out, None) from None
    return report


def _open_store(out: Path, staging: Path, report: BuildReport, o: _Options) -> tuple[Dataset, dict[str, str], int]:
    """The staging store, the graphs it holds already (IRI -> digest) and its size when it was last loaded
    whole: a copy of the previous build's store when it can be reused (an incremental build on Oxigraph), else
    an empty one (0: it is loaded whole now)."""
    if o.store != "oxigraph":
        return open_store(o.store, None, base=o.base_iri), {}, 0
    path = staging / STORE_DIR
    held: dict[str, str] = {}
    loaded = 0
    if o.incremental:
        held, loaded, warning = reuse_store(out, path, fingerprint=pipeline_fingerprint(), base=o.base_iri)
        if warning:
            report.warnings.append(warning)
    if held:
        try:
            return open_store("oxigraph", path, base=o.base_iri), held, loaded
        except (RuntimeError, ValueError, OSError) as exc:  # a copy that does not open: start afresh
            report.warnings.append(f"{out / STORE_DIR}: the copy does not open ({exc}); every graph loaded again")
            shutil.rmtree(path, ignore_errors=True)
    return open_store("oxigraph", path, base=o.base_iri), {}, 0


def _build(files, out: Path, report: BuildReport, o: _Options) -> None:
    previous = previous_cache(out) if o.incremental else None
    old_index, warning = read_index(previous)
    if warning:
        report.warnings.append(warning)
    with staging_dir(out) as staging:
        try:
            (staging / CACHE_DIR).mkdir()
            (staging / "text").mkdir()
            ds, held, loaded = _open_store(out, staging, report, o)
        except OSError as exc:
            raise write_error(exc, out, staging) from None
        closed = False
        try:
            docs = _Documents(staging, ds, held)
            results = iter_documents(
                files,
                base=o.base_iri,
                jobs=o.jobs,
                scheduler=o.scheduler,
                cache=previous,
                fingerprint=pipeline_fingerprint(),
                indexed=old_index,
            )
            jsonl_path = staging / "extract.jsonl"
            with named(jsonl_path), open(jsonl_path, "w", encoding="utf-8", newline="\n") as jsonl:
                for done, item in enumerate(results, 1):
                    status, problem = docs.add(item, jsonl)
                    if item.warning:
                        report.warnings.append(item.warning)
                    if problem:
                        report.problems.append(problem)
                    if status in ("extracted", "reused"):
                        setattr(report, status, getattr(report, status) + 1)
                    if o.on_progress:
                        o.on_progress(BuildProgress(done, len(files), item.path, status, problem))
            report.dropped = len(set(old_index) - set(docs.index))
            if not docs.summaries:
                return
            graphs = _finish(ds, staging, docs, report, o)
            if o.after_build:
                o.phase("views")
                with named(staging / "views"):
                    o.after_build(ds, staging)
            o.phase("publish")
            close_store(ds)
            closed = True
            if o.store == "oxigraph":
                with named(staging / CACHE_DIR):
                    files = store_files(staging / STORE_DIR)
                    loaded = loaded or sum(files.values())
                    StoreManifest(pipeline_fingerprint(), o.base_iri, graphs, files, loaded).write(staging / CACHE_DIR)
            sync_folder(staging)  # the cache entries (written without an fsync each) are on disk before the swap
            publish(staging, out)
        except OSError as exc:
            raise write_error(exc, out, staging) from None
        finally:
            if not closed:
                close_store(ds)


@contextlib.contextmanager
def named(path: Path) -> Iterator[None]:
    """Give an OSError raised in the block without a file name (a write() on a full disk) the name `path`."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise


def _size(folder: Path | None) -> int:
    """Bytes of the files under `folder` (0 when there is none)."""
    total = 0
    if folder is None or not folder.is_dir():
        return total
    for root, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total


def _megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def write_error(exc: OSError, out: Path, staging: Path | None) -> BuildError:
    """The one-line error of an OSError met while building `out` (in `staging`, when it exists yet; a file
    there is named by its place in `out`): for a full disk (ENOSPC, EDQUOT) the space needed (the previous
    build's size, or what was staged when it failed, whichever is more) and the space free."""
    path = Path(exc.filename) if exc.filename else out
    if staging is not None and path.is_relative_to(staging):  # the staging folder is gone: name the file in out/
        path = out / path.relative_to(staging)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        staged, previous = _size(staging), _size(out)
        needed = _megabytes(previous) if previous > staged else f"more than {_megabytes(staged)}"
        where = next((p for p in (path, *path.parents) if p.exists()), Path("."))
        try:
            free = _megabytes(shutil.disk_usage(where).free)
        except OSError:
            free = "unknown"
        return BuildError.no_space(str(path), needed, free)
    return BuildError.write_failed(str(path), exc.strerror or str(exc))


class _Documents:
    """The documents consumed so far, in file order: cache entries, texts, graphs, prefixes, summaries.

    `held`: the graphs the staging store holds already (a copy of the previous build's store; IRI -> digest):
    a document whose cache key is its graph's digest there is not loaded again, any other graph of it is
    removed before the document's is loaded."""

    def __init__(self, staging: Path, ds: Dataset, held: dict[str, str]) -> None:
        self.cache, self.texts, self.ds, self.loader = staging / CACHE_DIR, staging / "text", ds, GraphLoader(ds)
        self.store = staging / STORE_DIR
        self.held = held
        self.kept = 0  # graphs of `held` left as they are
        self.summaries: list[DocumentSummary] = []
        self.graph_files: dict[str, Path] = {}
        self.graph_keys: dict[str, str] = {}
        self.prefixes: set[str] = set()
        self.seen: dict[str, Path] = {}  # content digests (of the bytes; "text:" + of the decoded text) -> path
        self.slugs: dict[str, Path] = {}
        self.index: dict[str, str] = {}

    def add(self, item: DocumentResult, jsonl: IO[str]) -> tuple[str, str | None]:
        """Take one result; its status (extracted, reused, skipped, failed) and problem, if any."""
        if item.error is not None:
            return "failed", item.error
        assert item.key is not None and item.payload is not None  # a result without an error has both
        meta = item.payload
        summary = DocumentSummary.from_json(meta["summary"])
        content = "text:" + summary.text_sha256  # the same text in another encoding
        if summary.sha256 in self.seen or content in self.seen:
            first = self.seen.get(summary.sha256) or self.seen[content]
            form = " (the same name in another Unicode normalisation)" if _nfc(item.path) == _nfc(first) else ""
            return "skipped", f"{item.path}: same content as {first}{form}; built once"
        if summary.slug in self.slugs:
            return "skipped", f"{item.path}: same document IRI ({summary.slug}) as {self.slugs[summary.slug]}; skipped"
        graph, ttl = meta["graph"], self.cache / f"{item.key}.ttl"
        turtle: str | None = None
        if item.cached is None:
            write_entry(self.cache, item.key, meta)
            turtle, status = meta["turtle"], "extracted"
        else:
            with named(ttl):
                link_entry(item.cached, self.cache, item.key)
            status = "reused"
        self.seen[summary.sha256] = self.seen[content] = self.slugs[summary.slug] = item.path
        self.index[str(item.path)] = item.key
        with named(self.texts / f"{summary.slug}.txt"):
            link_file(self.cache / f"{item.key}.txt", self.texts / f"{summary.slug}.txt")
        with named(self.cache.parent / "extract.jsonl"):
            jsonl.write(meta["record"] + "\n")
        if self.held.get(graph) == item.key:  # the store has this very graph: only its prefixes are needed
            self.kept += 1
            self.prefixes |= turtle_prefixes(turtle) if turtle is not None else file_prefixes(ttl)
        else:
            if turtle is None:
                turtle = read_text(ttl)
            self.load(turtle, graph)
            self.prefixes |= turtle_prefixes(turtle)
        self.graph_files[graph] = ttl
        self.graph_keys[graph] = item.key
        self.summaries.append(summary)
        return status, None

    def load(self, turtle: str, graph: str) -> None:
        """Load `graph` into the store (after removing what the copied store holds of it)."""
        with named(self.store):
            if graph in self.held:
                remove_graphs(self.ds, [graph])
            self.loader.add(turtle, graph)


def _nfc(path: Path) -> str:
    return unicodedata.normalize("NFC", str(path))


def _finish(ds: Dataset, staging: Path, docs: _Documents, report: BuildReport, o: _Options) -> dict[str, str]:
    """The shared graphs, the store's last graphs, graph.trig (and graph.ttl), the cache index, the counts and
    summary.json. Returns the graphs of the store (IRI -> digest: a document's cache key, a shared graph's
    sha256) for its manifest."""
    o.phase("shared graphs")
    shared, shared_triples = shared_graphs(docs.summaries, base=o.base_iri)
    graphs = {gid: (lambda p=path: read_text(p)) for gid, path in docs.graph_files.items()}
    digests = dict(docs.graph_keys)
    o.phase("store")
    for gid, turtle in shared:
        digests[gid] = text_digest(turtle)
        docs.prefixes |= turtle_prefixes(turtle)
        graphs[gid] = lambda t=turtle: t
        if docs.held.get(gid) == digests[gid]:
            docs.kept += 1
        else:
            docs.load(turtle, gid)
    with named(staging / STORE_DIR):
        remove_graphs(ds, sorted(set(docs.held) - set(digests)))  # the graphs of documents gone
        docs.loader.flush()
    report.kept = docs.kept
    o.phase(GRAPH_TRIG if not o.turtle else f"{GRAPH_TRIG}, {GRAPH_TTL}")
    turtle_path = staging / GRAPH_TTL if o.turtle else None
    write_graph_files(sorted(graphs.items()), docs.prefixes, trig=staging / GRAPH_TRIG, turtle=turtle_path)
    o.phase("summary")
    summaries = docs.summaries
    report.documents = len(summaries)
    report.measures = sum(s.measures for s in summaries)
    report.quantities = sum(s.quantities for s in summaries)
    report.programmes = len({p for s in summaries for p in s.programmes})
    report.triples = shared_triples + sum(s.triples for s in summaries)  # document graphs share no triple
    report.shared = shared_programmes(ds)
    report.count_mismatches = count_mismatches(summaries)
    write_index(docs.cache, docs.index)
    text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(staging / "summary.json", text.encode("utf-8"))
    return digests


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
