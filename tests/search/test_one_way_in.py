"""Every caller reaches search through the search service: the query layer
and the index (``hub.search``) are imported only by the service, the indexing
service that keeps the index in step, and the app factory that opens it.
``hub.search.analysis`` (what a word is, stemming; no index) may be used by
anyone who needs the same notion of a word."""
import ast
from pathlib import Path

HUB = Path(__file__).resolve().parents[2] / "hub"
ALLOWED = {"services/search.py", "services/indexing.py", "__init__.py"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_only_the_search_service_reaches_the_query_layer():
    offenders = []
    for path in HUB.rglob("*.py"):
        rel = path.relative_to(HUB).as_posix()
        if rel.startswith("search/") or rel in ALLOWED:
            continue
        if any((m == "hub.search" or m.startswith("hub.search.")) and m != "hub.search.analysis"
               for m in _imports(path)):
            offenders.append(rel)
    assert offenders == []


def test_whoosh_is_used_only_inside_the_search_package():
    offenders = [path.relative_to(HUB).as_posix() for path in HUB.rglob("*.py")
                 if not path.relative_to(HUB).as_posix().startswith("search/")
                 and any(m == "whoosh" or m.startswith("whoosh.") for m in _imports(path))]
    assert offenders == []


def test_the_search_service_runs_a_search_in_one_place():
    """Pages, API, feed, catalogue counts and suggestions all reach the query
    layer's ``run`` through one function of the service (``_run``)."""
    tree = ast.parse((HUB / "services/search.py").read_text(encoding="utf-8"))
    callers = [fn.name for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)
               for node in ast.walk(fn)
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run"]
    assert callers == ["_run"]
