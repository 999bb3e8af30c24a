"""A submission becomes (or changes) a catalogue resource through the same
pipeline as an import (``resources.upsert_fields``), with a history entry, in
the caller's unit of work. Its files are already in the content-addressed
store since upload, so they travel by hash: never read back to be stored again."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from hub.content.storage import blob_path
from hub.content.validation import AttachmentData, Problem, ResourceFields
from hub.errors import ValidationFailed
from hub.extensions import db
from hub.models import Resource, Submission, submission as states
from hub.models._types import utcnow
from hub.services import history, resources as resource_service
from hub.services.submissions import transition
from hub.services.uow import UnitOfWork


def _stored_files(sub: Submission) -> list[AttachmentData]:
    files_dir = current_app.config["FILES_DIR"]
    attachments = []
    for f in sub.files:
        if not blob_path(files_dir, f.sha256).is_file():
            message = gettext("%(name)s is missing from storage: upload it again.", name=f.filename)
            raise ValidationFailed(message, problems=[Problem("files", message)])
        attachments.append(AttachmentData.stored(f.filename, f.sha256, f.size, f.media_type))
    return attachments


def publish(actor, sub: Submission, fields: ResourceFields, work: UnitOfWork, *, note: str = "") -> Resource:
    """Write the resource (database + index, in the caller's unit) and its history entry.

    ``fields`` come from a strict ``submission_form.check``, which settled the
    slug and found it free; an edit keeps the slug of the resource it changes."""
    fields.attachments = _stored_files(sub)
    existing = None
    if sub.is_edit:
        existing = db.session.get(Resource, sub.resource_id) if sub.resource_id else None
        if existing is None:
            message = gettext("The resource this submission changes no longer exists.")
            raise ValidationFailed(message, problems=[Problem("slug", message)])
        fields.slug = existing.slug
    before = history.snapshot(existing) if existing is not None else None
    resource, _ = resource_service.upsert_fields(fields, status="published", uow=work)
    resource.updated_at = utcnow()
    history.record(actor, resource, "edit" if sub.is_edit else "publish", before=before, note=note,
                   submission_id=sub.id)
    sub.resource_id = resource.id
    transition(actor, sub, states.PUBLISHED, work, message=note)
    return resource
