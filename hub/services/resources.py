"""Resources: import, upsert, read with permission, attachments, export.

Imported files and web submissions both end up in ``upsert_fields``, so the
catalogue has one content pipeline whatever the source.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from hub.content import fields as declared
from hub.content.bilingual import clean_translations
from hub.content.export import to_markdown
from hub.content.extract import extract_text
from hub.content.frontmatter import ContentDoc, ParseError, read_file
from hub.content.pathways import is_pathway
from hub.content.render import render_markdown
from hub.content.storage import blob_path, store_blob
from hub.content.validation import ResourceFields, validate
from hub.errors import NotFound
from hub.extensions import db
from hub.models import Attachment, Resource
from hub.models._types import utcnow
from hub.security.policy import Action, require
from hub.services import harvest, pathways
from hub.services.state import get_state, set_state
from hub.services.uow import UnitOfWork, unit_of_work
from hub.vocabularies import load_vocabularies

RESOURCE_SUFFIXES = (".md", ".markdown")


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    #: (file, message): imported, but probably not as the author meant.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    #: Pathway files of the batch (hub/services/pathways.py), by outcome.
    pathways: dict[str, int] = field(default_factory=lambda: {"imported": 0, "updated": 0, "unchanged": 0})

    def summary(self) -> str:
        """The contract's line; pathways, when the batch had any, after it
        (the rejected count covers both kinds of file)."""
        line = (f"imported {self.imported}, updated {self.updated}, "
                f"unchanged {self.unchanged}, rejected {len(self.rejected)}")
        if any(self.pathways.values()):
            line += ("; pathways: imported {imported}, updated {updated}, unchanged {unchanged}"
                     .format(**self.pathways))
        return line


# -- reading -----------------------------------------------------------------
@lru_cache(maxsize=1)
def _by_slug() -> Select:
    """One resource and its attachments in one query, built once: building the
    statement cost more than running it, and the relationship's own eager
    load was a second query built anew each time."""
    return select(Resource).where(Resource.slug == bindparam("slug")).options(joinedload(Resource.attachments))


def get_resource(user, slug: str) -> Resource:
    resource = db.session.execute(_by_slug(), {"slug": slug}).unique().scalar_one_or_none() if slug else None
    if resource is None:
        raise NotFound()
    require(user, Action.RESOURCE_READ, resource)
    return resource


def get_attachment(user, slug: str, filename: str) -> tuple[Resource, Attachment, Path]:
    resource = get_resource(user, slug)
    attachment = resource.attachment(filename)
    if attachment is None:
        raise NotFound()
    path = blob_path(current_app.config["FILES_DIR"], attachment.sha256)
    if not path.is_file():
        raise NotFound()
    return resource, attachment, path


# -- writing -----------------------------------------------------------------
def upsert_fields(fields: ResourceFields, *, status: str = "published",
                  uow: UnitOfWork | None = None) -> tuple[Resource, str]:
    """Create or update the resource with this slug. Returns (resource, outcome)
    where outcome is 'imported', 'updated' or 'unchanged'."""
    checksum = fields.checksum()
    with unit_of_work(uow) as work:
        resource = db.session.scalar(select(Resource).where(Resource.slug == fields.slug))
        if resource is not None and resource.checksum == checksum and resource.status == status:
            return resource, "unchanged"
        outcome = "updated" if resource is not None else "imported"
        was_public = resource is not None and resource.is_public
        if resource is None:
            resource = Resource(slug=fields.slug)
            db.session.add(resource)
        _apply_fields(resource, fields)
        resource.checksum = checksum
        resource.status = status
        if status == "published" and resource.published_at is None:
            resource.published_at = utcnow()
        _replace_attachments(resource, fields)
        harvest.note_visibility(resource, was_public)
        db.session.flush()
        work.index(resource.id)
        return resource, outcome


def _apply_fields(resource: Resource, f: ResourceFields) -> None:
    """Copy every declared field (hub/content/fields.py), then what is derived from them."""
    for spec in declared.fields():
        if spec.kind != "files":
            value = spec.read(f)
            spec.write(resource, list(value) if isinstance(value, list) else value)
    resource.translations = clean_translations(f.language, f.translations)
    resource.published_on = f.published_on
    resource.year = f.year
    resource.body_html = render_markdown(f.body)


def _replace_attachments(resource: Resource, f: ResourceFields) -> None:
    """Bytes that came with the fields are stored once, content-addressed; an
    attachment already in the store (a submission's upload, an earlier
    version) arrives by hash and is only read for text not yet extracted."""
    files_dir = current_app.config["FILES_DIR"]
    known_text = {a.sha256: a.text for a in resource.attachments}
    resource.attachments.clear()
    db.session.flush()
    for position, item in enumerate(f.attachments):
        if item.data is not None:
            store_blob(files_dir, item.data)
        text = known_text.get(item.sha256)
        if text is None:
            data = item.data if item.data is not None else blob_path(files_dir, item.sha256).read_bytes()
            text = extract_text(data, item.filename)
        resource.attachments.append(Attachment(
            position=position, filename=item.filename, sha256=item.sha256, size=item.size,
            media_type=item.media_type, text=text))


def delete_resource(user, slug: str, *, uow: UnitOfWork | None = None) -> None:
    with unit_of_work(uow) as work:
        resource = db.session.scalar(select(Resource).where(Resource.slug == slug))
        if resource is None:
            raise NotFound()
        require(user, Action.RESOURCE_EDIT, resource)
        if resource.is_public:
            harvest.note_withdrawal(resource)
        work.unindex(resource.id)
        db.session.delete(resource)


# -- import / export -----------------------------------------------------------
def _resource_files(path: Path) -> list[Path]:
    if path.is_file() or path.is_symlink():
        return [path]
    found = []
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(RESOURCE_SUFFIXES) and not name.startswith("."):
                found.append(Path(dirpath) / name)
    return found


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def import_documents(paths: list[str | Path], *, uow: UnitOfWork | None = None) -> ImportReport:
    """Import resource files and folders (recursively). Each bad file is
    reported by name with its reason; the good ones are upserted by slug.
    Pathway files (front matter with `steps`) are imported after the
    resources, so they may name a resource of the same batch."""
    cfg = current_app.config
    pathway_docs: list[tuple[str, ContentDoc]] = []
    vocab = load_vocabularies()
    report = ImportReport()
    first_file_for_slug: dict[str, str] = {}
    with unit_of_work(uow) as work:
        for root in paths:
            root = Path(root)
            if not root.exists() and not root.is_symlink():
                report.rejected.append((str(root), "no such file or folder"))
                continue
            for path in _resource_files(root):
                shown = _display(path)
                if path.is_symlink():
                    report.rejected.append((shown, "is a symbolic link; import the file itself"))
                    continue
                try:
                    doc = read_file(path, cfg["MAX_RESOURCE_FILE_BYTES"], display=shown)
                except ParseError as exc:
                    report.rejected.append((shown, str(exc)))
                    continue
                except OSError as exc:
                    report.rejected.append((shown, f"cannot be read ({exc.strerror or exc})"))
                    continue
                report.warnings += [(shown, message) for message in doc.warnings]
                if is_pathway(doc):
                    pathway_docs.append((shown, doc))
                    continue
                result = validate(doc, vocab, strict=True, max_attachment_bytes=cfg["MAX_ATTACHMENT_BYTES"])
                if result.problems:
                    report.rejected.append((shown, "; ".join(p.message for p in result.problems)))
                    continue
                slug = result.fields.slug
                if slug in first_file_for_slug:
                    report.rejected.append((shown, f"slug '{slug}' is already used by {first_file_for_slug[slug]} "
                                                   "in this import"))
                    continue
                first_file_for_slug[slug] = shown
                report.warnings.extend((shown, note.message) for note in result.notes)
                _, outcome = upsert_fields(result.fields, uow=work)
                setattr(report, outcome, getattr(report, outcome) + 1)
                report.slugs.append(slug)
        from_pathways = pathways.import_pathway_docs(pathway_docs, uow=work)
        report.rejected += from_pathways.rejected
        report.pathways = from_pathways.outcomes
    return report


def validate_text(text: str, source: str = "<text>", *, strict: bool = True):
    """Parse and validate one document's text (used by previews and tests)."""
    from hub.content.frontmatter import parse_text

    doc: ContentDoc = parse_text(text, source=source)
    return validate(doc, load_vocabularies(), strict=strict,
                    max_attachment_bytes=current_app.config["MAX_ATTACHMENT_BYTES"])


def export_resources(target: str | Path) -> int:
    """Write every published resource as Markdown + front matter, with its
    attachments under ``files/<slug>/``. Importing the folder gives them back."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    files_dir = current_app.config["FILES_DIR"]
    count = 0
    for resource in db.session.scalars(select(Resource).where(Resource.status == "published")
                                       .order_by(Resource.slug)):
        (target / f"{resource.slug}.md").write_text(to_markdown(resource), encoding="utf-8")
        for attachment in resource.attachments:
            dest = target / "files" / resource.slug / attachment.filename
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(blob_path(files_dir, attachment.sha256).read_bytes())
        count += 1
    return count


def import_catalogue_once() -> ImportReport | None:
    """First start of `make run`: load the curated catalogue, and the
    pathways written from it, once, never again."""
    if get_state("catalogue_imported"):
        return None
    folders = [current_app.config["CATALOGUE_DIR"]]
    if Path(current_app.config["PATHWAYS_DIR"]).is_dir():
        folders.append(current_app.config["PATHWAYS_DIR"])
    report = import_documents(folders)
    with unit_of_work():
        set_state("catalogue_imported", utcnow().isoformat(timespec="seconds"))
    pathways.mark_imported()
    return report


def import_pathways_once() -> ImportReport | None:
    """`hub init` on an install whose catalogue was loaded before pathways
    existed: load the launch pathways once, never again (later changes come
    in with `hub import pathways/`)."""
    if pathways.already_imported():
        return None
    folder = Path(current_app.config["PATHWAYS_DIR"])
    report = import_documents([folder]) if folder.is_dir() else None
    pathways.mark_imported()
    return report
