"""Decomposed Unicode: ``équité`` typed as e + U+0301 (as some keyboards and
copy-pastes from PDFs give it) found nothing while the composed form found
the resources. Text and queries are NFC-normalised wherever they come in."""
from __future__ import annotations

import unicodedata
from urllib.parse import quote

from tests.security.hostile import post_submission

NFC = "équité"
NFD = unicodedata.normalize("NFD", NFC)


def _slugs(client, q: str) -> list[str]:
    data = client.get(f"/api/v1/resources?q={quote(q)}").get_json()
    return [hit["slug"] for hit in data["results"]]


def test_a_decomposed_query_finds_what_the_composed_one_finds(client, make_resource):
    assert NFD != NFC
    make_resource(title="Équité en emploi", slug="equite-emploi", language="fr",
                  summary="Guide d'équité pour les employeurs.")
    make_resource(title="Pay equity guide", slug="pay-equity", body="On équité salariale.\n")
    composed = _slugs(client, NFC)
    assert "equite-emploi" in composed
    assert _slugs(client, NFD) == composed
    page = client.get(f"/fr/search?q={quote(NFD)}").get_data(as_text=True)
    assert "/fr/resources/equite-emploi" in page
    feed = client.get(f"/feed.atom?q={quote(NFD)}").get_data(as_text=True)
    assert "Équité en emploi" in feed


def test_decomposed_text_typed_in_a_form_is_stored_composed_and_found(client, make_user, login_as):
    from hub.services import indexing
    indexing.rebuild_index()  # as `hub init` does on a new install
    login_as(make_user("editor"))
    title = unicodedata.normalize("NFD", "Guide d'équité à Montréal")
    response = post_submission(client, action="publish", title=title, slug="guide-equite-montreal", language="fr",
                               body=unicodedata.normalize("NFD", "Une démarche d'équité."))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from hub.extensions import db
    from hub.models import Resource
    resource = db.session.query(Resource).filter_by(slug="guide-equite-montreal").one()
    assert resource.title == "Guide d'équité à Montréal" and "démarche d'équité" in resource.body
    assert "guide-equite-montreal" in _slugs(client, NFC)
    assert "guide-equite-montreal" in _slugs(client, NFD)


def test_decomposed_text_already_stored_is_still_one_word_for_search():
    from hub.search.analysis import analyzer
    words = [t.text for t in analyzer("fr")(f"L'{NFD} salariale")]
    assert words == [t.text for t in analyzer("fr")(f"L'{NFC} salariale")]
