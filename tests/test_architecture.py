"""The package's shape, checked from the ast of every module under kg/ (nothing is imported or run).

Imports point one way: errors < namespaces < model < text < vocab < ingest < pipeline < graph < run < surface < cli
(a module may import its own layer or a lower one, even inside a function); nothing imports kg.cli; no cycle.
Modules stay small (600 lines; the CLI 300), the pipeline shows as subpackages, and word lists live in data files.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
KG = ROOT / "kg"

#: kg.<first part> -> layer; a module may import only from its own layer or a lower one
LAYERS = {
    name: rank
    for rank, name in enumerate(
        ["errors", "namespaces", "model", "text", "vocab", "ingest", "pipeline", "graph", "run", "surface", "cli"]
    )
}
MAX_LINES = 600
MAX_CLI_LINES = 300
MIN_SUBPACKAGES = 4
MAX_CJK = 200
#: the one import that may point up: the root package re-exports the Python API lazily (a module __getattr__)
LAZY_API = ("kg", "kg.surface.api")
CJK = re.compile(r"[\u3400-\u9fff]")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(KG.rglob("*.py"))}


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module name of a `from … import …` (relative imports resolved against `module`)."""
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:` (not run: left out of the cycle check only)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return found


@cache
def _imports() -> list[tuple[str, str, int, bool]]:
    """(importer, imported kg module, line, at run time) for every import of kg.* anywhere in a module."""
    modules = _modules()
    edges = []
    for module, path in modules.items():
        tree = _tree(path)
        typing_only = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path, node)
                # `from kg.pkg import name` imports the submodule kg.pkg.name when there is one
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                if target == "kg" or target.startswith("kg."):
                    edges.append((module, target, node.lineno, id(node) not in typing_only))
    return edges


def _layer(module: str) -> int | None:
    """The layer of kg.<part>…; the root package `kg` (a docstring and the version) is below them all."""
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else -1


def test_every_module_is_in_a_layer():
    unplaced = [m for m in _modules() if m != "kg" and _layer(m) is None]
    assert not unplaced, f"modules outside the layers {list(LAYERS)}: {unplaced}"


def test_imports_point_down():
    upward = []
    for importer, imported, line, _ in _imports():
        if (importer, imported) == LAZY_API:
            continue  # checked by test_the_root_package_loads_the_api_lazily
        low, high = _layer(imported), _layer(importer)
        if low is not None and high is not None and low <= high:
            continue
        upward.append(f"{_modules()[importer].relative_to(ROOT)}:{line}: {importer} imports {imported}")
    assert not upward, f"{len(upward)} imports point up (order: {' < '.join(LAYERS)}):\n" + "\n".join(upward)


def test_the_root_package_loads_the_api_lazily():
    """kg/__init__.py imports nothing of kg at module level, only kg.surface.api inside a function
    (``kg.open`` …, PEP 562), so ``import kg`` stays cheap and no import cycle runs at import time."""
    tree = _tree(KG / "__init__.py")
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert not top, f"kg/__init__.py imports at module level: {[ast.unparse(n) for n in top]}"
    from_root = {imported for importer, imported, _, _ in _imports() if importer == "kg"}
    assert from_root == {LAZY_API[1]}, from_root
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert any(isinstance(n, ast.ImportFrom) for f in functions for n in ast.walk(f))


def test_nothing_imports_the_cli():
    users = [
        f"{_modules()[importer].relative_to(ROOT)}:{line}"
        for importer, imported, line, _ in _imports()
        if (imported == "kg.cli" or imported.startswith("kg.cli.")) and importer != "kg.cli"
    ]
    assert not users, f"kg.cli is imported by {users}"


def test_no_import_cycle():
    graph = nx.DiGraph()
    graph.add_nodes_from(_modules())
    edges = [(a, b) for a, b, _, runtime in _imports() if runtime and a != b and b in _modules() and (a, b) != LAZY_API]
    graph.add_edges_from(edges)
    cycles = sorted(" -> ".join([*c, c[0]]) for c in nx.simple_cycles(graph))
    assert not cycles, f"{len(cycles)} import cycles:\n" + "\n".join(cycles[:20])


def _first_import(source: str) -> ast.ImportFrom:
    node = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom))
    return node


def test_the_resolver_sees_relative_imports_and_imports_inside_functions():
    """Self-check of the import resolver."""
    inside = _first_import("def f():\n    from kg.cli import main\n")
    assert _resolve("kg.text.chars", KG / "text" / "chars.py", inside) == "kg.cli"
    assert _resolve("kg.run.cache", KG / "run" / "cache.py", _first_import("from ..graph import build\n")) == "kg.graph"
    assert _resolve("kg.run", KG / "run" / "__init__.py", _first_import("from .cache import x\n")) == "kg.run.cache"
    assert ("kg.run.build", "kg.graph.store") in {(a, b) for a, b, _, _ in _imports()}


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_600_lines():
    big = {str(p.relative_to(ROOT)): n for p in _modules().values() if (n := _lines(p)) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: {big}"


def test_the_cli_is_thin():
    n = _lines(KG / "cli.py")
    assert n <= MAX_CLI_LINES, f"kg/cli.py has {n} lines (at most {MAX_CLI_LINES}: {n - MAX_CLI_LINES} too many)"


def test_the_pipeline_shows_as_subpackages():
    subpackages = sorted(p.parent.name for p in KG.glob("*/__init__.py"))
    assert len(subpackages) >= MIN_SUBPACKAGES, subpackages
    for name in subpackages:
        assert name in LAYERS, f"kg/{name}/ is in no layer"


def test_tests_mirror_the_packages():
    """Every subpackage of kg/ has its test folder (tests/<package>/) holding at least one test module."""
    for init in sorted(KG.glob("*/__init__.py")):
        folder = ROOT / "tests" / init.parent.name
        assert list(folder.glob("test_*.py")), f"kg/{init.parent.name}/ has no tests/{init.parent.name}/test_*.py"


def _docstring_ids(tree: ast.Module) -> set[int]:
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docs.add(id(first.value))
    return docs


def _cjk_counts() -> dict[str, int]:
    """CJK characters (U+3400–U+9FFF) in string literals that are not docstrings, per module."""
    counts = {}
    for path in _modules().values():
        tree = _tree(path)
        docs = _docstring_ids(tree)
        n = sum(
            len(CJK.findall(node.value))
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
        )
        if n:
            counts[str(path.relative_to(ROOT))] = n
    return counts


def test_word_lists_live_in_data_files():
    counts = _cjk_counts()
    total = sum(counts.values())
    worst = dict(sorted(counts.items(), key=lambda kv: -kv[1])[:8])
    assert total <= MAX_CJK, f"{total} CJK characters in string literals (at most {MAX_CJK}); most in {worst}"


@pytest.mark.parametrize("module", sorted(m for m in _modules() if not m.endswith("__main__")))
def test_every_module_says_what_it_is(module):
    tree = _tree(_modules()[module])
    if not tree.body:
        return  # an empty __init__.py
    assert ast.get_docstring(tree), f"{module} has no docstring"
    if _modules()[module].name != "__init__.py" or any(isinstance(n, ast.ImportFrom) for n in tree.body):
        names = [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]
        names += [n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]
        assert "__all__" in names, f"{module} has no __all__"
