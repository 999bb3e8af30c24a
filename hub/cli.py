"""`flask --app wsgi hub …`: thin commands over the services."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from hub.errors import STORAGE_ERRNOS, HubError
from hub.services import backup, digests, freshness, indexing, pathways, resources, users

hub_cli = AppGroup("hub", help="Manage the resource hub: import, export, index, users.")


@hub_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def import_command(paths: tuple[str, ...]) -> None:
    """Import resource files or folders (recursively); upsert by slug."""
    started = time.perf_counter()
    try:
        report = resources.import_documents(list(paths))
    except OSError as exc:
        if exc.errno not in STORAGE_ERRNOS:
            raise
        raise click.ClickException(f"cannot store files in {current_app.config['FILES_DIR']}: "
                                   f"{exc.strerror}; nothing was imported") from None
    for path, reason in report.rejected:
        click.echo(f"{path}: {reason}", err=True)
    for path, message in report.warnings:
        click.echo(f"{path}: warning: {message}", err=True)
    click.echo(f"{report.summary()} ({time.perf_counter() - started:.1f} s)")
    sys.exit(1 if report.rejected else 0)


@hub_cli.command("export")
@click.argument("path", type=click.Path(file_okay=False))
def export_command(path: str) -> None:
    """Write every published resource as Markdown with its attachments, and
    every pathway under PATH/pathways/."""
    count = resources.export_resources(path)
    click.echo(f"exported {count} resources to {path}")
    count = pathways.export_pathways(Path(path) / "pathways")
    if count:
        click.echo(f"exported {count} pathways to {Path(path) / 'pathways'}")


@hub_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from the database (searches keep working)."""
    started = time.perf_counter()
    count = indexing.rebuild_index()
    click.echo(f"indexed {count} resources in {time.perf_counter() - started:.1f} s")


@hub_cli.command("init")
def init_command() -> None:
    """First start: bring the database schema up to date, import the curated
    catalogue once, make sure the index is fresh. Running the migrations here
    too means a first `hub init` on an empty data folder just works."""
    from flask_migrate import upgrade

    upgrade()
    report = resources.import_catalogue_once()
    if report is not None:
        for path, reason in report.rejected:
            click.echo(f"{path}: {reason}", err=True)
        click.echo(f"curated catalogue from {current_app.config['CATALOGUE_DIR']}: {report.summary()}")
    report = resources.import_pathways_once()
    if report is not None:
        for path, reason in report.rejected:
            click.echo(f"{path}: {reason}", err=True)
        click.echo(f"pathways from {current_app.config['PATHWAYS_DIR']}: {report.summary()}")
    if indexing.ensure_index_fresh():
        click.echo("search index built")


@hub_cli.command("send-digests")
def send_digests_command() -> None:
    """Mail the digest of every saved search that is due (for cron, daily).

    Safe to run again, and on several machines at once: no digest is sent
    twice. Exit status 1 when the mail service refused some (they are tried
    again at the next run)."""
    run = digests.send_due_digests()
    click.echo(run.summary())
    sys.exit(1 if run.failed else 0)


@hub_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["member", "editor", "admin"]), default="member", show_default=True)
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an account. Asks for the password without echo unless --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(email, role=role, password=password, name=name)
    except HubError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created {user.role} {user.email}")


@hub_cli.command("backup")
@click.argument("dest", type=click.Path(file_okay=False))
def backup_command(dest: str) -> None:
    """Copy the database and the attachment files into the new folder DEST
    (consistent while the hub keeps running; the index is rebuilt on restore)."""
    try:
        manifest = backup.backup(dest)
    except HubError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"backed up {manifest.resources} resources, {manifest.users} users and {manifest.files} files "
               f"({manifest.engine}, content version {manifest.content_version}) to {dest}")


@hub_cli.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False))
def restore_command(src: str) -> None:
    """Load a backup made by `hub backup` into this (empty) install, upgrade the
    schema and rebuild the search index."""
    try:
        manifest = backup.restore(src)
    except HubError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"restored {manifest.resources} resources, {manifest.users} users and {manifest.files} files "
               f"from {src} (made {manifest.created}); search index rebuilt")


@hub_cli.command("check-links")
@click.option("--workers", type=click.IntRange(1, 32), default=None,
              help="Hosts checked at the same time (default LINK_CHECK_WORKERS, 4).")
@click.option("--delay", type=click.FloatRange(0), default=None,
              help="Seconds between two requests to one host (default LINK_CHECK_DELAY, 1).")
@click.option("--timeout", type=click.FloatRange(0.1), default=None,
              help="Seconds to wait for a server (default LINK_CHECK_TIMEOUT, 10).")
@click.option("--host", default=None, help="Check only the links to this host name.")
@click.option("--verbose", "-v", is_flag=True, help="Print every link as it is checked.")
def check_links_command(workers, delay, timeout, host, verbose) -> None:
    """Check every resource's original link and the links in its text; record
    status, final address and date for the editors' Links page."""
    def show(result):
        if verbose or result.outcome != "ok":
            detail = result.error or (f"{result.status} -> {result.final_url}" if result.outcome == "redirect"
                                      else str(result.final_status or ""))
            click.echo(f"{result.outcome:8} {result.url} {detail}".rstrip())

    summary = freshness.check_links(workers=workers, delay=delay, timeout=timeout, host=host, on_result=show)
    click.echo(summary.line())
