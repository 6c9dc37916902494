"""What can go wrong with a catalog: one family, so callers catch CatalogError."""

from __future__ import annotations

from pathlib import Path


class CatalogError(Exception):
    """A catalog cannot be read or written as asked."""


class CatalogNotFound(CatalogError, LookupError):
    """No catalog for this language: not an edition of the site, or no file yet."""


class CatalogSyntaxError(CatalogError):
    """A catalog is not valid PO syntax (writing it back would silently drop text)."""

    def __init__(self, path: Path | str, line: int, detail: str) -> None:
        super().__init__(f"{path}:{line}: {detail}")
        self.path, self.line, self.detail = Path(path), line, detail


class CatalogConflict(CatalogError):
    """A catalog kept changing on disk while being rewritten; nothing was written."""


class EntryNotFound(CatalogError, LookupError):
    """No live entry with this msgctxt and msgid in the catalog."""


class StaleEntry(CatalogError):
    """The entry changed since the client read it (its hash differs): reload, then retry."""
