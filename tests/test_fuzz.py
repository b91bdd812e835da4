"""Fuzzing the stages (hypothesis): ingest, structure, mentions, discovery, quantities and the record.

Hostile input of every kind: random bytes under every suffix the plain and web readers take; random
Unicode with combining marks, bidi controls, zero-width characters and brackets, encoded as UTF-8, UTF-16
(lone surrogates too) and GB18030; deep bracket nesting (（（（…, 【【【…, “““…); documents of nothing but
numbers; a 10 MB line. What must hold: the only exceptions are the documented one-line errors
(:class:`kg.errors.KgError`), and every span of the record points at its text in the decoded original
(``original[start:end] == text``, as `kg extract` promises), with every offset inside the text. The
record must survive what the build does with it (JSON, UTF-8, the document's graph as Turtle).
docs/reliability.md (section fuzz) is written from these tests.
"""

from __future__ import annotations

import itertools
import json
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reliability_doc import markdown_table, write_section

from kg.errors import KgError
from kg.ingest.source import MAX_CHARS, read_source
from kg.model import DocumentRecord
from kg.pipeline.quantities import extract_quantities
from kg.pipeline.structure import analyse_structure
from kg.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
MORE = settings(FUZZ, max_examples=150)
#: what each test tried and what came out: test -> {"examples": n, "records": n, "errors": {code: n}}
TRIED: dict[str, dict] = {}

COMBINING = st.characters(min_codepoint=0x0300, max_codepoint=0x036F)
BIDI = st.sampled_from(list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))
INVISIBLE = st.sampled_from(list("\u200b\u200c\u200d\u2060\ufeff\u00ad\u3000\u2028\u2029\x85\x0b\x0c\r\t"))
BRACKETS = st.sampled_from(list("（）【】“”‘’《》「」『』()[]{}〔〕<>\"'"))
DOC_CHARS = sorted(set((ROOT / "corpus" / "000_ca660b9881810a2f.txt").read_text(encoding="utf-8")))
NUMERALS = st.sampled_from(
    list("0123456789０１２３４５６７８９.．,，、%％万亿千百十一二三四五六七八九零〇两壹贰叁拾佰仟萬億-—~至")
)
HOSTILE = st.text(
    st.one_of(
        st.sampled_from(DOC_CHARS), COMBINING, BIDI, INVISIBLE, BRACKETS, NUMERALS, st.characters(), st.just("\n")
    ),
    max_size=400,
)
HEAD = "四川省总工会关于开展安康杯竞赛的通知\n\n各市（州）总工会：\n"


def check_record(rec: DocumentRecord, original: str) -> None:
    """Every span of `rec` holds its text and lies inside `original`; the record survives JSON and UTF-8."""
    n = len(original)
    assert rec.text == original
    for item in (*rec.mentions, *rec.quantities):
        assert 0 <= item.start < item.end <= n and original[item.start : item.end] == item.text, item
    for span in (rec.evidence.issuer, rec.evidence.title, rec.evidence.identifier, rec.evidence.announced):
        if span is not None:
            assert 0 <= span.start <= span.end <= n and original[span.start : span.end] == span.text, span
    for part in (*rec.sections, *rec.measures):
        assert 0 <= part.start <= part.end <= n and 0 <= part.title_start <= part.title_end <= n, part
    for m in rec.measures:
        assert all(0 <= s <= e <= n for s, e in m.also), m
    line = json.dumps(rec.to_json(), ensure_ascii=False)
    line.encode("utf-8")  # extract.jsonl is UTF-8: a lone surrogate would fail here
    assert DocumentRecord.from_json(json.loads(line), text=original).to_json() == rec.to_json()


def run_pipeline(test: str, path: str, data: bytes, *, graph: bool = False) -> DocumentRecord | None:
    """Ingest and process `data` as the file `path`: a record (checked) or a KgError; nothing else may escape."""
    from kg.pipeline.components import process_source

    tally = TRIED.setdefault(test, {"examples": 0, "records": 0, "errors": {}})
    tally["examples"] += 1
    try:
        source = read_source(path, data)
        rec = process_source(source, data)
    except KgError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(f"[{exc.code}] ")
        tally["errors"][exc.code] = tally["errors"].get(exc.code, 0) + 1
        return None
    check_record(rec, source.text)
    if graph:
        from kg.graph.build import document_graph

        doc = document_graph(rec)
        doc.turtle.encode("utf-8")
    tally["records"] += 1
    return rec


# ---------------------------------------------------------------- ingest: bytes in


@MORE
@given(st.binary(max_size=3000), st.sampled_from(["f.txt", "f.md", "f.html", "f.htm"]))
@example(b"\xff\xfe" + "\ud800安康杯".encode("utf-16-le", "surrogatepass"), "f.txt")
@example(b"\xef\xbb\xbf", "f.txt")
@example(b"<html><body>" + ("（" * 2000).encode() + b"</body></html>", "f.html")
def test_random_bytes_give_a_record_or_a_one_line_error(data, name):
    run_pipeline("random bytes (.txt .md .html .htm)", name, data)


@st.composite
def encoded(draw) -> bytes:
    text = HEAD + draw(HOSTILE)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030"]))
    if encoding.startswith("utf-16") and draw(st.booleans()):  # lone surrogates, which only UTF-16 can carry
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\ud800", "\udfff", "\udc00\ud83d"])) + text[at:]
        return text.encode(encoding, "surrogatepass")
    return text.encode(encoding, "replace")


@MORE
@given(encoded())
def test_hostile_unicode_in_every_encoding(data):
    run_pipeline("hostile Unicode (combining, bidi, zero-width, brackets; UTF-8/16/GB18030, lone surrogates)", "f.txt", data)  # fmt: skip


# ---------------------------------------------------------------- structure, discovery, quantities


@st.composite
def nested(draw) -> str:
    opening, closing = draw(
        st.sampled_from([("（", "）"), ("【", "】"), ("“", "”"), ("《", "》"), ("(", ")"), ("「", "」")])
    )
    depth = draw(st.integers(1, 3000))
    inner = draw(st.sampled_from(["安康杯", "开展“五小”活动100场", "", "（一）", "一、"]))
    closed = draw(st.sampled_from(["all", "none", "half"]))
    tail = {"all": closing * depth, "none": "", "half": closing * (depth // 2)}[closed]
    return HEAD + opening * depth + inner + tail + draw(st.sampled_from(["", "\n", "。（二）推进安康杯竞赛。"]))


@FUZZ
@given(nested())
@example(HEAD + "“" * 3000 + "安康杯" + "”" * 3000)
@example(HEAD + "【" * 3000)
def test_deep_bracket_nesting(text):
    rec = run_pipeline("deep bracket nesting (up to 3,000 levels)", "f.txt", text.encode("utf-8"), graph=True)
    assert rec is not None  # the text is fine: it must build


@FUZZ
@given(st.text(st.one_of(NUMERALS, st.sampled_from([" ", "\n", "\u3000"])), min_size=1, max_size=3000))
@example("1" * 3000)
@example("1.\n2.\n3.\n" * 300)
@example("一、\n二、\n（一）\n" * 300)
def test_a_document_of_nothing_but_numbers(text):
    run_pipeline("documents of nothing but numbers", "f.txt", text.encode("utf-8"), graph=True)


@MORE
@given(HOSTILE)
def test_structure_and_quantities_stay_inside_the_normalised_text(text):
    """The stages called one by one, on the normalised text: every span inside it, in order."""
    norm = normalize(text)
    st_ = analyse_structure(norm.text)
    n = len(norm.text)
    for part in (*st_.sections, *st_.measures):
        assert 0 <= part.start <= part.end <= n and 0 <= part.title_start <= part.title_end <= n
        s, e = norm.to_original(part.start, part.end) if part.end > part.start else (0, 0)
        assert 0 <= s <= e <= len(text)
    quantities = extract_quantities(norm.text, doc_kind=st_.kind)
    assert all(0 <= q.start < q.end <= n for q in quantities)
    assert all(a.end <= b.start for a, b in itertools.pairwise(quantities))
    TRIED.setdefault("structure and quantities, stage by stage", {"examples": 0, "records": 0, "errors": {}})
    TRIED["structure and quantities, stage by stage"]["examples"] += 1


@FUZZ
@given(HOSTILE)
def test_discovery_spans_stay_inside_the_text(text):
    from kg.pipeline.discover import discover
    from kg.pipeline.mentions import extract_mentions
    from kg.vocab.ontology import load_vocabulary

    vocab = load_vocabulary()
    norm = normalize(HEAD + text)
    mentions = extract_mentions(norm.text, vocab=vocab)
    for m in [*mentions, *discover(norm.text, mentions, vocab=vocab)]:
        assert 0 <= m.start < m.end <= len(norm.text), m
    TRIED.setdefault("mentions and discovery, stage by stage", {"examples": 0, "records": 0, "errors": {}})
    TRIED["mentions and discovery, stage by stage"]["examples"] += 1


# ---------------------------------------------------------------- long lines


def test_a_10_mb_line_is_refused_by_name_in_one_line():
    data = ("四川省总工会开展安康杯竞赛，覆盖职工100万人次；" * 200_000).encode("utf-8")[: 10 * 2**20]
    assert len(data) == 10 * 2**20 and b"\n" not in data
    start = time.monotonic()
    assert run_pipeline("a 10 MB line", "line.txt", data) is None
    assert TRIED["a 10 MB line"]["errors"] == {"E107": 1} and time.monotonic() - start < 5


@contextmanager
def time_limit(seconds: int):
    def expire(*_):
        raise TimeoutError(f"over {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


LINE = "四川省总工会开展安康杯竞赛，覆盖职工100万人次；"


@pytest.mark.slow
def test_a_100_000_character_line_builds():
    text = (HEAD + LINE * (100_000 // len(LINE)))[:100_000]
    start = time.monotonic()
    with time_limit(60):
        rec = run_pipeline("a 100,000-character line", "line.txt", text.encode("utf-8"))
    assert rec is not None and len(rec.quantities) > 1000
    TRIED["a 100,000-character line"]["seconds"] = time.monotonic() - start


@pytest.mark.slow
def test_a_line_of_a_third_of_the_character_limit_builds_within_half_a_minute():
    """Quantities are linked to what they count by bisection (resolve.link_counts), not by a scan of every
    mention and of the clause for each one, so one long line costs about what its sentences would."""
    text = (HEAD + LINE * (MAX_CHARS // 3 // len(LINE)))[: MAX_CHARS // 3]
    name = f"a line of {MAX_CHARS // 3:,} characters (MAX_CHARS/3)"
    start = time.monotonic()
    with time_limit(30):
        assert run_pipeline(name, "line.txt", text.encode("utf-8")) is not None
    TRIED[name]["seconds"] = time.monotonic() - start


# ---------------------------------------------------------------- the table


def test_zz_write_the_fuzz_table():
    """Last in the file: the table of what the tests above tried (only after a run of all of them)."""
    if len(TRIED) < 7:  # a part of the file was run: leave the table of the last whole run
        return
    rows = []
    for name, t in TRIED.items():
        errors = ", ".join(f"{code} ×{n}" for code, n in sorted(t["errors"].items())) or "none"
        took = f" ({t['seconds']:.0f} s)" if "seconds" in t else ""
        records = f"{t['records']}{took}" if t["records"] else "—"
        rows.append([name, t["examples"], records, errors, t.get("other", "none")])
    write_section(
        "fuzz",
        "Hypothesis over ingest, structure, mentions, discovery and quantities (tests/test_fuzz.py; seeded by "
        "hypothesis, so each run tries new inputs). Every record is checked: `original[start:end] == text` for "
        "each mention, quantity and evidence span, every section and measure inside the text, and the record "
        "survives JSON, UTF-8 and (where marked) the document's graph. The only exceptions allowed are the "
        "catalogue's one-line errors.\n\n"
        + markdown_table(
            ["input", "examples", "records built", "one-line errors (code × n)", "other exceptions"], rows
        ),
    )
