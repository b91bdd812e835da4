"""The `kg` command line: a thin click layer over the library; the only module that prints."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from kg.errors import KgError
from kg.ingest import SUPPORTED_SUFFIXES
from kg.namespaces import DEFAULT_BASE_IRI

__all__ = ["BuildReport", "discover_files", "main", "run_build"]

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
    files, skipped = [], []
    seen_dirs: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(corpus, followlinks=True):
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
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                skipped.append(f"{path}: unsupported file type {path.suffix or '(none)'}; skipped")
    return sorted(files), skipped


def run_build(corpus: Path, out: Path, *, base_iri: str = DEFAULT_BASE_IRI, on_progress=None) -> BuildReport:
    """Extract every document, build the graph and write `out/` atomically (a temp dir, then a swap)."""
    from kg.build import build_dataset
    from kg.export import write_export
    from kg.pipeline import process_file
    from kg.query import load_query, result_rows, run_query
    from kg.viz import write_views

    files, problems = discover_files(corpus)
    records, seen = [], {}
    for i, path in enumerate(files, 1):
        try:
            rec = process_file(path)
        except KgError as exc:
            problems.append(str(exc))
            continue
        if rec.sha256 in seen:
            problems.append(f"{path}: same content as {seen[rec.sha256]}; built once")
            continue
        seen[rec.sha256] = path
        records.append(rec)
        if on_progress:
            on_progress(i, len(files), path)
    report = BuildReport(out_dir=out, problems=problems)
    if not records:
        return report
    ds = build_dataset(records, base=base_iri)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        for fmt, name in GRAPH_FILES.items():
            write_export(ds, fmt, staging / name)
        with open(staging / "extract.jsonl", "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec.to_json(), ensure_ascii=False, sort_keys=False) + "\n")
        _write_texts(records, staging / "text")
        write_views(ds, staging / "views", text_dir=staging / "text")
        shared = result_rows(run_query(ds, load_query("shared-programmes")))
        report.documents = len(records)
        report.measures = sum(len(r.measures) for r in records)
        report.quantities = sum(len(r.quantities) for r in records)
        report.programmes = len({m["id"] for r in records for m in r.mentions if m["type"] == "programme"})
        report.triples = len(ds)
        report.shared = [
            {"label": r["label"], "jurisdictions": r["jurisdictions"], "count": int(r["count"])} for r in shared
        ]
        (staging / "summary.json").write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        os.chmod(staging, 0o755)
        _swap_into_place(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return report


def _write_texts(records, folder: Path) -> None:
    """`text/<slug>.txt`: the extracted text of every document, which all offsets and quotes point into."""
    from kg.build import document_slug

    folder.mkdir(parents=True, exist_ok=True)
    for rec in records:
        (folder / f"{document_slug(rec.source, rec.sha256)}.txt").write_bytes(rec.text.encode("utf-8"))


def _swap_into_place(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _fail(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


@click.group()
@click.version_option(package_name="unionkg")
def main() -> None:
    """unionkg: a knowledge graph of Chinese trade-union policy documents."""


@main.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default="out",
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
    help="Output folder (replaced atomically).",
)
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Base IRI of documents and facts.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any file could not be built.")
def build(corpus_dir: Path, out_dir: Path, base_iri: str, strict: bool) -> None:
    """Build the graph from CORPUS_DIR (default corpus/) into --out (default out/)."""
    if not corpus_dir.is_dir():
        _fail(f"{corpus_dir}: no such corpus folder")

    def progress(i, n, path):
        click.echo(f"[{i}/{n}] {path.name}", err=True)

    report = run_build(corpus_dir, out_dir, base_iri=base_iri, on_progress=progress)
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)
    if not report.documents:
        click.echo(f"error: {corpus_dir}: no document could be built", err=True)
        sys.exit(1)
    click.echo(_summary_text(report))
    if strict and report.problems:
        sys.exit(1)


def _summary_text(report: BuildReport) -> str:
    lines = [
        f"Built {report.out_dir}/ : {report.documents} documents, {report.measures} measures, "
        f"{report.programmes} programmes, {report.quantities} quantities, {report.triples} triples",
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
    from kg.pipeline import process_file

    failed = 0
    for path in files:
        try:
            rec = process_file(path)
        except KgError as exc:
            click.echo(f"warning: {exc}", err=True)
            failed += 1
            continue
        click.echo(json.dumps(rec.to_json(), ensure_ascii=False))
    if failed == len(files):
        sys.exit(1)


def _load_dataset(out_dir: Path):
    from rdflib import Dataset

    from kg.build import bind_prefixes

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
@click.option(
    "--out",
    "out_dir",
    default="out",
    type=click.Path(path_type=Path),
    show_default=True,
    help="The built output folder to query.",
)
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
    from kg.query import available_queries, format_result, load_query, parse_params, prepare, query_from_text, run_query

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
@click.option("--out", "out_dir", default="out", type=click.Path(path_type=Path), show_default=True)
@click.option(
    "--top",
    "overview_top",
    type=click.IntRange(min=1),
    default=None,
    help="Programmes the overview draws one by one; the rest are collapsed per category [default: 120].",
)
def viz(out_dir: Path, overview_top: int | None) -> None:
    """Write the interactive views into OUT/views/ (open OUT/views/index.html)."""
    from kg.viz import OVERVIEW_TOP, write_views

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
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
)
@click.option("--out", "out_dir", default="out", type=click.Path(path_type=Path), show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of OUT/export/graph.<ext>; '-' for standard output.",
)
def export(fmt: str, out_dir: Path, output: Path | None) -> None:
    """Export the built graph as Turtle, TriG, N-Quads, N-Triples or JSON-LD."""
    from kg.export import FORMATS, serialize, write_export

    ds = _load_dataset(out_dir)
    if output is not None and str(output) == "-":
        click.echo(serialize(ds, fmt), nl=False)
        return
    path = output or out_dir / "export" / f"graph.{FORMATS[fmt][1]}"
    write_export(ds, fmt, path)
    click.echo(f"wrote {path}")


@main.command()
@click.option("--out", "out_dir", default="out", type=click.Path(path_type=Path), show_default=True)
def validate(out_dir: Path) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl."""
    from kg.shapes import validate_dataset

    ds = _load_dataset(out_dir)
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
@click.option("--out", "out_dir", default="out", type=click.Path(path_type=Path), show_default=True)
@click.option("--user", envvar="UNIONKG_PUSH_USER", help="User name (or env UNIONKG_PUSH_USER).")
@click.option("--password", envvar="UNIONKG_PUSH_PASSWORD", help="Password (or env UNIONKG_PUSH_PASSWORD).")
@click.option("--auth", "auth_kind", type=click.Choice(["basic", "digest"]), default="basic", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples"]), default="turtle", show_default=True)
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for each graph.")
@click.option("--dry-run", is_flag=True, help="Show the requests without sending anything.")
def push(endpoint, out_dir, user, password, auth_kind, fmt, timeout, dry_run) -> None:
    """PUT every named graph of OUT/graph.trig to a SPARQL Graph Store (replaces each graph: idempotent)."""
    from kg.push import make_auth, push_dataset

    def progress(i, n, g):
        status = "dry run" if g.status is None else f"HTTP {g.status}"
        click.echo(f"[{i}/{n}] {g.graph}  {g.triples} triples, {g.bytes} bytes  {status}", err=True)

    try:
        auth = make_auth(auth_kind, user, password)
        ds = _load_dataset(out_dir)
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


if __name__ == "__main__":
    main()
