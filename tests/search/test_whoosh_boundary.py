"""Whoosh's private internals live in one module, ``hub/search/whoosh_adapter.py``:
a Whoosh release that changes them breaks that module (and its tests against
Whoosh's own answers), not the query layer, the snapshot or the service.

Read from the source (nothing is imported), every module of ``hub`` other than
the adapter must not

- import a Whoosh module outside Whoosh's public API (the modules its API
  documentation describes), nor a name beginning with ``_`` from any;
- reach an attribute beginning with ``_`` that Whoosh's own code names
  (``reader._perdoc``, ``matcher._ids``), directly or through ``getattr``,
  ``hasattr`` or ``setattr``, nor any object's ``__dict__``;
- inside a class built on a Whoosh class, use such a private attribute of its
  own that the class does not set itself;
- and, inside the search package, where Whoosh objects are handled, reach any
  other object's private attribute at all.
"""
from __future__ import annotations

import ast
import warnings
from functools import lru_cache
from pathlib import Path

import whoosh

HUB = Path(__file__).resolve().parents[2] / "hub"
ADAPTER = "search/whoosh_adapter.py"
#: The modules of Whoosh's API documentation; a module inside them (whoosh.codec.whoosh3,
#: whoosh.util.numeric, whoosh.analysis.filters) is an implementation detail.
PUBLIC_MODULES = frozenset({
    "whoosh", "whoosh.analysis", "whoosh.codec", "whoosh.codec.base", "whoosh.collectors", "whoosh.columns",
    "whoosh.fields", "whoosh.filedb.filestore", "whoosh.filedb.filetables", "whoosh.filedb.structfile",
    "whoosh.formats", "whoosh.highlight", "whoosh.idsets", "whoosh.index", "whoosh.lang",
    "whoosh.lang.morph_en", "whoosh.lang.porter", "whoosh.lang.wordnet", "whoosh.matching", "whoosh.qparser",
    "whoosh.query", "whoosh.reading", "whoosh.scoring", "whoosh.searching", "whoosh.sorting", "whoosh.spelling",
    "whoosh.support.charset", "whoosh.support.levenshtein", "whoosh.util", "whoosh.writing",
})
SELF_NAMES = ("self", "cls")


@lru_cache(maxsize=1)
def whoosh_private_names() -> frozenset[str]:
    """Every name beginning with ``_`` (not a dunder) that Whoosh's own source uses."""
    names: set[str] = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        with warnings.catch_warnings():  # Whoosh's old string escapes
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                name = node.attr
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = node.name
            elif isinstance(node, ast.Name):
                name = node.id
            else:
                continue
            if _private(name):
                names.add(name)
    return frozenset(names)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_whoosh(module: str) -> bool:
    return module == "whoosh" or module.startswith("whoosh.")


def violations(source: str, *, in_search_package: bool = False) -> list[str]:
    """What in ``source`` (one module's text) reaches past Whoosh's public API."""
    tree = ast.parse(source)
    private = whoosh_private_names()
    found, whoosh_names = _import_violations(tree)

    def forbidden(name: str) -> bool:
        return _private(name) and (in_search_package or name in private)

    for node in ast.walk(tree):
        reached = isinstance(node, ast.Attribute) and not _on_self(node) and (
            node.attr == "__dict__" or forbidden(node.attr))
        if reached or _reflection_on(node, forbidden):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ClassDef) and any(_names_whoosh(base, whoosh_names) for base in node.bases):
            found.extend(_inherited_private(node, private))
    return found


def _import_violations(tree: ast.Module) -> tuple[list[str], set[str]]:
    """Imports of non-public Whoosh modules or private names, and the names
    the module binds to something of Whoosh's."""
    found: list[str] = []
    whoosh_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_whoosh(alias.name):
                    whoosh_names.add((alias.asname or alias.name).split(".")[0])
                    if alias.name not in PUBLIC_MODULES:
                        found.append(f"line {node.lineno}: import {alias.name} (not Whoosh's public API)")
        elif isinstance(node, ast.ImportFrom) and node.module and _is_whoosh(node.module):
            if node.module not in PUBLIC_MODULES:
                found.append(f"line {node.lineno}: from {node.module} import ... (not Whoosh's public API)")
            for alias in node.names:
                whoosh_names.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
    return found, whoosh_names


def _on_self(node: ast.Attribute) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id in SELF_NAMES


def _reflection_on(node: ast.AST, forbidden) -> bool:
    """``getattr(x, "_name")`` and its kin with a forbidden name."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr", "delattr") and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
            and forbidden(node.args[1].value))


def _names_whoosh(base: ast.expr, whoosh_names: set[str]) -> bool:
    while isinstance(base, ast.Attribute):
        base = base.value
    return isinstance(base, ast.Name) and base.id in whoosh_names


def _inherited_private(cls: ast.ClassDef, private: frozenset[str]) -> list[str]:
    """``self._x`` in a subclass of a Whoosh class where ``_x`` is Whoosh's (the
    class neither sets it nor defines it)."""
    own = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(cls):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                own.add(target.attr)
            elif isinstance(target, ast.Name):
                own.add(target.id)
    return [f"line {node.lineno}: {ast.unparse(node)} (inherited from Whoosh)" for node in ast.walk(cls)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id in SELF_NAMES and _private(node.attr) and node.attr in private
            and node.attr not in own]


def test_only_the_adapter_reaches_whoosh_internals():
    offenders = {}
    for path in sorted(HUB.rglob("*.py")):
        rel = path.relative_to(HUB).as_posix()
        if rel == ADAPTER:
            continue
        found = violations(path.read_text(encoding="utf-8"), in_search_package=rel.startswith("search/"))
        if found:
            offenders[rel] = found
    assert offenders == {}, "Whoosh internals outside hub/search/whoosh_adapter.py: " + repr(offenders)


def test_the_adapter_is_where_the_internals_are():
    """The check above looks at the right thing: the adapter itself, read the
    same way, is full of what every other module is kept free of."""
    found = violations((HUB / ADAPTER).read_text(encoding="utf-8"), in_search_package=True)
    assert any("_perdoc" in f for f in found) and any("whoosh.codec.whoosh3" in f for f in found)


def test_each_way_of_reaching_an_internal_is_caught():
    cases = {
        "from whoosh.codec.whoosh3 import W3Codec": False,
        "import whoosh.util.numeric": False,
        "from whoosh.analysis.filters import STOP_WORDS": False,
        "from whoosh.reading import _something": False,
        "def f(reader):\n    return reader._perdoc": False,
        "def f(matcher):\n    return getattr(matcher, '_ids', None)": False,
        "def f(reader, core):\n    reader.__dict__.update(core.__dict__)": False,
        "from whoosh.reading import SegmentReader\nclass R(SegmentReader):\n"
        "    def f(self):\n        return self._perdoc": False,
        "def f(snap):\n    return snap._leaf_keys": True,  # any private attribute, in the search package
    }
    for source, in_search_package in cases.items():
        assert violations(source, in_search_package=in_search_package), source


def test_the_public_api_and_a_class_own_names_pass():
    fine = ("from whoosh.analysis import STOP_WORDS, Token, Tokenizer\n"
            "from whoosh.reading import SegmentReader\n"
            "from whoosh import index as whoosh_index\n"
            "class A(Tokenizer):\n"
            "    def __init__(self):\n        self._memo = {}\n"
            "    def f(self, reader):\n        return self._memo, reader.doc_count_all()\n")
    assert violations(fine, in_search_package=True) == []
