"""The UI text that the views' Python side writes into the pages (``templates/text.json``).

Kind names, detail lines, tooltips and page titles live there, not in code; the pages' own words are in
the templates and in ``static/*.js``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

__all__ = ["kind_name", "say", "ui_text"]


@cache
def ui_text() -> dict:
    """templates/text.json, read once."""
    return json.loads(files("kg.surface.views").joinpath("templates", "text.json").read_text(encoding="utf-8"))


def kind_name(kind: str) -> str:
    """'管辖区域 jurisdiction' for 'jurisdiction' (the kind itself when it has no name)."""
    return ui_text()["kinds"].get(kind, kind)


def say(key: str, **fields) -> str:
    """The text under a dotted `key` (``"titles.programme"``), its ``{placeholders}`` filled from `fields`."""
    node = ui_text()
    for part in key.split("."):
        node = node[part]
    text = str(node)
    return text.format(**fields) if fields else text
