"""Build: document records -> an rdflib Dataset following ontology/unionkg.ttl.

One named graph per document, plus graphs for the ontology, the genre scheme, the programme scheme, the
gazetteers (places, target groups, organisations, projects), the shared entities (organisations) and the
concepts found by discovery (graph/discovered, uncurated, for review). Every node has an IRI derived from
its document and character offsets, so the same input always gives the same IRIs and no blank nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from rdflib import RDF, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.model import DocumentRecord, Mention, Ref
from kg.namespaces import (
    DEFAULT_BASE_IRI,
    DISC,
    GENRE,
    LEVEL,
    NATIONAL_FEDERATION,
    OA,
    ORG,
    PLACE,
    SCHEMA,
    UKG,
    bind_prefixes,
    document_iri,
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


def _span(g: Graph, doc: URIRef, start: int, end: int, quote: str) -> URIRef:
    """A text span of a document with position and quote selectors."""
    span = URIRef(f"{doc}/span/{start}-{end}")
    pos = URIRef(f"{span}/position")
    exact = URIRef(f"{span}/quote")
    g.add((span, RDF.type, UKG.TextSpan))
    g.add((span, RDF.type, OA.SpecificResource))
    g.add((span, OA.hasSource, doc))
    g.add((span, OA.hasSelector, pos))
    g.add((span, OA.hasSelector, exact))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, _lit(start, XSD.nonNegativeInteger)))
    g.add((pos, OA.end, _lit(end, XSD.nonNegativeInteger)))
    g.add((exact, RDF.type, OA.TextQuoteSelector))
    g.add((exact, OA.exact, _lit(quote)))
    return span


def add_document(ds: Dataset, record: DocumentRecord, *, base: str = DEFAULT_BASE_IRI) -> URIRef:
    """Add one document's named graph; returns the graph IRI."""
    slug = document_slug(record.source, record.sha256)
    gid = graph_iri(base, f"doc/{slug}")
    g = ds.graph(gid)
    doc = document_iri(base, slug)
    text = record.text
    g.add((doc, RDF.type, UKG.PolicyDocument))
    g.add((doc, UKG.sourceFile, _lit(Path(record.source).name)))
    g.add((doc, UKG.documentKind, _lit(record.kind)))
    g.add((doc, DCTERMS.type, GENRE[record.genre]))  # a concept of ontology/genres.ttl (closed: no other)
    if record.announced_count is not None:
        g.add((doc, UKG.announcedCount, _lit(record.announced_count, XSD.nonNegativeInteger)))
    if record.sha256:
        g.add((doc, UKG.sha256, _lit(record.sha256)))
    if record.encoding:
        g.add((doc, UKG.encoding, _lit(record.encoding)))
    if record.media_type:
        g.add((doc, DCTERMS.format, _lit(record.media_type)))
    page_meta = record.metadata  # what a saved web page says of itself
    if page_meta.get("date"):
        g.add((doc, SCHEMA.datePublished, _lit(page_meta["date"], XSD.date)))
    if page_meta.get("url"):
        g.add((doc, SCHEMA.url, URIRef(page_meta["url"])))
    if record.title:
        g.add((doc, DCTERMS.title, _lit(record.title, lang="zh")))
    if record.identifier:
        g.add((doc, DCTERMS.identifier, _lit(record.identifier)))
    if record.date:
        dtype = {4: XSD.gYear, 10: XSD.date}.get(len(record.date))
        g.add((doc, DCTERMS.date, _lit(record.date, dtype)))
    if record.issuer:
        g.add((doc, DCTERMS.publisher, URIRef(record.issuer.id)))
    if record.jurisdiction:
        g.add((doc, UKG.jurisdiction, URIRef(record.jurisdiction.id)))
    if record.city:
        g.add((doc, UKG.cityJurisdiction, URIRef(record.city.id)))
    if record.county:
        g.add((doc, UKG.countyJurisdiction, URIRef(record.county.id)))
    _add_counties(g, record)
    if record.level:
        g.add((doc, UKG.jurisdictionLevel, LEVEL[record.level]))
    ev = record.evidence
    for quote in (ev.identifier, ev.issuer, ev.title, ev.announced):
        if quote is not None:
            g.add((doc, UKG.evidence, _span(g, doc, quote.start, quote.end, quote.text)))

    sections = {}
    for sec in record.sections:
        node = URIRef(f"{doc}/section/{sec.ordinal}")
        sections[sec.ordinal] = node
        g.add((node, RDF.type, UKG.Section))
        g.add((doc, UKG.hasSection, node))
        g.add((node, DCTERMS.isPartOf, doc))
        g.add((node, UKG.ordinal, _lit(sec.ordinal, XSD.integer)))
        g.add((node, DCTERMS.title, _lit(sec.title, lang="zh")))
        heading = text[sec.title_start : sec.title_end]
        g.add((node, UKG.evidence, _span(g, doc, sec.title_start, sec.title_end, heading)))
    measures = {}
    for m in record.measures:
        node = URIRef(f"{doc}/measure/{m.ordinal}")
        measures[m.ordinal] = node
        g.add((node, RDF.type, UKG.Measure))
        g.add((doc, UKG.hasMeasure, node))
        g.add((node, DCTERMS.isPartOf, doc))
        g.add((node, UKG.ordinal, _lit(m.ordinal, XSD.integer)))
        g.add((node, DCTERMS.title, _lit(m.title, lang="zh")))
        g.add((node, UKG.numberingStyle, _lit(m.style)))
        if m.section in sections:
            g.add((node, UKG.inSection, sections[m.section]))
        for i, (header, cell) in enumerate(m.parts.items(), 1):  # a table row's cells, by column header
            part = URIRef(f"{node}/part/{i}")
            g.add((node, SCHEMA.additionalProperty, part))
            g.add((part, RDF.type, SCHEMA.PropertyValue))
            g.add((part, UKG.ordinal, _lit(i, XSD.integer)))
            g.add((part, SCHEMA.name, _lit(header, lang="zh")))
            g.add((part, SCHEMA.value, _lit(cell, lang="zh")))
        for start, end in [(m.start, m.end), *m.also]:
            g.add((node, UKG.evidence, _span(g, doc, start, end, text[start:end])))

    for men in record.mentions:
        node = URIRef(f"{doc}/mention/{men.start}-{men.end}")
        g.add((node, RDF.type, UKG.Mention))
        g.add((node, RDF.type, OA.Annotation))
        g.add((node, OA.motivatedBy, OA.identifying))
        g.add((node, OA.hasBody, URIRef(men.id)))
        g.add((node, OA.hasTarget, _span(g, doc, men.start, men.end, men.text)))
        g.add((node, UKG.mentionType, _lit(men.type)))
        g.add((node, UKG.surfaceText, _lit(men.text)))
        g.add((node, UKG.inDocument, doc))
        if men.measure in measures:
            g.add((node, UKG.inMeasure, measures[men.measure]))

    for q in record.quantities:
        node = URIRef(f"{doc}/quantity/{q.start}-{q.end}")
        g.add((node, RDF.type, UKG.Quantity))
        g.add((node, SCHEMA.value, _lit(Decimal(str(q.value)), XSD.decimal)))
        if q.value_max is not None:
            g.add((node, SCHEMA.maxValue, _lit(Decimal(str(q.value_max)), XSD.decimal)))
        g.add((node, SCHEMA.unitText, _lit(q.unit)))
        if q.unit_text:
            g.add((node, UKG.unitText, _lit(q.unit_text)))
        for value, prop in (
            (q.currency, UKG.currency),
            (q.qualifier, UKG.qualifier),
            (q.qualifier_word, UKG.qualifierWord),
            (q.period, UKG.period),
            (q.role, UKG.role),
            (q.per, UKG.perUnit),
        ):
            if value:
                g.add((node, prop, _lit(value)))
        if q.counts_id:
            g.add((node, UKG.counts, URIRef(q.counts_id)))
        elif q.counts:
            g.add((node, UKG.countsText, _lit(q.counts)))
        g.add((node, UKG.inDocument, doc))
        if q.measure in measures:
            g.add((node, UKG.statedIn, measures[q.measure]))
        g.add((node, UKG.evidence, _span(g, doc, q.start, q.end, q.text)))
    if record.pages:  # PDF: every text span cites the page it starts on
        from kg.ingest.decode import page_of

        for span in set(g.subjects(RDF.type, UKG.TextSpan)):
            for sel in g.objects(span, OA.hasSelector):
                offset = g.value(sel, OA.start)
                if offset is not None:
                    g.add((span, UKG.page, _lit(page_of(record.pages, int(str(offset))), XSD.positiveInteger)))
    return gid


def _add_counties(g: Graph, record: DocumentRecord) -> None:
    """The counties a document refers to, described in its own graph (counties.ttl has 2,846: the build
    carries only those referenced): type, label, GB/T 2260 code and the area directly above."""
    table = load_vocabulary().places
    referenced = {record.county.id} if record.county else set()
    referenced |= {m.id for m in record.mentions if m.type == "place"}
    for iri in sorted(referenced):
        county = table.get(iri)
        if county is None or county.kind != "county":
            continue
        node = URIRef(iri)
        g.add((node, RDF.type, UKG.County))
        g.add((node, SKOS.prefLabel, _lit(county.label, lang="zh")))
        if county.code:
            g.add((node, UKG.adminCode, _lit(county.code)))
        if county.parent:
            g.add((node, SCHEMA.containedInPlace, URIRef(county.parent)))


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
    """The named graph of one document, as sorted Turtle: the triples of :func:`add_document`, made without
    rdflib by :mod:`kg.graph.quads` (the same bytes as :func:`sorted_turtle` of the rdflib graph)."""
    import gc

    from kg.graph.quads import document_triples, sorted_document_turtle

    collecting = gc.isenabled()
    gc.disable()  # thousands of acyclic tuples: the collector's passes over a worker's heap cost 5x the build itself
    try:
        gid, triples = document_triples(record, base=base)
        slug = document_slug(record.source, record.sha256)
        return DocumentGraph(gid, slug, sorted_document_turtle(triples, base=base), len(triples))
    finally:
        if collecting:
            gc.enable()
