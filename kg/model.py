"""Typed records: what the pipeline produces for a document (the `kg extract` contract).

The JSON of `kg extract` is derived from these dataclasses: each record's fields in order, contract
fields first, then extensions (field metadata ``extension``). An extension marked ``omit_empty``
is left out of the JSON while it is None or empty; every other field is always written.
:meth:`Record.from_json` reads such an object back. tests/data/extract_contract.json holds the shape.
"""

from __future__ import annotations

import typing
from dataclasses import Field, dataclass, field, fields
from typing import Any, ClassVar

__all__ = [
    "RECORD_TYPES",
    "CountCheck",
    "DocumentRecord",
    "Evidence",
    "Measure",
    "Mention",
    "MentionSpan",
    "Quantity",
    "Record",
    "Ref",
    "Section",
    "Span",
    "json_fields",
]


#: field metadata: an extension (beyond the README's contract), always written
_EXT = {"extension": True}
#: field metadata: an extension left out of the JSON while None or empty
_EXT_OMIT = {"extension": True, "omit_empty": True}


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, tuple | list | dict) and not value)


class Record:
    """Base of the JSON records: derived `to_json`/`from_json`, and read-only access by JSON key."""

    __dataclass_fields__: ClassVar[dict[str, Field]]

    def to_json(self) -> dict:
        """This record as its JSON object: fields in order, omitted extensions left out."""
        out = {}
        for f in json_fields(type(self)):
            value = getattr(self, f.name)
            if not (f.metadata.get("omit_empty") and _empty(value)):
                out[f.name] = _encode(value)
        return out

    @classmethod
    def from_json(cls, obj: dict, **extra: Any) -> Any:
        """The record of a JSON object written by :meth:`to_json`; `extra` gives fields not in the JSON."""
        hints = _hints(cls)
        return cls(**{key: _decode(hints[key], value) for key, value in obj.items()}, **extra)

    # --- read-only access by JSON key, for callers that still treat records as the JSON objects ---------

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        f = self.__dataclass_fields__.get(key) if isinstance(key, str) else None
        if f is None or not f.metadata.get("json", True):
            return False
        return not (f.metadata.get("omit_empty") and _empty(getattr(self, f.name)))

    def __iter__(self):
        return iter(self.to_json())

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default


_JSON_FIELDS: dict[type, tuple[Field, ...]] = {}
_HINTS: dict[type, dict[str, Any]] = {}


def json_fields(record_type: type) -> tuple[Field, ...]:
    """The fields of a record type that its JSON object has, in order."""
    if record_type not in _JSON_FIELDS:
        _JSON_FIELDS[record_type] = tuple(f for f in fields(record_type) if f.metadata.get("json", True))
    return _JSON_FIELDS[record_type]


def _hints(record_type: type) -> dict[str, Any]:
    if record_type not in _HINTS:
        _HINTS[record_type] = typing.get_type_hints(record_type)
    return _HINTS[record_type]


def _encode(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(hint: Any, value: Any) -> Any:
    """`value` (read from JSON) as the annotated type: records, tuples, dicts, or as it is."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_json(value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if origin is dict:
        return {k: _decode(args[1], v) for k, v in value.items()}
    if args and type(None) in args:  # X | None
        options = [a for a in args if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    return value


@dataclass(frozen=True)
class MentionSpan:
    """A typed mention of a known entity in the normalised text (working state, not in the JSON).

    `kind`: for a body, its ukg:OrganisationKind; for a discovered brand, the curated programme it
    specialises. `rule`: for a discovered mention, the discovery rule that found it.
    """

    type: str
    id: str
    label: str
    start: int
    end: int
    kind: str = ""
    rule: str = ""


@dataclass(frozen=True)
class Ref(Record):
    """A named entity the document is about: ``{"id": IRI, "label": zh}``."""

    id: str
    label: str


@dataclass(frozen=True)
class Span(Record):
    """A stretch of the source text: offsets and the text they cover (the evidence of a document's facts)."""

    start: int = field(metadata=_EXT)
    end: int = field(metadata=_EXT)
    text: str = field(metadata=_EXT)


@dataclass(frozen=True)
class Evidence(Record):
    """Where the document states its issuer, title, identifier and announced count (each left out when
    not found)."""

    issuer: Span | None = field(default=None, metadata=_EXT_OMIT)
    title: Span | None = field(default=None, metadata=_EXT_OMIT)
    identifier: Span | None = field(default=None, metadata=_EXT_OMIT)
    announced: Span | None = field(default=None, metadata=_EXT_OMIT)


@dataclass(frozen=True)
class CountCheck(Record):
    """The announced count and the number of measures found, in a record only where they differ."""

    announced: int = field(metadata=_EXT)
    found: int = field(metadata=_EXT)


@dataclass(frozen=True)
class Section(Record):
    """A numbered section (一、二、…) of a document."""

    ordinal: int
    title: str
    start: int
    end: int
    title_start: int = field(metadata=_EXT)
    title_end: int = field(metadata=_EXT)


@dataclass(frozen=True)
class Measure(Record):
    """One measure; `also`: other spans where the same measure is restated; `parts`: a table row's cells
    by column header (left out for a measure that is not a table row)."""

    ordinal: int
    title: str
    section: int | None
    start: int
    end: int
    title_start: int = field(metadata=_EXT)
    title_end: int = field(metadata=_EXT)
    style: str = field(metadata=_EXT)
    also: tuple[tuple[int, int], ...] = field(default=(), metadata=_EXT)
    parts: dict[str, str] = field(default_factory=dict, metadata=_EXT_OMIT)
    page: int | None = field(default=None, metadata=_EXT_OMIT)


@dataclass(frozen=True)
class Mention(Record):
    """A mention of a known entity. `kind`: an organisation's kind of body; `broader`: the curated programme
    a discovered brand specialises; `rule`: the discovery rule that found it; `page`: PDFs only."""

    type: str
    id: str
    label: str
    text: str
    start: int
    end: int
    measure: int | None
    kind: str | None = field(default=None, metadata=_EXT_OMIT)
    broader: str | None = field(default=None, metadata=_EXT_OMIT)
    rule: str | None = field(default=None, metadata=_EXT_OMIT)
    page: int | None = field(default=None, metadata=_EXT_OMIT)


@dataclass(frozen=True)
class Quantity(Record):
    """A stated number with its unit; `counts_id`: the programme or target group it counts."""

    value: int | float
    unit: str
    qualifier: str | None
    period: str | None
    role: str
    text: str
    start: int
    end: int
    measure: int | None
    value_max: int | float | None = field(default=None, metadata=_EXT)
    unit_text: str = field(default="", metadata=_EXT)
    currency: str | None = field(default=None, metadata=_EXT)
    qualifier_word: str | None = field(default=None, metadata=_EXT)
    per: str | None = field(default=None, metadata=_EXT)
    counts: str | None = field(default=None, metadata=_EXT)
    counts_id: str | None = field(default=None, metadata=_EXT)
    page: int | None = field(default=None, metadata=_EXT_OMIT)


@dataclass(frozen=True)
class DocumentRecord(Record):
    """One document's extraction result, offsets into the decoded original text (`text`, not in the JSON).

    `genre`: a skos:notation of the genre scheme (ontology/genres.ttl); `announced_count`: how many
    measures the document says it has (十项举措 -> 10), or None; `count_check`: set only where that
    count and the measures found differ. `level`: national, province, city or county — the level of the
    most specific area the document is of (`jurisdiction` is always province-level, place:china for a
    national document; `city` and `county` are set at those levels).
    """

    source: str
    title: str | None
    kind: str
    date: str | None
    identifier: str | None
    jurisdiction: Ref | None
    issuer: Ref | None
    sections: tuple[Section, ...]
    measures: tuple[Measure, ...]
    mentions: tuple[Mention, ...]
    quantities: tuple[Quantity, ...]
    genre: str = "plan"
    announced_count: int | None = None
    level: str | None = None
    city: Ref | None = field(default=None, metadata=_EXT)
    county: Ref | None = field(default=None, metadata=_EXT_OMIT)
    sha256: str = field(default="", metadata=_EXT)
    encoding: str = field(default="", metadata=_EXT)
    media_type: str = field(default="", metadata=_EXT)
    evidence: Evidence = field(default_factory=Evidence, metadata=_EXT)
    count_check: CountCheck | None = field(default=None, metadata=_EXT_OMIT)
    text: str = field(default="", repr=False, metadata={"json": False})
    pages: tuple[int, ...] = field(default=(), metadata=_EXT_OMIT)  # PDF: the start offset of every page
    metadata: dict[str, str] = field(default_factory=dict, metadata=_EXT_OMIT)  # web pages: date, url

    @classmethod
    def from_json(cls, obj: dict, *, text: str = "") -> DocumentRecord:  # type: ignore[override]
        """The record of a `kg extract` JSON object and the document's decoded text."""
        return super().from_json(obj, text=text)


#: every record type of the contract, the document first
RECORD_TYPES: tuple[type[Record], ...] = (
    DocumentRecord,
    Ref,
    Evidence,
    Span,
    CountCheck,
    Section,
    Measure,
    Mention,
    Quantity,
)
