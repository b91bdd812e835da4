"""The `kg` command line: a thin click layer over the library; the only module that prints."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from kg.errors import KgError, one_line
from kg.ingest.source import SUPPORTED_SUFFIXES
from kg.namespaces import DEFAULT_BASE_IRI

__all__ = ["BuildProgress", "BuildReport", "discover_files", "main", "run_build"]

GRAPH_FILES = {"turtle": "graph.ttl", "trig": "graph.trig"}


@dataclass
class BuildReport:
    """What a build produced: counts, problems and where the files are."""

    out_dir: Path
    documents: int = 0
    measures: int = 0
    programmes: int = 0
    quantities: int = 0
    triples: int = 0
    shared: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    store: str = "oxigraph"
    extracted: int = 0  # documents extracted in this build
    reused: int = 0  # documents taken from the previous build's cache
    dropped: int = 0  # documents of the previous build that are gone (their graphs with them)
    notes: list[str] = field(default_factory=list)  # housekeeping: what killed builds left, restored or removed

    def to_json(self) -> dict:
        return {
            "documents": self.documents,
            "measures": self.measures,
            "programmes": self.programmes,
            "quantities": self.quantities,
            "triples": self.triples,
            "top_shared_programmes": self.shared,
            "problems": self.problems,
        }


def discover_files(corpus: Path) -> tuple[list[Path], list[str]]:
    """Supported documents under `corpus` (sorted), and a note for every file passed over."""
    import stat

    from kg.ingest.source import file_kind

    files, skipped = [], []
    seen_dirs: set[tuple[int, int]] = set()

    def unreadable_folder(exc: OSError) -> None:
        skipped.append(f"{exc.filename}: cannot read the folder ({exc.strerror or exc}); skipped")

    for root, dirs, names in os.walk(corpus, followlinks=True, onerror=unreadable_folder):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen_dirs:
            skipped.append(f"{root}: directory visited twice (symlink loop); skipped")
            dirs[:] = []
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith("."):
                continue
            try:  # never hand a pipe, a device or a broken link to the reader: a FIFO blocks for ever
                mode = os.stat(path).st_mode
            except OSError as exc:
                target = f" to {os.readlink(path)}" if os.path.islink(path) else ""
                skipped.append(f"{path}: broken symbolic link{target} ({exc.strerror or exc}); skipped")
                continue
            if not stat.S_ISREG(mode):
                skipped.append(f"{path}: not a regular file ({file_kind(mode)}); skipped")
            elif path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                skipped.append(f"{path}: unsupported file type {path.suffix or '(none)'}; skipped")
    return sorted(files), skipped


@dataclass(frozen=True)
class BuildProgress:
    """One document done, for `run_build(on_progress=…)`: `status` is extracted, reused, failed or skipped."""

    done: int
    total: int
    path: Path
    status: str
    problem: str | None = None


CACHE_DIR = "cache"
CACHE_INDEX = "index.json"


def run_build(
    corpus: Path,
    out: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    store: str = "oxigraph",
    jobs: int = 1,
    scheduler: str | None = None,
    incremental: bool = True,
    on_progress=None,
) -> BuildReport:
    """Extract every document, build the graph and write `out/` atomically (a staging dir, then a swap).

    Documents are extracted by `jobs` processes (or on the Dask cluster at `scheduler`) and consumed in
    file order, one at a time: each is appended to extract.jsonl and text/, its named graph loaded into
    the store (`oxigraph`: on disk in out/store/; `memory`) and cached in out/cache/. With `incremental`,
    documents whose cache entry (path, bytes, base IRI, pipeline fingerprint) is in the previous out/ are
    reused, not extracted again. `on_progress` gets a :class:`BuildProgress` per document.
    """
    from kg.graph.build import DocumentSummary, shared_graphs
    from kg.graph.store import STORE_DIR, GraphLoader, close_store, open_store
    from kg.run.executors import (
        iter_documents,
        link_entry,
        link_file,
        pipeline_fingerprint,
        read_entry,
        read_text,
        turtle_prefixes,
        write_entry,
        write_graph_files,
    )
    from kg.surface.query import load_query, result_rows, run_query
    from kg.surface.views.pages import write_views

    files, problems = discover_files(corpus)
    report = BuildReport(out_dir=out, problems=problems, store=store, notes=_recover_out(out))
    previous = out / CACHE_DIR if incremental and (out / CACHE_DIR / CACHE_INDEX).is_file() else None
    old_index = json.loads((previous / CACHE_INDEX).read_text(encoding="utf-8")) if previous else {}
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-{os.getpid()}-", dir=out.parent))
    ds = None
    try:
        cache, texts = staging / CACHE_DIR, staging / "text"
        cache.mkdir()
        texts.mkdir()
        ds = open_store(store, staging / STORE_DIR if store == "oxigraph" else None, base=base_iri)
        loader = GraphLoader(ds)
        summaries: list[DocumentSummary] = []
        graph_files: dict[str, Path] = {}
        prefixes: set[str] = set()
        seen: dict[str, Path] = {}
        slugs: dict[str, Path] = {}
        index: dict[str, str] = {}
        results = iter_documents(
            files, base=base_iri, jobs=jobs, scheduler=scheduler, cache=previous, fingerprint=pipeline_fingerprint()
        )
        with open(staging / "extract.jsonl", "w", encoding="utf-8", newline="\n") as jsonl:
            for done, item in enumerate(results, 1):
                status, problem = "failed", item.error
                if item.error is None:
                    meta = item.payload if item.cached is None else read_entry(item.cached, item.key)
                    summary = DocumentSummary.from_json(meta["summary"])
                    content = "text:" + summary.text_sha256  # the same text in another encoding
                    if summary.sha256 in seen or content in seen:
                        first = seen.get(summary.sha256) or seen[content]
                        status, problem = "skipped", f"{item.path}: same content as {first}; built once"
                    elif summary.slug in slugs:
                        status = "skipped"
                        problem = f"{item.path}: same document IRI ({summary.slug}) as {slugs[summary.slug]}; skipped"
                    else:
                        if item.cached is None:
                            write_entry(cache, item.key, meta)
                            turtle, status = meta["turtle"], "extracted"
                        else:
                            link_entry(item.cached, cache, item.key)
                            turtle, status = read_text(cache / f"{item.key}.ttl"), "reused"
                        seen[summary.sha256] = seen[content] = slugs[summary.slug] = item.path
                        index[str(item.path)] = item.key
                        link_file(cache / f"{item.key}.txt", texts / f"{summary.slug}.txt")
                        jsonl.write(meta["record"] + "\n")
                        loader.add(turtle, meta["graph"])
                        prefixes |= turtle_prefixes(turtle)
                        graph_files[meta["graph"]] = cache / f"{item.key}.ttl"
                        summaries.append(summary)
                        del turtle
                    del meta
                if problem:
                    problems.append(problem)
                if status in ("extracted", "reused"):
                    setattr(report, status, getattr(report, status) + 1)
                if on_progress:
                    on_progress(BuildProgress(done, len(files), item.path, status, problem))
        report.dropped = len(set(old_index) - set(index))
        if not summaries:
            return report
        shared, shared_triples = shared_graphs(summaries, base=base_iri)
        graphs = {gid: (lambda p=path: read_text(p)) for gid, path in graph_files.items()}
        for gid, turtle in shared:
            loader.add(turtle, gid)
            prefixes |= turtle_prefixes(turtle)
            graphs[gid] = lambda t=turtle: t
        loader.flush()
        write_graph_files(sorted(graphs.items()), prefixes, trig=staging / "graph.trig", turtle=staging / "graph.ttl")
        write_views(ds, staging / "views", text_dir=texts)
        shared_rows = result_rows(run_query(ds, load_query("shared-programmes")))
        report.documents = len(summaries)
        report.measures = sum(s.measures for s in summaries)
        report.quantities = sum(s.quantities for s in summaries)
        report.programmes = len({p for s in summaries for p in s.programmes})
        report.triples = shared_triples + sum(s.triples for s in summaries)  # document graphs share no triple
        report.shared = [
            {"label": r["label"], "jurisdictions": _sorted_list(r["jurisdictions"]), "count": int(r["count"])}
            for r in shared_rows
        ]
        (cache / CACHE_INDEX).write_text(
            json.dumps(index, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
        )
        (staging / "summary.json").write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        close_store(ds)
        ds = None
        os.chmod(staging, 0o755)
        _swap_into_place(staging, out)
    finally:
        if ds is not None:
            close_store(ds)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return report


def _sorted_list(text: str | None, sep: str = "、") -> str:
    """A GROUP_CONCAT in a fixed order (its order is up to the store)."""
    return sep.join(sorted((text or "").split(sep))) if text else (text or "")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap_into_place(staging: Path, out: Path) -> None:
    """Put `staging` at `out`: one atomic exchange where the OS has it, so no moment exists without an
    `out/`; elsewhere two renames, and :func:`_recover_out` restores `out/` if a death falls in between."""
    if out.exists() and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous build
        return
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _recover_out(out: Path) -> list[str]:
    """Before a build: put back an `out/` that a killed build had moved aside, and remove the staging and
    old folders of builds whose process is gone. Returns one note per thing done."""
    notes = []
    if not out.parent.is_dir():
        return notes
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(staging|old)-(\d+)(-.*)?$")
    leftovers = sorted(out.parent.iterdir(), key=lambda p: p.stat().st_mtime if p.exists() else 0, reverse=True)
    for path in leftovers:
        m = pattern.match(path.name)
        if not m or _alive(int(m.group(2))):
            continue
        if m.group(1) == "old" and not out.exists():
            os.replace(path, out)
            notes.append(f"{out}: restored the previous build from {path.name} (a build was killed while swapping)")
            continue
        shutil.rmtree(path, ignore_errors=True)
        notes.append(f"{path}: removed what a killed build left")
    return notes


def _alive(pid: int) -> bool:
    """Whether another process `pid` runs (this process's own leftovers are from a build that died)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fail(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def _out_option(help: str | None = None, *, folder_only: bool = False):
    """The `--out` folder option every command shares (default out/)."""
    return click.option(
        "--out",
        "out_dir",
        default="out",
        type=click.Path(file_okay=not folder_only, path_type=Path),
        show_default=True,
        help=help,
    )


@click.group()
@click.version_option(package_name="unionkg")
def main() -> None:
    """unionkg: a knowledge graph of Chinese trade-union policy documents."""


@main.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(file_okay=False, path_type=Path))
@_out_option("Output folder (replaced atomically).", folder_only=True)
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Base IRI of documents and facts.")
@click.option(
    "--store",
    type=click.Choice(["oxigraph", "memory"]),
    default="oxigraph",
    show_default=True,
    help="oxigraph: an on-disk Oxigraph store in OUT/store/ (what query, viz and export then use); memory: rdflib's.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="number of cores",
    help="Documents extracted in parallel processes.",
)
@click.option("--scheduler", metavar="URL", help="Extract on a Dask cluster instead, e.g. tcp://scheduler:8786.")
@click.option(
    "--no-incremental",
    "--clean",
    "clean",
    is_flag=True,
    help="Extract every document again (default: reuse the previous build's unchanged documents).",
)
@click.option("--strict", is_flag=True, help="Exit non-zero when any file could not be built.")
def build(
    corpus_dir: Path,
    out_dir: Path,
    base_iri: str,
    store: str,
    jobs: int,
    scheduler: str | None,
    clean: bool,
    strict: bool,
) -> None:
    """Build the graph from CORPUS_DIR (default corpus/) into --out (default out/).

    \b
    Examples:
      kg build                                   # corpus/ -> out/, all cores, Oxigraph store
      kg build corpus --out out --jobs 4 --store memory
      kg build big-corpus --scheduler tcp://dask-scheduler:8786
      kg build --clean                           # ignore out/cache/, extract everything again
    """
    if not corpus_dir.is_dir():
        _fail(f"{corpus_dir}: no such corpus folder")
    bar = _ProgressBar()
    try:
        report = run_build(
            corpus_dir,
            out_dir,
            base_iri=base_iri,
            store=store,
            jobs=jobs,
            scheduler=scheduler,
            incremental=not clean,
            on_progress=bar,
        )
    except KgError as exc:
        bar.close()
        _fail(exc)
    bar.close()
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for problem in report.problems:
        if problem not in bar.shown:
            click.echo(f"warning: {problem}", err=True)
    if not report.documents:
        click.echo(f"error: {corpus_dir}: no document could be built", err=True)
        sys.exit(1)
    click.echo(_summary_text(report))
    if strict and report.problems:
        sys.exit(1)


class _ProgressBar:
    """`kg build`'s progress: documents done, documents per second, failures (as warnings, when they happen).

    On a terminal one line redrawn in place; otherwise a line per document (at most about a hundred lines).
    """

    def __init__(self) -> None:
        import time

        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.failed = 0
        self.shown: set[str] = set()
        self.drawn = False

    def __call__(self, p: BuildProgress) -> None:
        import time

        if p.problem:
            self.failed += p.status == "failed"
            self.shown.add(p.problem)
            self._clear()
            click.echo(f"warning: {p.problem}", err=True)
        rate = p.done / max(time.monotonic() - self.started, 1e-6)
        line = f"[{p.done}/{p.total}] {rate:.1f} docs/s, {self.failed} failed  {p.path.name} ({p.status})"
        if self.tty:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            click.echo("\r" + line[:width].ljust(width), err=True, nl=False)
            self.drawn = True
        elif p.total <= 100 or p.done % max(1, p.total // 100) == 0 or p.done == p.total:
            click.echo(line, err=True)

    def _clear(self) -> None:
        if self.drawn:
            click.echo("\r" + " " * (shutil.get_terminal_size((100, 20)).columns - 1) + "\r", err=True, nl=False)
            self.drawn = False

    def close(self) -> None:
        if self.drawn:
            click.echo("", err=True)
            self.drawn = False


def _summary_text(report: BuildReport) -> str:
    lines = [
        f"Built {report.out_dir}/ : {report.documents} documents, {report.measures} measures, "
        f"{report.programmes} programmes, {report.quantities} quantities, {report.triples} triples",
        f"Store: {report.store}; {report.extracted} documents extracted, {report.reused} reused from the "
        f"previous build, {report.dropped} dropped",
        "Top shared programmes:",
    ]
    for row in report.shared[:10]:
        lines.append(f"  {row['label']}  ({row['count']}: {row['jurisdictions']})")
    return "\n".join(lines)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="JSON Lines, one object per document (see README for the contract).",
)
def extract(files: tuple[Path, ...], fmt: str) -> None:
    """Extract structure, entities and quantities from FILES as JSON Lines."""
    from kg.pipeline.components import process_file

    failed = 0
    for path in files:
        try:
            rec = process_file(path)
        except KgError as exc:
            click.echo(f"warning: {exc}", err=True)
            failed += 1
            continue
        except Exception as exc:  # a bug on one document: report it in one line and go on
            from kg.run.executors import internal_error

            click.echo(f"warning: {internal_error(path, exc)}", err=True)
            failed += 1
            continue
        click.echo(json.dumps(rec.to_json(), ensure_ascii=False))
    if failed == len(files):
        sys.exit(1)


def _load_dataset(out_dir: Path, *, use_store: bool = True):
    """The built graph: OUT/store/ (Oxigraph, read-only) when the build made one, else OUT/graph.trig."""
    from rdflib import Dataset

    from kg.graph.store import STORE_DIR, open_store
    from kg.namespaces import bind_prefixes

    if use_store and (out_dir / STORE_DIR).is_dir():
        try:
            return open_store("oxigraph", out_dir / STORE_DIR, read_only=True)
        except OSError as exc:
            _fail(f"{out_dir / STORE_DIR}: cannot open the Oxigraph store ({one_line(exc)})")
    path = out_dir / GRAPH_FILES["trig"]
    if not path.exists():
        _fail(f"{path}: no built graph; run `kg build` first")
    ds = Dataset(default_union=True)
    ds.parse(path, format="trig")
    bind_prefixes(ds)
    return ds


@main.command()
@click.argument("name", required=False)
@click.option(
    "-e", "--expression", help="An inline SPARQL query instead of NAME (prefixes ukg:, oa:, skos: … predeclared)."
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind a parameter the query declares (repeatable); an IRI may be prefix:name, e.g. place:sichuan.",
)
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
    help="json is the SPARQL 1.1 query results JSON format.",
)
@_out_option("The built output folder to query.")
@click.option("--list", "list_only", is_flag=True, help="List the available queries, their questions and parameters.")
def query(name, expression, params, fmt, out_dir, list_only) -> None:
    """Run a query by NAME (from queries/), by .rq FILE, or inline with -e.

    \b
    Examples:
      kg query --list
      kg query shared-programmes --param minJurisdictions=3
      kg query compare-jurisdictions --param a=place:sichuan --param b=place:chongqing
      kg query my-question.rq --format csv
      kg query -e 'SELECT ?doc ?title WHERE { ?doc a ukg:PolicyDocument ; dcterms:title ?title }'
    """
    from kg.surface.query import (
        available_queries,
        format_result,
        load_query,
        parse_params,
        prepare,
        query_from_text,
        run_query,
    )

    try:
        if list_only:
            for qname in available_queries():
                q = load_query(qname)
                declared = ", ".join(p + ("*" if p in q.required else "") for p in q.params)
                click.echo(f"{qname:26s} {q.question}" + (f"  [params: {declared}]" if declared else ""))
            return
        if expression and name:
            _fail("give a query NAME or .rq FILE, or -e 'SPARQL', not both")
        if expression:
            q = query_from_text(expression)
        elif name:
            q = load_query(name)
        else:
            _fail("give a query NAME, a .rq FILE or -e 'SPARQL'; see `kg query --list`")
        bindings = parse_params(params, q)
        prepare(q)  # report a syntax error before loading the graph
        ds = _load_dataset(out_dir)
        result = run_query(ds, q, bindings=bindings)
        click.echo(format_result(result, fmt), nl=False)
    except KgError as exc:
        _fail(exc)


@main.command()
@_out_option()
@click.option(
    "--top",
    "overview_top",
    type=click.IntRange(min=1),
    default=None,
    help="Programmes the overview draws one by one; the rest are collapsed per category [default: 120].",
)
def viz(out_dir: Path, overview_top: int | None) -> None:
    """Write the interactive views into OUT/views/ (open OUT/views/index.html)."""
    from kg.surface.views.pages import OVERVIEW_TOP, write_views

    ds = _load_dataset(out_dir)
    paths = write_views(ds, out_dir / "views", text_dir=out_dir / "text", overview_top=overview_top or OVERVIEW_TOP)
    counts: dict[str, int] = {}
    for path in paths:
        kind = path.stem.split("-", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    click.echo(f"wrote {len(paths)} views to {out_dir / 'views'}/ ({summary}); open {out_dir / 'views' / 'index.html'}")


@main.command()
@click.option(
    "--format",
    "fmt",
    default="turtle",
    show_default=True,
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf"]),
    help="An RDF serialisation, or graphml/gexf: the entity graph for Gephi (docs/exports.md).",
)
@_out_option()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of OUT/export/graph.<ext> (entities.<ext> for graphml/gexf); '-' for standard output.",
)
def export(fmt: str, out_dir: Path, output: Path | None) -> None:
    """Export the built graph as Turtle, TriG, N-Quads, N-Triples, JSON-LD, or its entity graph as GraphML/GEXF."""
    from kg.surface.export import FORMATS, serialize, write_export
    from kg.surface.network import NETWORK_FORMATS, entity_graph, network_bytes, write_network

    ds = _load_dataset(out_dir, use_store=False)  # graph.trig: literals exactly as built (Oxigraph canonicalises)
    try:
        if fmt in NETWORK_FORMATS:
            if output is not None and str(output) == "-":
                click.echo(network_bytes(entity_graph(ds), fmt).decode("utf-8"), nl=False)
                return
            path = output or out_dir / "export" / f"entities.{NETWORK_FORMATS[fmt]}"
            g = write_network(ds, fmt, path)
            click.echo(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
            return
        if output is not None and str(output) == "-":
            click.echo(serialize(ds, fmt), nl=False)
            return
        path = output or out_dir / "export" / f"graph.{FORMATS[fmt][1]}"
        write_export(ds, fmt, path)
    except KgError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(f"{output or out_dir / 'export'}: cannot write the export ({exc.strerror or exc})")
    click.echo(f"wrote {path}")


@main.command()
@_out_option(
    "A built output folder: when it holds a graph, each programme and group says where the corpus mentions it."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the page here instead of OUT/docs/index.html.",
)
@click.option(
    "--ontology",
    "ontology_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Document the Turtle files of this folder instead of the shipped ontology/.",
)
def docs(out_dir: Path, output: Path | None, ontology_dir: Path | None) -> None:
    """Write the HTML documentation of the ontology, programme scheme, target groups and projects."""
    from kg.surface.ontodoc import write_docs
    from kg.vocab.ontology import ONTOLOGY_DIR

    ds = None
    if (out_dir / GRAPH_FILES["trig"]).exists() or (out_dir / "store").is_dir():
        ds = _load_dataset(out_dir)
    path = output or out_dir / "docs" / "index.html"
    try:
        path, terms = write_docs(path, ontology_dir=ontology_dir or ONTOLOGY_DIR, dataset=ds)
    except KgError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(f"{path}: cannot write the documentation ({exc.strerror or exc})")
    click.echo(f"wrote {path} ({terms} terms{', with corpus counts' if ds is not None else ''}); open it in a browser")


@main.command()
@_out_option()
def validate(out_dir: Path) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl."""
    from kg.graph.validate import validate_dataset

    ds = _load_dataset(out_dir, use_store=False)  # the shapes check datatypes that Oxigraph canonicalises
    conforms, text = validate_dataset(ds)
    click.echo("conforms" if conforms else text)
    sys.exit(0 if conforms else 1)


@main.command()
@click.option(
    "--endpoint",
    envvar="UNIONKG_PUSH_ENDPOINT",
    required=True,
    help="Graph Store Protocol URL, e.g. http://localhost:8890/sparql-graph-crud-auth (Virtuoso).",
)
@_out_option()
@click.option("--user", envvar="UNIONKG_PUSH_USER", help="User name (or env UNIONKG_PUSH_USER).")
@click.option("--password", envvar="UNIONKG_PUSH_PASSWORD", help="Password (or env UNIONKG_PUSH_PASSWORD).")
@click.option("--auth", "auth_kind", type=click.Choice(["basic", "digest"]), default="basic", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples"]), default="turtle", show_default=True)
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for each graph.")
@click.option("--dry-run", is_flag=True, help="Show the requests without sending anything.")
def push(endpoint, out_dir, user, password, auth_kind, fmt, timeout, dry_run) -> None:
    """PUT every named graph of OUT/graph.trig to a SPARQL Graph Store (replaces each graph: idempotent)."""
    from kg.surface.push import make_auth, push_dataset

    def progress(i, n, g):
        status = "dry run" if g.status is None else f"HTTP {g.status}"
        click.echo(f"[{i}/{n}] {g.graph}  {g.triples} triples, {g.bytes} bytes  {status}", err=True)

    try:
        auth = make_auth(auth_kind, user, password)
        ds = _load_dataset(out_dir, use_store=False)  # graph.trig: literals exactly as built
        report = push_dataset(ds, endpoint, auth=auth, fmt=fmt, timeout=timeout, dry_run=dry_run, on_graph=progress)
    except KgError as exc:
        _fail(exc)
    if dry_run:
        for g in report.graphs:
            click.echo(f"PUT {g.url}")
        click.echo(f"dry run: would push {len(report.graphs)} graphs, {report.triples} triples to {endpoint}")
    else:
        click.echo(
            f"pushed {len(report.graphs)} graphs, {report.triples} triples ({report.bytes / 1e6:.1f} MB) "
            f"to {endpoint} in {report.seconds:.1f} s"
        )


@main.command()
@_out_option("The build to serve.")
@click.option("--port", default=7878, type=click.IntRange(0, 65535), show_default=True, help="0 picks a free port.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback lets other machines query the graph.",
)
@click.option("--timeout", default=30.0, type=float, show_default=True, help="Seconds a query may run (then 504).")
@click.option("--max-rows", default=10_000, type=int, show_default=True, help="Most rows (or triples) an answer has.")
@click.option("--cors", is_flag=True, help="Let web pages from other origins query it (e.g. a hosted YASGUI).")
def serve(out_dir: Path, port: int, host: str, timeout: float, max_rows: int, cors: bool) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint with a query page (Ctrl-C stops it).

    \b
    Updates, LOAD and SERVICE are refused; see README "Endpoint".
      kg serve                      # http://127.0.0.1:7878/query, query page at http://127.0.0.1:7878/
      curl -H 'Accept: application/sparql-results+json' --data-urlencode 'query=ASK {?s ?p ?o}' \\
           http://127.0.0.1:7878/query
    """
    import signal

    from kg.surface.serve import is_loopback, start_endpoint

    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        endpoint = start_endpoint(out_dir, host=host, port=port, timeout=timeout, max_rows=max_rows, cors=cors)
    except KgError as exc:
        _fail(exc)
    try:
        signal.signal(signal.SIGTERM, stop)
        if not is_loopback(host):
            click.echo(f"warning: listening on {host}: other machines can query this graph", err=True)
        click.echo(f"SPARQL endpoint: {endpoint.query_url}  (read-only; serving {endpoint.source})")
        click.echo(f"query page:      {endpoint.url}")
        click.echo(f"timeout {timeout:g} s, at most {max_rows:,} rows per answer; Ctrl-C to stop", err=True)
        endpoint.wait()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.close()
        click.echo("stopped", err=True)


if __name__ == "__main__":
    main()
