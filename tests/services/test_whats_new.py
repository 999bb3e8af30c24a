"""What's new on the home page: what went live on the hub in the last 30
days, by racism type, counted and listed as the reader may see it."""
from __future__ import annotations

from datetime import timedelta

from lxml import html as lxml_html

from hub.extensions import db
from hub.models._types import utcnow
from hub.services.whats_new import whats_new


def _age(resource, days: int) -> None:
    resource.published_at = utcnow() - timedelta(days=days)
    db.session.commit()


def _groups(news) -> dict[str, tuple[int, list[str]]]:
    return {g.key: (g.count, [r.slug for r in g.resources]) for g in news.groups}


def test_counts_cover_the_last_30_days_by_racism_type_and_only_what_the_reader_may_see(make_resource, make_user):
    make_resource(slug="new-black", racism_types="[anti-black, systemic]")
    make_resource(slug="new-asian", racism_types="[anti-asian]")
    make_resource(slug="members", racism_types="[anti-black]", access="members")
    _age(make_resource(slug="old", racism_types="[anti-black]"), 31)
    _age(make_resource(slug="recent", racism_types="[anti-black]"), 29)

    anonymous = whats_new(None, "en")
    assert anonymous.total == 3
    assert _groups(anonymous) == {"anti-black": (2, ["new-black", "recent"]), "anti-asian": (1, ["new-asian"]),
                                  "systemic": (1, ["new-black"])}
    assert [g.key for g in anonymous.groups] == ["anti-black", "anti-asian", "systemic"]  # the vocabulary's order
    assert anonymous.groups[0].label == "Anti-Black racism"
    assert whats_new(None, "fr").groups[0].label == "Racisme anti-Noirs"

    member = whats_new(make_user("member"), "en")
    # Newest first: "members" went live after "new-black".
    assert member.total == 4 and _groups(member)["anti-black"] == (3, ["members", "new-black", "recent"])


def test_a_resource_and_its_translation_count_once_in_the_readers_language(make_resource):
    make_resource(slug="guide-en", racism_types="[antisemitism]", translation="guide-fr")
    make_resource(slug="guide-fr", racism_types="[antisemitism]", language="fr", translation="guide-en",
                  title="Guide", summary="Un guide.")
    assert _groups(whats_new(None, "fr")) == {"antisemitism": (1, ["guide-fr"])}
    assert _groups(whats_new(None, "en")) == {"antisemitism": (1, ["guide-en"])}


def test_the_home_page_shows_it_with_the_feed_link(client, make_resource):
    make_resource(slug="fresh", racism_types="[anti-indigenous]", title="Fresh report")
    make_resource(slug="hidden", racism_types="[anti-indigenous]", title="Hidden report", access="members")
    for lang, heading, feed in (("en", "What's new", "Follow new resources in a feed reader (Atom feed)"),
                                ("fr", "Quoi de neuf", "Suivre les nouvelles ressources dans un lecteur de fils "
                                                       "(fil Atom)")):
        doc = lxml_html.fromstring(client.get(f"/{lang}/").get_data(as_text=True))
        section = doc.xpath("//section[@aria-labelledby='whats-new-heading']")[0]
        assert section.xpath(".//h2")[0].text_content() == heading
        summary = " ".join(section.xpath(".//summary")[0].text_content().split())
        assert summary in ("Anti-Indigenous racism (1 resource)", "Racisme envers les Autochtones (1 ressource)")
        assert section.xpath(f".//a[@href='/{lang}/resources/fresh']")
        assert "Hidden report" not in section.text_content()
        link = section.xpath(".//a[@type='application/atom+xml']")[0]
        assert link.text_content() == feed and link.get("href") == f"/feed.atom?lang={lang}"


def test_a_quiet_month_says_so(client, make_resource):
    _age(make_resource(slug="old"), 45)
    assert whats_new(None, "en").total == 0
    doc = lxml_html.fromstring(client.get("/en/").get_data(as_text=True))
    section = doc.xpath("//section[@aria-labelledby='whats-new-heading']")[0]
    assert "Nothing has been added to the hub in the last 30 days." in section.text_content()
