"""Document summaries and the shared graphs of a streaming build (`kg build --jobs`).

A :class:`DocumentSummary` is what the graphs that are not one document's (entities, discovered) and the
build summary need of a document, without its text; the build cache keeps it as JSON.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Dataset

from kg.graph.build import add_discovered, add_entities, add_vocabulary
from kg.graph.serialize import graph_turtle
from kg.model import DocumentRecord, Mention, Record, Ref
from kg.namespaces import DEFAULT_BASE_IRI, DISC, bind_prefixes, document_slug

__all__ = ["DocumentSummary", "shared_graphs", "summarize"]


@dataclass(frozen=True)
class DocumentSummary(Record):
    """What the shared graphs and the build summary need of a document, without its text.

    ``mentions`` keeps only organisations and discovered concepts (all that :func:`add_entities` and
    :func:`add_discovered` read); ``programmes`` the programme IRIs mentioned; ``genre`` and
    ``announced_count`` as in the record (the build summary lists where the measures found differ).
    """

    source: str
    sha256: str
    slug: str
    issuer: Ref | None
    mentions: tuple[Mention, ...]
    measures: int
    quantities: int
    programmes: tuple[str, ...]
    triples: int = 0
    text_sha256: str = ""  # of the decoded text: the same document in another encoding has the same
    genre: str = "plan"
    announced_count: int | None = None


def summarize(record: DocumentRecord, *, triples: int = 0) -> DocumentSummary:
    """The :class:`DocumentSummary` of a record."""
    keep = tuple(m for m in record.mentions if m.type == "organisation" or m.id.startswith(str(DISC)))
    return DocumentSummary(
        source=record.source,
        sha256=record.sha256,
        slug=document_slug(record.source, record.sha256),
        issuer=record.issuer,
        mentions=keep,
        measures=len(record.measures),
        quantities=len(record.quantities),
        programmes=tuple(sorted({m.id for m in record.mentions if m.type == "programme"})),
        triples=triples,
        text_sha256=hashlib.sha256(record.text.encode("utf-8")).hexdigest(),
        genre=record.genre,
        announced_count=record.announced_count,
    )


def shared_graphs(
    summaries: list[DocumentSummary], *, base: str = DEFAULT_BASE_IRI, ontology_dir: str | None = None
) -> tuple[list[tuple[str, str]], int]:
    """The graphs that are not one document's — vocabulary, entities, discovered — as (graph IRI, Turtle)
    in IRI order, and the number of distinct triples in their union. `summaries` in file order (the first
    document to name an organisation gives its label, as in :func:`kg.graph.build.build_dataset`)."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds, base)
    add_vocabulary(ds, base=base, ontology_dir=ontology_dir)
    add_entities(ds, summaries, base=base, ontology_dir=ontology_dir)
    add_discovered(ds, summaries, base=base)
    graphs = sorted((g for g in ds.contexts() if len(g)), key=lambda g: str(g.identifier))
    return [(str(g.identifier), graph_turtle(g, base=base)) for g in graphs], len(ds)
