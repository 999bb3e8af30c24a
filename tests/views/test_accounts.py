"""Accounts as people meet them: signing in and out, throttling, safe
redirects, cookies, invitations, password resets and the admin page."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from hub.extensions import db
from hub.models import PasswordLink, User
from tests.conftest import PASSWORD
from tests.flows import csrf, links_in, mail_to, outbox, path_of, post_form, sign_in


def _signed_in(client) -> bool:
    return "Sign out" in client.get("/en/").get_data(as_text=True)


def test_sign_in_form_has_exactly_email_password_and_csrf(client):
    html = client.get("/en/login").get_data(as_text=True)
    form = html[html.index('<form method="post" action="/en/login'):]
    form = form[:form.index("</form>")]
    assert sorted(re.findall(r'name="([^"]+)"', form)) == ["csrf_token", "email", "password"]
    assert 'type="password"' in form and 'autocomplete="current-password"' in form
    assert "Se connecter" in client.get("/fr/login").get_data(as_text=True)


def test_sign_in_and_out(client, make_user):
    user = make_user(email="amira@example.org")
    resp = sign_in(client, "Amira@Example.org ", PASSWORD)
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/"
    assert _signed_in(client)
    assert db.session.get(User, user.id).last_login_at is not None
    assert client.get("/en/logout").status_code == 405  # signing out is a POST
    resp = post_form(client, "/en/logout", {}, page="/en/account")
    assert resp.status_code == 302
    assert not _signed_in(client)


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make_user):
    make_user(email="amira@example.org")
    wrong = sign_in(client, "amira@example.org", "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "That e-mail address and password do not match an active account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert not _signed_in(client)


def test_deactivated_and_invited_accounts_cannot_sign_in(client, make_user):
    from hub.services.users import create_user
    gone = make_user(email="gone@example.org")
    gone.active = False
    db.session.commit()
    create_user("pending@example.org")  # invited: no password yet
    assert sign_in(client, "gone@example.org", PASSWORD).status_code == 401
    assert sign_in(client, "pending@example.org", "").status_code == 400
    assert sign_in(client, "pending@example.org", "anything at all").status_code == 401


@pytest.mark.parametrize("target, expected", [
    ("/en/submit", "/en/submit"),
    ("/en/resources/x?tab=1", "/en/resources/x?tab=1"),
    ("https://evil.example/", "/en/"),
    ("//evil.example/path", "/en/"),
    ("/\\evil.example", "/en/"),
    ("javascript:alert(1)", "/en/"),
    ("/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"),
])
def test_next_only_goes_to_paths_on_this_site(client, make_user, target, expected):
    make_user(email="amira@example.org")
    from urllib.parse import quote
    resp = sign_in(client, "amira@example.org", PASSWORD, next_url=quote(target, safe=""))
    assert resp.status_code == 302
    assert resp.headers["Location"] == expected


def test_members_page_sends_anonymous_to_sign_in_and_back(client, make_user):
    make_user(email="amira@example.org")
    resp = client.get("/en/submissions")
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/login?next=/en/submissions"
    resp = sign_in(client, "amira@example.org", PASSWORD, next_url="%2Fen%2Fsubmissions")
    assert resp.headers["Location"] == "/en/submissions"


def test_failed_sign_ins_pause_the_account_with_a_clear_message(app, client, make_user):
    make_user(email="amira@example.org")
    make_user(email="other@example.org")
    for _ in range(5):
        assert sign_in(client, "amira@example.org", "wrong password!").status_code == 401
    paused = sign_in(client, "amira@example.org", PASSWORD)  # even the right password waits
    assert paused.status_code == 429
    assert "Too many failed sign-ins for this account" in paused.get_data(as_text=True)
    assert not _signed_in(client)
    # Another account from the same address is not affected by this account's pause.
    assert sign_in(app.test_client(), "other@example.org", PASSWORD).status_code == 302


def test_failed_sign_ins_pause_an_address_trying_many_accounts(app, client, make_user):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "4 per 15 minutes"
    make_user(email="amira@example.org")
    for n in range(4):
        assert sign_in(client, f"guess{n}@example.org", "wrong password!").status_code == 401
    paused = sign_in(client, "amira@example.org", PASSWORD)
    assert paused.status_code == 429
    assert "Too many failed sign-ins from your network" in paused.get_data(as_text=True)
    other_address = app.test_client()
    token = csrf(other_address)
    resp = other_address.post("/en/login", data={"email": "amira@example.org", "password": PASSWORD,
                                                 "csrf_token": token}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert resp.status_code == 302


def _throttle_rows() -> list:
    from hub.models import ThrottleCount
    db.session.expire_all()
    return list(db.session.scalars(select(ThrottleCount)))


def test_failed_sign_ins_are_counted_across_worker_processes(app, client, make_user, second_worker, monkeypatch):
    from hub.security import throttle

    make_user(email="amira@example.org")
    frozen = throttle.now()
    monkeypatch.setattr(throttle, "now", lambda: frozen)  # "15 minutes" however slow the machine
    for _ in range(5):
        assert sign_in(client, "amira@example.org", "wrong password!").status_code == 401
    # Built after the failures, so nothing held in this process's memory can carry them over.
    other = second_worker()
    paused = sign_in(other.test_client(), "Amira@Example.org", PASSWORD)
    assert paused.status_code == 429
    assert ("Too many failed sign-ins for this account. Sign-in is paused for it for 15 minutes."
            in paused.get_data(as_text=True))
    # The counts are in the database, and name neither the account nor the address.
    rows = _throttle_rows()
    assert {r.count for r in rows} == {5}  # one row for the account, one for the address
    stored = " ".join(f"{r.key} {r.count} {r.expires_at}" for r in rows)
    assert "amira" not in stored.lower() and "example" not in stored and "127.0.0.1" not in stored


def test_the_pause_ends_with_its_window_on_every_worker(app, client, make_user, second_worker, monkeypatch):
    from hub.security import throttle

    make_user(email="amira@example.org")
    other = second_worker()
    start = throttle.now()
    # The clock stands still while failing, so the window starts exactly at ``start``
    # however long the requests take on a busy machine.
    monkeypatch.setattr(throttle, "now", lambda: start)
    for n in range(5):
        assert sign_in(client if n % 2 else other.test_client(), "amira@example.org", "nope nope!").status_code == 401
    monkeypatch.setattr(throttle, "now", lambda: start + 14 * 60 + 30)
    late = sign_in(client, "amira@example.org", PASSWORD)
    assert late.status_code == 429 and "paused for it for 1 minute" in late.get_data(as_text=True)
    monkeypatch.setattr(throttle, "now", lambda: start + 15 * 60 + 1)
    assert sign_in(other.test_client(), "amira@example.org", PASSWORD).status_code == 302


def test_reset_requests_are_counted_across_worker_processes(app, client, make_user, second_worker):
    make_user(email="amira@example.org")
    for _ in range(3):
        assert post_form(client, "/en/account/reset", {"email": "amira@example.org"}).status_code == 200
    assert len(mail_to(app, "amira@example.org")) == 3
    other = second_worker()
    # The fourth in the hour gets the same page, and no mail.
    resp = post_form(other.test_client(), "/en/account/reset", {"email": "amira@example.org"})
    assert resp.status_code == 200 and "Check your e-mail" in resp.get_data(as_text=True)
    assert len(mail_to(app, "amira@example.org")) == 3


def test_session_cookie_is_httponly_lax_and_secure_over_https(app, make_user):
    make_user(email="amira@example.org")
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        client = app.test_client()
        page = client.get("/en/login", base_url=base)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        # Over HTTPS, Flask-WTF also checks that the Referer is this site (as a browser sends it).
        resp = client.post("/en/login", base_url=base, data={"email": "amira@example.org", "password": PASSWORD,
                                                             "csrf_token": token},
                           headers={"Referer": f"{base}/en/login"})
        assert resp.status_code == 302
        cookie = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("session=")][-1]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


def test_production_config_marks_cookies_secure(tmp_path):
    from config import load_settings
    settings = load_settings({"ENV_NAME": "production", "HUB_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 40,
                              "BASE_URL": "https://hub.example.org"})
    assert settings["SESSION_COOKIE_SECURE"] and settings["SESSION_COOKIE_HTTPONLY"]
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_deactivating_someone_ends_their_session(app, client, make_user):
    admin = make_user("admin")
    member = make_user(email="amira@example.org")
    sign_in(client, member.email, PASSWORD)
    assert _signed_in(client)
    admin_client = app.test_client()
    sign_in(admin_client, admin.email, PASSWORD)
    resp = post_form(admin_client, f"/en/admin/users/{member.id}/active", {"active": "0"}, page="/en/admin/users")
    assert resp.status_code == 302
    assert "deactivated" in admin_client.get("/en/admin/users").get_data(as_text=True)
    assert not _signed_in(client)
    assert client.get("/en/submissions").status_code == 302  # back to the sign-in form


def test_admin_changes_roles_but_not_their_own(app, client, make_user):
    admin = make_user("admin")
    member = make_user(email="amira@example.org")
    sign_in(client, admin.email, PASSWORD)
    post_form(client, f"/en/admin/users/{member.id}/role", {"role": "editor"}, page="/en/admin/users")
    assert db.session.get(User, member.id).role == "editor"
    resp = post_form(client, f"/en/admin/users/{admin.id}/role", {"role": "member"}, page="/en/admin/users")
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"
    assert "You cannot change your own role" in client.get("/en/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("role", ["member", "editor"])
def test_only_admins_manage_people(app, client, make_user, role):
    person = make_user(role)
    victim = make_user(email="victim@example.org")
    sign_in(client, person.email, PASSWORD)
    assert client.get("/en/admin/users").status_code == 403
    token = csrf(client, "/en/account")
    assert client.post(f"/en/admin/users/{victim.id}/role",
                       data={"role": "admin", "csrf_token": token}).status_code == 403
    assert client.post(f"/en/admin/users/{victim.id}/active",
                       data={"active": "0", "csrf_token": token}).status_code == 403
    assert client.post("/en/admin/users/invite", data={"email": "x@example.org", "role": "admin",
                                                       "csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, victim.id).role == "member" and db.session.get(User, victim.id).active
    assert outbox(app) == []


def test_invitation_link_lasts_7_days_and_works_once(app, client, make_user):
    admin = make_user("admin")
    sign_in(client, admin.email, PASSWORD)
    post_form(client, "/en/admin/users/invite", {"email": "new@example.org", "role": "editor"}, page="/en/admin/users")
    link = db.session.scalar(select(PasswordLink))
    assert link.purpose == "invite" and link.expires_at - link.created_at == timedelta(days=7)
    message = mail_to(app, "new@example.org")[0]
    body = message.get_content()
    assert "/en/account/set-password/" in body and "/fr/account/set-password/" in body  # both languages
    assert db.session.scalar(select(User).where(User.email == "new@example.org")).role == "editor"
    # A second invitation replaces the first link.
    post_form(client, "/en/admin/users/invite", {"email": "new@example.org", "role": "editor"}, page="/en/admin/users")
    first, second = [path_of(links_in(m)[0]) for m in mail_to(app, "new@example.org")]
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    # Expired after 7 days.
    newest = db.session.scalars(select(PasswordLink).order_by(PasswordLink.id.desc())).first()
    newest.expires_at = newest.created_at + timedelta(days=7) - timedelta(days=8)
    db.session.commit()
    resp = anonymous.get(second)
    assert resp.status_code == 404 and "does not work any more" in resp.get_data(as_text=True)


def test_inviting_someone_who_has_an_account_is_refused(app, client, make_user):
    admin = make_user("admin")
    make_user(email="amira@example.org")
    sign_in(client, admin.email, PASSWORD)
    resp = post_form(client, "/en/admin/users/invite", {"email": "amira@example.org", "role": "member"},
                     page="/en/admin/users")
    assert resp.status_code == 422
    assert "already has an account" in resp.get_data(as_text=True)
    assert mail_to(app, "amira@example.org") == []


def test_password_reset_by_one_time_link(app, client, make_user):
    make_user(email="amira@example.org")
    resp = post_form(client, "/en/account/reset", {"email": "amira@example.org"})
    assert resp.status_code == 200 and "Check your e-mail" in resp.get_data(as_text=True)
    post_form(client, "/en/account/reset", {"email": "nobody@example.org"})
    assert mail_to(app, "nobody@example.org") == []
    [message] = mail_to(app, "amira@example.org")
    link = path_of(links_in(message)[0])
    short = post_form(client, link, {"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    mismatch = post_form(client, link, {"password": "a new long password", "confirm": "another one here"})
    assert "not the same" in mismatch.get_data(as_text=True)
    resp = post_form(client, link, {"password": "a new long password", "confirm": "a new long password"})
    assert resp.status_code == 302
    assert client.get(link).status_code == 404  # used
    assert sign_in(client, "amira@example.org", PASSWORD).status_code == 401
    assert sign_in(client, "amira@example.org", "a new long password").status_code == 302


#: Headers that differ between any two responses, whoever asks: a fresh
#: request id and a fresh CSP nonce each time.
PER_RESPONSE = re.compile(r"'nonce-[^']+'")


def _as_seen_from_outside(resp, address: str) -> tuple:
    """What a person (or a script) asking for a reset can observe, with the
    address they typed taken out and the per-response nonce blanked."""
    headers = sorted((k, PER_RESPONSE.sub("'nonce-…'", v)) for k, v in resp.headers.items() if k != "X-Request-ID")
    cookies = sorted(c.split("=", 1)[0] for c in resp.headers.getlist("Set-Cookie"))
    return resp.status_code, headers, cookies, resp.get_data(as_text=True).replace(address, "ADDRESS")


def test_a_reset_request_for_an_unknown_address_looks_identical_to_a_known_one(app, client, make_user, monkeypatch):
    """Nobody learns whether an address has an account: not from the status,
    the page, the headers, the cookies, nor the work the request does (the
    same statements reach the database, and neither waits for mail)."""
    from hub.security import throttle
    from hub.services import mail

    make_user(email="amira@example.org")
    make_user(email="ghost@example.org")
    db.session.execute(update(User).where(User.email == "ghost@example.org").values(active=False))
    db.session.commit()

    # Delivery is held until the pages are back: a request that waited for it would time out here.
    release, waited_for = threading.Event(), []
    real_deliver = mail.deliver

    def held_deliver(message):
        if not release.wait(60):
            waited_for.append(message["To"])
        real_deliver(message)

    monkeypatch.setattr(mail, "deliver", held_deliver)
    # The throttle tidies its table once a minute, on whichever request comes: not during this comparison.
    monkeypatch.setattr(throttle, "CLEANUP_EVERY", 10.0**9)
    statements: list[str] = []
    page_thread = threading.get_ident()

    def count(conn, cursor, statement, *args):
        if threading.get_ident() == page_thread:
            statements.append(re.sub(r"\s+", " ", statement))

    seen, work = {}, {}
    # Same length, so the page length cannot tell them apart either. The first
    # request warms up what any first request does (the throttle's first write).
    for address in ("first@example.org", "amira@example.org", "zelda@example.org", "ghost@example.org"):
        token = csrf(client, "/en/account/reset")
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            resp = client.post("/en/account/reset", data={"email": address, "csrf_token": token})
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        seen[address], work[address] = _as_seen_from_outside(resp, address), list(statements)

    known = seen["amira@example.org"]
    assert known[0] == 200 and "Check your e-mail" in known[3]
    assert seen["zelda@example.org"] == known, "an unknown address gets a different answer"
    assert seen["ghost@example.org"] == known, "a deactivated account gets a different answer"
    assert work["zelda@example.org"] == work["amira@example.org"] == work["ghost@example.org"], (
        "the request does different database work for a known address")
    assert mail.read_outbox(app.config["OUTBOX_DIR"]) == [], "the page waited until the mail was out"
    release.set()
    assert [m["To"] for m in outbox(app)] == ["amira@example.org"]
    assert waited_for == []


def test_reset_mail_is_in_the_language_of_the_page(app, client, make_user):
    make_user(email="amira@example.org")
    post_form(client, "/fr/account/reset", {"email": "amira@example.org"})
    [message] = mail_to(app, "amira@example.org")
    assert "/fr/account/set-password/" in message.get_content()
    assert "mot de passe" in message["Subject"].lower()


def test_change_password_on_the_account_page(client, make_user):
    make_user(email="amira@example.org")
    sign_in(client, "amira@example.org", PASSWORD)
    wrong = post_form(client, "/en/account/password", {"current_password": "nope", "password": "a fresh password 1",
                                                      "confirm": "a fresh password 1"}, page="/en/account")
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    ok = post_form(client, "/en/account/password", {"current_password": PASSWORD, "password": "a fresh password 1",
                                                   "confirm": "a fresh password 1"}, page="/en/account")
    assert ok.status_code == 302
    post_form(client, "/en/logout", {}, page="/en/account")
    assert sign_in(client, "amira@example.org", "a fresh password 1").status_code == 302


def test_the_pause_message_says_one_minute_in_both_languages(app, client, make_user, monkeypatch):
    from hub.security import throttle

    make_user(email="omar@example.org")
    start = throttle.now()
    monkeypatch.setattr(throttle, "now", lambda: start)
    for _ in range(5):
        sign_in(client, "omar@example.org", "wrong password!")
    monkeypatch.setattr(throttle, "now", lambda: start + 14 * 60 + 30)
    text = sign_in(client, "omar@example.org", PASSWORD).get_data(as_text=True)
    assert "Sign-in is paused for it for 1 minute. If" in text
    french = post_form(client, "/fr/login", {"email": "omar@example.org", "password": PASSWORD})
    assert "suspendue pendant 1 minute. Si" in french.get_data(as_text=True)
