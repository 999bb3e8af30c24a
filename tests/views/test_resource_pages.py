"""The minimal pages and downloads, as a reader meets them."""
from hub.extensions import db
from hub.services.resources import get_resource, import_documents
from tests.conftest import resource_text


def test_home_lists_recent_resources(client, make_resource):
    make_resource(slug="newest", title="The newest toolkit", published="2024-01-01")
    html = client.get("/en/").get_data(as_text=True)
    assert "The newest toolkit" in html and '<html lang="en"' in html


def test_unprefixed_paths_redirect_to_the_readers_language(client, make_resource):
    make_resource(slug="r1")
    assert client.get("/").headers["Location"] == "/en/"
    resp = client.get("/resources/r1", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/fr/resources/r1"
    client.get("/en/resources/r1")  # visiting a language remembers it
    assert client.get("/resources/r1", headers={"Accept-Language": "fr"}).headers["Location"] == "/en/resources/r1"


def test_resource_page_shows_metadata_in_page_language(client, make_resource):
    make_resource(slug="r1", racism_types="[anti-muslim]")
    assert "Anti-Muslim racism" in client.get("/en/resources/r1").get_data(as_text=True)
    assert "Racisme anti-musulman" in client.get("/fr/resources/r1").get_data(as_text=True)


def test_members_only_resource_is_a_404_for_anonymous(client, make_resource):
    make_resource(slug="secret", access="members")
    missing = client.get("/en/resources/does-not-exist")
    hidden = client.get("/en/resources/secret")
    assert hidden.status_code == missing.status_code == 404
    assert client.get("/resources/secret/files/x.pdf").status_code == 404
    assert "secret" not in client.get("/en/").get_data(as_text=True)


def test_download_has_safe_headers(app, client, tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "list.txt").write_text("A checklist <b>not markup</b>", encoding="utf-8")
    (tmp_path / "r.md").write_text(resource_text(slug="dl", files="[files/list.txt]"), encoding="utf-8")
    assert not import_documents([tmp_path]).rejected
    page = client.get("/en/resources/dl").get_data(as_text=True)
    assert 'href="/resources/dl/files/list.txt"' in page
    with client.get("/resources/dl/files/list.txt") as resp:
        assert resp.status_code == 200
        assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert resp.headers["Content-Disposition"] == "attachment; filename=list.txt"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in resp.headers["Content-Security-Policy"]
        assert resp.data == b"A checklist <b>not markup</b>"
    assert client.get("/resources/dl/files/other.txt").status_code == 404
    assert client.get("/resources/dl/files/../../etc/passwd").status_code == 404


def test_every_page_has_security_headers(client):
    resp = client.get("/en/")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_bilingual_404(client):
    assert "Page not found" in client.get("/en/nope").get_data(as_text=True)
    resp = client.get("/fr/nope")
    assert resp.status_code == 404 and '<html lang="fr"' in resp.get_data(as_text=True)


def test_every_file_of_a_resource_is_offered_in_order(app, client, tmp_path):
    """The page reads the resource and its files in one joined query: every
    file row must still land in the one resource, in the order of the front matter."""
    (tmp_path / "files").mkdir()
    for name in ("b-second.txt", "a-first.txt", "c-third.txt"):
        (tmp_path / "files" / name).write_text(f"File {name}", encoding="utf-8")
    (tmp_path / "r.md").write_text(resource_text(
        slug="three", files="[files/b-second.txt, files/a-first.txt, files/c-third.txt]"), encoding="utf-8")
    assert not import_documents([tmp_path]).rejected
    page = client.get("/en/resources/three").get_data(as_text=True)
    order = ("b-second.txt", "a-first.txt", "c-third.txt")
    offsets = [page.index(f'href="/resources/three/files/{name}"') for name in order]
    assert offsets == sorted(offsets)
    db.session.expire_all()
    resource = get_resource(None, "three")
    assert tuple(a.filename for a in resource.attachments) == order
