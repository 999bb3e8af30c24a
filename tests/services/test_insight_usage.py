"""Usage counts: views and downloads per resource per month, bots excluded."""
import threading
from datetime import date

import pytest
from sqlalchemy import select

from hub.errors import PermissionDenied
from hub.extensions import db
from hub.models import ResourceUsage
from hub.services import usage
from hub.services.resources import import_documents
from tests.conftest import _dispose, _make_app, resource_text

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
BOTS = ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0", "python-requests/2.32", "", "Mozilla/5.0 (compatible; AhrefsBot/7.0)",
        "facebookexternalhit/1.1", "Mozilla/5.0 HeadlessChrome/126.0"]


@pytest.mark.parametrize("agent", BOTS)
def test_bots_are_recognised(agent):
    assert usage.is_bot(agent)


@pytest.mark.parametrize("agent", [BROWSER, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                                   "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                                   "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"])
def test_browsers_are_people(agent):
    assert not usage.is_bot(agent)


def test_counts_are_kept_per_resource_and_month(app, make_resource):
    r = make_resource(slug="r1")
    usage.record_view(r.id, BROWSER, today=date(2025, 1, 31))
    usage.record_view(r.id, BROWSER, today=date(2025, 2, 1))
    usage.record_view(r.id, BROWSER, today=date(2025, 2, 2))
    usage.record_download(r.id, BROWSER, today=date(2025, 2, 2))
    assert not usage.record_view(r.id, BOTS[0], today=date(2025, 2, 2))
    assert not usage.record_view(r.id, BROWSER, prefetch=True, today=date(2025, 2, 2))
    got = {(u.month, u.views, u.downloads) for u in db.session.scalars(select(ResourceUsage))}
    assert got == {("2025-01", 1, 0), ("2025-02", 2, 1)}
    totals = usage.usage_for(r.id, today=date(2025, 2, 15))
    assert totals.as_dict() == {"views": 3, "downloads": 1, "this_month": {"views": 2, "downloads": 1}}


def _with_file(tmp_path, slug="dl"):
    (tmp_path / "files").mkdir(exist_ok=True)
    (tmp_path / "files" / "list.txt").write_text("A checklist", encoding="utf-8")
    (tmp_path / f"{slug}.md").write_text(resource_text(slug=slug, title="The checklist", files="[files/list.txt]"),
                                         encoding="utf-8")
    assert not import_documents([tmp_path / f"{slug}.md"]).rejected


def test_page_views_and_downloads_are_counted_as_they_happen_but_not_for_bots(app, client, tmp_path,
                                                                              make_user, login_as):
    _with_file(tmp_path)
    people = {"User-Agent": BROWSER}
    assert client.get("/en/resources/dl", headers=people).status_code == 200
    assert client.get("/fr/resources/dl", headers=people).status_code == 200
    client.get("/en/resources/dl", headers={"User-Agent": BOTS[0]})
    client.get("/en/resources/dl", headers={**people, "Sec-Purpose": "prefetch"})
    client.head("/en/resources/dl", headers=people)
    for agent in (BROWSER, BROWSER, BOTS[2]):
        with client.get("/resources/dl/files/list.txt", headers={"User-Agent": agent}) as resp:
            assert resp.status_code == 200
    [row] = db.session.scalars(select(ResourceUsage)).all()
    assert (row.views, row.downloads, row.month) == (2, 2, usage.month_key())

    page = client.get("/en/resources/dl", headers=people).get_data(as_text=True)
    assert "Downloaded 2 times." in page
    fr_page = client.get("/fr/resources/dl", headers=people).get_data(as_text=True)
    assert "Téléchargé 2 fois." in fr_page, fr_page

    editor = make_user(role="editor")
    rows = usage.most_used(editor, order="downloads")
    assert [(r.resource.slug, r.views, r.downloads) for r in rows] == [("dl", 4, 2)]
    login_as(editor)
    report = client.get("/en/editor/insight/usage?period=1", headers=people).get_data(as_text=True)
    assert "The checklist" in report, report


def test_a_count_stores_nothing_about_the_reader(app, client, make_resource):
    r = make_resource(slug="r1")
    client.get("/en/resources/r1", headers={"User-Agent": BROWSER}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    columns = {c.name for c in ResourceUsage.__table__.columns}
    assert columns == {"resource_id", "month", "views", "downloads"}
    assert usage.usage_for(r.id).views == 1


def test_only_editors_see_the_most_used(app, make_user):
    with pytest.raises(PermissionDenied):
        usage.most_used(make_user(role="member"))


def test_search_can_sort_by_most_downloaded(app, client, make_resource):
    from hub.services.search import SearchParams, search_resources

    make_resource(slug="a", title="Anti-racism guide one", published="2024-01-01")
    b = make_resource(slug="b", title="Anti-racism guide two", published="2023-01-01")
    c = make_resource(slug="c", title="Anti-racism guide three", published="2022-01-01")
    for resource, n in ((b, 3), (c, 1)):
        for _ in range(n):
            usage.record_download(resource.id, BROWSER)
    result = search_resources(None, SearchParams.from_args({"q": "guide", "sort": "downloads"}, locale="en"))
    assert [h.resource.slug for h in result.hits] == ["b", "c", "a"] and result.sort == "downloads"
    second = search_resources(None, SearchParams(sort="downloads", page=2, per_page=2))
    assert [h.resource.slug for h in second.hits] == ["a"] and second.total == 3
    page = client.get("/en/search?q=guide&sort=downloads").get_data(as_text=True)
    assert '<option value="downloads" selected>Most downloaded</option>' in page
    assert page.index('href="/en/resources/b"') < page.index('href="/en/resources/c"') < page.index(
        'href="/en/resources/a"')
    assert "Les plus téléchargées" in client.get("/fr/search?q=guide").get_data(as_text=True)


def test_concurrent_counts_from_two_app_instances_all_land(app, make_resource, tmp_path):
    """Gunicorn's workers are separate processes on one database: two app
    instances, each with its own engine and connections, count at the same
    moment, the first count of a month included. The upsert is one prepared
    statement per shape, shared by both; none of the counts may be lost."""
    r = make_resource(slug="busy")
    other = _make_app(tmp_path / "second", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    per_thread, errors = 15, []
    start = threading.Barrier(4)

    def count(instance, record) -> None:
        try:
            with instance.app_context():
                start.wait(timeout=30)
                for _ in range(per_thread):
                    assert record(r.id, BROWSER, today=date(2025, 3, 1))
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=count, args=(instance, record))
               for instance in (app, other) for record in (usage.record_view, usage.record_download)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    _dispose(other)
    assert errors == []
    db.session.remove()
    [row] = db.session.scalars(select(ResourceUsage)).all()
    assert (row.month, row.views, row.downloads) == ("2025-03", 2 * per_thread, 2 * per_thread)
