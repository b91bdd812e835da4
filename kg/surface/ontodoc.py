"""Ontology documentation: one self-contained HTML page generated from the Turtle in ``ontology/``.

Every ``ukg:`` class and property (with domain and range), and every SKOS concept of the programme
scheme (categories, programmes), the target groups and the major projects, with its zh/en labels,
alternative labels, definition and examples. Given a built dataset, each programme and target group
also says how often and where the corpus mentions it. The page is a Jinja2 template (autoescaped, so
every text from the Turtle is escaped), with its CSS and script inlined: it loads nothing from anywhere
(no CDN, no fonts, no images).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import UKG, bind_prefixes
from kg.vocab.ontology import ONTOLOGY_DIR

__all__ = [
    "DOC_FILES",
    "Row",
    "Term",
    "TermView",
    "Value",
    "anchor",
    "corpus_counts",
    "document_terms",
    "load_doc_graph",
    "render_docs",
    "write_docs",
]

#: the Turtle files the page documents, in this order
DOC_FILES = ("unionkg.ttl", "genres.ttl", "programme_scheme.ttl", "target_groups.ttl", "projects.ttl")

_PROPERTY_KINDS: tuple[tuple[URIRef, str], ...] = (
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
)


@dataclass
class Term:
    """One documented term: a class, a property or a SKOS concept."""

    iri: Node
    kind: str
    curie: str
    labels: list[Literal] = field(default_factory=list)
    alt_labels: list[Literal] = field(default_factory=list)
    definitions: list[Literal] = field(default_factory=list)
    examples: list[Literal] = field(default_factory=list)
    links: list[tuple[str, list[Node]]] = field(default_factory=list)

    def label(self, lang: str) -> str:
        return next((str(x) for x in self.labels if x.language == lang), "")

    @property
    def title(self) -> str:
        return self.label("en") or self.label("zh") or self.curie


def load_doc_graph(ontology_dir: str | Path = ONTOLOGY_DIR) -> Graph:
    """The documented Turtle files of `ontology_dir` in one graph, with the project's prefixes."""
    g = Graph(bind_namespaces="none")
    for name in DOC_FILES:
        path = Path(ontology_dir) / name
        if path.exists():
            g.parse(path, format="turtle")
    bind_prefixes(g)
    return g


def _curie(g: Graph, iri: Node) -> str:
    try:
        prefix, _, local = g.namespace_manager.compute_qname(str(iri), generate=False)
    except (KeyError, ValueError):
        return str(iri)
    return f"{prefix}:{local}"


def anchor(curie: str) -> str:
    """The page anchor of a term: its CURIE made id-safe (``ukg-PolicyDocument``, ``prog-ankang-cup``)."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", curie).strip("-")
    if safe and safe.replace("-", "") and curie.isascii():
        return safe
    return "t-" + hashlib.sha1(curie.encode("utf-8")).hexdigest()[:12]


def _sorted_literals(values) -> list[Literal]:
    return sorted((v for v in values if isinstance(v, Literal)), key=lambda v: (v.language or "", str(v)))


def _term(g: Graph, iri: Node, kind: str) -> Term:
    labels: list[Literal] = []
    for x in _sorted_literals([*g.objects(iri, SKOS.prefLabel), *g.objects(iri, RDFS.label)]):
        if not any((y.language, str(y)) == (x.language, str(x)) for y in labels):
            labels.append(x)
    definitions = _sorted_literals(
        [*g.objects(iri, SKOS.definition), *g.objects(iri, DCTERMS.description), *g.objects(iri, RDFS.comment)]
    )
    t = Term(
        iri=iri,
        kind=kind,
        curie=_curie(g, iri),
        labels=labels,
        alt_labels=_sorted_literals(g.objects(iri, SKOS.altLabel)),
        definitions=definitions,
        examples=_sorted_literals(g.objects(iri, SKOS.example)),
    )
    links: tuple[tuple[str, URIRef], ...] = (
        ("subclass of", RDFS.subClassOf),
        ("subproperty of", RDFS.subPropertyOf),
        ("domain", RDFS.domain),
        ("range", RDFS.range),
        ("broader", SKOS.broader),
        ("realises (broad match)", SKOS.broadMatch),
        ("level", UKG.level),
    )
    for name, predicate in links:
        values = sorted(g.objects(iri, predicate), key=str)
        if values:
            t.links.append((name, values))
    return t


def document_terms(g: Graph) -> list[tuple[str, str, list[Term]]]:
    """(section id, section title, terms) in page order: classes, properties, then each concept scheme
    (the programme scheme's concepts grouped by top concept, each top concept first)."""
    ukg = str(UKG._NS)
    sections: list[tuple[str, str, list[Term]]] = []
    classes = [_term(g, c, "class") for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(ukg)]
    sections.append(("classes", "Classes", sorted(classes, key=lambda t: t.curie)))
    for kind, name in _PROPERTY_KINDS:
        props = [_term(g, p, name) for p in g.subjects(RDF.type, kind) if str(p).startswith(ukg)]
        plural = name.replace("property", "properties")
        sections.append((anchor(plural), plural.capitalize(), sorted(props, key=lambda t: t.curie)))
    kinds = [name for _, name in _CONCEPT_KINDS]

    def scheme_order(scheme: Node) -> tuple:
        found = [kinds.index(k) for m in g.subjects(SKOS.inScheme, scheme) if (k := _concept_kind(g, m)) in kinds]
        return (min(found, default=len(kinds)), str(scheme))

    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=scheme_order):
        head = _term(g, scheme, "concept scheme")
        members = set(g.subjects(SKOS.inScheme, scheme))
        tops = sorted(
            (m for m in members if (m, SKOS.topConceptOf, scheme) in g and any(g.subjects(SKOS.broader, m))),
            key=lambda c: str(c),
        )
        order: list[Node] = []
        for top in tops:
            order.append(top)
            order.extend(sorted((m for m in members if (m, SKOS.broader, top) in g), key=str))
        order.extend(sorted(members - set(order), key=str))
        terms = [head] + [_term(g, m, _concept_kind(g, m)) for m in order]
        sections.append((anchor(head.curie), head.title, terms))
    return sections


_CONCEPT_KINDS: tuple[tuple[URIRef, str], ...] = (
    (UKG.ProgrammeCategory, "programme category"),
    (UKG.Programme, "programme"),
    (UKG.TargetGroup, "target group"),
    (UKG.Project, "major project"),
)


def _concept_kind(g: Graph, concept: Node) -> str:
    for cls, name in _CONCEPT_KINDS:
        if (concept, RDF.type, cls) in g:
            return name
    return "concept"


def corpus_counts(ds: Dataset) -> dict[str, Counter]:
    """entity IRI -> Counter(jurisdiction label -> mentions), from the views' queries."""
    from kg.surface.query import load_query, result_rows, run_query

    docs = {
        r["doc"]: r.get("jurisdictionLabel") or "" for r in result_rows(run_query(ds, load_query("view-documents")))
    }
    out: dict[str, Counter] = defaultdict(Counter)
    for r in result_rows(run_query(ds, load_query("view-mentions"))):
        out[str(r["entity"])][docs.get(r["doc"], "")] += 1
    return out


# ---------------------------------------------------------------- HTML (templates/ontodoc.html)


@dataclass(frozen=True)
class Value:
    """One value on the page: a literal (`lang`: its language, "" for none), a link to a documented term
    (`anchor`, with its Chinese label `zh`), a CURIE or IRI (`code`), or plain text (`lang` None)."""

    text: str
    lang: str | None = None
    anchor: str | None = None
    zh: str = ""
    code: bool = False


@dataclass(frozen=True)
class Row:
    """A row of a term's table; `joiner` is how its values are separated: "br" (one per line), "、" or ", "."""

    name: str
    values: list[Value]
    joiner: str = ", "


@dataclass(frozen=True)
class TermView:
    """A term as the page shows it."""

    anchor: str
    title: str
    zh: str
    curie: str
    search: str
    rows: list[Row]


def _literal(v: Literal) -> Value:
    return Value(str(v), lang=v.language or "")


def _value(v: Node, known: dict[Node, Term], g: Graph) -> Value:
    if isinstance(v, Literal):
        return _literal(v)
    if v in known:
        t = known[v]
        zh = t.label("zh")
        return Value(t.curie, anchor=anchor(t.curie), zh=zh if zh and zh != t.title else "")
    return Value(_curie(g, v), code=True)


def _term_view(t: Term, known: dict[Node, Term], g: Graph, counts: dict[str, Counter] | None) -> TermView:
    zh = t.label("zh")
    rows = [Row("IRI", [Value(str(t.iri), code=True)]), Row("type", [Value(t.kind)])]
    if t.labels:
        rows.append(Row("labels", [_literal(x) for x in t.labels], "br"))
    if t.alt_labels:
        rows.append(Row("also called", [_literal(x) for x in t.alt_labels], "、"))
    for d in t.definitions:
        rows.append(Row("definition", [_literal(d)]))
    for name, values in t.links:
        rows.append(Row(name, [_value(v, known, g) for v in values]))
    if t.examples:
        rows.append(Row("examples", [_literal(x) for x in t.examples], "br"))
    if counts is not None and t.kind in ("programme", "target group", "major project"):
        c = counts.get(str(t.iri))
        if c:
            where = "、".join(f"{j or '—'} ({n})" for j, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
            total = sum(c.values())
            rows.append(Row("in the corpus", [Value(f"{total} mention{'' if total == 1 else 's'}: {where}")]))
        else:
            rows.append(Row("in the corpus", [Value("not mentioned")]))
    search = " ".join([t.curie, *(str(x) for x in t.labels), *(str(x) for x in t.alt_labels)])
    return TermView(anchor(t.curie), t.title, zh if zh and zh != t.title else "", t.curie, search.lower(), rows)


def render_docs(g: Graph, *, counts: dict[str, Counter] | None = None) -> str:
    """The documentation page (UTF-8 HTML text) for the terms of `g` (see :func:`load_doc_graph`), from
    templates/ontodoc.html of :mod:`kg.surface.views` (autoescaped; its CSS and script inlined)."""
    from kg.surface.views.render import render

    sections = document_terms(g)
    known = {t.iri: t for _, _, terms in sections for t in terms}
    onto = next(iter(sorted(g.subjects(RDF.type, OWL.Ontology), key=str)), None)
    title, intro = "unionkg ontology", ""
    if onto is not None:
        head = _term(g, onto, "ontology")
        title = " · ".join(str(x) for x in _sorted_literals(g.objects(onto, DCTERMS.title))) or title
        intro = " ".join(str(d) for d in head.definitions)
        version = g.value(onto, OWL.versionInfo)
        if version is not None:
            intro += f" Version {version}."
    toc = [
        (
            sid,
            heading,
            len(terms),
            [(anchor(t.curie), t.label("zh") or t.title) for t in terms if t.kind == "programme category"],
        )
        for sid, heading, terms in sections
    ]
    parts = [(sid, heading, [_term_view(t, known, g, counts) for t in terms]) for sid, heading, terms in sections]
    return render(
        "ontodoc.html", title=title, intro=intro, files=DOC_FILES, counted=counts is not None, toc=toc, sections=parts
    )


def write_docs(
    path: str | Path, *, ontology_dir: str | Path = ONTOLOGY_DIR, dataset: Dataset | None = None
) -> tuple[Path, int]:
    """Write the page to `path` (UTF-8); returns the path and the number of terms documented."""
    g = load_doc_graph(ontology_dir)
    counts = corpus_counts(dataset) if dataset is not None else None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_docs(g, counts=counts), encoding="utf-8")
    return path, sum(len(terms) for _, _, terms in document_terms(g))
