"""No function, method or property of the hub that nothing calls.

Vulture (at 60% confidence) reads the hub, the tests, the other Python entry
points and the names the Jinja templates use; what it still finds unused is
dead code. Routes, hooks and commands are called by Flask and Click through
their decorators, and the overrides below by the library that defines them.
"""
from __future__ import annotations

import keyword
import re
from pathlib import Path

from vulture import Vulture

ROOT = Path(__file__).resolve().parent.parent
#: Decorators that register a function with a framework which then calls it.
REGISTERING = ["@*.route", "@*.get", "@*.post", "@*.before_request", "@*.after_request", "@*.before_app_request",
               "@*.after_app_request", "@*.teardown_*", "@*.errorhandler", "@*.app_errorhandler",
               "@*.url_defaults", "@*.url_value_preprocessor", "@*.app_template_*", "@*.template_*",
               "@*.context_processor", "@*.app_context_processor", "@*.user_loader", "@*.request_loader",
               "@*.unauthorized_handler", "@*.listens_for", "@*.command", "@*.group"]
#: Called by the library whose interface they implement, never by our code.
OVERRIDES = {
    ("hub/body_timeout.py", "readlines"): "the WSGI input stream interface",
    ("hub/search/whoosh_adapter.py", "seek"): "the file interface Whoosh's BufferFile reads through",
    ("hub/search/whoosh_adapter.py", "tell"): "the file interface Whoosh's BufferFile reads through",
    ("hub/forms/insight.py", "validate_reviewed_on"): "WTForms calls validate_<field> itself",
    ("hub/security/auth.py", "get_cookie_secure"): "Flask's SessionInterface",
    ("hub/security/throttle.py", "base_exceptions"): "the limits package's Storage interface",
    ("hub/services/links.py", "handle_starttag"): "html.parser.HTMLParser",
}
#: Where callers may be (gunicorn.conf.py is left out: gunicorn calls its hooks by name).
SOURCES = ["hub", "tests", "config.py", "wsgi.py", "bench", "tools"]


def _template_names(folder: Path) -> str:
    """The identifiers the templates use, as Python vulture can read: an
    attribute or a name used in a template counts as used."""
    names: set[str] = set()
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt", ".j2"):
            names |= set(re.findall(r"[A-Za-z_]\w*", path.read_text(encoding="utf-8")))
    return "\n".join(f"_.{n}\n{n}" for n in sorted(names) if not keyword.iskeyword(n)) + "\n"


def test_no_function_is_left_that_nothing_calls(tmp_path):
    used_by_templates = tmp_path / "templates_use.py"
    used_by_templates.write_text(_template_names(ROOT / "templates"))
    scan = Vulture(ignore_decorators=REGISTERING)
    scan.scavenge([str(ROOT / s) for s in SOURCES if (ROOT / s).exists()] + [str(used_by_templates)])
    unused = []
    for item in scan.get_unused_code(min_confidence=60):
        path = Path(item.filename).resolve().relative_to(ROOT).as_posix()
        if item.typ in ("function", "method", "property") and path.startswith("hub/") \
                and (path, item.name) not in OVERRIDES:
            unused.append(f"{path}:{item.first_lineno} {item.typ} {item.name}")
    assert not unused, ("nothing calls these (not the hub, its templates nor its tests): remove them, or, for a "
                        "framework override, add them to OVERRIDES with the interface:\n" + "\n".join(unused))
    gone = [f"{p}: {n}" for p, n in OVERRIDES if not re.search(rf"\bdef {n}\b", (ROOT / p).read_text())]
    assert not gone, f"OVERRIDES names functions that no longer exist: {gone}"
