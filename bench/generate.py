"""Synthetic corpora shaped like the real documents in corpus/, for benchmarks.

    python -m bench.generate --docs 1000 --seed 1 --out bench/.work/corpus-1000

Every document is a recombination of the measures of the five real documents (split into a title
and sentences by :func:`kg.pipeline.structure.analyse_structure`), issued by a random provincial or city
federation from ontology/places.ttl (X省总工会 / X市总工会), with the real documents' place names
replaced by the issuer's, numbers varied (values, units, 万), programme names from
ontology/programme_scheme.ttl added, one of the numbering styles the structure stage recognises
(（一）, 1., 一是, ①, **1 …**, ## 一、 sections) and noise: lines broken inside sentences,
full-width digits, traditional characters (OpenCC s2t), web boilerplate, repeated paragraphs and
GBK-encoded files. About a third of the documents are such numbered plans; a few are reports (###
sections, no numbered measures); the rest are in the other genres of the field (:mod:`bench.genres`: news
reports, notices with articles, public-account posts, interviews, text tables, attachments, plans with a
保障措施 section, work reports, mirror-site copies).

Document `i` is drawn from its own random stream seeded with (seed, i), so a corpus of 100 documents
is the first 100 documents of the corpus of 1,000 with the same seed, and the same seed always gives a
byte-identical corpus (for the same corpus/ and ontology/ files). What each document should yield —
its genre, kind, numbering style, number of measures, announced count, jurisdiction, issuer, encoding,
noise — is written to
``OUT/.manifest.json`` (a dot-file, so `kg build OUT` passes over it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from bench.genres import FIELD_GENRE, GENRE_WEIGHTS, GENRES, Scene, add_pinyin, cn_numeral, write_genre

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ONTOLOGY = ROOT / "ontology"
MANIFEST = ".manifest.json"
GENERATOR_VERSION = 2

STYLES = ("cn_paren", "arabic", "cn_shi", "circled", "arabic_bold", "sections")
_STYLE_WEIGHTS = (3, 3, 2, 1, 1, 2)
_CIRCLED = "".join(chr(0x2460 + i) for i in range(20))
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_NUMBERED_START = re.compile(r"^\s*([一二三四五六七八九十]+\s*[是、.]|[（(]|\d|[\u2460-\u2473]|第|[*#])")
_NUMBER = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(\s*)(万|亿)?(?=\s*(?:个|家|人次|人|场次|场|名|所|元|项|期|次|户|件|支|批|座|间|处))"
)
_SOURCE_PLACES = (("四川省", "四川"), ("重庆市", "重庆"), ("陕西省", "陕西"), ("云南省", "云南"))
_TITLE_MODIFIERS = ("持续", "全面", "着力", "扎实", "深入", "大力")
_SECTION_TITLES = (
    "助力经济高质量发展方面",
    "服务职工群众方面",
    "维护职工合法权益方面",
    "深化产业工人队伍建设改革方面",
    "加强工会自身建设方面",
    "推进基层工会规范化建设方面",
    "提升干部作风能力方面",
)
_TITLE_TEMPLATES = (
    "{issuer}助力经济发展“开门红”{cn_n}条措施",
    "{issuer}服务高质量发展{n}条举措",
    "{issuer}关于进一步做好职工服务工作的{cn_n}条措施",
    "{issuer}贯彻落实“三个年”活动{n}条措施",
    "{issuer}深化产业工人队伍建设改革实施方案",
    "{issuer}关于加强新就业形态劳动者权益保障的意见",
    "{issuer}出台{cn_n}条举措服务发展大局",
)
_REPORT_TITLES = ("{short}工会{year}年工作回眸", "{issuer}五年工作综述", "{short}工会{year}年工作报告")
_PREAMBLES = (
    "为深入学习贯彻党的二十大精神，认真落实{province}委经济工作会议部署，结合{short}工会工作实际，制定{n}条具体措施，"
    "团结动员全{level}广大职工建功新时代。",
    "为贯彻落实{province}委{province_short}政府决策部署，确保{short}工会工作围绕中心、服务大局，高标准起步、"
    "高质量开局，制定本工作措施。",
    "近日，{issuer}印发《{title}》，从{n}个方面提出具体举措，把更多资源和手段向职工群众倾斜、向基层一线延伸。",
)
_PROGRAMME_SENTENCES = (
    "深入开展“{p}”活动，扩大覆盖面和影响力。",
    "持续打造“{p}”工作品牌。",
    "把“{p}”纳入年度重点工作，加强督促检查。",
)
_SIGNED = ("plan", "report", "table", "plan-safeguards", "work-report")  # genres that may end with a signature
_COLUMNS = ("要闻", "工会动态", "通知公告", "政策文件", "基层动态")
_EDITORS = ("张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆")


@dataclass(frozen=True)
class Place:
    iri: str
    label: str
    short: str
    abbreviation: str
    province: str | None  # IRI of the province of a city


@dataclass(frozen=True)
class Material:
    """What documents are made of: real measures and paragraphs, places, programme labels."""

    measures: tuple[tuple[str, tuple[str, ...]], ...]  # (title, sentences)
    report_paragraphs: tuple[str, ...]
    report_headings: tuple[str, ...]
    provinces: tuple[Place, ...]
    cities: tuple[Place, ...]
    programmes: tuple[str, ...]


@dataclass
class DocSpec:
    """What one generated document is and what the pipeline should find in it."""

    file: str
    index: int
    kind: str
    style: str | None
    measures: int
    sections: int
    jurisdiction: str
    city: str | None
    issuer: str
    encoding: str
    noise: list[str] = field(default_factory=list)
    bytes: int = 0
    genre: str = "plan"  # a genre of bench.genres.GENRES
    field_genre: str = "plan"  # the genre of the field (ontology/genres.ttl) it belongs to
    announced: int | None = None  # the count its title or lead announces (十项举措 -> 10)
    base: str | None = None  # the genre a mirror copy copies


def _sentences(text: str) -> tuple[str, ...]:
    text = re.sub(r"\s*\n\s*", "", text).strip(" \t。*")
    parts = [s.strip() for s in re.findall(r"[^。；！？]+[。；！？]?", text)]
    return tuple(s if s[-1] in "。；！？" else s + "。" for s in parts if len(s) >= 8)


@lru_cache(maxsize=4)
def load_material(corpus: Path = CORPUS, ontology: Path = ONTOLOGY) -> Material:
    """Measures and paragraphs of the real corpus, places and programme labels of the ontology."""
    from rdflib import RDF, SKOS, Graph, Namespace, URIRef

    from kg.pipeline.structure import analyse_structure

    ukg = Namespace("https://w3id.org/unionkg/ns#")
    schema = Namespace("https://schema.org/")
    measures, paragraphs, headings = [], [], []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        st = analyse_structure(text)
        for m in st.measures:
            title = m.title.strip(" *。")
            sentences = _sentences(text[m.title_end : m.end])
            if title and sentences and not _NUMBERED_START.match(title):
                measures.append((title, sentences))
        if not st.measures:
            headings.extend(s.title for s in st.sections)
            for line in text.splitlines():
                line = line.strip()
                if len(line) >= 60 and not _NUMBERED_START.match(line) and line[-1] in "。…":
                    if not re.match(r"[\u4e00-\u9fff]{1,3}[、，,]", line):  # not a line cut inside a sentence
                        paragraphs.append(line)

    g = Graph()
    g.parse(ontology / "places.ttl", format="turtle")

    def zh(node, prop) -> list[str]:
        return sorted(str(o) for o in g.objects(node, prop) if getattr(o, "language", None) == "zh")

    provinces, cities = [], []
    for node in sorted(set(g.subjects(RDF.type, ukg.Province)) | set(g.subjects(RDF.type, ukg.City)), key=str):
        code = str(g.value(node, ukg.adminCode) or "")
        if code[:2] in ("71", "81", "82"):  # Taiwan, Hong Kong, Macao: no federation of the ACFTU
            continue
        labels = zh(node, SKOS.prefLabel)
        if not labels:
            continue
        alts = [a for a in zh(node, SKOS.altLabel) if len(a) >= 2]
        label = labels[0]
        short = min(alts, key=lambda a: (len(a), a)) if alts else re.sub(r"(省|市|自治区|地区|盟)$", "", label)
        abbr = (zh(node, ukg.abbreviation) or [label[0]])[0]
        parent = g.value(node, schema.containedInPlace)
        is_city = (node, RDF.type, ukg.City) in g
        place = Place(str(node), label, short, abbr, str(parent) if is_city and parent is not None else None)
        (cities if is_city else provinces).append(place)
    cities = [c for c in cities if c.province and c.label.endswith("市")]

    p = Graph()
    p.parse(ontology / "programme_scheme.ttl", format="turtle")
    programmes = sorted(
        {
            str(o)
            for s in p.subjects(RDF.type, ukg.Programme)
            for o in p.objects(URIRef(s), SKOS.prefLabel)
            if getattr(o, "language", None) == "zh" and 2 <= len(str(o)) <= 12
        }
    )
    return Material(
        tuple(measures),
        tuple(dict.fromkeys(paragraphs)),
        tuple(headings),
        tuple(provinces),
        tuple(cities),
        tuple(programmes),
    )


def _relocate(text: str, province: Place) -> str:
    """Replace the real documents' provinces by the generated document's."""
    for full, short in _SOURCE_PLACES:
        text = text.replace(full, province.label).replace(short, province.short)
    return text


def _vary_number(m: re.Match, rng: random.Random) -> str:
    raw, space, wan = m.group(1), m.group(2), m.group(3) or ""
    value = float(raw)
    factor = rng.choice((0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0))
    new = value * factor
    if wan == "" and new >= 10000 and rng.random() < 0.5:
        return f"{new / 10000:.1f}".rstrip("0").rstrip(".") + space + "万"
    if wan == "万" and new < 10 and rng.random() < 0.3:
        return f"{round(new * 10000)}{space}"
    if "." in raw or (wan and new < 100):
        text = f"{new:.1f}".rstrip("0").rstrip(".")
    elif new >= 100:
        digits = len(str(int(new))) - 2
        text = str(int(round(new, -digits)))
    else:
        text = str(max(1, round(new)))
    return f"{text}{space}{wan}"


def _vary_numbers(text: str, rng: random.Random) -> str:
    return _NUMBER.sub(lambda m: _vary_number(m, rng), text)


def _break_line(line: str, rng: random.Random) -> str:
    """Cut a long line inside a sentence, as text copied out of a PDF is."""
    spots = [
        i
        for i in range(40, len(line) - 3)
        if re.match(r"[\u4e00-\u9fff]", line[i - 1])
        and re.match(r"[\u4e00-\u9fff]{2}", line[i : i + 2])
        and line[i] not in "一二三四五六七八九十两第"
        and line[i + 1] != "是"
    ]
    if not spots:
        return line
    i = rng.choice(spots)
    return line[:i] + rng.choice(("\n\n", "\n")) + line[i:]


def _marker(style: str, i: int, title: str, body: str, rng: random.Random, dot: str) -> str:
    if style == "cn_paren":
        return f"（{cn_numeral(i)}）{title}。{body}"
    if style in ("arabic", "sections"):
        return f"{i}{dot}{title}。{body}"
    if style == "cn_shi":
        return f"{cn_numeral(i)}是{title}\n\n{body}"
    if style == "circled":
        return f"**{_CIRCLED[i - 1]} {title}** {body}"
    if style == "arabic_bold":
        return f"**{i} {title}** {body}"
    raise ValueError(style)


def _summary_line(style: str, i: int, title: str, dot: str) -> str:
    return {
        "cn_paren": f"（{cn_numeral(i)}）{title}",
        "arabic": f"{i}{dot}{title}",
        "cn_shi": f"{cn_numeral(i)}是{title}",
        "circled": f"**{_CIRCLED[i - 1]} {title}**",
        "arabic_bold": f"**{i} {title}**",
    }[style]


def generate_document(index: int, seed: int, material: Material | None = None) -> tuple[bytes, DocSpec]:
    """Document number `index` of the corpus with `seed`: its bytes and what it should yield."""
    mat = material or load_material()
    rng = random.Random(f"unionkg-bench:{seed}:{index}")
    province = rng.choice(mat.provinces)
    own_cities = [c for c in mat.cities if c.province == province.iri]
    city = rng.choice(own_cities) if own_cities and rng.random() < 0.3 else None
    issuer_place = city or province
    issuer = f"{issuer_place.label}总工会"
    year = rng.randint(2019, 2025)
    level = "市" if city or province.label.endswith("市") else "省"
    noise: list[str] = []
    genre = rng.choices(GENRES, weights=GENRE_WEIGHTS)[0]
    kind = "report" if FIELD_GENRE[genre] == "work-report" else "measures"
    announced: int | None = None
    base: str | None = None

    def body_for(title_idx: int) -> str:
        own = mat.measures[title_idx][1]
        k = rng.randint(1, len(own))
        sentences = list(own[:k])
        for _ in range(rng.randint(0, 3)):
            other = mat.measures[rng.randrange(len(mat.measures))][1]
            sentences.append(rng.choice(other))
        if rng.random() < 0.4:
            sentences.insert(
                rng.randint(0, len(sentences)), rng.choice(_PROGRAMME_SENTENCES).format(p=rng.choice(mat.programmes))
            )
        return _vary_numbers(_relocate("".join(sentences), province), rng)

    def measures_for(n: int) -> list[tuple[str, str]]:
        picks = rng.sample(range(len(mat.measures)), n)
        titles = [_relocate(mat.measures[k][0], province) for k in picks]
        return [(t, body_for(k)) for t, k in zip(titles, picks, strict=True)]

    def paragraph() -> str:
        return _vary_numbers(_relocate(rng.choice(mat.report_paragraphs), province), rng)

    def heading() -> str:
        if rng.random() < 0.5:
            return _relocate(rng.choice(mat.report_headings), province)
        title = _relocate(mat.measures[rng.randrange(len(mat.measures))][0], province)
        return title + rng.choice(("取得新成效", "持续深化", "成效明显"))

    lines: list[str] = []
    boilerplate = rng.random() < 0.3 and genre in ("plan", "report")
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    style: str | None = None
    if genre not in ("plan", "report"):
        scene = Scene(
            rng, issuer, issuer_place.short, province.short, year, month, day, measures_for, paragraph, heading
        )
        written = write_genre(genre, scene)
        lines, n, n_sections, announced, base = written.lines, written.measures, 0, written.announced, written.base
        noise += written.noise
    elif genre == "report":
        style, n, n_sections = None, 0, rng.randint(3, 6)
        title = rng.choice(_REPORT_TITLES).format(short=issuer_place.short, issuer=issuer, year=year)
        if boilerplate:
            noise.append("boilerplate")
            lines += [
                f"首页 / {rng.choice(_COLUMNS)} / {title}",
                f"来源：{issuer}",
                f"{year}.{month:02d}.{day:02d} 10:3{index % 10}",
            ]
        lines += ["# 奋进新征程 建功新时代", f"## ——{title}", f"本报记者 {rng.choice(_EDITORS)}"]
        lines.append(_relocate(rng.choice(mat.report_paragraphs), province))
        for j in range(n_sections):
            heading = _relocate(rng.choice(mat.report_headings), province)
            lines.append(f"### {heading}")
            for _ in range(rng.randint(2, 4)):
                para = (
                    rng.choice(mat.report_paragraphs)
                    if rng.random() < 0.6
                    else body_for(rng.randrange(len(mat.measures)))
                )
                lines.append(_vary_numbers(_relocate(para, province), rng))
            if j == 0 and rng.random() < 0.3:
                noise.append("broken_lines")
                lines[-1] = _break_line(lines[-1], rng)
    else:
        style = rng.choices(STYLES, weights=_STYLE_WEIGHTS)[0]
        n = rng.randint(6, 15)
        n_sections = 0
        picks = rng.sample(range(len(mat.measures)), n)
        titles = []
        for k in picks:
            t = _relocate(mat.measures[k][0], province)
            if rng.random() < 0.3 and not t.startswith(_TITLE_MODIFIERS):
                t = rng.choice(_TITLE_MODIFIERS) + t
            titles.append(t)
        bodies = [body_for(k) for k in picks]
        template = rng.choice(_TITLE_TEMPLATES)
        title = template.format(issuer=issuer, n=n, cn_n=cn_numeral(n))
        if "{n}" in template or "{cn_n}" in template:
            announced = n
        identifier = f"{province.abbreviation}工发〔{year}〕{rng.randint(1, 60)}号" if rng.random() < 0.4 else None
        if boilerplate:
            noise.append("boilerplate")
            lines += [
                f"首页 / {rng.choice(_COLUMNS)} / {title}",
                f"来源：{issuer}　　发布时间：{year}-{month:02d}-{day:02d}",
                "字号：大 中 小",
            ]
        if identifier and rng.random() < 0.6:
            lines += [f"# {issuer}文件", identifier]
        elif identifier:
            lines.append(identifier)
        lines.append(f"# {title}" if rng.random() < 0.5 else title)
        preamble_template = rng.choice(_PREAMBLES)
        if preamble_template is _PREAMBLES[0]:  # 制定{n}条具体措施
            announced = n
        preamble = preamble_template.format(
            province=province.label,
            province_short=province.short,
            short=issuer_place.short,
            level=level,
            n=n,
            issuer=issuer,
            title=title,
        )
        lines.append(preamble)
        dot = rng.choice((".", ".", "．", "、"))
        if style != "sections" and rng.random() < 0.12:
            noise.append("restated_list")
            lines.append("主要内容如下：")
            lines += [_summary_line(style, i + 1, t, dot) for i, t in enumerate(titles)]
        if style == "sections":
            n_sections = rng.randint(2, min(4, n // 2))
            cuts = sorted(rng.sample(range(2, n - 1), n_sections - 1)) if n_sections > 1 else []
            bounds = [0, *cuts, n]
            while any(b - a < 2 for a, b in itertools.pairwise(bounds)):
                n_sections -= 1
                cuts = sorted(rng.sample(range(2, n - 1), n_sections - 1)) if n_sections > 1 else []
                bounds = [0, *cuts, n]
            restart = rng.random() < 0.4
            section_titles = rng.sample(_SECTION_TITLES, n_sections)
            for j in range(n_sections):
                lines.append(f"## {cn_numeral(j + 1)}、{section_titles[j]}")
                for i in range(bounds[j], bounds[j + 1]):
                    if restart:
                        lines.append(_marker("cn_paren", i - bounds[j] + 1, titles[i], bodies[i], rng, dot))
                    else:
                        lines.append(_marker("sections", i + 1, titles[i], bodies[i], rng, dot))
            if n_sections < 2:
                n_sections = 0  # a single 一、 heading is not a list of sections
        else:
            for i in range(n):
                lines.append(_marker(style, i + 1, titles[i], bodies[i], rng, dot))
        if rng.random() < 0.3:
            noise.append("broken_lines")
            measure_lines = [i for i, ln in enumerate(lines) if len(ln) > 80 and "\n" not in ln]
            for i in rng.sample(measure_lines, min(len(measure_lines), rng.randint(1, 3))):
                lines[i] = _break_line(lines[i], rng)
    if rng.random() < 0.15 and genre in ("plan", "report"):
        noise.append("repeated_paragraph")
        long_sentences = [s for ln in lines for s in re.findall(r"[^。\n]{30,}。", ln)]
        if long_sentences:
            lines.append(rng.choice(long_sentences))
    if rng.random() < 0.6 and genre in _SIGNED:
        lines += [issuer, f"{year}年{month}月{day}日"]
    if boilerplate:
        lines += [
            f"责任编辑：{rng.choice(_EDITORS)}",
            "分享到：",
            f"上一篇：{issuer}召开全委会议",
            "下一篇：职工书屋建设推进会召开",
        ]

    text = "\n\n".join(lines) + "\n"
    if rng.random() < 0.3:
        noise.append("spaced_numbers")
        text = re.sub(r"(?<=[\u4e00-\u9fff])(\d+)(?=[\u4e00-\u9fff])", r" \1 ", text)
    if rng.random() < 0.15:
        noise.append("full_width_digits")
        text = text.translate(_FULL_WIDTH)
    if rng.random() < 0.1 or "pinyin" in noise:
        noise.append("traditional")
        text = _s2t(text)
    if "pinyin" in noise:
        text = add_pinyin(text, rng)
    encoding = "utf-8"
    if rng.random() < 0.1:
        encoding = "gbk"
        try:
            data = text.encode("gbk")
        except UnicodeEncodeError:
            encoding, data = "gb18030", text.encode("gb18030")
    else:
        data = text.encode("utf-8")
    spec = DocSpec(
        file=f"{index:05d}_{issuer_place.iri.rsplit('/', 1)[-1]}.txt",
        index=index,
        kind=kind,
        style=style,
        measures=n,
        sections=n_sections,
        jurisdiction=province.iri,
        city=city.iri if city else None,
        issuer=issuer,
        encoding=encoding,
        noise=noise,
        bytes=len(data),
        genre=genre,
        field_genre=FIELD_GENRE[genre],
        announced=announced,
        base=base,
    )
    return data, spec


@lru_cache(maxsize=1)
def _s2t_converter():
    import opencc

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return _s2t_converter().convert(text)


def generate_corpus(docs: int, seed: int, out: Path) -> list[DocSpec]:
    """Write `docs` documents into `out` (emptied first if it holds an earlier generated corpus)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():
            raise SystemExit(f"{out}: not empty and not a generated corpus (no {MANIFEST}); refusing to overwrite")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    material = load_material()
    specs = []
    for i in range(docs):
        data, spec = generate_document(i, seed, material)
        (out / spec.file).write_bytes(data)
        specs.append(spec)
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "docs": docs,
        "bytes": sum(s.bytes for s in specs),
        "documents": [asdict(s) for s in specs],
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return specs


def read_manifest(folder: Path) -> dict:
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents (10, 100, 1000, 10000 …)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced if generated before)")
    args = parser.parse_args(argv)
    specs = generate_corpus(args.docs, args.seed, args.out)
    size = sum(s.bytes for s in specs)
    print(f"wrote {len(specs)} documents ({size / 1e6:.1f} MB) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
