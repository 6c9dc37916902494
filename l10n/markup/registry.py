"""Documents in the article formats, reduced to translatable units and rebuilt around them.

A document is what a field of an article becomes once parsed: `units`, the sentences the
engine must translate (with their inline marks), and `render(place)`, which rebuilds the
field from `place(i, unit)`, the translated markup of each unit. Every byte that is not part
of a unit is kept as it was.
"""

from __future__ import annotations

from collections.abc import Callable
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


def parse_document(text: str, fmt: str, language: str) -> Document:
    if fmt == "text":
        return PlainDocument(text, language)
    if fmt == "markdown":
        return MarkdownDocument(text, language)
    if fmt == "html":
        return HtmlDocument(text, language)
    raise ValueError(f"unknown format {fmt!r}")


def escaper(fmt: str) -> Callable[[str], str]:
    """How translated text is written into a document of this format."""
    return escape_text if fmt == "html" else (lambda text: text)


def structure(fmt: str, text: str) -> object:
    """What a field's markup must keep through translation, in a comparable form: the
    tag_mismatch check compares a source's structure (computed once) with each edition's."""
    if fmt == "html":
        return tag_sequence(text)
    if fmt == "markdown":
        return _markdown_shape(text)
    return None


def _markdown_shape(text: str) -> tuple[list[tuple[str, str]], list[int]]:
    """The inline marks, and the count of each Markdown-significant character (a stray `*`
    from the model changes the count even when it pairs with nothing)."""
    doc = MarkdownDocument(text, "en")
    return ([(m.open, m.close) for u in doc.units for m in u.marks],
            [text.count(ch) for ch in "*_~`[]"])
