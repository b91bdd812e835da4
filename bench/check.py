"""Per genre, how many generated documents gave exactly the measures their manifest says.

    python -m bench.check CORPUS                      # runs the extraction itself
    python -m bench.check CORPUS --extract FILE.jsonl # `kg extract --format json CORPUS/*` or out/extract.jsonl

CORPUS is a folder written by :mod:`bench.generate`; its ``.manifest.json`` gives per document its
genre, the number of measures it should yield and the count it announces. The records are `kg extract`
JSON objects or :class:`kg.model.DocumentRecord` objects, matched to the manifest by file name.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.genres import FIELD_GENRE, GENRES

__all__ = ["GenreFigures", "check_measures", "format_table", "main", "read_records"]


@dataclass
class GenreFigures:
    """What the pipeline found in the documents of one generated genre."""

    genre: str
    field_genre: str
    docs: int = 0
    exact: int = 0  # documents with exactly the manifest's number of measures
    measures_expected: int = 0
    measures_found: int = 0
    announced_docs: int = 0  # documents that announce a count
    announced_read: int = 0  # … whose record has that announced_count
    genre_read: int = 0  # documents whose record has the field genre


def _found(record: object) -> tuple[str, int, int | None, str | None]:
    if isinstance(record, dict):
        source, measures = record.get("source") or "", record.get("measures") or ()
        return Path(source).name, len(measures), record.get("announced_count"), record.get("genre")
    source = str(getattr(record, "source", ""))
    measures = getattr(record, "measures", ()) or ()
    return Path(source).name, len(measures), getattr(record, "announced_count", None), getattr(record, "genre", None)


def check_measures(manifest: dict, records: Iterable[object]) -> dict[str, GenreFigures]:
    """Figures per genre (in :data:`bench.genres.GENRES` order) of the manifest's documents; a document
    without a record counts as found nothing."""
    found = {name: rest for name, *rest in map(_found, records)}
    figures: dict[str, GenreFigures] = {}
    for doc in manifest["documents"]:
        genre = doc.get("genre", "plan")
        fig = figures.setdefault(genre, GenreFigures(genre, doc.get("field_genre") or FIELD_GENRE.get(genre, genre)))
        n, announced, read_genre = found.get(doc["file"], (0, None, None))
        fig.docs += 1
        fig.exact += n == doc["measures"]
        fig.measures_expected += doc["measures"]
        fig.measures_found += n
        if doc.get("announced") is not None:
            fig.announced_docs += 1
            fig.announced_read += announced == doc["announced"]
        fig.genre_read += read_genre == fig.field_genre
    order = {g: i for i, g in enumerate(GENRES)}
    return dict(sorted(figures.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def format_table(figures: dict[str, GenreFigures]) -> str:
    """A Markdown table of :func:`check_measures`' figures, with a total row."""
    rows = [
        "| genre | field genre | docs | measures exact | measures found / generated | announced read | genre read |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    total = GenreFigures("**all**", "")
    for f in figures.values():
        rows.append(
            f"| {f.genre} | {f.field_genre} | {f.docs} | {f.exact}/{f.docs} | {f.measures_found} / {f.measures_expected}"
            f" | {f.announced_read}/{f.announced_docs} | {f.genre_read}/{f.docs} |"
        )
        for name in ("docs", "exact", "measures_expected", "measures_found", "announced_docs", "announced_read"):
            setattr(total, name, getattr(total, name) + getattr(f, name))
        total.genre_read += f.genre_read
    rows.append(
        f"| {total.genre} | | {total.docs} | {total.exact}/{total.docs} | {total.measures_found} / "
        f"{total.measures_expected} | {total.announced_read}/{total.announced_docs} | {total.genre_read}/{total.docs} |"
    )
    return "\n".join(rows)


def read_records(path: Path) -> list[dict]:
    """The JSON objects of a JSON Lines file (`kg extract --format json`, out/extract.jsonl)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder written by bench.generate")
    parser.add_argument("--extract", type=Path, help="kg extract JSON Lines (default: extract the corpus here)")
    args = parser.parse_args(argv)
    from bench.generate import read_manifest

    manifest = read_manifest(args.corpus)
    if args.extract:
        records: list[object] = list(read_records(args.extract))
    else:
        from kg.pipeline.components import process_file

        records = [process_file(args.corpus / d["file"]) for d in manifest["documents"]]
    print(format_table(check_measures(manifest, records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
