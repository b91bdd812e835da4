"""Ingest: decoding bytes and reading sources (limits, suffixes, HTML to text)."""

from __future__ import annotations

import codecs

import pytest

from kg.errors import IngestError
from kg.ingest.decode import decode_bytes
from kg.ingest.markup import html_to_text
from kg.ingest.source import read_source

SAMPLE = "四川省总工会助力经济发展“开门红”十二条措施。一季度完成主题宣传宣讲 ３００ 场。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_decodes_every_supported_encoding(data, encoding):
    text, found = decode_bytes(data)
    assert text == SAMPLE
    assert found == encoding


def test_empty_and_binary_inputs_get_one_line_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match=r"empty\.txt: the file is empty"):
        read_source(empty)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(IngestError, match=r"image\.txt") as exc:
        read_source(binary)
    assert "\n" not in str(exc.value)


def test_unsupported_suffix_is_named(tmp_path):
    path = tmp_path / "notes.pdfx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(IngestError, match=r"notes.pdfx: unsupported file type \.pdfx"):
        read_source(path)


def test_html_is_reduced_to_text_without_scripts():
    page = "<html><head><style>p{}</style><script>alert(1)</script></head><body><p>安康杯</p><p>五小</p></body></html>"
    text = html_to_text(page)
    assert "alert" not in text and "p{}" not in text
    assert text.split() == ["安康杯", "五小"]
