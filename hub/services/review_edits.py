"""An editor fixing a submission's details during review (a tag, a typo in
the title) without sending it back to the author. Only descriptive fields
change; the author's text and files stay theirs. Every change is recorded in
the submission's history, field by field, so the author sees what the editor
changed and why the published page differs from what they sent."""
from __future__ import annotations

from flask_babel import gettext

from hub.errors import Conflict, ValidationFailed
from hub.models import SubmissionEvent, submission as states
from hub.models._types import utcnow
from hub.security.policy import Action, require
from hub.services.submission_form import check, clean_data
from hub.services.submissions import ensure_current, get_submission, no_lost_update, state_label
from hub.services.uow import UnitOfWork, unit_of_work

#: What an editor may fix at review: the description, not the author's text or files.
METADATA_KEYS = ("title", "summary", "type", "racism_types", "audiences", "topics", "organization", "authors",
                 "published", "region")


def _shown(value) -> str:
    text = ", ".join(value) if isinstance(value, list) else str(value or "")
    text = " ".join(text.split())
    return f"“{text[:80]}{'…' if len(text) > 80 else ''}”" if text else "—"


def edit_details(actor, submission_id: int, changes: dict, *, version: int | None,
                 field_label=lambda key: key, uow: UnitOfWork | None = None) -> list[str]:
    """Apply the editor's changes to the metadata; returns the keys that changed
    (nothing recorded when nothing changed). Refused unless the submission is
    waiting for review, or when it changed since the editor loaded it."""
    with no_lost_update(), unit_of_work(uow):
        sub = get_submission(actor, submission_id)
        require(actor, Action.SUBMISSION_REVIEW, sub)
        ensure_current(sub, version)
        if sub.state != states.SUBMITTED:
            raise Conflict(gettext("This submission is %(state)s; its details can only be fixed while it "
                                   "waits for review.", state=state_label(sub.state)))
        cleaned = clean_data({key: changes.get(key) for key in METADATA_KEYS})
        data = dict(sub.data)
        changed = [key for key in METADATA_KEYS if cleaned[key] != clean_data(data).get(key)]
        if not changed:
            return []
        before = {key: data.get(key) for key in changed}
        data.update({key: cleaned[key] for key in changed})
        sub.data = data
        _fields, problems = check(sub, strict=True)
        problems = [p for p in problems if p.field in changed]
        if problems:
            raise ValidationFailed("the fixed details are not valid", problems=problems)
        sub.title = (data.get("title") or "").strip()[:300]
        sub.updated_at = utcnow()
        lines = [f"{field_label(key)}: {_shown(before[key])} → {_shown(cleaned[key])}" for key in changed]
        sub.events.append(SubmissionEvent(actor_id=actor.id, kind="edit", from_state=sub.state,
                                          to_state=sub.state, message="\n".join(lines)))
        return changed
