"""Attachments: what a file really is (by its bytes, never its name), whether a
path stays inside its resource's folder, and safe names for downloads."""
from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

#: Extension -> (format name, media type)
FORMATS = {
    "pdf": ("PDF", "application/pdf"),
    "docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "txt": ("TXT", "text/plain"),
    "png": ("PNG", "image/png"),
    "jpg": ("JPEG", "image/jpeg"),
    "jpeg": ("JPEG", "image/jpeg"),
}
ALLOWED = "PDF, DOCX, TXT, PNG or JPEG"


def sniff(data: bytes) -> str | None:
    """The format the bytes are, or a description of what they are instead."""
    if data.startswith(b"%PDF-"):
        return "PDF"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "a damaged ZIP archive"
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "DOCX"
        return "a ZIP archive"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "binary data"
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return "binary data"
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype html", "<html", "<svg", "<?xml")) or "<script" in head:
        return "HTML or XML"
    return "TXT"


def check_content(name: str, data: bytes) -> str | None:
    """None when the bytes are the allowed format the name says; else the reason."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FORMATS:
        return f"{name}: attachments must be {ALLOWED} (the name ends in '.{ext}')" if ext else \
            f"{name}: an attachment's name must end in .pdf, .docx, .txt, .png or .jpg"
    expected = FORMATS[ext][0]
    found = sniff(data)
    if found != expected:
        return f"{name} is named .{ext} but its content is {found}, not {expected}"
    return None


def media_type(name: str) -> str:
    return FORMATS.get(name.rsplit(".", 1)[-1].lower(), ("", "application/octet-stream"))[1]


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_filename(name: str, max_length: int = 120) -> str:
    """A name safe to store and offer for download: no path parts, no control
    characters, bounded length, extension kept."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE.sub("-", name).strip(" .-") or "file"
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: max_length - len(ext) - 1].rstrip(" .-") + "." + ext
        else:
            name = name[:max_length]
    return name


def resolve_inside(base_dir: Path, entry: object) -> tuple[Path | None, str | None]:
    """Resolve a front-matter ``files:`` entry inside ``base_dir``.

    Returns (path, None) or (None, reason). Refuses absolute paths, ``..``,
    backslashes and symbolic links at any level, so an import never reads
    outside the resource's folder.
    """
    if not isinstance(entry, str) or not entry.strip():
        return None, f"files entry {entry!r} must be a relative path"
    if "\\" in entry or "\x00" in entry:
        return None, f"files entry '{entry}' must use '/' and plain characters"
    rel = PurePosixPath(entry)
    if rel.is_absolute() or re.match(r"^[A-Za-z]:", entry):
        return None, f"files entry '{entry}' is an absolute path; give a path relative to the resource file"
    if ".." in rel.parts:
        return None, f"files entry '{entry}' climbs out of the resource's folder with '..'"
    base = Path(os.path.realpath(base_dir))
    current = base
    for part in rel.parts:
        if part in ("", "."):
            continue
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            return None, f"attachment '{entry}' not found"
        except OSError as exc:
            return None, f"attachment '{entry}' cannot be read ({exc.strerror})"
        if stat.S_ISLNK(st.st_mode):
            return None, f"attachment '{entry}' is a symbolic link; copy the file itself"
    if not stat.S_ISREG(os.lstat(current).st_mode):
        return None, f"attachment '{entry}' is not a regular file"
    if os.path.commonpath([str(base), os.path.realpath(current)]) != str(base):
        return None, f"attachment '{entry}' is outside the resource's folder"
    return current, None
