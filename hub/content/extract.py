"""Text from attachments, so search finds words inside a PDF, DOCX or TXT.

A damaged file yields no text rather than an error: the attachment is still
worth offering for download.
"""
from __future__ import annotations

import io
import logging
import warnings

log = logging.getLogger(__name__)
MAX_CHARS = 400_000
MAX_PDF_PAGES = 300


def extract_text(data: bytes, filename: str) -> str:
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
                return ""
    except Exception as exc:  # noqa: BLE001 - any parser failure means "no text", never a crash
        log.warning("no text extracted from %s: %s", filename, exc)
        return ""
    return text[:MAX_CHARS]


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    parts = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_CHARS:
            break
    return "\n".join(parts).strip()


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(p for p in parts if p.strip())


def _txt(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
