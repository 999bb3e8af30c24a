"""Content-addressed blob storage under ``HUB_DATA_DIR/files``: the same bytes
are stored once, whatever they are called and however many resources use them."""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


def blob_path(files_dir: str | Path, sha256: str) -> Path:
    return Path(files_dir) / sha256[:2] / sha256


def store_blob(files_dir: str | Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(files_dir, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())  # the bytes are on disk before any row names them
            os.replace(tmp, path)
        except BaseException:
            # A full or failing disk: leave no half file taking the space that is left.
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    return digest
