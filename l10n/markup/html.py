"""HTML articles: translate the text of a fragment and keep every tag and attribute.

Parsing is html5lib's through BeautifulSoup, so malformed markup is repaired exactly as a
browser would repair it, and never crashes a request. Block elements delimit paragraphs;
inline elements become marks inside their sentence (see inline.py). `alt` and `title` are
translated; no other attribute is. `script`, `style`, `pre`, `code`, `translate="no"` and
`class="notranslate"` are left as they are. Text is re-escaped on output, so an escaped
`&lt;script&gt;` in the input is never turned into a live tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.element import CData, ProcessingInstruction

from l10n.markup.inline import Mark, Placed, Unit, split_run
from l10n.translate.segment import has_words, split_text

INLINE = frozenset("a abbr b bdi bdo cite data del dfn em font i ins mark q s small span strong "
                   "sub sup time u".split())
OPAQUE_INLINE = frozenset("code kbd samp var".split())
BOUNDARY = frozenset("br img wbr input button iframe svg math video audio object canvas "
                     "select textarea embed picture".split())
UNTOUCHED = frozenset("script style pre code template svg math textarea noscript".split())
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
TRANSLATED_ATTRIBUTES = ("alt", "title")
_FULL_DOCUMENT = re.compile(r"^\s*(<!doctype|<html)", re.IGNORECASE)

Renderer = Callable[[int, Unit], Placed]  # (unit index, unit) → placed markup


def escape_text(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\u00a0", "&nbsp;"))


def escape_attribute(value: str) -> str:
    return escape_text(value).replace('"', "&quot;")


def _kept(tag: Tag) -> bool:
    """Whether an element (and everything in it) is left untranslated."""
    classes = tag.get("class") or []
    return (tag.name in UNTOUCHED or tag.get("translate", "").lower() == "no"
            or "notranslate" in classes)


def _has_block(tag: Tag) -> bool:
    return any(isinstance(d, Tag) and d.name not in INLINE | OPAQUE_INLINE | BOUNDARY
               for d in tag.descendants)


def _is_inline(node) -> bool:
    if isinstance(node, (Comment, Doctype, CData, ProcessingInstruction)):
        return False
    if isinstance(node, NavigableString):
        return True
    return node.name in OPAQUE_INLINE or (node.name in INLINE and not _has_block(node))


@dataclass
class _Run:
    """Consecutive inline nodes of a block: one paragraph of translatable text."""

    nodes: list
    text: str = ""
    marks: list = field(default_factory=list)  # Mark, or None while its children are read
    tags: list[Tag] = field(default_factory=list)  # tags[mark.ref] is the mark's element
    parts: list = field(default_factory=list)  # Unit indices (int) and verbatim strings


class HtmlDocument:
    """A parsed HTML fragment (or document): its units, and rendering from translations."""

    def __init__(self, markup: str, language: str) -> None:
        self.full = bool(_FULL_DOCUMENT.match(markup))
        self.soup = BeautifulSoup(markup, "html5lib")
        self.language = language
        self.units: list[Unit] = []
        self.runs: dict[int, _Run] = {}  # id(first node) → run
        self.skip: set[int] = set()  # ids of nodes rendered as part of a run
        self.attributes: dict[tuple[int, str], list] = {}  # (id(tag), attr) → parts
        root = self.soup if self.full else self.soup.body
        self._walk(root)

    # -- parsing
    def _walk(self, container) -> None:
        if isinstance(container, Tag):
            self._attributes(container)
        run: list = []
        for child in list(container.children):
            if _is_inline(child):
                run.append(child)
                continue
            self._close(run)
            run = []
            if isinstance(child, Tag) and not _kept(child):
                self._walk(child)
            elif isinstance(child, Tag):
                continue  # kept verbatim, attributes included
        self._close(run)

    def _attributes(self, tag: Tag) -> None:
        if _kept(tag):
            return
        for name in TRANSLATED_ATTRIBUTES:
            value = tag.get(name)
            if isinstance(value, str) and has_words(value):
                parts = []
                for piece in split_text(value, self.language):
                    if piece.translatable:
                        self.units.append(Unit(piece.text))
                        parts.append(len(self.units) - 1)
                    else:
                        parts.append(piece.text)
                self.attributes[(id(tag), name)] = parts

    def _close(self, nodes: list) -> None:
        if not nodes:
            return
        run = _Run(nodes)
        for node in nodes:
            self._flatten(node, run)
        if not has_words(run.text):
            return  # nothing to translate: the nodes render as they are
        for part in split_run(run.text, run.marks, self.language):
            if isinstance(part, Unit):
                self.units.append(part)
                run.parts.append(len(self.units) - 1)
            else:
                run.parts.append(part)
        self.runs[id(nodes[0])] = run
        self.skip.update(id(n) for n in nodes[1:])

    def _flatten(self, node, run: _Run) -> None:
        if isinstance(node, NavigableString):
            run.text += str(node)
            return
        self._attributes(node)
        start, ref = len(run.text), len(run.tags)
        run.tags.append(node)
        run.marks.append(None)  # reserve the slot: parents are listed before children
        if node.name in OPAQUE_INLINE or _kept(node):
            run.text += node.get_text()
            raw = "".join(self._render_node(c) for c in node.children)
            mark = Mark(start, len(run.text), "", f"</{node.name}>", opaque=True, raw=raw, ref=ref)
        else:
            for child in node.children:
                self._flatten(child, run)
            mark = Mark(start, len(run.text), "", f"</{node.name}>", ref=ref)
        run.marks[ref] = mark

    # -- rendering
    def render(self, place: Renderer) -> str:
        """Rebuild the markup; `place(i, unit)` gives the translated markup of unit i."""
        self._place = place
        self._placed: dict[int, Placed] = {}
        root = self.soup if self.full else self.soup.body
        return "".join(self._render_node(c) for c in root.children)

    def placed(self, index: int, unit: Unit | None = None) -> Placed:
        if index not in self._placed:
            self._placed[index] = self._place(index, unit or self.units[index])
        return self._placed[index]

    def _attribute_text(self, tag: Tag, name: str, value) -> str:
        if isinstance(value, list):
            value = " ".join(value)
        parts = self.attributes.get((id(tag), name))
        if parts is None or not hasattr(self, "_place"):
            return value
        return "".join(p if isinstance(p, str) else _unescape(self.placed(p).text) for p in parts)

    def _start_tag(self, tag: Tag) -> str:
        attrs = "".join(
            f' {name}="{escape_attribute(self._attribute_text(tag, name, value))}"'
            for name, value in tag.attrs.items())
        return f"<{tag.name}{attrs}>"

    def _render_run(self, run: _Run) -> str:
        out = []
        for part in run.parts:
            if isinstance(part, str):
                out.append(escape_text(part))
                continue
            unit = self.units[part]
            # Start tags are built only now: their title attributes may be translated.
            marks = tuple(replace(m, open=self._start_tag(run.tags[m.ref])) for m in unit.marks)
            out.append(self.placed(part, replace(unit, marks=marks)).text)
        return "".join(out)

    def _render_node(self, node) -> str:
        if id(node) in self.skip:
            return ""
        run = self.runs.get(id(node))
        if run is not None and hasattr(self, "_place"):
            return self._render_run(run)
        if isinstance(node, Doctype):
            return f"<!DOCTYPE {node}>"
        if isinstance(node, Comment):
            return f"<!--{node}-->"
        if isinstance(node, CData):
            return f"<![CDATA[{node}]]>"
        if isinstance(node, ProcessingInstruction):
            return f"<?{node}>"
        if isinstance(node, NavigableString):
            parent = node.parent.name if node.parent is not None else ""
            return str(node) if parent in ("script", "style") else escape_text(str(node))
        start = self._start_tag(node)
        if node.name in VOID:
            return start
        return start + "".join(self._render_node(c) for c in node.children) + f"</{node.name}>"


def _unescape(text: str) -> str:
    """Placed unit text is escaped for element content; attribute values escape it again."""
    return (text.replace("&nbsp;", "\u00a0").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&amp;", "&"))


def tag_sequence(markup: str) -> list[tuple[str, tuple]]:
    """Start tags with their untranslated attributes, in document order (for QA and tests)."""
    soup = BeautifulSoup(markup, "html5lib")
    root = soup if _FULL_DOCUMENT.match(markup) else soup.body
    return [(t.name, tuple(sorted((k, " ".join(v) if isinstance(v, list) else v)
                                  for k, v in t.attrs.items() if k not in TRANSLATED_ATTRIBUTES)))
            for t in root.find_all(True)]
