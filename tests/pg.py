"""A throwaway PostgreSQL cluster for one test run (docs/operations.md, "Tests
on both engines"): Debian's server programs, a temporary data folder that is
also the private socket folder (no TCP), fsync off.

Used by tests/conftest.py; also runnable by hand::

    python -m tests.pg start     # prints the URL to export as HUB_TEST_PG_URL
    python -m tests.pg stop URL

initdb and pg_ctl refuse to run as root, so as root they run as the
``postgres`` user through ``runuser``; as anyone else they run as that user.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PORT = 54329  # only names the socket file inside the private folder: never clashes


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be run here; the message says why and what to do."""


def server_bin() -> Path:
    if os.environ.get("HUB_TEST_PG_BIN"):  # a chosen installation's bin folder
        path = Path(os.environ["HUB_TEST_PG_BIN"])
        if not (path / "initdb").exists():
            raise PostgresUnavailable(f"HUB_TEST_PG_BIN={path} has no initdb")
        return path
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: [int(x) for x in Path(p).parent.parent.name.split(".") if x.isdigit()])
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed. As root, `make system-deps` "
        "installs Debian's postgresql; otherwise install it, or point HUB_TEST_PG_URL at a server "
        "where you may create databases.")


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str], what: str) -> None:
    proc = subprocess.run(_as_server_user(args), capture_output=True, text=True)
    if proc.returncode != 0:
        raise PostgresUnavailable(f"{what} failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()}")


@dataclass
class Cluster:
    folder: Path
    url: str  # a URL for the maintenance database "postgres"

    def stop(self) -> None:
        stop_cluster(self.folder)


def start_cluster() -> Cluster:
    """initdb + pg_ctl start into a new temporary folder; about 1 s."""
    pgbin = server_bin()
    if os.geteuid() == 0:
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root but there is no `postgres` user to run the server as") \
                from None
    folder = Path(tempfile.mkdtemp(prefix="hub-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    try:
        _run([str(pgbin / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        start_server(folder)
    except BaseException:
        log = folder / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        if detail:
            raise PostgresUnavailable(f"the test PostgreSQL did not start:\n{detail}") from None
        raise
    return Cluster(folder, database_url(folder, "postgres"))


def start_server(folder: str | Path) -> None:
    """Start (or start again) the server of a cluster made by ``start_cluster``."""
    folder = Path(folder)
    _run([str(server_bin() / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"), "-w", "-s",
          "start", "-o", f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off "
          "-c synchronous_commit=off -c full_page_writes=off -c lock_timeout=10s -c max_connections=200"],
         "pg_ctl start")


def stop_server(folder: str | Path) -> None:
    """Stop the server, keeping its data (a database outage, for tests)."""
    _run([str(server_bin() / "pg_ctl"), "-D", str(Path(folder) / "data"), "-m", "fast", "-w", "-s", "stop"],
         "pg_ctl stop")


def stop_cluster(folder: str | Path) -> None:
    folder = Path(folder)
    if (folder / "data").is_dir():
        with contextlib.suppress(PostgresUnavailable):
            _run([str(server_bin() / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "-s",
                  "stop"], "pg_ctl stop")
    shutil.rmtree(folder, ignore_errors=True)


def database_url(folder: str | Path, name: str) -> str:
    return f"postgresql+psycopg://postgres@/{name}?host={folder}&port={PORT}"


def with_database(url: str, name: str) -> str:
    """The same server, another database."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


def _connect(url: str, dbname: str = "postgres"):
    import psycopg

    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return psycopg.connect(
        host=query.get("host") or parts.hostname, port=query.get("port") or parts.port,
        user=parts.username or "postgres", password=parts.password, dbname=dbname, autocommit=True)


def create_database(url: str, name: str, template: str | None = None) -> str:
    """Create ``name`` (as a copy of ``template`` when given) and return its URL.
    An old database of that name is dropped first, ending its sessions.

    A copy is made file by file (``FILE_COPY``): for the tests' small
    databases that is quicker than the default of writing every page to the
    write-ahead log, and the cluster runs with fsync off, so the checkpoint
    it forces costs little. Nobody may be connected to ``template``."""
    with _connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    with _connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- one cluster per pytest run, shared by the xdist workers -----------------------
def shared_cluster_url(run_dir: str | Path, owner_pid: int) -> str:
    """The run's cluster, started by whichever process asks first (under a file
    lock, so xdist workers start exactly one). A failure to start is remembered
    and raised again for every later caller, so each PostgreSQL test fails with
    the reason instead of passing silently."""
    import fcntl

    run_dir = Path(run_dir)
    with open(run_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (run_dir / "url").exists():
            return (run_dir / "url").read_text()
        if (run_dir / "error").exists():
            raise PostgresUnavailable((run_dir / "error").read_text())
        try:
            cluster = start_cluster()
        except PostgresUnavailable as exc:
            (run_dir / "error").write_text(str(exc))
            raise
        (run_dir / "folder").write_text(str(cluster.folder))
        (run_dir / "url").write_text(cluster.url)
        _start_watchdog(owner_pid, cluster.folder)
        return cluster.url


def stop_shared_cluster(run_dir: str | Path) -> None:
    run_dir = Path(run_dir)
    folder = run_dir / "folder"
    if folder.exists():
        stop_cluster(folder.read_text())


def _start_watchdog(owner_pid: int, folder: Path) -> None:
    """Stop the cluster if the pytest run dies without cleaning up (SIGKILL,
    a CI timeout): a detached process polls for the run's main process."""
    # Through a shell that backgrounds it and exits at once: nothing is left to wait for.
    subprocess.run(["sh", "-c", '"$0" -m tests.pg watch "$1" "$2" </dev/null >/dev/null 2>&1 &',
                    sys.executable, str(owner_pid), str(folder)],
                   cwd=Path(__file__).resolve().parent.parent, start_new_session=True, check=True)


def _watch(owner_pid: int, folder: Path) -> None:
    import time

    while (folder / "data").is_dir():
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            stop_cluster(folder)
            return
        except PermissionError:
            pass
        time.sleep(1)


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"]:
        cluster = start_cluster()
        print(cluster.url)
        return 0
    if argv[:1] == ["stop"] and len(argv) == 2:
        stop_cluster(parse_qs(urlsplit(argv[1]).query)["host"][0])
        return 0
    if argv[:1] == ["watch"] and len(argv) == 3:
        _watch(int(argv[1]), Path(argv[2]))
        return 0
    print("usage: python -m tests.pg start | stop URL | watch PID FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
