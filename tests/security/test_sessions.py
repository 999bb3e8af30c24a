"""Sessions that outlive sign-out or a password change: someone who copied a
session cookie (a shared computer, a stolen laptop, a leaked log) must lose
it when its owner signs out or changes the password, on every worker."""
from __future__ import annotations

from tests.conftest import PASSWORD
from tests.flows import csrf, links_in, mail_to, path_of, post_form, sign_in

NEW_PASSWORD = "a brand new passphrase"


def _copy_of(client, app):
    """What an attacker holds: a client of ``app`` with the victim's session cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    stolen = app.test_client()
    stolen.set_cookie(name, client.get_cookie(name).value)
    return stolen


def _opens_account(client) -> bool:
    return client.get("/en/account").status_code == 200


def test_a_copied_cookie_stops_working_at_sign_out(app, client, make_user):
    user = make_user(email="amira@example.org")
    assert sign_in(client, user.email, PASSWORD).status_code == 302
    stolen = _copy_of(client, app)
    assert _opens_account(stolen)
    assert post_form(client, "/en/logout", {}, page="/en/account").status_code == 302
    assert not _opens_account(client)
    resp = stolen.get("/en/account")
    assert resp.status_code == 302 and "/en/login" in resp.headers["Location"]


def test_sign_out_ends_the_session_on_every_worker(app, client, make_user, second_worker):
    """The cookie is refused by a worker that never saw the sign-out."""
    user = make_user(email="amira@example.org")
    sign_in(client, user.email, PASSWORD)
    stolen = _copy_of(client, second_worker())
    assert _opens_account(stolen)
    post_form(client, "/en/logout", {}, page="/en/account")
    assert not _opens_account(stolen)


def test_a_password_change_ends_every_other_session(app, client, make_user):
    user = make_user(email="amira@example.org")
    sign_in(client, user.email, PASSWORD)
    elsewhere = app.test_client()
    sign_in(elsewhere, user.email, PASSWORD)
    stolen = _copy_of(client, app)
    assert _opens_account(elsewhere) and _opens_account(stolen)
    resp = post_form(client, "/en/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                      "confirm": NEW_PASSWORD}, page="/en/account")
    assert resp.status_code == 302
    assert _opens_account(client)  # the person who changed it stays signed in
    assert not _opens_account(elsewhere)
    assert not _opens_account(stolen)


def test_a_reset_by_link_ends_every_session(app, client, make_user):
    user = make_user(email="amira@example.org")
    intruder = app.test_client()
    sign_in(intruder, user.email, PASSWORD)  # someone who learnt the old password
    assert _opens_account(intruder)
    post_form(client, "/en/account/reset", {"email": user.email})
    link = path_of(links_in(mail_to(app, user.email)[0])[0])
    resp = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf(client, link)})
    assert resp.status_code == 302
    assert not _opens_account(intruder)
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302 and _opens_account(client)


def test_signing_in_again_after_sign_out_works(app, client, make_user):
    user = make_user(email="amira@example.org")
    sign_in(client, user.email, PASSWORD)
    post_form(client, "/en/logout", {}, page="/en/account")
    assert sign_in(client, user.email, PASSWORD).status_code == 302
    assert _opens_account(client)
