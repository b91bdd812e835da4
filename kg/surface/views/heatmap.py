"""index.html's jurisdiction × programme matrix: its geometry computed here, drawn by templates/heatmap.svg."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from kg.surface.views.data import UNCATEGORISED_COLOUR
from kg.surface.views.render import render
from kg.surface.views.vis import FONT

__all__ = ["Cell", "Heading", "Heatmap", "Panel", "Row", "heatmap", "heatmap_svg", "text_width"]


@dataclass(frozen=True)
class Heading:
    """A jurisdiction's name over its column (`rotate`: slanted, for many columns)."""

    x: float
    y: int
    label: str
    link: str
    rotate: bool


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    fill: str
    mentions: int
    tip: str
    ink: str | None  # the count's colour when it is written in the cell


@dataclass
class Row:
    """A programme: its category strip, its name, a cell per jurisdiction and how many mention it."""

    x0: int
    y: int
    label: str
    link: str
    category: str
    colour: str
    filter: str
    jurisdictions: int
    count_x: int
    cells: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class Panel:
    """One of the side-by-side panels: the column headings and where the '#' column is."""

    headings: list[Heading]
    count_x: int


@dataclass
class Heatmap:
    width: int
    height: int
    cell: int
    cell_w: int
    label_w: int
    head_h: int
    panels: list[Panel]
    rows: list[Row]
    scale: list[tuple[int, int, str]]  # (x, value, fill) of the colour key
    key_y: int
    font: str = FONT


def text_width(text: str, size: float = 12) -> float:
    """About how wide `text` is drawn at `size` px (CJK characters are square, others narrower)."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


def _heat(value: int, top: int) -> str:
    """A blue from light to dark on a log scale (0 -> pale grey)."""
    if value <= 0:
        return "#f3f3f3"
    t = math.log1p(value) / math.log1p(max(top, 1))
    lo, hi = (222, 235, 247), (8, 69, 148)
    r, g, b = (round(a + (z - a) * t) for a, z in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(g: nx.Graph, colours: dict[str, str], *, cell: int = 18, rows_per_panel: int = 40) -> Heatmap:
    """The geometry of the matrix of an overview graph: a row per programme (most-shared first), a column
    per jurisdiction, colour = mentions (the count is written in wide cells); long matrices wrap into
    side-by-side panels."""
    jurs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], str(n))
    )
    progs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "programme"),
        key=lambda n: (-g.nodes[n]["jurisdictions"], g.nodes[n]["category"], g.nodes[n]["label"], str(n)),
    )  # fmt: skip
    top = max((d["weight"] for _, _, d in g.edges(data=True)), default=1)
    widest = max([text_width(g.nodes[j]["label"], 13) for j in jurs] + [20])
    upright = len(jurs) <= 12  # few columns: wide cells, horizontal headings, counts in the cells
    cell_w = int(min(max(cell, widest + 8), 64)) if upright else cell
    head_h = 30 if upright else int(widest * 0.72) + 24
    label_w = int(max([text_width(g.nodes[p]["label"]) for p in progs] + [60])) + 22
    panels = max(1, math.ceil(len(progs) / rows_per_panel))
    per = math.ceil(len(progs) / panels) if progs else 0
    panel_w = label_w + cell_w * max(len(jurs), 1) + 40
    count_x = label_w + len(jurs) * cell_w + 6
    heads = [
        Panel([Heading(k * panel_w + label_w + i * cell_w + cell_w / 2, head_h - (8 if upright else 6),
                       g.nodes[j]["label"], g.nodes[j]["link"], not upright) for i, j in enumerate(jurs)],
              k * panel_w + count_x)
        for k in range(panels)
    ]  # fmt: skip
    rows = []
    for r, p in enumerate(progs):
        d = g.nodes[p]
        x0 = (r // per) * panel_w
        row = Row(x0, head_h + (r % per) * cell, d["label"], d["link"], d["category"],
                  colours.get(d["category"], UNCATEGORISED_COLOUR), " ".join(t for t in (d["label"], d["category"]) if t),
                  d["jurisdictions"], x0 + count_x)  # fmt: skip
        for i, j in enumerate(jurs):
            n = g.edges[j, p]["weight"] if g.has_edge(j, p) else 0
            ink = None
            if upright and n:
                ink = "#ffffff" if math.log1p(n) / math.log1p(max(top, 1)) > 0.55 else "#1b3a5c"
            tip = f"{g.nodes[j]['label']} × {d['label']}: {n} mention(s)"
            row.cells.append(Cell(row.x0 + label_w + i * cell_w, row.y, _heat(n, top), n, tip, ink))
        rows.append(row)
    steps = sorted({0, 1, max(1, round(top**0.5)), top})
    return Heatmap(
        width=panel_w * panels + 10,
        height=head_h + cell * max(per, 1) + 56,
        cell=cell,
        cell_w=cell_w,
        label_w=label_w,
        head_h=head_h,
        panels=heads,
        rows=rows,
        scale=[(80 + i * 50, v, _heat(v, top)) for i, v in enumerate(steps)],
        key_y=head_h + max(per, 1) * cell + 20,
    )


def heatmap_svg(g: nx.Graph, colours: dict[str, str], *, cell: int = 18, rows_per_panel: int = 40) -> str:
    """The matrix (see :func:`heatmap`) as inline SVG; labels link to the pages; every text is escaped."""
    return render("heatmap.svg", map=heatmap(g, colours, cell=cell, rows_per_panel=rows_per_panel))
