"""The query page at ``/``: templates/endpoint.html (Jinja2, autoescaped) and its script, static/endpoint.js."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["PAGE_CSP", "STATIC", "render_page", "static_file"]

PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'"
)
#: the page's own files (static/), served by the guard: URL path -> media type
STATIC = {"/endpoint.js": "application/javascript; charset=utf-8"}


@cache
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("kg.surface.serve", "templates"),
        autoescape=select_autoescape(("html",), default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _default_query() -> str:
    try:
        from kg.surface.query import load_query

        return load_query("shared-programmes").text
    except Exception:
        return "SELECT ?doc ?title WHERE { ?doc a ukg:PolicyDocument ; dcterms:title ?title }\n"


def render_page(*, max_rows: int, timeout: float) -> str:
    """The query page, with the example query in its fallback form and the endpoint's limits."""
    template = _environment().get_template("endpoint.html")
    return template.render(query=_default_query(), max_rows=f"{max_rows:,}", timeout=f"{timeout:g}")


@cache
def static_file(path: str) -> bytes:
    """The bytes of one of the page's own files (a key of :data:`STATIC`)."""
    return files("kg.surface.serve").joinpath("static", path.lstrip("/")).read_bytes()
