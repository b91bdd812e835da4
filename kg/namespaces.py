"""Closed namespaces: every ontology term the code uses goes through here, never a string literal."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rdflib import RDFS, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, DefinedNamespace

__all__ = [
    "DEFAULT_BASE_IRI",
    "DISC",
    "GENRE",
    "GRP",
    "LEVEL",
    "LEX",
    "LX",
    "NATIONAL_FEDERATION",
    "NATIONAL_PLACE",
    "OA",
    "ORG",
    "ORGS",
    "PLACE",
    "PROG",
    "PROJ",
    "SCHEMA",
    "UKG",
    "bind_prefixes",
    "document_iri",
    "document_slug",
    "federation_iri",
    "graph_iri",
]

DEFAULT_BASE_IRI = "https://w3id.org/unionkg/id/"


class UKG(DefinedNamespace):
    """The unionkg ontology (ontology/unionkg.ttl)."""

    _NS = Namespace("https://w3id.org/unionkg/ns#")
    _fail = True

    PolicyDocument: URIRef
    Section: URIRef
    Measure: URIRef
    Organisation: URIRef
    UnionFederation: URIRef
    IndustryUnion: URIRef
    AdministrativeArea: URIRef
    Country: URIRef
    Province: URIRef
    Municipality: URIRef
    City: URIRef
    County: URIRef
    Region: URIRef
    Programme: URIRef
    ProgrammeCategory: URIRef
    TargetGroup: URIRef
    Slogan: URIRef
    Project: URIRef
    ReferencedDocument: URIRef
    OrganisationKind: URIRef
    Genre: URIRef
    Quantity: URIRef
    Mention: URIRef
    TextSpan: URIRef
    JurisdictionLevel: URIRef

    jurisdiction: URIRef
    cityJurisdiction: URIRef
    countyJurisdiction: URIRef
    jurisdictionLevel: URIRef
    documentKind: URIRef
    announcedCount: URIRef
    sourceFile: URIRef
    sha256: URIRef
    encoding: URIRef
    hasSection: URIRef
    hasMeasure: URIRef
    inSection: URIRef
    ordinal: URIRef
    numberingStyle: URIRef
    evidence: URIRef
    inDocument: URIRef
    inMeasure: URIRef
    mentionType: URIRef
    surfaceText: URIRef
    curated: URIRef
    level: URIRef
    abbreviation: URIRef
    adminCode: URIRef
    shortName: URIRef
    federationOf: URIRef
    qualifier: URIRef
    qualifierWord: URIRef
    unitText: URIRef
    currency: URIRef
    period: URIRef
    perUnit: URIRef
    role: URIRef
    counts: URIRef
    countsText: URIRef
    statedIn: URIRef
    page: URIRef
    bodyOf: URIRef
    bodyClass: URIRef
    provincialForm: URIRef
    localForm: URIRef
    epithet: URIRef
    discoveryRule: URIRef
    discoveryHead: URIRef
    sloganCue: URIRef
    documentSuffix: URIRef
    genericWord: URIRef
    brandHead: URIRef
    placeBrandHead: URIRef
    brandTrigger: URIRef
    projectHead: URIRef
    projectCue: URIRef


class OA(DefinedNamespace):
    """The W3C Web Annotation vocabulary terms used for evidence."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    motivatedBy: URIRef
    identifying: URIRef


class ORG(DefinedNamespace):
    """W3C Organization ontology terms."""

    _NS = Namespace("http://www.w3.org/ns/org#")
    _fail = True

    Organization: URIRef
    FormalOrganization: URIRef
    subOrganizationOf: URIRef


class SCHEMA(DefinedNamespace):
    """schema.org terms."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    QuantitativeValue: URIRef
    PropertyValue: URIRef
    AdministrativeArea: URIRef
    containedInPlace: URIRef
    areaServed: URIRef
    additionalProperty: URIRef
    name: URIRef
    value: URIRef
    maxValue: URIRef
    minValue: URIRef
    unitText: URIRef
    datePublished: URIRef
    url: URIRef


class GENRE(DefinedNamespace):
    """The genre scheme (ontology/genres.ttl): a document's dcterms:type, ``GENRE[record.genre]``."""

    _NS = Namespace("https://w3id.org/unionkg/genre/")
    _fail = True
    _extras = ["news-report", "shishi-list", "public-account-post", "work-report"]  # noqa: RUF012 (rdflib's own)

    scheme: URIRef
    plan: URIRef
    notice: URIRef
    interview: URIRef


class LEVEL(DefinedNamespace):
    """Levels of jurisdiction (ontology/unionkg.ttl): a document's ukg:jurisdictionLevel, ``LEVEL[record.level]``."""

    _NS = Namespace("https://w3id.org/unionkg/level/")
    _fail = True

    scheme: URIRef
    national: URIRef
    province: URIRef
    city: URIRef
    county: URIRef


PROG = Namespace("https://w3id.org/unionkg/programme/")
DISC = Namespace("https://w3id.org/unionkg/discovered/")
PLACE = Namespace("https://w3id.org/unionkg/place/")
GRP = Namespace("https://w3id.org/unionkg/group/")
ORGS = Namespace("https://w3id.org/unionkg/org/")
PROJ = Namespace("https://w3id.org/unionkg/project/")


class LEX(DefinedNamespace):
    """The lexicon's own terms (ontology/lexicon.ttl): word lists and tables that rules match on."""

    _NS = Namespace("https://w3id.org/unionkg/lexicon#")
    _fail = True

    WordList: URIRef
    WordTable: URIRef
    words: URIRef
    entries: URIRef


#: the lexicon's lists and tables (lx:units-people …)
LX = Namespace("https://w3id.org/unionkg/lexicon/")


NATIONAL_FEDERATION = str(ORGS["acftu"])
#: the jurisdiction of national documents; its federation is the ACFTU
NATIONAL_PLACE = str(PLACE["china"])


@lru_cache(maxsize=1 << 14)  # called for every place of the gazetteer: rdflib's Namespace lookup is slow
def federation_iri(place_iri: str) -> str:
    """IRI of the union federation (总工会) of an administrative area (the ACFTU for China)."""
    if place_iri == NATIONAL_PLACE:
        return NATIONAL_FEDERATION
    return str(ORGS[place_iri.rstrip("/").rsplit("/", 1)[-1] + "-ftu"])


def document_slug(source: str, sha256: str = "") -> str:
    """A stable, IRI-safe local name for a document: its file stem (plus its format unless it is
    plain text, so ``x.pdf`` and ``x.docx`` differ), or a content hash when the stem is not IRI-safe."""
    path = Path(source)
    stem = path.stem
    suffix = path.suffix.lower().lstrip(".")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.")
    if not (slug and slug == stem):
        slug = (slug + "-" if slug else "") + (sha256[:16] or "doc")
    return slug if suffix in ("", "txt") else f"{slug}-{suffix}"


def graph_iri(base: str, name: str) -> URIRef:
    return URIRef(f"{base}graph/{name}")


def document_iri(base: str, slug: str) -> URIRef:
    return URIRef(f"{base}doc/{slug}")


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE_IRI) -> None:
    """Prefixes used in every serialisation."""
    prefixes = {
        "ukg": str(UKG._NS),
        "prog": "https://w3id.org/unionkg/programme/",
        "disc": "https://w3id.org/unionkg/discovered/",
        "place": "https://w3id.org/unionkg/place/",
        "grp": "https://w3id.org/unionkg/group/",
        "orgs": "https://w3id.org/unionkg/org/",
        "proj": "https://w3id.org/unionkg/project/",
        "genre": str(GENRE._NS),
        "level": str(LEVEL._NS),
        "oa": str(OA._NS),
        "org": str(ORG._NS),
        "schema": str(SCHEMA._NS),
        "skos": str(SKOS),
        "dcterms": str(DCTERMS),
        "prov": str(PROV),
        "xsd": str(XSD),
        "rdfs": str(RDFS),
        "id": base,
    }
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns, override=True, replace=True)
