"""E-mail digests of saved searches: ``hub send-digests``, run by cron.

For each saved search that is due, the digest lists what was published since
the last one that the search finds for the member *now*: the search service
runs the saved words and filters with the member's labels of today and the
policy checks each resource again, so a resource made members-only or
unpublished since, or a member who lost their account's access, never
brings anything they may not read into a mail.

Nothing is sent twice, even when the command runs twice at once on two
machines or dies half-way:

1. **Claim and record, in one transaction per saved search.** A conditional
   ``UPDATE … WHERE id = ? AND next_due_at <= now`` claims the saved search
   and holds its row (PostgreSQL's row lock; SQLite's single writer) until
   the commit; a second run's UPDATE waits, then finds it no longer due and
   skips it. In that transaction the digest is computed, the resources it
   lists are recorded (``digest_items``), ``sent_until`` and the next due
   date move on, and the mail itself is stored (``digest_mails``). Either
   all of it commits or none: a crash before the commit leaves the saved
   search due, and the next run does it whole.
2. **Deliver, each mail claimed once.** A second conditional UPDATE turns a
   mail from ``pending`` to ``sending`` (only one run can); the mail service
   then sends it (SMTP or the outbox) and the row is deleted. When the mail
   service fails (SMTP down), the mail goes back to ``pending`` and the next
   run tries again. A run that dies between handing a mail over and deleting
   its row leaves it ``sending``: it is never handed over again (at most
   once), and a later run removes it with a warning in the log.

**Late commits.** ``published_at`` is set when a resource is written, but
other readers only see it at the commit, which for a big import can come
minutes later. So each window looks back ``DIGEST_LOOKBACK_HOURS`` (24)
before ``sent_until`` and leaves out what an earlier digest of this search
already listed (``digest_items``): a resource committed late still comes in
the next digest, and never twice.
"""
from __future__ import annotations

import email.policy
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes
from typing import Any, cast

from flask import current_app, render_template
from flask_babel import force_locale, format_date, gettext, ngettext
from sqlalchemy import CursorResult, delete, select, update

from hub.content.bilingual import pick
from hub.extensions import db
from hub.models import DigestItem, DigestMail, Resource, SavedSearch, User
from hub.models._types import utcnow
from hub.services import indexing, mail, saved_searches, search as search_service
from hub.services.digest_schedule import next_due
from hub.services.uow import unit_of_work
from hub.vocabularies import load_vocabularies

log = logging.getLogger(__name__)

DEFAULT_LOOKBACK_HOURS = 24
#: Resources listed in one mail; the rest are counted, with a link to the search.
MAX_ITEMS = 50
#: A mail still "sending" after this long was handed over by a run that died.
STUCK_AFTER = timedelta(hours=1)
#: A mail the mail service kept refusing for this long is dropped: the next digest follows.
GIVE_UP_AFTER = timedelta(days=7)


@dataclass
class DigestRun:
    """What one run did, for the command's summary line."""
    due: int = 0
    mailed: int = 0
    nothing_new: int = 0
    delivered: int = 0
    failed: int = 0
    dropped: int = 0

    def summary(self) -> str:
        return (f"digests: {self.due} due, {self.mailed} with new resources, {self.nothing_new} with nothing new; "
                f"mail delivered {self.delivered}, failed {self.failed} (retried next run), dropped {self.dropped}")


def _changed(statement: Any) -> int:
    """Run an UPDATE or DELETE; how many rows it changed (the claims read it)."""
    return cast("CursorResult[Any]", db.session.execute(statement)).rowcount or 0


def send_due_digests(*, now: datetime | None = None) -> DigestRun:
    """Record the digest of every saved search due at ``now`` (naive UTC; the
    real time when not given), then hand every waiting digest to the mail
    service. Safe to run again and on several machines at once."""
    now = now or utcnow()
    run = DigestRun()
    _catch_up_index()
    due = list(db.session.scalars(select(SavedSearch.id).where(SavedSearch.next_due_at <= now)
                                  .order_by(SavedSearch.next_due_at, SavedSearch.id)))
    db.session.rollback()  # no read transaction left open before the first claim
    for saved_id in due:
        outcome = record_digest(saved_id, now)
        if outcome is None:
            continue  # another run had it, or it was deleted meanwhile
        run.due += 1
        if outcome:
            run.mailed += 1
        else:
            run.nothing_new += 1
    run.delivered, run.failed, run.dropped = deliver_pending(now=now)
    return run


def _catch_up_index() -> None:
    """Bring this machine's index up to the database first, so everything
    committed before the run is searchable (the digest searches the index)."""
    for _ in range(50):
        outcome = indexing.follow_changes()
        if outcome in ("fresh", "applied"):
            return
        if outcome != "busy":
            break
        time.sleep(0.1)  # another process on this machine is applying the same changes
    indexing.ensure_index_fresh()


def record_digest(saved_id: int, now: datetime) -> bool | None:
    """Claim one due saved search and record its digest. True: a mail is
    waiting for delivery; False: nothing new, no mail; None: not claimed."""
    lookback = timedelta(hours=float(current_app.config.get("DIGEST_LOOKBACK_HOURS", DEFAULT_LOOKBACK_HOURS)))
    with unit_of_work():
        claimed = _changed(
            update(SavedSearch).where(SavedSearch.id == saved_id, SavedSearch.next_due_at <= now)
            .values(last_run_at=now).execution_options(synchronize_session=False))
        saved = db.session.get(SavedSearch, saved_id, populate_existing=True) if claimed else None
        if saved is None:
            return None
        # The member as they are now: role and active flag decide what they may read.
        member = db.session.get(User, saved.user_id, populate_existing=True)
        if member is None:
            return None
        since = saved.sent_until
        start = max(since - lookback, saved.created_at)
        already = select(DigestItem.resource_id).where(DigestItem.saved_search_id == saved.id)
        candidates = list(db.session.scalars(
            select(Resource.id).where(Resource.published_at > start, Resource.published_at <= now,
                                      Resource.status == "published", Resource.id.not_in(already))))
        found = search_service.found_among(member, saved_searches.search_params(saved), candidates)
        found.sort(key=lambda r: (r.published_at, r.id), reverse=True)
        saved.sent_until = max(now, since)
        saved.next_due_at = next_due(now, saved.frequency)
        # Items older than the look-back can no longer come up again.
        db.session.execute(delete(DigestItem).where(DigestItem.saved_search_id == saved.id,
                                                    DigestItem.sent_at < now - lookback))
        if not found:
            return False
        db.session.add_all(DigestItem(saved_search_id=saved.id, resource_id=r.id, sent_at=now) for r in found)
        saved.last_mailed_at = now
        message = build_digest(saved, member, found, since)
        db.session.add(DigestMail(saved_search_id=saved.id, created_at=now, status="pending", attempts=0,
                                  message=message.as_bytes()))
        return True


def deliver_pending(*, now: datetime | None = None) -> tuple[int, int, int]:
    """Hand each waiting digest to the mail service once. Returns (delivered,
    failed and kept for the next run, dropped)."""
    now = now or utcnow()
    delivered = failed = dropped = 0
    with unit_of_work():
        stuck = _changed(delete(DigestMail).where(DigestMail.status == "sending",
                                                  DigestMail.attempted_at < now - STUCK_AFTER))
        stale = _changed(delete(DigestMail).where(DigestMail.status == "pending",
                                                  DigestMail.created_at < now - GIVE_UP_AFTER))
    if stuck:
        log.warning("%d digest mail(s) were handed to the mail service by a run that stopped before it "
                    "recorded the delivery; they may or may not have arrived and are not sent again", stuck)
    if stale:
        log.warning("%d digest mail(s) were refused by the mail service for %s; dropped", stale, GIVE_UP_AFTER)
    dropped = stuck + stale
    waiting = list(db.session.scalars(select(DigestMail.id).where(DigestMail.status == "pending")
                                      .order_by(DigestMail.id)))
    db.session.rollback()
    for mail_id in waiting:
        with unit_of_work():
            claimed = _changed(
                update(DigestMail).where(DigestMail.id == mail_id, DigestMail.status == "pending")
                .values(status="sending", attempted_at=now, attempts=DigestMail.attempts + 1)
                .execution_options(synchronize_session=False))
            raw = db.session.scalar(select(DigestMail.message).where(DigestMail.id == mail_id)) if claimed else None
        if raw is None:
            continue
        try:
            mail.deliver(message_from_bytes(bytes(raw), policy=email.policy.SMTP))
        except Exception:  # any failure of the mail service: keep the mail for the next run
            log.exception("digest mail %d could not be sent; the next run tries again", mail_id)
            with unit_of_work():
                db.session.execute(update(DigestMail).where(DigestMail.id == mail_id, DigestMail.status == "sending")
                                   .values(status="pending").execution_options(synchronize_session=False))
            failed += 1
            continue
        with unit_of_work():
            db.session.execute(delete(DigestMail).where(DigestMail.id == mail_id))
        delivered += 1
    return delivered, failed, dropped


# -- the mail ---------------------------------------------------------------------------
@dataclass
class DigestEntry:
    title: str
    title_lang: str
    summary: str
    summary_lang: str
    facts: str
    url: str


def _entry(resource: Resource, lang: str) -> DigestEntry:
    vocab = load_vocabularies()
    title, title_lang = pick(resource.titles, lang, resource.language)
    summary, summary_lang = pick(resource.summaries, title_lang, resource.language)
    facts = [vocab.label("resource_types", resource.type, lang)]
    if resource.organization:
        facts.append(resource.organization)
    if resource.published:
        facts.append(resource.published[:4])
    return DigestEntry(title=title, title_lang=title_lang, summary=summary, summary_lang=summary_lang,
                       facts=" · ".join(facts),
                       url=mail.absolute_url("resources.show", lang=lang, slug=resource.slug))


def build_digest(saved: SavedSearch, member: User, found: list[Resource], since: datetime):
    """The digest as an e-mail: plain text and HTML saying the same, in the
    saved search's language. Every link is absolute, from HUB_BASE_URL, and
    goes straight to its page: no redirector, no image, nothing that tells
    the hub a mail was opened or a link followed."""
    lang = saved.language
    with force_locale(lang):
        name = saved_searches.title(saved, lang)
        entries = [_entry(resource, lang) for resource in found[:MAX_ITEMS]]
        more = len(found) - len(entries)
        token = saved_searches.unsubscribe_token(saved)
        unsubscribe_url = mail.absolute_url("digests.unsubscribe", lang=lang, token=token)
        search_url = mail.absolute_url("search.page", lang=lang)
        if saved.query:
            search_url += "?" + saved.query
        texts = {
            "subject": ngettext("%(num)d new resource: %(name)s", "%(num)d new resources: %(name)s", len(found),
                                name=name),
            "intro": ngettext(
                "Since %(date)s, %(num)d new resource on the LIP Anti-Racism Resource Hub matches your saved "
                "search: %(name)s.",
                "Since %(date)s, %(num)d new resources on the LIP Anti-Racism Resource Hub match your saved "
                "search: %(name)s.", len(found), date=format_date(since, "long"), name=name),
            "more": ngettext("And %(num)d more: see them all on the hub.", "And %(num)d more: see them all on "
                             "the hub.", more) if more else "",
            "search": gettext("See this search on the hub"),
            "manage": gettext("Rename it, change how often it comes, or stop it (signed in)"),
            "unsubscribe": gettext("Stop this digest (one click, no sign-in needed)"),
            "why": gettext("You get this e-mail because you follow this search on the hub (%(frequency)s). "
                           "It has no tracking: no images, and every link goes straight to its page.",
                           frequency=frequency_label(saved.frequency)),
            "hello": gettext("Hello,"),
            "heading": gettext("New resources: %(name)s", name=name),
        }
        manage_url = mail.absolute_url("saved_searches.index", lang=lang)
        html = render_template("digests/mail.html", lang=lang, texts=texts, entries=entries,
                               search_url=search_url, manage_url=manage_url, unsubscribe_url=unsubscribe_url)
    lines = [texts["hello"], "", texts["intro"], ""]
    for entry in entries:
        lines += [entry.title, entry.facts, entry.summary, entry.url, ""]
    if more:
        lines += [texts["more"], search_url, ""]
    lines += [f"{texts['search']}:", search_url, "", f"{texts['manage']}:", manage_url, "",
              f"{texts['unsubscribe']}:", unsubscribe_url, "", "-- ", texts["why"]]
    return mail.build_message(member.email, texts["subject"], "\n".join(lines), html=html, headers={
        # RFC 2369 and RFC 8058: mail programs offer their own "unsubscribe"
        # button, which POSTs to the link directly.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })


def frequency_label(frequency: str) -> str:
    return {"weekly": gettext("weekly"), "monthly": gettext("monthly")}.get(frequency, frequency)
