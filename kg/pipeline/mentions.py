"""Extract: normalised text -> entity mentions (programmes, organisations, places, target groups, projects).

A blank Chinese spaCy pipeline with the character segmenter (matches never depend on word
segmentation) and a `span_ruler` whose phrase patterns are generated from the ontology's SKOS
labels at start-up. Offsets are into the normalised text; the pipeline maps them back.

Kinds of body (ukg:OrganisationKind: 人社厅, 省委, 女职工委员会) join the place or federation named
right before them into one organisation mention (四川省人社厅 -> orgs:sichuan/hrss); a bare kind keeps
an empty id and its level, and :mod:`kg.pipeline.resolve` gives it the body of the document's jurisdiction.
"""

from __future__ import annotations

from functools import lru_cache

from kg.model import MentionSpan
from kg.namespaces import NATIONAL_FEDERATION, ORGS, federation_iri
from kg.vocab.ontology import (
    GazetteerEntry,
    OrganisationKind,
    Place,
    fingerprint,
    gazetteer,
    organisation_kinds,
    places,
)

__all__ = [
    "BARE_FEDERATIONS",
    "body_iri",
    "body_label",
    "extract_mentions",
    "is_municipality",
    "make_nlp",
    "organisation_entries",
]

#: federation names without a place; the resolver assigns them the document's jurisdiction
BARE_FEDERATIONS = {"省总工会": "province", "省总": "province", "市总工会": "city", "市总": "city"}
_NATIONAL_LABELS = ("中华全国总工会", "全国总工会", "全总")
_SPANS_KEY = "unionkg"
_KIND = "org_kind"
#: level marks at the start of a kind label or right before a bare kind (团省委, 省人社厅, 中级人民法院)
_LEVEL_MARKS = (("团省", "province"), ("团市", "local"), ("高级", "province"), ("中级", "local"))
_LEVEL_CHARS = {"省": "province", "市": "local", "州": "local"}
#: a short kind label with no level (发改, 妇联) counts only when a boundary follows it
_BOUNDARY = set("、，,。；;：:等和及与 \n)）")


def is_municipality(place: Place) -> bool:
    """A province-level city (北京市, 重庆市): its bodies carry city-style names (…局)."""
    return place.kind == "province" and place.label.endswith("市")


def body_iri(anchor_iri: str, kind: OrganisationKind) -> str:
    """IRI of the body of `kind` of a place (orgs:sichuan/hrss) or federation (orgs:sichuan-ftu/…)."""
    return str(ORGS[f"{anchor_iri.rstrip('/').rsplit('/', 1)[-1]}/{kind.slug}"])


def body_label(anchor_label: str, kind: OrganisationKind, *, provincial: bool) -> str:
    """Full name of a body: the kind's provincial or local form with the place or federation name."""
    form = kind.provincial_form if provincial else kind.local_form
    return form.replace("{}", anchor_label) if "{}" in form else anchor_label + form


def organisation_entries(directory: str | None = None) -> tuple[GazetteerEntry, ...]:
    """Federation names generated from the places gazetteer (四川省总工会, 成都市总工会 …)."""
    out = {}
    for place in places(directory).values():
        if place.kind == "region":
            continue
        canonical = f"{place.label}总工会"
        iri = federation_iri(place.iri)
        for name in {place.label, place.short}:
            out.setdefault(f"{name}总工会", GazetteerEntry(f"{name}总工会", iri, "organisation", canonical))
    for label in _NATIONAL_LABELS:
        out[label] = GazetteerEntry(label, NATIONAL_FEDERATION, "organisation", "中华全国总工会")
    for label in BARE_FEDERATIONS:
        out[label] = GazetteerEntry(label, "", "organisation", label)
    return tuple(out[k] for k in sorted(out))


def make_nlp(directory: str | None = None):
    """The spaCy pipeline: blank zh (char segmenter) + span_ruler generated from the ontology."""
    return _make_nlp(fingerprint(directory), directory)


@lru_cache(maxsize=4)
def _make_nlp(key: tuple, directory: str | None):
    import spacy

    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": _SPANS_KEY, "phrase_matcher_attr": "TEXT"})
    entries = {e.label: e for e in organisation_entries(directory)}
    for e in gazetteer(directory):
        entries.setdefault(e.label, e)
    for kind in organisation_kinds(directory):
        for label in kind.labels:
            entries.setdefault(label, GazetteerEntry(label, kind.iri, _KIND, label))
    patterns = [
        {"label": e.type, "pattern": e.label, "id": f"{e.iri}\t{e.canonical}"} for _, e in sorted(entries.items())
    ]
    ruler.add_patterns(patterns)
    return nlp


def extract_mentions(text: str, *, directory: str | None = None) -> list[MentionSpan]:
    """Longest non-overlapping gazetteer matches in `text`, in order of appearance."""
    nlp = make_nlp(directory)
    doc = nlp(text)
    found, kinds = [], []
    for span in doc.spans[_SPANS_KEY]:
        iri, canonical = span.id_.split("\t", 1)
        (kinds if span.label_ == _KIND else found).append(
            MentionSpan(span.label_, iri, canonical, span.start_char, span.end_char)
        )
    found += _body_mentions(text, kinds, found, directory)
    found.sort(key=lambda m: (-(m.end - m.start), m.start, m.type, m.id))
    taken = [False] * (len(text) + 1)
    out = []
    for m in found:
        if any(taken[m.start : m.end]):
            continue
        taken[m.start : m.end] = [True] * (m.end - m.start)
        out.append(m)
    return sorted(out, key=lambda m: (m.start, m.end))


def _body_mentions(
    text: str, kind_spans: list[MentionSpan], found: list[MentionSpan], directory: str | None
) -> list[MentionSpan]:
    """Organisation mentions of kinds of body: joined to the place or federation before them, or bare."""
    kinds = {k.iri: k for k in organisation_kinds(directory)}
    table = places(directory)
    federations = {federation_iri(p.iri): p for p in table.values()}
    ends: dict[int, list[MentionSpan]] = {}
    for m in found:
        ends.setdefault(m.end, []).append(m)
    out = []
    for k in kind_spans:
        kind = kinds[k.id]
        shared = text[k.start] in _LEVEL_CHARS
        for anchor in ends.get(k.start, []) + (ends.get(k.start + 1, []) if shared else []):
            joined = _join(anchor, kind, table, federations)
            if joined is not None:
                out.append(MentionSpan("organisation", joined[0], joined[1], anchor.start, k.end, kind=joined[2]))
        if kind.of_federation:
            continue  # a department counts only with its federation
        level = next((lv for mark, lv in _LEVEL_MARKS if k.label.startswith(mark)), None)
        level = level or _LEVEL_CHARS.get(k.label[0])
        start = k.start
        if level is None and k.start > 0 and text[k.start - 1] in _LEVEL_CHARS:
            start, level = k.start - 1, _LEVEL_CHARS[text[k.start - 1]]
        level = level or ("province" if k.label.endswith("厅") else "local" if k.label.endswith("局") else "")
        if not level and len(k.label) <= 2 and k.end < len(text) and text[k.end] not in _BOUNDARY:
            continue
        out.append(MentionSpan("organisation", "", level, start, k.end, kind=kind.iri))
    return out


def _join(anchor: MentionSpan, kind: OrganisationKind, table: dict, federations: dict) -> tuple[str, str, str] | None:
    """(IRI, label, kind) of the body of `kind` of a place or federation mention; ("", bare name, kind) if bare."""
    if kind.of_federation and anchor.type == "organisation":
        if anchor.id == NATIONAL_FEDERATION or anchor.id in federations:
            return body_iri(anchor.id, kind), body_label(anchor.label, kind, provincial=True), kind.iri
        if not anchor.id and anchor.label in BARE_FEDERATIONS:
            return "", anchor.label, kind.iri
        return None
    place = table.get(anchor.id) if anchor.type == "place" and not kind.of_federation else None
    if place is None or place.kind == "region":
        return None
    provincial = place.kind == "province" and not is_municipality(place)
    return body_iri(place.iri, kind), body_label(place.label, kind, provincial=provincial), kind.iri
