"""Zip bombs: a DOCX of about 1 MB whose text part inflates to gigabytes.
Reading its text used to grow the worker (or `hub import`) by 3 GB for 50 s.
Now the archive's directory is judged before anything is inflated, the text
is read as a stream with a ceiling, and the person is told that the file's
text is not searchable."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest

from hub.content.extract import MAX_CHARS, extract
from tests.conftest import resource_text
from tests.security.hostile import post_submission, submission_id

ROOT = Path(__file__).resolve().parents[2]
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
TAIL = b"</w:body></w:document>"


def _docx_with(document_xml_parts, *, declared_size: int | None = None) -> bytes:
    """A real DOCX whose word/document.xml is written from `document_xml_parts`
    (an iterable of byte chunks); `declared_size` makes the directory lie."""
    seed = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("seed")
    document.save(seed)
    source = zipfile.ZipFile(io.BytesIO(seed.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                with archive.open("word/document.xml", "w", force_zip64=True) as part:
                    for chunk in document_xml_parts:
                        part.write(chunk)
            else:
                archive.writestr(info, source.read(info.filename))
    data = out.getvalue()
    if declared_size is not None:
        data = _lie_about_size(data, "word/document.xml", declared_size)
    return data


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the central directory so `name` claims `size` uncompressed bytes."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(name)
    buf = bytearray(data)
    marker = buf.find(b"PK\x01\x02" + bytes(0), 0)
    while marker != -1:
        name_len = int.from_bytes(buf[marker + 28:marker + 30], "little")
        if bytes(buf[marker + 46:marker + 46 + name_len]).decode() == name:
            if int.from_bytes(buf[marker + 24:marker + 28], "little") != 0xFFFFFFFF:
                buf[marker + 24:marker + 28] = size.to_bytes(4, "little")
            break
        marker = buf.find(b"PK\x01\x02", marker + 4)
    assert info.file_size != size
    return bytes(buf)


def bomb(inflated: int) -> bytes:
    paragraph = b"<w:p><w:r><w:t>equity " + b"a" * 20_000 + b"</w:t></w:r></w:p>"
    block = paragraph * 50

    def parts():
        yield HEAD
        for _ in range(inflated // len(block)):
            yield block
        yield TAIL

    return _docx_with(parts())


@pytest.fixture(scope="module")
def bomb_150mb() -> bytes:
    return bomb(150_000_000)


def test_a_bomb_is_refused_before_inflating(bomb_150mb):
    assert len(bomb_150mb) < 400_000  # a few hundred kB on disk, 150 MB inflated
    result = extract(bomb_150mb, "report.docx")
    assert result.text == "" and result.skipped and "inflate" in result.skipped


def test_peak_memory_stays_bounded_for_a_bomb(tmp_path, bomb_150mb):
    """Measured in a child process: its peak resident memory while reading
    the bomb, against its peak before reading it."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb_150mb)
    script = textwrap.dedent(f"""
        import json, resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        from hub.content.extract import extract
        data = open({str(path)!r}, "rb").read()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = extract(data, "bomb.docx")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({{"grew_kb": after - before, "skipped": result.skipped}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["skipped"]
    assert figures["grew_kb"] < 50_000, figures


def test_a_directory_that_lies_about_sizes_cannot_inflate_past_the_ceiling():
    paragraph = b"<w:p><w:r><w:t>equity " + b"b" * 5_000 + b"</w:t></w:r></w:p>"
    data = _docx_with([HEAD, paragraph * 4_000, TAIL], declared_size=1_000)
    result = extract(data, "liar.docx")  # zipfile stops at the declared size: no text, no crash
    assert len(result.text) <= MAX_CHARS


def test_text_is_read_with_a_cap_and_in_document_order():
    paragraphs = [f"<w:p><w:r><w:t>paragraph {i} {'équité ' * 20}</w:t></w:r></w:p>".encode()
                  for i in range(5_000)]
    data = _docx_with([HEAD, *paragraphs, TAIL])
    result = extract(data, "long.docx")
    assert result.skipped is None
    assert result.text.startswith("paragraph 0 équité") and "paragraph 1 " in result.text
    assert len(result.text) <= MAX_CHARS and "paragraph 4999" not in result.text


def test_uploading_a_bomb_says_its_text_is_not_searchable(client, make_user, login_as, bomb_150mb):
    login_as(make_user("member"))
    response = post_submission(client, action="save", files=(io.BytesIO(bomb_150mb), "report.docx"),
                               content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/en/submit/{submission_id(response)}").get_data(as_text=True)
    assert "report.docx" in page and "will not be searchable" in page


def test_hub_import_reports_the_bomb_and_imports_the_rest(app, runner, tmp_path, bomb_150mb):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "report.docx").write_bytes(bomb_150mb)
    (tmp_path / "bombed.md").write_text(resource_text(slug="bombed", files="[files/report.docx]"),
                                        encoding="utf-8")
    result = runner.invoke(args=["hub", "import", str(tmp_path / "bombed.md")])
    assert result.exit_code == 0, result.output
    assert "report.docx is not indexed" in result.output and "imported 1" in result.output
    from hub.extensions import db
    from hub.models import Attachment
    attachment = db.session.query(Attachment).filter_by(filename="report.docx").one()
    assert attachment.text == ""
