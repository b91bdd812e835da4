"""The views' data: documents, measures, sections, mentions and quantities read from the graph with the
``view-*.rq`` queries into typed records (:class:`ViewData`), with safe file-name slugs and evidence sentences."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Dataset

from kg.surface.query import load_query, result_rows, run_query
from kg.surface.views.text import say

__all__ = [
    "PALETTE",
    "UNCATEGORISED_COLOUR",
    "Document",
    "Entity",
    "Jurisdiction",
    "Measure",
    "Mention",
    "Quantity",
    "Section",
    "ViewData",
    "evidence_sentence",
    "link_ok",
    "load_view_data",
    "query_rows",
    "read_texts",
    "short",
    "slugify",
    "squash",
    "to_int",
    "uncategorised",
]

#: the colours of the programme categories
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
#: programme categories are coloured from PALETTE in sorted order; programmes without one are grey
UNCATEGORISED_COLOUR = "#d9d9d9"
_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
_SENTENCE_END = "。！？；!?;"
_VIEW_FILE = re.compile(r"(index|overview|compare|timeline|(jurisdiction|programme|report)-[a-z0-9_-]+)\.html")


def uncategorised() -> str:
    """The category of a programme without one ('未分类 uncategorised', from templates/text.json)."""
    return say("uncategorised")


def link_ok(link) -> bool:
    """Whether `link` is the file name of a view page (the only links the pages ever make)."""
    return isinstance(link, str) and bool(_VIEW_FILE.fullmatch(link))


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
    genre: str = ""  # the genre's labels, "新闻报道 news report" (ontology/genres.ttl)


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
        parts = [j.label if j else "", short(d.title, 40) if d else doc]
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
    out = squash(text[left:right])
    return ("…" if left > s else "") + out + ("…" if right < e else "")


def squash(text: str) -> str:
    """Whitespace squashed to one space, and none left between CJK characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def short(text: str, n: int) -> str:
    """`text` squashed, cut to `n` characters with an ellipsis."""
    text = squash(text or "")
    return text if len(text) <= n else text[: n - 1] + "…"


def to_int(value, default: int = 0) -> int:
    """A query value as an int (`default` when it is not a number)."""
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


def query_rows(ds: Dataset, name: str) -> list[dict]:
    """The rows of one of the project's queries (``queries/<name>.rq``) as dicts."""
    return result_rows(run_query(ds, load_query(name)))


def load_view_data(ds: Dataset, texts: Mapping[str, str] | None = None) -> ViewData:
    """Read documents, measures, mentions and quantities with the view-*.rq queries.

    `texts` (document IRI -> text, see :func:`read_texts`) gives evidence whole sentences; without it
    a quote comes from its measure's text, or is just the words of the mention.
    """
    texts = dict(texts or {})
    documents, jurisdictions = {}, {}
    for r in query_rows(ds, "view-documents"):
        if r["doc"] in documents:
            continue
        documents[r["doc"]] = Document(
            r["doc"], r.get("title") or r.get("sourceFile") or _local(r["doc"]), r.get("date") or "",
            r.get("kind") or "", r.get("sourceFile") or "", r.get("jurisdiction"),
            " ".join(x for x in (r.get("genreLabel"), r.get("genreLabelEn")) if x) or _local(r.get("genre") or ""),
        )  # fmt: skip
        if r.get("jurisdiction") and r["jurisdiction"] not in jurisdictions:
            jurisdictions[r["jurisdiction"]] = r.get("jurisdictionLabel") or _local(r["jurisdiction"])
    taken: set[str] = set()
    juris = {
        iri: Jurisdiction(iri, label, slugify(iri, taken))
        for iri, label in sorted(jurisdictions.items(), key=lambda kv: kv[0])
    }
    measures: dict[str, Measure] = {}
    for r in query_rows(ds, "view-measures"):
        m = measures.setdefault(
            r["measure"], Measure(r["measure"], r["doc"], to_int(r["ordinal"]), r.get("title") or "")
        )
        if r.get("start") is not None:
            span = (to_int(r["start"]), to_int(r["end"]), r.get("quote") or "")
            if span not in m.spans:
                m.spans.append(span)
    for m in measures.values():
        m.spans.sort()
    sections: dict[str, Section] = {}
    by_doc: dict[str, list[Section]] = defaultdict(list)
    for r in query_rows(ds, "view-sections"):
        if r["section"] not in sections and r.get("start") is not None:
            s = Section(r["section"], r["doc"], to_int(r["ordinal"]), r.get("title") or "", to_int(r["start"]))
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
        return squash(fallback)

    raw_entities: dict[str, dict] = {}
    mentions = []
    seen_mentions = set()
    for r in query_rows(ds, "view-mentions"):
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
        start, end = to_int(r.get("start")), to_int(r.get("end"))
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
        category = min(info["cats"]) if info["cats"] else uncategorised()
        curated = info.get("curated", True)
        entities[iri] = Entity(iri, info["kind"], info["label"], category, curated, slugify(iri, taken))
    mentions.sort(key=lambda m: (m.doc, m.start, m.end, m.entity))

    quantities = []
    seen_q = set()
    for r in query_rows(ds, "view-quantities"):
        if r["quantity"] in seen_q:
            continue
        seen_q.add(r["quantity"])
        start, end = to_int(r.get("start")), to_int(r.get("end"))
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
    none = uncategorised()
    categories = sorted({e.category for e in entities.values() if e.kind == "programme"} - {none})
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    colours[none] = UNCATEGORISED_COLOUR
    return ViewData(juris, documents, measures, sections, entities, mentions, quantities, colours)


# ---------------------------------------------------------------- graphs (networkx computes)
