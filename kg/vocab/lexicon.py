"""The lexicon: the word lists and small tables that rules match on, read from `ontology/lexicon/*.ttl`.

Cue words, units, qualifiers, periods, document kinds, section words and the like are data, not code:
an analyst who adds a unit edits Turtle. Each list is a resource of type ``lex:WordList`` whose
``lex:words`` is an RDF list (its order is kept, since some rules try words in the order given);
each table is a ``lex:WordTable`` whose ``lex:entries`` is an RDF list of RDF lists (one row each).
A list is named by its IRI's local name: ``lx:units-people`` is ``lexicon().words("units-people")``.
One file per stage (quantities.ttl, structure.ttl …); a name defined in two files is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import IdentifiedNode, Node

from kg.errors import ConfigError
from kg.namespaces import LEX, LX

__all__ = ["LEXICON_DIR", "Lexicon", "lexicon"]

#: the lexicon's folder inside an ontology folder
LEXICON_DIR = "lexicon"
_DEFAULT_DIR = Path(__file__).resolve().parents[2] / "ontology"


@dataclass(frozen=True)
class Lexicon:
    """Every word list and table of one ontology folder, by name."""

    path: str
    lists: Mapping[str, tuple[str, ...]]
    tables: Mapping[str, tuple[tuple[str, ...], ...]]

    def words(self, name: str) -> tuple[str, ...]:
        """The words of list `name`, in the order the file gives them."""
        try:
            return self.lists[name]
        except KeyError:
            raise ConfigError.missing_lexicon_entry(self.path, name, "lex:WordList") from None

    def table(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The rows of table `name`, in file order."""
        try:
            return self.tables[name]
        except KeyError:
            raise ConfigError.missing_lexicon_entry(self.path, name, "lex:WordTable") from None

    def mapping(self, name: str) -> dict[str, str]:
        """A two-column table as a dict (first column -> second)."""
        return {row[0]: row[1] for row in self.table(name)}

    def chars(self, name: str) -> str:
        """A list of single characters (or short strings) joined into one string, for character classes."""
        return "".join(self.words(name))


def lexicon(directory: str | Path | None = None) -> Lexicon:
    """The lexicon of `directory` (default: the project's `ontology/`), read once per process and file state."""
    folder = Path(directory or _DEFAULT_DIR) / LEXICON_DIR
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else []
    if not files:
        raise ConfigError.missing_file(str(folder), "the lexicon of word lists, *.ttl")
    state = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _load(str(folder), state)


def _local(node: Node) -> str:
    return str(node)[len(str(LX)) :] if str(node).startswith(str(LX)) else str(node).rsplit("/", 1)[-1]


def _text(node: Node) -> str:
    if not isinstance(node, Literal):
        raise ValueError(f"expected a string, found {node}")
    return str(node)


@lru_cache(maxsize=8)
def _load(folder: str, state: tuple) -> Lexicon:
    lists: dict[str, tuple[str, ...]] = {}
    tables: dict[str, tuple[tuple[str, ...], ...]] = {}
    seen: dict[str, str] = {}
    for path, _size, _mtime in state:
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # a syntax error in the analyst's Turtle: one line naming the file
            raise ConfigError.bad_file(path, str(exc)) from None
        try:
            found = _read(graph)
        except ValueError as exc:
            raise ConfigError.bad_file(path, str(exc)) from None
        new_lists, new_tables = found
        for name in (*new_lists, *new_tables):
            if name in seen:
                raise ConfigError.bad_file(path, f"lx:{name} is also defined in {seen[name]}")
            seen[name] = path
        lists.update(new_lists)
        tables.update(new_tables)
    return Lexicon(folder, lists, tables)


def _read(graph: Graph) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[tuple[str, ...], ...]]]:
    lists: dict[str, tuple[str, ...]] = {}
    tables: dict[str, tuple[tuple[str, ...], ...]] = {}
    for node in _resources(graph, LEX.WordList):
        head = graph.value(node, LEX.words)
        lists[_local(node)] = tuple(_text(w) for w in Collection(graph, head)) if head is not None else ()
    for node in _resources(graph, LEX.WordTable):
        head = graph.value(node, LEX.entries)
        rows: Iterable[Node] = Collection(graph, head) if head is not None else ()
        tables[_local(node)] = tuple(tuple(_text(c) for c in Collection(graph, row)) for row in rows)
    return lists, tables


def _resources(graph: Graph, kind: URIRef) -> list[IdentifiedNode]:
    """The resources of type `kind` in rdflib's order (a subject read from Turtle is an IRI or a blank node)."""
    return sorted(node for node in graph.subjects(RDF.type, kind) if isinstance(node, IdentifiedNode))
