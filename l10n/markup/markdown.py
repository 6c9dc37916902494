"""Markdown articles: translate paragraphs, headings, list items and quotes; keep the rest.

Block structure comes from markdown-it-py (CommonMark): only the text of inline blocks is
translated; fences, indented code, HTML blocks, rules and blank lines are kept byte for byte,
and so are the block markers in front of the text (`## `, `- `, `1. `, `> `). A paragraph
written over several lines is translated as a whole and comes back on one line.

Inside the text, emphasis, strong, strikethrough, links `[text](url)` (text translated, the
URL kept) and code spans (kept) become marks around words (see inline.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from l10n.markup.inline import Mark, Unit, split_run
from l10n.translate.segment import has_words

_PARSER = MarkdownIt("commonmark").enable("strikethrough").enable("table")
_DELIMITERS = ("**", "__", "~~", "*", "_")
_LINK_TAIL = re.compile(r"\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]")


@dataclass
class _Run:
    text: str = ""
    marks: list = field(default_factory=list)  # Mark, or None while its children are read


def _scan(source: str, run: _Run) -> None:
    """Inline Markdown → plain text and marks (a pragmatic subset of CommonMark inlines)."""
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            run.text += source[i:i + 2]
            i += 2
            continue
        if char == "`":
            ticks = re.match(r"`+", source[i:]).group()
            close = source.find(ticks, i + len(ticks))
            if close != -1:
                code = source[i + len(ticks):close]
                start = len(run.text)
                run.text += code
                run.marks.append(Mark(start, len(run.text), ticks, ticks, opaque=True, raw=code))
                i = close + len(ticks)
                continue
        if source.startswith("![", i):
            end = _link_end(source, i + 1)
            if end != -1:
                run.marks.append(Mark(len(run.text), len(run.text), "", "", opaque=True,
                                      raw=source[i:end]))
                i = end
                continue
        if char == "[":
            end = _link_end(source, i)
            if end != -1:
                label_end = _matching_bracket(source, i)
                start, slot = len(run.text), len(run.marks)
                run.marks.append(None)  # parents are listed before children
                _scan(source[i + 1:label_end], run)
                run.marks[slot] = Mark(start, len(run.text), "[", source[label_end:end])
                i = end
                continue
        if char == "<":
            auto = re.match(r"<(?:https?://|mailto:)[^>\s]+>|</?[A-Za-z][^>]*>", source[i:])
            if auto:
                inner = auto.group()[1:-1] if auto.group()[1] != "/" and "://" in auto.group() else ""
                start = len(run.text)
                run.text += inner
                run.marks.append(Mark(start, len(run.text), "", "", opaque=True, raw=auto.group()))
                i += len(auto.group())
                continue
        delimiter = next((d for d in _DELIMITERS if source.startswith(d, i)), None)
        if delimiter and _opens(source, i, delimiter):
            close = _closer(source, i + len(delimiter), delimiter)
            if close != -1:
                start, slot = len(run.text), len(run.marks)
                run.marks.append(None)
                _scan(source[i + len(delimiter):close], run)
                run.marks[slot] = Mark(start, len(run.text), delimiter, delimiter)
                i = close + len(delimiter)
                continue
        run.text += char
        i += 1


def _matching_bracket(source: str, i: int) -> int:
    depth = 0
    for j in range(i, len(source)):
        if source[j] == "\\":
            continue
        if source[j] == "[":
            depth += 1
        elif source[j] == "]":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _link_end(source: str, i: int) -> int:
    label_end = _matching_bracket(source, i)
    if label_end == -1:
        return -1
    tail = _LINK_TAIL.match(source, label_end)
    return tail.end() if tail else -1


def _opens(source: str, i: int, delimiter: str) -> bool:
    after = source[i + len(delimiter):i + len(delimiter) + 1]
    before = source[i - 1:i] if i else ""
    if not after or after.isspace():
        return False
    return not (delimiter[0] == "_" and before.isalnum())


def _closer(source: str, start: int, delimiter: str) -> int:
    j = start
    while True:
        j = source.find(delimiter, j)
        if j == -1:
            return -1
        before, after = source[j - 1:j], source[j + len(delimiter):j + len(delimiter) + 1]
        single = len(delimiter) == 1 and after == delimiter[0]
        if j > start and not before.isspace() and not single \
                and not (delimiter[0] == "_" and after.isalnum()):
            return j
        j += len(delimiter) + (1 if single else 0)


class MarkdownDocument:
    def __init__(self, text: str, language: str) -> None:
        self.units: list[Unit] = []
        self.parts: list = []  # verbatim strings and lists of unit indices / strings
        lines = text.splitlines(keepends=True)
        taken = 0  # lines consumed so far
        for token in _PARSER.parse(text):
            if token.type != "inline" or not token.map or not has_words(token.content):
                continue
            first, last = token.map
            if first < taken:
                continue  # e.g. a table: its cells share lines; keep what was consumed
            self.parts.append("".join(lines[taken:first]))
            content_lines = token.content.split("\n")
            head = lines[first]
            at = head.find(content_lines[0])
            if at == -1 or len(content_lines) > last - first:
                self.parts.append("".join(lines[first:last]))  # unexpected shape: keep it
                taken = last
                continue
            tail_line = lines[first + len(content_lines) - 1]
            tail_at = tail_line.rfind(content_lines[-1]) + len(content_lines[-1])
            run = _Run()
            _scan(" ".join(line.strip() for line in content_lines), run)
            rendered: list = [head[:at]]
            for part in split_run(run.text, run.marks, language):
                if isinstance(part, Unit):
                    self.units.append(part)
                    rendered.append(len(self.units) - 1)
                else:
                    rendered.append(part)
            rendered.append(tail_line[tail_at:])
            rendered.append("".join(lines[first + len(content_lines):last]))
            self.parts.append(rendered)
            taken = last
        self.parts.append("".join(lines[taken:]))

    def render(self, place) -> str:
        """Rebuild the text; `place(i, unit)` gives the translated markup of unit i."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            for piece in part:
                if isinstance(piece, int):
                    out.append(place(piece, self.units[piece]).text)
                else:
                    out.append(piece)
        return "".join(out)
