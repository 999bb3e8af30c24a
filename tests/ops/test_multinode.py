"""Three machines for real: three gunicorn nodes (two workers each, each its
own HUB_DATA_DIR and index) on one PostgreSQL database and one shared
attachments folder. A change made through node A is searchable on every node
within 2 seconds, in both directions of every kind of change; a node killed
with SIGKILL catches up when it restarts; a node that lost its index rebuilds
it and then follows again."""
from __future__ import annotations

import json
import os
import shutil
import signal
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from hub import create_app
from hub.extensions import db
from hub.services import history, indexing, resources
from hub.services.users import create_user
from tests import pg
from tests.conftest import resource_text
from tests.ops.helpers import Server

VISIBLE_WITHIN = 2.0
SECRET = "multi-node-test-secret"


def _total(node: Server, q: str, token: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(f"{node.base}/api/v1/resources?q={q}", headers=headers)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)["total"]


def _seen_everywhere(nodes: list[Server], q: str, expected: int, token: str | None = None,
                     within: float = VISIBLE_WITHIN) -> list[float]:
    """Seconds until each node answers ``expected`` hits for ``q``."""
    start = time.monotonic()
    delays: dict[int, float] = {}
    while len(delays) < len(nodes) and time.monotonic() - start < within + 3:
        for n, node in enumerate(nodes):
            if n not in delays and _total(node, q, token) == expected:
                delays[n] = time.monotonic() - start
        time.sleep(0.02)
    missing = [nodes[n].base for n in range(len(nodes)) if n not in delays]
    assert not missing, f"{q!r}: {missing} never showed {expected} hit(s)"
    slow = {nodes[n].base: round(d, 2) for n, d in delays.items() if d > within}
    assert not slow, f"{q!r}: seen after more than {within} s on {slow}"
    return [delays[n] for n in range(len(nodes))]


class Cluster:
    def __init__(self, root: Path, database_url: str) -> None:
        self.root = root
        self.database_url = database_url
        self.files = root / "shared-files"
        self.nodes: list[Server] = []

    def env(self, name: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DATABASE_URL"))}
        env.update({"HUB_DATA_DIR": str(self.root / name), "DATABASE_URL": self.database_url,
                    "HUB_FILES_DIR": str(self.files), "HUB_SECRET_KEY": SECRET, "HUB_LOG_LEVEL": "WARNING",
                    # The test polls every node from one address, faster than a reader would.
                    "HUB_API_RATE_LIMIT": "100000 per minute"})
        return env

    def start(self, name: str) -> Server:
        server = Server(self.env(name), workers=2, log_path=self.root / f"{name}.log")
        server.wait_ready(timeout=120)
        return server

    @contextmanager
    def node_a(self):
        """This test process, working as one more process of node A."""
        app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(self.root / "a"), "SECRET_KEY": SECRET,
                          "SQLALCHEMY_DATABASE_URI": self.database_url, "FILES_DIR": str(self.files)})
        try:
            with app.app_context():
                yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            app.extensions["hub.index"].close()


@pytest.fixture
def cluster(pg_server_url, tmp_path):
    name = f"hub_{os.getpid()}_multinode"
    url = pg.create_database(pg_server_url, name)
    cluster = Cluster(tmp_path, url)
    with cluster.node_a():
        from flask_migrate import upgrade
        upgrade()
    try:
        yield cluster
    finally:
        for node in cluster.nodes:
            node.stop()
        pg.drop_database(pg_server_url, name)


def _publish(folder: Path, **fields) -> None:
    path = folder / f"{fields['slug']}.md"
    path.write_text(resource_text(**fields), encoding="utf-8")
    report = resources.import_documents([path])
    assert not report.rejected, report.rejected


@pytest.mark.postgres
def test_three_nodes_follow_every_change_within_two_seconds(cluster, tmp_path):
    folder = tmp_path / "files-to-import"
    folder.mkdir()
    with cluster.node_a():
        _three_nodes_follow(cluster, folder)


def _three_nodes_follow(cluster: Cluster, folder: Path) -> None:
    from hub.services.tokens import create_token

    for n in range(20):
        _publish(folder, slug=f"base-{n}", title=f"Baseline toolkit {n}")
    member = create_user("member@example.org", role="member", password="a long passphrase 1")
    editor = create_user("editor@example.org", role="editor", password="a long passphrase 2")
    token = create_token(member, "multi-node test")[1]
    indexing.ensure_index_fresh()
    cluster.nodes = [cluster.start(n) for n in ("a", "b", "c")]
    nodes = cluster.nodes
    delays: list[float] = []

    _publish(folder, slug="zebra", title="Zebrafinch hiring toolkit")
    delays += _seen_everywhere(nodes, "zebrafinch", 1)
    _publish(folder, slug="zebra", title="Quokka hiring toolkit")
    delays += _seen_everywhere(nodes, "quokka", 1)
    delays += _seen_everywhere(nodes, "zebrafinch", 0)
    # Members only: anonymous readers everywhere stop seeing it, members still do.
    _publish(folder, slug="zebra", title="Quokka hiring toolkit", access="members")
    delays += _seen_everywhere(nodes, "quokka", 0)
    delays += _seen_everywhere(nodes, "quokka", 1, token=token)
    _publish(folder, slug="zebra", title="Quokka hiring toolkit", access="public")
    delays += _seen_everywhere(nodes, "quokka", 1)
    history.set_status(editor, "zebra", "unpublished")
    delays += _seen_everywhere(nodes, "quokka", 0)
    history.set_status(editor, "zebra", "published")
    delays += _seen_everywhere(nodes, "quokka", 1)
    resources.delete_resource(editor, "zebra")
    delays += _seen_everywhere(nodes, "quokka", 0)
    print(f"\npublish-to-visible over {len(delays)} observations: median "
          f"{sorted(delays)[len(delays) // 2]:.3f} s, max {max(delays):.3f} s")

    # A node killed with SIGKILL misses changes, then catches up when restarted.
    os.killpg(nodes[1].proc.pid, signal.SIGKILL)
    nodes[1].stop()  # reaps it and closes its log
    _publish(folder, slug="wombat", title="Wombat welcoming guide")
    _publish(folder, slug="base-3", title="Numbat baseline toolkit")
    nodes[1] = cluster.start("b")
    _seen_everywhere([nodes[1]], "wombat", 1, within=5.0)
    _seen_everywhere([nodes[1]], "numbat", 1, within=5.0)

    # A node whose index folder is deleted rebuilds it, then follows again.
    shutil.rmtree(cluster.root / "c" / "index")
    assert _total(nodes[2], "wombat") == 1  # rebuilt from the database before answering
    _publish(folder, slug="kiwi", title="Kiwi community toolkit")
    _seen_everywhere(nodes, "kiwi", 1)
    for node in nodes:
        assert "Traceback" not in node.log_text(), node.log_text()[-3000:]
