"""The views' graphs, computed with networkx from :class:`~kg.surface.views.data.ViewData`: the overview
(jurisdictions and programmes, the long tail collapsed by category), a jurisdiction's documents and
measures, a programme's evidence, and the data of the compare page. Nodes carry plain-text details."""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from kg.surface.views.data import UNCATEGORISED_COLOUR, Entity, Mention, Quantity, ViewData, short, squash
from kg.surface.views.layout import LAYOUT_THRESHOLD
from kg.surface.views.text import kind_name, say

__all__ = [
    "OVERVIEW_TOP",
    "comparison_data",
    "jurisdiction_graph",
    "overview_facets",
    "overview_graph",
    "programme_graph",
]

#: how many programmes the overview draws one by one; the rest are collapsed into one node per category
OVERVIEW_TOP = 120
_QUOTES_PER_NODE = 12


def _quote_lines(data: ViewData, mentions: list[Mention], limit: int = _QUOTES_PER_NODE) -> list[str]:
    out = []
    for m in mentions[:limit]:
        out.append(f"{data.context_label(m.doc, m.context)}\n“{m.sentence}”")
    if len(mentions) > limit:
        out.append(f"… {len(mentions) - limit} more")
    return out


def _category_line(category: str, *, curated: bool = True) -> str:
    """'类别 category: <category>', with ' · 待审 discovered (uncurated)' for a programme not curated."""
    return say("category", category=category) + ("" if curated else " · " + say("uncurated"))


def _quantity_line(q: Quantity) -> str:
    what = q.counts_label or q.counts_text
    bits = [q.quote, f"({q.role})" if q.role else "", q.period, f"— {what}" if what else ""]
    return " ".join(b for b in bits if b)


def _programme_attrs(data: ViewData, e: Entity) -> dict:
    return {
        "kind": e.kind,
        "label": e.label,
        "category": e.category,
        "curated": e.curated,
        "link": f"programme-{e.slug}.html" if e.kind == "programme" else None,
    }


def _programme_rank(g: nx.Graph, node) -> tuple:
    d = g.nodes[node]
    return (-d["jurisdictions"], -d["measures"], -d["mentions"], d["label"], str(node))


def overview_graph(data: ViewData, *, top: int | None = OVERVIEW_TOP) -> nx.Graph:
    """Jurisdictions linked to the programmes their documents mention.

    Edge `weight` = mentions, edge `measures` = distinct measures (a document's text outside numbered
    measures counts as one); a programme's `jurisdictions` is how many jurisdictions mention it. With
    `top`, only the `top` programmes ranked by jurisdictions, measures and mentions stay single nodes; the
    others are collapsed into one node per category (kind ``programme``, `collapsed` = how many), so the
    graph stays readable however big the corpus is."""
    g = nx.Graph()
    by_pair: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in data.mentions:
        j = data.jurisdiction_of(m.doc)
        if j and data.entities[m.entity].kind == "programme":
            by_pair[(j, m.entity)].append(m)
    for j in sorted({j for j, _ in by_pair}):
        jur = data.jurisdictions[j]
        docs = sum(1 for d in data.documents.values() if d.jurisdiction == j)
        contexts = {m.context for (jj, _), ms in by_pair.items() if jj == j for m in ms}
        g.add_node(j, kind="jurisdiction", label=jur.label, link=f"jurisdiction-{jur.slug}.html", documents=docs,
                   measures=len(contexts))  # fmt: skip
    for (j, p), ms in sorted(by_pair.items()):
        if p not in g:
            g.add_node(p, **_programme_attrs(data, data.entities[p]), quotes=[])
        g.nodes[p]["quotes"].extend(ms[:3])
        g.add_edge(j, p, weight=len(ms), measures=len({m.context for m in ms}))
    for node, d in g.nodes(data=True):
        if d["kind"] == "programme":
            d["jurisdictions"] = g.degree(node)
            d["mentions"] = sum(g.edges[node, j]["weight"] for j in g[node])
            d["measures"] = sum(g.edges[node, j]["measures"] for j in g[node])
    programmes = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "programme"), key=lambda n: _programme_rank(g, n)
    )
    if top is not None and len(programmes) > top:
        _collapse(g, programmes[top:])
    for node, d in g.nodes(data=True):
        d["font_size"] = 26 if d["kind"] == "jurisdiction" else 16
        if d["kind"] == "programme":
            d["jurisdictions"] = g.degree(node)
            where = "、".join(sorted(g.nodes[j]["label"] for j in g[node]))
            d["detail_lines"] = [
                _category_line(d["category"], curated=d["curated"]),
                f"{d['jurisdictions']} jurisdiction(s): {where}",
                f"{d['measures']} measure(s), {d['mentions']} mention(s)",
                *d.pop("members", []),
            ]
            d["quote_lines"] = _quote_lines(data, d.pop("quotes"), limit=6)
        else:
            d["detail_lines"] = [
                f"{d['documents']} document(s)",
                f"{g.degree(node)} programme(s) in {d['measures']} measure(s)",
            ]
            d["quote_lines"] = []
    return g


def _collapse(g: nx.Graph, rest: list) -> None:
    """Replace the programmes in `rest` by one node per category, with summed counts."""
    by_category: dict[str, list] = defaultdict(list)
    for p in rest:
        by_category[g.nodes[p]["category"]].append(p)
    for i, category in enumerate(sorted(by_category)):
        members = by_category[category]
        node = f"urn:unionkg:overview:collapsed:{i}"
        g.add_node(
            node, kind="programme", label=say("collapsed", n=len(members), category=category), category=category,
            curated=True, link=None, collapsed=len(members), quotes=[],
            mentions=sum(g.nodes[p]["mentions"] for p in members), measures=sum(g.nodes[p]["measures"] for p in members),
            members=[say("collapsed_members", names="、".join(g.nodes[p]["label"] for p in members[:40])
                         + (f" … +{len(members) - 40}" if len(members) > 40 else ""))],
        )  # fmt: skip
        for p in members:
            for j in g[p]:
                e = g.edges[j, p]
                if g.has_edge(j, node):
                    g.edges[j, node]["weight"] += e["weight"]
                    g.edges[j, node]["measures"] += e["measures"]
                else:
                    g.add_edge(j, node, weight=e["weight"], measures=e["measures"])
        g.remove_nodes_from(members)


def overview_facets(g: nx.Graph) -> dict:
    """The overview's filters: category and jurisdiction choices, and each node's values for them."""
    kinds = nx.get_node_attributes(g, "kind")
    jurs = sorted((n for n, k in kinds.items() if k == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], str(n)))
    categories = sorted({g.nodes[n]["category"] for n, k in kinds.items() if k == "programme"})
    values = {}
    for n, k in kinds.items():
        if k == "programme":
            values[n] = {"category": g.nodes[n]["category"], "jurisdictions": sorted(map(str, g[n]))}
        else:
            values[n] = {"category": None, "jurisdictions": [str(n)]}
    return {
        "categories": categories,
        "jurisdictions": [{"id": str(j), "label": g.nodes[j]["label"]} for j in jurs],
        "values": {str(n): values[n] for n in sorted(values, key=str)},
    }


def _add_entity(g: nx.Graph, data: ViewData, iri: str) -> None:
    if iri not in g:
        g.add_node(iri, **_programme_attrs(data, data.entities[iri]), mentions=[])


def _add_document(g: nx.Graph, data: ViewData, doc: str) -> None:
    if doc not in g:
        d = data.documents[doc]
        g.add_node(doc, kind="document", label=short(d.title, 20), link=None, quote_lines=[],
                   detail_lines=[d.title, " · ".join(x for x in (d.date, d.genre, d.kind, d.source_file) if x)])  # fmt: skip


def _add_context(g: nx.Graph, data: ViewData, context: str) -> None:
    """A measure or section node linked to its document (added as needed); a document is its own context."""
    if context in data.documents:
        _add_document(g, data, context)
        return
    if context in g:
        return
    if context in data.measures:
        m = data.measures[context]
        text = squash(" ".join(q for _, _, q in m.spans))
        g.add_node(context, kind="measure", label=short(data.context_title(context), 16), link=None,
                   detail_lines=[data.context_title(context)], quote_lines=[short(text, 600)] if text else [])  # fmt: skip
        doc = m.doc
    else:
        s = data.sections[context]
        g.add_node(context, kind="section", label=short(data.context_title(context), 16), link=None,
                   detail_lines=[data.context_title(context)], quote_lines=[])  # fmt: skip
        doc = s.doc
    _add_document(g, data, doc)
    g.add_edge(doc, context, kind="part")


def _add_quantity(g: nx.Graph, data: ViewData, q: Quantity) -> None:
    g.add_node(q.iri, kind="target" if q.role == "target" else "statistic", label=short(q.quote, 14), link=None,
               detail_lines=[_quantity_line(q)], quote_lines=[f"{data.context_label(q.doc, q.context)}\n“{q.sentence}”"])  # fmt: skip


def jurisdiction_graph(data: ViewData, jurisdiction: str) -> nx.Graph:
    """jurisdiction → documents → measures (or, outside numbered measures, headed sections) → the
    programmes, target groups and quantities they state; a quantity that counts a programme links to it."""
    jur = data.jurisdictions[jurisdiction]
    g = nx.Graph(root=jurisdiction)
    docs = sorted(d.iri for d in data.documents.values() if d.jurisdiction == jurisdiction)
    g.add_node(jurisdiction, kind="jurisdiction", label=jur.label, link=None, quote_lines=[],
               detail_lines=[f"{len(docs)} document(s)"])  # fmt: skip
    for doc in docs:
        _add_document(g, data, doc)
        g.add_edge(jurisdiction, doc, kind="part")
    for m in sorted(data.measures.values(), key=lambda m: (m.doc, m.ordinal, m.iri)):
        if m.doc in g:
            _add_context(g, data, m.iri)
    for men in data.mentions:
        if men.doc not in g:
            continue
        _add_context(g, data, men.context)
        _add_entity(g, data, men.entity)
        g.nodes[men.entity]["mentions"].append(men)
        if g.has_edge(men.context, men.entity):
            g.edges[men.context, men.entity]["weight"] += 1
        else:
            g.add_edge(men.context, men.entity, kind="mention", weight=1)
    for q in data.quantities:
        if q.doc not in g:
            continue
        _add_context(g, data, q.context)
        _add_quantity(g, data, q)
        g.add_edge(q.context, q.iri, kind="part")
        if q.counts in g and g.nodes[q.counts]["kind"] == "programme":
            g.add_edge(q.iri, q.counts, kind="counts")
    for _node, d in g.nodes(data=True):
        if "mentions" in d:
            ms = d.pop("mentions")
            d["count"] = len(ms)
            first = _category_line(d["category"]) if d["kind"] == "programme" else kind_name("target_group")
            d["detail_lines"] = [first, f"{len(ms)} mention(s) in {jur.label}"]
            d["quote_lines"] = _quote_lines(data, ms)
    return g


def programme_graph(data: ViewData, programme: str, *, beside: int = 40) -> nx.Graph:
    """An ego view: the programme; the measures (or sections, or documents) that mention it, with the
    quotes; their documents and jurisdictions; the quantities that count it or are stated in the same
    measure; and the programmes mentioned in the same measures (the `beside` most frequent of them; the
    stated quantities only while the view stays under LAYOUT_THRESHOLD nodes)."""
    e = data.entities[programme]
    g = nx.Graph(root=programme)
    own = data.mentions_of.get(programme, [])
    counted = data.quantities_counting.get(programme, [])
    measures = sorted({m.context for m in own if m.context in data.measures})
    stated = [q for c in measures for q in data.quantities_in.get(c, []) if q.counts != programme]
    g.add_node(programme, **{**_programme_attrs(data, e), "link": None})
    g.nodes[programme]["detail_lines"] = [
        _category_line(e.category, curated=e.curated),
        f"{len(own)} mention(s) in {len({m.doc for m in own})} document(s)",
        *[say("quantity", line=_quantity_line(q)) for q in counted],
    ]
    g.nodes[programme]["quote_lines"] = _quote_lines(data, own, limit=40)
    by_context: dict[str, list[Mention]] = defaultdict(list)
    for m in own:
        by_context[m.context].append(m)
    for c in sorted(by_context):
        _add_context(g, data, c)
        g.nodes[c]["quote_lines"] = _quote_lines(data, by_context[c])
        g.add_edge(programme, c, kind="mention", weight=len(by_context[c]))
    for doc in sorted(n for n, d in g.nodes(data=True) if d["kind"] == "document"):
        j = data.documents[doc].jurisdiction
        if j:
            jur = data.jurisdictions[j]
            if j not in g:
                g.add_node(j, kind="jurisdiction", label=jur.label, link=f"jurisdiction-{jur.slug}.html",
                           detail_lines=[], quote_lines=[])  # fmt: skip
            g.add_edge(doc, j, kind="part")
    for q in counted:
        _add_quantity(g, data, q)
        g.add_edge(programme, q.iri, kind="counts")
    if len(g) + len(stated) <= LAYOUT_THRESHOLD:
        for q in stated:
            _add_quantity(g, data, q)
            g.add_edge(q.context, q.iri, kind="part")
    elif stated:
        g.nodes[programme]["detail_lines"].append(f"{len(stated)} other quantities in the same measures (not drawn)")
    others: dict[str, list[Mention]] = defaultdict(list)
    for m in (m for c in measures for m in data.mentions_in.get(c, [])):
        if m.entity != programme and data.entities[m.entity].kind == "programme":
            others[m.entity].append(m)
    ranked = sorted(others, key=lambda p: (-len({m.context for m in others[p]}), data.entities[p].label, p))
    for p in ranked[:beside]:
        _add_entity(g, data, p)
        for m in others[p]:
            g.nodes[p]["mentions"].append(m)
            g.add_edge(m.context, p, kind="beside")
    if len(ranked) > beside:
        g.nodes[programme]["detail_lines"].append(
            f"{len(ranked) - beside} more programmes mentioned in the same measures (not drawn)"
        )
    for _node, d in g.nodes(data=True):
        if "mentions" in d:
            ms = d.pop("mentions")
            d["detail_lines"] = [_category_line(d["category"]), "mentioned in the same measure"]
            d["quote_lines"] = _quote_lines(data, ms, limit=4)
    return g


def comparison_data(data: ViewData) -> dict:
    """For the compare page: every jurisdiction's programmes and target groups (from the overview graph),
    and each programme's label, category colour, page and per-jurisdiction mention counts."""
    g = overview_graph(data, top=None)
    groups: dict[str, Counter] = defaultdict(Counter)
    for m in data.mentions:
        j = data.jurisdiction_of(m.doc)
        if j and data.entities[m.entity].kind == "target_group":
            groups[j][data.entities[m.entity].label] += 1
    jurs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], n)
    )
    order = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "programme"),
        key=lambda n: (g.nodes[n]["category"], g.nodes[n]["label"], n),
    )
    rank = {p: i for i, p in enumerate(order)}
    return {
        "jurisdictions": [
            {
                "id": j,
                "slug": data.jurisdictions[j].slug,
                "label": g.nodes[j]["label"],
                "programmes": sorted(g[j], key=rank.__getitem__),
                "groups": sorted(groups[j]),
            }
            for j in jurs
        ],
        "programmes": {
            p: {
                "label": g.nodes[p]["label"],
                "category": g.nodes[p]["category"],
                "colour": data.colours.get(g.nodes[p]["category"], UNCATEGORISED_COLOUR),
                "curated": g.nodes[p]["curated"],
                "link": g.nodes[p]["link"],
                "rank": rank[p],
                "mentions": {data.jurisdictions[j].slug: g.edges[p, j]["weight"] for j in sorted(g[p])},
            }
            for p in order
        },
    }  # fmt: skip
