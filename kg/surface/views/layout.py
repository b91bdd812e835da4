"""Seeded networkx layouts for the views, in vis-network pixels: a spring layout for small rooted views,
rings by BFS depth for big ones (no scipy), and the overview's circle of jurisdictions with sunflowers of
programmes. Same graph, same positions."""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import pairwise

import networkx as nx

__all__ = [
    "LAYOUT_THRESHOLD",
    "SPRING_THRESHOLD",
    "overview_layout",
    "radial_positions",
    "spring_positions",
    "view_positions",
]

#: above this many nodes a view is drawn exactly where networkx put it (physics off)
LAYOUT_THRESHOLD = 300
#: up to this many nodes a view starts from a spring layout; bigger ones from rings (a spring layout of 200
#: nodes took ~1 s, 50 % of the views of 100 documents; the browser's physics relaxes either start)
SPRING_THRESHOLD = 60

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def spring_positions(g: nx.Graph, root=None, *, seed: int = 7) -> dict:
    """A seeded networkx spring layout (the root, if any, fixed in the middle), in vis pixels."""
    if g.number_of_nodes() == 0:
        return {}
    h = nx.Graph()
    h.add_nodes_from(sorted(g.nodes, key=str))
    h.add_edges_from(sorted((tuple(sorted(e, key=str)) for e in g.edges), key=lambda e: (str(e[0]), str(e[1]))))
    n = h.number_of_nodes()
    fixed = [root] if root is not None and n > 1 else None
    pos = nx.spring_layout(
        h, pos={root: (0.0, 0.0)} if fixed else None, fixed=fixed, seed=seed, iterations=100, k=1.6 / math.sqrt(n)
    )
    scale = 70.0 * math.sqrt(n)
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in pos.items()}


def _width(d: dict) -> float:
    """Room a node needs along a ring (vis pixels): boxes are wide, dots and diamonds small."""
    return 160.0 if d.get("kind") in ("jurisdiction", "document", "measure", "section") else 56.0


def radial_positions(g: nx.Graph, root, *, ring: float = 260.0) -> dict:
    """A layout for big graphs in O(n log n), no scipy: rings around `root` by BFS depth. The first
    ring is split in proportion to subtree sizes; a node further out sits at the mean angle of its
    neighbours on the ring inside (so shared nodes fall between their parents); each ring is made long
    enough for its nodes and nodes are then spread along it so that none overlap."""
    depth = nx.single_source_shortest_path_length(g, root)
    rings: dict[int, list] = defaultdict(list)
    for n, d in depth.items():
        rings[d].append(n)
    tree = nx.bfs_tree(g, root, sort_neighbors=lambda ns: sorted(ns, key=str))
    size: dict = {}
    for node in reversed(list(nx.topological_sort(tree))):
        size[node] = 1 + sum(size[k] for k in tree.successors(node))
    pos, angle, r = {root: (0.0, 0.0)}, {root: 0.0}, 0.0
    for d in range(1, max(rings, default=0) + 1):
        nodes = sorted(rings[d], key=str)
        widths = {n: _width(g.nodes[n]) for n in nodes}
        r = max(r + ring, 1.5 * sum(widths.values()) / (2 * math.pi))  # some slack for uneven crowding
        if d == 1:
            total, lo, want = sum(size[n] for n in nodes), 0.0, {}
            for n in nodes:
                span = 2 * math.pi * size[n] / total
                want[n], lo = lo + span / 2, lo + span
        else:
            want = {}
            for n in nodes:
                inner = [angle[m] for m in g[n] if depth.get(m) == d - 1]
                x, y = sum(math.cos(a) for a in inner), sum(math.sin(a) for a in inner)
                want[n] = math.atan2(y, x) % (2 * math.pi) if (x or y) else 0.0
        order = sorted(nodes, key=lambda n: (want[n], str(n)))
        gaps = [(widths[a] + widths[b]) / 2 / r for a, b in pairwise(order)]
        ahead, behind = [want[order[0]]], [want[order[-1]]]
        for i, n in enumerate(order[1:]):  # pushed forward where crowded …
            ahead.append(max(want[n], ahead[-1] + gaps[i]))
        for i in range(len(order) - 2, -1, -1):  # … and backward; the mean keeps the gaps, centred
            behind.append(min(want[order[i]], behind[-1] - gaps[i]))
        for n, a, b in zip(order, ahead, reversed(behind), strict=True):
            angle[n] = (a + b) / 2
            pos[n] = (r * math.cos(angle[n]), r * math.sin(angle[n]))
    rest = sorted((n for n in g if n not in pos), key=str)  # not connected to the root
    for i, n in enumerate(rest):
        pos[n] = (-r + (i % 40) * 60.0, r + ring + (i // 40) * 60.0)
    return pos


def view_positions(g: nx.Graph, root) -> dict:
    """Positions for a rooted view: a seeded spring layout up to SPRING_THRESHOLD nodes, a radial tree
    beyond; up to LAYOUT_THRESHOLD nodes the browser then relaxes it with a short physics run, bigger views
    are drawn as they are (physics off)."""
    if g.number_of_nodes() <= SPRING_THRESHOLD:
        return spring_positions(g, root)
    return radial_positions(g, root)


def _separate(centres, radii, movable, *, gap: float = 24.0, rounds: int = 300):
    """Push overlapping discs apart (fixed discs do not move); deterministic, numpy-vectorised."""
    import numpy as np

    c = np.array(centres, dtype=float).reshape(-1, 2)
    r = np.array(radii, dtype=float)
    m = np.array(movable, dtype=float)
    k = len(r)
    jitter = np.array([[math.cos(_GOLDEN_ANGLE * i), math.sin(_GOLDEN_ANGLE * i)] for i in range(k)])
    for _ in range(rounds):
        diff = c[:, None, :] - c[None, :, :]
        dist = np.hypot(diff[..., 0], diff[..., 1])
        need = r[:, None] + r[None, :] + gap
        overlap = np.triu(need - dist, 1)
        overlap[overlap < 0] = 0
        if not overlap.any():
            break
        overlap = overlap + overlap.T
        same = dist < 1e-6
        unit = np.where(same[..., None], jitter[:, None, :] - jitter[None, :, :], diff)
        unit = unit / np.maximum(np.hypot(unit[..., 0], unit[..., 1]), 1e-9)[..., None]
        share = m[:, None] / np.maximum(m[:, None] + m[None, :], 1e-9)
        c += (unit * (overlap * share)[..., None]).sum(axis=1) * 0.5
    return [(float(x), float(y)) for x, y in c]


def overview_layout(g: nx.Graph, *, spacing: float = 90.0) -> dict:
    """Jurisdictions on a circle, each in the middle of a sunflower of the programmes only it mentions;
    programmes shared by several jurisdictions grouped by that set, each group a disc at the centre of its
    jurisdictions (shared by all in the middle), discs pushed apart so that nothing overlaps."""
    jurs = sorted(
        (n for n, d in g.nodes(data=True) if d["kind"] == "jurisdiction"), key=lambda n: (g.nodes[n]["label"], str(n))
    )
    if not jurs:
        return {}
    groups: dict[tuple, list] = defaultdict(list)
    for n, d in g.nodes(data=True):
        if d["kind"] == "programme":
            groups[tuple(sorted(g[n], key=str))].append(n)
    for j in jurs:
        groups.setdefault((j,), [])
    keys = sorted(groups, key=lambda s: (-len(s), [jurs.index(j) for j in s]))
    step = {s: spacing + 8 * len(s) for s in keys}
    hole = {s: 3 if len(s) == 1 else 0 for s in keys}  # room for the jurisdiction's own box
    radius = {s: 0.58 * step[s] * math.sqrt(len(groups[s]) + hole[s]) + step[s] / 2 for s in keys}
    inner = sum(math.pi * radius[s] ** 2 for s in keys if len(s) > 1)
    big_r = max(260.0, math.sqrt(1.2 * inner / math.pi))
    if len(jurs) > 1:
        ring = [radius[(j,)] for j in jurs]
        chord = 2 * math.sin(math.pi / len(jurs))
        big_r = max(big_r, *((ring[i] + ring[(i + 1) % len(jurs)] + 40) / chord for i in range(len(jurs))))
    jpos = {
        j: (big_r * math.cos(2 * math.pi * i / len(jurs) - math.pi / 2), big_r * math.sin(2 * math.pi * i / len(jurs) - math.pi / 2))
        for i, j in enumerate(jurs)
    }  # fmt: skip
    centres = [
        (sum(jpos[j][0] for j in s) / len(s), sum(jpos[j][1] for j in s) / len(s)) for s in keys
    ]  # fmt: skip
    placed = _separate(centres, [radius[s] for s in keys], [0.0 if len(s) == 1 else 1.0 for s in keys])
    pos = dict(jpos)
    for (cx, cy), s in zip(placed, keys, strict=True):
        members = sorted(groups[s], key=lambda p: (-g.nodes[p].get("mentions", 0), g.nodes[p]["label"], str(p)))
        for i, p in enumerate(members):
            k = i + hole[s]
            rr = 0.58 * step[s] * math.sqrt(k + 0.5) if len(members) + hole[s] > 1 else 0.0
            pos[p] = (cx + rr * math.cos(k * _GOLDEN_ANGLE), cy + rr * math.sin(k * _GOLDEN_ANGLE))
    return pos
