"""E-mail digests of saved searches (hub/services/digests.py): what is due,
what a digest lists, with whose permissions, and that nothing goes twice."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import DigestItem, DigestMail, SavedSearch
from hub.models._types import utcnow
from hub.services import digests, history, saved_searches, users
from hub.services.mail import read_outbox
from hub.services.search import SearchParams

LINK = re.compile(r"https?://[^\s<>\"]+")


def outbox(app):
    return read_outbox(app.config["OUTBOX_DIR"])


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def follow(user, lang="en", frequency="weekly", **args):
    params = SearchParams.from_args(dict(args.items()), locale=lang)
    saved, _ = saved_searches.save_search(user, params, frequency=frequency, language=lang)
    return saved


def published_on_day(resource, when):
    """As if published at ``when`` on the tests' clock (the services stamp the real time)."""
    resource.published_at = when
    db.session.commit()


def send(now=None):
    return digests.send_due_digests(now=now)


def test_a_digest_lists_what_was_published_since_and_goes_once(app, make_user, make_resource):
    member = make_user()
    make_resource(title="Older toolkit about hiring", slug="older")  # before the search was saved
    follow(member, q="hiring")
    make_resource(title="Fair hiring checklist", slug="fair-hiring")
    make_resource(title="Housing report", slug="housing", summary="Nothing to do with it.",
                  topics="[housing]", body="Rent.\n")

    first = send()
    second = send()

    assert (first.mailed, second.due) == (1, 0)
    mails = outbox(app)
    assert len(mails) == 1
    text = text_of(mails[0])
    assert "Fair hiring checklist" in text and "/en/resources/fair-hiring" in text
    assert "Older toolkit" not in text and "Housing report" not in text
    assert mails[0]["To"] == member.email
    assert db.session.scalar(select(func.count()).select_from(DigestMail)) == 0  # delivered: no copy kept


def test_nothing_new_sends_no_mail_and_moves_the_window_on(app, make_user, make_resource):
    member = make_user()
    saved = follow(member, q="hiring")
    make_resource(title="Housing report", slug="housing", summary="Rent.", topics="[housing]", body="Rent.\n")

    run = send()

    assert (run.due, run.mailed, run.nothing_new) == (1, 0, 1)
    assert outbox(app) == []
    db.session.refresh(saved)
    assert saved.last_run_at is not None and saved.last_mailed_at is None
    assert saved.next_due_at > utcnow()


def test_weekly_and_monthly_come_when_due(app, make_user, make_resource):
    member = make_user()
    weekly = follow(member, q="hiring", frequency="weekly")
    monthly = follow(member, q="hiring", type="toolkit", frequency="monthly")
    start = utcnow()
    send(now=start)  # the first run after saving: nothing yet for either
    published_on_day(make_resource(title="Hiring toolkit", slug="hiring-toolkit"), start + timedelta(days=2))

    assert send(now=start + timedelta(days=3)).due == 0
    on_day_8 = send(now=start + timedelta(days=8))
    assert on_day_8.mailed == 1
    assert [text_of(m).count("Hiring toolkit") for m in outbox(app)] == [1]
    assert outbox(app)[0]["Subject"] == "1 new resource: “hiring”"  # the weekly one

    published_on_day(make_resource(title="Second hiring toolkit", slug="second-hiring"), start + timedelta(days=10))
    assert send(now=start + timedelta(days=12)).due == 0
    on_day_32 = send(now=start + timedelta(days=32))
    assert (on_day_32.due, on_day_32.mailed) == (2, 2)  # weekly again, and the first monthly one
    subjects = sorted(m["Subject"] for m in outbox(app)[1:])
    monthly_text = next(text_of(m) for m in outbox(app)[1:] if "Toolkit" in m["Subject"])
    # The monthly digest covers its whole month: both toolkits.
    assert "Hiring toolkit" in monthly_text and "Second hiring toolkit" in monthly_text
    weekly_text = next(text_of(m) for m in outbox(app)[1:] if "Toolkit" not in m["Subject"])
    assert "Second hiring toolkit" in weekly_text and "\nHiring toolkit\n" not in weekly_text
    assert len(subjects) == 2
    db.session.refresh(weekly)
    db.session.refresh(monthly)
    assert (monthly.next_due_at - weekly.next_due_at).days > 20


def test_members_only_is_decided_when_sending(app, make_user, make_resource):
    """Who may read what is the policy's answer at sending time, not at saving."""
    editor = make_user("editor")
    member = make_user()
    leaving = make_user()
    follow(member, q="hiring")
    follow(leaving, q="hiring")
    make_resource(title="Public hiring guide", slug="public-hiring")
    make_resource(title="Members hiring notes", slug="members-hiring", access="members")
    make_resource(title="Withdrawn hiring memo", slug="withdrawn-hiring")
    history.set_status(editor, "withdrawn-hiring", "unpublished", note="not ready")
    users.set_active(make_user("admin"), leaving.id, False)  # lost their access

    send()

    by_person = {m["To"]: text_of(m) for m in outbox(app)}
    assert "Members hiring notes" in by_person[member.email]
    assert "Public hiring guide" in by_person[member.email]
    assert "Public hiring guide" in by_person[leaving.email]
    assert "Members hiring notes" not in by_person[leaving.email]
    assert all("Withdrawn hiring memo" not in text for text in by_person.values())


def test_a_resource_made_members_only_after_publishing_is_not_mailed_to_the_public(app, make_user, make_resource,
                                                                                   tmp_path):
    member = make_user()
    leaving = make_user()
    follow(leaving, q="hiring")
    follow(member, q="hiring")
    make_resource(title="Hiring guide", slug="hiring-guide")
    make_resource(title="Hiring guide", slug="hiring-guide", access="members")  # changed before the digest
    users.set_active(make_user("admin"), leaving.id, False)

    run = send()

    assert (run.mailed, run.nothing_new) == (1, 1)
    assert [m["To"] for m in outbox(app)] == [member.email]


def test_the_digest_is_in_the_saved_search_language_with_text_and_html(app, make_user, make_resource):
    app.config["BASE_URL"] = "https://hub.example.org"
    member = make_user()
    follow(member, lang="fr", racism_type="anti-black")
    make_resource(title="{en: Hiring Without Bias, fr: Embaucher sans préjugés}", slug="hiring-fr-test",
                  summary="{en: Practices for employers., fr: Des pratiques pour les employeurs.}")

    send()

    [message] = outbox(app)
    assert "nouvelle ressource" in message["Subject"] and "Racisme anti-Noirs" in message["Subject"]
    text, html = text_of(message), html_of(message)
    assert "Embaucher sans préjugés" in text and "Des pratiques pour les employeurs." in text
    assert '<html lang="fr">' in html and "Des pratiques pour les employeurs." in html
    links = set(LINK.findall(text)) | set(re.findall(r'href="([^"]+)"', html))
    assert links and all(link.startswith("https://hub.example.org/") for link in links)
    assert "https://hub.example.org/fr/resources/hiring-fr-test" in links  # straight to the page
    # No tracking: no images, no pixels, nothing loaded from anywhere.
    assert "<img" not in html.lower() and "src=" not in html.lower() and "url(" not in html.lower()
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://hub.example.org/fr/digests/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in text and unsubscribe.strip("<>") in html


def test_many_new_resources_are_counted_past_the_limit(app, make_user, make_resource, monkeypatch):
    monkeypatch.setattr(digests, "MAX_ITEMS", 2)
    member = make_user()
    follow(member, q="hiring")
    for n in range(4):
        make_resource(title=f"Hiring note {n}", slug=f"hiring-note-{n}")

    send()

    [message] = outbox(app)
    text = text_of(message)
    assert "4 new resources" in message["Subject"]
    assert text.count("/en/resources/hiring-note-") == 2 and "And 2 more" in text


def test_two_runs_claim_a_saved_search_once(app, make_user, make_resource):
    member = make_user()
    saved = follow(member, q="hiring")
    make_resource(title="Hiring guide", slug="hiring-guide")
    now = utcnow()

    assert digests.record_digest(saved.id, now) is True
    assert digests.record_digest(saved.id, now) is None  # the other run: no longer due
    assert digests.deliver_pending(now=now) == (1, 0, 0)
    assert digests.deliver_pending(now=now) == (0, 0, 0)
    assert len(outbox(app)) == 1


def test_a_mail_the_mail_service_refused_is_sent_at_the_next_run(app, make_user, make_resource, monkeypatch):
    member = make_user()
    follow(member, q="hiring")
    make_resource(title="Hiring guide", slug="hiring-guide")

    def down(message):
        raise ConnectionRefusedError("the SMTP server is down")

    monkeypatch.setattr(digests.mail, "deliver", down)
    first = send()
    monkeypatch.undo()
    second = send()

    assert (first.mailed, first.failed, first.delivered) == (1, 1, 0)
    assert (second.due, second.delivered) == (0, 1)
    assert len(outbox(app)) == 1 and "Hiring guide" in text_of(outbox(app)[0])


def test_a_mail_handed_over_by_a_run_that_died_is_never_sent_again(app, make_user, make_resource):
    """A crash between handing the mail over and recording it: at most once."""
    member = make_user()
    saved = follow(member, q="hiring")
    make_resource(title="Hiring guide", slug="hiring-guide")
    now = utcnow()
    digests.record_digest(saved.id, now)
    db.session.execute(DigestMail.__table__.update().values(status="sending", attempted_at=now))
    db.session.commit()

    assert digests.deliver_pending(now=now + timedelta(minutes=5)) == (0, 0, 0)
    assert digests.deliver_pending(now=now + timedelta(hours=2)) == (0, 0, 1)
    assert outbox(app) == []
    assert db.session.scalar(select(func.count()).select_from(DigestMail)) == 0
    # …and the resources it listed are not listed again by the next digest.
    assert send(now=now + timedelta(days=8)).mailed == 0


def test_a_resource_committed_late_comes_in_the_next_digest(app, make_user, make_resource):
    """published_at before the last digest's end, but visible only after it
    ran (a long import): the look-back finds it, and only once."""
    member = make_user()
    saved = follow(member, q="hiring")
    start = utcnow()
    send(now=start + timedelta(minutes=1))
    late = make_resource(title="Late hiring guide", slug="late-hiring")
    late.published_at = start + timedelta(seconds=30)  # written before that run ended
    db.session.commit()

    assert send(now=start + timedelta(days=8)).mailed == 1
    assert db.session.scalar(select(func.count()).select_from(DigestItem)
                             .where(DigestItem.saved_search_id == saved.id)) == 1
    assert send(now=start + timedelta(days=16)).mailed == 0
    assert [text_of(m).count("Late hiring guide") for m in outbox(app)] == [1]


def test_deleting_the_account_deletes_its_saved_searches(app, make_user, make_resource):
    member = make_user()
    other = make_user()
    follow(member, q="hiring")
    saved = follow(member, q="housing")
    kept = follow(other, q="hiring")
    make_resource(title="Housing report", slug="housing", summary="Rent.", topics="[housing]", body="Rent.\n")
    digests.record_digest(saved.id, utcnow())  # a digest waiting for delivery, and its items

    db.session.delete(member)
    db.session.commit()

    assert db.session.scalars(select(SavedSearch.id)).all() == [kept.id]
    assert db.session.scalar(select(func.count()).select_from(DigestItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(DigestMail)) == 0
    assert send().delivered == 0 and outbox(app) == []


def test_unsubscribe_tokens_name_their_purpose_and_search(app, make_user):
    member = make_user()
    saved = follow(member, q="hiring")
    token = saved_searches.unsubscribe_token(saved)

    assert saved_searches.saved_search_for_link(token).id == saved.id
    with pytest.raises(saved_searches.LinkInvalid):
        saved_searches.saved_search_for_link(token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    from itsdangerous import URLSafeTimedSerializer
    other_purpose = URLSafeTimedSerializer(app.secret_key, salt="hub.saved-search.unsubscribe").dumps(
        {"purpose": "delete-account", "saved_search": saved.id, "key": saved.link_key})
    with pytest.raises(saved_searches.LinkInvalid):
        saved_searches.saved_search_for_link(other_purpose)
    app.config["DIGEST_LINK_DAYS"] = -1
    with pytest.raises(saved_searches.LinkExpired):
        saved_searches.saved_search_for_link(token)
    app.config["DIGEST_LINK_DAYS"] = 400

    saved_searches.delete_saved(member, saved.id)
    again = follow(member, q="hiring")  # may even get the same id on SQLite
    assert saved_searches.saved_search_for_link(token) is None  # the old link stops nothing new
    assert saved_searches.unsubscribe(token) is None
    assert db.session.get(SavedSearch, again.id) is not None


def test_saving_the_same_search_twice_keeps_one(app, make_user):
    member = make_user()
    first, created = saved_searches.save_search(member, SearchParams.from_args({"q": "hiring", "page": "3"}),
                                                frequency="weekly")
    second, created_again = saved_searches.save_search(member, SearchParams.from_args({"q": "hiring"}),
                                                       name="Hiring", frequency="monthly")
    assert created and not created_again and first.id == second.id
    assert (second.name, second.frequency, second.query) == ("Hiring", "monthly", "q=hiring")


def test_two_machines_running_at_once_send_each_digest_once(app, make_user, make_resource, second_worker,
                                                            monkeypatch):
    """Two runs at the same moment on the same database (two machines' cron):
    every saved search is claimed by one of them, every mail handed over once."""
    import threading

    both_listed = threading.Barrier(2)
    record = digests.record_digest
    waited = threading.local()

    def record_when_both_have_listed(saved_id, now):
        if not getattr(waited, "done", False):  # both runs found the same saved searches due
            waited.done = True
            both_listed.wait(30)
        return record(saved_id, now)

    monkeypatch.setattr(digests, "record_digest", record_when_both_have_listed)

    followed = [follow(make_user(), q="hiring") for _ in range(3)]
    followed += [follow(make_user(), q="hiring", type="toolkit") for _ in range(3)]
    make_resource(title="Hiring toolkit", slug="hiring-toolkit")
    other = second_worker()
    now = utcnow()
    start = threading.Barrier(2)
    runs, errors = [], []

    def run(on):
        try:
            with on.app_context():
                start.wait()
                runs.append(digests.send_due_digests(now=now))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in (app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors, errors
    assert sum(r.due for r in runs) == 6  # each saved search claimed by one run
    assert sum(r.mailed for r in runs) == 6 and sum(r.delivered for r in runs) == 6
    mails = outbox(app)
    assert sorted(m["To"] for m in mails) == sorted(s.user.email for s in followed)


def test_unsubscribe_links_survive_a_key_rotation_with_fallbacks(app, make_user):
    member = make_user()
    saved = follow(member, q="hiring")
    token = saved_searches.unsubscribe_token(saved)
    old_key = app.secret_key

    app.secret_key = app.config["SECRET_KEY"] = "a new secret key"
    with pytest.raises(saved_searches.LinkInvalid):
        saved_searches.saved_search_for_link(token)
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert saved_searches.saved_search_for_link(token).id == saved.id
    assert saved_searches.saved_search_for_link(saved_searches.unsubscribe_token(saved)).id == saved.id
