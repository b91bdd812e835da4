"""The spans the structure stage finds: sections and measures (offsets into the normalised text)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MeasureSpan", "SectionSpan", "rstrip_end"]


@dataclass(frozen=True)
class SectionSpan:
    """A section heading and the text it governs."""

    ordinal: int
    title: str
    start: int
    end: int
    title_start: int
    title_end: int


@dataclass(frozen=True)
class MeasureSpan:
    """A measure: its title, its primary span, any restatements of it and, for a table row, its columns.

    `style` names the rule or numbering style that found it; `parts` holds a table row's cells as
    (column header, cell text) pairs.
    """

    ordinal: int
    title: str
    start: int
    end: int
    title_start: int
    title_end: int
    style: str
    section: int | None = None
    also: tuple[tuple[int, int], ...] = ()
    parts: tuple[tuple[str, str], ...] = ()

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return ((self.start, self.end), *self.also)


def rstrip_end(text: str, end: int) -> int:
    """`end` moved left past trailing white space."""
    while end > 0 and text[end - 1] in " \t\n":
        end -= 1
    return end
