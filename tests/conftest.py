"""Shared fixtures: a real app on a temporary HUB_DATA_DIR with a real SQLite
file and a real Whoosh index; factories that go through the services."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hub import create_app

PASSWORD = "correct horse battery staple"


def resource_text(**fields) -> str:
    """A valid resource file, with any field overridden (None removes it)."""
    meta = {
        "title": "Hiring Without Bias",
        "type": "toolkit",
        "summary": "Practices for employers in small municipalities.",
        "racism_types": "[anti-black, systemic]",
        "audiences": "[employers, lip-staff]",
        "topics": "[hiring, workplace policy]",
        "language": "en",
        "organization": "Calgary Local Immigration Partnership",
        "published": "2022-03-15",
        "region": "ab",
    }
    body = fields.pop("body", "## Why\n\nBecause fairness matters.\n")
    meta.update(fields)
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + textwrap.dedent(body)


def _make_app(data_dir: Path, **overrides):
    from flask_migrate import upgrade

    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(data_dir), "SECRET_KEY": "test-secret",
                      **overrides})
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def app(tmp_path):
    app = _make_app(tmp_path / "data")
    with app.app_context():
        yield app
    from hub.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["hub.index"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    from hub.services.users import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "member", email: str | None = None, password: str = PASSWORD):
        return create_user(email or f"{role}{next(counter)}@example.org", role=role, password=password)

    return make


@pytest.fixture
def make_resource(app, tmp_path):
    """Write a resource file and import it through the import service."""
    from hub.services.resources import import_documents

    folder = tmp_path / "made"
    folder.mkdir()
    counter = iter(range(1, 100_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("title", f"Resource number {n}")
        fields.setdefault("slug", f"resource-{n}")
        path = folder / f"{fields['slug']}.md"
        path.write_text(resource_text(**fields), encoding="utf-8")
        report = import_documents([path])
        assert not report.rejected, report.rejected
        from hub.models import Resource
        from hub.extensions import db
        from sqlalchemy import select
        return db.session.scalar(select(Resource).where(Resource.slug == fields["slug"]))

    return make


@pytest.fixture(scope="module")
def catalogue_app(tmp_path_factory):
    """An app with the whole curated catalogue imported (shared by a module's tests)."""
    data_dir = tmp_path_factory.mktemp("catalogue")
    app = _make_app(data_dir)
    with app.app_context():
        from hub.services import indexing, resources
        report = resources.import_catalogue_once()
        assert report is not None and not report.rejected, report.rejected
        indexing.ensure_index_fresh()
    yield app
    from hub.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["hub.index"].close()


@pytest.fixture
def login_as(client):
    """Sign a user in on the test client without going through the form
    (the sign-in form has its own tests)."""

    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return user

    return login
