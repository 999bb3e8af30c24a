"""The text-size control without JavaScript: links that set a cookie and
return the reader to the page they were on, never to another site."""
import pytest
from lxml import html as lxml_html

from hub.textsize import COOKIE


def size_class(client, path="/en/about") -> str:
    doc = lxml_html.fromstring(client.get(path).get_data(as_text=True))
    return doc.get("class") or "default"


def test_links_change_the_size_and_return_to_the_same_page(client):
    assert size_class(client) == "default"
    doc = lxml_html.fromstring(client.get("/en/about?tab=x").get_data(as_text=True))
    larger = doc.xpath("//a[@data-text-size='larger']")[0].get("href")
    assert larger == "/en/text-size/larger?next=/en/about?tab%3Dx"
    resp = client.get(larger)
    assert resp.status_code == 303 and resp.headers["Location"] == "/en/about?tab=x"
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=2;") and "Max-Age=31536000" in cookie and "Path=/" in cookie
    assert size_class(client) == "text-2"
    assert size_class(client, "/fr/working-groups") == "text-2"  # every page, both languages
    client.get("/en/text-size/larger?next=/en/")
    assert size_class(client) == "text-3"
    client.get("/en/text-size/reset?next=/en/")
    assert size_class(client) == "default"
    for _ in range(5):
        client.get("/en/text-size/smaller?next=/en/")
    assert size_class(client) == "text-0"
    for _ in range(10):
        client.get("/en/text-size/larger?next=/en/")
    assert size_class(client) == "text-6"


def test_current_size_is_announced_in_the_page_language(client):
    client.get("/en/text-size/larger?next=/en/")
    doc = lxml_html.fromstring(client.get("/fr/").get_data(as_text=True))
    assert doc.xpath("//*[@class='text-size-current']")[0].text_content() == "110\N{NO-BREAK SPACE}%"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "evil.example", "", "/\r\nSet-Cookie:x=1",
                                    "/\t/evil.example"])
def test_redirect_back_stays_on_this_site(client, target):
    resp = client.get("/fr/text-size/larger", query_string={"next": target})
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/fr/"


def test_a_bad_cookie_is_the_default_size(client):
    client.set_cookie(COOKIE, "99")
    assert size_class(client) == "default"
    client.set_cookie(COOKIE, "<script>")
    assert size_class(client) == "default"
