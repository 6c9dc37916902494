"""Cut text into the units the engine translates, and put the translations back.

Models translate sentences; articles arrive as paragraphs. `split_text` turns a text into a
sequence of pieces that are either a sentence to translate or material kept verbatim (the
whitespace between sentences, paragraph breaks, lines with no letters). Joining the pieces
back, with translations in place of the sentences, keeps every break and space exactly.
Sentence boundaries come from sentencex (Wikimedia's rule-based segmenter: abbreviations,
numbers, quotes per language).

An ICU plural/select argument (`{count, plural, one {# item} other {# items}}`) is cut into
its skeleton, kept verbatim, and the texts of its cases, each translated on its own: the
structure survives whatever the model does, and each case reads as a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sentencex import segment as _sentencex

from l10n.translate.protect import ICU_HEAD, icu_blocks

_LINE_BREAKS = re.compile(r"(\s*\n\s*)")
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)
_CASE = re.compile(r"\s*(?:offset:\s*\d+\s*)?(?:=\d+|[\w-]+)\s*\{")  # `one {`, `=0 {`
_SIMPLE = re.compile(r"\{[^{}]*\}")  # a simple argument inside a case: `{name}`
_CLOSE = re.compile(r"\s*\}")


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
        edges = _EDGES.match(sentence)
        assert edges is not None  # the pattern matches any string
        lead, body, trail = edges.groups()
        for part, translatable in ((lead, False), (body, has_words(body)), (trail, False)):
            if part:
                pieces.append(Piece(part, translatable))
    return _merged(pieces)


def split_text(text: str, language: str) -> list[Piece]:
    """A plain text (paragraphs, lines) → pieces; `join_pieces` reverses it exactly."""
    pieces: list[Piece] = []
    done = 0
    for start, end in icu_blocks(text):
        icu = _icu_pieces(text[start:end], language)
        if icu is not None:  # a malformed one stays text: protect.py keeps it whole
            pieces += _lines(text[done:start], language) + icu
            done = end
    return _merged(pieces + _lines(text[done:], language))


def _icu_pieces(block: str, language: str) -> list[Piece] | None:
    """An ICU argument → verbatim skeleton and translatable case texts; None if malformed.
    Iterative: nested arguments (a select inside a plural case) cost no recursion."""
    pieces: list[Piece] = []
    depth, i, text_start = 0, 0, 0

    def case_text(end: int) -> None:
        if has_words(block[text_start:end]):
            pieces.extend(split_sentences(block[text_start:end], language))
        elif end > text_start:
            pieces.append(Piece(block[text_start:end], False))

    while i < len(block):
        head = ICU_HEAD.match(block, i)
        if head:
            case = _CASE.match(block, head.end())
            if case is None:
                return None
            case_text(i)
            pieces.append(Piece(block[i:case.end()], False))
            depth, i = depth + 1, case.end()
            text_start = i
        elif block[i] == "{":
            simple = _SIMPLE.match(block, i)
            if simple is None:
                return None
            i = simple.end()
        elif block[i] == "}":  # a case ends: another case follows, or the argument ends
            case_text(i)
            case = _CASE.match(block, i + 1)
            close = None if case else _CLOSE.match(block, i + 1)
            if case is None and close is None:
                return None
            end = case.end() if case else close.end()  # type: ignore[union-attr]
            pieces.append(Piece(block[i:end], False))
            depth -= 0 if case else 1
            i = text_start = end
            if depth == 0:
                return pieces if i == len(block) else None
        else:
            i += 1
    return None


def _lines(text: str, language: str) -> list[Piece]:
    pieces: list[Piece] = []
    for index, part in enumerate(_LINE_BREAKS.split(text)):
        if index % 2:  # a run of whitespace holding line breaks
            pieces.append(Piece(part, False))
        elif part:
            pieces.extend(split_sentences(part, language))
    return pieces


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
