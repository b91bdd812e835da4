"""The `kg` command line: a few lines per command over the library; the only module that prints."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from pathlib import Path

import click
from rdflib import Dataset

from kg.errors import KgError
from kg.graph.store import STORES
from kg.namespaces import DEFAULT_BASE_IRI
from kg.run import ProgressBar, has_graph, open_output, run_build
from kg.run.executors import internal_error
from kg.surface import query as queries
from kg.surface.api import extract as extract_record
from kg.surface.export import FAST_FORMATS, FORMATS, export_graph_file, serialize, write_export, write_graph_file_export
from kg.surface.network import NETWORK_FORMATS, entity_graph, network_bytes, write_network
from kg.surface.ontodoc import write_docs
from kg.surface.push import AUTH_KINDS, CONTENT_TYPES, make_auth, progress_line, push_dataset
from kg.surface.views import OVERVIEW_TOP, views_summary, write_build_views, write_views
from kg.surface.views.report import LEVELS, REPORT_FORMATS, brief_output
from kg.vocab.ontology import ONTOLOGY_DIR

__all__ = ["KgClickError", "KgUsageError", "main"]


class KgClickError(click.ClickException):
    """A runtime failure as one ``error:`` line (a KgError's catalogue message, or a sentence): exit code 1."""

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class KgUsageError(KgClickError):
    """The same for bad usage (an option, argument or query text): exit code 2."""

    exit_code = 2


@contextlib.contextmanager
def failing(error: type[KgClickError] = KgClickError, *, writing: str | None = None):
    """Report a KgError as `error`; with `writing` ("<path>: cannot write …"), an OSError as a KgClickError too."""
    try:
        yield
    except KgError as exc:
        raise error(str(exc)) from None
    except OSError as exc:
        if writing is None:
            raise
        raise KgClickError(f"{writing} ({exc.strerror or exc})") from None


def out_option(help: str | None = None, *, folder_only: bool = False):
    """The `--out` folder option every command shares (default out/)."""
    path = click.Path(file_okay=not folder_only, path_type=Path)
    return click.option("--out", "out_dir", default="out", type=path, show_default=True, help=help)


@click.group()
@click.version_option(package_name="unionkg")
def main() -> None:
    """unionkg: a knowledge graph of Chinese trade-union policy documents."""


@main.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@out_option("Output folder (replaced atomically).", folder_only=True)
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Base IRI of documents and facts.")
@click.option("--store", type=click.Choice(STORES), default="oxigraph", show_default=True, help="Where the graph is.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of cores")
@click.option("--scheduler", metavar="URL", help="Extract on a Dask cluster instead, e.g. tcp://scheduler:8786.")
@click.option("--no-incremental", "--clean", "clean", is_flag=True, help="Extract every document again.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any file could not be built.")
@click.option("--wait", is_flag=True, help="Wait for another build of --out to finish, instead of refusing.")
@click.option("--turtle", is_flag=True, help="Write OUT/graph.ttl too: graph.trig's triples without graph names.")
def build(corpus_dir: Path, out_dir: Path, base_iri, store, jobs, scheduler, clean, strict, wait, turtle) -> None:
    """Build the graph from CORPUS_DIR (default corpus/) into --out (default out/).

    \b
    --store oxigraph: an on-disk Oxigraph store in OUT/store/ (used by query, viz, export); memory: rdflib's.
    --jobs: documents extracted in parallel. Unchanged documents come from OUT/cache/ unless --clean.
    Examples:
      kg build                                   # corpus/ -> out/, all cores, Oxigraph store
      kg build corpus --out out --jobs 4 --store memory
      kg build big-corpus --scheduler tcp://dask-scheduler:8786
      kg build --clean                           # ignore out/cache/, extract everything again
    """
    options = dict(base_iri=base_iri, store=store, jobs=jobs, scheduler=scheduler, incremental=not clean)
    options.update(wait=wait, turtle=turtle, after_build=write_build_views)
    with failing(), ProgressBar() as bar:
        report = run_build(corpus_dir, out_dir, on_progress=bar, on_phase=bar.phase, on_wait=bar.note, **options)
    for line in report.messages(shown=bar.shown):
        click.echo(line, err=True)
    if not report.documents:
        raise KgClickError(f"{corpus_dir}: no document could be built")
    click.echo(report.text())
    if strict and report.problems:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True, help="JSON Lines.")
def extract(files: tuple[Path, ...], fmt: str) -> None:
    """Extract structure, entities and quantities from FILES as JSON Lines (the contract: see the README)."""
    failed = 0
    for path in files:
        try:
            click.echo(json.dumps(extract_record(path), ensure_ascii=False))
        except Exception as exc:  # a bad file, or a bug on one document: one line, and on to the next
            click.echo(f"warning: {exc if isinstance(exc, KgError) else internal_error(path, exc)}", err=True)
            failed += 1
    if failed == len(files):
        sys.exit(1)


@main.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", help="An inline SPARQL query instead of NAME (prefixes ukg:, oa:, skos: … known).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a parameter (repeatable).")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(queries.OUTPUT_FORMATS))
@out_option("The built output folder to query.")
@click.option("--list", "list_only", is_flag=True, help="List the available queries, their questions and parameters.")
def query(name, expression, params, fmt, out_dir, list_only) -> None:
    """Run a query by NAME (from queries/), by .rq FILE, or inline with -e.

    \b
    --param binds a parameter the query declares; an IRI may be prefix:name, e.g. place:sichuan.
    --format json is the SPARQL 1.1 query results JSON format.
    Examples:
      kg query --list
      kg query shared-programmes --param minJurisdictions=3
      kg query compare-jurisdictions --param a=place:sichuan --param b=place:chongqing
      kg query my-question.rq --format csv
      kg query -e 'SELECT ?doc ?title WHERE { ?doc a ukg:PolicyDocument ; dcterms:title ?title }'
    """
    if list_only:
        return click.echo(queries.list_queries(), nl=False)
    if expression and name:
        raise KgUsageError("give a query NAME or .rq FILE, or -e 'SPARQL', not both")
    if not (expression or name):
        raise KgUsageError("give a query NAME, a .rq FILE or -e 'SPARQL'; see `kg query --list`")
    with failing(KgUsageError):
        q = queries.query_from_text(expression) if expression else queries.load_query(name)
        bindings = queries.parse_params(params, q)
        queries.prepare(q)  # a syntax error is reported before the graph is loaded
    with failing():
        result = queries.run_query(open_output(out_dir), q, bindings=bindings)
        click.echo(queries.format_result(result, fmt), nl=False)


@main.command()
@out_option()
@click.option("--top", "overview_top", type=click.IntRange(min=1), help="Programmes the overview draws one by one.")
def viz(out_dir: Path, overview_top: int | None) -> None:
    """Write the interactive views into OUT/views/ (open OUT/views/index.html); the overview draws the --top
    most shared programmes (default 120) one by one, the rest collapsed per category."""
    with failing():
        ds = open_output(out_dir)
    paths = write_views(ds, out_dir / "views", text_dir=out_dir / "text", overview_top=overview_top or OVERVIEW_TOP)
    click.echo(views_summary(paths, out_dir / "views"))


@main.command()
@click.argument("jurisdiction")
@click.option("--level", type=click.Choice(LEVELS), help="Default: the place's own (a city's brief is at city level).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="md", show_default=True)
@out_option()
def report(jurisdiction: str, level: str | None, fmt: str, out_dir: Path) -> None:
    """A one-page brief on JURISDICTION (sichuan, 四川省, place:chengdu or an IRI); html: OUT/views/report-<slug>.html."""
    with failing():
        ds = open_output(out_dir)
    with failing(KgUsageError, writing=f"{out_dir / 'views'}: cannot write the brief"):
        click.echo(brief_output(ds, jurisdiction, level=level, fmt=fmt, views=out_dir / "views"), nl=False)


@main.command()
@click.option("--format", "fmt", default="turtle", show_default=True, type=click.Choice([*FORMATS, *NETWORK_FORMATS]))
@out_option()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="A file, or - for stdout.")
def export(fmt: str, out_dir: Path, output: Path | None) -> None:
    """Export the built graph as Turtle, TriG, N-Quads, N-Triples or JSON-LD, or its entity graph (graphml, gexf)
    for Gephi (docs/exports.md), into OUT/export/ unless -o."""
    network, trig = fmt in NETWORK_FORMATS, out_dir / "graph.trig"
    fast = fmt in FAST_FORMATS and trig.is_file()  # by Oxigraph alone from graph.trig: same bytes, ~100× faster
    with failing():
        ds = Dataset() if fast else open_output(out_dir, use_store=False)  # graph.trig: literals exactly as built
        if output is not None and str(output) == "-":
            data = export_graph_file(trig, fmt) if fast else network_bytes(entity_graph(ds), fmt) if network else None
            click.echo(data.decode("utf-8") if data is not None else serialize(ds, fmt), nl=False)
            return
    ext = NETWORK_FORMATS[fmt] if network else FORMATS[fmt][1]
    path = output or out_dir / "export" / f"{'entities' if network else 'graph'}.{ext}"
    with failing(writing=f"{output or out_dir / 'export'}: cannot write the export"):
        if network:
            g = write_network(ds, fmt, path)
            return click.echo(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
        write_graph_file_export(out_dir, fmt, path) if fast else write_export(ds, fmt, path)
    click.echo(f"wrote {path}")


@main.command()
@out_option("A built output folder: with a graph, each term says where the corpus mentions it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default OUT/docs/index.html.")
@click.option("--ontology", "ontology_dir", default=ONTOLOGY_DIR, type=click.Path(file_okay=False, exists=True))
def docs(out_dir: Path, output: Path | None, ontology_dir: str) -> None:
    """Write the HTML documentation of the ontology, programme scheme, target groups and projects (--ontology)."""
    path = output or out_dir / "docs" / "index.html"
    with failing():
        ds = open_output(out_dir) if has_graph(out_dir) else None
    with failing(writing=f"{path}: cannot write the documentation"):
        path, terms = write_docs(path, ontology_dir=ontology_dir, dataset=ds)
    click.echo(f"wrote {path} ({terms} terms{', with corpus counts' if ds is not None else ''}); open it in a browser")


@main.command()
@out_option()
def validate(out_dir: Path) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl (exit code 1 when it does not conform)."""
    from kg.graph.validate import validate_dataset

    with failing():
        ds = open_output(out_dir, use_store=False)  # the shapes check datatypes that Oxigraph canonicalises
    conforms, text = validate_dataset(ds)
    click.echo("conforms" if conforms else text)
    sys.exit(0 if conforms else 1)


@main.command()
@click.option("--endpoint", envvar="UNIONKG_PUSH_ENDPOINT", required=True, help="Graph Store Protocol URL.")
@out_option()
@click.option("--user", envvar="UNIONKG_PUSH_USER", help="User name (or env UNIONKG_PUSH_USER).")
@click.option("--password", envvar="UNIONKG_PUSH_PASSWORD", help="Password (or env UNIONKG_PUSH_PASSWORD).")
@click.option("--auth", "auth_kind", type=click.Choice(AUTH_KINDS), default="basic", show_default=True)
@click.option("--format", "fmt", type=click.Choice(CONTENT_TYPES), default="turtle", show_default=True)
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for each graph.")
@click.option("--dry-run", is_flag=True, help="Show the requests without sending anything.")
def push(endpoint, out_dir, user, password, auth_kind, fmt, timeout, dry_run) -> None:
    """PUT every named graph of OUT/graph.trig to a SPARQL Graph Store (replaces each graph: idempotent),
    e.g. --endpoint http://localhost:8890/sparql-graph-crud-auth (Virtuoso)."""
    progress = lambda i, n, g: click.echo(progress_line(i, n, g), err=True)  # noqa: E731
    with failing(KgUsageError):
        auth = make_auth(auth_kind, user, password)
        push_dataset(Dataset(), endpoint, dry_run=True)  # nothing to send: checks the endpoint's URL first
    with failing():
        ds = open_output(out_dir, use_store=False)  # graph.trig: literals exactly as built
        report = push_dataset(ds, endpoint, auth=auth, fmt=fmt, timeout=timeout, dry_run=dry_run, on_graph=progress)
    graphs, size = f"{len(report.graphs)} graphs, {report.triples} triples", f"{report.bytes / 1e6:.1f} MB"
    if dry_run:
        for g in report.graphs:
            click.echo(f"PUT {g.url}")
        click.echo(f"dry run: would push {graphs} to {endpoint}")
    else:
        click.echo(f"pushed {graphs} ({size}) to {endpoint} in {report.seconds:.1f} s")


@main.command()
@out_option("The build to serve.")
@click.option("--port", default=7878, type=click.IntRange(0, 65535), show_default=True, help="0 picks a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Anything but loopback lets other machines in.")
@click.option("--timeout", default=30.0, type=float, show_default=True, help="Seconds a query may run (then 504).")
@click.option("--max-rows", default=10_000, type=int, show_default=True, help="Most rows (or triples) an answer has.")
@click.option("--cors", is_flag=True, help="Let web pages from other origins query it (e.g. a hosted YASGUI).")
@click.option("--workers", default=4, type=int, show_default=True, help="Oxigraph processes, one query each at a time.")
def serve(out_dir: Path, workers: int, **options) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint with a query page; see README "Endpoint".

    \b
      kg serve                      # http://127.0.0.1:7878/query, query page at http://127.0.0.1:7878/
      curl -H 'Accept: application/sparql-results+json' --data-urlencode 'query=ASK {?s ?p ?o}' \\
           http://127.0.0.1:7878/query
    """
    from kg.surface.serve import Limits, is_loopback, start_endpoint  # looked up when called (tests replace it)

    with failing():
        endpoint = start_endpoint(out_dir, limits=Limits(workers=workers), **options)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            # Ctrl-C and SIGTERM stop it, even when started in the background of a script (which ignores SIGINT)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            if not is_loopback(options["host"]):
                click.echo(f"warning: listening on {options['host']}: other machines can query this graph", err=True)
            click.echo(f"SPARQL endpoint: {endpoint.query_url}  (read-only; serving {endpoint.source})")
            click.echo(f"query page:      {endpoint.url}")
            click.echo(f"timeout {endpoint.timeout:g} s, at most {endpoint.max_rows:,} rows; Ctrl-C to stop", err=True)
            endpoint.wait()
    finally:
        endpoint.close()
        click.echo("stopped", err=True)


if __name__ == "__main__":
    main()
