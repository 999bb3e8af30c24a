"""Language parity, computed against the curated catalogue itself."""
from collections import Counter
from pathlib import Path

import pytest
import yaml

from hub.services import parity
from hub.services.users import create_user

CATALOGUE = Path(__file__).resolve().parents[2] / "resources"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig")
    return yaml.safe_load(text.split("---", 2)[1])


@pytest.fixture(scope="module")
def expected():
    """Parity worked out from the Markdown files alone, independently of the hub."""
    docs = {}
    for path in CATALOGUE.rglob("*.md"):
        meta = front_matter(path)
        docs[meta.get("slug") or path.stem] = meta
    paired = set()
    for slug, meta in docs.items():
        other = meta.get("translation")
        if other in docs and docs[other]["language"] != meta["language"]:
            paired |= {slug, other}
    return docs, paired


@pytest.fixture(scope="module")
def editor(catalogue_app):
    with catalogue_app.app_context():
        return create_user("parity-editor@example.org", role="editor", password="x" * 12).id


def test_parity_of_the_curated_catalogue(catalogue_app, expected, editor):
    docs, paired = expected
    with catalogue_app.app_context():
        from hub.extensions import db
        from hub.models import User
        report = parity.language_parity(db.session.get(User, editor))
        assert report.total == len(docs)
        assert report.both == len(paired) and report.both > 0
        assert report.share == pytest.approx(len(paired) / len(docs))
        alone = {s for s in docs if s not in paired}
        assert {r.slug for lang in report.missing.values() for r in lang} == alone
        assert {r.slug for r in report.missing["fr"]} == {s for s in alone if docs[s]["language"] == "fr"}
        by_type = Counter(docs[s]["type"] for s in alone)
        assert {k: missing for k, _, missing in report.by_type if missing} == dict(by_type)
        by_racism = Counter(k for s in alone for k in docs[s]["racism_types"])
        assert {k: missing for k, _, missing in report.by_racism_type if missing} == dict(by_racism)
        assert report.broken == []


def test_pages_say_which_languages_a_resource_exists_in(catalogue_app, expected):
    docs, paired = expected
    en_pair = sorted(s for s in paired if docs[s]["language"] == "en")[0]
    fr_pair = docs[en_pair]["translation"]
    alone_en = sorted(s for s in docs if s not in paired and docs[s]["language"] == "en"
                      and docs[s].get("access", "public") == "public")[0]
    client = catalogue_app.test_client()
    page = client.get(f"/en/resources/{en_pair}").get_data(as_text=True)
    assert "Also available in French:" in page and f'href="/en/resources/{fr_pair}"' in page
    page = client.get(f"/fr/resources/{fr_pair}").get_data(as_text=True)
    assert "Également offert en anglais\u202f:" in page and f'href="/fr/resources/{en_pair}"' in page
    assert "Available in English only" in client.get(f"/en/resources/{alone_en}").get_data(as_text=True)
    assert "Offert en anglais seulement" in client.get(f"/fr/resources/{alone_en}").get_data(as_text=True)


def test_one_side_naming_the_other_is_enough(app, make_resource, make_user, client):
    make_resource(slug="original", language="en", title="The original")
    make_resource(slug="traduction", language="fr", title="La traduction", translation="original")
    make_resource(slug="same", language="en", translation="original")
    make_resource(slug="dangling", language="fr", translation="nowhere")
    make_resource(slug="hidden-fr", language="fr", access="members", translation="lonely")
    make_resource(slug="lonely", language="en")
    report = parity.language_parity(make_user(role="editor"))
    assert (report.total, report.both) == (6, 4)
    assert {(b.resource.slug, b.reason) for b in report.broken} == {("same", "same-language"),
                                                                   ("dangling", "missing")}
    page = client.get("/en/resources/original").get_data(as_text=True)
    assert "Also available in French:" in page and "La traduction" in page
    # A members-only translation is not offered to a reader who cannot open it.
    assert "Available in English only" in client.get("/en/resources/lonely").get_data(as_text=True)


def test_the_named_translation_wins_over_those_naming_the_resource(app, make_resource, make_user):
    """One query reads both directions: the resource named in `translation:`
    comes first whatever its id, then those naming this one, oldest first; one
    the reader may not open (or unpublished, or in the same language) is passed over."""
    make_resource(slug="older-fr", language="fr", title="Plus ancienne", translation="base")
    base = make_resource(slug="base", language="en", translation="named-fr")
    make_resource(slug="newer-fr", language="fr", translation="base")
    assert parity.counterpart_for(None, base).slug == "older-fr"  # names nothing that exists yet
    make_resource(slug="named-fr", language="fr", access="members", title="Nommée")
    assert parity.counterpart_for(None, base).slug == "older-fr"
    assert parity.counterpart_for(make_user(), base).slug == "named-fr"
    lone = make_resource(slug="lone", language="en")
    assert parity.counterpart_for(None, lone) is None
