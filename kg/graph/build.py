"""Build: document records -> an rdflib Dataset following ontology/unionkg.ttl.

One named graph per document, plus graphs for the ontology, the genre scheme, the programme scheme, the
gazetteers (places, target groups, organisations, projects), the shared entities (organisations) and the
concepts found by discovery (graph/discovered, uncurated, for review). Every node has an IRI derived from
its document and character offsets, so the same input always gives the same IRIs and no blank nodes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import RDF, SKOS, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.graph.quads import Iri, Lit, document_triples, sorted_document_turtle, triple_sort_key
from kg.model import DocumentRecord, Mention, Ref
from kg.namespaces import (
    DEFAULT_BASE_IRI,
    DISC,
    NATIONAL_FEDERATION,
    ORG,
    PLACE,
    SCHEMA,
    UKG,
    bind_prefixes,
    document_slug,
    federation_iri,
    graph_iri,
)
from kg.pipeline.mentions import federation_names
from kg.vocab.ontology import ONTOLOGY_DIR, Place, Vocabulary, load_vocabulary

__all__ = [
    "VOCABULARY_GRAPHS",
    "DocumentGraph",
    "MentionSource",
    "add_discovered",
    "add_document",
    "add_entities",
    "add_vocabulary",
    "build_dataset",
    "document_graph",
]

#: named graph local name -> ontology files loaded into it
VOCABULARY_GRAPHS = {
    "ontology": ("unionkg.ttl",),
    "genres": ("genres.ttl",),
    "programmes": ("programme_scheme.ttl",),
    "gazetteer": ("places.ttl", "target_groups.ttl", "organisations.ttl", "projects.ttl"),
    "discovered": ("discovery.ttl",),
}


class MentionSource(Protocol):
    """What the shared graphs read of a document: a :class:`DocumentRecord` or a
    :class:`kg.graph.summary.DocumentSummary`."""

    @property
    def issuer(self) -> Ref | None: ...

    @property
    def mentions(self) -> Sequence[Mention]: ...


def add_vocabulary(ds: Dataset, *, base: str = DEFAULT_BASE_IRI, ontology_dir: str | None = None) -> None:
    """Load the ontology, programme scheme and gazetteers into their named graphs."""
    folder = Path(ontology_dir) if ontology_dir else ONTOLOGY_DIR
    for name, files in VOCABULARY_GRAPHS.items():
        g = ds.graph(graph_iri(base, name))
        for fname in files:
            path = folder / fname
            if path.exists():
                g.parse(path, format="turtle")


def _lit(value, datatype=None, lang=None) -> Literal:
    return Literal(value, datatype=datatype, lang=lang)


def add_document(ds: Dataset, record: DocumentRecord, *, base: str = DEFAULT_BASE_IRI) -> URIRef:
    """Add one document's named graph; returns the graph IRI. Its triples are those of
    :func:`kg.graph.quads.document_triples` (the one description of a document's graph, which the build
    workers write as Turtle), added in the order the build writes them."""
    with _collector_paused():
        gid, triples = document_triples(record, base=base)
        graph = URIRef(gid)
        g = ds.graph(graph)
        iris: dict[str, URIRef] = {}

        def iri(value: str) -> URIRef:
            node = iris.get(value)
            if node is None:
                node = iris[value] = URIRef(value)
            return node

        def obj(o: Iri | Lit) -> URIRef | Literal:
            if isinstance(o, Iri):
                return iri(o)
            dtype = iri(o.datatype) if o.datatype else None  # the lexical form kept: the worker's Turtle's
            return Literal(o.lexical, lang=o.language or None, datatype=dtype, normalize=False)

        g.addN((iri(s), iri(p), obj(o), g) for s, p, o in sorted(triples, key=triple_sort_key))
    return graph


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The garbage collector off while a document's graph is made: thousands of acyclic tuples and terms, over
    which its passes cost several times the build itself (a worker's heap, an analyst's whole Dataset)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def add_entities(
    ds: Dataset, records: Iterable[MentionSource], *, base: str = DEFAULT_BASE_IRI, ontology_dir: str | None = None
) -> None:
    """Describe the organisations mentioned across documents: one node per federation, body and industry union,
    with the org:subOrganizationOf chain up to the ACFTU (county → city → province → 中华全国总工会)."""
    g = ds.graph(graph_iri(base, "entities"))
    vocab = load_vocabulary(ontology_dir)
    table = vocab.places
    by_fed = {federation_iri(place.iri): place for place in table.values() if place.kind != "region"}
    body_classes = {k.iri: k.body_class for k in vocab.organisation_kinds if k.body_class}
    orgs: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for rec in records:
        for men in rec.mentions:
            if men.type == "organisation":
                orgs.setdefault(men.id, men.label)
                if men.kind:
                    kinds.setdefault(men.id, men.kind)
        if rec.issuer:
            orgs.setdefault(rec.issuer.id, rec.issuer.label)
    chain = _federation_chain(set(orgs), kinds, by_fed, vocab)
    for iri in sorted(chain):
        orgs.setdefault(iri, chain[iri])
    for iri in sorted(orgs):
        node = URIRef(iri)
        g.add((node, RDF.type, UKG.Organisation))
        g.add((node, SKOS.prefLabel, _lit(orgs[iri], lang="zh")))
        if iri in kinds:  # a body of a place (orgs:sichuan/hrss) or a federation's department
            g.add((node, DCTERMS.type, URIRef(kinds[iri])))
            anchor = iri.rsplit("/", 1)[0]
            if anchor == NATIONAL_FEDERATION or anchor in by_fed:
                g.add((node, ORG.subOrganizationOf, URIRef(anchor)))
            else:
                area = PLACE[anchor.rsplit("/", 1)[-1]]
                g.add((node, SCHEMA.areaServed, area))
                if kinds[iri] in body_classes:  # an industry union: part of its area's federation
                    g.add((node, RDF.type, URIRef(body_classes[kinds[iri]])))
                    g.add((node, ORG.subOrganizationOf, URIRef(federation_iri(str(area)))))
        if iri in by_fed:
            place = by_fed[iri]
            g.add((node, RDF.type, UKG.UnionFederation))
            g.add((node, UKG.federationOf, URIRef(place.iri)))
            parent = _parent_federation(place, table)
            if parent:
                g.add((node, ORG.subOrganizationOf, URIRef(parent)))


def _parent_federation(place: Place, table: dict[str, Place]) -> str | None:
    """The federation above a place's: the city's or province's for a county, the province's for a city, the
    ACFTU for a province; none for China's own (the ACFTU)."""
    if place.kind == "country":
        return None
    if place.kind == "county" and place.parent in table:
        return federation_iri(place.parent)
    if place.kind in ("city", "county") and place.province:
        return federation_iri(place.province)
    return NATIONAL_FEDERATION


def _federation_chain(
    named: set[str], kinds: dict[str, str], by_fed: dict[str, Place], vocab: Vocabulary
) -> dict[str, str]:
    """The federations above those named (and above the areas of named bodies), with their labels; the ACFTU's
    own node is in the gazetteer graph (organisations.ttl)."""
    names = federation_names(vocab)
    table = vocab.places
    todo = {i for i in named if i in by_fed}
    for iri in named:
        if iri in kinds:
            anchor = iri.rsplit("/", 1)[0]
            area_fed = anchor if anchor in by_fed else federation_iri(str(PLACE[anchor.rsplit("/", 1)[-1]]))
            if area_fed in by_fed:
                todo.add(area_fed)
    out: dict[str, str] = {}
    while todo:
        iri = todo.pop()
        place = by_fed[iri]
        if iri not in named:
            parent_place = table.get(place.parent or "") if place.kind == "county" else None
            label = (
                names.county_federation_label(place, parent_place)
                if place.kind == "county"
                else names.federation_label(place.label)
            )
            out.setdefault(iri, label if place.kind != "country" else "")
        parent = _parent_federation(place, table)
        if parent and parent in by_fed and parent not in out and parent not in named:
            todo.add(parent)
    return {k: v for k, v in out.items() if v}


def add_discovered(ds: Dataset, records: Iterable[MentionSource], *, base: str = DEFAULT_BASE_IRI) -> None:
    """Concepts found by discovery (kg/pipeline/discover.py), uncurated, for review: graph `<base>graph/discovered`.

    Programmes go into disc:scheme (ukg:curated false); slogans, projects and referenced documents are
    described beside them. Each records the rules that found it; the mentions are its evidence.
    """
    g = ds.graph(graph_iri(base, "discovered"))
    found: dict[str, _Discovered] = {}
    for rec in records:
        for men in rec.mentions:
            if men.id.startswith(str(DISC)) and men.type in _DISCOVERED_CLASS:
                entry = found.setdefault(men.id, _Discovered(men.type, men.label))
                if men.rule:
                    entry.rules.add(men.rule)
                if men.broader:
                    entry.broader.add(men.broader)
    for iri in sorted(found):
        entry, node = found[iri], URIRef(iri)
        g.add((node, RDF.type, _DISCOVERED_CLASS[entry.type]))
        if entry.type == "document":
            g.add((node, DCTERMS.title, _lit(entry.label, lang="zh")))
        else:
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.prefLabel, _lit(entry.label, lang="zh")))
            g.add((node, UKG.curated, _lit(False)))
        if entry.type == "programme":
            g.add((node, SKOS.inScheme, DISC["scheme"]))
        for rule in sorted(entry.rules):
            g.add((node, UKG.discoveryRule, _lit(rule)))
        for broader in sorted(entry.broader):
            g.add((node, SKOS.broadMatch, URIRef(broader)))


@dataclass
class _Discovered:
    """One discovered concept across documents: its first type and label, every rule and broader programme."""

    type: str
    label: str
    rules: set[str] = field(default_factory=set)
    broader: set[str] = field(default_factory=set)


_DISCOVERED_CLASS = {
    "programme": UKG.Programme,
    "slogan": UKG.Slogan,
    "project": UKG.Project,
    "document": UKG.ReferencedDocument,
}


def build_dataset(
    records: list[DocumentRecord], *, base: str = DEFAULT_BASE_IRI, ontology_dir: str | None = None
) -> Dataset:
    """The whole graph: vocabulary graphs, shared entities and one graph per document."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds, base)
    add_vocabulary(ds, base=base, ontology_dir=ontology_dir)
    add_entities(ds, records, base=base, ontology_dir=ontology_dir)
    add_discovered(ds, records, base=base)
    for rec in sorted(records, key=lambda r: document_slug(r.source, r.sha256)):
        add_document(ds, rec, base=base)
    return ds


@dataclass(frozen=True)
class DocumentGraph:
    """One document's named graph, serialised: what a build worker returns besides the record."""

    graph: str
    slug: str
    turtle: str
    triples: int


def document_graph(record: DocumentRecord, *, base: str = DEFAULT_BASE_IRI) -> DocumentGraph:
    """The named graph of one document, as sorted Turtle (:func:`kg.graph.serialize.sorted_turtle`'s bytes),
    made without rdflib by :mod:`kg.graph.quads`: what a build worker returns."""
    with _collector_paused():
        gid, triples = document_triples(record, base=base)
        slug = document_slug(record.source, record.sha256)
        return DocumentGraph(gid, slug, sorted_document_turtle(triples, base=base), len(triples))
