"""Views: what `kg build` / `kg viz` write into out/views/, and that no document text can become HTML."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, SKOS, Literal, URIRef

from kg.surface.query import load_query, result_rows, run_query
from kg.surface.views import (
    LAYOUT_THRESHOLD,
    comparison_data,
    evidence_sentence,
    heatmap_svg,
    jurisdiction_graph,
    load_view_data,
    overview_facets,
    overview_graph,
    programme_graph,
    read_texts,
    slugify,
    to_pyvis,
    write_views,
)

SICHUAN = "https://w3id.org/unionkg/place/sichuan"
CHONGQING = "https://w3id.org/unionkg/place/chongqing"
ANKANG = "https://w3id.org/unionkg/programme/ankang-cup"
SAFE_HREF = re.compile(
    r"^(index|overview|compare|timeline|(jurisdiction|programme|report)-[a-z0-9_-]+)\.html"
    r"(#a=[a-z0-9_-]+&b=[a-z0-9_-]+|#[a-z0-9_-]+)?$"
)
#: what a page may load from the views folder's shared lib/ (relative to the page), and nothing else
NETWORK_LIB = {"script": ["lib/vis-network.min.js", "lib/view.js"], "stylesheet": ["lib/view.css"]}
INDEX_LIB = {"script": ["lib/index.js"], "stylesheet": ["lib/index.css"]}
#: the brief pages (report-*.html) and timeline.html: a stylesheet, no script at all
BRIEF_LIB = {"script": [], "stylesheet": ["lib/report.css"]}


def lib_of(name: str) -> dict[str, list[str]]:
    """What a view page may load, by its file name."""
    if name == "index.html":
        return INDEX_LIB
    return BRIEF_LIB if name == "timeline.html" or name.startswith("report-") else NETWORK_LIB


# ---------------------------------------------------------------- helpers shared with test_browser.py


class PageParser(HTMLParser):
    """Collects the tags, attributes, inline scripts and visible text of a page (script bodies are CDATA)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.script_attrs: list[dict] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")
            self.script_attrs.append(dict(attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    @property
    def inline_scripts(self) -> list[tuple[dict, str]]:
        """(attributes, body) of every script element without a src."""
        return [(a, body) for a, body in zip(self.script_attrs, self.scripts, strict=True) if "src" not in a]

    def loads(self) -> dict[str, list[str]]:
        """What the page loads: script srcs and stylesheet hrefs, in page order."""
        return {
            "script": [a["src"] for a in self.script_attrs if "src" in a],
            "stylesheet": [a.get("href", "") for t, a in self.tags if t == "link" and a.get("rel") == "stylesheet"],
        }

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_bytes().decode("utf-8"))
    parser.close()
    return parser


def page_data(path: Path) -> dict:
    """The data a network page embeds as its one JSON block (nodes, edges, legend, info, …)."""
    blocks = [body for a, body in parse_page(path).inline_scripts if a.get("id") == "view-data"]
    assert len(blocks) == 1 and blocks[0].strip(), f"{path.name}: no data block"
    return json.loads(blocks[0])


def network_pages(views: Path) -> list[Path]:
    return sorted(p for p in views.glob("*.html") if lib_of(p.name) is NETWORK_LIB)


EVIL = '<img src=x onerror=window.__xss=1><script>window.__xss=1</script>"href" javascript:alert(1)'
EVIL_TEXT = """四川省总工会关于开展“href”工程和<script>window.__xss=1</script>的通知

各市（州）总工会：
（一）开展“javascript”工程。全省各级工会深入开展安康杯竞赛<script>window.__xss=1</script>，详见 javascript:window.__xss=1 和 <a href="javascript:window.__xss=1">href</a>，完成<img src=x onerror=window.__xss=1>培训 300 场。
（二）推进“href安康”行动。做好职工之家<img src=x onerror=window.__xss=1>建设，服务农民工<b onmouseover=window.__xss=1>10 万人次</b>。
"""


def build_evil_views(tmp: Path) -> Path:
    """A one-document corpus whose title, measures and evidence quotes carry markup, scripts, javascript:
    links and the word "href" (discovery turns “href” and “javascript” into programmes), plus a
    programme and a category whose labels are markup; returns the views folder."""
    from kg.graph.build import build_dataset
    from kg.namespaces import DEFAULT_BASE_IRI, DISC, OA, UKG, document_slug, graph_iri
    from kg.pipeline.components import process_file

    (tmp / "corpus").mkdir(parents=True)
    src = tmp / "corpus" / "evil.txt"
    src.write_text(EVIL_TEXT, encoding="utf-8")
    rec = dataclasses.replace(process_file(src), title=EVIL + " 通知")
    ds = build_dataset([rec])
    prog, cat = DISC["evil-programme"], DISC["evil-category"]
    g = ds.graph(graph_iri(DEFAULT_BASE_IRI, "discovered"))
    for triple in [
        (prog, RDF.type, UKG.Programme),
        (prog, RDF.type, SKOS.Concept),
        (prog, SKOS.prefLabel, Literal(EVIL, lang="zh")),
        (prog, UKG.curated, Literal(False)),
        (prog, SKOS.broader, cat),
        (cat, RDF.type, UKG.ProgrammeCategory),
        (cat, SKOS.prefLabel, Literal(EVIL + " 类", lang="zh")),
    ]:
        g.add(triple)
    slug = document_slug(rec.source, rec.sha256)
    doc_graph = ds.graph(graph_iri(DEFAULT_BASE_IRI, f"doc/{slug}"))
    for mention in list(doc_graph.subjects(OA.hasBody, URIRef(ANKANG))):  # the evil programme is mentioned there too
        twin = URIRef(f"{mention}/evil")
        for p, o in list(doc_graph.predicate_objects(mention)):
            doc_graph.add((twin, p, prog if p == OA.hasBody else o))
    out = tmp / "out"
    (out / "text").mkdir(parents=True)
    (out / "text" / f"{slug}.txt").write_bytes(rec.text.encode("utf-8"))
    write_views(ds, out / "views")
    return out / "views"


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def view_data(built_ds, built_out):
    docs = [r["doc"] for r in result_rows(run_query(built_ds, load_query("view-documents")))]
    return load_view_data(built_ds, read_texts(built_out / "text", docs))


@pytest.fixture(scope="session")
def evil_views(tmp_path_factory) -> Path:
    return build_evil_views(tmp_path_factory.mktemp("evil"))


# ---------------------------------------------------------------- small pieces


def test_slugs_are_safe_deterministic_and_unique():
    assert slugify("https://w3id.org/unionkg/place/sichuan") == "sichuan"
    assert slugify("https://w3id.org/unionkg/discovered/75d592b7ae8c") == "75d592b7ae8c"
    odd = "https://example.org/x/四川 Foo?a=1/../..%2F"
    assert slugify(odd) == slugify(odd)
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slugify(odd))
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slugify("https://example.org/ns#"))
    taken: set[str] = set()
    a = slugify("https://w3id.org/unionkg/programme/x", taken)
    b = slugify("https://w3id.org/unionkg/discovered/x", taken)
    assert a == "x" and b != a and b.startswith("x-")


def test_evidence_sentence_is_the_sentence_around_the_mention():
    text = "第一句话。开展“安康杯”竞赛，\n    覆盖职工 100 万人次；最后一句。"
    start = text.index("安康杯")
    assert evidence_sentence(text, start, start + 3) == "开展“安康杯”竞赛，覆盖职工 100 万人次；"
    long = "甲" * 500 + "安康杯" + "乙" * 500
    quote = evidence_sentence(long, 500, 503, limit=60)
    assert "安康杯" in quote and quote.startswith("…") and quote.endswith("…") and len(quote) < 80


# ---------------------------------------------------------------- the demo corpus


def test_build_writes_every_view(built_out, built_ds):
    views = built_out / "views"
    names = {p.name for p in views.glob("*.html")}
    jurisdictions = {
        r["jurisdiction"] for r in result_rows(run_query(built_ds, load_query("view-documents"))) if r["jurisdiction"]
    }
    programmes = {
        r["entity"] for r in result_rows(run_query(built_ds, load_query("view-mentions"))) if r["kind"] == "programme"
    }
    assert {"index.html", "overview.html", "compare.html"} <= names
    assert sorted(n for n in names if n.startswith("jurisdiction-")) == sorted(
        f"jurisdiction-{slugify(j)}.html" for j in jurisdictions
    )
    assert len(jurisdictions) == 4
    assert len([n for n in names if n.startswith("programme-")]) == len(programmes) > 50
    assert "programme-ankang-cup.html" in names and "jurisdiction-sichuan.html" in names


def test_views_are_offline_utf8_and_text_only(built_out):
    for path in sorted((built_out / "views").glob("*.html")):
        raw = path.read_bytes()
        text = raw.decode("utf-8")  # strict
        page = parse_page(path)
        assert ("meta", {"charset": "utf-8"}) in page.tags, path.name
        csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in csp[0], path.name
        script_src = next(d for d in csp[0].split(";") if d.split()[0] == "script-src")
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, path.name  # no inline code
        assert not [t for t, a in page.tags if t in ("iframe", "img", "object", "embed", "base")], path.name
        assert all(a.get("rel") == "stylesheet" for t, a in page.tags if t == "link"), path.name
        assert page.loads() == lib_of(path.name), f"{path.name}: loads"
        for _, attrs in page.tags:
            assert not any(k.startswith("on") for k in attrs), f"{path.name}: inline handler {attrs}"
            if "href" in attrs and attrs.get("rel") != "stylesheet":
                assert SAFE_HREF.match(attrs["href"]), f"{path.name}: href {attrs['href']!r}"
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), path.name
        assert "@import" not in text and "cdn" not in text.lower(), path.name
        inline = page.inline_scripts  # no code in the page: at most the one JSON data block
        if lib_of(path.name) is not NETWORK_LIB:
            assert inline == [], path.name
        else:
            assert [(a.get("type"), a.get("id")) for a, _ in inline] == [("application/json", "view-data")], path.name
    code = (built_out / "views" / "lib" / "view.js").read_text(encoding="utf-8")
    assert "innerHTML" not in code and "textContent" in code and "eval(" not in code


def test_every_page_loads_the_one_vis_network_copy_by_a_relative_path(built_out):
    from importlib.resources import files

    views = (built_out / "views").resolve()
    lib = views / "lib" / "vis-network.min.js"
    vis = files("pyvis").joinpath("lib/vis-9.1.2/vis-network.min.js").read_bytes()
    assert sorted(views.rglob("vis-network*")) == [lib] and lib.read_bytes() == vis  # one copy, from pyvis
    chunks = [vis[i : i + 120].decode("utf-8", errors="ignore") for i in range(1000, len(vis), len(vis) // 7)]
    pages = sorted(views.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        page = parse_page(path)
        refs = page.loads()["script"] + page.loads()["stylesheet"]
        for ref in refs:
            assert not re.match(r"^([a-z]+:|/)", ref), f"{path.name}: {ref!r} is not relative"
            target = (path.parent / ref).resolve()
            assert target.is_file() and target.is_relative_to(views / "lib"), f"{path.name}: {ref!r}"
        uses = [ref for ref in refs if (path.parent / ref).resolve() == lib]
        network = lib_of(path.name) is NETWORK_LIB
        expected = [Path(os.path.relpath(lib, path.parent)).as_posix()] if network else []
        assert uses == expected, path.name  # lib/vis-network.min.js, ../lib/… from a subfolder
        raw = path.read_bytes().decode("utf-8")
        assert "@copyright" not in raw and not any(c in raw for c in chunks), f"{path.name} inlines vis-network"
        assert path.stat().st_size < len(vis), path.name
    total = sum(p.stat().st_size for p in views.rglob("*") if p.is_file())
    assert total < len(vis) * 20, f"views are {total} bytes"


def test_every_view_has_a_legend_and_a_search_box(built_out):
    for path in network_pages(built_out / "views"):
        page = parse_page(path)
        assert any(t == "input" and a.get("id") == "search" for t, a in page.tags), path.name
        data = page_data(path)
        assert data["legend"] and all(item["label"] and item["color"] for item in data["legend"]), path.name
        if path.name != "compare.html":
            assert data["nodes"] and data["edges"], path.name
            assert all("x" in n and "y" in n for n in data["nodes"]), f"{path.name}: layout not precomputed"
    index = parse_page(built_out / "views" / "index.html")
    assert any(t == "input" and a.get("id") == "search" for t, a in index.tags)
    assert any(t == "div" and a.get("class") == "legend" for t, a in index.tags)


@pytest.mark.slow
def test_views_are_byte_identical_across_runs(built_out, built_ds, tmp_path):
    again = write_views(built_ds, tmp_path / "views", text_dir=built_out / "text")
    assert [p.name for p in again] == sorted(p.name for p in (built_out / "views").glob("*.html"))
    for path in again:
        assert path.read_bytes() == (built_out / "views" / path.name).read_bytes(), path.name


@pytest.mark.slow
def test_kg_viz_rewrites_views_and_drops_stale_pages(built_out, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path / "out"
    shutil.copytree(built_out, out)
    (out / "views" / "programme-gone.html").write_text("old", encoding="utf-8")
    (out / "views" / "notes.html").write_text("mine", encoding="utf-8")
    (out / "views" / "overview.html").unlink()
    result = CliRunner().invoke(main, ["viz", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "index.html" in result.output and "4 jurisdiction" in result.output
    assert (out / "views" / "overview.html").read_bytes() == (built_out / "views" / "overview.html").read_bytes()
    assert not (out / "views" / "programme-gone.html").exists()
    assert (out / "views" / "notes.html").exists()


def test_overview_emphasises_shared_programmes(view_data, built_ds):
    g = overview_graph(view_data)
    shared = {
        r["programme"]: int(r["count"]) for r in result_rows(run_query(built_ds, load_query("shared-programmes")))
    }
    assert shared[ANKANG] == 4
    for node, d in g.nodes(data=True):
        if d["kind"] == "programme":
            assert d["jurisdictions"] == shared.get(node, 1)
    net, legend, info = to_pyvis(g, colours=view_data.colours)
    nodes = {n["id"]: n for n in net.nodes}
    ankang, unique = nodes[ANKANG], next(nodes[p] for p, n in shared.items() if n == 2)
    assert ankang["size"] > unique["size"] and ankang["borderWidth"] == 3
    loner = next(n for n, d in g.nodes(data=True) if d["kind"] == "programme" and d["jurisdictions"] == 1)
    assert nodes[loner]["borderWidth"] < 3 and nodes[loner]["size"] < unique["size"]
    category = g.nodes[ANKANG]["category"]
    assert ankang["color"]["background"] == view_data.colours[category]
    assert {"label": category, "color": view_data.colours[category], "shape": "dot"} in legend
    assert any("安康杯" in q for q in info[ANKANG]["quotes"])


def test_overview_collapses_the_long_tail_into_categories_and_keeps_the_counts(view_data):
    full = overview_graph(view_data, top=None)
    kinds = nx.get_node_attributes(full, "kind")
    programmes = [n for n, k in kinds.items() if k == "programme"]
    top = 10
    small = overview_graph(view_data, top=top)
    singles = [n for n, d in small.nodes(data=True) if d["kind"] == "programme" and not d.get("collapsed")]
    collapsed = [n for n, d in small.nodes(data=True) if d.get("collapsed")]
    assert len(singles) == top and collapsed
    # the programmes kept are the most shared ones: none left out is shared more widely
    kept_min = min(full.nodes[n]["jurisdictions"] for n in singles)
    assert all(full.nodes[n]["jurisdictions"] <= kept_min for n in programmes if n not in singles)
    # every programme is either kept or counted in its category's node, once
    assert len(singles) + sum(small.nodes[n]["collapsed"] for n in collapsed) == len(programmes)
    rest = [n for n in programmes if n not in singles]
    for n in collapsed:
        members = [p for p in rest if full.nodes[p]["category"] == small.nodes[n]["category"]]
        assert small.nodes[n]["collapsed"] == len(members)
        assert small.nodes[n]["mentions"] == sum(full.nodes[p]["mentions"] for p in members)
    # per jurisdiction, mentions are conserved by the collapse; measures are counted per edge
    for j in (n for n, k in kinds.items() if k == "jurisdiction"):
        assert sum(small.edges[j, p]["weight"] for p in small[j]) == sum(full.edges[j, p]["weight"] for p in full[j])
        assert (
            small.nodes[j]["measures"]
            == full.nodes[j]["measures"]
            >= max(full.edges[j, p]["measures"] for p in full[j])
        )
    assert (
        overview_graph(view_data).number_of_nodes() == full.number_of_nodes()
    )  # the demo corpus fits under the default


def test_overview_facets_list_categories_and_jurisdictions_of_every_node(view_data):
    g = overview_graph(view_data, top=10)
    facets = overview_facets(g)
    cats = {d["category"] for _, d in g.nodes(data=True) if d["kind"] == "programme"}
    assert facets["categories"] == sorted(cats)
    assert {j["id"] for j in facets["jurisdictions"]} == {
        n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"
    }
    assert set(facets["values"]) == {str(n) for n in g.nodes}
    assert facets["values"][ANKANG]["category"] == g.nodes[ANKANG]["category"]
    assert set(facets["values"][ANKANG]["jurisdictions"]) == set(g[ANKANG]) and SICHUAN in g[ANKANG]


@pytest.mark.slow
def test_kg_viz_top_collapses_the_overview_and_adds_its_filters(built_out, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path / "out"
    shutil.copytree(built_out, out)
    result = CliRunner().invoke(main, ["viz", "--out", str(out), "--top", "5"])
    assert result.exit_code == 0, result.output
    data = page_data(out / "views" / "overview.html")
    programmes = [n for n in data["nodes"] if n["id"] not in {j["id"] for j in data["facets"]["jurisdictions"]}]
    collapsed = [n for n in programmes if n["id"].startswith("urn:unionkg:overview:collapsed:")]
    assert len(programmes) - len(collapsed) == 5 and collapsed
    assert set(data["facets"]["values"]) == {n["id"] for n in data["nodes"]}
    assert all("其他" in n["label"] for n in collapsed)
    # the default build keeps every programme of the demo corpus
    full = page_data(built_out / "views" / "overview.html")
    assert not any(n["id"].startswith("urn:unionkg:overview:collapsed:") for n in full["nodes"])


def test_jurisdiction_page_is_document_measures_programmes_targets_groups(view_data):
    g = jurisdiction_graph(view_data, SICHUAN)
    kinds = nx.get_node_attributes(g, "kind")
    docs = [n for n in g[SICHUAN]]
    assert sorted(kinds[n] for n in docs) == ["document", "document"]
    for n, k in kinds.items():
        if k in ("measure", "section"):
            assert any(kinds[m] == "document" for m in g[n]), n
        if k in ("programme", "target_group"):
            assert any(kinds[m] in ("measure", "section", "document") for m in g[n]), n
    assert {"programme", "target_group", "target", "statistic", "measure", "section"} <= set(kinds.values())
    sichuan_docs = {d.iri for d in view_data.documents.values() if d.jurisdiction == SICHUAN}
    assert sum(1 for k in kinds.values() if k in ("target", "statistic")) == sum(
        1 for q in view_data.quantities if q.doc in sichuan_docs
    )
    # a quantity that counts a programme is linked to it
    counted = [q for q in view_data.quantities if q.doc in sichuan_docs and q.counts in g]
    assert all(g.has_edge(q.iri, q.counts) for q in counted if kinds[q.counts] == "programme")
    quotes = g.nodes[ANKANG]["quote_lines"]
    assert quotes and all("安康杯" in q for q in quotes if not q.startswith("…"))


def test_documents_show_their_genre(view_data, built_out):
    """A document node's details and the index's line of genres name each document's genre, zh and en."""
    from rdflib import Graph

    from kg.vocab.ontology import ONTOLOGY_DIR

    genres = Graph().parse(ONTOLOGY_DIR / "genres.ttl", format="turtle")
    labels = {}
    for c in set(genres.subjects(SKOS.notation, None)):
        by_lang = {lit.language: str(lit) for lit in genres.objects(c, SKOS.prefLabel)}
        labels[str(c)] = f"{by_lang['zh']} {by_lang['en']}"
    assert view_data.documents and all(d.genre in labels.values() for d in view_data.documents.values())
    g = jurisdiction_graph(view_data, SICHUAN)
    for n, d in g.nodes(data=True):
        if d["kind"] == "document":
            assert view_data.documents[n].genre in d["detail_lines"][1], d["detail_lines"]
    page = parse_page(built_out / "views" / "index.html")
    text = " ".join(page.text)
    for genre in {d.genre for d in view_data.documents.values()}:
        count = sum(1 for d in view_data.documents.values() if d.genre == genre)
        assert f"{genre} ({count})" in text, text[:500]


def test_programme_page_shows_evidence_and_quantities(view_data):
    g = programme_graph(view_data, ANKANG)
    root = g.nodes[ANKANG]
    own = [m for m in view_data.mentions if m.entity == ANKANG]
    assert len(root["quote_lines"]) == len(own)
    assert all("安康杯" in q for q in root["quote_lines"])
    counted = [q for q in view_data.quantities if q.counts == ANKANG]
    assert counted, "the demo corpus has a quantity counting 安康杯"
    for q in counted:
        assert g.has_edge(ANKANG, q.iri) and any(q.quote in line for line in root["detail_lines"])
    jurisdictions = {n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"}
    assert jurisdictions == {view_data.documents[m.doc].jurisdiction for m in own}
    net, _, info = to_pyvis(g, colours=view_data.colours, root=ANKANG)
    assert info[ANKANG]["quotes"] == root["quote_lines"]
    assert next(n for n in net.nodes if n["id"] == ANKANG)["fixed"] is True


def test_comparison_matches_the_compare_query(view_data, built_ds):
    data = comparison_data(view_data)
    by_slug = {j["slug"]: set(j["programmes"]) for j in data["jurisdictions"]}
    q = load_query("compare-jurisdictions")
    rows = result_rows(run_query(built_ds, q, bindings={"a": URIRef(SICHUAN), "b": URIRef(CHONGQING)}))
    status = {r["programme"]: r["status"] for r in rows}
    a, b = by_slug["sichuan"], by_slug["chongqing"]
    assert {p for p, s in status.items() if s == "both"} == a & b
    assert {p for p, s in status.items() if s == "only a"} == a - b
    assert {p for p, s in status.items() if s == "only b"} == b - a
    assert all(SAFE_HREF.match(p["link"]) for p in data["programmes"].values())


def test_big_graphs_are_laid_out_by_networkx_with_physics_off():
    from kg.surface.views import view_positions

    big = nx.Graph()
    big.add_node("hub", kind="jurisdiction", label="hub", link=None)
    for i in range(600):  # past networkx's sparse-solver size, which would need scipy
        big.add_node(f"m{i // 10}", kind="measure", label=f"措施{i // 10}", link=None)
        big.add_node(f"p{i}", kind="programme", label=f"项目{i}", category="x", curated=True, link=None)
        big.add_edge("hub", f"m{i // 10}")
        big.add_edge(f"m{i // 10}", f"p{i}")
    pos = view_positions(big, "hub")
    assert set(pos) == set(big) and pos["hub"] == (0.0, 0.0)
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(pos)  # no two nodes on one spot
    net, _, _ = to_pyvis(big, pos, colours={}, root="hub")
    assert net.options["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in net.nodes)
    small = nx.star_graph(5)
    nx.set_node_attributes(small, "measure", "kind")
    nx.set_node_attributes(small, "m", "label")
    small_pos = view_positions(small, 0)
    net, _, _ = to_pyvis(small, small_pos, colours={}, root=0)
    assert net.options["physics"]["enabled"] is True and small_pos == view_positions(small, 0)
    assert len(big) > LAYOUT_THRESHOLD >= len(small)


def test_middle_sized_views_start_from_rings_and_relax_in_the_browser():
    """Between SPRING_THRESHOLD and LAYOUT_THRESHOLD nodes: rings (a spring layout of 200 nodes took ~1 s
    a page), then physics in the browser; the same graph gets the same positions."""
    from kg.surface.views import SPRING_THRESHOLD, radial_positions, spring_positions, view_positions

    def star_of_stars(n: int) -> nx.Graph:
        g = nx.Graph()
        g.add_node("root", kind="programme", label="root", category="x", curated=True, link=None)
        for i in range(n):
            g.add_node(f"m{i // 5}", kind="measure", label=f"措施{i // 5}", link=None)
            g.add_node(f"d{i}", kind="document", label=f"文件{i}", link=None)
            g.add_edge("root", f"m{i // 5}")
            g.add_edge(f"m{i // 5}", f"d{i}")
        return g

    middle, small = star_of_stars(150), star_of_stars(20)
    assert len(small) <= SPRING_THRESHOLD < len(middle) <= LAYOUT_THRESHOLD
    pos = view_positions(middle, "root")
    assert pos == radial_positions(middle, "root") == view_positions(star_of_stars(150), "root")
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(pos)  # no two nodes on one spot
    net, _, _ = to_pyvis(middle, pos, colours={}, root="root")
    assert net.options["physics"]["enabled"] is True
    assert view_positions(small, "root") == spring_positions(small, "root")


def test_heatmap_is_the_jurisdiction_programme_matrix(view_data):
    g = overview_graph(view_data)
    svg = heatmap_svg(g, view_data.colours)
    root = ET.fromstring(svg)  # well-formed XML, so every label was escaped
    ns = {"s": "http://www.w3.org/2000/svg"}
    cells = root.findall(".//s:rect[@class='cell']", ns)
    jurs = [n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"]
    progs = [n for n, d in g.nodes(data=True) if d["kind"] == "programme"]
    assert len(cells) == len(jurs) * len(progs)
    assert sum(int(c.get("data-mentions")) for c in cells) == sum(w for _, _, w in g.edges(data="weight"))
    assert sum(1 for c in cells if c.get("data-mentions") != "0") == g.number_of_edges()
    hrefs = {a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert "programme-ankang-cup.html" in hrefs and "jurisdiction-sichuan.html" in hrefs


def test_a_graph_without_documents_still_gets_its_pages(tmp_path):
    from kg.graph.build import build_dataset

    written = write_views(build_dataset([]), tmp_path / "views")
    assert [p.name for p in written] == ["compare.html", "index.html", "overview.html", "timeline.html"]
    assert page_data(tmp_path / "views" / "overview.html")["nodes"] == []


# ---------------------------------------------------------------- markup in documents stays text


def test_markup_in_documents_is_plain_text_in_every_view(evil_views):
    names = sorted(p.name for p in evil_views.glob("*.html"))
    assert "programme-evil-programme.html" in names and "jurisdiction-sichuan.html" in names
    discovered = [n for n in names if n.startswith("programme-") and n not in ("programme-evil-programme.html",)]
    assert len(discovered) >= 3  # 安康杯, 职工之家 and the discovered “href” / “javascript” programmes
    for path in sorted(evil_views.glob("*.html")):
        raw = path.read_bytes().decode("utf-8")
        page = parse_page(path)
        tags = {t for t, _ in page.tags}
        assert not tags & {"img", "b", "iframe", "object", "embed"}, f"{path.name}: {tags}"
        assert page.loads() == lib_of(path.name), path.name
        assert len(page.inline_scripts) == (1 if lib_of(path.name) is NETWORK_LIB else 0), path.name
        for _, attrs in page.tags:
            assert not any(k.startswith("on") for k in attrs), f"{path.name}: {attrs}"
            if "href" in attrs and attrs.get("rel") != "stylesheet":  # the stylesheet is in page.loads() above
                assert SAFE_HREF.match(attrs["href"]), f"{path.name}: {attrs['href']!r}"
        for needle in ("<img src=x", "<script>window", '<a href="javascript', "<b onmouseover"):
            assert needle not in raw, f"{path.name}: raw {needle!r}"
        if path.name in ("index.html", "report-sichuan.html"):
            text = "".join(page.text)
            assert EVIL in text  # shown, as text
        elif lib_of(path.name) is NETWORK_LIB:
            data = page_data(path)
            blob = json.dumps(data, ensure_ascii=False)
            assert "<script>window.__xss=1</script>" in blob, f"{path.name}: evil text missing from the data"
    data = page_data(evil_views / "programme-evil-programme.html")
    assert any(n["label"].startswith("<img src=x") for n in data["nodes"])
    root = data["info"]["https://w3id.org/unionkg/discovered/evil-programme"]
    assert root["heading"] == EVIL and any("<a href=" in q for q in root["quotes"])
    titles = {n["title"] for n in page_data(evil_views / "jurisdiction-sichuan.html")["nodes"]}
    assert any("href" in t for t in titles)  # a title with "href" stays a plain string for the text-only tooltip
