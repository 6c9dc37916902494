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
from bisect import bisect_right
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from l10n.markup.inline import Mark, Unit, split_run
from l10n.markup.limits import DEFAULT_LIMITS, Limits, check_marks, too_deep
from l10n.translate.segment import has_words

_PARSER = MarkdownIt("commonmark").enable("strikethrough").enable("table")
_DELIMITERS = ("**", "__", "~~", "*", "_")
_LINK_TAIL = re.compile(r"\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]")
# `[^<>]`, not `[^>]`: a match never runs past the next `<`, so scanning stays linear.
_ANGLE = re.compile(r"<(?:https?://|mailto:)[^<>\s]+>|</?[A-Za-z][^<>]*>")
_TICKS = re.compile(r"`+")


@dataclass
class _Run:
    text: str = ""
    marks: list = field(default_factory=list)  # Mark, or None while its children are read


class _Index:
    """Where each construct of a line closes, computed once: scanning stays near-linear
    however many unmatched brackets, backticks or delimiters the text holds."""

    def __init__(self, source: str) -> None:
        self.brackets: dict[int, int] = {}
        opened: list[int] = []
        i = 0
        while i < len(source):
            char = source[i]
            if char == "\\":
                i += 2
                continue
            if char == "[":
                opened.append(i)
            elif char == "]" and opened:
                self.brackets[opened.pop()] = i
            i += 1
        self.ticks: dict[int, int] = {m.start(): m.end() - m.start()
                                      for m in _TICKS.finditer(source)}
        self.tick_runs: dict[int, list[int]] = {}
        for start, length in self.ticks.items():
            self.tick_runs.setdefault(length, []).append(start)
        self.closers = {d: [j for j in _starts(source, d) if _closes(source, j, d)]
                        for d in _DELIMITERS}

    def code_close(self, start: int, length: int, hi: int) -> int:
        """The next backtick run of the same length after `start`, or -1."""
        runs = self.tick_runs.get(length, [])
        k = bisect_right(runs, start)
        return runs[k] if k < len(runs) and runs[k] + length <= hi else -1

    def link_end(self, source: str, i: int, hi: int) -> int:
        label_end = self.brackets.get(i, -1)
        if label_end == -1 or label_end >= hi:
            return -1
        tail = _LINK_TAIL.match(source, label_end, hi)
        return tail.end() if tail else -1

    def delimiter_close(self, start: int, delimiter: str, hi: int) -> int:
        """The first valid closer after `start` with some content before it, or -1."""
        found = self.closers[delimiter]
        k = bisect_right(found, start)
        return found[k] if k < len(found) and found[k] + len(delimiter) <= hi else -1


def _starts(source: str, delimiter: str) -> list[int]:
    out, j = [], source.find(delimiter)
    while j != -1:
        out.append(j)
        j = source.find(delimiter, j + 1)
    return out


def _closes(source: str, j: int, delimiter: str) -> bool:
    before, after = source[j - 1:j], source[j + len(delimiter):j + len(delimiter) + 1]
    single = len(delimiter) == 1 and after == delimiter[0]
    return (j > 0 and not before.isspace() and not single
            and not (delimiter[0] == "_" and after.isalnum()))


def _opens(source: str, i: int, delimiter: str) -> bool:
    after = source[i + len(delimiter):i + len(delimiter) + 1]
    before = source[i - 1:i] if i else ""
    if not after or after.isspace():
        return False
    return not (delimiter[0] == "_" and before.isalnum())


def _scan(source: str, run: _Run, limits: Limits) -> None:
    """Inline Markdown → plain text and marks (a pragmatic subset of CommonMark inlines).

    Iterative: an emphasis or link label is entered by pushing a frame (its mark's slot and
    where scanning resumes), so nesting costs no recursion and is capped by max_nesting.
    """
    index = _Index(source)
    out: list[str] = []  # the plain text, in pieces (joined once, at the end)
    n = 0  # its length so far
    frames: list[tuple[int, int, str, str, int, int]] = []  # slot, start, open, close, resume, hi
    i, hi = 0, len(source)
    while True:
        if i >= hi:
            if not frames:
                run.text += "".join(out)
                return
            slot, start, opener, closer, i, hi = frames.pop()
            run.marks[slot] = Mark(start, n, opener, closer)
            continue
        char = source[i]
        if char == "\\" and i + 1 < hi:
            out.append(source[i:i + 2])
            n, i = n + 2, i + 2
            continue
        if char == "`":
            length = index.ticks.get(i) or len(_TICKS.match(source, i).group())  # type: ignore[union-attr]
            close = index.code_close(i, length, hi)
            if close != -1:
                code = source[i + length:close]
                out.append(code)
                ticks = "`" * length
                run.marks.append(Mark(n, n + len(code), ticks, ticks, opaque=True, raw=code))
                n, i = n + len(code), close + length
            else:  # an unmatched run is literal text, all of it
                out.append(source[i:i + length])
                n, i = n + length, i + length
            continue
        if source.startswith("![", i) and i + 1 < hi:
            end = index.link_end(source, i + 1, hi)
            if end != -1:
                run.marks.append(Mark(n, n, "", "", opaque=True, raw=source[i:end]))
                i = end
                continue
        if char == "[":
            end = index.link_end(source, i, hi)
            if end != -1:
                label_end = index.brackets[i]
                _enter(frames, run, n, limits, "[", source[label_end:end], end, hi)
                i, hi = i + 1, label_end
                continue
        if char == "<":
            angle = _ANGLE.match(source, i, hi)
            if angle:
                tag = angle.group()
                inner = tag[1:-1] if tag[1] != "/" and "://" in tag else ""
                out.append(inner)
                run.marks.append(Mark(n, n + len(inner), "", "", opaque=True, raw=tag))
                n, i = n + len(inner), angle.end()
                continue
        delimiter = next((d for d in _DELIMITERS if source.startswith(d, i)), None)
        if delimiter and _opens(source, i, delimiter):
            close = index.delimiter_close(i + len(delimiter), delimiter, hi)
            if close != -1:
                _enter(frames, run, n, limits, delimiter, delimiter, close + len(delimiter), hi)
                i, hi = i + len(delimiter), close
                continue
        out.append(char)
        n, i = n + 1, i + 1


def _enter(frames: list, run: _Run, at: int, limits: Limits, opener: str, closer: str,
           resume: int, hi: int) -> None:
    if len(frames) >= limits.max_nesting:
        raise too_deep(limits)
    frames.append((len(run.marks), at, opener, closer, resume, hi))
    run.marks.append(None)  # parents are listed before children


class MarkdownDocument:
    def __init__(self, text: str, language: str, limits: Limits = DEFAULT_LIMITS) -> None:
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
            _scan(" ".join(line.strip() for line in content_lines), run, limits)
            rendered: list = [head[:at]]
            for part in split_run(run.text, run.marks, language):
                if isinstance(part, Unit):
                    check_marks(len(part.marks), limits)
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
