"""Ontology documentation: one self-contained HTML page generated from the Turtle in ``ontology/``.

Every ``ukg:`` class and property (with domain and range), and every SKOS concept of the programme
scheme (categories, programmes), the target groups and the major projects, with its zh/en labels,
alternative labels, definition and examples. Given a built dataset, each programme and target group
also says how often and where the corpus mentions it. Every text from the Turtle is escaped; the page
loads nothing from anywhere (no CDN, no fonts, no images).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef

from kg.namespaces import UKG, bind_prefixes
from kg.vocab.ontology import ONTOLOGY_DIR

__all__ = [
    "DOC_FILES",
    "Term",
    "anchor",
    "corpus_counts",
    "document_terms",
    "load_doc_graph",
    "render_docs",
    "write_docs",
]

#: the Turtle files the page documents, in this order
DOC_FILES = ("unionkg.ttl", "programme_scheme.ttl", "target_groups.ttl", "projects.ttl")

_PROPERTY_KINDS = ((OWL.ObjectProperty, "object property"), (OWL.DatatypeProperty, "datatype property"))


@dataclass
class Term:
    """One documented term: a class, a property or a SKOS concept."""

    iri: URIRef
    kind: str
    curie: str
    labels: list[Literal] = field(default_factory=list)
    alt_labels: list[Literal] = field(default_factory=list)
    definitions: list[Literal] = field(default_factory=list)
    examples: list[Literal] = field(default_factory=list)
    links: list[tuple[str, list[URIRef | Literal]]] = field(default_factory=list)

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


def _curie(g: Graph, iri: URIRef) -> str:
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


def _term(g: Graph, iri: URIRef, kind: str) -> Term:
    labels = _sorted_literals([*g.objects(iri, SKOS.prefLabel), *g.objects(iri, RDFS.label)])
    seen: set[tuple] = set()
    labels = [x for x in labels if not ((x.language, str(x)) in seen or seen.add((x.language, str(x))))]
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
    for name, predicate in (
        ("subclass of", RDFS.subClassOf),
        ("subproperty of", RDFS.subPropertyOf),
        ("domain", RDFS.domain),
        ("range", RDFS.range),
        ("broader", SKOS.broader),
        ("realises (broad match)", SKOS.broadMatch),
        ("level", UKG.level),
    ):
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

    def scheme_order(scheme: URIRef) -> tuple:
        found = [kinds.index(k) for m in g.subjects(SKOS.inScheme, scheme) if (k := _concept_kind(g, m)) in kinds]
        return (min(found, default=len(kinds)), str(scheme))

    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=scheme_order):
        head = _term(g, scheme, "concept scheme")
        members = set(g.subjects(SKOS.inScheme, scheme))
        tops = sorted(
            (m for m in members if (m, SKOS.topConceptOf, scheme) in g and any(g.subjects(SKOS.broader, m))),
            key=lambda c: str(c),
        )
        order: list[URIRef] = []
        for top in tops:
            order.append(top)
            order.extend(sorted((m for m in members if (m, SKOS.broader, top) in g), key=str))
        order.extend(sorted(members - set(order), key=str))
        terms = [head] + [_term(g, m, _concept_kind(g, m)) for m in order]
        sections.append((anchor(head.curie), head.title, terms))
    return sections


_CONCEPT_KINDS = (
    (UKG.ProgrammeCategory, "programme category"),
    (UKG.Programme, "programme"),
    (UKG.TargetGroup, "target group"),
    (UKG.Project, "major project"),
)


def _concept_kind(g: Graph, concept: URIRef) -> str:
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
        out[r["entity"]][docs.get(r["doc"], "")] += 1
    return out


# ---------------------------------------------------------------- HTML


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _literal(v: Literal) -> str:
    lang = f' <span class="lang">{_e(v.language)}</span>' if v.language else ""
    return f'<span lang="{_e(v.language or "")}">{_e(v)}</span>{lang}'


def _value(v, known: dict[URIRef, Term], g: Graph) -> str:
    if isinstance(v, Literal):
        return _literal(v)
    if v in known:
        t = known[v]
        zh = t.label("zh")
        extra = f" {_e(zh)}" if zh and zh != t.title else ""
        return f'<a href="#{_e(anchor(t.curie))}"><code>{_e(t.curie)}</code></a>{extra}'
    return f"<code>{_e(_curie(g, v))}</code>"


def _term_html(t: Term, known: dict[URIRef, Term], g: Graph, counts: dict[str, Counter] | None) -> str:
    zh = t.label("zh")
    title = _e(t.title) + (f' <span lang="zh">{_e(zh)}</span>' if zh and zh != t.title else "")
    rows = [("IRI", f"<code>{_e(t.iri)}</code>"), ("type", _e(t.kind))]
    if t.labels:
        rows.append(("labels", "<br>".join(_literal(x) for x in t.labels)))
    if t.alt_labels:
        rows.append(("also called", "、".join(_literal(x) for x in t.alt_labels)))
    for d in t.definitions:
        rows.append(("definition", _literal(d)))
    for name, values in t.links:
        rows.append((name, ", ".join(_value(v, known, g) for v in values)))
    if t.examples:
        rows.append(("examples", "<br>".join(_literal(x) for x in t.examples)))
    if counts is not None and t.kind in ("programme", "target group", "major project"):
        c = counts.get(str(t.iri))
        if c:
            where = "、".join(f"{_e(j or '—')} ({n})" for j, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
            total = sum(c.values())
            rows.append(("in the corpus", f"{total} mention{'' if total == 1 else 's'}: {where}"))
        else:
            rows.append(("in the corpus", "not mentioned"))
    body = "\n".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    search = " ".join([t.curie, *(str(x) for x in t.labels), *(str(x) for x in t.alt_labels)])
    return (
        f'<section class="term" id="{_e(anchor(t.curie))}" data-search="{_e(search.lower())}">\n'
        f'<h3>{title} <code class="curie">{_e(t.curie)}</code></h3>\n<table>\n{body}\n</table>\n</section>'
    )


_STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222}
header{padding:16px 24px;background:#23395d;color:#fff}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;max-width:70em}
.layout{display:flex;align-items:flex-start}
nav{position:sticky;top:0;max-height:100vh;overflow:auto;width:260px;flex:none;padding:12px 16px;
background:#f4f6f9;border-right:1px solid #dde;font-size:13px;box-sizing:border-box}
nav ul{padding-left:16px;margin:4px 0}nav input{width:100%;box-sizing:border-box;padding:4px}
main{padding:8px 24px 48px;max-width:70em;min-width:0}
h2{border-bottom:2px solid #23395d;padding-bottom:4px;margin-top:32px}
.term{border:1px solid #dde;border-radius:4px;padding:4px 12px;margin:12px 0}
.term h3{margin:6px 0;font-size:16px}.curie{font-weight:normal;color:#556;font-size:13px}
.term table{border-collapse:collapse;width:100%}.term th{text-align:left;vertical-align:top;width:11em;
color:#556;font-weight:normal;padding:2px 8px 2px 0}.term td{padding:2px 0;word-break:break-word}
.lang{font-size:11px;color:#889;border:1px solid #ccd;border-radius:3px;padding:0 3px}
.hidden{display:none}
"""

_SCRIPT = """
document.getElementById('q').addEventListener('input', function () {
  var q = this.value.trim().toLowerCase();
  document.querySelectorAll('.term').forEach(function (el) {
    el.classList.toggle('hidden', q !== '' && el.getAttribute('data-search').indexOf(q) < 0);
  });
});
"""


def render_docs(g: Graph, *, counts: dict[str, Counter] | None = None) -> str:
    """The documentation page (UTF-8 HTML text) for the terms of `g` (see :func:`load_doc_graph`)."""
    sections = document_terms(g)
    known = {t.iri: t for _, _, terms in sections for t in terms}
    onto = next(iter(sorted(g.subjects(RDF.type, OWL.Ontology), key=str)), None)
    title = "unionkg ontology"
    intro = ""
    if onto is not None:
        head = _term(g, onto, "ontology")
        titles = _sorted_literals(g.objects(onto, DCTERMS.title))
        title = " · ".join(str(x) for x in titles) or title
        intro = " ".join(_e(d) for d in head.definitions)
        version = g.value(onto, OWL.versionInfo)
        if version is not None:
            intro += f" Version {_e(version)}."
    toc, parts = [], []
    for sid, heading, terms in sections:
        subs = "".join(
            f'<li><a href="#{_e(anchor(t.curie))}">{_e(t.label("zh") or t.title)}</a></li>'
            for t in terms
            if t.kind == "programme category"
        )
        toc.append(
            f'<li><a href="#{_e(sid)}">{_e(heading)}</a> ({len(terms)})'
            + (f"<ul>{subs}</ul>" if subs else "")
            + "</li>"
        )
        parts.append(f'<h2 id="{_e(sid)}">{_e(heading)}</h2>')
        parts.extend(_term_html(t, known, g, counts) for t in terms)
    note = (
        "Generated by <code>kg docs</code> from the Turtle files "
        + ", ".join(f"<code>ontology/{_e(n)}</code>" for n in DOC_FILES)
        + (" and a built graph (the <em>in the corpus</em> lines)." if counts is not None else ".")
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{_e(title)}</h1><p>{intro}</p><p>{note}</p></header>\n"
        '<div class="layout">\n<nav><input id="q" type="search" placeholder="filter terms…" aria-label="filter terms">\n'
        f"<ul>\n{chr(10).join(toc)}\n</ul></nav>\n<main>\n"
        + "\n".join(parts)
        + f"\n</main>\n</div>\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
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
