"""OpenDocument text (.odt): every paragraph and heading translated whole, spans and links kept.

`content.xml` (the body, its tables and lists) and `styles.xml` (headers and footers) are
walked paragraph by paragraph. A paragraph of bare text, `text:span`s and `text:a` links is
translated as one inline-HTML text (runs.py) and rebuilt with each translated piece in a span
of its original style, inside a copy of its link. A paragraph holding anything else (frames,
notes, fields, `text:s` spacing) keeps its elements and each of its text nodes is translated
on its own. The `mimetype` entry stays first and stored, as ODF requires (archive.py).
"""

from __future__ import annotations

import itertools
from collections import Counter

from lxml import etree

from l10n.errors import InputError
from l10n.markup import runs
from l10n.markup.archive import Archive, Limits
from l10n.markup.parts import Apply, Parts, paragraph_parts

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = TEXT + "style-name"
PARAGRAPHS = (TEXT + "p", TEXT + "h")
_BOOKMARKS = (TEXT + "bookmark", TEXT + "bookmark-start", TEXT + "bookmark-end")
_SIMPLE = {TEXT + "span", TEXT + "a", TEXT + "soft-page-break", *_BOOKMARKS}


def read(data: bytes, limits: Limits) -> Parts:
    archive = Archive(data, limits, "OpenDocument text")
    if archive.parts.get("mimetype", b"").strip() != b"application/vnd.oasis.opendocument.text":
        raise InputError("the file is not an OpenDocument text (its mimetype entry says "
                         "otherwise)", code="invalid_document")
    names = [name for name in ("content.xml", "styles.xml") if name in archive.parts]
    return paragraph_parts(archive, names, lambda root: root.iter(*PARAGRAPHS), _paragraph)


def _paragraph(p: etree._Element) -> list[tuple[str, Apply]]:
    if all(c.tag in _SIMPLE and _flat(c) for c in p):
        return _whole(p)
    return [(runs.plain_markup(getattr(node, slot) or ""), _set(node, slot))
            for node, slot in _text_nodes(p) if (getattr(node, slot) or "").strip()]


def _flat(child: etree._Element) -> bool:
    """A span with no elements inside, or a link holding only such spans."""
    if child.tag == TEXT + "a":
        return all(c.tag == TEXT + "span" and len(c) == 0 for c in child)
    return len(child) == 0


def _whole(p: etree._Element) -> list[tuple[str, Apply]]:
    found: list[tuple[str, str | None, int | None]] = []  # (text, style name, link)
    links: list[etree._Element] = []
    found.append((p.text or "", None, None))
    for child in p:
        if child.tag == TEXT + "a":
            links.append(child)
            link = len(links) - 1
            found.append((child.text or "", None, link))
            for span in child:
                found.append((span.text or "", span.get(STYLE), link))
                found.append((span.tail or "", None, link))
        elif child.tag == TEXT + "span":
            found.append((child.text or "", child.get(STYLE), None))
        found.append((child.tail or "", None, None))
    if not "".join(text for text, _, _ in found).strip():
        return []
    weight: Counter[str | None] = Counter()
    for text, style, in_link in found:
        weight[style] += len(text) if in_link is None else 0
    plain = weight.most_common(1)[0][0]
    styles = list(dict.fromkeys(s for _, s, _ in found if s != plain))
    pieces = [runs.Piece(text, None if style == plain else styles.index(style), link)
              for text, style, link in found]
    kept = [c for c in p if c.tag in _BOOKMARKS]

    def apply(translation: str) -> None:
        for child in list(p):
            p.remove(child)
        p.text = None
        p.extend(kept)
        for link, group in itertools.groupby(runs.from_markup(translation), lambda x: x.link):
            container = p
            if link is not None and link < len(links):
                container = etree.SubElement(p, links[link].tag, dict(links[link].attrib))
            for piece in group:
                style = plain if piece.style is None or piece.style >= len(styles) \
                    else styles[piece.style]
                if style is None:
                    _append_text(container, piece.text)
                else:
                    etree.SubElement(container, TEXT + "span", {STYLE: style}).text = piece.text

    return [(runs.to_markup(pieces), apply)]


def _append_text(container: etree._Element, text: str) -> None:
    if len(container):
        container[-1].tail = (container[-1].tail or "") + text
    else:
        container.text = (container.text or "") + text


def _text_nodes(p: etree._Element) -> list[tuple[etree._Element, str]]:
    """Every text and tail that belongs to this paragraph (not to one nested inside it)."""
    out: list[tuple[etree._Element, str]] = [(p, "text")]
    for node in p.iterdescendants():
        inside = [a for a in node.iterancestors() if a.tag in PARAGRAPHS]
        if inside and inside[0] is p:
            if node.tag not in PARAGRAPHS:
                out.append((node, "text"))
            out.append((node, "tail"))
    return out


def _set(node: etree._Element, slot: str) -> Apply:
    def apply(translation: str) -> None:
        setattr(node, slot, runs.plain_text(translation))
    return apply
