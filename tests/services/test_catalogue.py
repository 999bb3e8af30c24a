"""Counts and listings for the public pages: only what the reader may see,
and never stale after the catalogue changes."""
from flask import get_template_attribute
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.services import catalogue, indexing


def counts(user, vocab):
    return {c.key: c.count for c in catalogue.vocabulary_counts(user, vocab, "en")}


def test_counts_follow_visibility_and_changes(app, make_resource, make_user):
    anonymous, member = AnonymousUserMixin(), make_user()
    make_resource(slug="a", racism_types="[anti-black, systemic]", audiences="[youth]")
    make_resource(slug="m", racism_types="[anti-black]", audiences="[youth]", access="members")
    assert counts(anonymous, "racism_types")["anti-black"] == 1
    assert counts(member, "racism_types")["anti-black"] == 2
    assert counts(anonymous, "racism_types")["antisemitism"] == 0  # every key listed, even at zero
    assert list(counts(anonymous, "audiences"))[:2] == ["lip-staff", "municipalities"]  # file order
    assert catalogue.total_visible(anonymous) == 1

    make_resource(slug="b", racism_types="[anti-black]", audiences="[educators]")
    assert counts(anonymous, "racism_types")["anti-black"] == 2  # the cache saw the new content version
    make_resource(slug="a", racism_types="[systemic]", audiences="[youth]")  # re-import: update in place
    assert counts(anonymous, "racism_types")["anti-black"] == 1


def test_browse_lists_newest_first_and_counts_beyond_the_page(app, make_resource):
    anonymous = AnonymousUserMixin()
    for year in (2018, 2021, 2020):
        make_resource(slug=f"y{year}", audiences="[newcomers]", published=str(year))
    page = catalogue.browse(anonymous, "audiences", "newcomers", "fr", limit=2)
    assert [r.slug for r in page.resources] == ["y2021", "y2020"]
    assert page.total == 3 and page.term.label == "Nouveaux arrivants"


def test_related_resources_rank_shared_topics_first(app, make_resource):
    anonymous = AnonymousUserMixin()
    base = make_resource(slug="base", topics="[hiring, onboarding]", racism_types="[anti-black]",
                         audiences="[employers]")
    make_resource(slug="same-audience", topics="[other]", racism_types="[antisemitism]", audiences="[employers]")
    make_resource(slug="two-topics", topics="[Hiring, onboarding]", racism_types="[antisemitism]",
                  audiences="[youth]")
    make_resource(slug="one-topic", topics="[hiring]", racism_types="[antisemitism]", audiences="[youth]")
    make_resource(slug="nothing", topics="[x]", racism_types="[antisemitism]", audiences="[youth]")
    related = [r.slug for r in catalogue.related_resources(anonymous, base, limit=5)]
    assert related == ["two-topics", "one-topic", "same-audience"]


def test_newest_lists_undated_resources_last(app, make_resource):
    make_resource(slug="old", published="2015")
    make_resource(slug="undated")
    make_resource(slug="new", published="2023-05-01")
    db.session.execute(db.update(Resource).where(Resource.slug == "undated").values(published_on=None))
    db.session.commit()
    indexing.apply_changes([db.session.scalar(db.select(Resource.id).where(Resource.slug == "undated"))], [])
    assert [r.slug for r in catalogue.newest_resources(AnonymousUserMixin(), limit=10)] == ["new", "old", "undated"]


def test_a_listing_row_renders_exactly_as_the_full_resource(app, make_resource, make_user):
    """Listings load plain rows (``ResourceListing``), not mapped resources.
    Jinja renders a missing attribute as nothing, silently, so a listing macro
    that starts reading a field the row lacks would lose it without an error:
    both macros must render a row and the full resource identically."""
    make_resource(slug="dated", published="2022-03-15", organization="Calgary LIP")
    make_resource(slug="year-only", published="2019", organization="Another LIP")
    make_resource(slug="members-fr", published="2021-01-05", language="fr", access="members",
                  summary="Un résumé " * 40)
    ids = [r.id for r in db.session.scalars(select(Resource).order_by(Resource.id))]
    rows = catalogue._load_visible(make_user(role="editor"), ids)
    assert [type(r) for r in rows] == [catalogue.ResourceListing] * 3
    for lang in ("en", "fr"):
        with app.test_request_context(f"/{lang}/"):
            for name in ("resource_item", "resource_card"):
                macro = get_template_attribute("resources/_macros.html", name)
                for row in rows:
                    assert macro(row) == macro(db.session.get(Resource, row.id)), (lang, name, row.slug)


def test_a_partnership_spelled_two_ways_is_listed_once_under_its_publisher(app, make_resource, make_user):
    """The working group's page once listed Surrey's LIP twice, as written in
    two resources' `organization`; their shared publisher key makes it one
    entry, named in the reader's language. A resource without a publisher
    still counts under an organization that names a partnership."""
    make_resource(slug="s1", organization="Surrey Local Immigration Partnership", publisher="surrey-lip")
    make_resource(slug="s2", organization="City of Surrey (lead agency, Surrey Local Immigration Partnership)",
                  publisher="surrey-lip")
    make_resource(slug="s3", organization="Surrey LIP", publisher="surrey-lip", access="members")
    make_resource(slug="l1", organization="Lethbridge Local Immigration Partnership", publisher=None)
    make_resource(slug="g1", organization="Government of Alberta", publisher="government-of-alberta")
    anonymous = AnonymousUserMixin()
    assert catalogue.contributing_partnerships(anonymous, "en") == [
        ("Lethbridge Local Immigration Partnership", 1), ("Surrey Local Immigration Partnership", 2)]
    assert ("Partenariat local en matière d'immigration de Surrey", 2) in \
        catalogue.contributing_partnerships(anonymous, "fr")
    assert ("Surrey Local Immigration Partnership", 3) in catalogue.contributing_partnerships(make_user(), "en")
