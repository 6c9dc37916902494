"""Word documents (.docx, OOXML): every paragraph translated whole, its runs' formatting kept.

The document, its headers, footers, footnotes and endnotes are walked paragraph by paragraph
(table cells are paragraphs too). A paragraph made of plain runs and hyperlinks is translated
as one inline-HTML text (runs.py) and rebuilt from the translation: each translated piece
becomes a run with the formatting (`w:rPr`) of the run it came from, inside a copy of its
hyperlink (whose relationship, the URL, is untouched). A paragraph holding anything else
(fields, drawings, tabs, text boxes) keeps all its elements, and each of its text nodes is
translated on its own. Everything outside paragraphs' text (styles, numbering, images,
section properties) is copied as it was.

lxml rather than python-docx: the rebuild works on the XML elements themselves, and lxml keeps
every namespace declaration (Word's `mc:Ignorable` names prefixes that must stay declared).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter

from lxml import etree

from l10n.errors import InputError
from l10n.markup import runs
from l10n.markup.archive import Archive, Limits
from l10n.markup.parts import Apply, Parts, paragraph_parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAIN = "word/document.xml"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_PARAGRAPH_CHILDREN = {W + "pPr", W + "r", W + "hyperlink", W + "proofErr",
                       W + "bookmarkStart", W + "bookmarkEnd"}
_RUN_CHILDREN = {W + "rPr", W + "t", W + "lastRenderedPageBreak"}
_KEPT = (W + "bookmarkStart", W + "bookmarkEnd")


def read(data: bytes, limits: Limits) -> Parts:
    archive = Archive(data, limits, "Word document")
    if MAIN not in archive.parts:
        raise InputError("the file is not a Word document (no word/document.xml)",
                         code="invalid_document")
    names = [name for name in archive.parts if _PARTS.fullmatch(name)]
    return paragraph_parts(archive, names, lambda root: root.iter(W + "p"), _paragraph)


def _paragraph(p: etree._Element) -> list[tuple[str, Apply]]:
    """The paragraph's texts to translate, each with how to put its translation back."""
    if _simple(p):
        return _whole(p)
    nodes = [t for t in p.iter(W + "t") if _owner(t) is p and (t.text or "").strip()]
    return [(runs.plain_markup(t.text or ""), _set_text(t)) for t in nodes]


def _simple(p: etree._Element) -> bool:
    for child in p:
        if child.tag not in _PARAGRAPH_CHILDREN:
            return False
        inner = child if child.tag == W + "r" else None
        for run in ([inner] if inner is not None else child.iter(W + "r")):
            if any(c.tag not in _RUN_CHILDREN for c in run):
                return False
        if child.tag == W + "hyperlink" and any(
                c.tag not in (W + "r", W + "proofErr") for c in child):
            return False
    return True


def _whole(p: etree._Element) -> list[tuple[str, Apply]]:
    found: list[tuple[etree._Element, etree._Element | None]] = []  # (run, its hyperlink)
    links: list[etree._Element] = []
    for child in p:
        if child.tag == W + "r":
            found.append((child, None))
        elif child.tag == W + "hyperlink":
            links.append(child)
            found.extend((run, child) for run in child.iter(W + "r"))
    keys = [_key(run) for run, _ in found]
    texts = ["".join(t.text or "" for t in run.iter(W + "t")) for run, _ in found]
    if not "".join(texts).strip():
        return []
    weight: Counter[bytes] = Counter()
    for key, text, (_, link) in zip(keys, texts, found):
        weight[key] += len(text) if link is None else 0
    plain = weight.most_common(1)[0][0]  # the formatting of most unlinked text
    styles = list(dict.fromkeys(k for k in keys if k != plain))
    templates: dict[int | None, etree._Element | None] = {None: _rpr(found[keys.index(plain)][0])}
    templates.update({i: _rpr(found[keys.index(k)][0]) for i, k in enumerate(styles)})
    pieces = [runs.Piece(text, None if key == plain else styles.index(key),
                         None if link is None else links.index(link))
              for key, text, (_, link) in zip(keys, texts, found)]

    def apply(translation: str) -> None:
        kept = [c for c in p if c.tag in _KEPT]
        for child in list(p):
            if child.tag != W + "pPr":
                p.remove(child)
        p.extend(c for c in kept if c.tag == W + "bookmarkStart")
        for link, group in itertools.groupby(runs.from_markup(translation), lambda x: x.link):
            container = p
            if link is not None and link < len(links):
                container = etree.SubElement(p, links[link].tag, dict(links[link].attrib))
            for piece in group:
                container.append(_run(templates.get(piece.style, templates[None]), piece.text))
        p.extend(c for c in kept if c.tag == W + "bookmarkEnd")

    return [(runs.to_markup(pieces), apply)]


def _key(run: etree._Element) -> bytes:
    rpr = run.find(W + "rPr")
    return b"" if rpr is None else etree.tostring(rpr)


def _rpr(run: etree._Element) -> etree._Element | None:
    return run.find(W + "rPr")


def _run(rpr: etree._Element | None, text: str) -> etree._Element:
    run = etree.Element(W + "r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, W + "t")
    t.text = text
    t.set(SPACE, "preserve")
    return run


def _owner(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != W + "p":
        parent = parent.getparent()
    return parent


def _set_text(t: etree._Element) -> Apply:
    def apply(translation: str) -> None:
        t.text = runs.plain_text(translation)
        t.set(SPACE, "preserve")
    return apply
