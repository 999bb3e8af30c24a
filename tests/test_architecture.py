"""The layering rules of docs/architecture.md, checked."""
import ast
from pathlib import Path

import pytest

from hub.security.policy import RULES, Action

HUB = Path(__file__).resolve().parent.parent / "hub"
THIN = [p for d in ("views", "api") for p in (HUB / d).rglob("*.py")] + \
       [HUB / n for n in ("cli.py", "feeds.py", "oai.py", "sitemap.py") if (HUB / n).exists()]


@pytest.mark.parametrize("path", THIN, ids=lambda p: str(p.relative_to(HUB)))
def test_channels_touch_neither_the_session_nor_whoosh(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("whoosh"), path
            if node.module == "hub.extensions":
                assert "db" not in {a.name for a in node.names}, path
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("whoosh") for a in node.names), path


def test_every_action_has_a_rule():
    assert set(RULES) == set(Action)
