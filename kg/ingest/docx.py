"""DOCX (`.docx`, python-docx): body paragraphs and tables in order, Word's list numbers rendered into the
text (see :mod:`kg.ingest.docx_numbering`), headings prefixed with Markdown `#` marks.
"""

from __future__ import annotations

import io
import re

from kg.errors import IngestError
from kg.ingest.decode import SourceText
from kg.ingest.docx_numbering import Numbering, qn, w_attr
from kg.ingest.registry import PARAGRAPH_BREAK, Extracted, extracted_source, register

__all__ = ["DOCX_MEDIA_TYPE", "docx_to_text", "read_docx"]

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _style_level(style_el, numbering: Numbering, depth: int = 0) -> int:
    """Heading level (1..6) of a paragraph style: its outline level, or a Title style."""
    if style_el is None or depth > 8:
        return 0
    outline = style_el.find(f"{qn('pPr')}/{qn('outlineLvl')}")
    if outline is not None:
        value = int(w_attr(outline) or 9)
        return value + 1 if value < 6 else 0
    name = (w_attr(style_el.find(qn("name"))) or "").lower()
    m = re.fullmatch(r"heading (\d)", name)
    if m:
        return min(int(m.group(1)), 6)
    if name == "title":
        return 1
    return _style_level(numbering.styles.get(w_attr(style_el.find(qn("basedOn")))), numbering, depth + 1)


def _run_text(el) -> str:
    """Visible text under an element: deleted text, field codes and fallback copies left out."""
    out = []
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in (qn("del"), qn("instrText"), qn("delText"), qn("pPr"), qn("rPr")) or tag == f"{{{_MC}}}Fallback":
            continue
        if tag == qn("t"):
            out.append(child.text or "")
        elif tag in (qn("tab"), qn("ptab")):
            out.append("\t")
        elif tag in (qn("br"), qn("cr")):
            out.append("\n")
        elif tag == qn("noBreakHyphen"):
            out.append("-")
        elif tag == qn("p"):
            out.append("\n" + _run_text(child))
        else:
            out.append(_run_text(child))
    return "".join(out)


def _paragraph(p, numbering: Numbering) -> str:
    ppr = p.find(qn("pPr"))
    style_id = w_attr(ppr.find(qn("pStyle"))) if ppr is not None else None
    num = None
    num_pr = ppr.find(qn("numPr")) if ppr is not None else None
    if num_pr is not None and num_pr.find(qn("numId")) is not None:
        styled = numbering.style_num(style_id)
        ilvl_el = num_pr.find(qn("ilvl"))
        ilvl = int(w_attr(ilvl_el) or 0) if ilvl_el is not None else (styled[1] if styled else 0)
        num = (w_attr(num_pr.find(qn("numId"))), ilvl)
    else:
        num = numbering.style_num(style_id)
    label = numbering.label(*num) if num else ""  # an empty list paragraph still takes its number in Word
    text = _run_text(p).strip()
    if not text:
        return ""
    level = 0
    outline = ppr.find(qn("outlineLvl")) if ppr is not None else None
    outline_level = int(w_attr(outline) or 9) if outline is not None else 9
    if outline_level < 6:
        level = outline_level + 1
    elif style_id:
        level = _style_level(numbering.styles.get(style_id), numbering)
    return ("#" * level + " " if level else "") + label + text


def _table(tbl, numbering: Numbering) -> list[str]:
    rows = []
    for tr in tbl.iter(qn("tr")):
        if tr.getparent() is not tbl:
            continue
        cells = []
        for tc in tr.findall(qn("tc")):
            parts = []
            for child in tc:
                if child.tag == qn("p"):
                    parts.append(_paragraph(child, numbering).lstrip("# "))
                elif child.tag == qn("tbl"):
                    parts.extend(_table(child, numbering))
            merged = tc.find(f"{qn('tcPr')}/{qn('vMerge')}")
            if merged is not None and w_attr(merged) != "restart":
                parts = []
            cells.append(" ".join(p for p in parts if p).replace("|", "｜").replace("\n", " "))
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def _blocks(container, numbering: Numbering) -> list[str]:
    out = []
    for child in container:
        if child.tag == qn("p"):
            text = _paragraph(child, numbering)
            if text:
                out.append(text)
        elif child.tag == qn("tbl"):
            rows = _table(child, numbering)
            if rows:
                out.append("\n".join(rows))
        elif child.tag in (qn("sdt"), qn("customXml")):
            content = child.find(qn("sdtContent"))
            out.extend(_blocks(content if content is not None else child, numbering))
    return out


def docx_to_text(data: bytes, *, path: str = "<docx>") -> Extracted:
    """Paragraphs and table rows of a Word document in order, list numbers rendered into the text."""
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors for broken files
        raise IngestError.bad_document(path, "DOCX", f"{type(exc).__name__}: {exc}"[:120]) from None
    part = document.part
    numbering_el = None
    try:
        for rel in part.rels.values():
            if rel.reltype.endswith("/numbering") and not rel.is_external:
                numbering_el = rel.target_part.element
    except Exception:  # a broken numbering part only loses the numbers
        numbering_el = None
    styles_el = document.styles.element if document.styles is not None else None
    numbering = Numbering(numbering_el, styles_el)
    blocks = _blocks(document.element.body, numbering)
    text = PARAGRAPH_BREAK.join(blocks)
    return Extracted(text + "\n" if text else "")


def read_docx(path: str, data: bytes) -> SourceText:
    """The text of a Word document's bytes."""
    return extracted_source(path, docx_to_text(data, path=path), DOCX_MEDIA_TYPE)


register(DOCX_MEDIA_TYPE, (".docx",), read_docx, max_bytes=256 * 2**20)
