"""Backup and restore of a whole install: the database (every table: resources,
submissions, users, history), the attachment files, and a manifest. The
search index is not backed up: it is derived, and rebuilt after a restore.

The database is copied first and the files second: a file is stored before
the transaction that refers to it commits, and files are never deleted while
in use, so every file the copied database names is in the copy.

SQLite is copied with its online backup API (the same as ``sqlite3 hub.sqlite3
".backup …"``): consistent while the hub keeps serving and writing.
PostgreSQL is copied with ``pg_dump --format=custom`` (one consistent
snapshot) and restored with ``pg_restore``; both must be of the server's major
version or newer.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from hub.errors import Conflict, ValidationFailed
from hub.extensions import db
from hub.models import Attachment, Resource, User
from hub.services import indexing

MANIFEST = "manifest.json"
SQLITE_FILE = "hub.sqlite3"
PG_FILE = "hub.pgdump"


@dataclass
class Manifest:
    created: str
    engine: str
    schema_revision: str | None
    content_version: int
    resources: int
    attachments: int
    users: int
    files: int


# -- helpers -----------------------------------------------------------------------
def _engine_name() -> str:
    return db.engine.dialect.name


def _schema_revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - an empty database has no alembic table
        db.session.rollback()
        return None


def _libpq_args() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore from the SQLAlchemy URL; the
    password goes through the environment, never the process list."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--dbname", url.database or ""]
    host = url.query.get("host") or url.host
    port = url.query.get("port") or url.port
    if host:
        args += ["--host", str(host if isinstance(host, str) else host[0])]
    if port:
        args += ["--port", str(port if isinstance(port, (str, int)) else port[0])]
    if url.username:
        args += ["--username", url.username]
    return args, env


def _pg_tool(name: str) -> str:
    """The newest installed client of that name (Debian keeps one per major version)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        raise ValidationFailed(f"{name} is not installed; install the PostgreSQL client programs")
    return found


def _sqlite_path() -> Path:
    return Path(make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database or "")


def _copy_tree(src: Path, dest: Path) -> int:
    """Copy every file not already there (blobs are content-addressed, so a
    file of the same name has the same bytes). Returns the number of files."""
    count = 0
    if not src.is_dir():
        return 0
    for dirpath, _dirs, files in os.walk(src):
        for name in files:
            if name.startswith(".tmp-"):
                continue  # a blob being written right now: not referenced by any committed row
            source = Path(dirpath) / name
            target = dest / source.relative_to(src)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            count += 1
    return count


# -- backup --------------------------------------------------------------------------
def backup(dest: str | Path) -> Manifest:
    """Write a consistent copy of this install into the empty folder ``dest``."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise Conflict(f"{dest} is not empty; back up into a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    engine = _engine_name()
    counts = [db.session.scalar(select(func.count(model.id))) or 0 for model in (Resource, Attachment, User)]
    revision, version = _schema_revision(), indexing.content_version()
    db.session.rollback()
    if engine == "sqlite":
        source = sqlite3.connect(_sqlite_path())
        target = sqlite3.connect(dest / SQLITE_FILE)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    elif engine == "postgresql":
        args, env = _libpq_args()
        proc = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603 - fixed arguments, no shell
                               "--file", str(dest / PG_FILE), *args],
                              env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise ValidationFailed(f"pg_dump failed: {proc.stderr.strip()}")
    else:
        raise ValidationFailed(f"backup of a {engine} database is not supported")
    files = _copy_tree(Path(current_app.config["FILES_DIR"]), dest / "files")
    manifest = Manifest(created=datetime.now(UTC).isoformat(timespec="seconds"), engine=engine,
                        schema_revision=revision, content_version=version, resources=counts[0],
                        attachments=counts[1], users=counts[2], files=files)
    (dest / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


# -- restore -------------------------------------------------------------------------
def _database_is_empty() -> bool:
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    if not names:
        return True
    return all(db.session.scalar(select(func.count()).select_from(text(f'"{n}"'))) == 0 for n in names)


def restore(src: str | Path) -> Manifest:
    """Load a backup made by ``backup`` into this install, whose database must
    be empty; then bring the schema up to date and rebuild the search index."""
    from flask_migrate import upgrade

    src = Path(src)
    try:
        manifest = Manifest(**json.loads((src / MANIFEST).read_text()))
    except (OSError, ValueError, TypeError) as exc:
        raise ValidationFailed(f"{src} is not a hub backup ({exc})") from None
    engine = _engine_name()
    if manifest.engine != engine:
        raise ValidationFailed(f"this backup is of a {manifest.engine} database but DATABASE_URL is {engine}; "
                               "use `hub export` and `hub import` to move between engines")
    if not _database_is_empty():
        raise Conflict("the target database is not empty; restore into a new, empty database")
    db.session.remove()
    if engine == "sqlite":
        db.engine.dispose()
        path = _sqlite_path()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(src / SQLITE_FILE)
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        with db.engine.begin() as conn:  # an empty schema (tables, sequences, types), as pg_restore expects
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()
        args, env = _libpq_args()
        proc = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",  # noqa: S603 - fixed arguments, no shell
                               "--exit-on-error", *args, str(src / PG_FILE)],
                              env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise ValidationFailed(f"pg_restore failed: {proc.stderr.strip()}")
    _copy_tree(src / "files", Path(current_app.config["FILES_DIR"]))
    upgrade()  # a backup from an older release gets this release's schema
    index_dir = Path(current_app.config["INDEX_DIR"])
    indexing.get_index().close()
    for child in index_dir.iterdir() if index_dir.exists() else ():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    indexing.rebuild_index()
    return manifest
