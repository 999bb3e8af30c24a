"""The curated catalogue itself, as a reader meets it after `hub init`.

The working group promised LIP staff a catalogue that is large enough, in
both official languages, with something for every region, form of racism,
audience and kind of resource, and in which every outside resource leads to
the original. These tests import the real ``resources/`` folder and count
what an anonymous reader can see, so a file that is rejected, unpublished or
moved behind sign-in lowers the counts exactly as it would on the site.
"""
from __future__ import annotations

from collections import Counter

import pytest
from flask import current_app
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.security.visibility import visible_clause
from hub.services.resources import import_documents
from hub.vocabularies import load_vocabularies

MIN_PUBLIC = 180
MIN_FRENCH = 60
MIN_PER_REGION = 3   # every province and territory
MIN_PER_RACISM_TYPE = 12
MIN_PER_AUDIENCE = 8
MIN_PER_TYPE = 5
MIN_SELF_ASSESSMENTS = 8  # self-assessment tools and checklists, the hub's own included

#: Regions that are not a province or territory.
NOT_PROVINCES = {"national", "international"}
#: How the working group signs its own resources where a file names no publisher.
WORKING_GROUP = {"LIP Anti-Racism Working Group", "Groupe de travail sur l'antiracisme des PLI"}


@pytest.fixture
def public_catalogue(app) -> list[Resource]:
    report = import_documents([current_app.config["CATALOGUE_DIR"]])
    assert report.rejected == [], "\n".join(f"{path}: {reason}" for path, reason in report.rejected)
    return list(db.session.scalars(select(Resource).where(visible_clause(AnonymousUserMixin()))))


def _shortfalls(counts: Counter, keys, minimum: int) -> dict[str, int]:
    return {key: counts[key] for key in keys if counts[key] < minimum}


def test_catalogue_is_large_bilingual_and_covers_every_region_racism_type_audience_and_type(public_catalogue):
    languages = Counter(r.language for r in public_catalogue)
    assert len(public_catalogue) >= MIN_PUBLIC
    assert languages["fr"] >= MIN_FRENCH

    vocab = load_vocabularies()
    regions = Counter(r.region for r in public_catalogue)
    racism_types = Counter(k for r in public_catalogue for k in r.racism_types)
    audiences = Counter(k for r in public_catalogue for k in r.audiences)
    types = Counter(r.type for r in public_catalogue)

    provinces = [t.key for t in vocab.terms("regions") if t.key not in NOT_PROVINCES]
    assert len(provinces) == 13
    assert _shortfalls(regions, provinces, MIN_PER_REGION) == {}
    assert _shortfalls(racism_types, [t.key for t in vocab.terms("racism_types")], MIN_PER_RACISM_TYPE) == {}
    assert _shortfalls(audiences, [t.key for t in vocab.terms("audiences")], MIN_PER_AUDIENCE) == {}
    assert _shortfalls(types, [t.key for t in vocab.terms("resource_types")], MIN_PER_TYPE) == {}


def test_enough_self_assessments_in_both_languages_and_translations_pair_up(public_catalogue):
    def is_tool(r: Resource) -> bool:
        title = r.title.casefold()
        return r.type == "self-assessment" or "checklist" in title or "liste de vérification" in title

    tools = [r for r in public_catalogue if is_tool(r)]
    assert len(tools) >= MIN_SELF_ASSESSMENTS
    by_slug = {r.slug: r for r in public_catalogue}
    for slug in ("municipal-anti-racism-self-assessment", "employer-service-provider-anti-racism-self-assessment"):
        french = by_slug[by_slug[slug].translation]  # the French edition of each tool is published
        assert french.language == "fr" and french.assessment
        assert len(french.assessment["sections"]) == len(by_slug[slug].assessment["sections"])

    broken = [r.slug for r in public_catalogue if r.translation and (
        r.translation not in by_slug
        or by_slug[r.translation].language == r.language
        or by_slug[r.translation].translation != r.slug)]
    assert broken == []  # a translation is a published edition in the other language that points back


def test_every_outside_resource_leads_to_the_original_and_publishers_make_useful_facets(public_catalogue):
    """The hub's own resources (publisher of kind working-group) are the
    original; every other one needs a link to it or a file the hub may share.
    "Only LIP-made tools" and "only francophone networks" are one click each,
    so enough resources must carry a publisher of those kinds."""
    kinds = {t.key: t.kind for t in load_vocabularies().terms("publishers")}

    def own(r: Resource) -> bool:
        return kinds.get(r.publisher or "") == "working-group" or r.organization in WORKING_GROUP

    by_kind = Counter(kinds[r.publisher] for r in public_catalogue if r.publisher)
    assert by_kind["lip"] >= 3 and by_kind["francophone-network"] >= 3
    assert by_kind["working-group"] >= 8 and by_kind["government"] >= 10

    dead_ends = [r.slug for r in public_catalogue if not own(r) and not r.url and not r.attachments]
    assert dead_ends == []

