"""HTML articles: translate the text of a fragment and keep every tag and attribute.

Parsing is html5lib's through BeautifulSoup, so malformed markup is repaired exactly as a
browser would repair it, and never crashes a request. A fragment is parsed as the content of
`<body>`, so leading `<style>`, `<script>`, `<meta>`, `<noscript>`... stay where they were
instead of moving into a `<head>` nobody renders. Block elements delimit paragraphs; inline
elements become marks inside their sentence (see inline.py). `alt` and `title` are
translated; no other attribute is. `script`, `style`, `pre`, `code`, `translate="no"` and
`class="notranslate"` are left as they are.

Output is serialised for the context a browser will parse it in: text is escaped everywhere
except inside the raw-text elements of the HTML namespace (`script`, `style`...); the same
names inside `<svg>` or `<math>` are foreign content, where markup is live, so their text is
escaped too. The parse is bounded (limits.py): html5lib is stopped as soon as more elements
are open than `max_nesting`, and every walk over the tree here is iterative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag
from bs4.builder._html5lib import AttrList, Element, HTML5TreeBuilder, TreeBuilderForHtml5lib
from bs4.element import CData, PageElement, ProcessingInstruction
from html5lib.treebuilders.base import ActiveFormattingElements

from l10n.markup.inline import Mark, Placed, Unit, split_run
from l10n.markup.limits import DEFAULT_LIMITS, Limits, check_marks, too_deep
from l10n.translate.segment import has_words, split_text

INLINE = frozenset("a abbr b bdi bdo cite data del dfn em font i ins mark q s small span strong "
                   "sub sup time u".split())
OPAQUE_INLINE = frozenset("code kbd samp var".split())
BOUNDARY = frozenset("br img wbr input button iframe svg math video audio object canvas "
                     "select textarea embed picture".split())
UNTOUCHED = frozenset("script style pre code template svg math textarea noscript".split())
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Elements whose text the HTML tokenizer reads raw (no entities, no tags), in the HTML namespace
# only: everywhere else text must be escaped.
RAW_TEXT = frozenset("script style xmp iframe noembed noframes plaintext".split())
HTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
TRANSLATED_ATTRIBUTES = ("alt", "title")
_FULL_DOCUMENT = re.compile(r"^\s*(<!doctype|<html)", re.IGNORECASE)

Renderer = Callable[[int, Unit], Placed]  # (unit index, unit) → placed markup


def escape_text(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\u00a0", "&nbsp;"))


def escape_attribute(value: str) -> str:
    return escape_text(value).replace('"', "&quot;")


class _DepthExceeded(Exception):
    pass


class _BoundedStack(list):
    """html5lib's stack of open elements, refusing to grow past the nesting limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def append(self, item: Any) -> None:
        if len(self) >= self.limit:
            raise _DepthExceeded
        super().append(item)


class _BoundedFormatting(ActiveFormattingElements):
    """html5lib's list of active formatting elements (b, i, a, font...), bounded likewise:
    every formatting tag scans it, so its length multiplies the cost of the parse."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def append(self, node: Any) -> None:
        if len(self) >= self.limit:
            raise _DepthExceeded
        super().append(node)


class _Attributes(AttrList):
    """bs4's attribute view compared by value, as html5lib expects: without it the parser's
    "Noah's Ark" clause (at most three identical open formatting elements) never matches,
    the formatting list grows with every nested `<b>`, and the tree differs from a browser's."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AttrList) and self.attrs == other.attrs

    __hash__ = None  # type: ignore[assignment]


class _Element(Element):
    def getAttributes(self) -> AttrList:
        assert isinstance(self.element, Tag)
        return _Attributes(self.element)

    attributes = property(getAttributes, Element.setAttributes)

    def cloneNode(self) -> Element:
        node = super().cloneNode()
        node.__class__ = _Element
        return node


class _BoundedTree(TreeBuilderForHtml5lib):
    def __init__(self, limit: int, *args: Any, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(*args, **kwargs)

    def reset(self) -> None:
        super().reset()
        self.openElements = _BoundedStack(self.limit)
        self.activeFormattingElements = _BoundedFormatting(self.limit)

    def elementClass(self, name: str, namespace: str) -> Element:
        element = super().elementClass(name, namespace)
        element.__class__ = _Element
        return element


class _BoundedBuilder(HTML5TreeBuilder):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def create_treebuilder(self, namespaceHTMLElements: bool) -> TreeBuilderForHtml5lib:
        self.underlying_builder = _BoundedTree(self.limit, namespaceHTMLElements, self.soup,
                                               store_line_numbers=self.store_line_numbers)
        return self.underlying_builder


class _Tag(Tag):
    def index(self, element: PageElement) -> int:
        """The builder merges each text into the string before it by replacing the parent's
        last child, and bs4 finds that child by a scan from the first: O(n²) over a
        paragraph of many inline elements. The last child is checked first here."""
        if self.contents and self.contents[-1] is element:
            return len(self.contents) - 1
        return super().index(element)


def parse(markup: str, limits: Limits) -> tuple[BeautifulSoup, Tag, bool]:
    """(soup, the root whose children are the input, whether it is a full document)."""
    full = bool(_FULL_DOCUMENT.match(markup))
    # html, head and body are open too: allow for them on top of the user's nesting.
    builder = _BoundedBuilder(limits.max_nesting + 3)
    try:
        soup = BeautifulSoup(markup if full else "<body>" + markup, builder=builder,
                             element_classes={Tag: _Tag})
    except _DepthExceeded:
        raise too_deep(limits) from None
    root = soup if full else soup.body
    assert root is not None
    return soup, root, full


def _kept(tag: Tag) -> bool:
    """Whether an element (and everything in it) is left untranslated."""
    classes: Any = tag.get("class") or []
    return (tag.name in UNTOUCHED or str(tag.get("translate", "")).lower() == "no"
            or "notranslate" in classes)


def _blocky(root: Tag, limits: Limits) -> set[int]:
    """ids of the elements holding a block element, found in one pass; checks the depth of
    the built tree too (the adoption agency can nest deeper than the stack ever was)."""
    blocky: set[int] = set()
    depth = {id(root): 0}
    for tag in root.find_all(True):
        level = depth[id(tag.parent)] + 1
        if level > limits.max_nesting:
            raise too_deep(limits)
        depth[id(tag)] = level
        if tag.name not in INLINE | OPAQUE_INLINE | BOUNDARY:
            parent = tag.parent
            while parent is not None and id(parent) not in blocky:
                blocky.add(id(parent))
                parent = parent.parent
    return blocky


@dataclass
class _Run:
    """Consecutive inline nodes of a block: one paragraph of translatable text."""

    nodes: list
    text: str = ""
    marks: list = field(default_factory=list)  # Mark, or None while its children are read
    tags: list[Tag | None] = field(default_factory=list)  # tags[mark.ref]: the mark's element
    parts: list = field(default_factory=list)  # Unit indices (int) and verbatim strings


@dataclass(frozen=True)
class _Close:
    """A marker on the serialiser's stack: emit this end tag."""

    tag: str


class HtmlDocument:
    """A parsed HTML fragment (or document): its units, and rendering from translations."""

    def __init__(self, markup: str, language: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.soup, self.root, self.full = parse(markup, limits)
        self.language = language
        self.limits = limits
        self.units: list[Unit] = []
        self.runs: dict[int, _Run] = {}  # id(first node) → run
        self.skip: set[int] = set()  # ids of nodes rendered as part of a run
        self.attributes: dict[tuple[int, str], list] = {}  # (id(tag), attr) → parts
        self.blocky = _blocky(self.root, limits)
        self._walk(self.root)

    # -- parsing
    def _is_inline(self, node: PageElement) -> bool:
        if isinstance(node, (Comment, Doctype, CData, ProcessingInstruction)):
            return False
        if isinstance(node, NavigableString):
            return True
        assert isinstance(node, Tag)
        return node.name in OPAQUE_INLINE or (node.name in INLINE and id(node) not in self.blocky)

    def _walk(self, root: Tag) -> None:
        """Blocks in document order; each block's inline children grouped into runs."""
        self._attributes(root)
        stack: list[tuple[Iterator[PageElement], list]] = [(iter(list(root.children)), [])]
        while stack:
            children, run = stack[-1]
            child = next(children, None)
            if child is None:
                self._close(run)
                stack.pop()
            elif self._is_inline(child):
                run.append(child)
            else:
                self._close(run)
                stack[-1] = (children, [])
                if isinstance(child, Tag) and not _kept(child):  # kept ones stay verbatim
                    self._attributes(child)
                    stack.append((iter(list(child.children)), []))

    def _attributes(self, tag: Tag) -> None:
        if _kept(tag):
            return
        for name in TRANSLATED_ATTRIBUTES:
            value = tag.get(name)
            if isinstance(value, str) and has_words(value):
                parts: list = []
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
        texts: list[str] = []
        length = 0
        for node in nodes:
            length = self._flatten(node, run, texts, length)
        run.text = "".join(texts)
        if not has_words(run.text):
            return  # nothing to translate: the nodes render as they are
        for part in split_run(run.text, run.marks, self.language):
            if isinstance(part, Unit):
                check_marks(len(part.marks), self.limits)
                self.units.append(part)
                run.parts.append(len(self.units) - 1)
            else:
                run.parts.append(part)
        self.runs[id(nodes[0])] = run
        self.skip.update(id(n) for n in nodes[1:])

    def _flatten(self, node: PageElement, run: _Run, texts: list[str], n: int) -> int:
        """An inline subtree → the run's text (in pieces, `n` long so far) and marks
        (parents listed before children); returns the new length."""
        stack: list[PageElement | tuple[int, int]] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, tuple):  # an element's children are all read
                ref, start = item
                tag = run.tags[ref]
                assert tag is not None
                run.marks[ref] = Mark(start, n, "", f"</{tag.name}>", ref=ref)
            elif isinstance(item, (Comment, CData, ProcessingInstruction, Doctype)):
                # Kept where it was as far as possible, never read as words.
                run.marks.append(Mark(n, n, "", "", opaque=True, raw=self._serialise([item]),
                                      ref=len(run.tags)))
                run.tags.append(None)  # tags[i] belongs to marks[i]
            elif isinstance(item, NavigableString):
                texts.append(str(item))
                n += len(texts[-1])
            elif isinstance(item, Tag):
                self._attributes(item)
                start, ref = n, len(run.tags)
                run.tags.append(item)
                run.marks.append(None)  # reserve the slot: parents are listed before children
                if item.name in VOID and item.namespace in (HTML_NAMESPACE, None):
                    # `<br>`, `<img>` inside an inline element: a start tag and nothing more.
                    run.marks[ref] = Mark(start, n, "", "", opaque=True, ref=ref)
                elif item.name in OPAQUE_INLINE or item.name in BOUNDARY or _kept(item):
                    texts.append(item.get_text())
                    n += len(texts[-1])
                    raw = self._serialise(list(item.children))
                    run.marks[ref] = Mark(start, n, "", f"</{item.name}>",
                                          opaque=True, raw=raw, ref=ref)
                else:
                    stack.append((ref, start))
                    stack.extend(reversed(list(item.children)))
        return n

    # -- rendering
    def render(self, place: Renderer) -> str:
        """Rebuild the markup; `place(i, unit)` gives the translated markup of unit i."""
        self._place = place
        self._placed: dict[int, Placed] = {}
        return self._serialise(list(self.root.children))

    def placed(self, index: int, unit: Unit | None = None) -> Placed:
        if index not in self._placed:
            self._placed[index] = self._place(index, unit or self.units[index])
        return self._placed[index]

    def _attribute_text(self, tag: Tag, name: str, value: Any) -> str:
        if isinstance(value, list):
            value = " ".join(value)
        parts = self.attributes.get((id(tag), name))
        if parts is None or not hasattr(self, "_place"):
            return str(value)
        return "".join(p if isinstance(p, str) else _unescape(self.placed(p).text) for p in parts)

    def _start_tag(self, tag: Tag, selfclosing: bool = False) -> str:
        attrs = "".join(
            f' {name}="{escape_attribute(self._attribute_text(tag, name, value))}"'
            for name, value in tag.attrs.items())
        return f"<{tag.name}{attrs}{'/' if selfclosing else ''}>"

    def _render_run(self, run: _Run) -> str:
        out = []
        for part in run.parts:
            if isinstance(part, str):
                out.append(escape_text(part))
                continue
            unit = self.units[part]
            # Start tags are built only now: their title attributes may be translated.
            marks = tuple(replace(m, open=self._start_tag(tag)) if (tag := run.tags[m.ref]) else m
                          for m in unit.marks)
            out.append(self.placed(part, replace(unit, marks=marks)).text)
        return "".join(out)

    def _serialise(self, nodes: list[PageElement]) -> str:
        """Nodes → markup, iteratively; each text escaped for the context it is parsed in."""
        out: list[str] = []
        stack: list[PageElement | _Close] = list(reversed(nodes))
        while stack:
            node = stack.pop()
            if isinstance(node, _Close):
                out.append(f"</{node.tag}>")
                continue
            if id(node) in self.skip:
                continue
            run = self.runs.get(id(node))
            if run is not None and hasattr(self, "_place"):
                out.append(self._render_run(run))
            elif isinstance(node, Doctype):
                out.append(f"<!DOCTYPE {node}>")
            elif isinstance(node, Comment):
                out.append(f"<!--{node}-->")
            elif isinstance(node, (CData, ProcessingInstruction)):
                out.append(escape_text(str(node)))  # html5lib gives these only as text
            elif isinstance(node, NavigableString):
                parent = node.parent
                raw = (parent is not None and parent.name in RAW_TEXT
                       and parent.namespace in (HTML_NAMESPACE, None))
                out.append(str(node) if raw else escape_text(str(node)))
            elif isinstance(node, Tag):
                html = node.namespace in (HTML_NAMESPACE, None)
                if html and node.name in VOID:
                    out.append(self._start_tag(node))
                elif not html and not node.contents:
                    out.append(self._start_tag(node, selfclosing=True))
                else:
                    out.append(self._start_tag(node))
                    stack.append(_Close(node.name))
                    stack.extend(reversed(node.contents))
        return "".join(out)


def _unescape(text: str) -> str:
    """Placed unit text is escaped for element content; attribute values escape it again."""
    return (text.replace("&nbsp;", "\u00a0").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&amp;", "&"))


def tag_sequence(markup: str, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, tuple]]:
    """Start tags with their untranslated attributes, in document order (for QA and tests)."""
    _, root, _ = parse(markup, limits)
    return [(t.name, tuple(sorted((k, " ".join(v) if isinstance(v, list) else v)
                                  for k, v in t.attrs.items() if k not in TRANSLATED_ATTRIBUTES)))
            for t in root.find_all(True)]
