"""Host header poisoning: a client chooses the Host header, so no link the hub
hands out (reset mail, feeds, sitemap, robots.txt, OAI-PMH, hreflang, API)
may be built from it. Each test starts from the request an attacker sends."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.flows import csrf_from, links_in, mail_to

BASE = "https://hub.example.org"
EVIL = "http://evil.example"


def _reset_from(client, base_url: str, address: str = "amira@example.org"):
    """What an attacker does: ask for a reset of someone else's account,
    naming their own host."""
    page = client.get("/en/account/reset", base_url=base_url)
    token = csrf_from(page.get_data(as_text=True))
    # What a browser sends with a form's POST (Flask-WTF wants a Referer over HTTPS).
    headers = {"Origin": base_url, "Referer": base_url + "/en/account/reset"}
    return client.post("/en/account/reset", data={"email": address, "csrf_token": token}, base_url=base_url,
                       headers=headers)


@pytest.fixture
def production(app):
    """The app as production runs it: HUB_BASE_URL set, foreign hosts refused."""
    app.config.update(BASE_URL=BASE, ENFORCE_BASE_URL_HOST=True)
    return app


def test_forged_host_never_reaches_the_reset_mail(app, client, make_user):
    app.config["BASE_URL"] = BASE  # testing mode: forged hosts are answered, but never linked to
    make_user(email="amira@example.org")
    assert _reset_from(client, EVIL).status_code == 200
    [message] = mail_to(app, "amira@example.org")
    links = links_in(message)
    assert links and all(link.startswith(BASE + "/en/account/set-password/") for link in links)
    assert "evil.example" not in message.as_string()


def test_without_a_base_url_mail_links_still_ignore_the_host(app, client, make_user):
    """Development without HUB_BASE_URL: mail links use the local default."""
    assert not app.config.get("BASE_URL")
    make_user(email="amira@example.org")
    _reset_from(client, EVIL)
    [message] = mail_to(app, "amira@example.org")
    assert "evil.example" not in message.as_string()
    assert links_in(message)[0].startswith("http://127.0.0.1:5000/en/account/set-password/")


def test_invitation_links_use_the_base_url(app, client, make_user):
    from hub.services import users

    app.config["BASE_URL"] = BASE
    admin = make_user("admin")
    with app.test_request_context("/en/admin/users", base_url=EVIL):
        users.invite_user(admin, "nadia@example.org")
    [message] = mail_to(app, "nadia@example.org")
    assert {link.split("/account/")[0] for link in links_in(message)} == {BASE + "/en", BASE + "/fr"}


def test_production_refuses_a_foreign_host(production, client, make_user):
    make_user(email="amira@example.org")
    resp = client.post("/en/account/reset", data={"email": "amira@example.org"}, base_url=EVIL)
    assert resp.status_code == 400
    assert "https://hub.example.org" in resp.get_data(as_text=True)
    assert mail_to(production, "amira@example.org") == []
    for path in ("/en/", "/feed.atom", "/sitemap.xml", "/robots.txt", "/oai?verb=Identify", "/api/v1/resources"):
        assert client.get(path, base_url=EVIL).status_code == 400, path
    # The right host is served; a port-less or default-port spelling of it too.
    assert client.get("/en/", base_url=BASE).status_code == 200
    assert client.get("/en/", base_url="https://hub.example.org:443").status_code == 200
    # Load balancers probe by address.
    assert client.get("/healthz", base_url="http://10.0.0.5:8000").status_code == 200


def test_production_reset_at_the_right_host_mails_the_right_link(production, client, make_user):
    make_user(email="amira@example.org")
    assert _reset_from(client, BASE).status_code == 200
    [message] = mail_to(production, "amira@example.org")
    assert links_in(message)[0].startswith(BASE + "/en/account/set-password/")


def test_machine_channels_link_to_the_base_url_whatever_the_host(app, client, make_resource):
    app.config["BASE_URL"] = BASE
    make_resource(slug="hiring", title="Hiring Without Bias")
    texts = {path: client.get(path, base_url=EVIL).get_data(as_text=True) for path in (
        "/feed.atom", "/sitemap.xml", "/robots.txt", "/oai?verb=Identify",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/api/v1/resources/hiring", "/api/openapi.json",
        "/en/resources/hiring", "/en/api")}
    for path, text in texts.items():
        assert "evil.example" not in text, path
    assert f"<loc>{BASE}/en/resources/hiring</loc>" in texts["/sitemap.xml"]
    assert f"Sitemap: {BASE}/sitemap.xml" in texts["/robots.txt"]
    assert f"<baseURL>{BASE}/oai</baseURL>" in texts["/oai?verb=Identify"]
    assert "oai:hub.example.org:hiring" in texts["/oai?verb=ListRecords&metadataPrefix=oai_dc"]
    assert f"{BASE}/en/resources/hiring" in texts["/feed.atom"]
    assert f'"self":"{BASE}/api/v1/resources/hiring"' in texts["/api/v1/resources/hiring"].replace(" ", "")
    assert f'hreflang="fr" href="{BASE}/fr/resources/hiring"' in texts["/en/resources/hiring"]


def test_sign_in_redirect_stays_on_the_base_url(app, client, make_user):
    """Redirects the hub makes are paths, so a forged Host cannot send a
    signed-in person elsewhere."""
    app.config["BASE_URL"] = BASE
    user = make_user(email="amira@example.org")
    page = client.get("/en/login", base_url=EVIL)
    resp = client.post("/en/login", data={"email": user.email, "password": PASSWORD,
                                          "csrf_token": csrf_from(page.get_data(as_text=True))}, base_url=EVIL)
    assert resp.status_code == 302 and "evil.example" not in resp.headers["Location"]
