"""Text from attachments, so search finds words inside a PDF, DOCX or TXT.

A damaged file yields no text rather than an error: the attachment is still
worth offering for download. A file whose text would cost too much to read
(a "zip bomb": a 1 MB DOCX that inflates to 1 GB) yields no text either, and
says why, so the submission or import can tell the person its text was not
indexed. Reading never holds more than a few megabytes of a file's text.
"""
from __future__ import annotations

import io
import logging
import warnings
import zipfile
from dataclasses import dataclass

from lxml import etree

from hub.textclean import clean_text

log = logging.getLogger(__name__)
MAX_CHARS = 400_000
MAX_PDF_PAGES = 300
#: A DOCX is a zip archive. Real ones hold tens of parts, inflate to a few
#: times their size and have a main text part of at most a few megabytes.
MAX_ZIP_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 100_000_000
MAX_RATIO = 150
MAX_DOCUMENT_XML_BYTES = 40_000_000
CHUNK = 64 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class TooCostly(Exception):
    """The file's text would take too much memory or time to read."""


@dataclass
class Extracted:
    text: str
    #: Why the file's text was not read (None when it was, or the type has none).
    skipped: str | None = None


def extract(data: bytes, filename: str) -> Extracted:
    ext = filename.rsplit(".", 1)[-1].lower()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if ext == "pdf":
                text = _pdf(data)
            elif ext == "docx":
                text = _docx(data)
            elif ext == "txt":
                text = _txt(data)
            else:
                return Extracted("")
    except TooCostly as exc:
        log.warning("text of %s not read: %s", filename, exc)
        return Extracted("", skipped=str(exc))
    except Exception as exc:  # noqa: BLE001 - any parser failure means "no text", never a crash
        log.warning("no text extracted from %s: %s", filename, exc)
        return Extracted("")
    return Extracted(clean_text(text[:MAX_CHARS]))


def extract_text(data: bytes, filename: str) -> str:
    return extract(data, filename).text


def docx_hazard(data: bytes) -> str | None:
    """Why a DOCX's text would not be read (None when it would), judged from
    its zip directory alone, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive)
    except TooCostly as exc:
        return str(exc)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise TooCostly(f"the archive holds {len(entries):,} parts (at most {MAX_ZIP_ENTRIES:,})")
    declared = sum(e.file_size for e in entries)
    if declared > MAX_UNPACKED_BYTES:
        raise TooCostly(f"it would inflate to {declared:,} bytes (at most {MAX_UNPACKED_BYTES:,})")
    for entry in entries:
        if entry.file_size > 1_000_000 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise TooCostly(f"part {entry.filename} inflates {entry.file_size // max(entry.compress_size, 1):,}"
                            f" times (at most {MAX_RATIO})")


def _pdf(data: bytes) -> str:
    """pypdf refuses by itself any stream that inflates past 75 MB; the page
    count and the text are bounded here."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_CHARS:
            break
    return "\n".join(parts).strip()


def _docx(data: bytes) -> str:
    """The words of word/document.xml, in document order, read as a stream:
    the archive's directory is checked first (declared sizes and ratio), then
    the part is inflated a chunk at a time with a ceiling on the bytes
    actually produced (declared sizes can lie) and parsed incrementally, each
    finished paragraph dropped from memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_archive(archive)
        parser = etree.XMLPullParser(events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
                                     huge_tree=False)
        parts: list[str] = []
        paragraph: list[str] = []
        size = inflated = 0
        with archive.open("word/document.xml") as stream:
            while size <= MAX_CHARS:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                inflated += len(chunk)
                if inflated > MAX_DOCUMENT_XML_BYTES:
                    raise TooCostly(f"its text part inflates past {MAX_DOCUMENT_XML_BYTES:,} bytes")
                parser.feed(chunk)
                for _event, element in parser.read_events():
                    tag = element.tag
                    if tag == W + "t":
                        paragraph.append(element.text or "")
                    elif tag == W + "tab":
                        paragraph.append("\t")
                    elif tag in (W + "br", W + "cr"):
                        paragraph.append("\n")
                    elif tag == W + "p":
                        text = "".join(paragraph)
                        paragraph = []
                        if text.strip():
                            parts.append(text)
                            size += len(text) + 1
                    # What is read is dropped, with the empty siblings before it.
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
    return "\n".join(parts)


def _txt(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
