"""Document files through the article pipeline: one path for /v1, LibreTranslate and DeepL.

A file is read by its format's reader (registry.FILE_FORMATS) into parts, the parts travel as
the captions of one article (independent fields, all in one engine call per target, with the
translation memory, the names glossary and the QA checks of any article), and the file is
rebuilt around their translations. The QA report names each flagged sentence by its place in
the file ("word/document.xml paragraph 4", "cue 12").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from l10n.config import Settings
from l10n.errors import InputError, TooLarge
from l10n.localise.glossary import Glossary
from l10n.markup.archive import Limits
from l10n.markup.parts import Parts
from l10n.markup.registry import FILE_FORMATS, FileFormat, file_format
from l10n.translate.article import Article
from l10n.translate.pipeline import Pipeline, SourceInfo


@dataclass(frozen=True)
class Flagged:
    part: str
    source: str
    translation: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class TranslatedDocument:
    data: bytes
    filename: str
    media_type: str
    source: SourceInfo
    target: str
    chars: int
    segments: int
    flagged: tuple[Flagged, ...]


@dataclass(frozen=True)
class OpenedDocument:
    """A file read and checked, ready to be translated once (rebuilding consumes it)."""

    filename: str
    format: FileFormat
    parts: Parts

    @property
    def chars(self) -> int:
        return sum(len(text) for text in self.parts.texts)


def supported() -> list[str]:
    return list(FILE_FORMATS)


def extension(filename: str) -> str:
    return PurePosixPath(filename).suffix.lower()


def limits(settings: Settings) -> Limits:
    return Limits(settings.document_max_unpacked, settings.document_max_entries,
                  settings.document_max_ratio)


def open_document(data: bytes, filename: str, settings: Settings) -> OpenedDocument:
    found = file_format(filename)
    if found is None:
        raise InputError(f"{filename!r}: unsupported file format (supported: "
                         f"{', '.join(FILE_FORMATS)})", code="unsupported_format", field="file")
    if not data:
        raise InputError("the file is empty", code="empty_text", field="file")
    if len(data) > settings.max_body_bytes:
        raise TooLarge(f"the file has {len(data)} bytes; the limit is {settings.max_body_bytes}")
    doc = OpenedDocument(filename, found, found.read(data, limits(settings)))
    if doc.chars > settings.max_chars:
        raise TooLarge(f"the document has {doc.chars} characters of text; the limit is "
                       f"{settings.max_chars}")
    return doc


def translate_document(doc: OpenedDocument, source: str, target: str, pipeline: Pipeline,
                       glossary: Glossary | None = None) -> TranslatedDocument:
    parts = doc.parts
    if not "".join(parts.texts).strip():
        raise InputError("the document has no text to translate", code="empty_text")
    article = Article(captions=parts.texts, source=source, targets=(target,), format=parts.format)
    result = pipeline.translate_article(article, glossary=glossary)
    edition = result.editions[target]
    data = parts.rebuild([edition.get(f"captions.{i}") for i in range(len(parts.texts))])
    flagged = tuple(Flagged(parts.labels[int(s.field.split(".")[1])], s.source, s.translation,
                            s.flags) for s in edition.flagged)
    return TranslatedDocument(data, doc.filename, doc.format.media_type, result.source, target,
                              doc.chars, edition.segments, flagged)
