"""Translated files kept for download: an id, a secret key, a bounded retention.

LibreTranslate answers `/translate_file` with a URL to fetch the result from, DeepL answers
`/v2/document` with an id and a key to poll and download with, /v1/documents with an id: all
three keep the file here, under `<data_dir>/documents/`. Each entry is the file and a JSON
description, both written atomically (the description last, so an entry that is listed is
complete). Entries older than `L10N_DOCUMENT_RETENTION` seconds are deleted whenever a new one
is stored. Ids and keys are random (128 bits), so a URL cannot be guessed from another one.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from l10n.atomic import write_atomic

_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Stored:
    id: str
    key: str
    meta: dict[str, Any]


class FileStore:
    def __init__(self, root: Path, retention: int) -> None:
        self.root = root
        self.retention = retention

    def put(self, data: bytes, meta: dict[str, Any]) -> Stored:
        self.sweep()
        stored = Stored(secrets.token_hex(16), secrets.token_hex(16),
                        {**meta, "created": time.time()})
        write_atomic(self.root / f"{stored.id}.bin", data)
        write_atomic(self.root / f"{stored.id}.json",
                     json.dumps({"key": stored.key, **stored.meta}, ensure_ascii=False))
        return stored

    def get(self, file_id: str, key: str | None = None) -> Stored | None:
        """The entry, if it exists, has not expired and (when `key` is given) the key matches."""
        if not _ID.fullmatch(file_id):
            return None
        try:
            meta = json.loads((self.root / f"{file_id}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        if time.time() - meta["created"] > self.retention:
            return None
        stored_key = meta.pop("key")
        if key is not None and not hmac.compare_digest(stored_key, key):
            return None
        return Stored(file_id, stored_key, meta)

    def read(self, stored: Stored) -> bytes:
        return (self.root / f"{stored.id}.bin").read_bytes()

    def update(self, stored: Stored, **changes: Any) -> None:
        meta = {"key": stored.key, **stored.meta, **changes}
        write_atomic(self.root / f"{stored.id}.json", json.dumps(meta, ensure_ascii=False))

    def sweep(self) -> None:
        if not self.root.is_dir():
            return
        cutoff = time.time() - self.retention
        for path in self.root.glob("*.json"):
            with contextlib.suppress(OSError, ValueError, KeyError):
                if json.loads(path.read_text(encoding="utf-8"))["created"] < cutoff:
                    path.unlink()
                    path.with_suffix(".bin").unlink(missing_ok=True)


def attachment(name: str) -> str:
    """A Content-Disposition that downloads under the original name, whatever its letters."""
    return f"attachment; filename*=UTF-8''{quote(name)}"


def file_store() -> FileStore:
    """The app's store, made once (settings are fixed for the app's life)."""
    from flask import current_app

    from l10n.web.context import services

    if EXTENSION not in current_app.extensions:
        settings = services().settings
        current_app.extensions[EXTENSION] = FileStore(settings.data_dir / "documents",
                                                      settings.document_retention)
    found: FileStore = current_app.extensions[EXTENSION]
    return found


EXTENSION = "l10n.files"
