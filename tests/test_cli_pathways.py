"""`hub init`, `hub import` and `hub export` with pathways, as an operator runs them."""
from __future__ import annotations

from sqlalchemy import select

from hub.extensions import db
from hub.models import Pathway
from hub.services.state import set_state
from hub.services.uow import unit_of_work
from tests.pathway_files import pathway_text, write_pathway


def test_init_loads_the_launch_pathways_with_the_catalogue_and_only_once(runner, app):
    first = runner.invoke(args=["hub", "init"])
    assert first.exit_code == 0, first.output
    assert "pathways: imported 5, updated 0, unchanged 0" in first.output
    count = len(db.session.scalars(select(Pathway)).all())
    assert count >= 5
    second = runner.invoke(args=["hub", "init"])
    assert "pathways" not in second.output
    assert len(db.session.scalars(select(Pathway)).all()) == count


def test_init_adds_the_pathways_to_an_install_that_already_had_the_catalogue(runner, app, make_resource, tmp_path):
    make_resource(slug="resource-1")
    make_resource(slug="resource-2")
    write_pathway(tmp_path / "launch", "launch")
    app.config["PATHWAYS_DIR"] = str(tmp_path / "launch")
    with unit_of_work():
        set_state("catalogue_imported", "2026-01-01T00:00:00")
    result = runner.invoke(args=["hub", "init"])
    assert result.exit_code == 0, result.output
    assert "pathways from" in result.output and "pathways: imported 1" in result.output


def test_import_names_a_bad_pathway_and_exits_1(runner, make_resource, tmp_path):
    make_resource(slug="resource-1")
    make_resource(slug="resource-2")
    write_pathway(tmp_path / "in", "good")
    (tmp_path / "in" / "bad.md").write_text(pathway_text("bad", [["resource-9"]]), encoding="utf-8")
    result = runner.invoke(args=["hub", "import", str(tmp_path / "in")])
    assert result.exit_code == 1
    assert "bad.md: step 1: unknown resource 'resource-9'" in result.output
    assert "rejected 1; pathways: imported 1, updated 0, unchanged 0" in result.output


def test_export_writes_the_pathways_beside_the_resources(runner, make_resource, tmp_path):
    make_resource(slug="resource-1")
    make_resource(slug="resource-2")
    runner.invoke(args=["hub", "import", str(write_pathway(tmp_path / "in", "first-steps"))])
    result = runner.invoke(args=["hub", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "exported 2 resources" in result.output and "exported 1 pathways" in result.output
    exported = tmp_path / "out" / "pathways" / "first-steps.md"
    assert exported.read_text(encoding="utf-8").startswith("---\nslug: first-steps\ntitle:\n  en: Pathway first-steps")
    again = runner.invoke(args=["hub", "import", str(tmp_path / "out")])
    assert again.exit_code == 0 and "pathways: imported 0, updated 0, unchanged 1" in again.output
