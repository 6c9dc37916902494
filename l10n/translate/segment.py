"""Cut text into the units the engine translates, and put the translations back.

Models translate sentences; articles arrive as paragraphs. `split_text` turns a text into a
sequence of pieces that are either a sentence to translate or material kept verbatim (the
whitespace between sentences, paragraph breaks, lines with no letters). Joining the pieces
back, with translations in place of the sentences, keeps every break and space exactly.
Sentence boundaries come from sentencex (Wikimedia's rule-based segmenter: abbreviations,
numbers, quotes per language).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sentencex import segment as _sentencex

_LINE_BREAKS = re.compile(r"(\s*\n\s*)")
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


@dataclass(frozen=True)
class Piece:
    text: str
    translatable: bool


def has_words(text: str) -> bool:
    """Whether a piece is worth sending to the engine (whitespace, digits, dashes are not)."""
    return any(ch.isalpha() for ch in text)


def sentences(text: str, language: str) -> list[str]:
    """sentencex's sentences, joined back where a boundary is not followed by whitespace
    (it cuts "Pravda.Ru" and "example.org" otherwise); together they are exactly `text`."""
    out: list[str] = []
    for sentence in _sentencex(language, text):
        if out and not out[-1][-1:].isspace():
            out[-1] += sentence
        else:
            out.append(sentence)
    return out if "".join(out) == text else [text]


def split_sentences(text: str, language: str) -> list[Piece]:
    """One line of text → sentences and the whitespace around them."""
    pieces: list[Piece] = []
    for sentence in sentences(text, language):
        lead, body, trail = _EDGES.match(sentence).groups()
        for part, translatable in ((lead, False), (body, has_words(body)), (trail, False)):
            if part:
                pieces.append(Piece(part, translatable))
    return _merged(pieces)


def split_text(text: str, language: str) -> list[Piece]:
    """A plain text (paragraphs, lines) → pieces; `join_pieces` reverses it exactly."""
    pieces: list[Piece] = []
    for index, part in enumerate(_LINE_BREAKS.split(text)):
        if index % 2:  # a run of whitespace holding line breaks
            pieces.append(Piece(part, False))
        elif part:
            pieces.extend(split_sentences(part, language))
    return _merged(pieces)


def join_pieces(pieces: Iterable[Piece], translations: Iterable[str]) -> str:
    """Rebuild the text, taking the next translation for each translatable piece."""
    supply: Iterator[str] = iter(translations)
    return "".join(next(supply) if p.translatable else p.text for p in pieces)


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Fuse neighbouring verbatim pieces so that callers see one separator between units."""
    out: list[Piece] = []
    for piece in pieces:
        if out and not piece.translatable and not out[-1].translatable:
            out[-1] = Piece(out[-1].text + piece.text, False)
        else:
            out.append(piece)
    return out
