"""Jurisdiction briefs (`kg report`): one page on one place — its documents (genre, date), its programmes
shared (with whom) and unique, its targets and money (quotes, periods), the target groups it covers and its
planned against reported figures — at the province, city or county level.

Every table comes from a query of the library (``queries/report-*.rq``, the place and level bound as
parameters); this module finds the place a name means (a slug, a label such as 四川 or 四川省, a
``place:`` name or an IRI), and writes the brief as Markdown, CSV or an HTML page (the Jinja2 template
``views/templates/report.html``, written by :mod:`kg.surface.views.report`). See docs/views.md and D26.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import Dataset

from kg.errors import ReportError, one_line
from kg.surface.query import load_query, parse_params, project_prefixes, result_rows, run_query

__all__ = [
    "CSV_COLUMNS",
    "LEVELS",
    "REPORT_FORMATS",
    "Brief",
    "BriefTables",
    "Place",
    "brief_csv",
    "brief_markdown",
    "brief_tables",
    "find_place",
    "genre_text",
    "jurisdiction_brief",
    "number",
    "places",
    "programme_cells",
    "quantity_cells",
    "render_brief",
    "summary_line",
]

#: the levels a brief can be written at, and the property that ties a document to its place at each
LEVELS = ("province", "city", "county")
REPORT_FORMATS = ("md", "html", "csv")
_PLACE = "https://w3id.org/unionkg/place/"


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer that a brief can be about (a row of ``report-places``)."""

    iri: str
    level: str
    label: str
    label_en: str
    names: tuple[str, ...]
    documents: int

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]

    def describe(self) -> str:
        """'四川省 (sichuan, province)' — how an error message names it."""
        return f"{self.label} ({self.slug}, {self.level})"


@dataclass(frozen=True)
class Brief:
    """The brief on one place at one level: the rows of the report-*.rq queries."""

    place: Place
    level: str
    documents: list[dict]
    programmes: list[dict]
    quantities: list[dict]
    groups: list[dict]
    planned: list[dict]

    @property
    def shared(self) -> list[dict]:
        """Programmes that other jurisdictions of the level mention too (most others first)."""
        return [r for r in self.programmes if int(r.get("others") or 0) > 0]

    @property
    def unique(self) -> list[dict]:
        """Programmes no other jurisdiction of the level mentions."""
        return [r for r in self.programmes if int(r.get("others") or 0) == 0]

    @property
    def targets(self) -> list[dict]:
        return [r for r in self.quantities if r.get("role") == "target"]

    @property
    def money(self) -> list[dict]:
        return [r for r in self.quantities if r.get("money") == "true"]

    @property
    def title(self) -> str:
        return f"{self.place.label} · 简报 brief"


def number(value: str | None) -> str:
    """A decimal as written for people: ``1000000.0`` -> ``1000000``; empty for none."""
    if value in (None, ""):
        return ""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)


def _rows(ds: Dataset, name: str, **params: str | None) -> list[dict]:
    q = load_query(name)
    pairs = [f"{k}={v}" for k, v in params.items() if v is not None]
    return result_rows(run_query(ds, q, bindings=parse_params(pairs, q)))


def places(ds: Dataset, level: str | None = None) -> list[Place]:
    """Every place of the gazetteer a brief can be about, with how many documents it has (report-places)."""
    out = []
    for r in _rows(ds, "report-places", level=level):
        names = tuple(sorted({n for n in (r.get("names") or "").split("、") if n} | {r["label"]}))
        out.append(
            Place(r["place"], r["level"], r["label"], r.get("labelEn") or "", names, int(r.get("documents") or 0))
        )
    return out


def _iri(name: str) -> str | None:
    prefix, sep, local = name.partition(":")
    if sep and not local.startswith("//") and prefix in project_prefixes():
        return project_prefixes()[prefix] + local
    return name if name.startswith(("http://", "https://")) else None


def find_place(ds: Dataset, name: str, level: str | None = None, *, known: list[Place] | None = None) -> Place:
    """The place `name` means: an IRI or ``place:`` name, a slug (``sichuan``) or a label, zh or en, full or
    short (四川省, 四川, Sichuan). Among several, the ones with documents win, then the level asked for.
    Unknown: a ReportError listing close matches. `known`: the places (:func:`places`) when already read."""
    if level is not None and level not in LEVELS:
        raise ReportError.unknown_level(level, list(LEVELS))
    known = places(ds) if known is None else known
    wanted = name.strip()
    iri = _iri(wanted)
    key = wanted.casefold()
    if iri is not None:
        found = [p for p in known if p.iri == iri]
    else:
        found = [p for p in known if p.slug == key] or [p for p in known if key in {n.casefold() for n in p.names}]
    if level is not None and any(p.level == level for p in found):
        found = [p for p in found if p.level == level]
    if len(found) > 1 and any(p.documents for p in found):
        found = [p for p in found if p.documents]
    if len(found) == 1:
        return found[0]
    if found:
        raise ReportError.ambiguous_jurisdiction(wanted, [p.describe() for p in found])
    raise ReportError.unknown_jurisdiction(wanted, _close(known, wanted))


def _close(known: list[Place], name: str, n: int = 5) -> list[str]:
    """The places whose slug or a label is nearest to `name` (those with documents first)."""
    by_name: dict[str, list[Place]] = {}
    for p in sorted(known, key=lambda p: (-p.documents, p.iri)):
        for key in (p.slug, *p.names):
            by_name.setdefault(key.casefold(), []).append(p)
    wanted = name.casefold().removeprefix(_PLACE).removeprefix("place:")
    close = difflib.get_close_matches(wanted, list(by_name), n=n * 2, cutoff=0.5)
    close += [k for k in by_name if wanted and (wanted in k or k in wanted) and k not in close]
    seen: list[Place] = []
    for key in close:
        for p in by_name[key]:
            if p not in seen:
                seen.append(p)
    seen.sort(key=lambda p: -p.documents)
    return [p.describe() for p in seen[:n]]


#: the brief's tables: the query of each, for one place (bound) and for every place at once (unbound)
_TABLES = {
    "documents": ("report-documents", "report-documents"),
    "programmes": ("report-programmes", "report-all-programmes"),
    "quantities": ("report-quantities", "report-quantities"),
    "groups": ("report-groups", "report-groups"),
    "planned": ("report-planned-vs-reported", "report-all-planned-vs-reported"),
}


@dataclass(frozen=True)
class BriefTables:
    """Every brief's rows, read once (:func:`brief_tables`): the places, and per table the rows of each
    (jurisdiction, level), in the order the query of one place gives them."""

    places: list[Place]
    tables: dict[str, dict[tuple[str, str], list[dict]]]

    def rows(self, table: str, jurisdiction: str, level: str) -> list[dict]:
        return self.tables[table].get((jurisdiction, level), [])


def _split(rows: list[dict]) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        out[(r["jurisdiction"] or "", r["level"] or "")].append(r)
    return dict(out)


def _shared(rows: list[dict]) -> dict[tuple[str, str], list[dict]]:
    """report-all-programmes -> report-programmes' rows for every place: for each programme, the other
    jurisdictions of the level that mention it (those with a zh label) and their labels; same order."""
    who: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        labels = {x for x in (r.get("jurisdictionLabel") or "").split("、") if x}
        who[(r["level"] or "", r["programme"] or "")][r["jurisdiction"] or ""] |= labels
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        j, level, programme = r["jurisdiction"] or "", r["level"] or "", r["programme"] or ""
        others = {o: ls for o, ls in who[(level, programme)].items() if o != j and ls}
        shared = sorted(set().union(*others.values()))
        out[(j, level)].append(
            {"jurisdiction": j, "level": level, "programme": programme, "label": r["label"],
             "categoryLabel": r.get("categoryLabel"), "curated": r.get("curated"), "mentions": r["mentions"],
             "documents": r["documents"], "others": str(len(others)), "sharedWith": "、".join(shared)}
        )  # fmt: skip
    for got in out.values():  # report-programmes' ORDER BY
        got.sort(key=lambda r: (-int(r["others"]), -int(r["mentions"] or 0), r["label"] or "", r["programme"]))
    return dict(out)


def brief_tables(ds: Dataset) -> BriefTables:
    """The rows of every brief, one query per table over the whole graph (the views write a brief for each
    place with documents: one query per place and table would grow with the square of the corpus)."""
    known = places(ds)
    tables: dict[str, dict[tuple[str, str], list[dict]]] = {table: {} for table in _TABLES}
    if not any(p.documents for p in known):  # no brief to write (rdflib fails on some of them when empty)
        return BriefTables(known, tables)
    for table, (_one, every) in _TABLES.items():
        rows = result_rows(run_query(ds, load_query(every)))
        tables[table] = _shared(rows) if table == "programmes" else _split(rows)
    return BriefTables(known, tables)


def jurisdiction_brief(ds: Dataset, name: str, *, level: str | None = None, tables: BriefTables | None = None) -> Brief:
    """The brief on the place `name` means (see :func:`find_place`) at `level` (default: the place's own);
    its rows from `tables` when given (:func:`brief_tables`, the same rows), else one query per table."""
    place = find_place(ds, name, level, known=tables.places if tables is not None else None)
    level = level or place.level
    args = {"jurisdiction": place.iri, "level": level}

    def rows(table: str) -> list[dict]:
        if tables is not None:
            return tables.rows(table, place.iri, level)
        return _rows(ds, _TABLES[table][0], **args)

    documents = rows("documents")
    if not documents:
        raise ReportError.no_documents(place.describe(), level)
    return Brief(place, level, documents, rows("programmes"), rows("quantities"), rows("groups"), rows("planned"))


# ---------------------------------------------------------------- formats


def _cell(value) -> str:
    return one_line(value if value is not None else "").replace("|", "\\|")


def _table(head: list[str], rows: list[list]) -> list[str]:
    if not rows:
        return ["(none)", ""]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def genre_text(r: dict) -> str:
    return " ".join(x for x in (r.get("genreLabel"), r.get("genreLabelEn")) if x)


def programme_cells(rows: list[dict], shared: bool) -> list[list]:
    out = []
    for r in rows:
        others = "、".join(sorted(x for x in (r.get("sharedWith") or "").split("、") if x))
        row = [r["label"], r.get("categoryLabel") or "", r.get("mentions"), r.get("documents")]
        out.append([*row, r.get("others"), others] if shared else row)
    return out


def quantity_cells(r: dict) -> list:
    value = number(r.get("value")) + ("–" + number(r["maxValue"]) if r.get("maxValue") else "")
    per = f"/{r['per']}" if r.get("per") else ""
    measure = f"{r['measureOrdinal']}. {r.get('measureTitle') or ''}".strip() if r.get("measureOrdinal") else ""
    return [f"{value} {r.get('unit') or ''}{per}", r.get("role"), r.get("period") or "", r.get("what") or "",
            measure, r.get("quote") or ""]  # fmt: skip


def summary_line(brief: Brief) -> str:
    return (
        f"{len(brief.documents)} documents · {len(brief.programmes)} programmes ({len(brief.shared)} shared, "
        f"{len(brief.unique)} unique) · {len(brief.targets)} targets · {len(brief.money)} sums of money · "
        f"{len(brief.groups)} target groups"
    )


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown: a heading, a summary line and one table per part."""
    p = brief.place
    lines = [f"# {p.label} · 简报 brief", "", f"{p.label_en or p.slug} · level: {brief.level} · <{p.iri}>", ""]
    lines += [summary_line(brief), ""]
    lines += ["## 文件 Documents", ""]
    lines += _table(
        ["date", "genre", "title", "measures", "file"],
        [[r.get("date") or "", genre_text(r), r.get("title") or "", r.get("measures"), r.get("sourceFile") or ""]
         for r in brief.documents],
    )  # fmt: skip
    lines += ["## 共有工作品牌 Shared programmes", ""]
    lines += _table(["programme", "category", "mentions", "documents", "others", "shared with"],
                    programme_cells(brief.shared, True))  # fmt: skip
    lines += ["## 独有工作品牌 Unique programmes", ""]
    lines += _table(["programme", "category", "mentions", "documents"], programme_cells(brief.unique, False))
    head = ["amount", "role", "period", "counts", "measure", "quote"]
    lines += ["## 目标 Targets", "", *_table(head, [quantity_cells(r) for r in brief.targets])]
    lines += ["## 资金 Money (元)", "", *_table(head, [quantity_cells(r) for r in brief.money])]
    lines += ["## 服务对象 Target groups", ""]
    lines += _table(["group", "mentions", "documents", "measures"],
                    [[r["groupLabel"], r.get("mentions"), r.get("documents"), r.get("measures")]
                     for r in brief.groups])  # fmt: skip
    lines += ["## 计划与完成 Planned vs reported", ""]
    lines += _table(["unit", "targets", "target total", "statistics", "statistic total"],
                    [[r.get("unit"), r.get("targets"), number(r.get("targetTotal")), r.get("statistics"),
                      number(r.get("statisticTotal"))] for r in brief.planned])  # fmt: skip
    return "\n".join(lines).rstrip("\n") + "\n"


#: the CSV's columns: one row per item of the brief, its part in `section`
CSV_COLUMNS = ("section", "name", "detail", "value", "unit", "period", "count", "with", "document", "quote")


def brief_csv(brief: Brief) -> str:
    """The brief as one CSV table (:data:`CSV_COLUMNS`): sections documents, shared, unique, target, money,
    group and planned, one row per item."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in brief.documents:
        writer.writerow(["documents", r.get("title") or "", genre_text(r), r.get("measures"), "", r.get("date") or "",
                         "", "", r["doc"], ""])  # fmt: skip
    for r in brief.programmes:
        section = "shared" if int(r.get("others") or 0) else "unique"
        others = "、".join(sorted(x for x in (r.get("sharedWith") or "").split("、") if x))
        writer.writerow([section, r["label"], r.get("categoryLabel") or "", r.get("mentions"), "", "",
                         r.get("documents"), others, "", ""])  # fmt: skip
    for section, rows in (("target", brief.targets), ("money", brief.money)):
        for r in rows:
            writer.writerow([section, r.get("what") or "", r.get("role"), number(r.get("value")), r.get("unit"),
                             r.get("period") or "", "", "", r["doc"], r.get("quote") or ""])  # fmt: skip
    for r in brief.groups:
        writer.writerow(["group", r["groupLabel"], "", r.get("mentions"), "", "", r.get("documents"), "", "", ""])
    for r in brief.planned:
        writer.writerow(["planned", r.get("unit"), "targets / statistics", number(r.get("targetTotal")),
                         r.get("unit"), "", f"{r.get('targets')}/{r.get('statistics')}",
                         number(r.get("statisticTotal")), "", ""])  # fmt: skip
    return buf.getvalue()


def render_brief(brief: Brief, fmt: str = "md") -> str:
    """The brief as ``md`` or ``csv`` (the HTML page is :func:`kg.surface.views.report.brief_page`)."""
    if fmt == "md":
        return brief_markdown(brief)
    if fmt == "csv":
        return brief_csv(brief)
    raise ReportError.unknown_format(fmt, list(REPORT_FORMATS))
