"""Typed records: what the pipeline produces for a document (the `kg extract` contract)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DocumentRecord", "MentionSpan"]


@dataclass(frozen=True)
class MentionSpan:
    """A typed mention of a known entity in the normalised text.

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
class DocumentRecord:
    """One document's extraction result, offsets into the decoded original text."""

    source: str
    title: str | None
    kind: str
    date: str | None
    identifier: str | None
    jurisdiction: dict | None
    issuer: dict | None
    sections: list[dict]
    measures: list[dict]
    mentions: list[dict]
    quantities: list[dict]
    city: dict | None = None
    sha256: str = ""
    encoding: str = ""
    media_type: str = ""
    evidence: dict = field(default_factory=dict)
    text: str = field(default="", repr=False)
    pages: tuple[int, ...] = ()
    metadata: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The `kg extract --format json` object (contract fields first, extensions after)."""
        return {
            "source": self.source,
            "title": self.title,
            "kind": self.kind,
            "date": self.date,
            "identifier": self.identifier,
            "jurisdiction": self.jurisdiction,
            "issuer": self.issuer,
            "sections": self.sections,
            "measures": self.measures,
            "mentions": self.mentions,
            "quantities": self.quantities,
            "city": self.city,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "media_type": self.media_type,
            "evidence": self.evidence,
            **self._format_extras(),
        }

    def _format_extras(self) -> dict:
        """PDF page start offsets and HTML page metadata, only for documents that have them."""
        extras: dict = {"pages": list(self.pages)} if self.pages else {}
        if self.metadata:
            extras["metadata"] = dict(self.metadata)
        return extras
