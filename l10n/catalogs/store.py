"""Safe catalog writes: atomic, and never over someone else's save.

A write replaces the file atomically, and only if the file is still what was read; otherwise
the operation is applied again to what is on disk now, so a translator's save is merged,
never overwritten. Every write goes through `pofile.Document`, so only the entries an
operation changes get new lines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n.atomic import write_atomic
from l10n.catalogs.errors import CatalogConflict, CatalogNotFound
from l10n.catalogs.pofile import Document, decode


@dataclass(frozen=True)
class Snapshot:
    text: str | None  # None: there is no file yet
    digest: str | None


def snapshot(path: Path) -> Snapshot:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Snapshot(None, None)
    return Snapshot(decode(data, path), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Written:
    """What a command did to one file."""

    path: Path
    action: str  # "created", "updated", "unchanged", "compiled"
    messages: int = 0


def _unchanged(path: Path, digest: str | None) -> Callable[[], bool]:
    return lambda: snapshot(path).digest == digest


def rewrite(path: Path, transform: Callable[[str | None], str], attempts: int = 5) -> bool:
    """Replace `path` by `transform(current text)`; True if the file changed.

    Optimistic concurrency: the file's hash is taken when it is read and checked again just
    before the rename, under a lock. If someone saved the file in between (a translator in
    Poedit, another process), the write is dropped and `transform` runs again on the new
    content: replaying our change on theirs is exact here because every operation is defined
    entry by entry on the file it is given ("fill the entries that are still empty", "merge
    with the template", "set this entry if its hash is still H"). After `attempts` the file
    is left as it is and CatalogConflict says so.
    """
    for _ in range(attempts):
        before = snapshot(path)
        after = transform(before.text)
        if after == before.text:
            return False
        if write_atomic(path, after.encode("utf-8"), _unchanged(path, before.digest)):
            return True
    raise CatalogConflict(f"{path}: changed on disk {attempts} times while being rewritten; "
                          "nothing was written, run the command again")


def edit_catalog(path: Path, edit: Callable[[polib.POFile], None]) -> bool:
    """Apply `edit` to the catalog at `path` (a polib POFile, changed in place) and write
    back only the entries it changed, atomically; True if the file changed.

    `edit` may run more than once (when the file changes on disk meanwhile it is applied
    again to the new content), so it must decide from the POFile it is given, e.g. "fill
    this entry if it is still empty". Refuses (CatalogSyntaxError) to rewrite a file that
    is not valid PO syntax, since that would drop text.
    """
    path = Path(path)

    def transform(text: str | None) -> str:
        if text is None:
            raise CatalogNotFound(f"{path}: no such catalog")
        document = Document(text, path)
        edit(document.po)
        return document.text()
    return rewrite(path, transform)
