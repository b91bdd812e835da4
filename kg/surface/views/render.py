"""The views' HTML: Jinja2 templates (``templates/``, autoescaped) and the shared files of ``lib/``.

A page's data goes to the browser as one JSON block (``<script type="application/json">``, through
``|tojson``), and ``static/view.js`` puts every text into the DOM with ``textContent``. Every page loads
vis-network and its own script and style from the views folder's ``lib/`` (one copy, relative paths:
offline, no CDN); the Content-Security-Policy in ``templates/base.html`` forbids anything else.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["LIB", "LIB_FILES", "environment", "render", "render_page", "write_lib"]

#: the shared folder beside the pages (``out/views/lib/``)
LIB = "lib"
#: what it holds: file name -> (package, path inside it); vis-network comes from the pyvis package
LIB_FILES = {
    "vis-network.min.js": ("pyvis", "lib/vis-9.1.2/vis-network.min.js"),
    "view.js": ("kg.surface.views", "static/view.js"),
    "view.css": ("kg.surface.views", "static/view.css"),
    "index.js": ("kg.surface.views", "static/index.js"),
    "index.css": ("kg.surface.views", "static/index.css"),
    "report.css": ("kg.surface.views", "static/report.css"),
}


@cache
def environment() -> Environment:
    """The views' Jinja2 environment: templates/ (and static/, for pages that inline a file), autoescaped
    (.html, .svg), strict about undefined names; ``|tojson`` writes sorted, compact, HTML-safe JSON."""
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("kg.surface.views", "templates"), PackageLoader("kg.surface.views", "static")]
        ),
        autoescape=select_autoescape(("html", "svg", "xml")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env


def render(template: str, **context) -> str:
    """One template of templates/ rendered with `context`."""
    return environment().get_template(template).render(**context)


def render_page(
    net,
    legend: list[dict],
    *,
    title: str,
    info: dict | None = None,
    keep=(),
    compare=None,
    facets=None,
    lib: str = LIB,
    links: tuple[tuple[str, str], ...] = (),
) -> str:
    """A network page (templates/network.html) for a pyvis network: its data as a JSON block, drawn by
    `lib`/view.js with `lib`/vis-network.min.js (`lib`: the relative path from the page to lib/); `links`,
    (file name, text) pairs, are added to its navigation (a jurisdiction's brief and timeline)."""
    nodes, edges, _, _, _, options = net.get_network_data()
    options = json.loads(options) if isinstance(options, str) else options
    data = {
        "legend": legend,
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "info": info or {},
        "keep": sorted(keep, key=str),
        "compare": compare,
        "facets": facets,
    }
    return render("network.html", title=title, data=data, lib=lib, links=list(links))


def write_lib(views: str | Path) -> list[Path]:
    """Write the shared files into `views`/lib/ (vis-network copied from the pyvis package); their paths."""
    folder = Path(views) / LIB
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (package, path) in sorted(LIB_FILES.items()):
        data = files(package).joinpath(path).read_bytes()
        target = folder / name
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        written.append(target)
    return written
