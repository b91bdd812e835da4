"""Ontology access: load the Turtle files in `ontology/` once, as one :class:`Vocabulary` the stages share.

The gazetteer is generated from SKOS labels, so an analyst teaches the extractor a new programme,
group or place by editing Turtle, never Python. :func:`load_vocabulary` reads an ontology folder once
per process (the build's cache key fingerprints the folder, so an edit takes effect in the next run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import DISC, SCHEMA, UKG
from kg.text.normalize import normalize
from kg.vocab.counties import COUNTIES_FILE, CountyRow, read_counties
from kg.vocab.lexicon import Lexicon, lexicon

__all__ = [
    "ONTOLOGY_DIR",
    "DiscoveryLexicon",
    "GazetteerEntry",
    "OrganisationKind",
    "Place",
    "Vocabulary",
    "discovery_lexicon",
    "en_label",
    "gazetteer",
    "load_ontology",
    "load_vocabulary",
    "organisation_kinds",
    "places",
    "zh_label",
]

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
_VOCAB_FILES = (
    "unionkg.ttl",
    "programme_scheme.ttl",
    "target_groups.ttl",
    "places.ttl",
    "counties.ttl",
    "organisations.ttl",
    "projects.ttl",
    "discovery.ttl",
)

# mention type per class, in priority order when two entries share a label
_TYPE_OF_CLASS: tuple[tuple[URIRef, str], ...] = (
    (UKG.Programme, "programme"),
    (UKG.Organisation, "organisation"),
    (UKG.TargetGroup, "target_group"),
    (UKG.Province, "place"),
    (UKG.City, "place"),
    (UKG.Region, "place"),
    (UKG.Project, "project"),
    (UKG.Slogan, "slogan"),
)
#: two-character city short names (安康, 中山, 黄山 …) are too ambiguous to match on their own
_MIN_LABEL = {UKG.City: 3}
_PRIORITY = {cls: i for i, (cls, _) in enumerate(_TYPE_OF_CLASS)}


@dataclass(frozen=True)
class GazetteerEntry:
    """One surface label that identifies one concept."""

    label: str
    iri: str
    type: str
    canonical: str


@dataclass(frozen=True)
class Place:
    """An administrative area from `places.ttl` or `counties.ttl`.

    `province` is the province-level area it is in (itself for a province); `parent` the area directly
    above it (a county's city, or its province when the province administers it directly; a city's
    province; None for a province or region); `code` its GB/T 2260 code (None for a region).
    """

    iri: str
    label: str
    short: str
    kind: str  # province, city, county or region
    province: str | None
    parent: str | None = None
    code: str | None = None


def load_ontology(directory: str | None = None) -> Graph:
    """All vocabulary files (ontology, schemes, gazetteers) as one graph, less the counties (see `places`)."""
    return load_vocabulary(directory).graph


def _read_graph(folder: Path) -> tuple[Graph, tuple[CountyRow, ...]]:
    """The vocabulary files as one graph, and the counties, which `counties.ttl` holds and its own reader reads."""
    graph = Graph()
    counties: tuple[CountyRow, ...] = ()
    for name in _VOCAB_FILES:
        path = folder / name
        if not path.exists():
            continue
        if name == COUNTIES_FILE:
            counties = read_counties(path)
        else:
            graph.parse(path, format="turtle")
    return graph, counties


def zh_label(graph: Graph, node: Node) -> str:
    """The Chinese prefLabel of a node (or its IRI's last segment)."""
    return _label(graph, node, "zh") or str(node).rsplit("/", 1)[-1]


def en_label(graph: Graph, node: Node) -> str | None:
    return _label(graph, node, "en")


def _label(graph: Graph, node: Node, lang: str) -> str | None:
    for lab in _sorted(graph.objects(node, SKOS.prefLabel)):
        if isinstance(lab, Literal) and lab.language == lang:
            return str(lab)
    return None


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    """Nodes in rdflib's own order (its stubs do not declare Node orderable)."""
    return sorted(nodes)  # type: ignore[type-var]


def _match_key(label: str) -> str:
    return normalize(label).text.strip()


def gazetteer(directory: str | None = None) -> tuple[GazetteerEntry, ...]:
    """Every zh prefLabel/altLabel of a typed concept, one entry per distinct label."""
    return load_vocabulary(directory).gazetteer


def _gazetteer(graph: Graph) -> tuple[GazetteerEntry, ...]:
    best: dict[str, tuple[tuple, GazetteerEntry]] = {}
    for cls, mtype in _TYPE_OF_CLASS:
        for node in _sorted(set(graph.subjects(RDF.type, cls))):
            if not isinstance(node, URIRef):
                continue
            canonical = zh_label(graph, node)
            labels = [lab for p in (SKOS.prefLabel, SKOS.altLabel) for lab in graph.objects(node, p)]
            for lab in labels:
                if not isinstance(lab, Literal) or lab.language != "zh":
                    continue
                key = _match_key(str(lab))
                if len(key) < _MIN_LABEL.get(cls, 2):
                    continue
                rank = (_PRIORITY[cls], str(node))
                entry = GazetteerEntry(key, str(node), mtype, canonical)
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, entry)
    return tuple(entry for _, (_, entry) in sorted(best.items()))


def places(directory: str | None = None) -> dict[str, Place]:
    """Administrative areas by IRI."""
    return load_vocabulary(directory).places


def _places(graph: Graph, counties: Iterable[CountyRow] = ()) -> dict[str, Place]:
    out: dict[str, Place] = {}
    areas: tuple[tuple[URIRef, str], ...] = (
        (UKG.Country, "country"),
        (UKG.Province, "province"),
        (UKG.City, "city"),
        (UKG.Region, "region"),
    )
    for cls, kind in areas:
        for node in _sorted(set(graph.subjects(RDF.type, cls))):
            if str(node) in out:
                continue
            label = zh_label(graph, node)
            alts = sorted(str(a) for a in graph.objects(node, SKOS.altLabel) if getattr(a, "language", None) == "zh")
            short = min(alts, key=len) if alts else label
            parent = next(iter(_sorted(graph.objects(node, SCHEMA.containedInPlace))), None)
            province = str(node) if kind == "province" else (str(parent) if parent else None)
            if kind == "country":
                province = None
            code = graph.value(node, UKG.adminCode)
            up = str(parent) if parent is not None and kind == "city" else None
            out[str(node)] = Place(str(node), label, short, kind, province, up, str(code) if code else None)
    out.update(_counties(counties, out))
    return out


def _counties(rows: Iterable[CountyRow], areas: dict[str, Place]) -> dict[str, Place]:
    """The county-level units of `counties.ttl` (ukg:County), by IRI in code order."""
    out = {}
    for row in rows:
        above = areas.get(row.parent or "")
        province = above.province if above is not None else None
        out[row.iri] = Place(row.iri, row.label, row.short or row.label, "county", province, row.parent, row.code)
    return out


def _counties_by_name(table: dict[str, Place]) -> dict[str, tuple[str, ...]]:
    """Full and short names of the counties -> the IRIs of every county so named, sorted.

    Keyed by the normalised name, as the text is matched (OpenCC makes 乾安县 干安县).
    """
    found: dict[str, set[str]] = {}
    for place in table.values():
        if place.kind == "county":
            for name in {place.label, place.short}:
                found.setdefault(_match_key(name), set()).add(place.iri)
    return {name: tuple(sorted(iris)) for name, iris in sorted(found.items())}


@dataclass(frozen=True)
class OrganisationKind:
    """A kind of body found in every area (人社厅/局) or every federation (女职工委员会)."""

    iri: str
    slug: str
    label: str
    labels: tuple[str, ...]
    provincial_form: str
    local_form: str
    of_federation: bool
    body_class: str = ""  # a class every body of the kind also has (ukg:IndustryUnion), or ""


def organisation_kinds(directory: str | None = None) -> tuple[OrganisationKind, ...]:
    """The kinds of body of `organisations.ttl`, sorted by IRI."""
    return load_vocabulary(directory).organisation_kinds


def _organisation_kinds(graph: Graph) -> tuple[OrganisationKind, ...]:
    out = []
    for node in _sorted(set(graph.subjects(RDF.type, UKG.OrganisationKind))):
        label = zh_label(graph, node)
        labels = {label} | {_match_key(str(a)) for a in graph.objects(node, SKOS.altLabel) if _is_zh(a)}
        out.append(
            OrganisationKind(
                iri=str(node),
                slug=str(node).rsplit("/", 1)[-1].removeprefix("kind-"),
                label=label,
                labels=tuple(sorted(lab for lab in labels if lab)),
                provincial_form=str(graph.value(node, UKG.provincialForm) or "{}" + label),
                local_form=str(
                    graph.value(node, UKG.localForm) or graph.value(node, UKG.provincialForm) or "{}" + label
                ),
                of_federation=(node, UKG.bodyOf, UKG.UnionFederation) in graph,
                body_class=str(graph.value(node, UKG.bodyClass) or ""),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class DiscoveryLexicon:
    """The word lists of the discovery rules, read from `discovery.ttl` (longest words first)."""

    heads: tuple[str, ...]
    slogan_cues: tuple[str, ...]
    document_suffixes: tuple[str, ...]
    generic_words: tuple[str, ...]
    brand_heads: tuple[str, ...]
    place_brand_heads: tuple[str, ...]
    brand_triggers: tuple[str, ...]
    project_heads: tuple[str, ...]
    project_cues: tuple[str, ...]
    epithets: dict[str, str]


def discovery_lexicon(directory: str | None = None) -> DiscoveryLexicon:
    """Discovery word lists (attached to disc:scheme) and place epithets (ukg:epithet)."""
    return load_vocabulary(directory).discovery


def _discovery_lexicon(graph: Graph) -> DiscoveryLexicon:
    scheme = DISC["scheme"]

    def words(prop) -> tuple[str, ...]:
        found = {_match_key(str(w)) for w in graph.objects(scheme, prop) if _is_zh(w)}
        return tuple(sorted((w for w in found if w), key=lambda w: (-len(w), w)))

    epithets = {
        _match_key(str(e)): str(node) for node, e in graph.subject_objects(UKG.epithet) if _is_zh(e) and str(e).strip()
    }
    return DiscoveryLexicon(
        heads=words(UKG.discoveryHead),
        slogan_cues=words(UKG.sloganCue),
        document_suffixes=words(UKG.documentSuffix),
        generic_words=words(UKG.genericWord),
        brand_heads=words(UKG.brandHead),
        place_brand_heads=words(UKG.placeBrandHead),
        brand_triggers=words(UKG.brandTrigger),
        project_heads=words(UKG.projectHead),
        project_cues=words(UKG.projectCue),
        epithets=dict(sorted(epithets.items())),
    )


def _is_zh(node) -> bool:
    return isinstance(node, Literal) and node.language == "zh"


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Everything the stages read from one ontology folder: the graph, what is derived from it, the lexicon.

    Compared and hashed by identity, so a stage may cache what it compiles from it (``lru_cache``).
    `places` holds the counties too (kind "county"), but their names are not in `gazetteer`: short
    names such as 和平 or 城关 are shared by many. `counties_by_name` maps a county's full name (朝阳区)
    and short name (朝阳) to the IRIs of every county so named, sorted.
    """

    directory: str
    graph: Graph
    gazetteer: tuple[GazetteerEntry, ...]
    places: dict[str, Place]
    organisation_kinds: tuple[OrganisationKind, ...]
    discovery: DiscoveryLexicon
    lexicon: Lexicon
    counties_by_name: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def words(self, name: str) -> tuple[str, ...]:
        """The lexicon's word list `name` (see :class:`kg.vocab.lexicon.Lexicon`)."""
        return self.lexicon.words(name)

    def table(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The lexicon's table `name`."""
        return self.lexicon.table(name)

    def mapping(self, name: str) -> dict[str, str]:
        """The lexicon's two-column table `name` as a dict."""
        return self.lexicon.mapping(name)

    @property
    def title_end_words(self) -> tuple[str, ...]:
        """What a title line ends with, for :func:`kg.text.normalize.normalize` (its `title_words`)."""
        return self.words("document-kinds") + self.words("document-kinds-title-end")


def load_vocabulary(directory: str | Path | None = None) -> Vocabulary:
    """The vocabulary of `directory` (default: the project's `ontology/`), read once per process."""
    return _load_vocabulary(str(Path(directory)) if directory else str(ONTOLOGY_DIR))


@lru_cache(maxsize=8)
def _load_vocabulary(directory: str) -> Vocabulary:
    graph, counties = _read_graph(Path(directory))
    table = _places(graph, counties)
    return Vocabulary(
        directory=directory,
        graph=graph,
        gazetteer=_gazetteer(graph),
        places=table,
        organisation_kinds=_organisation_kinds(graph),
        discovery=_discovery_lexicon(graph),
        lexicon=lexicon(directory),
        counties_by_name=_counties_by_name(table),
    )
