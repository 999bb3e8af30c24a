"""Processes killed with SIGKILL at the worst moment: the database stays the
truth, the index recovers from it, and no lock is left behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.services import indexing
from hub.services.resources import import_documents
from tests.conftest import resource_text
from tests.ops.helpers import ROOT, flask_command, hub_env

N = 60


def _write_batch(folder: Path, version: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(N):
        (folder / f"r{i}.txt").write_text(f"Attachment text of resource {i}, version {version}.\n" * 50)
        (folder / f"r{i}.md").write_text(resource_text(
            slug=f"r{i}", title=f"Resource {i} version {version}", files=f"[r{i}.txt]",
            body=f"Body of resource {i}, version {version}.\n" * 20), encoding="utf-8")


def _blob_count(files_dir: Path) -> int:
    return sum(1 for p in files_dir.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))


def _versions() -> dict[str, set[int]]:
    """For each resource, the versions its title, body and attachment come from:
    one version each when the resource is whole."""
    db.session.remove()
    seen = {}
    for r in db.session.scalars(select(Resource)):
        versions = {int(r.title.rsplit(" ", 1)[1]), int(r.body.split("version ")[1][0])}
        versions |= {int(a.text.split("version ")[1][0]) for a in r.attachments}
        seen[r.slug] = versions
    return seen


def _index_matches_database(app) -> None:
    assert indexing.ensure_index_fresh() in (True, False)
    index = app.extensions["hub.index"]
    assert index.content_version() == indexing.content_version()
    with index.open().searcher() as searcher:
        indexed = {fields["id"] for fields in searcher.all_stored_fields()}
    assert indexed == {str(i) for i in db.session.scalars(select(Resource.id))}


def test_import_killed_halfway_leaves_each_resource_whole_and_recovers(app, tmp_path):
    src = tmp_path / "batch"
    _write_batch(src, 1)
    assert import_documents([src]).imported == N
    _write_batch(src, 2)
    files_dir = Path(app.config["FILES_DIR"])
    before = _blob_count(files_dir)
    db.session.remove()

    proc = subprocess.Popen(flask_command("hub", "import", str(src)), cwd=ROOT, env=hub_env(app),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _blob_count(files_dir) < before + N // 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the import finished before it could be killed halfway"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()

    versions = _versions()
    assert len(versions) == N
    assert all(len(v) == 1 for v in versions.values()), "a resource mixes old and new parts"
    assert {v for vs in versions.values() for v in vs} == {1}, "part of a killed import was committed"
    _index_matches_database(app)

    again = subprocess.run(flask_command("hub", "import", str(src)), cwd=ROOT, env=hub_env(app),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"imported 0, updated {N}, unchanged 0, rejected 0" in again.stdout
    assert all(v == {2} for v in _versions().values())
    _index_matches_database(app)


def test_reindex_killed_halfway_leaves_the_previous_index_serving(app, tmp_path):
    src = tmp_path / "batch"
    _write_batch(src, 1)
    import_documents([src])
    indexing.ensure_index_fresh()
    index = app.extensions["hub.index"]
    live = index.current_generation()
    version = index.content_version()
    db.session.remove()

    proc = subprocess.Popen(flask_command("hub", "reindex"), cwd=ROOT, env=hub_env(app),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = Path(app.config["INDEX_DIR"])
    deadline = time.monotonic() + 120

    while not any(p.name != live and any(p.iterdir()) for p in root.glob("gen-*")) and proc.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.002)
    assert proc.poll() is None, "the reindex finished before it could be killed halfway"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert index.current_generation() == live
    assert index.content_version() == version
    assert index.doc_count() == N
    _index_matches_database(app)
    again = subprocess.run(flask_command("hub", "reindex"), cwd=ROOT, env=hub_env(app), capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0 and f"indexed {N} resources" in again.stdout, again.stderr
    assert index.current_generation() != live
    assert index.doc_count() == N


HOLD_WRITER = """
import sys, time
from whoosh import index as whoosh_index
ix = whoosh_index.open_dir(sys.argv[1])
writer = ix.writer()
print("locked", flush=True)
time.sleep(600)
"""


def test_a_killed_index_writer_leaves_no_lock_behind(app, make_resource):
    make_resource(slug="first")
    indexing.ensure_index_fresh()
    index = app.extensions["hub.index"]
    gen_dir = index.root / index.current_generation()
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(gen_dir)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    from whoosh.index import LockError
    ix = index.open()
    try:
        try:
            ix.writer().cancel()
            raise AssertionError("a second writer got the lock while the first held it")
        except LockError:
            pass
    finally:
        ix.close()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()

    started = time.monotonic()
    make_resource(slug="second")  # commits, then writes the index: needs the lock
    assert time.monotonic() - started < 5
    _index_matches_database(app)
