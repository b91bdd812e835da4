"""PDF, DOCX and saved HTML pages go through the pipeline as cleanly as the plain-text seeds.

Every fixture is generated here from a corpus seed (see tests/data/README.md): PDFs with reportlab
and the WenQuanYi Zen Hei font (Debian `fonts-wqy-zenhei`), Word files with python-docx using real
Word numbering (numbering.xml), and a saved news page with navigation, related links, comments,
a disclaimer and a footer around the article.
"""

from __future__ import annotations

import html
import json
import re
import socket
from functools import cache
from pathlib import Path

import pytest

from kg.errors import IngestError
from kg.ingest import (
    DOCX_MEDIA_TYPE,
    SUPPORTED_SUFFIXES,
    docx_to_text,
    format_number,
    html_extract,
    page_of,
    pdf_to_text,
    read_source,
)
from kg.pipeline.components import process_file
from kg.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
SICHUAN = "000"  # 12 measures, （一） numbering
SHAANXI = "003"  # 15 measures in three 一、 sections
YUNNAN = "004"  # a news page saved as text, with web boilerplate

HEADERS = {SICHUAN: "四川省总工会文件", SHAANXI: "陕西省总工会“三个年”活动文件汇编"}
FOOTERS = {SICHUAN: "四川省总工会办公室 2023年2月10日印发", SHAANXI: "陕西省总工会办公室 2023年3月6日印发"}


def seed_path(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def seed_paragraphs(text: str) -> list[tuple[int, str]]:
    """(markdown heading level, text) of every non-empty line of a seed."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        m = re.match(r"^(#+)\s*", line)
        out.append((len(m.group(1)), line[m.end() :]) if m else (0, line))
    return out


# ------------------------------------------------------------------------------------------- PDFs


NO_FONT = "no TrueType CJK font to typeset the PDFs; run `make system-deps` (installs fonts-wqy-zenhei)"


@cache
def _font_name() -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in FONT_PATHS:
        if path.exists():
            pdfmetrics.registerFont(TTFont("CJK", str(path), subfontIndex=0))
            return "CJK"
    return None


def _cjk_font() -> str:
    font = _font_name()
    if font is None:
        pytest.skip(NO_FONT)
    return font


_NO_LINE_START = set("，。、；：？！）》”’」』,.;:?!)")


def _wrap(text: str, width: float, size: float, indent: float) -> list[str]:
    """Lines of a paragraph as a word processor sets them: ASCII words kept whole, spaces and
    closing punctuation hanging at the line end, first line indented."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, cur = [], ""
    for tok in re.findall(r"[A-Za-z0-9.%]+|\s|.", text):
        avail = width - (indent if not lines else 0)
        if cur and stringWidth(cur + tok, "CJK", size) > avail and not tok.isspace() and tok not in _NO_LINE_START:
            lines.append(cur)
            cur = ""
        cur += tok
    if cur:
        lines.append(cur)
    return lines


def make_pdf(path: Path, text: str, *, columns: int = 1, header: str = "", footer: str = "", label=None) -> list[str]:
    """A typeset PDF of a seed; returns the body text set on each page, in reading order."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    width, height = A4
    margin, gutter, size = 64, 28, 10.5
    col_w = (width - 2 * margin - gutter * (columns - 1)) / columns
    top, bottom = height - margin - 24, margin + 20
    c = canvas.Canvas(str(path), pagesize=A4)
    page, col, y = 1, 0, top
    drawn = [""]

    def decorate() -> None:
        c.setFont(font, 9)
        if header:
            c.drawCentredString(width / 2, height - margin + 6, header)
            c.line(margin, height - margin + 2, width - margin, height - margin + 2)
        if footer:
            c.drawString(margin, margin - 12, footer)
        if label:
            c.drawCentredString(width / 2, margin - 30, label(page))

    decorate()
    for level, para in seed_paragraphs(text):
        fsize = size + (5 if level == 1 else 1.5 if level else 0)
        centred = level == 1
        indent = 0 if level else 2 * fsize
        for i, line in enumerate(_wrap(para, col_w, fsize, indent)):
            if y < bottom:
                col, y = col + 1, top
                if col >= columns:
                    c.showPage()
                    page, col = page + 1, 0
                    drawn.append("")
                    decorate()
            x = margin + col * (col_w + gutter)
            c.setFont(font, fsize)
            if centred:
                c.drawCentredString(x + col_w / 2, y, line.strip())
            else:
                c.drawString(x + (indent if i == 0 else 0), y, line)
            drawn[-1] += line
            y -= fsize * 1.6
        y -= size * 0.9
    c.save()
    return drawn


def make_scanned_pdf(path: Path) -> None:
    """An image-only PDF: a 'photographed page' of grey text bars and a stamp, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (600, 840), 250)
    draw = ImageDraw.Draw(img)
    for row in range(60, 780, 26):
        draw.rectangle((60, row, 540 if row % 130 else 300, row + 12), fill=40)
    draw.ellipse((380, 660, 520, 800), outline=120, width=6)
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.drawImage(ImageReader(img), 30, 40, width=535, height=760)
        c.rect(20, 20, 555, 800)
        c.showPage()
    c.save()


# ------------------------------------------------------------------------------------------- DOCX

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

#: seed -> (list levels: (numFmt, lvlText, suffix, lvlRestart), line pattern -> level)
DOCX_LISTS = {
    SICHUAN: ([("chineseCounting", "（%1）", "nothing", None)], [(r"^（[一二三四五六七八九十]+）", 0)]),
    SHAANXI: (
        [("chineseCounting", "%1、", "nothing", None), ("decimal", "%2.", "tab", 0)],
        [(r"^[一二三四五六七八九十]+、", 0), (r"^\d{1,2}\.", 1)],
    ),
}


def _level_xml(ilvl: int, fmt: str, text: str, suffix: str, restart: int | None, start: int = 1) -> str:
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{restart_xml}'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="{420 * (ilvl + 1)}"/></w:pPr></w:lvl>'
    )


def add_list(document, levels, *, start_override: dict[int, int] | None = None, abstract_id: int | None = None) -> int:
    """Add a Word list definition (abstractNum + num) to a python-docx document; returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))]
    if abstract_id is None:
        abstract_id = max(abstract_ids, default=0) + 1
        body = "".join(_level_xml(i, *spec) for i, spec in enumerate(levels))
        abstract = parse_xml(
            f'<w:abstractNum {_W_NS} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{body}</w:abstractNum>'
        )
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    num_id = max(num_ids, default=0) + 1
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{val}"/></w:lvlOverride>'
        for lvl, val in (start_override or {}).items()
    )
    numbering.append(
        parse_xml(f'<w:num {_W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>')
    )
    return num_id


def number_paragraph(paragraph, num_id: int, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def make_docx(path: Path, prefix: str) -> None:
    """A Word version of a seed: headings as Heading styles, list numbers generated by Word."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    levels, patterns = DOCX_LISTS[prefix]
    num_id = add_list(document, levels)
    for level, para in seed_paragraphs(seed_text(prefix)):
        ilvl = None
        for pattern, lvl in patterns:
            m = re.match(pattern, para)
            if m:
                para, ilvl = para[m.end() :], lvl
                break
        p = document.add_paragraph(para, style=f"Heading {level}" if level else None)
        if ilvl is not None:
            number_paragraph(p, num_id, ilvl)
    document.save(str(path))


# ------------------------------------------------------------------------------------------- HTML

PAGE_URL = "https://www.zgzj.example.cn/news/2023/0306/art_{prefix}.html"
PAGE_DATE = "2023-03-06"


def make_html(prefix: str) -> str:
    """A saved news page: the seed as the article, surrounded by a real site's furniture."""
    paras = []
    for level, line in seed_paragraphs(seed_text(prefix)):
        if level:
            paras.append(f"<h{level + 1}>{html.escape(line)}</h{level + 1}>")
        else:
            paras.append(f"<p>{html.escape(line)}</p>")
    title = html.escape(next(p for _, p in seed_paragraphs(seed_text(prefix)) if p.endswith("措施")))
    url = PAGE_URL.format(prefix=prefix)
    body = "\n".join(paras)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title} - 职工之家网</title>
<link rel="canonical" href="{url}">
<meta property="og:url" content="{url}">
<meta property="og:title" content="{title}">
<meta name="PubDate" content="{PAGE_DATE} 09:30">
<meta property="article:published_time" content="{PAGE_DATE}T09:30:00+08:00">
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
<style>.nav li {{ display: inline }}</style>
</head><body>
<div class="header"><div class="logo">职工之家网</div>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/news/">要闻</a></li>
<li><a href="/policy/">政策法规</a></li><li><a href="/service/">服务职工</a></li>
<li><a href="/jingsai/">劳动竞赛</a></li><li><a href="/about/">关于我们</a></li></ul></nav></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/news/">要闻</a> &gt; 正文</div>
<div class="main"><article class="article">
<h1 class="title">{title}</h1>
<div class="info"><span>发布时间：{PAGE_DATE} 09:30</span> <span>来源：职工之家网</span>
<span>浏览次数：1024</span> <span class="fontsize">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span></div>
<div class="content" id="content">
{body}
</div>
<div class="share">分享到：<a href="#" class="wechat">微信</a> <a href="#" class="weibo">微博</a>
<a href="#" class="qzone">QQ空间</a> <a href="javascript:window.print()">打印本页</a>
<a href="javascript:window.close()">关闭窗口</a></div>
<div class="editor">责任编辑：王小明</div>
</article>
<div class="related"><h3>相关阅读</h3><ul>
<li><a href="/news/1.html">省总工会召开“安康杯”竞赛推进会 覆盖职工200万人次</a></li>
<li><a href="/news/2.html">“金秋助学”活动资助困难职工子女3000名</a></li>
<li><a href="/news/3.html">全省新建职工书屋500家，“职工书屋”建设再上新台阶</a></li>
<li><a href="/news/4.html">“工会驿站”服务户外劳动者超过80万人次</a></li>
</ul></div>
<div class="comments" id="comments"><h3>网友评论</h3>
<form><textarea placeholder="发表评论"></textarea><button>提交</button></form>
<div class="comment"><span class="user">网友甲</span>：希望多开展“送清凉”活动，每人发放500元消费券！</div>
<div class="comment"><span class="user">网友乙</span>：点赞“金秋助学”和“职工书屋”！</div>
</div>
<div class="disclaimer">免责声明：本网转载的文章仅代表作者观点，与本网无关。如涉及作品内容、版权等问题，
请在30日内与本网联系，我们将在第一时间删除。</div>
</div>
<footer class="footer"><p><a href="/about/">关于我们</a> | <a href="/contact/">联系我们</a> | <a href="/map/">网站地图</a></p>
<p>版权所有 © 2023 职工之家网 京ICP备12345678号-1 京公网安备11010502030001号</p></footer>
</body></html>"""


BOILERPLATE_WORDS = (
    "当前位置",
    "分享到",
    "相关阅读",
    "网友评论",
    "免责声明",
    "版权所有",
    "京ICP备",
    "送清凉",
    "金秋助学活动资助",
)


# --------------------------------------------------------------------------------------- fixtures


#: generated PDF -> the body text set on each of its pages
DRAWN: dict[Path, list[str]] = {}


class _Files(dict):
    """Generated files; asking for a text PDF that could not be typeset skips the test."""

    def __missing__(self, key):
        pytest.skip(NO_FONT)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(seed, variant) -> generated file."""
    folder = tmp_path_factory.mktemp("formats")
    out = _Files()
    for prefix in (SICHUAN, SHAANXI):
        text = seed_text(prefix)
        if _font_name():
            one = folder / f"{prefix}_paged.pdf"
            DRAWN[one] = make_pdf(one, text, header=HEADERS[prefix], footer=FOOTERS[prefix], label=lambda n: f"- {n} -")
            out[prefix, "pdf-paged"] = one
            two = folder / f"{prefix}_columns.pdf"
            DRAWN[two] = make_pdf(two, text, columns=2, header=HEADERS[prefix], label=lambda n: f"第{n}页")
            out[prefix, "pdf-columns"] = two
        doc = folder / f"{prefix}.docx"
        make_docx(doc, prefix)
        out[prefix, "docx"] = doc
        page = folder / f"{prefix}.html"
        page.write_text(make_html(prefix), encoding="utf-8")
        out[prefix, "html"] = page
    scan = folder / "scan.pdf"
    make_scanned_pdf(scan)
    out["scan", "pdf"] = scan
    return out


@cache
def _record(path: Path):
    return process_file(path)


def summary(rec) -> tuple[list[str], set[str], set[tuple]]:
    titles = [m["title"] for m in rec.measures]
    programmes = {m["label"] for m in rec.mentions if m["type"] == "programme"}
    quantities = {(q["value"], q["unit"]) for q in rec.quantities}
    return titles, programmes, quantities


VARIANTS = [(p, v) for p in (SICHUAN, SHAANXI) for v in ("pdf-paged", "pdf-columns", "docx", "html")]


@pytest.mark.parametrize(("prefix", "variant"), VARIANTS, ids=[f"{p}-{v}" for p, v in VARIANTS])
def test_format_gives_the_same_facts_as_the_text_seed(fixtures, prefix, variant):
    want_titles, want_programmes, want_quantities = summary(_record(seed_path(prefix)))
    rec = _record(fixtures[prefix, variant])
    titles, programmes, quantities = summary(rec)
    assert len(want_titles) == {SICHUAN: 12, SHAANXI: 15}[prefix]
    assert titles == want_titles
    assert programmes == want_programmes
    assert len(quantities ^ want_quantities) <= 0.05 * len(want_quantities), quantities ^ want_quantities
    # offsets and quotes point into the extracted text
    for item in (*rec.mentions, *rec.quantities):
        assert rec.text[item["start"] : item["end"]] == item["text"]


# -------------------------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("variant", ["pdf-paged", "pdf-columns"])
def test_pdf_drops_running_headers_footers_and_page_numbers(fixtures, variant):
    data = fixtures[SICHUAN, variant].read_bytes()
    out = pdf_to_text(data)
    assert HEADERS[SICHUAN] not in out.text
    assert FOOTERS[SICHUAN] not in out.text
    assert not re.search(r"^\s*(?:-\s*\d+\s*-|第\d+页)\s*$", out.text, re.M)
    # lines broken at line, column and page ends are joined back into the seed's sentences
    for line in (ln.strip() for ln in seed_text(SICHUAN).splitlines()):
        if len(line) > 20:
            assert line.replace(" ", "") in out.text.replace(" ", ""), line[:30]


def test_two_column_pdf_reads_column_by_column(fixtures):
    text = pdf_to_text(fixtures[SHAANXI, "pdf-columns"].read_bytes()).text
    starts = [text.index(f"{n}.") for n in (1, 2, 3, 4)] + [text.index(f"{n}.", text.index("4.")) for n in (5, 6)]
    assert starts == sorted(starts)
    assert "9.加强职工权益保障。开展“尊法守法·携手筑梦”服务农" in text


@pytest.mark.parametrize("variant", ["pdf-paged", "pdf-columns"])
def test_pdf_pages_are_recorded_and_cited(fixtures, variant):
    path = fixtures[SHAANXI, variant]
    rec = _record(path)
    per_page = [re.sub(r"\s+", "", page) for page in DRAWN[path]]
    assert len(rec.pages) == len(per_page) >= 2
    assert rec.pages[0] == 0 and list(rec.pages) == sorted(rec.pages)
    assert all(q["page"] == page_of(rec.pages, q["start"]) for q in rec.quantities)
    later = [m for m in rec.mentions if m["page"] > 1]
    assert later, "some mentions are on later pages"
    bounds = [*rec.pages[1:], len(rec.text)]
    for men in (*rec.mentions, *rec.quantities):
        if men["end"] <= bounds[men["page"] - 1]:  # not broken across a page end
            assert re.sub(r"\s+", "", men["text"]) in per_page[men["page"] - 1], men
    assert {m["page"] for m in rec.measures} == set(range(1, len(per_page) + 1))
    payload = rec.to_json()
    assert payload["pages"] == list(rec.pages)
    txt = _record(seed_path(SHAANXI)).to_json()
    assert "pages" not in txt and all("page" not in m for m in txt["mentions"])


def test_single_column_page_with_signature_keeps_its_order(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    path = tmp_path / "signed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 12)
    rows = [
        (72, "附件"),
        (72, "一、目标"),
        (96, "全年开展劳动竞赛不少于 100 场，覆盖职工 50 万人次。"),
        (72, "二、措施"),
        (96, "推进“职工书屋”建设。"),
        (380, "四川省总工会"),
        (72, "三、附则"),
        (380, "2023年2月10日"),
        (72, "（此件公开发布）"),
        (380, "（盖章）"),
    ]
    y = 760
    for x, line in rows:
        c.drawString(x, y, line)
        y -= 24
    c.save()
    text = pdf_to_text(path.read_bytes()).text
    order = [text.index(line.strip()) for _, line in rows]
    assert order == sorted(order), text


def test_letter_spaced_lines_are_not_spread_out(tmp_path):
    """Justified Chinese text is letter-spaced; pdfminer then puts a space between every character."""
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    path = tmp_path / "justified.pdf"
    c = canvas.Canvas(str(path))
    for i, space in enumerate((0, 2.5)):
        text = c.beginText(72, 700 - 30 * i)
        text.setFont(font, 10.5)
        text.setCharSpace(space)
        text.textLine("开展“安康杯”竞赛活动，覆盖职工 100 万人次。")
        c.drawText(text)
    c.save()
    lines = [ln for ln in pdf_to_text(path.read_bytes()).text.splitlines() if ln]
    assert lines == ["开展“安康杯”竞赛活动，覆盖职工 100 万人次。"] * 2


def test_scanned_pdf_needs_ocr(fixtures):
    with pytest.raises(IngestError, match=r"scan\.pdf: .*needs OCR") as err:
        read_source(fixtures["scan", "pdf"])
    assert "\n" not in str(err.value)


def test_damaged_pdf_and_docx_are_one_line_errors(tmp_path):
    for name, data, kind in (("bad.pdf", b"%PDF-1.4\nnot really", "PDF"), ("bad.docx", b"PK\x03\x04junk", "DOCX")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(IngestError, match=rf"bad\.{kind.lower()}: (cannot read as {kind}|.*needs OCR)") as err:
            read_source(path)
        assert "\n" not in str(err.value)


@pytest.mark.slow
def test_build_reports_the_scan_and_builds_the_rest(fixtures, tmp_path):
    from kg.namespaces import document_slug
    from kg.run import run_build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = corpus / seed_path(SICHUAN).name
    good.write_bytes(seed_path(SICHUAN).read_bytes())
    (corpus / "scanned.pdf").write_bytes(fixtures["scan", "pdf"].read_bytes())
    report = run_build(corpus, tmp_path / "out")
    assert report.documents == 1
    assert len(report.problems) == 1
    assert "scanned.pdf" in report.problems[0] and "OCR" in report.problems[0]
    rec = json.loads((tmp_path / "out" / "extract.jsonl").read_text(encoding="utf-8"))
    saved = tmp_path / "out" / "text" / f"{document_slug(rec['source'], rec['sha256'])}.txt"
    assert saved.read_text(encoding="utf-8") == good.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------- DOCX


def test_docx_renders_word_numbering(fixtures):
    text = docx_to_text(fixtures[SHAANXI, "docx"].read_bytes()).text
    assert "## 一、助力高质量项目推进年方面" in text
    assert "### 三、深化干部作风能力提升年方面" in text
    assert "\n5.加大工会经费向基层工会支持力度" in text  # numbering continues across sections
    assert "\n15.从严抓好作风建设" in text
    text = docx_to_text(fixtures[SICHUAN, "docx"].read_bytes()).text
    assert "\n（十二）保障安全护航发展。" in text


def test_docx_numbering_formats_levels_and_tables(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    formats = add_list(
        document,
        [
            ("decimalEnclosedCircle", "%1", "nothing", None),
            ("ideographTraditional", "%2、", "nothing", None),
            ("decimalFullWidth", "%3）", "space", None),
        ],
    )
    chinese = add_list(document, [("chineseCountingThousand", "第%1条", "space", None)])
    restarted = add_list(document, [("chineseCounting", "（%1）", "nothing", None)])
    for text, num, lvl in (
        ("总则", formats, 0),
        ("甲项", formats, 1),
        ("乙项", formats, 1),
        ("细目", formats, 2),
        ("分则", formats, 0),
        ("又一甲项", formats, 1),
    ):
        number_paragraph(document.add_paragraph(text), num, lvl)
    for i in range(12):
        number_paragraph(document.add_paragraph(f"条文{i + 1}"), chinese, 0)
    number_paragraph(document.add_paragraph("第一项"), restarted, 0)
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate((("序号", "项目", "目标"), ("1", "职工书屋", "500家"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("表后段落。")
    path = tmp_path / "lists.docx"
    document.save(str(path))
    lines = [ln for ln in docx_to_text(path.read_bytes()).text.splitlines() if ln]
    assert lines[:6] == ["①总则", "甲、甲项", "乙、乙项", "１）细目", "②分则", "甲、又一甲项"]
    assert lines[6] == "第一条 条文1" and lines[15] == "第十条 条文10" and lines[17] == "第十二条 条文12"
    assert lines[18] == "（一）第一项"
    assert lines[19:22] == ["| 序号 | 项目 | 目标 |", "| 1 | 职工书屋 | 500家 |", "表后段落。"]
    source = read_source(path)
    assert source.media_type == DOCX_MEDIA_TYPE and source.pages == ()


@pytest.mark.parametrize(
    ("n", "fmt", "want"),
    [
        (3, "decimal", "3"),
        (3, "decimalZero", "03"),
        (12, "decimalFullWidth", "１２"),
        (4, "decimalEnclosedCircle", "④"),
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (15, "chineseCounting", "十五"),
        (21, "chineseCountingThousand", "二十一"),
        (105, "chineseCountingThousand", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (12, "ideographDigital", "一二"),
        (4, "chineseLegalSimplified", "肆"),
        (4, "lowerRoman", "iv"),
        (28, "upperLetter", "BB"),
    ],
)
def test_format_number(n, fmt, want):
    assert format_number(n, fmt) == want


# ------------------------------------------------------------------------------------------- HTML


def test_html_keeps_the_article_and_its_metadata(fixtures):
    rec = _record(fixtures[SICHUAN, "html"])
    for word in BOILERPLATE_WORDS:
        assert word not in rec.text
    assert rec.metadata == {"date": PAGE_DATE, "url": PAGE_URL.format(prefix=SICHUAN)}
    assert rec.media_type == "text/html" and rec.to_json()["metadata"]["date"] == PAGE_DATE


def test_html_extraction_works_offline(fixtures, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    out = html_extract(make_html(SHAANXI))
    assert "15.从严抓好作风建设" in out.text and "相关阅读" not in out.text
    assert out.metadata["date"] == PAGE_DATE


def test_html_falls_back_to_plain_reduction(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    out = html_extract("<html><body><div>安康杯</div><div>五小</div><script>x()</script></body></html>")
    assert out.text.split() == ["安康杯", "五小"]


def test_html_fallback_text_is_cleaned_by_the_noise_filter(fixtures, monkeypatch):
    """Without trafilatura's article the whole page's text goes in; menus, bylines, related links
    and footers must still produce no facts."""
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    rec = process_file(fixtures[SHAANXI, "html"])
    assert "相关阅读" in rec.text and "政策法规" in rec.text
    want = summary(_record(seed_path(SHAANXI)))
    got = summary(rec)
    assert got[0] == want[0] and got[1] == want[1] and got[2] == want[2]


def test_noise_filter_knows_menus_but_not_numbered_headings():
    from kg.pipeline.structure import find_noise_spans

    text = (
        "首页\n要闻\n政策法规\n服务职工\n劳动竞赛\n\n一、总则\n二、目标\n三、措施\n四、保障\n\n发布时间：2023-03-06\n"
    )
    noisy = {text[s:e] for s, e in find_noise_spans(text)}
    assert {"首页", "要闻", "政策法规", "服务职工", "劳动竞赛", "发布时间：2023-03-06"} <= noisy
    assert not noisy & {"一、总则", "二、目标", "三、措施", "四、保障"}


# ------------------------------------------------------------------------------------ provenance


def test_graph_keeps_format_hash_page_and_page_metadata(fixtures):
    import hashlib

    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, XSD

    from kg.graph.build import build_dataset
    from kg.namespaces import SCHEMA, UKG

    recs = [
        _record(fixtures[SICHUAN, "pdf-paged"]),
        _record(fixtures[SHAANXI, "docx"]),
        _record(fixtures[SHAANXI, "html"]),
    ]
    ds = build_dataset(recs)
    media = {
        "000_paged.pdf": "application/pdf",
        "003.docx": DOCX_MEDIA_TYPE,
        "003.html": "text/html",
    }
    for rec in recs:
        name = Path(rec.source).name
        doc = next(ds.subjects(UKG.sourceFile, Literal(name)))
        assert (doc, DCTERMS.format, Literal(media[name])) in ds
        digest = hashlib.sha256(Path(rec.source).read_bytes()).hexdigest()
        assert (doc, UKG.sha256, Literal(digest)) in ds
    pdf_doc = next(ds.subjects(UKG.sourceFile, Literal("000_paged.pdf")))
    pages = {int(p) for s, p in ds.subject_objects(UKG.page) if str(s).startswith(str(pdf_doc))}
    assert pages == set(range(1, len(recs[0].pages) + 1))
    html_doc = next(ds.subjects(UKG.sourceFile, Literal("003.html")))
    assert (html_doc, SCHEMA.datePublished, Literal(PAGE_DATE, datatype=XSD.date)) in ds
    assert (html_doc, SCHEMA.url, URIRef(PAGE_URL.format(prefix=SHAANXI))) in ds
    assert not any(str(s).startswith(str(html_doc)) for s, _ in ds.subject_objects(UKG.page))


def test_supported_suffixes_and_plain_text_unchanged():
    assert {".pdf", ".docx", ".html", ".htm", ".txt"} <= set(SUPPORTED_SUFFIXES)
    source = read_source(seed_path(SICHUAN))
    assert source.media_type == "text/plain" and source.pages == () and source.metadata == {}


def test_a_registered_reader_is_used_with_its_limit(tmp_path, monkeypatch):
    from kg.ingest import registry

    monkeypatch.setattr(registry, "_BY_SUFFIX", dict(registry._BY_SUFFIX))
    assert registry.lookup(".PDF").media_type == "application/pdf"
    assert registry.lookup(".kgtest") is None

    def read_upper(path: str, data: bytes):
        return registry.extracted_source(path, registry.Extracted(data.decode().upper()), "text/x-kgtest")

    registry.register("text/x-kgtest", (".KGTEST",), read_upper, max_bytes=8)
    doc = tmp_path / "a.kgtest"
    doc.write_text("abc", encoding="utf-8")
    source = read_source(doc)
    assert (source.text, source.media_type, source.encoding) == ("ABC", "text/x-kgtest", "")
    assert "text/x-kgtest" in {f.media_type for f in registry.formats()} and ".kgtest" in registry.suffixes()
    doc.write_text("abcdefghi", encoding="utf-8")
    with pytest.raises(IngestError, match="too large"):
        read_source(doc)
    with pytest.raises(IngestError, match="empty"):
        read_source(doc, data=b"")


# -------------------------------------------------------------------------------- web boilerplate


def test_yunnan_boilerplate_produces_no_entities():
    from kg.pipeline.structure import find_noise_spans

    rec = _record(seed_path(YUNNAN))
    norm = normalize(rec.text)
    noise = [norm.to_original(s, e) for s, e in find_noise_spans(norm.text)]
    last = max(m["end"] for m in rec.measures)
    tail = rec.text[last:]
    assert "风险提示及免责条款" in tail and "发表评论" in tail
    assert any("文章来源" in rec.text[s:e] for s, e in noise)
    for item in (*rec.mentions, *rec.quantities):
        assert item["start"] < last, item
        assert not any(s <= item["start"] < e for s, e in noise), item
