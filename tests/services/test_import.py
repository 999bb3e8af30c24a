"""The import service over a folder mixing good and broken files."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from hub.extensions import db
from hub.models import Resource
from hub.services.resources import export_resources, import_documents
from tests.conftest import resource_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def write(folder, name, text=None, data=None):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_mixed_folder_imports_the_good_and_names_each_bad_file(app, tmp_path):
    src = tmp_path / "batch"
    write(src, "good.md", resource_text(slug="good"))
    write(src, "nested/deeper/also-good.md", resource_text(slug="also-good", title="Also good"))
    write(src, "bom.md", data=b"\xef\xbb\xbf" + resource_text(slug="with-bom").encode())
    write(src, "no-title.md", resource_text(slug="no-title", title=None))
    write(src, "typo.md", resource_text(slug="typo", racism_types="[anti-blak]"))
    write(src, "latin1.md", data=resource_text(slug="latin", title="Équité").encode("latin-1"))
    write(src, "empty.md", "")
    write(src, "z-dupe.md", resource_text(slug="good", title="Second with same slug"))
    write(src, "bad-date.md", resource_text(slug="bad-date", published="2022-13-45"))
    write(src, "fake-pdf.md", resource_text(slug="fake-pdf", files="[page.pdf]"))
    write(src, "page.pdf", "<html><body>not a pdf</body></html>")
    write(src, "notes.txt", "ignored: not a resource file")
    report = import_documents([src])

    rejected = {os.path.basename(path): reason for path, reason in report.rejected}
    assert set(rejected) == {"no-title.md", "typo.md", "latin1.md", "empty.md", "z-dupe.md", "bad-date.md",
                             "fake-pdf.md"}
    assert "missing title" in rejected["no-title.md"]
    assert "did you mean anti-black?" in rejected["typo.md"]
    assert "not UTF-8" in rejected["latin1.md"]
    assert "empty" in rejected["empty.md"]
    assert "already used by" in rejected["z-dupe.md"] and "good.md" in rejected["z-dupe.md"]
    assert "bad date" in rejected["bad-date.md"]
    assert "not PDF" in rejected["fake-pdf.md"]
    assert report.imported == 3
    slugs = set(db.session.scalars(select(Resource.slug)))
    assert slugs == {"good", "also-good", "with-bom"}
    assert db.session.scalar(select(Resource).where(Resource.slug == "good")).title == "Hiring Without Bias"


def test_reimport_is_an_upsert_not_a_duplicate(app, tmp_path):
    path = write(tmp_path, "r.md", resource_text(slug="r"))
    assert import_documents([path]).imported == 1
    again = import_documents([path])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 1)
    write(tmp_path, "r.md", resource_text(slug="r", title="A better title"))
    changed = import_documents([path])
    assert changed.updated == 1
    rows = db.session.scalars(select(Resource)).all()
    assert [(r.slug, r.title) for r in rows] == [("r", "A better title")]


def test_html_in_fields_is_kept_as_text_and_body_is_sanitised(app, tmp_path, client):
    path = write(tmp_path, "x.md", resource_text(
        slug="xss", title="'<script>alert(1)</script> {{ 7*7 }}'", topics="['<b>bold</b>']",
        body="Intro text.\n\n<script>alert(2)</script>\n\n[x](javascript:alert(3))\n\nOutro text."))
    assert not import_documents([path]).rejected
    html = client.get("/en/resources/xss").get_data(as_text=True)
    assert "<script>alert" not in html and "javascript:alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "Intro text." in html and "Outro text." in html


def test_attachments_are_stored_content_addressed_with_text(app, tmp_path):
    write(tmp_path, "files/checklist.txt", "Checklist: review your hiring panel.")
    write(tmp_path, "files/copy.txt", "Checklist: review your hiring panel.")
    write(tmp_path, "files/form.pdf", data=PDF)
    path = write(tmp_path, "r.md",
                 resource_text(slug="r", files="[files/checklist.txt, files/copy.txt, files/form.pdf]"))
    assert not import_documents([path]).rejected
    resource = db.session.scalar(select(Resource))
    names = [(a.filename, a.size, a.media_type) for a in resource.attachments]
    assert names[0] == ("checklist.txt", 36, "text/plain")
    assert resource.attachments[0].sha256 == resource.attachments[1].sha256
    assert "hiring panel" in resource.attachments[0].text
    blobs = [p for p in Path(app.config["FILES_DIR"]).rglob("*") if p.is_file()]
    assert len(blobs) == 2  # the same bytes are stored once


def test_export_then_import_into_an_empty_hub_gives_identical_resources(app, tmp_path):
    from tests.conftest import _make_app

    import_documents([app.config["CATALOGUE_DIR"]])
    out = tmp_path / "export"
    count = export_resources(out)
    before = _snapshot()
    assert count == len(before) >= 60

    other = _make_app(tmp_path / "other-data")
    with other.app_context():
        report = import_documents([out])
        assert not report.rejected, report.rejected[:3]
        assert report.imported == count
        after = _snapshot()
        db.session.remove()
    assert after == before


def _snapshot():
    fields = ("slug", "title", "type", "summary", "racism_types", "audiences", "topics", "language",
              "organization", "authors", "published", "region", "url", "access", "translation",
              "content_warning", "assessment", "body", "body_html", "checksum")
    rows = {}
    for r in db.session.scalars(select(Resource).where(Resource.status == "published")):
        rows[r.slug] = ({f: getattr(r, f) for f in fields},
                        [(a.filename, a.sha256, a.size, a.media_type, a.text) for a in r.attachments])
    return rows
