"""Speed and safety of what is sent: compression, fingerprinted static files
cached for a year, page weight, and the security headers on every response."""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import brotli
import pytest
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent.parent
BUDGET = 100 * 1000  # bytes transferred for a page and its CSS/JS, without attachments


@pytest.fixture(scope="module")
def catalogue_client(catalogue_app):
    with catalogue_app.app_context():
        yield catalogue_app.test_client()


def _assets(page_html: str) -> list[str]:
    doc = lxml_html.fromstring(page_html)
    return doc.xpath("//link[@rel='stylesheet']/@href") + doc.xpath("//script/@src") + doc.xpath("//img/@src")


def transferred(client, path: str, encoding: str = "br, gzip") -> tuple[int, list[str]]:
    """Bytes on the wire for a page plus the static files it loads."""
    resp = client.get(path, headers={"Accept-Encoding": encoding})
    assert resp.status_code == 200, path
    total = len(resp.data)
    body = resp.data
    if resp.headers.get("Content-Encoding") == "br":
        body = brotli.decompress(body)
    elif resp.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    assets = _assets(body.decode())
    for url in assets:
        with client.get(url, headers={"Accept-Encoding": encoding}) as asset:
            assert asset.status_code == 200, url
            total += len(asset.data)
    return total, assets


@pytest.mark.parametrize("path", ["/en/", "/fr/", "/en/search?q=racism", "/fr/search?q=racisme&audience=employers",
                                  "/en/search?sort=newest"])
def test_home_and_search_pages_weigh_under_100_kb(catalogue_client, path):
    total, assets = transferred(catalogue_client, path)
    print(f"{path}: {total} bytes transferred with {assets}")
    assert total < BUDGET
    assert any(a.startswith("/static/css/") for a in assets)


def test_html_is_compressed_for_browsers_that_accept_it(catalogue_client):
    plain = catalogue_client.get("/en/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        resp = catalogue_client.get("/en/", headers={"Accept-Encoding": encoding})
        assert resp.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in resp.headers["Vary"]
        assert decode(resp.data) == plain.data
        assert len(resp.data) < len(plain.data) / 3


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/en/").get_data(as_text=True)
    css = next(a for a in _assets(page) if a.startswith("/static/css/hub.css"))
    digest = hashlib.sha256((ROOT / "static/css/hub.css").read_bytes()).hexdigest()[:12]
    assert css == f"/static/css/hub.css?v={digest}"
    with client.get(css, headers={"Accept-Encoding": "gzip"}) as resp:
        assert resp.status_code == 200
        cache = resp.headers["Cache-Control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
        assert resp.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(resp.data) == (ROOT / "static/css/hub.css").read_bytes()
    # An old or made-up fingerprint must not be cached for a year.
    with client.get("/static/css/hub.css?v=000000000000") as stale:
        assert stale.status_code == 200 and "max-age=300" in stale.headers["Cache-Control"]
    js = next(a for a in _assets(page) if a.startswith("/static/js/fontsize.js"))
    assert "?v=" in js


def test_attachments_are_not_compressed(client, tmp_path):
    from hub.services.resources import import_documents
    from tests.conftest import resource_text

    (tmp_path / "notes.txt").write_text("word " * 2000, encoding="utf-8")
    (tmp_path / "r.md").write_text(resource_text(slug="att", files="[notes.txt]"), encoding="utf-8")
    assert not import_documents([tmp_path]).rejected
    with client.get("/resources/att/files/notes.txt", headers={"Accept-Encoding": "gzip, br"}) as resp:
        assert resp.status_code == 200 and "Content-Encoding" not in resp.headers
        assert resp.data == ("word " * 2000).encode()


# -- security headers ------------------------------------------------------------
def _check_security_headers(resp):
    csp = resp.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["script-src"].startswith("'self'")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in resp.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/en/", "/fr/about", "/en/nope", "/", "/static/css/hub.css",
                                  "/en/text-size/larger?next=/en/"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as resp:
        _check_security_headers(resp)
        assert "Strict-Transport-Security" not in resp.headers  # plain HTTP: HSTS would be ignored


def test_hsts_over_https(client):
    resp = client.get("/en/", base_url="https://hub.example")
    _check_security_headers(resp)
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_carry_no_inline_script_or_style(client, make_resource):
    make_resource(slug="r", body="## A\n\n<script>alert(1)</script><p style='color:red' onclick='x()'>hi</p>\n")
    for path in ("/en/", "/fr/resources/r", "/en/working-groups/anti-racism", "/en/nope"):
        doc = lxml_html.fromstring(client.get(path).get_data(as_text=True))
        # Scripts come from files; the only inline blocks are JSON-LD data, which never run.
        assert all(s.get("src") or s.get("type") == "application/ld+json" for s in doc.xpath("//script")), path
        assert not doc.xpath("//style") and not doc.xpath("//*[@style]"), path
        assert not [el for el in doc.iter() if any(a.startswith("on") for a in el.attrib)], path
