"""Extract: normalised text -> entity mentions (programmes, organisations, places, target groups).

A blank Chinese spaCy pipeline with the character segmenter (matches never depend on word
segmentation) and a `span_ruler` whose phrase patterns are generated from the ontology's SKOS
labels at start-up. Offsets are into the normalised text; the pipeline maps them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.namespaces import ORGS
from kg.ontology import GazetteerEntry, fingerprint, gazetteer, places

__all__ = [
    "BARE_FEDERATIONS",
    "NATIONAL_FEDERATION",
    "MentionSpan",
    "extract_mentions",
    "federation_iri",
    "make_nlp",
    "organisation_entries",
]

NATIONAL_FEDERATION = str(ORGS["acftu"])
#: federation names without a place; the resolver assigns them the document's jurisdiction
BARE_FEDERATIONS = {"省总工会": "province", "省总": "province", "市总工会": "city", "市总": "city"}
_NATIONAL_LABELS = ("中华全国总工会", "全国总工会", "全总")
_SPANS_KEY = "unionkg"


@dataclass(frozen=True)
class MentionSpan:
    """A typed mention of a known entity in the normalised text."""

    type: str
    id: str
    label: str
    start: int
    end: int


def federation_iri(place_iri: str) -> str:
    """IRI of the union federation (总工会) of an administrative area."""
    return str(ORGS[place_iri.rstrip("/").rsplit("/", 1)[-1] + "-ftu"])


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
    patterns = [
        {"label": e.type, "pattern": e.label, "id": f"{e.iri}\t{e.canonical}"} for _, e in sorted(entries.items())
    ]
    ruler.add_patterns(patterns)
    return nlp


def extract_mentions(text: str, *, directory: str | None = None) -> list[MentionSpan]:
    """Longest non-overlapping gazetteer matches in `text`, in order of appearance."""
    nlp = make_nlp(directory)
    doc = nlp(text)
    spans = sorted(doc.spans[_SPANS_KEY], key=lambda s: (-(s.end_char - s.start_char), s.start_char, s.label_))
    taken = [False] * (len(text) + 1)
    out = []
    for span in spans:
        if any(taken[span.start_char : span.end_char]):
            continue
        for i in range(span.start_char, span.end_char):
            taken[i] = True
        iri, canonical = span.id_.split("\t", 1)
        out.append(MentionSpan(span.label_, iri, canonical, span.start_char, span.end_char))
    return sorted(out, key=lambda m: (m.start, m.end))
