"""Text files (.txt, .html, .md): the whole file is one part in its article format.

Files are read as UTF-8 (a byte-order mark is dropped and put back); anything else is refused
rather than guessed, so that no character is silently changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from l10n.errors import InputError
from l10n.markup.archive import Limits
from l10n.markup.parts import Parts, Reader

BOM = "\ufeff"


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the file is not UTF-8 text (byte {exc.start})",
                         code="invalid_document") from None


def _read(fmt: str, data: bytes, limits: Limits) -> Parts:
    text = decode(data)
    bom = BOM if text.startswith(BOM) else ""

    def rebuild(translations: Sequence[str]) -> bytes:
        return (bom + translations[0]).encode("utf-8")

    return Parts(fmt, (text[len(bom):],), ("text",), rebuild)


def reader(fmt: str) -> Reader:
    return partial(_read, fmt)
