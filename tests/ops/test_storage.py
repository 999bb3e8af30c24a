"""A full or read-only disk under HUB_DATA_DIR/files: a clear error, and
nothing already stored is lost (a real tmpfs of a few KB, mounted as root)."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hub.content.storage import store_blob
from hub.extensions import db
from hub.models import Resource
from tests.conftest import resource_text


@pytest.fixture
def small_disk(app, tmp_path):
    """FILES_DIR on a 64 KiB tmpfs; yields a function to make it read-only."""
    mount_point = Path(app.config["FILES_DIR"])
    mount_point.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs (a real full disk)")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")

    def read_only() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)

    yield read_only
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def _write(folder: Path, slug: str, size: int) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{slug}.txt").write_text(("Anti-racism practice notes. " * (size // 28 + 1))[:size])
    path = folder / f"{slug}.md"
    path.write_text(resource_text(slug=slug, title=f"Resource {slug}", files=f"[{slug}.txt]"), encoding="utf-8")
    return path


def test_full_disk_during_import_keeps_everything_already_stored(app, runner, small_disk, tmp_path):
    src = tmp_path / "src"
    first = runner.invoke(args=["hub", "import", str(_write(src, "small", 2_000))])
    assert first.exit_code == 0, first.output
    client = app.test_client()
    with client.get("/resources/small/files/small.txt") as resp:
        before = resp.data
    assert len(before) == 2_000

    _write(src, "large", 200_000)
    result = runner.invoke(args=["hub", "import", str(src)])
    assert result.exit_code == 1
    assert "No space left on device; nothing was imported" in result.output
    assert db.session.scalar(select(func.count(Resource.id))) == 1
    with client.get("/resources/small/files/small.txt") as resp:
        assert resp.status_code == 200 and resp.data == before
    leftovers = [p.name for p in Path(app.config["FILES_DIR"]).rglob(".tmp-*")]
    assert leftovers == []


def test_full_or_read_only_disk_gives_the_person_a_clear_page(app, client, small_disk):
    @app.post("/test-only/upload")
    def upload():
        from flask import request

        store_blob(app.config["FILES_DIR"], request.get_data())
        return "stored"

    from hub.extensions import csrf
    csrf.exempt(upload)
    assert client.post("/test-only/upload", data=b"x" * 1000).status_code == 200
    full = client.post("/test-only/upload", data=os.urandom(200_000), headers={"Accept-Language": "en"})
    assert full.status_code == 507
    assert "disk is full or read-only" in full.get_data(as_text=True)
    assert "Nothing already saved was lost" in full.get_data(as_text=True)

    small_disk()  # remount read-only
    with pytest.raises(OSError) as info:
        store_blob(app.config["FILES_DIR"], b"more")
    assert info.value.errno == errno.EROFS
    ro = client.post("/test-only/upload", data=b"y" * 10)
    assert ro.status_code == 503 and "read-only" in ro.get_data(as_text=True)
