"""A page of search results as database rows.

The index only finds and orders: what a page shows comes from the database,
the truth, and each row is checked by the permission policy again, so an
index entry a moment older than the database (a resource just made members
only, unpublished or deleted) is never shown.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, lazyload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from hub.extensions import db
from hub.models import Attachment, Resource
from hub.security.policy import Action, can

Columns = Literal["listed", "whole", "named"]

#: Whole rows (the API's and feed's entries), less the rendered body and the
#: assessment, which no listing shows; attachments are filled in by hand.
_WHOLE_RESOURCES = (select(Resource).where(Resource.id.in_(bindparam("ids", expanding=True)))
                    .options(defer(Resource.body_html), defer(Resource.assessment), lazyload(Resource.attachments)))
_ATTACHMENTS = (select(Attachment).where(Attachment.resource_id.in_(bindparam("ids", expanding=True)))
                .order_by(Attachment.resource_id, Attachment.position))
#: What a results page shows of each hit (and what the policy and the snippets
#: read): a third fewer columns to convert than the API's rows (no JSON lists,
#: no timestamps). Any other column still loads, one row at a time, if read.
_LISTED_RESOURCES = (select(Resource).where(Resource.id.in_(bindparam("ids", expanding=True)))
                     .options(load_only(Resource.slug, Resource.title, Resource.type, Resource.summary,
                                        Resource.language, Resource.organization, Resource.published,
                                        Resource.published_on, Resource.access, Resource.status, Resource.body,
                                        Resource.updated_at, Resource.translations, Resource.translation),
                              lazyload(Resource.attachments)))
#: What a suggestion shows (a title): neither body is read.
_NAMED_RESOURCES = (select(Resource).where(Resource.id.in_(bindparam("ids", expanding=True)))
                    .options(defer(Resource.body_html), defer(Resource.body), lazyload(Resource.attachments)))
_ATTACHMENT_TEXTS = (select(Attachment.resource_id, Attachment.text)
                     .where(Attachment.resource_id.in_(bindparam("ids", expanding=True)))
                     .order_by(Attachment.resource_id, Attachment.position))


def readable_resources(user, ids: Sequence[int], *, columns: Columns = "listed") -> list[Resource]:
    """The resources of ``ids`` in that order (the rank order), without those
    ``user`` may not read or that are gone. ``columns``: what the caller reads,
    so no more is converted: ``"listed"`` a results page's columns (a third
    cheaper than whole rows), ``"whole"`` every column and the attachments (what
    the API serialises), ``"named"`` all but the bodies (suggestions)."""
    if not ids:
        return []
    if columns == "whole":
        rows = _whole_rows(list(ids))
    else:
        statement = _LISTED_RESOURCES if columns == "listed" else _NAMED_RESOURCES
        rows = {r.id: r for r in db.session.scalars(statement, {"ids": list(ids)})}
    return [resource for rid in ids
            if (resource := rows.get(rid)) is not None and can(user, Action.RESOURCE_READ, resource)]


def _whole_rows(ids: list[int]) -> dict[int, Resource]:
    """The resources in two plain queries, built once (their attachments filled
    in directly: cheaper than the relationship's own eager loading)."""
    rows = {r.id: r for r in db.session.scalars(_WHOLE_RESOURCES, {"ids": ids})}
    files: dict[int, list[Attachment]] = {rid: [] for rid in rows}
    if rows:
        for attachment in db.session.scalars(_ATTACHMENTS, {"ids": list(rows)}):
            files[attachment.resource_id].append(attachment)
    for rid, resource in rows.items():
        set_committed_value(resource, "attachments", files[rid])
    return rows


def attachment_texts(ids: Sequence[int]) -> dict[int, list[str]]:
    """The extracted text of each resource's attachments, in their order (those
    with text only), in one query: what a passage falls back on when neither
    the summary nor the body holds a reader's word."""
    texts: dict[int, list[str]] = {}
    if ids:
        for rid, text in db.session.execute(_ATTACHMENT_TEXTS, {"ids": list(ids)}):
            if text:
                texts.setdefault(rid, []).append(text)
    return texts
