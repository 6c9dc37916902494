"""Inline markup inside a sentence: translate the sentence whole, put the marks back.

HTML and Markdown both reduce a paragraph to plain text plus *marks*: nested ranges carrying
the markup around them (`<a href="…">`…`</a>`, `**`…`**`, `` ` ``…`` ` ``). The paragraph is
cut into sentences that no mark crosses (sentences a mark spans are kept together), each
sentence goes to the engine as plain text, so the model sees "I went to Paris last summer."
and not three fragments, and every mark is then placed around the corresponding words of the
translation. By construction each mark is emitted exactly once, in the same nesting, so the
tag sequence of the output equals the input's.

Placement, most reliable first: a mark over the whole sentence covers the whole translation;
a mark whose text occurs verbatim in the translation (names, numbers, code) wraps it; an
`anchor` callback (the names glossary) may name where its words went; the model's attention
gives an alignment; failing all, the mark is placed at the same relative position, snapped to
word boundaries, and the unit is flagged `tag_position_uncertain` for a reviewer.

Whatever the method, placement keeps three invariants: siblings stay in source order (so the
tag sequence equals the source's), a mark that held words wraps at least one word of the
translation (when the translation has enough words for all of them), and no word of the
translation is lost: an opaque mark (code, `translate="no"`) replaces only its own verbatim
text and is otherwise inserted between words. Each mark costs a few binary searches over
the words of the translation, so the cost stays near-linear in marks and words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from l10n.translate.qa import flag
from l10n.translate.segment import sentences
from l10n.translate.types import Translation

_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)
_TRAILING = ".!?…:;,"

Anchor = Callable[[str, str], list[tuple[int, int]]]  # (source words, translation) → spans


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    open: str
    close: str
    opaque: bool = False  # content kept verbatim (code, translate="no")
    raw: str = ""  # for opaque marks: the original content markup, emitted as is
    ref: int = -1  # which source element this mark stands for (for the caller)


@dataclass(frozen=True)
class Unit:
    """A sentence: the plain text the engine sees, and the marks to put back around words.

    Marks are listed in document order, parents before their children.
    """

    text: str
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Placed:
    text: str  # the rendered markup
    flags: tuple[str, ...] = ()
    plain: str = ""  # what a reader sees: the translation plus any opaque text inserted


def split_run(text: str, marks: Sequence[Mark], language: str) -> list[Unit | str]:
    """A paragraph's plain text + marks → sentences (Units) and verbatim whitespace (str)."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for sentence in sentences(text, language):
        bounds.append((position, position + len(sentence)))
        position += len(sentence)
    # Positions strictly inside some mark: a sentence boundary there is not one.
    depth = [0] * (len(text) + 2)
    for m in marks:
        if m.end - m.start > 1:
            depth[m.start + 1] += 1
            depth[m.end] -= 1
    crossed, level = [], 0
    for delta in depth:
        level += delta
        crossed.append(level > 0)
    merged: list[list[int]] = []
    for start, end in bounds:
        if merged and crossed[merged[-1][1]]:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    order = sorted(range(len(marks)), key=lambda k: marks[k].start)  # stable: keeps preorder
    starts = [marks[k].start for k in order]
    out: list[Unit | str] = []
    for start, end in merged:
        chunk = text[start:end]
        body_start = start + len(chunk) - len(chunk.lstrip())
        body_end = max(body_start, start + len(chunk.rstrip()))
        if body_start > start:
            out.append(text[start:body_start])
        if body_end > body_start:
            last = end == len(text)  # zero-width marks at the very end belong here too
            chosen = sorted(order[bisect_left(starts, start):
                                  bisect_right(starts, end) if last else bisect_left(starts, end)])
            # A mark over the whitespace around a sentence is clamped onto the sentence.
            inner = tuple(
                replace(m, start=min(max(m.start, body_start), body_end) - body_start,
                        end=min(max(m.end, body_start), body_end) - body_start)
                for m in (marks[k] for k in chosen))
            out.append(Unit(text[body_start:body_end], inner))
        if end > body_end:
            out.append(text[body_end:end])
    return out


def render(unit: Unit, translated: str, escape: Callable[[str], str],
           translation: Translation | None = None, anchor: Anchor | None = None) -> Placed:
    """The translated sentence with the unit's marks placed around the right words."""
    if not unit.marks:
        return Placed(escape(translated), (), translated)
    layout = _Layout(unit, translated, translation, anchor)
    text, plain = layout.emit(escape)
    return Placed(text, tuple(sorted(layout.flags)), plain)


class _Layout:
    """Spans in the translation for every mark of a unit, placed parents first."""

    def __init__(self, unit: Unit, target: str, translation: Translation | None,
                 anchor: Anchor | None) -> None:
        self.unit, self.target = unit, target
        self.translation, self.anchor = translation, anchor
        self.flags: set[str] = set()
        words = [(m.start(), m.end()) for m in _WORD.finditer(target)]
        self.starts = [s for s, _ in words]
        self.ends = [e for _, e in words]
        marks = unit.marks
        self.parent = _parents(marks)
        children: list[list[int]] = [[] for _ in marks]
        roots: list[int] = []
        for i, p in enumerate(self.parent):
            (children[p] if p >= 0 else roots).append(i)
        # Words each mark must wrap: one if it held words, and at least its children's.
        need, inside = [0] * len(marks), [0] * len(marks)
        for i in reversed(range(len(marks))):  # children come after their parents
            mark = marks[i]
            if not mark.opaque:
                own = 1 if _WORD.search(unit.text, mark.start, mark.end) else 0
                need[i] = max(own, inside[i])
            if self.parent[i] >= 0:
                inside[self.parent[i]] += need[i]
        self.need = need
        self.spans: list[tuple[int, int]] = [(0, 0)] * len(marks)
        self.pads: list[tuple[str, str]] = [("", "")] * len(marks)
        self._place_group(roots, (0, len(target)), (0, len(unit.text)))
        stack = list(reversed(roots))
        while stack:
            i = stack.pop()
            if children[i]:
                self._place_group(children[i], self.spans[i], (marks[i].start, marks[i].end))
                stack.extend(reversed(children[i]))

    # -- counting words of the translation
    def _words(self, lo: int, hi: int) -> tuple[int, int]:
        """Indices [a, b) of the words lying inside [lo, hi]."""
        return bisect_left(self.starts, lo), bisect_right(self.ends, hi)

    def _count(self, span: tuple[int, int]) -> int:
        a, b = self._words(*span)
        return max(0, b - a)

    def _place_group(self, group: list[int], parent: tuple[int, int],
                     source: tuple[int, int]) -> None:
        lo, hi = parent
        reserve = sum(self.need[j] for j in group)
        for i in group:
            reserve -= self.need[i]  # words the later siblings need
            a, b = self._words(lo, hi)
            cut = max(b - reserve, a + self.need[i])  # short of words: this mark first
            limit = self.starts[cut] if reserve and cut < b else hi
            span, certain = self._choose(i, (lo, max(lo, limit)), parent, source)
            if not certain:
                self.flags.add(flag("tag_position_uncertain"))
            self.spans[i] = span
            lo = max(lo, span[1])

    def _choose(self, i: int, window: tuple[int, int], parent: tuple[int, int],
                source: tuple[int, int]) -> tuple[tuple[int, int], bool]:
        mark, unit, target = self.unit.marks[i], self.unit, self.target
        lo, hi = window
        words = unit.text[mark.start:mark.end].strip()
        fits = lambda s: lo <= s[0] and s[1] <= hi and self._count(s) >= self.need[i]  # noqa: E731
        if mark.opaque:
            found = _occurrences(target, words, lo, hi) if words else []
            if found:
                return self._nearest(found, mark, parent, source), True
            return self._insert(i, window, parent, source), False
        # 1. The whole sentence (possibly without its final punctuation).
        core_end = len(unit.text.rstrip(_TRAILING + " "))
        if mark.start == 0 and mark.end >= core_end:
            end = hi if mark.end == len(unit.text) else lo + len(target[lo:hi].rstrip(_TRAILING + " "))
            span = _trim(target, (lo, max(lo, end)))
            if fits(span):
                return span, True
        elif words:
            # 2. Verbatim occurrence, 3. anchors from the glossary.
            found = [s for s in _occurrences(target, words, lo, hi) if fits(s)]
            if not found and self.anchor is not None:
                found = [s for s in self.anchor(words, target) if fits(s)]
            if found:
                return self._nearest(found, mark, parent, source), True
            # 4. Attention.
            aligned = self._attention(mark)
            if aligned is not None and fits(_trim(target, aligned)):
                return _trim(target, aligned), True
        # 5. Same relative position, widened to the words it must wrap.
        return self._fallback(i, window, parent, source), False

    def _relative(self, at: int, parent: tuple[int, int], source: tuple[int, int]) -> int:
        """A source offset mapped to the same relative place in the parent's span."""
        scale = (parent[1] - parent[0]) / max(1, source[1] - source[0])
        return parent[0] + round((at - source[0]) * scale)

    def _nearest(self, found: list[tuple[int, int]], mark: Mark, parent: tuple[int, int],
                 source: tuple[int, int]) -> tuple[int, int]:
        want = self._relative(mark.start, parent, source)
        return min(found, key=lambda s: abs(s[0] - want))

    def _attention(self, mark: Mark) -> tuple[int, int] | None:
        translation = self.translation
        if translation is None or not translation.alignment or translation.text != self.target:
            return None
        return _attention_span(translation, mark.start, mark.end)

    def _fallback(self, i: int, window: tuple[int, int], parent: tuple[int, int],
                  source: tuple[int, int]) -> tuple[int, int]:
        mark, lo, hi = self.unit.marks[i], *window
        start = min(max(lo, self._relative(mark.start, parent, source)), hi)
        end = min(max(start, self._relative(mark.end, parent, source)), hi)
        start, end = _snap(self.target, start, end)
        span = _trim(self.target, (max(lo, start), min(hi, max(start, end))))
        need = self.need[i]
        if self._count(span) >= need:
            return span
        a, b = self._words(lo, hi)
        if b - a <= need:  # not enough words for every mark: take all there are
            return (self.starts[a], self.ends[b - 1]) if b > a else (lo, lo)
        first = min(max(a, bisect_left(self.starts, span[0])), b - need)
        return (min(span[0], self.starts[first]) if span[1] > span[0] else self.starts[first],
                max(span[1], self.ends[first + need - 1]))

    def _insert(self, i: int, window: tuple[int, int], parent: tuple[int, int],
                source: tuple[int, int]) -> tuple[int, int]:
        """An opaque mark whose text is not in the translation: between two words, nearest
        its relative place, with the spacing it had in the source."""
        mark, (lo, hi), text, target = self.unit.marks[i], window, self.unit.text, self.target
        want = self._relative(mark.start, parent, source)
        a, b = self._words(lo, hi)
        gaps = [lo] + [self.ends[k] for k in range(a, b)] if b > a else [lo]
        at = min(gaps, key=lambda g: abs(g - want))
        if at == lo and b > a and lo < self.starts[a] <= want:
            at = self.starts[a]  # before the first word, not before leading punctuation
        space_before = mark.start > 0 and text[mark.start - 1].isspace()
        space_after = mark.end < len(text) and text[mark.end].isspace()
        self.pads[i] = (" " if space_before and at > 0 and not target[at - 1].isspace() else "",
                        " " if space_after and at < len(target) and not target[at].isspace()
                        and (at > 0 or not space_before) else "")
        return at, at

    def emit(self, escape: Callable[[str], str]) -> tuple[str, str]:
        """(markup, plain text): every mark opened and closed once, in source order."""
        marks, spans, text = self.unit.marks, self.spans, self.target
        out: list[str] = []
        plain: list[str] = []
        stack: list[int] = []
        pos = 0

        def write(upto: int) -> None:
            nonlocal pos
            upto = max(pos, upto)
            out.append(escape(text[pos:upto]))
            plain.append(text[pos:upto])
            pos = upto

        for i, mark in enumerate(marks):
            while stack and stack[-1] != self.parent[i]:
                j = stack.pop()
                write(spans[j][1])
                out.append(marks[j].close)
            before, after = self.pads[i]
            write(spans[i][0])
            out.append(before + mark.open)
            plain.append(before)
            if mark.opaque:
                out.append(mark.raw + mark.close + after)
                plain.append(self.unit.text[mark.start:mark.end] + after)
                pos = max(pos, spans[i][1])
            else:
                stack.append(i)
        while stack:
            j = stack.pop()
            write(spans[j][1])
            out.append(marks[j].close)
        write(len(text))
        return "".join(out), "".join(plain)


def _parents(marks: Sequence[Mark]) -> list[int]:
    """Each mark's nearest enclosing mark (-1 for none); marks are listed parents first.
    Opaque and empty marks enclose nothing."""
    parent: list[int] = []
    stack: list[int] = []
    for i, mark in enumerate(marks):
        while stack and not (marks[stack[-1]].start <= mark.start
                             and mark.end <= marks[stack[-1]].end):
            stack.pop()
        parent.append(stack[-1] if stack else -1)
        if not mark.opaque and mark.end > mark.start:
            stack.append(i)
    return parent


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Markup hugs its words: no span starts or ends on whitespace (Markdown needs it)."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _occurrences(text: str, words: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, start = [], text.find(words, lo)
    while start != -1 and start + len(words) <= hi:
        out.append((start, start + len(words)))
        start = text.find(words, start + 1)
    return out


def _attention_span(translation: Translation, start: int, end: int) -> tuple[int, int] | None:
    sources = {k for k, (s, e) in enumerate(translation.source_spans) if s < end and e > start}
    hits = [translation.target_spans[t] for t, source in enumerate(translation.alignment)
            if t < len(translation.target_spans) and source in sources]
    if not hits:
        return None
    text = translation.text
    first, last = min(h[0] for h in hits), max(h[1] for h in hits)
    if last > len(text):  # spans of another text (the engine's output was edited)
        return None
    while first < last and text[first].isspace():
        first += 1
    return _snap(text, first, last)


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words."""
    while 0 < start < len(text) and _is_word(text, start - 1) and _is_word(text, start):
        start -= 1
    while 0 < end < len(text) and _is_word(text, end - 1) and _is_word(text, end):
        end += 1
    return start, end


def _is_word(text: str, k: int) -> bool:
    return text[k].isalnum() or text[k] in "_'’-"
