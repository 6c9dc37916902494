"""Documents in the article formats, reduced to translatable units and rebuilt around them.

A document is what a field of an article becomes once parsed: `units`, the sentences the
engine must translate (with their inline marks), and `render(place)`, which rebuilds the
field from `place(i, unit)`, the translated markup of each unit. Every byte that is not part
of a unit is kept as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from l10n.markup.html import HtmlDocument, escape_text, tag_sequence
from l10n.markup.inline import Placed, Unit
from l10n.markup.markdown import MarkdownDocument
from l10n.translate.segment import Piece, split_text

Place = Callable[[int, Unit], Placed]


class Document(Protocol):
    units: list[Unit]

    def render(self, place: Place) -> str: ...


class PlainDocument:
    def __init__(self, text: str, language: str) -> None:
        self.pieces: list[Piece] = split_text(text, language)
        self.units = [Unit(p.text) for p in self.pieces if p.translatable]

    def render(self, place: Place) -> str:
        out, index = [], 0
        for piece in self.pieces:
            if piece.translatable:
                out.append(place(index, self.units[index]).text)
                index += 1
            else:
                out.append(piece.text)
        return "".join(out)


@dataclass(frozen=True)
class Format:
    """An article format: how a field in it is parsed, written and compared."""

    name: str
    description: str  # for the API document and docs
    document: Callable[[str, str], Document]  # (text, language) -> its units
    escape: Callable[[str], str]  # how translated text is written into it
    structure: Callable[[str], object]  # what translation must keep (tag_mismatch)


def _plain(text: str) -> str:
    return text


def _no_structure(text: str) -> object:
    return None


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("text", "plain text: paragraphs separated by blank lines", PlainDocument, _plain,
           _no_structure),
    Format("markdown", "CommonMark, with tables and strikethrough", MarkdownDocument, _plain,
           lambda text: _markdown_shape(text)),
    Format("html", "an HTML fragment; tags and attributes are kept", HtmlDocument,
           escape_text, tag_sequence),
)}
NAMES: tuple[str, ...] = tuple(FORMATS)


def get(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}") from None


def parse_document(text: str, fmt: str, language: str) -> Document:
    return get(fmt).document(text, language)


def escaper(fmt: str) -> Callable[[str], str]:
    """How translated text is written into a document of this format."""
    return get(fmt).escape


def structure(fmt: str, text: str) -> object:
    """What a field's markup must keep through translation, in a comparable form: the
    tag_mismatch check compares a source's structure (computed once) with each edition's."""
    return get(fmt).structure(text)


def translatable_chars(text: str, fmt: str) -> int:
    """The characters of `text` the engine would translate: markup does not count toward
    L10N_MAX_CHARS (L10N_MAX_BODY_BYTES bounds the whole body). Plain text counts whole."""
    if fmt == "text":
        return len(text)
    return sum(len(unit.text) for unit in parse_document(text, fmt, "en").units)


def _markdown_shape(text: str) -> tuple[list[tuple[str, str]], list[int]]:
    """The inline marks, and the count of each Markdown-significant character (a stray `*`
    from the model changes the count even when it pairs with nothing)."""
    doc = MarkdownDocument(text, "en")
    return ([(m.open, m.close) for u in doc.units for m in u.marks],
            [text.count(ch) for ch in "*_~`[]"])
