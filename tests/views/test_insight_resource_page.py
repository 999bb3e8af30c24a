"""What the insight work adds to a resource page: content warning, review date."""
import re
from datetime import date, timedelta

import pytest
from lxml import html as lxml_html

from hub.errors import PermissionDenied, ValidationFailed
from hub.services import freshness


def test_the_body_stays_collapsed_behind_its_content_warning(client, make_resource):
    make_resource(slug="cw", content_warning="describes racist violence",
                  body="## What happened\n\nA detailed account of the attack.\n")
    page = client.get("/en/resources/cw").get_data(as_text=True)
    tree = lxml_html.fromstring(page)
    [section] = tree.xpath('//section[@class="content-warning"]')
    assert section.xpath('string(.//p[@class="cw-text"])') == "describes racist violence"
    [details] = section.xpath(".//details")
    assert details.get("open") is None  # collapsed until the reader continues, no script needed
    assert "Continue to the content" in details.xpath("string(./summary)")
    assert "A detailed account of the attack." in details.xpath("string(.//div[@class='body'])")
    # The warning comes before the body in reading order.
    assert page.index("describes racist violence") < page.index("A detailed account")
    # No script but files and the page's JSON-LD data block (which never runs).
    assert not tree.xpath("//script[not(@src)][not(@type='application/ld+json')]")
    assert "<script" not in lxml_html.tostring(section, encoding=str)

    fr = client.get("/fr/resources/cw").get_data(as_text=True)
    assert "Mise en garde" in fr and "Continuer vers le contenu" in fr


def test_a_resource_without_warning_shows_its_body_at_once(client, make_resource):
    make_resource(slug="plain", body="Just text.\n")
    tree = lxml_html.fromstring(client.get("/en/resources/plain").get_data(as_text=True))
    assert tree.xpath("//details") == []
    assert tree.xpath("string(//div[@class='body'])").strip() == "Just text."


def test_an_editor_records_a_review_date_from_the_resource_page(client, make_resource, make_user, login_as):
    make_resource(slug="r1", published="2015-06-01")
    assert "Reviewed on" not in client.get("/en/resources/r1").get_data(as_text=True)
    assert "Mark as reviewed" not in client.get("/en/resources/r1").get_data(as_text=True)
    editor = make_user(role="editor")
    login_as(editor)
    assert [d.resource.slug for d in freshness.reviews_due(editor)] == ["r1"]
    page = client.get("/en/resources/r1").get_data(as_text=True)
    assert "Never reviewed." in page and 'id="reviewed_on"' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = client.post("/en/editor/insight/reviews/r1", data={"csrf_token": token, "reviewed_on": tomorrow})
    assert bad.status_code == 400 and "cannot be in the future" in bad.get_data(as_text=True)
    resp = client.post("/en/editor/insight/reviews/r1",
                       data={"csrf_token": token, "reviewed_on": "2025-02-03", "next": "/en/resources/r1"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/en/resources/r1"
    assert "Reviewed on February 3, 2025." in client.get("/en/resources/r1").get_data(as_text=True)
    assert "Révisée le 3 février 2025." in client.get("/fr/resources/r1").get_data(as_text=True)
    assert freshness.reviews_due(editor, today=date(2027, 1, 1)) == []
    assert [d.resource.slug for d in freshness.reviews_due(editor, today=date(2028, 2, 4))] == ["r1"]


def test_a_re_import_keeps_the_review_date(make_resource, make_user):
    editor = make_user(role="editor")
    r = make_resource(slug="r1")
    freshness.mark_reviewed(editor, "r1", date(2024, 5, 1))
    make_resource(slug="r1", title="Retitled")
    assert freshness.reviewed_on(r.id) == date(2024, 5, 1)


def test_only_editors_mark_reviews(client, make_resource, make_user, login_as):
    make_resource(slug="r1")
    with pytest.raises(PermissionDenied):
        freshness.mark_reviewed(make_user(role="member"), "r1")
    login_as(make_user(role="member"))
    page = client.get("/en/resources/r1").get_data(as_text=True)
    assert "Mark as reviewed" not in page
    with pytest.raises(ValidationFailed):
        freshness.mark_reviewed(make_user(role="editor"), "r1", date.today() + timedelta(days=2))


def test_reviews_due_on_the_curated_catalogue_count_from_publication(catalogue_app):
    from hub.services.users import create_user
    with catalogue_app.app_context():
        editor = create_user("reviews@example.org", role="editor", password="x" * 12)
        due = freshness.reviews_due(editor, today=date(2026, 11, 25))
        assert due and all(d.since <= date(2023, 11, 25) for d in due)
        assert [d.since for d in due] == sorted(d.since for d in due)
        from sqlalchemy import select

        from hub.extensions import db
        from hub.models import Resource
        recent = db.session.scalars(select(Resource).where(Resource.published_on > date(2023, 11, 25))).all()
        assert recent and not {r.slug for r in recent} & {d.resource.slug for d in due}
