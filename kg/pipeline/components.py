"""The document pipeline: named components run in the order the config lists them.

Like spaCy, components are registered by name (:func:`component`) and chosen by configuration
(:class:`PipelineConfig`). Each one reads and extends a :class:`DocumentContext`; the result of a
run is a :class:`DocumentRecord`, the `kg extract` JSON contract.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from kg.ingest.decode import SourceText
from kg.ingest.source import read_file_bytes, read_source
from kg.model import CountCheck, DocumentRecord, Evidence, Measure, Mention, MentionSpan, Quantity, Ref, Section, Span
from kg.pipeline.mentions import extract_mentions, is_county_level_city
from kg.pipeline.resolve import DocumentAgents, dominant_places, find_agents, resolve_mentions
from kg.pipeline.structure import DocumentStructure, analyse_structure
from kg.text.dates import YEAR_SPAN
from kg.text.normalize import NormalizedText, normalize
from kg.vocab.ontology import Vocabulary, load_vocabulary

__all__ = [
    "DocumentContext",
    "PipelineConfig",
    "component",
    "process_file",
    "process_source",
    "registered_components",
]

_REGISTRY: dict[str, Callable[[DocumentContext, PipelineConfig], None]] = {}


@dataclass(frozen=True)
class PipelineConfig:
    """What the pipeline runs and against which vocabulary."""

    components: tuple[str, ...] = ("structure", "mentions", "discover", "resolve", "quantities", "counts")
    ontology_dir: str | None = None


@dataclass
class DocumentContext:
    """Working state of one document as it passes through the components."""

    source: SourceText
    norm: NormalizedText
    sha256: str
    vocab: Vocabulary
    structure: DocumentStructure | None = None
    mentions: list[MentionSpan] = field(default_factory=list)
    noise_mentions: list[MentionSpan] = field(default_factory=list)  # inside lines set aside as noise
    agents: DocumentAgents | None = None
    quantities: list = field(default_factory=list)
    counts_ids: dict = field(default_factory=dict)


def component(name: str):
    """Register a pipeline component under `name`."""

    def wrap(func: Callable[[DocumentContext, PipelineConfig], None]):
        _REGISTRY[name] = func
        return func

    return wrap


def registered_components() -> list[str]:
    return sorted(_REGISTRY)


@component("structure")
def _structure(ctx: DocumentContext, config: PipelineConfig) -> None:
    ctx.structure = analyse_structure(ctx.norm.text, vocab=ctx.vocab)


def _skip_spans(ctx: DocumentContext) -> list[tuple[int, int]]:
    st = ctx.structure
    return list(st.noise_spans) + list(st.duplicate_spans) if st else []


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(s <= start and end <= e for s, e in spans)


@component("mentions")
def _mentions(ctx: DocumentContext, config: PipelineConfig) -> None:
    skip = _skip_spans(ctx)
    found = extract_mentions(ctx.norm.text, vocab=ctx.vocab)
    outside = [_outside(skip, m.start, m.end) for m in found]
    ctx.mentions = [m for m, out in zip(found, outside, strict=True) if out]
    ctx.noise_mentions = [m for m, out in zip(found, outside, strict=True) if not out]


@component("discover")
def _discover(ctx: DocumentContext, config: PipelineConfig) -> None:
    from kg.pipeline.discover import discover

    skip = _skip_spans(ctx)
    found = discover(ctx.norm.text, ctx.mentions, vocab=ctx.vocab)
    ctx.mentions = sorted(
        ctx.mentions + [m for m in found if _outside(skip, m.start, m.end)], key=lambda m: (m.start, m.end, m.type)
    )


@component("resolve")
def _resolve(ctx: DocumentContext, config: PipelineConfig) -> None:
    province, city = dominant_places(ctx.mentions, vocab=ctx.vocab)
    found = ctx.mentions
    ctx.mentions = resolve_mentions(found, province, city, vocab=ctx.vocab)
    title_span = ctx.structure.title_span if ctx.structure else None
    ctx.agents = find_agents(
        ctx.norm.text, ctx.mentions, title_span=title_span, source_mentions=ctx.noise_mentions, vocab=ctx.vocab
    )
    agents = ctx.agents
    if (agents.province, agents.city, agents.county) != (province, city, None):
        # the issuer's area decides what bare names mean: a county's document's 区总工会 is the county's
        # federation, a county-level city's (义乌市) bare 市… names are its own, a national document's none
        county = agents.county
        own_city = county if county is not None and is_county_level_city(county, vocab=ctx.vocab) else None
        ctx.mentions = resolve_mentions(found, agents.province, own_city or agents.city, county=county, vocab=ctx.vocab)


@component("quantities")
def _quantities(ctx: DocumentContext, config: PipelineConfig) -> None:
    from kg.pipeline.quantities import extract_quantities

    kind = ctx.structure.kind if ctx.structure else "measures"
    skip = _skip_spans(ctx)
    if ctx.structure and ctx.structure.announced_span:  # 十项举措: the announced count is not a quantity
        skip.append(ctx.structure.announced_span)
    found = extract_quantities(ctx.norm.text, doc_kind=kind, default_period=plan_period(ctx.norm.text), vocab=ctx.vocab)
    ctx.quantities = [q for q in found if _outside(skip, q.start, q.end)]


@component("counts")
def _counts(ctx: DocumentContext, config: PipelineConfig) -> None:
    from kg.pipeline.resolve import link_counts

    ctx.counts_ids = link_counts(ctx.norm.text, ctx.quantities, ctx.mentions)


_PLAN_SPAN = re.compile(YEAR_SPAN)


def plan_period(text: str) -> str | None:
    """The span of years a plan covers, when its opening states one (e.g. 2023—2027年)."""
    m = _PLAN_SPAN.search(text[:800])
    return f"{m.group(1)}—{m.group(2)}年" if m else None


def process_source(
    source: SourceText, data: bytes | None = None, *, config: PipelineConfig | None = None
) -> DocumentRecord:
    """Run the configured components over a decoded document, against the vocabulary of the config's ontology."""
    config = config or PipelineConfig()
    vocab = load_vocabulary(config.ontology_dir)  # read once per process and folder
    digest = hashlib.sha256(data if data is not None else source.text.encode("utf-8")).hexdigest()
    norm = normalize(source.text, title_words=vocab.title_end_words)
    ctx = DocumentContext(source=source, norm=norm, sha256=digest, vocab=vocab)
    for name in config.components:
        _REGISTRY[name](ctx, config)
    return _to_record(ctx)


def process_file(path: str | Path, *, config: PipelineConfig | None = None) -> DocumentRecord:
    """Read, decode and process one file (raises :class:`kg.errors.IngestError` on bad input)."""
    path = Path(path)
    data = read_file_bytes(path)  # never blocks on a pipe; names a broken link; refuses a huge file
    return process_source(read_source(path, data), data, config=config)


def _measure_of(measures, start: int) -> int | None:
    for m in measures:
        for s, e in m.spans:
            if s <= start < e:
                return m.ordinal
    return None


def _measure_finder(measures) -> Callable[[int], int | None]:
    """_measure_of over `measures`: by bisection when their spans do not overlap (a start is in one at most)."""
    spans = sorted((s, e, m.ordinal) for m in measures for s, e in m.spans if s < e)
    if any(a[1] > b[0] for a, b in pairwise(spans)):
        return lambda start: _measure_of(measures, start)
    starts = [s for s, _, _ in spans]

    def find(start: int) -> int | None:
        k = bisect_right(starts, start) - 1
        return spans[k][2] if k >= 0 and start < spans[k][1] else None

    return find


def _span(ctx: DocumentContext, start: int, end: int) -> Span:
    s, e = ctx.norm.to_original(start, end)
    return Span(s, e, ctx.source.text[s:e])


def _to_record(ctx: DocumentContext) -> DocumentRecord:
    st = ctx.structure or analyse_structure("")
    measures_src = st.measures
    measure_of = _measure_finder(measures_src)
    pages = tuple(ctx.source.pages)

    def page(start: int) -> int | None:  # PDF: the page a measure, mention or quantity starts on
        if not pages:
            return None
        from kg.ingest.decode import page_of

        return page_of(pages, start)

    sections = []
    for sec in st.sections:
        body, head = _span(ctx, sec.start, sec.end), _span(ctx, sec.title_start, sec.title_end)
        sections.append(Section(sec.ordinal, sec.title, body.start, body.end, head.start, head.end))
    measures = []
    for m in measures_src:
        body, head = _span(ctx, m.start, m.end), _span(ctx, m.title_start, m.title_end)
        also = tuple(ctx.norm.to_original(a, b) for a, b in m.also)
        measures.append(
            Measure(
                m.ordinal,
                m.title,
                m.section,
                body.start,
                body.end,
                title_start=head.start,
                title_end=head.end,
                style=m.style,
                also=also,
                parts=dict(m.parts),
                page=page(body.start),
            )
        )
    mentions = []
    for men in ctx.mentions:
        sp = _span(ctx, men.start, men.end)
        is_body = men.type == "organisation"  # a body's kind, or the curated programme a discovered brand specialises
        mentions.append(
            Mention(
                men.type,
                men.id,
                men.label,
                sp.text,
                sp.start,
                sp.end,
                measure_of(men.start),
                kind=(men.kind or None) if is_body else None,
                broader=None if is_body else (men.kind or None),
                rule=men.rule or None,
                page=page(sp.start),
            )
        )
    mentions.sort(key=lambda m: (m.start, m.end, m.type, m.id))
    quantities = []
    for q in ctx.quantities:
        sp = _span(ctx, q.start, q.end)
        quantities.append(
            Quantity(
                _number(q.value),
                q.unit,
                q.qualifier,
                q.period,
                q.role,
                sp.text,
                sp.start,
                sp.end,
                measure_of(q.start),
                value_max=_number(q.value_max),
                unit_text=q.unit_text,
                currency=q.currency,
                qualifier_word=q.qualifier_word,
                per=q.per,
                counts=q.counts,
                counts_id=ctx.counts_ids.get((q.start, q.end)),
                page=page(sp.start),
            )
        )
    agents = ctx.agents
    issuer = jurisdiction = city = county = issuer_span = None
    level = agents.level if agents is not None else None
    if agents is not None:
        if agents.issuer is not None:
            issuer_span = _span(ctx, agents.issuer.start, agents.issuer.end)
            issuer = Ref(agents.issuer.id, agents.issuer.label)
        if agents.province is not None:
            jurisdiction = Ref(agents.province.iri, agents.province.label)
        if agents.city is not None:
            city = Ref(agents.city.iri, agents.city.label)
        if agents.county is not None:
            county = Ref(agents.county.iri, agents.county.label)
    evidence = Evidence(
        issuer=issuer_span,
        title=_span(ctx, *st.title_span) if st.title_span else None,
        identifier=_span(ctx, *st.identifier_span) if st.identifier_span else None,
        announced=_span(ctx, *st.announced_span) if st.announced_span else None,
    )
    return DocumentRecord(
        source=ctx.source.path,
        title=st.title,
        kind=st.kind,
        date=st.date,
        identifier=st.identifier,
        jurisdiction=jurisdiction,
        issuer=issuer,
        sections=tuple(sections),
        measures=tuple(measures),
        mentions=tuple(mentions),
        quantities=tuple(quantities),
        genre=st.genre,
        announced_count=st.announced_count,
        level=level,
        city=city,
        county=county,
        sha256=ctx.sha256,
        encoding=ctx.source.encoding,
        media_type=ctx.source.media_type,
        evidence=evidence,
        count_check=_count_check(st.announced_count, len(measures)),
        text=ctx.source.text,
        pages=pages,
        metadata=dict(ctx.source.metadata),
    )


def _count_check(announced: int | None, found: int) -> CountCheck | None:
    """The record's `count_check`: only where the document announces a count that the measures found miss."""
    return None if announced is None or announced == found else CountCheck(announced, found)


def _number(value):
    """A Decimal as the JSON number it is written as: an int when integral, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
