"""The command line as an operator uses it."""
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Resource, User
from tests.conftest import resource_text


def test_import_prints_summary_and_rejections_and_exits_1(runner, tmp_path):
    (tmp_path / "ok.md").write_text(resource_text(slug="ok"), encoding="utf-8")
    (tmp_path / "bad.md").write_text(resource_text(slug="bad", region="atlantis"), encoding="utf-8")
    result = runner.invoke(args=["hub", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.md: unknown region 'atlantis'" in result.output
    assert "imported 1, updated 0, unchanged 0, rejected 1" in result.output


def test_import_of_good_files_exits_0(runner, tmp_path):
    (tmp_path / "ok.md").write_text(resource_text(slug="ok"), encoding="utf-8")
    result = runner.invoke(args=["hub", "import", str(tmp_path / "ok.md")])
    assert result.exit_code == 0, result.output
    assert "imported 1, updated 0, unchanged 0, rejected 0" in result.output


def test_import_warns_when_a_hash_cut_a_value_short_and_still_imports(runner, tmp_path):
    """YAML reads ' #' as the start of a comment: an organisation once lost
    its last partners this way without a word. The import now says so."""
    (tmp_path / "cut.md").write_text(resource_text(
        slug="cut", organization="CCNC Toronto (with Project 1907, #Elimin8Hate, Vancouver Asian Film Festival)",
        region="on   # a deliberate comment, not a warning"), encoding="utf-8")
    result = runner.invoke(args=["hub", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert ("cut.md: warning: organization: the value stops at 'CCNC Toronto (with Project 1907,' because YAML "
            "reads ' #' as the start of a comment, so '#Elimin8Hate, Vancouver Asian Film Festival)' is dropped"
            in result.output)
    assert "region" not in result.output.split("warning:", 1)[1]
    assert db.session.scalar(select(Resource.organization).where(Resource.slug == "cut")) == \
        "CCNC Toronto (with Project 1907,"


def test_init_imports_the_catalogue_once_not_twice(runner, app):
    first = runner.invoke(args=["hub", "init"])
    assert first.exit_code == 0, first.output
    assert "rejected 0" in first.output
    count = db.session.scalar(select(func.count(Resource.id)))
    assert count >= 60
    db.session.execute(db.delete(Resource).where(Resource.slug == db.session.scalar(select(Resource.slug).limit(1))))
    db.session.commit()
    second = runner.invoke(args=["hub", "init"])
    assert "curated catalogue" not in second.output
    assert db.session.scalar(select(func.count(Resource.id))) == count - 1


def test_create_user_reads_password_from_stdin_and_hashes_it(runner):
    result = runner.invoke(args=["hub", "create-user", "Editor@Example.org", "--role", "editor",
                                 "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("editor@example.org", "editor")
    assert user.password_hash.startswith("$argon2id$")
    again = runner.invoke(args=["hub", "create-user", "editor@example.org", "--password-stdin"],
                          input="a long enough password\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_export_writes_markdown_and_reindex_counts(runner, make_resource, tmp_path):
    make_resource(slug="one")
    result = runner.invoke(args=["hub", "export", str(tmp_path / "out")])
    assert result.exit_code == 0 and "exported 1" in result.output
    assert (tmp_path / "out" / "one.md").read_text().startswith("---\ntitle:")
    reindex = runner.invoke(args=["hub", "reindex"])
    assert "indexed 1 resources" in reindex.output


def test_init_on_an_empty_data_folder_creates_the_schema_first(tmp_path):
    """A first `hub init` before any `db upgrade` imports the catalogue instead of failing on missing tables."""
    from hub import create_app

    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["hub", "init"])
    assert result.exit_code == 0, result.output
    assert "rejected 0" in result.output and "search index built" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Resource.id))) >= 60
        db.session.remove()
    app.extensions["hub.index"].close()
