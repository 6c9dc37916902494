"""Zip containers (DOCX, ODT) read without trusting them, and written back entry for entry.

An uploaded office file is a zip of XML parts, and a zip can lie: a few kilobytes may unpack
to gigabytes (a zip bomb), or hold a million entries. Before anything is decompressed the
central directory is checked against the limits (entry count, total declared size, the
compression ratio of each entry); while decompressing, each entry is read at most one byte
past its declared size, so an entry that lies about its size is caught rather than believed.

XML parts are parsed by lxml with entities left unresolved, no network and no DTD; a part that
declares a DOCTYPE is refused outright (OOXML and ODF never do, and it is how entity bombs
start).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from l10n.errors import InputError, TooLarge

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_blank_text=False)


@dataclass(frozen=True)
class Limits:
    max_unpacked: int  # bytes, all entries together
    max_entries: int
    max_ratio: int  # uncompressed / compressed, per entry (small entries exempt)


class Archive:
    """The entries of a checked zip, in their order, with their original zip headers."""

    def __init__(self, data: bytes, limits: Limits, kind: str) -> None:
        try:
            source = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError):
            raise InputError(f"the file is not a valid {kind} (not a zip container)",
                             code="invalid_document") from None
        with source:
            infos = source.infolist()
            _check(infos, limits)
            self.infos = infos
            self.parts: dict[str, bytes] = {info.filename: _read(source, info) for info in infos}

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.parts[name], name)

    def replace(self, name: str, root: etree._Element) -> None:
        self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)

    def to_bytes(self) -> bytes:
        """The container again: every entry in its place with its compression (ODF's
        `mimetype` first and stored, as the format requires)."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in self.infos:
                target.writestr(info, self.parts[info.filename], compress_type=info.compress_type)
        return out.getvalue()


def parse_xml(data: bytes, name: str) -> etree._Element:
    if b"<!DOCTYPE" in data[:4096].upper():
        raise InputError(f"{name}: a DOCTYPE is not allowed in a document part",
                         code="invalid_document")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: not well-formed XML ({exc})", code="invalid_document") from None


def _check(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise TooLarge(f"the document has {len(infos)} zip entries; the limit is "
                       f"{limits.max_entries}")
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked:
        raise TooLarge(f"the document unpacks to {total} bytes; the limit is {limits.max_unpacked}")
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > limits.max_ratio * max(
                1, info.compress_size):
            raise TooLarge(f"{info.filename}: compressed more than {limits.max_ratio} to 1 "
                           "(a zip bomb?)")


def _read(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with source.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:  # bad CRC, encrypted
        raise InputError(f"{info.filename}: unreadable zip entry ({exc})",
                         code="invalid_document") from None
    if len(data) > info.file_size:
        raise TooLarge(f"{info.filename}: unpacks to more than its declared size")
    return data
