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
"""

from __future__ import annotations

import re
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


def split_run(text: str, marks: Sequence[Mark], language: str) -> list[Unit | str]:
    """A paragraph's plain text + marks → sentences (Units) and verbatim whitespace (str)."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for sentence in sentences(text, language):
        bounds.append((position, position + len(sentence)))
        position += len(sentence)
    # Merge sentences that a mark crosses.
    merged: list[list[int]] = []
    for start, end in bounds:
        if merged and any(m.start < merged[-1][1] < m.end for m in marks):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    out: list[Unit | str] = []
    for start, end in merged:
        chunk = text[start:end]
        body_start = start + len(chunk) - len(chunk.lstrip())
        body_end = max(body_start, start + len(chunk.rstrip()))
        if body_start > start:
            out.append(text[start:body_start])
        if body_end > body_start:
            # A mark over the whitespace around a sentence is clamped onto the sentence.
            inner = tuple(
                replace(m, start=min(max(m.start, body_start), body_end) - body_start,
                        end=min(max(m.end, body_start), body_end) - body_start)
                for m in marks if start <= m.start < end or (m.start == m.end == end == len(text)))
            out.append(Unit(text[body_start:body_end], inner))
        if end > body_end:
            out.append(text[body_end:end])
    return out


def render(unit: Unit, translated: str, escape: Callable[[str], str],
           translation: Translation | None = None, anchor: Anchor | None = None) -> Placed:
    """The translated sentence with the unit's marks placed around the right words."""
    if not unit.marks:
        return Placed(escape(translated))
    flags: set[str] = set()
    spans = _place_all(unit, translated, translation, anchor, flags)
    return Placed(_emit(unit.marks, spans, translated, escape), tuple(sorted(flags)))


def _place_all(unit: Unit, target: str, translation: Translation | None,
               anchor: Anchor | None, flags: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for i, mark in enumerate(unit.marks):  # parents come before their children
        ancestors = [j for j in range(i) if _contains(unit.marks, j, i)]
        parent = spans[ancestors[-1]] if ancestors else (0, len(target))
        taken = [spans[j] for j in range(i) if j not in ancestors]  # earlier siblings' spans
        span, certain = _place(unit, mark, target, parent, taken, translation, anchor)
        span = _trim(target, span)
        if span[0] == span[1] and unit.text[mark.start:mark.end].strip():
            # Words must not vanish from under their markup (an alignment onto a space).
            span = _trim(target, _proportional(unit, mark, target, *parent, taken))
            certain = False
        if not certain:
            flags.add(flag("tag_position_uncertain"))
        spans.append(span)
    return spans


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Markup hugs its words: no span starts or ends on whitespace (Markdown needs it)."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _place(unit: Unit, mark: Mark, target: str, parent: tuple[int, int],
           taken: list[tuple[int, int]], translation: Translation | None,
           anchor: Anchor | None) -> tuple[tuple[int, int], bool]:
    lo, hi = parent
    source = unit.text
    words = source[mark.start:mark.end]
    free = lambda s: all(s[1] <= t[0] or t[1] <= s[0] for t in taken)  # noqa: E731
    # 1. The whole sentence (possibly without its final punctuation).
    core_end = len(source.rstrip(_TRAILING + " "))
    if mark.start == 0 and mark.end >= core_end:
        end = hi if mark.end == len(source) else lo + len(target[lo:hi].rstrip(_TRAILING + " "))
        return (lo, end), True
    if not words.strip():
        return _proportional(unit, mark, target, lo, hi), False
    # 2. Verbatim occurrence, 3. anchors from the glossary.
    candidates = _occurrences(target, words.strip(), lo, hi)
    if not candidates and anchor is not None:
        candidates = [s for s in anchor(words.strip(), target) if lo <= s[0] and s[1] <= hi]
    candidates = [s for s in candidates if free(s)]
    if candidates:
        want = lo + (hi - lo) * mark.start / max(1, len(source))
        return min(candidates, key=lambda s: abs(s[0] - want)), True
    # 4. Attention.
    if translation is not None and translation.alignment and translation.text == target:
        span = _attention_span(translation, mark.start, mark.end)
        if span and lo <= span[0] and span[1] <= hi and free(span):
            return span, True
    # 5. Same relative position.
    return _proportional(unit, mark, target, lo, hi, taken), False


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
    while first < last and text[first].isspace():
        first += 1
    return _snap(text, first, last)


def _proportional(unit: Unit, mark: Mark, target: str, lo: int, hi: int,
                  taken: Sequence[tuple[int, int]] = ()) -> tuple[int, int]:
    scale = (hi - lo) / max(1, len(unit.text))
    start = lo + round(mark.start * scale)
    end = max(start, lo + round(mark.end * scale))
    start, end = _snap(target, start, min(end, hi))
    for t in taken:  # never overlap a sibling: shrink to the free side
        if start < t[1] and t[0] < end:
            start, end = (t[1], max(t[1], end)) if start >= t[0] else (start, min(end, t[0]))
    return max(lo, start), min(hi, max(start, end))


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    for s, e in words:
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    return start, end


def _contains(marks: Sequence[Mark], j: int, i: int) -> bool:
    """Whether mark j encloses mark i in the source (marks are listed parents first)."""
    return j < i and marks[j].start <= marks[i].start and marks[i].end <= marks[j].end


def _emit(marks: Sequence[Mark], spans: Sequence[tuple[int, int]], text: str,
          escape: Callable[[str], str]) -> str:
    """Serialise the text with every mark opened and closed exactly once, properly nested."""
    # Outer marks first: larger spans open earlier; at equal spans the parent (listed first).
    order = sorted(range(len(marks)), key=lambda i: (spans[i][0], -(spans[i][1] - spans[i][0]), i))
    out: list[str] = []
    stack: list[int] = []
    pos = 0
    for i in order:
        start, end = spans[i]
        while stack and not _contains(marks, stack[-1], i):  # close what is not a parent
            j = stack.pop()
            out.append(escape(text[pos:spans[j][1]]) + marks[j].close)
            pos = spans[j][1]
        out.append(escape(text[pos:start]) + marks[i].open)
        pos = start
        if marks[i].opaque:
            out.append(marks[i].raw + marks[i].close)
            pos = end
        else:
            stack.append(i)
    while stack:
        j = stack.pop()
        out.append(escape(text[pos:spans[j][1]]) + marks[j].close)
        pos = spans[j][1]
    out.append(escape(text[pos:]))
    return "".join(out)
