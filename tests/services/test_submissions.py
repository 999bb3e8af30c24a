"""The submission service: lenient drafts, strict submission, the state
machine, optimistic concurrency, publishing through the content pipeline,
history and restore, and what a submission may not set."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from hub.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hub.extensions import db
from hub.models import Resource, ResourceVersion, Submission, SubmissionEvent
from hub.models.submission import TRANSITIONS
from hub.services import drafts, history, indexing, review, submission_compare, submissions
from tests.flows import outbox

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

COMPLETE = {
    "title": "Anti-Racism in Rural Settlement", "summary": "What rural LIPs learned.", "type": "report",
    "racism_types": ["systemic"], "audiences": ["lip-staff", "municipalities"], "topics": "rural, settlement",
    "language": "en", "organization": "Huron LIP", "published": "2023-06-01", "region": "on", "access": "public",
    "body": "## Findings\n\nThree things.",
}


def _found(reader, words: str) -> list[str]:
    from hub.services.search import SearchParams, search_resources
    return [hit.resource.slug for hit in search_resources(reader, SearchParams(q=words)).hits]


@pytest.fixture
def people(make_user):
    return {"author": make_user("member"), "other": make_user("member"), "editor": make_user("editor"),
            "editor2": make_user("editor"), "admin": make_user("admin")}


def _submitted(people, **overrides):
    result = drafts.save_submission(people["author"], None, {**COMPLETE, **overrides}, intent="submit")
    assert result.submitted, result.all_problems
    return result.submission


def test_a_draft_saves_with_only_a_title_and_submitting_checks_every_field(people):
    result = drafts.save_submission(people["author"], None, {"title": "Half done"})
    assert result.problems == [] and result.submission.state == "draft"
    sub_id = result.submission.id
    result = drafts.save_submission(people["author"], sub_id, {"title": "Half done", "published": "soon"},
                                         intent="submit", version=result.submission.version)
    fields = {p.field for p in result.problems}
    assert {"type", "summary", "racism_types", "audiences", "language", "organization", "region",
            "published"} <= fields
    db.session.expire_all()
    sub = db.session.get(Submission, sub_id)
    assert sub.state == "draft" and sub.data["published"] == "soon"  # kept as typed, not submitted


def test_the_state_machine(people):
    sub = _submitted(people)
    editor, author = people["editor"], people["author"]
    with pytest.raises(PermissionDenied):  # an author cannot review their own submission as a member
        review.review_submission(author, sub.id, "publish", version=sub.version)
    with pytest.raises(Conflict):  # submitted is not editable
        drafts.save_submission(author, sub.id, COMPLETE, version=sub.version)
    review.review_submission(editor, sub.id, "request_changes", version=sub.version, message="Add a source.")
    assert sub.state == "changes-requested"
    with pytest.raises(Conflict):  # there is nothing to request again
        review.review_submission(editor, sub.id, "request_changes", version=sub.version, message="Again")
    result = drafts.save_submission(author, sub.id, COMPLETE, intent="submit", version=sub.version)
    assert result.submitted and sub.state == "submitted"
    review.review_submission(editor, sub.id, "reject", version=sub.version, message="Out of scope.")
    assert sub.state == "rejected"
    with pytest.raises(Conflict):
        drafts.withdraw(author, sub.id, version=sub.version)
    steps = [(e.from_state, e.to_state) for e in sub.events if e.kind == "state"]
    assert steps == [("draft", "submitted"), ("submitted", "changes-requested"),
                     ("changes-requested", "submitted"), ("submitted", "rejected")]
    assert all((a, b) in TRANSITIONS for a, b in steps)


def test_a_members_draft_cannot_be_published_before_it_is_submitted(people):
    draft = drafts.save_submission(people["author"], None, COMPLETE).submission
    with pytest.raises(Conflict):
        review.review_submission(people["editor"], draft.id, "publish", version=draft.version)
    assert draft.state == "draft" and db.session.scalar(select(func.count(Resource.id))) == 0


def test_only_the_author_edits_and_others_do_not_even_see_it(people):
    draft = drafts.save_submission(people["author"], None, {"title": "Mine"}).submission
    with pytest.raises(NotFound):
        submissions.get_submission(people["other"], draft.id)
    with pytest.raises(NotFound):
        drafts.save_submission(people["other"], draft.id, {"title": "Taken over"})
    with pytest.raises(PermissionDenied):  # editors read it but do not rewrite someone's draft
        drafts.save_submission(people["editor"], draft.id, {"title": "Taken over"})
    with pytest.raises(NotFound):
        drafts.withdraw(people["other"], draft.id, version=draft.version)
    assert submissions.get_submission(people["editor"], draft.id).title == "Mine"


def test_a_submission_cannot_set_its_status_author_or_another_resources_slug(people, make_resource):
    make_resource(slug="taken-slug", title="Someone else's resource")
    raw = {**COMPLETE, "slug": "taken-slug", "state": "published", "status": "published",
           "author_id": people["other"].id, "resource_id": 1, "version": 99}
    result = drafts.save_submission(people["author"], None, raw, intent="submit")
    sub = result.submission
    assert not result.submitted and sub.state == "draft" and sub.author_id == people["author"].id
    assert sub.resource_id is None and not sub.is_edit
    assert "state" not in sub.data and "author_id" not in sub.data
    assert [p.field for p in result.problems] == ["slug"] and "already used" in result.problems[0].message
    # The same through a title that would derive the taken slug.
    result = drafts.save_submission(people["author"], None, {**COMPLETE, "title": "Taken slug"}, intent="submit")
    assert [p.field for p in result.problems] == ["title"]
    assert db.session.scalar(select(Resource.title).where(Resource.slug == "taken-slug")) == "Someone else's resource"


def test_an_editor_acting_on_a_submission_that_changed_meanwhile_is_refused(app, people):
    sub = _submitted(people)
    seen_by_both = sub.version
    review.review_submission(people["editor"], sub.id, "publish", version=seen_by_both)
    mails = len(outbox(app))
    with pytest.raises(Conflict) as refused:
        review.review_submission(people["editor2"], sub.id, "reject", version=seen_by_both, message="No")
    assert "changed by someone else" in refused.value.message
    db.session.expire_all()
    sub = db.session.get(Submission, sub.id)
    assert sub.state == "published"
    assert [e.to_state for e in sub.events if e.kind == "state"] == ["submitted", "published"]
    assert len(outbox(app)) == mails  # nobody was told about a decision that did not happen
    assert db.session.scalar(select(func.count(ResourceVersion.id))) == 1


def test_two_writes_racing_on_the_same_row_apply_only_once(app, people):
    """The version column also guards the moment between reading and writing."""
    sub = _submitted(people)
    original = review.get_submission

    def load_then_someone_else_writes(actor, submission_id):
        loaded = original(actor, submission_id)
        with db.engine.begin() as other_connection:  # another worker's decision lands first
            other_connection.execute(text("UPDATE submissions SET version = version + 1, state = 'rejected' "
                                          "WHERE id = :id"), {"id": submission_id})
        return loaded

    review.get_submission = load_then_someone_else_writes  # as the review service looks it up
    try:
        with pytest.raises(Conflict):
            review.review_submission(people["editor"], sub.id, "request_changes", version=None, message="Fix it")
    finally:
        review.get_submission = original
    db.session.expire_all()
    assert db.session.get(Submission, sub.id).state == "rejected"
    assert db.session.scalar(select(func.count(SubmissionEvent.id)).where(
        SubmissionEvent.to_state == "changes-requested")) == 0


def test_publishing_writes_database_and_index_in_one_call(app, people):
    indexing.rebuild_index()
    sub = _submitted(people, access="members")
    review.review_submission(people["editor"], sub.id, "publish", version=sub.version)
    resource = db.session.scalar(select(Resource).where(Resource.slug == "anti-racism-in-rural-settlement"))
    assert resource.status == "published" and resource.access == "members"
    assert resource.topics == ["rural", "settlement"] and resource.body_html.startswith("<h2")
    assert _found(None, "rural settlement") == []  # members only
    assert _found(people["other"], "rural settlement") == [resource.slug]
    assert sub.resource_id == resource.id
    [entry] = db.session.scalars(select(ResourceVersion)).all()
    assert entry.action == "publish" and entry.actor_id == people["editor"].id and "title" in entry.changed


def test_a_failed_publication_changes_nothing_and_mails_nobody(app, people, make_resource):
    sub = _submitted(people, slug="will-be-taken")
    make_resource(slug="will-be-taken")  # someone imports that slug meanwhile
    before = len(outbox(app))
    with pytest.raises(ValidationFailed):
        review.review_submission(people["editor"], sub.id, "publish", version=sub.version)
    db.session.expire_all()
    assert db.session.get(Submission, sub.id).state == "submitted"
    assert len(outbox(app)) == before


def test_proposed_changes_show_a_field_by_field_diff_and_publish_with_history(app, people, make_resource):
    original = make_resource(slug="rural-guide", title="Rural Guide", summary="Old summary.",
                             body="## One\n\nKeep.\n\nOld line.\n")
    data, resource = drafts.new_submission_data(people["author"], "rural-guide")
    assert data["title"] == "Rural Guide" and resource.id == original.id
    changed = {**data, "summary": "New summary.", "body": "## One\n\nKeep.\n\nNew line.\n",
               "audiences": data["audiences"] + ["youth"], "slug": "hijacked"}
    result = drafts.save_submission(people["author"], None, changed, intent="submit", edit_slug="rural-guide")
    assert result.submitted, result.all_problems
    sub = result.submission
    assert sub.data["slug"] == "rural-guide"  # the slug of an edited resource cannot change
    diff = {c.key: c for c in submission_compare.compare(sub)}
    assert set(diff) == {"summary", "audiences", "body"}
    assert diff["audiences"].after == [*diff["audiences"].before, "youth"]
    assert ("-", "Old line.") in diff["body"].lines and ("+", "New line.") in diff["body"].lines
    assert db.session.get(Resource, original.id).summary == "Old summary."  # unchanged until published

    review.review_submission(people["editor"], sub.id, "publish", version=sub.version)
    resource = db.session.get(Resource, original.id)
    assert resource.summary == "New summary." and resource.slug == "rural-guide"
    found = history.resource_history(people["editor"], "rural-guide")
    assert [v.action for v in found.versions] == ["edit", "baseline"]
    assert set(found.versions[0].changed) == {"summary", "audiences", "body"}

    history.restore_version(people["editor"], "rural-guide", found.versions[1].id)
    resource = db.session.get(Resource, original.id)
    assert resource.summary == "Old summary." and "youth" not in resource.audiences
    actions = [v.action for v in history.resource_history(people["editor"], "rural-guide").versions]
    assert actions == ["restore", "edit", "baseline"]
    with pytest.raises(PermissionDenied):
        history.resource_history(people["author"], "rural-guide")


def test_unpublish_hides_everywhere_but_for_editors_then_publish_again(app, people, make_resource):
    from hub.services.resources import get_resource
    make_resource(slug="to-hide", title="To hide")
    indexing.rebuild_index()
    history.set_status(people["editor"], "to-hide", "unpublished", note="Outdated figures")
    for reader in (None, people["author"]):
        with pytest.raises(NotFound):
            get_resource(reader, "to-hide")
    assert get_resource(people["editor"], "to-hide").status == "unpublished"
    assert _found(None, "to hide") == [] and _found(people["author"], "to hide") == []
    assert _found(people["editor"], "to hide") == ["to-hide"]
    history.set_status(people["editor"], "to-hide", "published")
    assert get_resource(None, "to-hide").status == "published"
    assert _found(None, "to hide") == ["to-hide"]
    actions = [(v.action, v.note) for v in history.resource_history(people["editor"], "to-hide").versions]
    assert actions[:2] == [("republish", ""), ("unpublish", "Outdated figures")]
    with pytest.raises(PermissionDenied):
        history.set_status(people["author"], "to-hide", "unpublished")


def test_uploads_are_checked_by_content_and_stored_under_safe_names(app, people):
    long_name = "a" * 300 + ".txt"
    uploads = [("report.pdf", PDF), ("fake.pdf", b"MZ\x90\x00 not a pdf"), ("../../etc/passwd.txt", b"plain text"),
               ("evil\x00\x1b[31mname.png", PNG), (long_name, b"long"), ("big.pdf", PDF + b"x" * 100),
               ("script.html", b"<html><script>alert(1)</script>")]
    app.config["MAX_ATTACHMENT_BYTES"] = 60
    result = drafts.save_submission(people["author"], None, {"title": "Files"}, uploads=uploads)
    names = [f.filename for f in result.submission.files]
    assert names[:3] == ["report.pdf", "passwd.txt", "evil-31mname.png"]
    assert len(names) == 4 and len(names[3]) <= 120 and names[3].endswith(".txt")
    messages = " | ".join(p.message for p in result.upload_problems)
    assert "fake.pdf was not added" in messages and "big.pdf was not added" in messages
    assert "script.html was not added" in messages and len(result.upload_problems) == 3
    # Removing one and adding nothing keeps the rest.
    result = drafts.save_submission(people["author"], result.submission.id, {"title": "Files"},
                                         remove=["passwd.txt"], version=result.submission.version)
    assert [f.filename for f in result.submission.files][:2] == ["report.pdf", "evil-31mname.png"]


def test_each_step_mails_the_author_after_the_commit(app, people):
    sub = _submitted(people)
    review.comment(people["editor"], sub.id, "Looks promising.")
    review.review_submission(people["editor"], sub.id, "request_changes", version=sub.version, message="Cite it.")
    drafts.save_submission(people["author"], sub.id, COMPLETE, intent="submit", version=sub.version)
    review.review_submission(people["editor"], sub.id, "publish", version=sub.version)
    subjects = [m["Subject"].split(":")[0] for m in outbox(app) if m["To"] == people["author"].email]
    assert subjects == ["Submission received", "New comment on", "Changes requested", "Submission received",
                        "Published"]
    to_editors = [m for m in outbox(app) if m["To"] in (people["editor"].email, people["admin"].email)]
    assert len(to_editors) == 4 and all(m["Subject"].startswith("To review") for m in to_editors)


def test_withdrawing(people):
    sub = _submitted(people)
    with pytest.raises(NotFound):
        drafts.withdraw(people["other"], sub.id, version=sub.version)
    with pytest.raises(PermissionDenied):
        drafts.withdraw(people["editor"], sub.id, version=sub.version)
    drafts.withdraw(people["author"], sub.id, version=sub.version)
    assert sub.state == "withdrawn"
    assert review.review_queue(people["editor"]).counts["withdrawn"] == 1


def test_queue_is_oldest_first_with_counts(people):
    first = _submitted(people, title="First in")
    second = _submitted(people, title="Second in")
    drafts.save_submission(people["author"], None, {"title": "Just a draft"})
    queue = review.review_queue(people["editor"])
    assert [s.id for s in queue.waiting] == [first.id, second.id]
    assert queue.counts["submitted"] == 2 and queue.counts["draft"] == 1
    with pytest.raises(PermissionDenied):
        review.review_queue(people["author"])


def test_a_title_whose_address_is_taken_meanwhile_is_refused_at_publication(app, people, make_resource):
    sub = _submitted(people)  # no slug typed: the title gives anti-racism-in-rural-settlement
    make_resource(slug="anti-racism-in-rural-settlement")
    with pytest.raises(ValidationFailed) as refused:
        review.review_submission(people["editor"], sub.id, "publish", version=sub.version)
    assert [p.field for p in refused.value.problems] == ["title"]
    assert "already used" in refused.value.problems[0].message
    db.session.expire_all()
    assert db.session.get(Submission, sub.id).state == "submitted"


def test_an_upload_is_stored_once_and_reaches_the_catalogue_by_its_hash(app, people, monkeypatch):
    import hashlib

    from hub.content import storage
    from hub.services import drafts as draft_service, resources

    stored: list[int] = []

    def counting_store(files_dir, data):
        stored.append(len(data))
        return storage.store_blob(files_dir, data)

    monkeypatch.setattr(draft_service, "store_blob", counting_store)
    monkeypatch.setattr(resources, "store_blob", counting_store)
    pdf = b"%PDF-1.4\n% a guide\n%%EOF\n"
    result = drafts.save_submission(people["author"], None, dict(COMPLETE), uploads=[("guide.pdf", pdf)],
                                    intent="submit")
    assert result.submitted, result.all_problems
    review.review_submission(people["editor"], result.submission.id, "publish", version=result.submission.version)
    resource = db.session.get(Resource, result.submission.resource_id)
    [attachment] = resource.attachments
    assert (attachment.filename, attachment.sha256, attachment.size) == \
        ("guide.pdf", hashlib.sha256(pdf).hexdigest(), len(pdf))
    assert attachment.text is not None
    # Restoring an earlier version names the stored bytes too.
    [version] = history.resource_history(people["editor"], resource.slug).versions
    history.restore_version(people["editor"], resource.slug, version.id)
    assert stored == [len(pdf)]
    _, _, path = resources.get_attachment(None, resource.slug, "guide.pdf")
    assert path.read_bytes() == pdf
