"""Closed namespaces: every ontology term the code uses goes through here, never a string literal."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace

__all__ = ["DEFAULT_BASE_IRI", "DISC", "GRP", "OA", "ORG", "ORGS", "PLACE", "PROG", "PROJ", "SCHEMA", "UKG"]

DEFAULT_BASE_IRI = "https://w3id.org/unionkg/id/"


class UKG(DefinedNamespace):
    """The unionkg ontology (ontology/unionkg.ttl)."""

    _NS = Namespace("https://w3id.org/unionkg/ns#")
    _fail = True

    PolicyDocument: object
    Section: object
    Measure: object
    Organisation: object
    UnionFederation: object
    AdministrativeArea: object
    Province: object
    Municipality: object
    City: object
    Region: object
    Programme: object
    ProgrammeCategory: object
    TargetGroup: object
    Slogan: object
    Project: object
    ReferencedDocument: object
    OrganisationKind: object
    Quantity: object
    Mention: object
    TextSpan: object

    jurisdiction: object
    cityJurisdiction: object
    documentKind: object
    sourceFile: object
    sha256: object
    encoding: object
    hasSection: object
    hasMeasure: object
    inSection: object
    ordinal: object
    numberingStyle: object
    evidence: object
    inDocument: object
    inMeasure: object
    mentionType: object
    surfaceText: object
    curated: object
    level: object
    abbreviation: object
    adminCode: object
    federationOf: object
    qualifier: object
    qualifierWord: object
    unitText: object
    currency: object
    period: object
    perUnit: object
    role: object
    counts: object
    countsText: object
    statedIn: object
    page: object
    bodyOf: object
    provincialForm: object
    localForm: object
    epithet: object
    discoveryRule: object
    discoveryHead: object
    sloganCue: object
    documentSuffix: object
    genericWord: object
    brandHead: object
    placeBrandHead: object
    brandTrigger: object
    projectHead: object
    projectCue: object


class OA(DefinedNamespace):
    """The W3C Web Annotation vocabulary terms used for evidence."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: object
    SpecificResource: object
    TextPositionSelector: object
    TextQuoteSelector: object
    hasBody: object
    hasTarget: object
    hasSource: object
    hasSelector: object
    start: object
    end: object
    exact: object
    motivatedBy: object
    identifying: object


class ORG(DefinedNamespace):
    """W3C Organization ontology terms."""

    _NS = Namespace("http://www.w3.org/ns/org#")
    _fail = True

    Organization: object
    FormalOrganization: object
    subOrganizationOf: object


class SCHEMA(DefinedNamespace):
    """schema.org terms."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    QuantitativeValue: object
    AdministrativeArea: object
    containedInPlace: object
    areaServed: object
    value: object
    maxValue: object
    minValue: object
    unitText: object
    datePublished: object
    url: object


PROG = Namespace("https://w3id.org/unionkg/programme/")
DISC = Namespace("https://w3id.org/unionkg/discovered/")
PLACE = Namespace("https://w3id.org/unionkg/place/")
GRP = Namespace("https://w3id.org/unionkg/group/")
ORGS = Namespace("https://w3id.org/unionkg/org/")
PROJ = Namespace("https://w3id.org/unionkg/project/")
