"""The intended shape of the code (../shared/ARCHITECTURE.md, docs/architecture.md),
checked on the source: each rule is one test, and each failure names the file
and line that breaks it.

Layers, top to bottom:
    channels   hub/views, hub/api, hub/feeds.py, hub/oai.py, hub/sitemap.py, hub/cli.py
    services   hub/services
    below      hub/models, hub/content, hub/search, hub/security
    extensions hub/extensions.py
Imports inside functions count as much as those at the top: a lazy import
hides a dependency from the reader, not from the design.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from hub.security.policy import RULES, Action

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"


# -- reading the source ------------------------------------------------------------
def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(HUB.rglob("*.py"))}


@dataclass(frozen=True)
class Import:
    """One imported module (or one name from a module) at a place in a file."""
    source: str      # importing module
    target: str      # imported module: a hub submodule when the name is one
    name: str | None  # the name taken from ``target`` (``from target import name``)
    line: int
    lazy: bool       # inside a function

    def where(self) -> str:
        return f"{MODULES[self.source].relative_to(ROOT)}:{self.line}"


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"), filename=str(MODULES[module]))


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    """Every import the module makes at run time (``if TYPE_CHECKING`` blocks
    left out: they never run)."""
    tree = _tree(module)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def lazy(node: ast.AST) -> bool:
        while node in parents:
            node = parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return True
        return False

    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found += [Import(module, a.name, None, node.lineno, lazy(node)) for a in node.names]
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join(anchor + ([node.module] if node.module else []))
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            found.append(Import(module, sub, None, node.lineno, lazy(node)) if sub in MODULES
                         else Import(module, base, alias.name, node.lineno, lazy(node)))
    return tuple(found)


def _under(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


CHANNELS = ("hub.views", "hub.api", "hub.feeds", "hub.oai", "hub.sitemap", "hub.cli")
SERVICES = ("hub.services",)
BELOW = ("hub.models", "hub.content", "hub.search", "hub.security")
EXTENSIONS = "hub.extensions"


def modules_in(*prefixes: str) -> list[str]:
    return [m for m in MODULES if _under(m, *prefixes)]


def _violations(modules, forbidden) -> list[str]:
    """``file:line module imports target`` for each import that ``forbidden(imp)`` refuses."""
    return [f"{imp.where()} {imp.source} imports {imp.target}{'.' + imp.name if imp.name else ''}"
            + (" (inside a function)" if imp.lazy else "")
            for m in modules for imp in imports_of(m) if forbidden(imp)]


# -- the seven never-arrows ----------------------------------------------------------
def test_channels_never_touch_the_database_session():
    """Rule 1: a view, endpoint, feed or command "never touches db.session"."""
    bad = _violations(modules_in(*CHANNELS), lambda i: i.target == EXTENSIONS and i.name in (None, "db"))
    assert not bad, "a channel reaches the database session; call a service instead:\n" + "\n".join(bad)


def test_channels_never_import_whoosh():
    """Rule 1: a channel "never imports whoosh": search goes through services.search."""
    bad = _violations(modules_in(*CHANNELS), lambda i: _under(i.target, "whoosh"))
    assert not bad, "a channel imports Whoosh; go through the search service:\n" + "\n".join(bad)


def test_services_never_import_channels():
    """Dependencies point one way: channels -> services, never back."""
    bad = _violations(modules_in(*SERVICES), lambda i: _under(i.target, *CHANNELS, "hub.forms"))
    assert not bad, "a service imports a channel (views, api, feeds, OAI, sitemap, CLI or forms):\n" + "\n".join(bad)


def test_models_content_search_and_security_never_import_services():
    """Dependencies point one way: services -> (models, content, search, security), never back."""
    bad = _violations(modules_in(*BELOW), lambda i: _under(i.target, *SERVICES))
    assert not bad, "a module below the services imports a service:\n" + "\n".join(bad)


def test_models_content_search_and_security_never_import_channels():
    bad = _violations(modules_in(*BELOW), lambda i: _under(i.target, *CHANNELS, "hub.forms"))
    assert not bad, "a module below the services imports a channel:\n" + "\n".join(bad)


def test_extensions_import_nothing_of_the_hub():
    """extensions is the bottom of the stack: everything may import it, it imports no hub module."""
    bad = _violations([EXTENSIONS], lambda i: _under(i.target, "hub"))
    assert not bad, "hub/extensions.py imports a hub module:\n" + "\n".join(bad)


#: Modules of hub/security whose job is the HTTP request itself: they are
#: request hooks and the login loader, installed by create_app, and no
#: service or model calls them with a request of its own.
REQUEST_HOOKS = {
    "hub.security.auth": "the login loader and the API's Bearer token (reads the Authorization header)",
    "hub.security.origin": "a before_request hook: production POSTs must come from the hub's own pages",
    "hub.security.form_size": "a before_request hook: the size limit of forms without files",
}
REQUEST_STATE = {"request", "session", "g", "current_user"}


def test_nothing_below_the_services_reads_the_request():
    """ "Nothing below services reads the Flask request": models, content,
    search and the policy get what they need as arguments."""
    def reads_request(imp: Import) -> bool:
        return ((_under(imp.target, "flask", "flask_login") and (imp.name in REQUEST_STATE or imp.name is None))
                or imp.target == "flask.globals")
    modules = [m for m in modules_in(*BELOW) if m not in REQUEST_HOOKS]
    bad = _violations(modules, reads_request)
    assert not bad, ("a module below the services reads the request (request, session, g or "
                     "current_user); pass what it needs as an argument:\n" + "\n".join(bad))
    assert set(REQUEST_HOOKS) <= set(MODULES), "a REQUEST_HOOKS entry names a module that is gone"


PURE = [m for m in MODULES if _under(m, "hub.content")] + ["hub.security.policy"]
#: flask_babel is not here: marking a label for translation (``lazy_gettext``)
#: needs no app, and outside one the text is simply not translated.
IMPURE = ("flask", "flask_login", "flask_sqlalchemy", "flask_wtf", "sqlalchemy",
          EXTENSIONS, "hub.models", "hub.services")


@pytest.mark.parametrize("module", PURE)
def test_content_and_the_policy_are_pure(module):
    """ "content/* and security/policy.py are pure and tested without an app":
    neither they nor anything they import at load time touches Flask or the database."""
    bad = _violations([module], lambda i: _under(i.target, *IMPURE))
    seen, todo = {module}, [module]
    while todo:  # what importing the module loads, transitively
        for imp in imports_of(todo.pop()):
            if not imp.lazy and imp.target in MODULES and imp.target not in seen:
                seen.add(imp.target)
                todo.append(imp.target)
                bad += [f"{b} (loaded by {module})" for b in _violations([imp.target], lambda i: not i.lazy
                                                                        and _under(i.target, *IMPURE))]
    assert not bad, f"{module} should be pure (no Flask, no database):\n" + "\n".join(bad)


# -- channels never decide a permission with the policy's require ---------------------
#: (file, function) pairs that still call ``require`` in the view, with the
#: change that removes them. An entry must still be true: when the call goes,
#: the entry goes, so the list only ever shrinks.
STILL_CALLING_REQUIRE: dict[tuple[str, str], str] = {}


def _require_calls(module: str) -> list[tuple[str, int, str]]:
    """(function, line, call) for each call of the policy's ``require`` in the module."""
    tree = _tree(module)
    direct, via_module = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "hub.security.policy":
            direct |= {a.asname or a.name for a in node.names if a.name == "require"}
        elif isinstance(node, ast.ImportFrom) and node.module == "hub.security":
            via_module |= {a.asname or a.name for a in node.names if a.name == "policy"}
        elif isinstance(node, ast.Import):
            via_module |= {a.asname or a.name for a in node.names if a.name == "hub.security.policy"}
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                func = child.func
                if (isinstance(func, ast.Name) and func.id in direct) or (
                        isinstance(func, ast.Attribute) and func.attr == "require"
                        and ast.unparse(func.value) in via_module | {"hub.security.policy"}):
                    found.append((name, child.lineno, ast.unparse(child)))
            visit(child, name)

    visit(tree, "<module>")
    return found


def test_channels_never_call_the_policys_require():
    """Rule 1: a channel "never decides a permission itself". The service it
    calls checks, so every channel gets the same answer."""
    seen, bad = set(), []
    for module in modules_in(*CHANNELS):
        path = MODULES[module].relative_to(ROOT).as_posix()
        for function, line, call in _require_calls(module):
            seen.add((path, function))
            if (path, function) not in STILL_CALLING_REQUIRE:
                bad.append(f"{path}:{line} {function}() calls {call}")
    assert not bad, "a channel decides a permission; let the service it calls require it:\n" + "\n".join(bad)
    stale = sorted(set(STILL_CALLING_REQUIRE) - seen)
    assert not stale, f"these no longer call require: delete them from STILL_CALLING_REQUIRE: {stale}"


# -- no import cycle ------------------------------------------------------------------
#: Cycles known and owned by a change under way; an entry must still be a cycle.
KNOWN_CYCLES: dict[frozenset[str], str] = {}


def _cycles() -> list[list[str]]:
    """The strongly connected groups of two or more hub modules (Tarjan)."""
    graph = {m: sorted({i.target for i in imports_of(m) if i.target in MODULES and i.target != m}) for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            connect(module)
    return groups


def test_no_import_cycle_among_hub_modules():
    """A cycle means neither module can be read, tested or changed alone; a
    lazy import inside a function only hides it."""
    bad = []
    groups = _cycles()
    for group in groups:
        if frozenset(group) in KNOWN_CYCLES:
            continue
        edges = [f"  {i.where()} {i.source} -> {i.target}" + (" (inside a function)" if i.lazy else "")
                 for m in group for i in imports_of(m) if i.target in group and i.target != m]
        bad.append(" <-> ".join(group) + ":\n" + "\n".join(edges))
    assert not bad, "import cycles among hub modules:\n" + "\n".join(bad)
    stale = [sorted(c) for c in KNOWN_CYCLES if sorted(c) not in groups]
    assert not stale, f"no longer a cycle: delete from KNOWN_CYCLES: {stale}"


# -- the policy's own shape -----------------------------------------------------------
def test_every_action_has_a_rule():
    assert set(RULES) == set(Action)


# -- the checks above see what they claim to see ----------------------------------------
def test_lazy_and_relative_imports_are_seen(tmp_path, monkeypatch):
    """A cycle through an import inside a function, written relatively, is still found."""
    source = {"hub.fake_a": "def f():\n    from .fake_b import g\n",
              "hub.fake_b": "from hub import fake_a\n\ndef g():\n    return fake_a\n"}
    for name, text in source.items():
        (tmp_path / f"{name.split('.')[-1]}.py").write_text(text)
        monkeypatch.setitem(MODULES, name, tmp_path / f"{name.split('.')[-1]}.py")
    imports_of.cache_clear()
    _tree.cache_clear()
    try:
        assert ["hub.fake_a", "hub.fake_b"] in _cycles()
        [lazy] = imports_of("hub.fake_a")
        assert lazy.lazy and lazy.target == "hub.fake_b" and lazy.name == "g"
    finally:
        imports_of.cache_clear()
        _tree.cache_clear()
