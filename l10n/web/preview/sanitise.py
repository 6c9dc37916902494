"""Article text as safe HTML: rendered from its format, sanitised by nh3 with an allow-list,
and glossary names marked on the text nodes of the sanitised tree (never by replacing strings
in HTML), so nothing from an article ever runs."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from l10n.localise import names
from l10n.localise.glossary import Glossary

if TYPE_CHECKING:

    pass


# ----------------------------------------------------------------------------- sanitising
INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "br", "cite", "code", "del", "dfn", "em", "i",
                        "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
                        "sup", "time", "u", "var"})
BLOCK_TAGS = INLINE_TAGS | {"blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
                            "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol",
                            "p", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
ATTRIBUTES = {"*": {"lang", "title"}, "a": {"href", "hreflang"},
              "img": {"src", "alt", "width", "height"}, "time": {"datetime"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
              "ol": {"start"}}
_DROPPED_WITH_CONTENT = {"script", "style", "template", "title", "noscript", "textarea"}
_CLEANERS = {
    inline: nh3.Cleaner(tags=set(INLINE_TAGS if inline else BLOCK_TAGS),
                        clean_content_tags=_DROPPED_WITH_CONTENT, attributes=ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"},
                        link_rel="noopener noreferrer nofollow")
    for inline in (False, True)
}
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough", "table"])
_BLANK_LINES = re.compile(r"\n\s*\n")


def to_html(text: str, fmt: str, *, inline: bool = False) -> str:
    """An article field as safe HTML: rendered from its format (text paragraphs, Markdown,
    HTML), then sanitised; `inline` for titles, leads and captions (phrasing content only)."""
    if fmt == "markdown":
        raw = _MARKDOWN.renderInline(text) if inline else _MARKDOWN.render(text)
    elif fmt == "html":
        raw = text
    elif inline:
        raw = html.escape(text)
    else:
        raw = "".join(f"<p>{html.escape(p.strip()).replace(chr(10), '<br>')}</p>"
                      for p in _BLANK_LINES.split(text) if p.strip())
    return _CLEANERS[inline].clean(raw)


Spans = Callable[[str], list[tuple[int, int]]]


class _TextNodes(HTMLParser):
    """Re-emits sanitised HTML as it is, passing each text node through `mark`."""

    def __init__(self, mark: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.mark, self.out = mark, list[str]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(f"<{tag}" + "".join(
            f' {name}="{html.escape(value or "")}"' for name, value in attrs) + ">")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(self.mark(data))


def mark_names(safe_html: str, spans: Spans) -> Markup:
    """Put `<mark class="name">` around the spans `spans` finds in each text node of
    `safe_html` (output of `to_html`). Working on text nodes keeps the markup intact: a name
    is never matched inside an attribute or across a tag, and text is escaped again on the
    way out."""
    def mark(text: str) -> str:
        out, at = [], 0
        for start, end in spans(text):
            out += [html.escape(text[at:start], quote=False), '<mark class="name">',
                    html.escape(text[start:end], quote=False), "</mark>"]
            at = end
        return "".join(out) + html.escape(text[at:], quote=False)

    parser = _TextNodes(mark)
    parser.feed(safe_html)
    parser.close()
    return Markup("".join(parser.out))


def name_spans(glossary: Glossary, lang: str) -> Spans:
    """Where the glossary's names stand in a text of `lang`, in any of their inflected forms
    (в Дамаске), longest first and never overlapping."""
    def spans(text: str) -> list[tuple[int, int]]:
        found = sorted({span for entry in glossary.entries
                        for span in names.rendering_spans(entry.en, text, lang, glossary)},
                       key=lambda s: (s[0], -s[1]))
        kept: list[tuple[int, int]] = []
        for start, end in found:
            if not kept or start >= kept[-1][1]:
                kept.append((start, end))
        return kept
    return spans


