"""Pathways through the services: imported with the resources, exported and
imported again unchanged, and read back with only what the reader may see."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from hub.errors import NotFound
from hub.extensions import db
from hub.models import Pathway, Resource
from hub.services import pathways, resources
from hub.services.resources import import_documents
from tests.conftest import resource_text
from tests.pathway_files import pathway_meta, pathway_text, write_pathway


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def slugs_in(view) -> list[list[str]]:
    return [[r.slug for r in step.resources] for step in view.steps]


def test_one_import_takes_resources_and_pathways_from_one_folder(app, tmp_path):
    src = tmp_path / "batch"
    # The pathway sorts first in the folder and names resources of the same batch.
    write_pathway(src / "a-pathways", "first-steps", [["hiring"], ["equity"]])
    write(src, "hiring.md", resource_text(slug="hiring"))
    write(src, "equity.md", resource_text(slug="equity", title="Equity data"))
    report = import_documents([src])
    assert not report.rejected
    assert (report.imported, report.pathways["imported"]) == (2, 1)
    assert report.summary() == ("imported 2, updated 0, unchanged 0, rejected 0; "
                                "pathways: imported 1, updated 0, unchanged 0")
    view = pathways.get_pathway(None, "first-steps", "en")
    assert view.title == "Pathway first-steps"
    assert slugs_in(view) == [["hiring"], ["equity"]]
    assert "<em>begin</em>" in view.introduction_html

    again = import_documents([src])
    assert again.pathways == {"imported": 0, "updated": 0, "unchanged": 1}


def test_a_changed_file_updates_the_pathway_in_place(app, make_resource, tmp_path):
    for n in (1, 2, 3):
        make_resource(slug=f"resource-{n}")
    path = write_pathway(tmp_path, "first-steps", [["resource-1"], ["resource-2"]])
    import_documents([path])
    write_pathway(tmp_path, "first-steps", [["resource-3", "resource-1"]])
    report = import_documents([path])
    assert report.pathways["updated"] == 1
    assert db.session.scalar(select(Pathway.id).where(Pathway.slug == "first-steps")) is not None
    assert len(db.session.scalars(select(Pathway)).all()) == 1
    assert slugs_in(pathways.get_pathway(None, "first-steps", "en")) == [["resource-3", "resource-1"]]


def test_a_bad_pathway_is_named_and_the_rest_still_imports(app, make_resource, tmp_path):
    make_resource(slug="resource-1")
    make_resource(slug="resource-2")
    src = tmp_path / "pathways"
    write_pathway(src, "good-one")
    write_pathway(src, "unknown-slug", [["resource-1"], ["no-such-resource"]])
    write(src, "one-language.md", pathway_text("one-language", title={"en": "English only"}))
    write(src, "broken-yaml.md", "---\nslug: broken\nsteps: [\n---\n")
    meta = pathway_meta("dupe-step", [["resource-1"], ["resource-2"]])
    meta["steps"][1]["title"] = dict(meta["steps"][0]["title"])
    write(src, "dupe-step.md", pathway_text(**meta))
    write(src, "z-same-slug.md", pathway_text("good-one"))
    report = import_documents([src])
    rejected = {os.path.basename(path): reason for path, reason in report.rejected}
    assert set(rejected) == {"unknown-slug.md", "one-language.md", "broken-yaml.md", "dupe-step.md",
                             "z-same-slug.md"}
    assert "step 2: unknown resource 'no-such-resource'" in rejected["unknown-slug.md"]
    assert "missing title in French (fr)" in rejected["one-language.md"]
    assert "bad YAML" in rejected["broken-yaml.md"]
    assert "step 2 repeats step 1" in rejected["dupe-step.md"]
    assert "already used by" in rejected["z-same-slug.md"] and "good-one.md" in rejected["z-same-slug.md"]
    assert report.pathways["imported"] == 1
    assert pathways.pathway_slugs() == ["good-one"]
    assert report.summary().endswith("rejected 5; pathways: imported 1, updated 0, unchanged 0")


def test_export_then_import_gives_the_same_pathways(app, make_resource, tmp_path):
    for n in (1, 2, 3):
        make_resource(slug=f"resource-{n}")
    meta = pathway_meta("round-trip", [["resource-2", "resource-1"], ["resource-3"]], order=3)
    meta["introduction"]["fr"] = "Premier paragraphe.\n\nDeuxième, avec « guillemets »\u202f!"
    write(tmp_path / "src", "round-trip.md", pathway_text(**meta))
    write_pathway(tmp_path / "src", "second", [["resource-1"]])
    import_documents([tmp_path / "src"])

    assert pathways.export_pathways(tmp_path / "out") == 2
    first = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    assert set(first) == {"round-trip.md", "second.md"}
    report = import_documents([tmp_path / "out"])
    assert not report.rejected and report.pathways == {"imported": 0, "updated": 0, "unchanged": 2}
    pathways.export_pathways(tmp_path / "again")
    assert {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "again").iterdir()} == first
    view = pathways.get_pathway(None, "round-trip", "fr")
    assert "Deuxième, avec « guillemets »\u202f!" in view.introduction_html
    assert slugs_in(view) == [["resource-2", "resource-1"], ["resource-3"]]


def test_members_only_and_unpublished_resources_are_left_out_for_those_not_allowed(
        app, make_resource, make_user, tmp_path):
    make_resource(slug="open")
    make_resource(slug="staff-only", access="members")
    hidden = make_resource(slug="withdrawn")
    hidden.status = "unpublished"
    db.session.commit()
    import_documents([write_pathway(tmp_path, "mixed", [["open", "staff-only", "withdrawn"], ["staff-only"]])])

    anonymous = pathways.get_pathway(None, "mixed", "en")
    assert slugs_in(anonymous) == [["open"], []]
    assert len(anonymous.steps) == 2  # the step's guidance stays; only what the reader may not see goes
    member = pathways.get_pathway(make_user("member"), "mixed", "en")
    assert slugs_in(member) == [["open", "staff-only"], ["staff-only"]]
    editor = pathways.get_pathway(make_user("editor"), "mixed", "en")
    assert slugs_in(editor) == [["open", "staff-only", "withdrawn"], ["staff-only"]]


def test_each_resource_is_shown_in_the_readers_language_when_an_edition_exists(app, make_resource, tmp_path):
    make_resource(slug="guide-en", title="A guide", translation="guide-fr")
    make_resource(slug="guide-fr", title="Un guide", language="fr", translation="guide-en")
    make_resource(slug="english-only", title="Only in English")
    import_documents([write_pathway(tmp_path, "editions", [["guide-en", "english-only"]])])
    assert slugs_in(pathways.get_pathway(None, "editions", "en")) == [["guide-en", "english-only"]]
    assert slugs_in(pathways.get_pathway(None, "editions", "fr")) == [["guide-fr", "english-only"]]


def test_the_other_edition_is_shown_when_only_it_may_be_seen(app, make_resource, tmp_path):
    make_resource(slug="notes-en", access="members", translation="notes-fr")
    make_resource(slug="notes-fr", language="fr", title="Notes", translation="notes-en")
    import_documents([write_pathway(tmp_path, "fallback", [["notes-en"]])])
    assert slugs_in(pathways.get_pathway(None, "fallback", "en")) == [["notes-fr"]]


def test_a_resource_page_learns_which_pathways_contain_it_or_its_translation(app, make_resource, tmp_path):
    make_resource(slug="guide-en", translation="guide-fr")
    make_resource(slug="guide-fr", language="fr", title="Un guide", translation="guide-en")
    make_resource(slug="other")
    import_documents([write_pathway(tmp_path, "later", [["other"], ["guide-en"]], order=2),
                      write_pathway(tmp_path, "earlier", [["guide-en"]], order=1)])
    french = db.session.scalar(select(Resource).where(Resource.slug == "guide-fr"))
    found = pathways.pathways_containing(french, "fr")
    assert [(m.slug, m.title, m.step) for m in found] == [("earlier", "Parcours earlier", 1),
                                                          ("later", "Parcours later", 2)]
    other = db.session.scalar(select(Resource).where(Resource.slug == "other"))
    assert [m.slug for m in pathways.pathways_containing(other, "en")] == ["later"]


def test_the_list_follows_the_working_groups_order(app, make_resource, tmp_path):
    make_resource(slug="resource-1")
    make_resource(slug="resource-2")
    import_documents([write_pathway(tmp_path, "b-unnumbered"), write_pathway(tmp_path, "a-unnumbered"),
                      write_pathway(tmp_path, "z-first", order=1), write_pathway(tmp_path, "c-second", order=2)])
    listed = pathways.list_pathways("fr")
    assert [p.slug for p in listed] == ["z-first", "c-second", "a-unnumbered", "b-unnumbered"]
    assert listed[0].title == "Parcours z-first" and listed[0].step_count == 2


def test_an_unknown_pathway_is_not_found(app):
    with pytest.raises(NotFound):
        pathways.get_pathway(None, "no-such-pathway", "en")


def test_the_launch_pathways_are_loaded_once_on_an_install_that_had_the_catalogue(app, make_resource, tmp_path):
    from hub.services.state import set_state
    from hub.services.uow import unit_of_work

    make_resource(slug="resource-1")
    make_resource(slug="resource-2")
    folder = tmp_path / "launch"
    write_pathway(folder, "launch")
    app.config["PATHWAYS_DIR"] = str(folder)
    with unit_of_work():
        set_state("catalogue_imported", "2026-01-01T00:00:00")
    report = resources.import_pathways_once()
    assert report is not None and report.pathways["imported"] == 1
    assert resources.import_pathways_once() is None
    assert pathways.pathway_slugs() == ["launch"]
