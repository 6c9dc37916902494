"""A word-processor paragraph as inline HTML, so that its runs travel like HTML marks.

DOCX and ODT paragraphs are sequences of runs, each with its formatting (bold, a character
style...), some inside hyperlinks. A paragraph is translated as one text, so the model sees
whole sentences, with each formatted run as a `<span data-s="k">` and each hyperlink as an
`<a data-l="k">` around its words: the HTML pipeline (inline.py) places those marks on the
translated words like any other inline markup. Text in the paragraph's most common formatting
is left bare, so most text carries no mark at all. Reading the translated markup back gives
the pieces with the style and link of the mark each word ended up in.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class Piece:
    text: str
    style: int | None = None  # a formatting of the paragraph; None: its plain formatting
    link: int | None = None  # a hyperlink of the paragraph; None: not in a link


def merged(pieces: list[Piece]) -> list[Piece]:
    """Neighbours with the same style and link as one piece (Word splits runs at will)."""
    out: list[Piece] = []
    for key, group in itertools.groupby(pieces, key=lambda p: (p.style, p.link)):
        text = "".join(p.text for p in group)
        if text:
            out.append(Piece(text, *key))
    return out


def to_markup(pieces: list[Piece]) -> str:
    out = []
    for link, in_link in itertools.groupby(merged(pieces), key=lambda p: p.link):
        inner = "".join(html.escape(p.text, quote=False) if p.style is None
                        else f'<span data-s="{p.style}">{html.escape(p.text, quote=False)}</span>'
                        for p in in_link)
        out.append(inner if link is None else f'<a data-l="{link}">{inner}</a>')
    return "".join(out)


def from_markup(markup: str) -> list[Piece]:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return merged(reader.pieces)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[Piece] = []
        self.stack: list[tuple[str, int | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "span"):
            value = dict(attrs).get("data-l" if tag == "a" else "data-s")
            self.stack.append((tag, int(value) if value and value.isdigit() else None))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        style = next((v for t, v in reversed(self.stack) if t == "span"), None)
        link = next((v for t, v in reversed(self.stack) if t == "a"), None)
        self.pieces.append(Piece(data, style, link))


def plain_markup(text: str) -> str:
    """A text node translated on its own (a paragraph too complex to rebuild), as HTML."""
    return html.escape(text, quote=False)


def plain_text(markup: str) -> str:
    return "".join(p.text for p in from_markup(markup))
