"""Bilingual metadata and publishers through import, the database and export."""
from __future__ import annotations

from sqlalchemy import select, text

from hub.extensions import db
from hub.models import Resource
from hub.services.resources import export_resources, import_documents

BOTH = {
    "slug": "hiring-without-bias", "language": "en", "publisher": "lip-anti-racism-working-group",
    "title": "{en: Hiring Without Bias, fr: Embaucher sans préjugés}",
    "summary": "{en: Practices for employers., fr: Des pratiques pour les employeurs.}",
    "topics": "{en: [hiring, workplace policy], fr: [embauche]}",
}


def test_the_resource_exposes_each_language(app, make_resource):
    r = make_resource(**BOTH)
    assert r.title == "Hiring Without Bias"
    assert r.titles == {"en": "Hiring Without Bias", "fr": "Embaucher sans préjugés"}
    assert r.summaries == {"en": "Practices for employers.", "fr": "Des pratiques pour les employeurs."}
    assert r.topics_by_language == {"en": ["hiring", "workplace policy"], "fr": ["embauche"]}
    assert r.publisher == "lip-anti-racism-working-group"
    plain = make_resource(slug="plain", language="fr", title="Seulement en français")
    assert plain.titles == {"fr": "Seulement en français"} and plain.publisher is None


def test_export_writes_the_mapping_and_round_trips_identically(app, make_resource, tmp_path):
    make_resource(**BOTH)
    make_resource(slug="plain-one", title="Only in English")
    first = tmp_path / "first"
    export_resources(first)
    written = (first / "hiring-without-bias.md").read_text(encoding="utf-8")
    assert "title:\n  en: Hiring Without Bias\n  fr: Embaucher sans préjugés\n" in written
    assert "topics:\n  en:\n  - hiring\n" in written
    assert "publisher: lip-anti-racism-working-group\n" in written
    plain = (first / "plain-one.md").read_text(encoding="utf-8")
    assert "title: Only in English\n" in plain and "publisher" not in plain

    for resource in db.session.scalars(select(Resource)):
        db.session.delete(resource)
    db.session.commit()
    report = import_documents([first])
    assert not report.rejected and report.imported == 2
    second = tmp_path / "second"
    export_resources(second)
    for name in ("hiring-without-bias.md", "plain-one.md"):
        assert (second / name).read_text(encoding="utf-8") == (first / name).read_text(encoding="utf-8")


def test_adding_a_translation_updates_and_the_same_file_is_unchanged(app, make_resource, tmp_path):
    from tests.conftest import resource_text

    path = tmp_path / "r.md"
    path.write_text(resource_text(slug="r", title="Hiring"), encoding="utf-8")
    assert import_documents([path]).imported == 1
    path.write_text(resource_text(slug="r", title="{en: Hiring, fr: Embauche}"), encoding="utf-8")
    assert import_documents([path]).updated == 1
    assert import_documents([path]).unchanged == 1
    r = db.session.scalar(select(Resource).where(Resource.slug == "r"))
    assert r.titles == {"en": "Hiring", "fr": "Embauche"}


def test_an_unknown_publisher_rejects_the_file_by_name(app, tmp_path):
    from tests.conftest import resource_text

    path = tmp_path / "bad.md"
    path.write_text(resource_text(publisher="calgary-lipp"), encoding="utf-8")
    report = import_documents([path])
    assert len(report.rejected) == 1
    assert "bad.md" in str(report.rejected[0]) and "unknown publisher 'calgary-lipp'" in str(report.rejected[0])


def test_the_migration_keeps_existing_rows_whole(app, make_resource):
    """Down to the schema before bilingual fields, then up again: the rows
    written then keep every value, and read as single-language resources."""
    from flask_migrate import downgrade, upgrade

    make_resource(slug="kept", title="Kept As Written", language="en", topics="[hiring, data]")
    db.session.remove()
    downgrade(revision="0010")
    db.session.execute(text(
        "UPDATE resources SET title = 'Written Before The Upgrade' WHERE slug = 'kept'"))
    db.session.commit()
    upgrade()
    r = db.session.scalar(select(Resource).where(Resource.slug == "kept"))
    assert r.title == "Written Before The Upgrade"
    assert r.titles == {"en": "Written Before The Upgrade"}
    assert r.topics_by_language == {"en": ["hiring", "data"]}
    assert r.summary == "Practices for employers in small municipalities."
    assert r.translations == {} and r.publisher is None
