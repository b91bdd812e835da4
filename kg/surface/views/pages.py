"""Views: SPARQL gets the data, networkx computes graphs and layouts, pyvis builds the network data,
and a self-contained page template draws it.

Every page in ``out/views/`` is offline: vis-network is inlined from the pyvis package (no CDN, no
Bootstrap, no vis CSS), a Content-Security-Policy forbids any fetch, and every label, tooltip and
detail is put into the DOM as *text* (``textContent``), never as HTML — so nothing a document says can
run in the browser. ``index.html`` and its SVG heatmap are HTML-escaped in Python. Everything is sorted
and layouts are seeded, so the same graph always gives byte-identical pages.

Pages: ``index.html`` (links, shared/unique tables, jurisdiction × programme heatmap),
``overview.html``, ``jurisdiction-<slug>.html``, ``programme-<slug>.html`` and ``compare.html`` (two
selectors; ``compare.html#a=<slug>&b=<slug>`` opens a given pair). See docs/views.md.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from itertools import combinations, pairwise
from pathlib import Path

import networkx as nx
from rdflib import Dataset

from kg.surface.query import load_query, result_rows, run_query

__all__ = [
    "LAYOUT_THRESHOLD",
    "PALETTE",
    "Document",
    "Entity",
    "Jurisdiction",
    "Measure",
    "Mention",
    "Quantity",
    "ViewData",
    "comparison_data",
    "evidence_sentence",
    "heatmap_svg",
    "jurisdiction_graph",
    "load_view_data",
    "overview_facets",
    "overview_graph",
    "overview_layout",
    "programme_graph",
    "radial_positions",
    "read_texts",
    "render_index",
    "render_page",
    "slugify",
    "spring_positions",
    "to_pyvis",
    "view_positions",
    "write_overview",
    "write_views",
]

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
    "#bcbd22",
    "#7f3c8d",
)
#: above this many nodes a view is drawn exactly where networkx put it (physics off)
LAYOUT_THRESHOLD = 300

_UNCATEGORISED = "未分类 uncategorised"
_UNCATEGORISED_COLOUR = "#d9d9d9"
_STYLE = {
    "jurisdiction": {"color": "#2f2f2f", "shape": "box", "font": "#ffffff"},
    "document": {"color": "#5b6770", "shape": "box", "font": "#ffffff"},
    "measure": {"color": "#eeeeee", "shape": "box", "font": "#222222", "border": "#9a9a9a"},
    "section": {"color": "#dce6f0", "shape": "box", "font": "#222222", "border": "#8aa4bf"},
    "target_group": {"color": "#6b6ecf", "shape": "triangle"},
    "target": {"color": "#d4a017", "shape": "diamond"},
    "statistic": {"color": "#8c8c8c", "shape": "diamond"},
}
_KIND_NAMES = {
    "jurisdiction": "管辖区域 jurisdiction",
    "document": "文件 document",
    "measure": "措施 measure",
    "section": "章节 section",
    "programme": "工作品牌 programme",
    "target_group": "服务对象 target group",
    "target": "目标 target (quantity)",
    "statistic": "统计 statistic (quantity)",
}
_FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
_SENTENCE_END = "。！？；!?;"
_QUOTES_PER_NODE = 12
_VIEW_FILE = re.compile(r"(index|overview|compare|(jurisdiction|programme)-[a-z0-9_-]+)\.html")


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Jurisdiction:
    iri: str
    label: str
    slug: str


@dataclass(frozen=True)
class Document:
    iri: str
    title: str
    date: str
    kind: str
    source_file: str
    jurisdiction: str | None


@dataclass
class Measure:
    iri: str
    doc: str
    ordinal: int
    title: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    iri: str
    doc: str
    ordinal: int
    title: str
    start: int


@dataclass(frozen=True)
class Entity:
    """A programme or a target group."""

    iri: str
    kind: str
    label: str
    category: str
    curated: bool
    slug: str


@dataclass(frozen=True)
class Mention:
    iri: str
    doc: str
    entity: str
    measure: str | None
    start: int
    end: int
    surface: str
    sentence: str
    context: str  # its measure, else its section, else its document


@dataclass(frozen=True)
class Quantity:
    iri: str
    doc: str
    measure: str | None
    quote: str
    sentence: str
    value: str
    unit: str
    role: str
    period: str
    counts: str | None
    counts_label: str
    counts_text: str
    start: int
    context: str  # its measure, else its section, else its document


@dataclass
class ViewData:
    """Everything the views show, read from the graph with the view-*.rq queries."""

    jurisdictions: dict[str, Jurisdiction]
    documents: dict[str, Document]
    measures: dict[str, Measure]
    sections: dict[str, Section]
    entities: dict[str, Entity]
    mentions: list[Mention]
    quantities: list[Quantity]
    colours: dict[str, str]

    @cached_property
    def mentions_of(self) -> dict[str, list[Mention]]:
        """entity IRI -> its mentions (in document order)."""
        return _index(self.mentions, lambda m: m.entity)

    @cached_property
    def mentions_in(self) -> dict[str, list[Mention]]:
        """context (measure, section or document) IRI -> the mentions in it."""
        return _index(self.mentions, lambda m: m.context)

    @cached_property
    def quantities_counting(self) -> dict[str, list[Quantity]]:
        return _index((q for q in self.quantities if q.counts), lambda q: q.counts)

    @cached_property
    def quantities_in(self) -> dict[str, list[Quantity]]:
        return _index(self.quantities, lambda q: q.context)

    def programmes(self) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == "programme"), key=_entity_key)

    def jurisdiction_of(self, doc: str) -> str | None:
        return self.documents[doc].jurisdiction if doc in self.documents else None

    def context_label(self, doc: str, context: str | None) -> str:
        """'四川省 · <document title> · （3）<measure title>' (or '§2 <section title>') for a quote's source."""
        d = self.documents.get(doc)
        j = self.jurisdictions.get(d.jurisdiction) if d and d.jurisdiction else None
        parts = [j.label if j else "", _short(d.title, 40) if d else doc]
        if context in self.measures or context in self.sections:
            parts.append(self.context_title(context))
        return " · ".join(p for p in parts if p)

    def context_title(self, context: str) -> str:
        if context in self.measures:
            m = self.measures[context]
            return f"（{m.ordinal}）{m.title}"
        if context in self.sections:
            s = self.sections[context]
            return f"§{s.ordinal} {s.title}"
        return self.documents[context].title if context in self.documents else context


def _index(items, key) -> dict:
    out: dict = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return dict(out)


def _entity_key(e: Entity) -> tuple:
    return (e.label, e.iri)


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def slugify(iri: str, taken: set[str] | None = None) -> str:
    """A safe, deterministic file-name part for an IRI: its local name when that is already a plain
    lower-case name, else a sanitised name plus a hash of the IRI. Unique within `taken` (updated)."""
    local = _local(iri)
    slug = local if _SAFE_SLUG.fullmatch(local) else ""
    if not slug:
        base = re.sub(r"[^a-z0-9_-]+", "-", local.lower()).strip("-_")[:40]
        slug = (base + "-" if base else "") + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:10]
    if taken is not None:
        if slug in taken:
            slug = f"{slug}-{hashlib.sha1(iri.encode('utf-8')).hexdigest()[:10]}"
        taken.add(slug)
    return slug


def evidence_sentence(text: str, start: int, end: int, *, limit: int = 160) -> str:
    """The sentence of `text` around [start, end), at most about `limit` characters, whitespace squashed."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    s = start
    while s > 0 and text[s - 1] not in _SENTENCE_END and start - s < limit:
        s -= 1
    e = end
    while e < len(text) and text[e] not in _SENTENCE_END and e - end < limit:
        e += 1
    if e < len(text) and text[e] in _SENTENCE_END:
        e += 1
    room = max(limit - (end - start), 20)
    left = max(s, start - room // 2)
    right = min(e, end + room - (start - left))
    out = _squash(text[left:right])
    return ("…" if left > s else "") + out + ("…" if right < e else "")


def _squash(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _short(text: str, n: int) -> str:
    text = _squash(text or "")
    return text if len(text) <= n else text[: n - 1] + "…"


def _int(value, default: int = 0) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default


def _number(value: str | None) -> str:
    if value is None:
        return ""
    try:
        f = float(value)
    except ValueError:
        return value
    return str(int(f)) if f == int(f) else f"{f:g}"


def read_texts(text_dir: str | Path | None, documents) -> dict[str, str]:
    """Document texts from ``text/<slug>.txt`` (written by ``kg build``), keyed by document IRI."""
    out: dict[str, str] = {}
    if not text_dir or not Path(text_dir).is_dir():
        return out
    for doc in documents:
        path = Path(text_dir) / f"{_local(doc)}.txt"
        if path.is_file():
            out[doc] = path.read_bytes().decode("utf-8", errors="replace")
    return out


def _rows(ds: Dataset, name: str) -> list[dict]:
    return result_rows(run_query(ds, load_query(name)))


def load_view_data(ds: Dataset, texts: Mapping[str, str] | None = None) -> ViewData:
    """Read documents, measures, mentions and quantities with the view-*.rq queries.

    `texts` (document IRI -> text, see :func:`read_texts`) gives evidence whole sentences; without it
    a quote comes from its measure's text, or is just the words of the mention.
    """
    texts = dict(texts or {})
    documents, jurisdictions = {}, {}
    for r in _rows(ds, "view-documents"):
        if r["doc"] in documents:
            continue
        documents[r["doc"]] = Document(
            r["doc"], r.get("title") or r.get("sourceFile") or _local(r["doc"]), r.get("date") or "",
            r.get("kind") or "", r.get("sourceFile") or "", r.get("jurisdiction"),
        )  # fmt: skip
        if r.get("jurisdiction") and r["jurisdiction"] not in jurisdictions:
            jurisdictions[r["jurisdiction"]] = r.get("jurisdictionLabel") or _local(r["jurisdiction"])
    taken: set[str] = set()
    juris = {
        iri: Jurisdiction(iri, label, slugify(iri, taken))
        for iri, label in sorted(jurisdictions.items(), key=lambda kv: kv[0])
    }
    measures: dict[str, Measure] = {}
    for r in _rows(ds, "view-measures"):
        m = measures.setdefault(r["measure"], Measure(r["measure"], r["doc"], _int(r["ordinal"]), r.get("title") or ""))
        if r.get("start") is not None:
            span = (_int(r["start"]), _int(r["end"]), r.get("quote") or "")
            if span not in m.spans:
                m.spans.append(span)
    for m in measures.values():
        m.spans.sort()
    sections: dict[str, Section] = {}
    by_doc: dict[str, list[Section]] = defaultdict(list)
    for r in _rows(ds, "view-sections"):
        if r["section"] not in sections and r.get("start") is not None:
            s = Section(r["section"], r["doc"], _int(r["ordinal"]), r.get("title") or "", _int(r["start"]))
            sections[s.iri] = s
            by_doc[s.doc].append(s)
    for secs in by_doc.values():
        secs.sort(key=lambda s: (s.start, s.ordinal))

    def context(doc: str, measure: str | None, start: int) -> str:
        if measure:
            return measure
        before = [s for s in by_doc.get(doc, []) if s.start <= start]
        return before[-1].iri if before else doc

    def sentence(doc: str, measure: str | None, start: int, end: int, fallback: str) -> str:
        # the text file must be the one the offsets point into (same words there, give or take whitespace)
        if doc in texts and _bare(texts[doc][start:end]) == _bare(fallback):
            return evidence_sentence(texts[doc], start, end)
        if measure in measures:
            for s, e, quote in measures[measure].spans:
                if s <= start and end <= e:
                    return evidence_sentence(quote, start - s, end - s)
        return _squash(fallback)

    raw_entities: dict[str, dict] = {}
    mentions = []
    seen_mentions = set()
    for r in _rows(ds, "view-mentions"):
        iri = r["entity"]
        info = raw_entities.setdefault(
            iri, {"kind": r["kind"], "label": r.get("label") or r.get("surface") or _local(iri), "cats": set()}
        )
        if r.get("categoryLabel"):
            info["cats"].add(r["categoryLabel"])
        if r.get("curated") is not None:
            info["curated"] = r["curated"].lower() != "false"
        key = (r["mention"], iri)
        if key in seen_mentions:
            continue
        seen_mentions.add(key)
        start, end = _int(r.get("start")), _int(r.get("end"))
        measure = r.get("measure") if r.get("measure") in measures else None
        mentions.append(
            Mention(r["mention"], r["doc"], iri, measure, start, end, r.get("surface") or "",
                    sentence(r["doc"], measure, start, end, r.get("surface") or info["label"]),
                    context(r["doc"], measure, start))
        )  # fmt: skip
    taken = set()
    entities = {}
    for iri in sorted(raw_entities):
        info = raw_entities[iri]
        category = min(info["cats"]) if info["cats"] else _UNCATEGORISED
        curated = info.get("curated", True)
        entities[iri] = Entity(iri, info["kind"], info["label"], category, curated, slugify(iri, taken))
    mentions.sort(key=lambda m: (m.doc, m.start, m.end, m.entity))

    quantities = []
    seen_q = set()
    for r in _rows(ds, "view-quantities"):
        if r["quantity"] in seen_q:
            continue
        seen_q.add(r["quantity"])
        start, end = _int(r.get("start")), _int(r.get("end"))
        measure = r.get("measure") if r.get("measure") in measures else None
        value = _number(r.get("value"))
        if r.get("maxValue"):
            value += "–" + _number(r["maxValue"])
        quantities.append(
            Quantity(r["quantity"], r["doc"], measure, r.get("quote") or value,
                     sentence(r["doc"], measure, start, end, r.get("quote") or value), value, r.get("unit") or "",
                     r.get("role") or "", r.get("period") or "", r.get("counts"), r.get("countsLabel") or "",
                     r.get("countsText") or "", start, context(r["doc"], measure, start))
        )  # fmt: skip
    quantities.sort(key=lambda q: (q.doc, q.start, q.iri))
    categories = sorted({e.category for e in entities.values() if e.kind == "programme"} - {_UNCATEGORISED})
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    colours[_UNCATEGORISED] = _UNCATEGORISED_COLOUR
    return ViewData(juris, documents, measures, sections, entities, mentions, quantities, colours)


# ---------------------------------------------------------------- graphs (networkx computes)


def _quote_lines(data: ViewData, mentions: list[Mention], limit: int = _QUOTES_PER_NODE) -> list[str]:
    out = []
    for m in mentions[:limit]:
        out.append(f"{data.context_label(m.doc, m.context)}\n“{m.sentence}”")
    if len(mentions) > limit:
        out.append(f"… {len(mentions) - limit} more")
    return out


def _quantity_line(q: Quantity) -> str:
    what = q.counts_label or q.counts_text
    bits = [q.quote, f"({q.role})" if q.role else "", q.period, f"— {what}" if what else ""]
    return " ".join(b for b in bits if b)


def _programme_attrs(data: ViewData, e: Entity) -> dict:
    return {
        "kind": e.kind,
        "label": e.label,
        "category": e.category,
        "curated": e.curated,
        "link": f"programme-{e.slug}.html" if e.kind == "programme" else None,
    }


#: how many programmes the overview draws one by one; the rest are collapsed into one node per category
OVERVIEW_TOP = 120


def _programme_rank(g: nx.Graph, node) -> tuple:
    d = g.nodes[node]
    return (-d["jurisdictions"], -d["measures"], -d["mentions"], d["label"], str(node))


def overview_graph(data: ViewData, *, top: int | None = OVERVIEW_TOP) -> nx.Graph:
    """Jurisdictions linked to the programmes their documents mention.

    Edge `weight` = mentions, edge `measures` = distinct measures (a document's text outside numbered
    measures counts as one); a programme's `jurisdictions` is how many jurisdictions mention it. With
    `top`, only the `top` programmes ranked by jurisdictions, measures and mentions stay single nodes; the
    others are collapsed into one node per category (kind ``programme``, `collapsed` = how many), so the
    graph stays readable however big the corpus is."""
    g = nx.Graph()
    by_pair: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in data.mentions:
        j = data.jurisdiction_of(m.doc)
        if j and data.entities[m.entity].kind == "programme":
            by_pair[(j, m.entity)].append(m)
    for j in sorted({j for j, _ in by_pair}):
        jur = data.jurisdictions[j]
        docs = sum(1 for d in data.documents.values() if d.jurisdiction == j)
        contexts = {m.context for (jj, _), ms in by_pair.items() if jj == j for m in ms}
        g.add_node(j, kind="jurisdiction", label=jur.label, link=f"jurisdiction-{jur.slug}.html", documents=docs,
                   measures=len(contexts))  # fmt: skip
    for (j, p), ms in sorted(by_pair.items()):
        if p not in g:
            g.add_node(p, **_programme_attrs(data, data.entities[p]), quotes=[])
        g.nodes[p]["quotes"].extend(ms[:3])
        g.add_edge(j, p, weight=len(ms), measures=len({m.context for m in ms}))
    for node, d in g.nodes(data=True):
        if d["kind"] == "programme":
            d["jurisdictions"] = g.degree(node)
            d["mentions"] = sum(g.edges[node, j]["weight"] for j in g[node])
            d["measures"] = sum(g.edges[node, j]["measures"] for j in g[node])
    programmes = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "programme"), key=lambda n: _programme_rank(g, n)
    )
    if top is not None and len(programmes) > top:
        _collapse(g, programmes[top:])
    for node, d in g.nodes(data=True):
        d["font_size"] = 26 if d["kind"] == "jurisdiction" else 16
        if d["kind"] == "programme":
            d["jurisdictions"] = g.degree(node)
            where = "、".join(sorted(g.nodes[j]["label"] for j in g[node]))
            head = f"类别 category: {d['category']}" + ("" if d["curated"] else " · 待审 discovered (uncurated)")
            d["detail_lines"] = [
                head,
                f"{d['jurisdictions']} jurisdiction(s): {where}",
                f"{d['measures']} measure(s), {d['mentions']} mention(s)",
                *d.pop("members", []),
            ]
            d["quote_lines"] = _quote_lines(data, d.pop("quotes"), limit=6)
        else:
            d["detail_lines"] = [
                f"{d['documents']} document(s)",
                f"{g.degree(node)} programme(s) in {d['measures']} measure(s)",
            ]
            d["quote_lines"] = []
    return g


def _collapse(g: nx.Graph, rest: list) -> None:
    """Replace the programmes in `rest` by one node per category, with summed counts."""
    by_category: dict[str, list] = defaultdict(list)
    for p in rest:
        by_category[g.nodes[p]["category"]].append(p)
    for i, category in enumerate(sorted(by_category)):
        members = by_category[category]
        node = f"urn:unionkg:overview:collapsed:{i}"
        g.add_node(
            node, kind="programme", label=f"其他 {len(members)} 项 · {category}", category=category, curated=True,
            link=None, collapsed=len(members), quotes=[],
            mentions=sum(g.nodes[p]["mentions"] for p in members), measures=sum(g.nodes[p]["measures"] for p in members),
            members=["collapsed 合并: " + "、".join(g.nodes[p]["label"] for p in members[:40])
                     + (f" … +{len(members) - 40}" if len(members) > 40 else "")],
        )  # fmt: skip
        for p in members:
            for j in g[p]:
                e = g.edges[j, p]
                if g.has_edge(j, node):
                    g.edges[j, node]["weight"] += e["weight"]
                    g.edges[j, node]["measures"] += e["measures"]
                else:
                    g.add_edge(j, node, weight=e["weight"], measures=e["measures"])
        g.remove_nodes_from(members)


def overview_facets(g: nx.Graph) -> dict:
    """The overview's filters: category and jurisdiction choices, and each node's values for them."""
    kinds = nx.get_node_attributes(g, "kind")
    jurs = sorted((n for n, k in kinds.items() if k == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], str(n)))
    categories = sorted({g.nodes[n]["category"] for n, k in kinds.items() if k == "programme"})
    values = {}
    for n, k in kinds.items():
        if k == "programme":
            values[n] = {"category": g.nodes[n]["category"], "jurisdictions": sorted(map(str, g[n]))}
        else:
            values[n] = {"category": None, "jurisdictions": [str(n)]}
    return {
        "categories": categories,
        "jurisdictions": [{"id": str(j), "label": g.nodes[j]["label"]} for j in jurs],
        "values": {str(n): values[n] for n in sorted(values, key=str)},
    }


def _add_entity(g: nx.Graph, data: ViewData, iri: str) -> None:
    if iri not in g:
        g.add_node(iri, **_programme_attrs(data, data.entities[iri]), mentions=[])


def _add_document(g: nx.Graph, data: ViewData, doc: str) -> None:
    if doc not in g:
        d = data.documents[doc]
        g.add_node(doc, kind="document", label=_short(d.title, 20), link=None, quote_lines=[],
                   detail_lines=[d.title, " · ".join(x for x in (d.date, d.kind, d.source_file) if x)])  # fmt: skip


def _add_context(g: nx.Graph, data: ViewData, context: str) -> None:
    """A measure or section node linked to its document (added as needed); a document is its own context."""
    if context in data.documents:
        _add_document(g, data, context)
        return
    if context in g:
        return
    if context in data.measures:
        m = data.measures[context]
        text = _squash(" ".join(q for _, _, q in m.spans))
        g.add_node(context, kind="measure", label=_short(data.context_title(context), 16), link=None,
                   detail_lines=[data.context_title(context)], quote_lines=[_short(text, 600)] if text else [])  # fmt: skip
        doc = m.doc
    else:
        s = data.sections[context]
        g.add_node(context, kind="section", label=_short(data.context_title(context), 16), link=None,
                   detail_lines=[data.context_title(context)], quote_lines=[])  # fmt: skip
        doc = s.doc
    _add_document(g, data, doc)
    g.add_edge(doc, context, kind="part")


def _add_quantity(g: nx.Graph, data: ViewData, q: Quantity) -> None:
    g.add_node(q.iri, kind="target" if q.role == "target" else "statistic", label=_short(q.quote, 14), link=None,
               detail_lines=[_quantity_line(q)], quote_lines=[f"{data.context_label(q.doc, q.context)}\n“{q.sentence}”"])  # fmt: skip


def jurisdiction_graph(data: ViewData, jurisdiction: str) -> nx.Graph:
    """jurisdiction → documents → measures (or, outside numbered measures, headed sections) → the
    programmes, target groups and quantities they state; a quantity that counts a programme links to it."""
    jur = data.jurisdictions[jurisdiction]
    g = nx.Graph(root=jurisdiction)
    docs = sorted(d.iri for d in data.documents.values() if d.jurisdiction == jurisdiction)
    g.add_node(jurisdiction, kind="jurisdiction", label=jur.label, link=None, quote_lines=[],
               detail_lines=[f"{len(docs)} document(s)"])  # fmt: skip
    for doc in docs:
        _add_document(g, data, doc)
        g.add_edge(jurisdiction, doc, kind="part")
    for m in sorted(data.measures.values(), key=lambda m: (m.doc, m.ordinal, m.iri)):
        if m.doc in g:
            _add_context(g, data, m.iri)
    for men in data.mentions:
        if men.doc not in g:
            continue
        _add_context(g, data, men.context)
        _add_entity(g, data, men.entity)
        g.nodes[men.entity]["mentions"].append(men)
        if g.has_edge(men.context, men.entity):
            g.edges[men.context, men.entity]["weight"] += 1
        else:
            g.add_edge(men.context, men.entity, kind="mention", weight=1)
    for q in data.quantities:
        if q.doc not in g:
            continue
        _add_context(g, data, q.context)
        _add_quantity(g, data, q)
        g.add_edge(q.context, q.iri, kind="part")
        if q.counts in g and g.nodes[q.counts]["kind"] == "programme":
            g.add_edge(q.iri, q.counts, kind="counts")
    for _node, d in g.nodes(data=True):
        if "mentions" in d:
            ms = d.pop("mentions")
            d["count"] = len(ms)
            first = f"类别 category: {d['category']}" if d["kind"] == "programme" else "服务对象 target group"
            d["detail_lines"] = [first, f"{len(ms)} mention(s) in {jur.label}"]
            d["quote_lines"] = _quote_lines(data, ms)
    return g


def programme_graph(data: ViewData, programme: str, *, beside: int = 40) -> nx.Graph:
    """An ego view: the programme; the measures (or sections, or documents) that mention it, with the
    quotes; their documents and jurisdictions; the quantities that count it or are stated in the same
    measure; and the programmes mentioned in the same measures (the `beside` most frequent of them; the
    stated quantities only while the view stays under LAYOUT_THRESHOLD nodes)."""
    e = data.entities[programme]
    g = nx.Graph(root=programme)
    own = data.mentions_of.get(programme, [])
    counted = data.quantities_counting.get(programme, [])
    measures = sorted({m.context for m in own if m.context in data.measures})
    stated = [q for c in measures for q in data.quantities_in.get(c, []) if q.counts != programme]
    g.add_node(programme, **{**_programme_attrs(data, e), "link": None})
    g.nodes[programme]["detail_lines"] = [
        f"类别 category: {e.category}" + ("" if e.curated else " · 待审 discovered (uncurated)"),
        f"{len(own)} mention(s) in {len({m.doc for m in own})} document(s)",
        *[f"数量 quantity: {_quantity_line(q)}" for q in counted],
    ]
    g.nodes[programme]["quote_lines"] = _quote_lines(data, own, limit=40)
    by_context: dict[str, list[Mention]] = defaultdict(list)
    for m in own:
        by_context[m.context].append(m)
    for c in sorted(by_context):
        _add_context(g, data, c)
        g.nodes[c]["quote_lines"] = _quote_lines(data, by_context[c])
        g.add_edge(programme, c, kind="mention", weight=len(by_context[c]))
    for doc in sorted(n for n, d in g.nodes(data=True) if d["kind"] == "document"):
        j = data.documents[doc].jurisdiction
        if j:
            jur = data.jurisdictions[j]
            if j not in g:
                g.add_node(j, kind="jurisdiction", label=jur.label, link=f"jurisdiction-{jur.slug}.html",
                           detail_lines=[], quote_lines=[])  # fmt: skip
            g.add_edge(doc, j, kind="part")
    for q in counted:
        _add_quantity(g, data, q)
        g.add_edge(programme, q.iri, kind="counts")
    if len(g) + len(stated) <= LAYOUT_THRESHOLD:
        for q in stated:
            _add_quantity(g, data, q)
            g.add_edge(q.context, q.iri, kind="part")
    elif stated:
        g.nodes[programme]["detail_lines"].append(f"{len(stated)} other quantities in the same measures (not drawn)")
    others: dict[str, list[Mention]] = defaultdict(list)
    for m in (m for c in measures for m in data.mentions_in.get(c, [])):
        if m.entity != programme and data.entities[m.entity].kind == "programme":
            others[m.entity].append(m)
    ranked = sorted(others, key=lambda p: (-len({m.context for m in others[p]}), data.entities[p].label, p))
    for p in ranked[:beside]:
        _add_entity(g, data, p)
        for m in others[p]:
            g.nodes[p]["mentions"].append(m)
            g.add_edge(m.context, p, kind="beside")
    if len(ranked) > beside:
        g.nodes[programme]["detail_lines"].append(
            f"{len(ranked) - beside} more programmes mentioned in the same measures (not drawn)"
        )
    for _node, d in g.nodes(data=True):
        if "mentions" in d:
            ms = d.pop("mentions")
            d["detail_lines"] = [f"类别 category: {d['category']}", "mentioned in the same measure"]
            d["quote_lines"] = _quote_lines(data, ms, limit=4)
    return g


def comparison_data(data: ViewData) -> dict:
    """For the compare page: every jurisdiction's programmes and target groups (from the overview graph),
    and each programme's label, category colour, page and per-jurisdiction mention counts."""
    g = overview_graph(data, top=None)
    groups: dict[str, Counter] = defaultdict(Counter)
    for m in data.mentions:
        j = data.jurisdiction_of(m.doc)
        if j and data.entities[m.entity].kind == "target_group":
            groups[j][data.entities[m.entity].label] += 1
    jurs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], n)
    )
    order = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "programme"),
        key=lambda n: (g.nodes[n]["category"], g.nodes[n]["label"], n),
    )
    rank = {p: i for i, p in enumerate(order)}
    return {
        "jurisdictions": [
            {
                "id": j,
                "slug": data.jurisdictions[j].slug,
                "label": g.nodes[j]["label"],
                "programmes": sorted(g[j], key=rank.__getitem__),
                "groups": sorted(groups[j]),
            }
            for j in jurs
        ],
        "programmes": {
            p: {
                "label": g.nodes[p]["label"],
                "category": g.nodes[p]["category"],
                "colour": data.colours.get(g.nodes[p]["category"], _UNCATEGORISED_COLOUR),
                "curated": g.nodes[p]["curated"],
                "link": g.nodes[p]["link"],
                "rank": rank[p],
                "mentions": {data.jurisdictions[j].slug: g.edges[p, j]["weight"] for j in sorted(g[p])},
            }
            for p in order
        },
    }  # fmt: skip


# ---------------------------------------------------------------- layouts (networkx, seeded)

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def spring_positions(g: nx.Graph, root=None, *, seed: int = 7) -> dict:
    """A seeded networkx spring layout (the root, if any, fixed in the middle), in vis pixels."""
    if g.number_of_nodes() == 0:
        return {}
    h = nx.Graph()
    h.add_nodes_from(sorted(g.nodes, key=str))
    h.add_edges_from(sorted((tuple(sorted(e, key=str)) for e in g.edges), key=lambda e: (str(e[0]), str(e[1]))))
    n = h.number_of_nodes()
    fixed = [root] if root is not None and n > 1 else None
    pos = nx.spring_layout(
        h, pos={root: (0.0, 0.0)} if fixed else None, fixed=fixed, seed=seed, iterations=100, k=1.6 / math.sqrt(n)
    )
    scale = 70.0 * math.sqrt(n)
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in pos.items()}


def _width(d: dict) -> float:
    """Room a node needs along a ring (vis pixels): boxes are wide, dots and diamonds small."""
    return 160.0 if d.get("kind") in ("jurisdiction", "document", "measure", "section") else 56.0


def radial_positions(g: nx.Graph, root, *, ring: float = 260.0) -> dict:
    """A layout for big graphs in O(n log n), no scipy: rings around `root` by BFS depth. The first
    ring is split in proportion to subtree sizes; a node further out sits at the mean angle of its
    neighbours on the ring inside (so shared nodes fall between their parents); each ring is made long
    enough for its nodes and nodes are then spread along it so that none overlap."""
    depth = nx.single_source_shortest_path_length(g, root)
    rings: dict[int, list] = defaultdict(list)
    for n, d in depth.items():
        rings[d].append(n)
    tree = nx.bfs_tree(g, root, sort_neighbors=lambda ns: sorted(ns, key=str))
    size: dict = {}
    for node in reversed(list(nx.topological_sort(tree))):
        size[node] = 1 + sum(size[k] for k in tree.successors(node))
    pos, angle, r = {root: (0.0, 0.0)}, {root: 0.0}, 0.0
    for d in range(1, max(rings, default=0) + 1):
        nodes = sorted(rings[d], key=str)
        widths = {n: _width(g.nodes[n]) for n in nodes}
        r = max(r + ring, 1.5 * sum(widths.values()) / (2 * math.pi))  # some slack for uneven crowding
        if d == 1:
            total, lo, want = sum(size[n] for n in nodes), 0.0, {}
            for n in nodes:
                span = 2 * math.pi * size[n] / total
                want[n], lo = lo + span / 2, lo + span
        else:
            want = {}
            for n in nodes:
                inner = [angle[m] for m in g[n] if depth.get(m) == d - 1]
                x, y = sum(math.cos(a) for a in inner), sum(math.sin(a) for a in inner)
                want[n] = math.atan2(y, x) % (2 * math.pi) if (x or y) else 0.0
        order = sorted(nodes, key=lambda n: (want[n], str(n)))
        gaps = [(widths[a] + widths[b]) / 2 / r for a, b in pairwise(order)]
        ahead, behind = [want[order[0]]], [want[order[-1]]]
        for i, n in enumerate(order[1:]):  # pushed forward where crowded …
            ahead.append(max(want[n], ahead[-1] + gaps[i]))
        for i in range(len(order) - 2, -1, -1):  # … and backward; the mean keeps the gaps, centred
            behind.append(min(want[order[i]], behind[-1] - gaps[i]))
        for n, a, b in zip(order, ahead, reversed(behind), strict=True):
            angle[n] = (a + b) / 2
            pos[n] = (r * math.cos(angle[n]), r * math.sin(angle[n]))
    rest = sorted((n for n in g if n not in pos), key=str)  # not connected to the root
    for i, n in enumerate(rest):
        pos[n] = (-r + (i % 40) * 60.0, r + ring + (i // 40) * 60.0)
    return pos


def view_positions(g: nx.Graph, root) -> dict:
    """Positions for a rooted view: a seeded spring layout (then a short physics relaxation in the
    browser) up to LAYOUT_THRESHOLD nodes, a radial tree beyond (drawn as is, physics off)."""
    if g.number_of_nodes() <= LAYOUT_THRESHOLD:
        return spring_positions(g, root)
    return radial_positions(g, root)


def _separate(centres, radii, movable, *, gap: float = 24.0, rounds: int = 300):
    """Push overlapping discs apart (fixed discs do not move); deterministic, numpy-vectorised."""
    import numpy as np

    c = np.array(centres, dtype=float).reshape(-1, 2)
    r = np.array(radii, dtype=float)
    m = np.array(movable, dtype=float)
    k = len(r)
    jitter = np.array([[math.cos(_GOLDEN_ANGLE * i), math.sin(_GOLDEN_ANGLE * i)] for i in range(k)])
    for _ in range(rounds):
        diff = c[:, None, :] - c[None, :, :]
        dist = np.hypot(diff[..., 0], diff[..., 1])
        need = r[:, None] + r[None, :] + gap
        overlap = np.triu(need - dist, 1)
        overlap[overlap < 0] = 0
        if not overlap.any():
            break
        overlap = overlap + overlap.T
        same = dist < 1e-6
        unit = np.where(same[..., None], jitter[:, None, :] - jitter[None, :, :], diff)
        unit = unit / np.maximum(np.hypot(unit[..., 0], unit[..., 1]), 1e-9)[..., None]
        share = m[:, None] / np.maximum(m[:, None] + m[None, :], 1e-9)
        c += (unit * (overlap * share)[..., None]).sum(axis=1) * 0.5
    return [(float(x), float(y)) for x, y in c]


def overview_layout(g: nx.Graph, *, spacing: float = 90.0) -> dict:
    """Jurisdictions on a circle, each in the middle of a sunflower of the programmes only it mentions;
    programmes shared by several jurisdictions grouped by that set, each group a disc at the centre of its
    jurisdictions (shared by all in the middle), discs pushed apart so that nothing overlaps."""
    jurs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], str(n))
    )
    if not jurs:
        return {}
    groups: dict[tuple, list] = defaultdict(list)
    for n, d in g.nodes(data=True):
        if d["kind"] == "programme":
            groups[tuple(sorted(g[n], key=str))].append(n)
    for j in jurs:
        groups.setdefault((j,), [])
    keys = sorted(groups, key=lambda s: (-len(s), [jurs.index(j) for j in s]))
    step = {s: spacing + 8 * len(s) for s in keys}
    hole = {s: 3 if len(s) == 1 else 0 for s in keys}  # room for the jurisdiction's own box
    radius = {s: 0.58 * step[s] * math.sqrt(len(groups[s]) + hole[s]) + step[s] / 2 for s in keys}
    inner = sum(math.pi * radius[s] ** 2 for s in keys if len(s) > 1)
    big_r = max(260.0, math.sqrt(1.2 * inner / math.pi))
    if len(jurs) > 1:
        ring = [radius[(j,)] for j in jurs]
        chord = 2 * math.sin(math.pi / len(jurs))
        big_r = max(big_r, *((ring[i] + ring[(i + 1) % len(jurs)] + 40) / chord for i in range(len(jurs))))
    jpos = {
        j: (big_r * math.cos(2 * math.pi * i / len(jurs) - math.pi / 2), big_r * math.sin(2 * math.pi * i / len(jurs) - math.pi / 2))
        for i, j in enumerate(jurs)
    }  # fmt: skip
    centres = [
        (sum(jpos[j][0] for j in s) / len(s), sum(jpos[j][1] for j in s) / len(s)) for s in keys
    ]  # fmt: skip
    placed = _separate(centres, [radius[s] for s in keys], [0.0 if len(s) == 1 else 1.0 for s in keys])
    pos = dict(jpos)
    for (cx, cy), s in zip(placed, keys, strict=True):
        members = sorted(groups[s], key=lambda p: (-g.nodes[p].get("mentions", 0), g.nodes[p]["label"], str(p)))
        for i, p in enumerate(members):
            k = i + hole[s]
            rr = 0.58 * step[s] * math.sqrt(k + 0.5) if len(members) + hole[s] > 1 else 0.0
            pos[p] = (cx + rr * math.cos(k * _GOLDEN_ANGLE), cy + rr * math.sin(k * _GOLDEN_ANGLE))
    return pos


# ---------------------------------------------------------------- drawing (pyvis data + page)


def _colour(d: dict, colours: dict[str, str]) -> str:
    if d["kind"] == "programme":
        return colours.get(d.get("category", _UNCATEGORISED), _UNCATEGORISED_COLOUR)
    return _STYLE[d["kind"]]["color"]


def _vis_node(node, d: dict, colours: dict[str, str], *, root=None) -> dict:
    kind = d["kind"]
    style = _STYLE.get(kind, {})
    opts: dict = {"label": _short(d["label"], 24), "title": _tooltip(d)}
    if kind == "programme":
        shared = d.get("jurisdictions", 0)
        size = 10 + 6 * shared if shared else 12 + 2 * min(d.get("count", 1), 8)
        opts.update(
            color={"background": _colour(d, colours), "border": "#333333" if shared > 1 else "#666666"},
            shape="dot",
            size=size,
            borderWidth=3 if shared > 1 else 1,
        )
        if not d.get("curated", True):
            opts["shapeProperties"] = {"borderDashes": [4, 3]}
            opts["borderWidth"] = 2
    elif kind in ("jurisdiction", "document", "measure", "section"):
        opts.update(
            color={"background": style["color"], "border": style.get("border", style["color"])},
            shape="box",
            font={"color": style["font"], "size": 18 if kind == "jurisdiction" else 13},
            margin=8 if kind == "jurisdiction" else 5,
        )
    else:
        opts.update(color=style["color"], shape=style["shape"], size=9 if kind != "target_group" else 11)
    colour = (
        opts["color"] if isinstance(opts["color"], dict) else {"background": opts["color"], "border": opts["color"]}
    )
    focus = {"background": colour["background"], "border": "#111111"}
    opts["color"] = {**colour, "highlight": focus, "hover": focus}
    if d.get("font_size"):
        opts["font"] = {**opts.get("font", {}), "size": d["font_size"]}
    if node == root:
        opts["size"] = max(opts.get("size", 0), 30)
        opts["font"] = {**opts.get("font", {}), "size": 20}
        opts["borderWidth"] = 4
    return opts


def _tooltip(d: dict) -> str:
    lines = [d["label"], _KIND_NAMES.get(d["kind"], d["kind"]), *d.get("detail_lines", [])[:3]]
    if d.get("quote_lines"):
        lines.append(_short(d["quote_lines"][0].split("\n", 1)[-1], 140))
    return "\n".join(line for line in lines if line)


def _legend(g: nx.Graph, colours: dict[str, str]) -> list[dict]:
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    out = []
    for kind in ("jurisdiction", "document", "measure", "section", "target_group", "target", "statistic"):
        if kind in kinds:
            out.append({"label": _KIND_NAMES[kind], "color": _STYLE[kind]["color"], "shape": _STYLE[kind]["shape"]})
    cats = sorted({d["category"] for _, d in g.nodes(data=True) if d["kind"] == "programme"})
    out += [{"label": c, "color": colours.get(c, _UNCATEGORISED_COLOUR), "shape": "dot"} for c in cats]
    if any(d["kind"] == "programme" and not d.get("curated", True) for _, d in g.nodes(data=True)):
        out.append({"label": "待审 discovered (uncurated)", "color": "#ffffff", "shape": "dashed"})
    return out


def _options(physics: bool) -> dict:
    return {
        "autoResize": True,
        "edges": {
            "color": {"color": "#b8b8b8", "highlight": "#444444", "hover": "#666666"},
            "smooth": False,
            "scaling": {"min": 1, "max": 8},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {"font": {"face": _FONT, "size": 14}, "borderWidth": 1},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4000,
                "centralGravity": 0.15,
                "springLength": 95,
                "springConstant": 0.04,
                "damping": 0.3,
                "avoidOverlap": 0,  # > 0 can overflow vis-network's stack when a node is pinned
            },
            "stabilization": {"enabled": physics, "iterations": 300, "fit": True},
        },
    }


def to_pyvis(g: nx.Graph, pos: dict | None = None, *, colours: dict[str, str], root=None, physics: bool | None = None):
    """A pyvis Network for a view graph, its legend, and per-node details (plain text) for the side panel.

    Positions come from networkx. Physics (a short in-browser relaxation, then off) is used only when
    `physics` allows it and the graph has at most LAYOUT_THRESHOLD nodes; bigger graphs are drawn
    exactly where networkx put them. The root, if any, is pinned."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    physics = (physics if physics is not None else True) and g.number_of_nodes() <= LAYOUT_THRESHOLD
    # directed=True only to skip pyvis's quadratic duplicate-edge scan; arrows are set per edge
    net = Network(height="100%", width="100%", directed=True, cdn_resources="local")
    info = {}
    for node in sorted(g.nodes, key=str):
        d = g.nodes[node]
        opts = _vis_node(node, d, colours, root=root)
        if pos is not None and node in pos:
            x, y = pos[node]
            opts.update(x=round(float(x), 1), y=round(float(y), 1))
        if node == root:
            opts["fixed"] = True
        net.add_node(node, **opts)
        info[node] = {
            "kind": _KIND_NAMES.get(d["kind"], d["kind"]),
            "heading": d["label"] if d["kind"] != "document" else d.get("detail_lines", [d["label"]])[0],
            "lines": [line for line in d.get("detail_lines", []) if line != d["label"]],
            "quotes": d.get("quote_lines", []),
            "link": d.get("link") if _link_ok(d.get("link")) else None,
        }
    for a, b in sorted((tuple(sorted(e, key=str)) for e in g.edges), key=lambda e: (str(e[0]), str(e[1]))):
        e = g.edges[a, b]
        opts = {"arrows": {"to": {"enabled": False}}}
        if e.get("weight"):
            opts["value"] = e["weight"]
        if e.get("kind") == "counts":
            opts.update(dashes=True, color={"color": "#d4a017"}, title="counts 计数")
        elif e.get("kind") == "beside":
            opts.update(dashes=[2, 4], color={"color": "#d0d0d0"})
        # what Network.add_edge stores, without its check that both ends exist (a scan of the node list
        # per edge: quadratic, minutes on a jurisdiction page of a 10,000-document corpus); they do exist
        net.edges.append(Edge(a, b, True, **opts).options)
    net.options = _options(physics)
    return net, _legend(g, colours), info


def _link_ok(link) -> bool:
    return isinstance(link, str) and bool(_VIEW_FILE.fullmatch(link))


def _vis_js() -> str:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return lib.read_text(encoding="utf-8").replace("</script", "<\\/script")


def _json_for_script(data) -> str:
    """JSON safe to embed in a <script> element (no '</', '<!--' or U+2028 breakouts)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _escape(text) -> str:
    return html.escape(str(text), quote=True)


_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _shell(template: str, title: str) -> str:
    """A page template with its CSP, font stack and (escaped) title filled in."""
    return template.replace("__CSP__", _CSP).replace("__FONT__", _FONT).replace("__TITLE__", _escape(title))


#: the head every page shares: charset, the CSP that forbids any outside resource, the title
_HEAD = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="__CSP__">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
"""

_PAGE = (
    _HEAD
    + """<style>
html, body { margin: 0; height: 100%; font-family: __FONT__; color: #222; overflow: hidden; }
body { display: flex; flex-direction: column; }
#bar { padding: 6px 12px; border-bottom: 1px solid #ddd; display: flex; gap: 6px 14px; align-items: center; flex-wrap: wrap; }
#bar h1 { font-size: 17px; margin: 0; }
#nav a { margin-right: 10px; font-size: 13px; color: #1f5fa8; }
#search { width: 220px; padding: 3px 6px; }
#facets select { margin-right: 6px; max-width: 200px; }
#count, #hint { font-size: 12px; color: #666; }
#legend { flex-basis: 100%; font-size: 12px; }
#legend span { display: inline-block; margin-right: 12px; white-space: nowrap; }
#legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border: 1px solid #555; }
#legend i.dot { border-radius: 50%; } #legend i.box { border-radius: 2px; }
#legend i.diamond { transform: rotate(45deg) scale(0.85); }
#legend i.triangle { width: 0; height: 0; border: 6px solid transparent; border-bottom: 10px solid currentColor; border-top: 0; }
#legend i.dashed { border: 2px dashed #555; border-radius: 50%; }
#main { flex: 1; display: flex; min-height: 0; }
#side { width: 300px; overflow: auto; border-right: 1px solid #ddd; padding: 8px 10px; font-size: 13px; display: none; }
#side h2 { font-size: 14px; margin: 10px 0 4px; } #side ul { margin: 0; padding-left: 18px; }
#side select { width: 100%; margin-bottom: 6px; }
#wrap { flex: 1; position: relative; min-width: 0; }
#network { position: absolute; inset: 0; }
#details { position: absolute; right: 8px; top: 8px; width: 360px; max-height: calc(100% - 24px); overflow: auto; background: #fff;
  border: 1px solid #bbb; box-shadow: 2px 2px 8px rgba(0,0,0,.15); padding: 8px 10px; font-size: 13px; display: none; z-index: 6; }
#details h2 { font-size: 15px; margin: 0 0 4px; } #details .kind { color: #777; font-size: 12px; margin-bottom: 6px; }
#details p { margin: 3px 0; white-space: pre-wrap; }
#details blockquote { margin: 6px 0; padding: 4px 8px; border-left: 3px solid #d4a017; background: #fbf8ee; white-space: pre-wrap; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 8px; max-width: 380px; white-space: pre-wrap; font-size: 12px;
  background: #fffdf4; border: 1px solid #999; border-radius: 3px; box-shadow: 2px 2px 6px rgba(0,0,0,.2); pointer-events: none; z-index: 5; }
.vis-network { position: relative; overflow: hidden; outline: none; }
</style>
</head>
<body>
<div id="bar"><nav id="nav"></nav><h1 id="title"></h1>
<input id="search" type="search" placeholder="搜索 / filter…" aria-label="filter nodes"><span id="facets"></span><span id="count"></span>
<span id="hint">点击节点看证据 · 双击打开页面 — click a node for its evidence, double-click to open its page</span>
<div id="legend"></div></div>
<div id="main"><aside id="side"></aside><div id="wrap"><div id="network"></div><aside id="details"></aside></div></div>
<script>__VISJS__</script>
<script>
(function () {
  "use strict";
  var DATA = __DATA__;
  var SAFE_LINK = /^(index|overview|compare|(jurisdiction|programme)-[a-z0-9_-]+)\\.html$/;
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function link(href, text) {
    var a = el("a", text);
    if (SAFE_LINK.test(href)) { a.setAttribute("href", href); }
    return a;
  }
  document.getElementById("title").textContent = DATA.title;
  var nav = document.getElementById("nav");
  DATA.nav.forEach(function (item) { nav.appendChild(link(item.href, item.label)); });
  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (item) {
    var span = el("span"), mark = el("i", null, item.shape);
    if (item.shape === "triangle") { mark.style.color = item.color; } else { mark.style.background = item.color; }
    span.appendChild(mark); span.appendChild(document.createTextNode(item.label)); legend.appendChild(span);
  });
  var info = DATA.info, details = document.getElementById("details");
  function showDetails(id) {
    var d = info[id];
    details.textContent = "";
    if (!d) { details.style.display = "none"; return; }
    details.appendChild(el("h2", d.heading));
    details.appendChild(el("div", d.kind, "kind"));
    d.lines.forEach(function (line) { details.appendChild(el("p", line)); });
    d.quotes.forEach(function (q) { details.appendChild(el("blockquote", q)); });
    if (d.link) { var p = el("p"); p.appendChild(link(d.link, "打开页面 open page →")); details.appendChild(p); }
    details.style.display = "block";
  }
  window.unionkgShowDetails = showDetails;
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  function tipElement(text) { return el("div", text); }
  function setGraph(nodeList, edgeList) {
    nodes.clear(); edges.clear();
    nodes.add(nodeList.map(function (n) {
      var copy = Object.assign({}, n); copy.title = tipElement(n.title || ""); return copy;
    }));
    edges.add(edgeList.map(function (e) {
      var copy = Object.assign({}, e); if (typeof e.title === "string") { copy.title = tipElement(e.title); } return copy;
    }));
  }
  setGraph(DATA.nodes, DATA.edges);
  var network = new vis.Network(document.getElementById("network"), {nodes: nodes, edges: edges}, DATA.options);
  window.unionkgNetwork = network;
  window.unionkgNodes = nodes;
  window.unionkgReady = false;
  var settled = false;
  function ready() {  // physics off, then the next frame drawn: the page is ready for a look
    if (settled) { return; }
    settled = true;
    if (DATA.options.physics.enabled) { network.setOptions({physics: {enabled: false}}); }
    network.once("afterDrawing", function () { window.unionkgReady = true; });
    network.redraw();
  }
  if (DATA.options.physics.enabled) {
    network.once("stabilizationIterationsDone", ready);
    setTimeout(ready, 10000);
  } else {
    network.once("afterDrawing", ready);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); } else { details.style.display = "none"; }
  });
  network.on("doubleClick", function (params) {
    var d = params.nodes.length ? info[params.nodes[0]] : null;
    if (d && d.link && SAFE_LINK.test(d.link)) { window.location.href = d.link; }
  });
  var search = document.getElementById("search"), count = document.getElementById("count");
  function haystack(id) {
    var d = info[id] || {lines: [], quotes: [], heading: ""}, n = nodes.get(id);
    return [n ? n.label : "", d.heading].concat(d.lines, d.quotes).join("\\n").toLowerCase();
  }
  var facet = {category: "", jurisdiction: ""};
  function facetOk(id) {  // the overview's category and jurisdiction filters
    var v = DATA.facets ? DATA.facets.values[id] : null;
    if (!v) { return true; }
    if (facet.category && v.category !== null && v.category !== facet.category) { return false; }
    if (facet.jurisdiction && v.jurisdictions.indexOf(facet.jurisdiction) < 0) { return false; }
    return true;
  }
  function applyFilter() {
    var q = search.value.trim().toLowerCase();
    var ids = nodes.getIds(), show = {}, hits = [];
    if (!q) {
      nodes.update(ids.map(function (id) { return {id: id, hidden: !facetOk(id)}; }));
      count.textContent = ""; return hits;
    }
    ids.forEach(function (id) { if (facetOk(id) && haystack(id).indexOf(q) >= 0) { hits.push(id); show[id] = true; } });
    hits.forEach(function (id) { network.getConnectedNodes(id).forEach(function (n) { show[n] = true; }); });
    (DATA.keep || []).forEach(function (id) { show[id] = true; });
    nodes.update(ids.map(function (id) { return {id: id, hidden: !(show[id] && facetOk(id))}; }));
    count.textContent = hits.length + " match" + (hits.length === 1 ? "" : "es");
    return hits;
  }
  if (DATA.facets) {
    var facetBar = document.getElementById("facets");
    var facetSelect = function (name, label, choices) {
      var s = el("select"); s.name = name; s.setAttribute("aria-label", label);
      var all = el("option", label); all.value = ""; s.appendChild(all);
      choices.forEach(function (c) { var o = el("option", c.label); o.value = c.id; s.appendChild(o); });
      s.addEventListener("change", function () { facet[name] = s.value; applyFilter(); });
      facetBar.appendChild(s);
    };
    facetSelect("category", "全部类别 all categories",
      DATA.facets.categories.map(function (c) { return {id: c, label: c}; }));
    facetSelect("jurisdiction", "全部地区 all jurisdictions", DATA.facets.jurisdictions);
    window.unionkgFacet = function (name, value) { facet[name] = value || ""; return applyFilter(); };
  }
  search.addEventListener("input", applyFilter);
  search.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") { return; }
    var hits = applyFilter();
    if (hits.length) { network.selectNodes([hits[0]]); network.focus(hits[0], {scale: 1.2}); showDetails(hits[0]); }
  });
  window.unionkgFilter = function (text) { search.value = text; return applyFilter(); };
  if (DATA.compare) { compareMode(DATA.compare); }

  function compareMode(C) {
    var side = document.getElementById("side");
    side.style.display = "block";
    var bySlug = {};
    C.jurisdictions.forEach(function (j) { bySlug[j.slug] = j; });
    function selector(label, name) {
      side.appendChild(el("label", label));
      var s = el("select"); s.name = name; s.setAttribute("aria-label", label);
      C.jurisdictions.forEach(function (j) { var o = el("option", j.label); o.value = j.slug; s.appendChild(o); });
      side.appendChild(s); return s;
    }
    var selA = selector("甲 A", "a"), selB = selector("乙 B", "b"), summary = el("div");
    side.appendChild(summary);
    function fromHash() {
      var m = /a=([a-z0-9_-]+)&b=([a-z0-9_-]+)/.exec(window.location.hash || "");
      if (m && bySlug[m[1]] && bySlug[m[2]]) { selA.value = m[1]; selB.value = m[2]; }
      else if (C.jurisdictions.length > 1) { selA.value = C.jurisdictions[0].slug; selB.value = C.jurisdictions[1].slug; }
    }
    function list(title, items, jurA, jurB) {
      summary.appendChild(el("h2", title + " (" + items.length + ")"));
      var ul = el("ul");
      items.forEach(function (p) {
        var li = el("li"), prog = C.programmes[p];
        li.appendChild(link(prog.link, prog.label));
        var counts = [jurA, jurB].filter(Boolean).map(function (j) { return j.label + " " + (prog.mentions[j.slug] || 0); });
        li.appendChild(document.createTextNode(" · " + counts.join(" / ")));
        ul.appendChild(li);
      });
      summary.appendChild(ul);
    }
    function textList(title, items) {
      summary.appendChild(el("h2", title + " (" + items.length + ")"));
      summary.appendChild(el("p", items.join("、") || "—"));
    }
    function column(ids, x0, rows, out) {
      ids.forEach(function (p, i) {
        var prog = C.programmes[p];
        out.push({id: p, label: prog.label, shape: "dot", size: 12,
          color: {background: prog.colour, border: prog.curated ? "#555555" : "#222222"},
          shapeProperties: prog.curated ? {} : {borderDashes: [4, 3]},
          x: x0 + Math.floor(i / rows) * 190, y: (i % rows) * 42, title: prog.label + "\\n" + prog.category});
      });
      return x0 + Math.max(1, Math.ceil(ids.length / rows)) * 190;
    }
    function update() {
      var a = bySlug[selA.value], b = bySlug[selB.value];
      if (!a || !b) { summary.textContent = "no jurisdictions to compare"; window.unionkgCompare = null; return; }
      var inA = {}, inB = {};
      a.programmes.forEach(function (p) { inA[p] = true; });
      b.programmes.forEach(function (p) { inB[p] = true; });
      var all = Object.keys(C.programmes).sort(function (x, y) { return C.programmes[x].rank - C.programmes[y].rank; });
      var onlyA = all.filter(function (p) { return inA[p] && !inB[p]; });
      var both = all.filter(function (p) { return inA[p] && inB[p]; });
      var onlyB = all.filter(function (p) { return inB[p] && !inA[p]; });
      var rows = Math.max(8, Math.ceil(Math.sqrt(all.length) * 1.6)), ns = [], es = [];
      var x1 = column(onlyA, 0, rows, ns), x2 = column(both, x1 + 120, rows, ns), x3 = column(onlyB, x2 + 120, rows, ns);
      var same = a.id === b.id;
      ns.push({id: a.id, label: a.label, shape: "box", x: (x1 - 190) / 2, y: -110, font: {color: "#ffffff", size: 18},
        color: {background: "#2f2f2f", border: "#2f2f2f"}, title: a.label, margin: 8});
      if (!same) {
        ns.push({id: b.id, label: b.label, shape: "box", x: x2 + 120 + (x3 - x2 - 120 - 190) / 2, y: -110,
          font: {color: "#ffffff", size: 18}, color: {background: "#2f2f2f", border: "#2f2f2f"}, title: b.label, margin: 8});
      }
      onlyA.concat(both).forEach(function (p) { es.push({from: a.id, to: p, arrows: {to: {enabled: false}}}); });
      if (!same) { onlyB.concat(both).forEach(function (p) { es.push({from: b.id, to: p, arrows: {to: {enabled: false}}}); }); }
      setGraph(ns, es);
      info = {};
      all.forEach(function (p) {
        var prog = C.programmes[p];
        info[p] = {heading: prog.label, kind: "工作品牌 programme", quotes: [], link: prog.link,
          lines: ["类别 category: " + prog.category, a.label + ": " + (prog.mentions[a.slug] || 0) + " mention(s)",
                  b.label + ": " + (prog.mentions[b.slug] || 0) + " mention(s)"]};
      });
      [a, b].forEach(function (j) {
        info[j.id] = {heading: j.label, kind: "管辖区域 jurisdiction", quotes: [], lines: [j.programmes.length + " programme(s)"],
          link: "jurisdiction-" + j.slug + ".html"};
      });
      summary.textContent = "";
      summary.appendChild(el("p", a.label + " ↔ " + b.label));
      list("两者都有 both", both, a, b);
      list("仅 " + a.label + " only A", onlyA, a, null);
      list("仅 " + b.label + " only B", onlyB, null, b);
      var gA = {}, gB = {};
      a.groups.forEach(function (x) { gA[x] = true; });
      b.groups.forEach(function (x) { gB[x] = true; });
      textList("服务对象 target groups: both", a.groups.filter(function (x) { return gB[x]; }));
      textList("服务对象 only " + a.label, a.groups.filter(function (x) { return !gB[x]; }));
      textList("服务对象 only " + b.label, b.groups.filter(function (x) { return !gA[x]; }));
      window.unionkgCompare = {a: a.slug, b: b.slug, both: both, onlyA: onlyA, onlyB: onlyB};
      details.style.display = "none";
      network.fit();
      applyFilter();
    }
    function changed() {
      var h = "#a=" + selA.value + "&b=" + selB.value;
      if (window.location.hash !== h) { history.replaceState(null, "", h); }
      update();
    }
    selA.addEventListener("change", changed);
    selB.addEventListener("change", changed);
    window.addEventListener("hashchange", function () { fromHash(); update(); });
    fromHash();
    update();
  }
})();
</script>
</body>
</html>
"""
)

_NAV = [
    {"href": "index.html", "label": "索引 index"},
    {"href": "overview.html", "label": "总览 overview"},
    {"href": "compare.html", "label": "对比 compare"},
]


def render_page(
    net, legend: list[dict], *, title: str, info: dict | None = None, keep=(), compare=None, facets=None
) -> str:
    """A self-contained HTML page for a pyvis network (vis-network inlined, text-only labels)."""
    nodes, edges, _, _, _, options = net.get_network_data()
    options = json.loads(options) if isinstance(options, str) else options
    data = {
        "title": title,
        "nav": _NAV,
        "legend": legend,
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "info": info or {},
        "keep": sorted(keep, key=str),
        "compare": compare,
        "facets": facets,
    }
    page = _shell(_PAGE, title)
    page = page.replace("__DATA__", _json_for_script(data))
    return page.replace("__VISJS__", _vis_js())


# ---------------------------------------------------------------- index.html and its SVG heatmap


def _text_width(text: str, size: float = 12) -> float:
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


def _heat(value: int, top: int) -> str:
    """A blue from light to dark on a log scale (0 -> pale grey)."""
    if value <= 0:
        return "#f3f3f3"
    t = math.log1p(value) / math.log1p(max(top, 1))
    lo, hi = (222, 235, 247), (8, 69, 148)
    r, g, b = (round(a + (z - a) * t) for a, z in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_svg(g: nx.Graph, colours: dict[str, str], *, cell: int = 18, rows_per_panel: int = 40) -> str:
    """The jurisdiction × programme matrix of an overview graph as inline SVG: a row per programme
    (most-shared first), a column per jurisdiction, colour = mentions (the count is written in wide
    cells); long matrices wrap into side-by-side panels. Labels link to the pages; all text is escaped."""
    jurs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], str(n))
    )
    progs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "programme"),
        key=lambda n: (-g.nodes[n]["jurisdictions"], g.nodes[n]["category"], g.nodes[n]["label"], str(n)),
    )  # fmt: skip
    top = max((d["weight"] for _, _, d in g.edges(data=True)), default=1)
    widest = max([_text_width(g.nodes[j]["label"], 13) for j in jurs] + [20])
    upright = len(jurs) <= 12  # few columns: wide cells, horizontal headings, counts in the cells
    cell_w = int(min(max(cell, widest + 8), 64)) if upright else cell
    head_h = 30 if upright else int(widest * 0.72) + 24
    label_w = int(max([_text_width(g.nodes[p]["label"]) for p in progs] + [60])) + 22
    panels = max(1, math.ceil(len(progs) / rows_per_panel))
    per = math.ceil(len(progs) / panels) if progs else 0
    panel_w = label_w + cell_w * max(len(jurs), 1) + 40
    width = panel_w * panels + 10
    height = head_h + cell * max(per, 1) + 56
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="heatmap" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_escape(_FONT)}" font-size="12">',
        "<title>jurisdiction × programme: mentions</title>",
    ]
    for k in range(panels):
        x0 = k * panel_w
        for i, j in enumerate(jurs):
            x = x0 + label_w + i * cell_w + cell_w / 2
            label = _escape(g.nodes[j]["label"])
            if upright:
                text = f'<text x="{x:.1f}" y="{head_h - 8}" font-size="13" text-anchor="middle">{label}</text>'
            else:
                text = f'<text x="{x:.1f}" y="{head_h - 6}" font-size="13" transform="rotate(-60 {x:.1f} {head_h - 6})">{label}</text>'
            out.append(f'<a href="{_escape(g.nodes[j]["link"])}">{text}</a>')
        out.append(f'<text x="{x0 + label_w + len(jurs) * cell_w + 6}" y="{head_h - 8}" fill="#666">#</text>')
    for r, p in enumerate(progs):
        d = g.nodes[p]
        x0 = (r // per) * panel_w
        y = head_h + (r % per) * cell
        colour = colours.get(d["category"], _UNCATEGORISED_COLOUR)
        out.append(f'<g class="row" data-filter="{_filter_attr(d["label"], d["category"])}">')
        out.append(
            f'<rect x="{x0 + 4}" y="{y + 3}" width="8" height="{cell - 6}" fill="{colour}"><title>{_escape(d["category"])}</title></rect>'
        )
        out.append(
            f'<a href="{_escape(d["link"])}"><text x="{x0 + label_w - 6}" y="{y + cell - 5}" text-anchor="end">'
            f"{_escape(d['label'])}</text></a>"
        )
        for i, j in enumerate(jurs):
            n = g.edges[j, p]["weight"] if g.has_edge(j, p) else 0
            tip = f"{g.nodes[j]['label']} × {d['label']}: {n} mention(s)"
            x = x0 + label_w + i * cell_w
            out.append(
                f'<rect class="cell" x="{x}" y="{y}" width="{cell_w - 1}" height="{cell - 1}" '
                f'fill="{_heat(n, top)}" data-mentions="{n}"><title>{_escape(tip)}</title></rect>'
            )
            if upright and n:
                ink = "#ffffff" if math.log1p(n) / math.log1p(max(top, 1)) > 0.55 else "#1b3a5c"
                out.append(
                    f'<text x="{x + (cell_w - 1) / 2:.1f}" y="{y + cell - 5}" text-anchor="middle" font-size="11" '
                    f'fill="{ink}" pointer-events="none">{n}</text>'
                )
        out.append(
            f'<text x="{x0 + label_w + len(jurs) * cell_w + 6}" y="{y + cell - 5}" fill="#666">{d["jurisdictions"]}</text>'
        )
        out.append("</g>")
    y = head_h + max(per, 1) * cell + 20
    out.append(f'<text x="4" y="{y + 12}">mentions:</text>')
    steps = sorted({0, 1, max(1, round(top**0.5)), top})
    for i, v in enumerate(steps):
        x = 80 + i * 50
        out.append(f'<rect x="{x}" y="{y}" width="16" height="16" fill="{_heat(v, top)}" stroke="#cccccc"/>')
        out.append(f'<text x="{x + 20}" y="{y + 12}">{v}</text>')
    out.append(
        f'<text x="{80 + len(steps) * 50 + 10}" y="{y + 12}" fill="#666">'
        "left strip: category · #: jurisdictions mentioning it</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


_INDEX = (
    _HEAD
    + """<style>
body { margin: 0; padding: 10px 18px 40px; font-family: __FONT__; color: #222; font-size: 14px; }
h1 { font-size: 20px; margin: 4px 0 6px; } h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #ddd; }
#bar { position: sticky; top: 0; background: #fff; padding: 6px 0; border-bottom: 1px solid #eee; z-index: 2; }
#search { width: 260px; padding: 3px 6px; } #count { font-size: 12px; color: #666; margin-left: 8px; }
.legend span { display: inline-block; margin-right: 12px; font-size: 12px; white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border: 1px solid #555; }
table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.n { text-align: right; }
ul.links { columns: 3 220px; margin: 0; padding-left: 18px; } ul.links li { margin: 2px 0; }
.muted { color: #777; font-size: 12px; } .grid { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
a { color: #1f5fa8; } .hidden { display: none !important; } .dim { opacity: 0.15; }
</style>
</head>
<body>
<div id="bar"><input id="search" type="search" placeholder="搜索 / filter programmes, jurisdictions…" aria-label="filter"><span id="count"></span></div>
__BODY__
<script>
(function () {
  "use strict";
  var search = document.getElementById("search"), count = document.getElementById("count");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase(), shown = 0;
    items.forEach(function (item) {
      var hit = !q || (item.getAttribute("data-filter") || "").toLowerCase().indexOf(q) >= 0;
      item.classList.toggle(item.namespaceURI === "http://www.w3.org/2000/svg" ? "dim" : "hidden", !hit);
      if (hit) { shown += 1; }
    });
    count.textContent = q ? shown + " shown" : "";
  });
})();
</script>
</body>
</html>
"""
)


def _filter_attr(*texts) -> str:
    return _escape(" ".join(str(t) for t in texts if t))


def render_index(data: ViewData, shared: list[dict], unique: list[dict], *, title: str) -> str:
    """``index.html``: links to every view, the shared and unique programme tables and the heatmap."""
    g = overview_graph(data, top=None)
    progs = data.programmes()
    jurs = sorted(data.jurisdictions.values(), key=lambda j: (j.label, j.iri))
    mentioned = {m.entity for m in data.mentions}
    e = _escape
    body = [f"<h1>{e(title)}</h1>"]
    body.append(
        f'<p class="muted">{len(data.documents)} documents · {len(jurs)} jurisdictions · '
        f"{sum(1 for p in progs if p.iri in mentioned)} programmes · {len(data.mentions)} mentions · "
        f"{len(data.quantities)} quantities</p>"
    )
    body.append('<h2>视图 Views</h2><ul class="links">')
    body.append(
        '<li data-filter="overview 总览"><a href="overview.html">总览 overview</a> — jurisdictions and programmes</li>'
    )
    body.append(
        '<li data-filter="compare 对比"><a href="compare.html">对比 compare</a> — two jurisdictions side by side</li>'
    )
    body.append("</ul>")
    body.append('<h2>管辖区域 Jurisdictions</h2><ul class="links">')
    for j in jurs:
        docs = sum(1 for d in data.documents.values() if d.jurisdiction == j.iri)
        n = g.degree(j.iri) if j.iri in g else 0
        body.append(
            f'<li data-filter="{_filter_attr(j.label, j.slug)}"><a href="jurisdiction-{e(j.slug)}.html">{e(j.label)}</a>'
            f' <span class="muted">{docs} doc(s), {n} programme(s)</span></li>'
        )
    body.append("</ul>")
    if len(jurs) > 1:
        body.append('<h2>对比 Compare pairs</h2><ul class="links">')
        for a, b in combinations(jurs, 2):
            body.append(
                f'<li data-filter="{_filter_attr(a.label, b.label)}"><a href="compare.html#a={e(a.slug)}&amp;b={e(b.slug)}">'
                f"{e(a.label)} ↔ {e(b.label)}</a></li>"
            )
        body.append("</ul>")
    body.append("<h2>矩阵 Jurisdiction × programme matrix</h2>")
    body.append(
        '<p class="muted">One row per programme (shared by most jurisdictions first), one column per jurisdiction; '
        "the darker the cell, the more mentions. The strip on the left is the programme's category; the number on "
        "the right is how many jurisdictions mention it. Click a name for its page.</p>"
    )
    body.append(heatmap_svg(g, data.colours))
    listing = []
    cats = sorted({p.category for p in progs})
    listing.append('<h2>工作品牌 Programmes</h2><div class="legend">')
    listing += [
        f'<span><i style="background:{data.colours.get(c, _UNCATEGORISED_COLOUR)}"></i>{e(c)}</span>' for c in cats
    ]
    listing.append('</div><ul class="links">')
    for p in progs:
        if p.iri not in mentioned:
            continue
        colour = data.colours.get(p.category, _UNCATEGORISED_COLOUR)
        flag = "" if p.curated else ' <span class="muted">待审 discovered</span>'
        listing.append(
            f'<li data-filter="{_filter_attr(p.label, p.category)}"><span style="color:{colour}">●</span> '
            f'<a href="programme-{e(p.slug)}.html">{e(p.label)}</a>{flag}</li>'
        )
    listing.append("</ul>")
    slug_of = {p.iri: p.slug for p in progs}

    def programme_cell(row: dict) -> str:  # its label, linked to its page when it has one
        link = slug_of.get(row.get("programme", ""))
        return f'<a href="programme-{e(link)}.html">{e(row["label"])}</a>' if link else e(row["label"])

    body.append('<div class="grid"><div><h2>共有 Shared programmes (≥ 2 jurisdictions)</h2>')
    body.append("<table><tr><th>programme</th><th>#</th><th>jurisdictions</th><th>mentions</th></tr>")
    for r in shared:
        names = "、".join(sorted((r.get("jurisdictions") or "").split("、")))
        label = programme_cell(r)
        body.append(
            f'<tr data-filter="{_filter_attr(r["label"], names)}"><td>{label}</td><td class="n">{e(r.get("count", ""))}</td>'
            f'<td>{e(names)}</td><td class="n">{e(r.get("mentions", ""))}</td></tr>'
        )
    if not shared:
        body.append('<tr><td colspan="4" class="muted">none</td></tr>')
    body.append("</table></div><div><h2>独有 Unique programmes (1 jurisdiction)</h2>")
    body.append("<table><tr><th>jurisdiction</th><th>programme</th><th>mentions</th></tr>")
    for r in unique:
        label = programme_cell(r)
        body.append(
            f'<tr data-filter="{_filter_attr(r["label"], r.get("jurisdictionLabel"))}"><td>{e(r.get("jurisdictionLabel", ""))}</td>'
            f'<td>{label}</td><td class="n">{e(r.get("mentions", ""))}</td></tr>'
        )
    if not unique:
        body.append('<tr><td colspan="3" class="muted">none</td></tr>')
    body.append("</table></div></div>")
    body += listing
    page = _shell(_INDEX, title)
    return page.replace("__BODY__", "\n".join(body))


# ---------------------------------------------------------------- writing


def _sorted_rows(rows: list[dict], *keys: str) -> list[dict]:
    return sorted(rows, key=lambda r: tuple(str(r.get(k) or "") for k in keys))


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def write_views(
    ds: Dataset, out_dir: str | Path, *, text_dir: str | Path | None = None, overview_top: int | None = OVERVIEW_TOP
) -> list[Path]:
    """Write every view into `out_dir` as UTF-8 and return their paths (sorted). Evidence sentences come
    from `text_dir` (default: ``text/`` beside `out_dir`, as ``kg build`` writes it) when present; the
    overview draws the `overview_top` most shared programmes one by one (None: all).
    Stale view pages from an earlier run are removed."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs = [r["doc"] for r in _rows(ds, "view-documents")]
    texts = read_texts(text_dir if text_dir is not None else out.parent / "text", docs)
    data = load_view_data(ds, texts)
    written = [_write(out / "overview.html", _overview_page(data, top=overview_top))]
    for j in sorted(data.jurisdictions.values(), key=lambda j: j.iri):
        g = jurisdiction_graph(data, j.iri)
        net, legend, info = to_pyvis(g, view_positions(g, j.iri), colours=data.colours, root=j.iri)
        page = render_page(net, legend, title=f"{j.label} · 文件 → 措施 → 品牌、目标、对象", info=info, keep=[j.iri])
        written.append(_write(out / f"jurisdiction-{j.slug}.html", page))
    mentioned = {m.entity for m in data.mentions}
    for p in data.programmes():
        if p.iri not in mentioned:
            continue
        g = programme_graph(data, p.iri)
        net, legend, info = to_pyvis(g, view_positions(g, p.iri), colours=data.colours, root=p.iri)
        page = render_page(
            net, legend, title=f"{p.label} · 证据与数量 evidence and quantities", info=info, keep=[p.iri]
        )
        written.append(_write(out / f"programme-{p.slug}.html", page))
    empty = nx.Graph()
    net, _, _ = to_pyvis(empty, colours=data.colours, physics=False)
    legend = [{"label": "管辖区域 jurisdiction", "color": _STYLE["jurisdiction"]["color"], "shape": "box"}]
    legend += [{"label": c, "color": data.colours[c], "shape": "dot"} for c in sorted(data.colours)]
    legend.append({"label": "待审 discovered (uncurated)", "color": "#ffffff", "shape": "dashed"})
    page = render_page(net, legend, title="对比 Compare two jurisdictions", compare=comparison_data(data))
    written.append(_write(out / "compare.html", page))
    shared = _sorted_rows(_rows(ds, "shared-programmes"), "label", "programme")
    shared.sort(key=lambda r: -_int(r.get("count")))
    unique = _sorted_rows(_rows(ds, "unique-programmes"), "jurisdictionLabel", "label", "programme")
    index = render_index(data, shared, unique, title="工会工作品牌 · unionkg views")
    written.append(_write(out / "index.html", index))
    names = {p.name for p in written}
    for stale in sorted(out.glob("*.html")):
        if stale.name not in names and _VIEW_FILE.fullmatch(stale.name):
            stale.unlink()
    return sorted(written)


def _overview_page(data: ViewData, *, top: int | None = OVERVIEW_TOP) -> str:
    g = overview_graph(data, top=top)
    net, legend, info = to_pyvis(g, overview_layout(g), colours=data.colours, physics=False)
    jurs = [n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"]
    title = "工会工作品牌 · Programmes by jurisdiction"
    return render_page(net, legend, title=title, info=info, keep=jurs, facets=overview_facets(g))


def write_overview(ds: Dataset, out_dir: str | Path, *, top: int | None = OVERVIEW_TOP) -> Path:
    """Write only `overview.html` (jurisdictions and programmes) as UTF-8; returns its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs = [r["doc"] for r in _rows(ds, "view-documents")]
    data = load_view_data(ds, read_texts(out.parent / "text", docs))
    return _write(out / "overview.html", _overview_page(data, top=top))
