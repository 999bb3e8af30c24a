"""Editorial history of resources: every change an editor makes (publishing a
submission, editing, unpublishing, restoring) keeps a full snapshot with who,
when and what changed; an earlier snapshot can be restored.

Imports from the command line do not go through here; the first editorial
change of an imported resource therefore records a "baseline" snapshot of the
resource as it was, so that version can be restored too.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from hub.content import fields as declared
from hub.content.bilingual import clean_translations, other_language
from hub.content.fields import translation_key
from hub.content.storage import blob_path
from hub.content.validation import AttachmentData, ResourceFields
from hub.errors import NotFound, ValidationFailed
from hub.extensions import db
from hub.models import Resource, ResourceVersion
from hub.models._types import utcnow
from hub.security.policy import Action, require
from hub.services import resources as resource_service
from hub.services.uow import UnitOfWork, unit_of_work


def snapshot_keys() -> tuple[str, ...]:
    """Snapshot keys, in the order a person reads a resource: every declared
    field (hub/content/fields.py), each bilingual one followed by its value in
    the other language (``title_translation``)."""
    keys: list[str] = []
    for spec in declared.fields():
        if spec.history and spec.kind != "files":
            keys.append(spec.name)
            if spec.bilingual:
                keys.append(translation_key(spec.name))
    return tuple(keys)


def field_values(item) -> dict:
    """The declared fields of a Resource or a ResourceFields, by snapshot key."""
    data: dict = {}
    other = other_language(item.language)
    for spec in declared.fields():
        if not spec.history or spec.kind == "files":
            continue
        data[spec.name] = _plain(spec.read(item))
        if spec.bilingual:
            data[translation_key(spec.name)] = _plain(
                (item.translations or {}).get(other, {}).get(spec.name)) or None
    return data


def snapshot(resource: Resource) -> dict:
    """Everything needed to show or bring back this state of the resource."""
    data = field_values(resource)
    data["status"] = resource.status
    data["attachments"] = [{"filename": a.filename, "sha256": a.sha256, "size": a.size,
                            "media_type": a.media_type} for a in resource.attachments]
    return data


def _plain(value):
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def changed_fields(before: dict | None, after: dict) -> list[str]:
    keys = (*snapshot_keys(), "attachments", "status")
    if before is None:
        return [k for k in keys if after.get(k) not in (None, "", [], {}) and k != "status"]
    return [k for k in keys if (before.get(k) or None) != (after.get(k) or None)]


def fields_from_snapshot(snap: dict) -> ResourceFields:
    files_dir = current_app.config["FILES_DIR"]
    attachments = []
    for a in snap.get("attachments") or []:
        path = blob_path(files_dir, a["sha256"])
        if not path.is_file():
            raise ValidationFailed(f"the attachment {a['filename']} of that version is no longer stored")
        attachments.append(AttachmentData.stored(a["filename"], a["sha256"], a.get("size") or path.stat().st_size,
                                                 a["media_type"]))
    fields = ResourceFields(attachments=attachments)
    language = snap.get("language") or ""
    translations: dict = {}
    for spec in declared.fields():
        if not spec.history or spec.kind == "files":
            continue
        value = _plain(snap.get(spec.name))
        if value is None:
            value = spec.default if spec.default is not None else spec.empty()
        spec.write(fields, value)
        if spec.bilingual and snap.get(translation_key(spec.name)):
            translations.setdefault(other_language(language), {})[spec.name] = \
                _plain(snap[translation_key(spec.name)])
    fields.translations = clean_translations(language, translations)
    return fields


def _latest(resource_id: int) -> ResourceVersion | None:
    return db.session.scalar(select(ResourceVersion).where(ResourceVersion.resource_id == resource_id)
                             .order_by(ResourceVersion.id.desc()).limit(1))


def record(actor, resource: Resource, action: str, *, before: dict | None, note: str = "",
           submission_id: int | None = None, restored_from_id: int | None = None) -> ResourceVersion:
    """Write the history entry of a change already applied to ``resource``
    (caller's unit of work). ``before`` is the snapshot taken before the change."""
    db.session.flush()
    previous = _latest(resource.id) if resource.id else None
    if before is not None and (previous is None or previous.snapshot != before):
        # The resource came in (or was changed) by import since the last editorial
        # change: keep how it was, so that state can be seen and restored too.
        db.session.add(ResourceVersion(
            resource_id=resource.id, slug=resource.slug, actor_id=None, action="baseline", snapshot=before,
            changed=changed_fields(previous.snapshot, before) if previous is not None else [], note=""))
        db.session.flush()
    after = snapshot(resource)
    entry = ResourceVersion(resource_id=resource.id, slug=resource.slug, actor_id=actor.id, action=action,
                            snapshot=after, changed=changed_fields(before, after), note=note or "",
                            submission_id=submission_id, restored_from_id=restored_from_id)
    db.session.add(entry)
    return entry


# -- editor actions on published resources -----------------------------------------
def _editable_resource(actor, slug: str) -> Resource:
    resource = resource_service.get_resource(actor, slug)  # 404 when the actor may not see it
    require(actor, Action.RESOURCE_EDIT, resource)
    return resource


@dataclass
class History:
    resource: Resource
    versions: list[ResourceVersion]


def resource_history(actor, slug: str) -> History:
    resource = resource_service.get_resource(actor, slug)
    require(actor, Action.HISTORY_READ, resource)
    versions = list(db.session.scalars(select(ResourceVersion).where(ResourceVersion.resource_id == resource.id)
                                       .order_by(ResourceVersion.id.desc())))
    return History(resource=resource, versions=versions)


def get_version(actor, slug: str, version_id: int) -> tuple[Resource, ResourceVersion]:
    resource = resource_service.get_resource(actor, slug)
    require(actor, Action.HISTORY_READ, resource)
    version = db.session.get(ResourceVersion, version_id)
    if version is None or version.resource_id != resource.id:
        raise NotFound()
    return resource, version


def set_status(actor, slug: str, status: str, *, note: str = "", uow: UnitOfWork | None = None) -> Resource:
    """Unpublish (only editors and the history keep it) or publish again."""
    if status not in ("published", "unpublished"):
        raise ValidationFailed(f"unknown status {status!r}")
    with unit_of_work(uow) as work:
        resource = _editable_resource(actor, slug)
        if resource.status == status:
            return resource
        before = snapshot(resource)
        resource.status = status
        resource.updated_at = utcnow()
        if status == "published" and resource.published_at is None:
            resource.published_at = utcnow()
        record(actor, resource, "unpublish" if status == "unpublished" else "republish", before=before, note=note)
        work.index(resource.id)
        return resource


def restore_version(actor, slug: str, version_id: int, *, uow: UnitOfWork | None = None) -> Resource:
    """Bring back the content (fields and attachments) of an earlier version.
    The status stays as it is now: restoring never publishes by surprise."""
    with unit_of_work(uow) as work:
        resource, version = get_version(actor, slug, version_id)
        require(actor, Action.RESOURCE_EDIT, resource)
        before = snapshot(resource)
        fields = fields_from_snapshot(version.snapshot)
        fields.slug = resource.slug
        resource, _ = resource_service.upsert_fields(fields, status=resource.status, uow=work)
        resource.updated_at = utcnow()
        record(actor, resource, "restore", before=before, restored_from_id=version.id)
        return resource


def unpublished_resources(actor) -> list[Resource]:
    """What editors took offline, newest change first, so they can find it again."""
    require(actor, Action.HISTORY_READ)
    return list(db.session.scalars(select(Resource).where(Resource.status != "published")
                                   .order_by(Resource.updated_at.desc())))
