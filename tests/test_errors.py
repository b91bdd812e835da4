"""The error catalogue (kg/errors.py): one stable code per message, one line each, all documented in docs/errors.md."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from kg import errors
from kg.errors import KgError, catalogue, catalogue_markdown

ROOT = Path(__file__).resolve().parents[1]
KG = ROOT / "kg"
DOC = ROOT / "docs" / "errors.md"


def _classes() -> list[type[KgError]]:
    return [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, KgError)]


def _methods():
    for cls in _classes():
        for name, member in vars(cls).items():
            if isinstance(member, classmethod):
                yield cls, name


def _call(cls: type[KgError], name: str, text: str) -> KgError:
    """Call a catalogue method with every argument set to `text` (ints to 7, lists to [text])."""
    method = getattr(cls, name)
    args = []
    for p in inspect.signature(method).parameters.values():
        kind = str(p.annotation)
        args.append(7 if kind in ("int", "float") else [text, text] if "list" in kind or "Iterable" in kind else text)
    return method(*args)


METHODS = sorted(f"{cls.__name__}.{name}" for cls, name in _methods())


def test_every_error_class_is_in_the_catalogue_module():
    names = {c.__name__ for c in _classes()}
    assert {"KgError", "IngestError", "QueryError", "ConfigError", "PushError", "ServeError"} <= names
    for path in sorted(KG.rglob("*.py")):
        if path.name == "errors.py" and path.parent == KG:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                assert not bases & names, f"{path.relative_to(ROOT)}: class {node.name} belongs in kg/errors.py"


def test_errors_are_built_only_by_catalogue_methods():
    """`raise QueryError(f"...")` would give a message no code of its own: use (or add) a classmethod."""
    names = {c.__name__ for c in _classes()}
    direct = []
    for path in sorted(KG.rglob("*.py")):
        if path.name == "errors.py" and path.parent == KG:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
                direct.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}(...)")
    assert not direct, "\n".join(direct)


def test_every_code_is_unique_and_in_its_class_range():
    seen: dict[str, str] = {}
    for cls, name in _methods():
        exc = _call(cls, name, "x")
        assert isinstance(exc, cls), f"{cls.__name__}.{name} must return a {cls.__name__}"
        assert re.fullmatch(r"E\d{3}", exc.code), exc.code
        assert exc.code != cls.code, f"{cls.__name__}.{name} has no code of its own"
        assert exc.code[:2] == cls.code[:2], f"{cls.__name__}.{name}: {exc.code} is outside {cls.code[:2]}xx"
        assert exc.code not in seen, f"{exc.code} is used by both {seen[exc.code]} and {cls.__name__}.{name}"
        seen[exc.code] = f"{cls.__name__}.{name}"
    ranges = {cls.code[:2] for cls in _classes()}
    assert len(ranges) == len(_classes()), "each class has its own range"
    assert len(seen) >= 40


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("text", ["doc.txt", "a\nb\r\nc", "  spaced  out  "])
def test_every_message_is_one_line_with_its_code(method, text):
    cls_name, _, name = method.partition(".")
    exc = _call(getattr(errors, cls_name), name, text)
    message = str(exc)
    assert message.startswith(f"[{exc.code}] ") and len(message) > len(exc.code) + 4
    assert len(message.splitlines()) == 1 and "\n" not in message and "\r" not in message, message


def test_a_plain_message_keeps_its_spacing():
    exc = errors.IngestError.empty("a  b.txt")
    assert str(exc) == "[E101] a  b.txt: the file is empty"


def test_every_code_is_documented():
    documented = re.findall(r"^\| (E\d{3}) \|", DOC.read_text(encoding="utf-8"), flags=re.M)
    assert documented == [e.code for e in catalogue()]
    assert DOC.read_text(encoding="utf-8") == catalogue_markdown(), (
        "docs/errors.md is out of date: python -m kg.errors > docs/errors.md"
    )
