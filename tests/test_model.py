"""The typed records of kg/model.py against the contract's shape (tests/data/extract_contract.json)."""

from __future__ import annotations

import dataclasses
import json
import re
import typing

import pytest
from conftest import CORPUS, DATA, ROOT

from kg.model import RECORD_TYPES, CountCheck, DocumentRecord, Evidence, Mention, Record, Span, json_fields

SHAPE = {
    k: v for k, v in json.loads((DATA / "extract_contract.json").read_text(encoding="utf-8")).items() if k[0] != "$"
}
TYPES = {t.__name__: t for t in RECORD_TYPES}
SCALARS = {str: "string", int: "integer", float: "number", type(None): "null"}


def _json_type(hint) -> str:
    """The fixture's type string of a field annotation (int | float is a JSON number)."""
    if hint in SCALARS:
        return SCALARS[hint]
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.__name__
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:  # tuple[X, ...] or a fixed tuple of one type: a JSON array
        assert args[-1] is Ellipsis or len(set(args)) == 1, hint
        return f"array<{_json_type(args[0])}>"
    if origin is dict:
        return f"object<{_json_type(args[1])}>"
    parts = [_json_type(a) for a in args]
    if "integer" in parts and "number" in parts:
        parts.remove("integer")
    return "|".join(parts)


@pytest.fixture(scope="module")
def record() -> DocumentRecord:
    from kg.pipeline.components import process_file

    return process_file(CORPUS / "003_84884fd58ce8b034.txt")  # Shaanxi: sections, measures, all three evidence spans


def test_the_fixture_covers_every_record_type():
    assert list(SHAPE) == list(TYPES)


@pytest.mark.parametrize("name", list(SHAPE))
def test_dataclass_fields_are_the_contract_shape(name):
    record_type, rows = TYPES[name], SHAPE[name]
    hints = typing.get_type_hints(record_type)
    found = []
    for f in json_fields(record_type):
        optional = bool(f.metadata.get("omit_empty"))
        json_type = _json_type(hints[f.name])
        if optional:  # never written as null: left out instead
            json_type = json_type.removesuffix("|null")
        row = {"name": f.name, "type": json_type, "role": "extension" if f.metadata.get("extension") else "contract"}
        found.append(row | ({"optional": True} if optional else {}))
    assert found == [{k: v for k, v in r.items() if k != "values"} for r in rows]


def test_only_the_text_is_left_out_of_the_json():
    names = {f.name for f in dataclasses.fields(DocumentRecord)} - {f.name for f in json_fields(DocumentRecord)}
    assert names == {"text"}


def test_contract_fields_come_before_extensions():
    for name, rows in SHAPE.items():
        roles = [r["role"] for r in rows]
        assert roles == sorted(roles), name  # "contract" < "extension"


def test_the_readme_names_every_field():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The `kg extract` contract", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    for name in ("DocumentRecord", "Section", "Measure", "Mention", "Quantity"):
        for row in SHAPE[name]:
            if row["role"] == "contract":
                assert f'"{row["name"]}"' in block, (name, row["name"])
            else:
                assert f"`{row['name']}`" in section, (name, row["name"])


def _check(value, type_string: str, where: str) -> None:
    """`value` (parsed JSON) has one of the types of `type_string`; records recursively."""
    for option in type_string.split("|"):
        if option == "null":
            ok = value is None
        elif option == "string":
            ok = isinstance(value, str)
        elif option == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif option == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif m := re.fullmatch(r"array<(.+)>", option):
            ok = isinstance(value, list)
            if ok:
                for i, item in enumerate(value):
                    _check(item, m.group(1), f"{where}[{i}]")
        elif m := re.fullmatch(r"object<(.+)>", option):
            ok = isinstance(value, dict)
            if ok:
                for k, item in value.items():
                    _check(item, m.group(1), f"{where}.{k}")
        else:
            ok = isinstance(value, dict)
            if ok:
                _check_record(value, option, where)
        if ok:
            return
    raise AssertionError(f"{where}: {value!r} is not {type_string}")


def _check_record(obj: dict, name: str, where: str) -> None:
    rows = SHAPE[name]
    names = [r["name"] for r in rows]
    assert [k for k in names if k in obj] == list(obj), f"{where}: keys {list(obj)} not in the order of {names}"
    for row in rows:
        if row["name"] not in obj:
            assert row.get("optional"), f"{where}: {row['name']} missing"
            continue
        value = obj[row["name"]]
        _check(value, row["type"], f"{where}.{row['name']}")
        if "values" in row and value is not None:
            assert value in row["values"], f"{where}.{row['name']}: {value!r}"


def test_a_real_document_validates_against_the_shape(record):
    line = json.dumps(record.to_json(), ensure_ascii=False)  # what `kg extract --format json` writes
    obj = json.loads(line)
    _check_record(obj, "DocumentRecord", "document")
    assert obj["sections"] and obj["measures"] and obj["mentions"] and obj["quantities"]
    assert any("rule" in m for m in obj["mentions"]) and any("kind" in m for m in obj["mentions"])
    assert "pages" not in obj and "metadata" not in obj and all("page" not in m for m in obj["mentions"])
    assert list(obj["evidence"])[:3] == ["issuer", "title", "identifier"]
    assert list(obj)[11:13] == ["genre", "announced_count"]  # the values are checked against the shape above
    assert ("count_check" in obj) == (obj["announced_count"] not in (None, len(obj["measures"])))


def test_genre_values_are_the_genre_scheme():
    """The contract's genre values, the structure stage's and the closed namespace GENRE's are the notations
    of ontology/genres.ttl."""
    from rdflib import SKOS, Graph

    from kg.namespaces import GENRE

    scheme = Graph().parse(ROOT / "ontology" / "genres.ttl", format="turtle")
    notations = {str(n) for n in scheme.objects(None, SKOS.notation)}
    row = next(r for r in SHAPE["DocumentRecord"] if r["name"] == "genre")
    assert set(row["values"]) == notations and len(notations) == 7
    from kg.pipeline.genre import GENRES  # what the structure stage decides among

    assert set(GENRES) == notations
    for name in notations:
        assert scheme.value(GENRE[name], SKOS.notation) is not None, name


def test_count_check_only_where_the_counts_differ(record):
    """count_check is written only where the announced count and the measures found differ; it round-trips."""
    found = len(record.measures)
    agreed = dataclasses.replace(record, announced_count=found, count_check=None)
    assert "count_check" not in agreed.to_json() and agreed.to_json()["announced_count"] == found
    differs = dataclasses.replace(record, announced_count=found + 2, count_check=CountCheck(found + 2, found))
    obj = json.loads(json.dumps(differs.to_json(), ensure_ascii=False))
    _check_record(obj, "DocumentRecord", "document")
    assert obj["count_check"] == {"announced": found + 2, "found": found}
    assert list(obj).index("count_check") == list(obj).index("evidence") + 1
    assert DocumentRecord.from_json(obj, text=record.text) == differs


def test_a_table_rows_parts_are_written_only_when_there(record):
    row = dataclasses.replace(record.measures[0], style="table", parts={"工作任务": "甲", "目标": "乙"})
    tabled = dataclasses.replace(record, measures=(row, *record.measures[1:]))
    obj = json.loads(json.dumps(tabled.to_json(), ensure_ascii=False))
    _check_record(obj, "DocumentRecord", "document")
    assert obj["measures"][0]["parts"] == {"工作任务": "甲", "目标": "乙"} and "parts" not in obj["measures"][1]
    assert list(obj["measures"][0])[-1] == "parts"
    assert DocumentRecord.from_json(obj, text=record.text) == tabled


def test_the_pipeline_sets_count_check_from_the_structure():
    from kg.pipeline.components import _count_check

    assert _count_check(None, 3) is None and _count_check(3, 3) is None
    assert _count_check(10, 8) == CountCheck(announced=10, found=8)


def test_from_json_round_trips(record):
    obj = record.to_json()
    back = DocumentRecord.from_json(json.loads(json.dumps(obj, ensure_ascii=False)), text=record.text)
    assert back == record
    assert json.dumps(back.to_json(), ensure_ascii=False) == json.dumps(obj, ensure_ascii=False)
    assert isinstance(back.mentions, tuple) and isinstance(back.mentions[0], Mention)
    assert isinstance(back.evidence, Evidence) and isinstance(back.measures[0].also, tuple)


def test_optional_extensions_round_trip_when_present(record):
    """A PDF's pages and page numbers, a web page's metadata: written only when there, read back the same."""
    paged = dataclasses.replace(
        record,
        pages=(0, 500, 1000),
        metadata={"date": "2023-03-06", "url": "https://example.org/a.html"},
        mentions=tuple(dataclasses.replace(m, page=1 + m.start // 500) for m in record.mentions),
    )
    obj = json.loads(json.dumps(paged.to_json(), ensure_ascii=False))
    _check_record(obj, "DocumentRecord", "document")
    assert list(obj)[-2:] == ["pages", "metadata"] and obj["pages"] == [0, 500, 1000]
    assert all(list(m)[-1] == "page" for m in obj["mentions"])
    assert DocumentRecord.from_json(obj, text=record.text) == paged


def test_numbers_keep_their_json_type(record):
    values = [q.value for q in record.quantities]
    assert any(isinstance(v, int) for v in values)
    back = DocumentRecord.from_json(json.loads(json.dumps(record.to_json())), text=record.text)
    assert [type(q.value) for q in back.quantities] == [type(v) for v in values]


def test_records_read_by_json_key(record):
    men = next(m for m in record.mentions if m.rule)
    assert men["id"] == men.id and men.get("rule") == men.rule and "rule" in men
    plain = next(m for m in record.mentions if not m.rule)
    assert "rule" not in plain and plain.get("rule") is None and "page" not in plain
    with pytest.raises(KeyError):
        plain["rule"]
    assert list(plain) == list(plain.to_json())
    assert record.issuer is not None and record.issuer["label"] == record.issuer.label
    assert "text" not in record  # the decoded text is not part of the JSON


def test_records_are_frozen():
    span = Span(0, 2, "ab")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
