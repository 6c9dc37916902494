"""Reading a .po file and writing it back with only the edited entries changed.

Why: translators keep catalogs in git and review diffs, so a write must touch the lines of
the entries it changes and nothing else. polib reads the file (entries, header); beside it
every entry keeps its original lines, split into sections (translator comments, `#.`, `#:`,
flags, `#|` previous strings, msgctxt, msgid, msgstr...). On writing, an unchanged entry is
copied byte for byte, a changed one keeps the sections whose values did not change and
gets the others rendered as msgcat renders them (render.py), and new entries are rendered
whole. Blank lines, comment-only blocks, `#~|` lines, ordering and wrapping stay as found.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n.catalogs import render
from l10n.catalogs.errors import CatalogSyntaxError

_STRING = r'"(?:[^"\\]|\\(?:[\\"abfnrtv]|[0-7]{1,3}|x[0-9A-Fa-f]+))*"'
_PO_LINE = re.compile(
    rf'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?{_STRING}[ \t]*')
_PO_IN_COMMENT = re.compile(r"#~\|?|#\|")  # obsolete and previous-msgid lines hold PO text too
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[ \t\"])")
_COMMENT_SECTION = {"#.": "comment", "#:": "occurrences", "#,": "flags", "#|": "previous",
                    "#~|": "previous"}


def syntax_error(text: str) -> tuple[int, str] | None:
    """The first line that is not PO syntax. polib accepts some broken lines (`msgstr x`,
    an unterminated quote) as empty strings, and writing such a parse back would silently
    drop the translator's text, so every line is checked before a catalog is used."""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        prefix = _PO_IN_COMMENT.match(line)
        if prefix:
            line = line[prefix.end():].strip()
        elif line.startswith("#"):
            continue
        if line and not _PO_LINE.fullmatch(line):
            return number, raw
    return None


def parse(text: str, path: Path | str) -> polib.POFile:
    """polib's reading of `text`, refused (CatalogSyntaxError) if any line is not PO."""
    error = syntax_error(text)
    if error is not None:
        raise CatalogSyntaxError(path, error[0], f"not PO syntax: {error[1].strip()!r}")
    try:
        return polib.pofile(text)
    except OSError as exc:  # polib reports structural errors as IOError("... (line N)")
        found = re.search(r"line (\d+)", str(exc))
        raise CatalogSyntaxError(path, int(found.group(1)) if found else 1, str(exc)) from None


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogSyntaxError(path, data[: exc.start].count(b"\n") + 1,
                                 "not UTF-8 (catalogs are UTF-8)") from None


def state(entry: polib.POEntry) -> dict[str, object]:
    """Every value of an entry, by section: what decides which lines must be rewritten."""
    values: dict[str, object] = {
        "tcomment": entry.tcomment, "comment": entry.comment,
        "occurrences": tuple(tuple(o) for o in entry.occurrences),
        "flags": tuple(entry.flags),
        "previous": (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural),
        "obsolete": entry.obsolete,
    }
    for name in render.keywords(entry):
        values[name] = entry.msgstr_plural.get(int(name[7:-1]), "") \
            if name.startswith("msgstr[") else getattr(entry, name)
    return values


def _header_state(po: polib.POFile) -> tuple:
    return po.header, tuple(po.metadata.items()), tuple(po.metadata_is_fuzzy or ())


@dataclass
class _Block:
    """One entry's lines as read (or a block of comments only), and the blank lines after it."""

    lines: list[str]
    gap: list[str] = field(default_factory=list)
    entry: polib.POEntry | None = None
    was: dict[str, object] | None = None

    def sections(self) -> dict[str, list[str]]:
        """The block's lines by section; a keyword's continuation lines go with it."""
        found: dict[str, list[str]] = {}
        current = "tcomment"
        for line in self.lines:
            stripped = line.strip()
            body = stripped[2:].lstrip() if stripped.startswith("#~ ") else stripped
            keyword = _KEYWORD.match(body)
            if keyword and not stripped.startswith(("#|", "#~|")):
                current = keyword.group(1)
            elif stripped.startswith("#") and not stripped.startswith('#~ "'):
                current = next((name for mark, name in _COMMENT_SECTION.items()
                                if stripped.startswith(mark)), "tcomment")
            found.setdefault(current, []).append(line)
        return found


def _line_kind(line: str) -> str:
    """What starts a new entry: a comment or msgctxt/msgid after a msgstr."""
    stripped = line.strip()
    if not stripped:
        return "blank"
    if stripped.startswith("#~ "):
        stripped = stripped[3:].lstrip()
    elif stripped.startswith("#"):
        return "comment"
    if stripped.startswith(("msgctxt", "msgid ")) or stripped == "msgid":
        return "start"
    if stripped.startswith("msgstr"):
        return "msgstr"
    return "other"


def _split(lines: list[str]) -> tuple[list[str], list[_Block]]:
    """Leading blank lines, and the blocks of the file in order."""
    lead: list[str] = []
    blocks: list[_Block] = []
    has_keyword = seen_msgstr = closed = False
    for line in lines:
        kind = _line_kind(line)
        if kind == "blank":
            if not blocks:
                lead.append(line)
            elif has_keyword or closed:
                blocks[-1].gap.append(line)
                closed = True
            else:  # blank lines inside a run of comments that precedes an entry
                blocks[-1].lines.append(line)
            continue
        starts = not blocks or closed or (seen_msgstr and kind in ("comment", "start"))
        if starts:
            blocks.append(_Block([line]))
            has_keyword = seen_msgstr = closed = False
        else:
            blocks[-1].lines.append(line)
        has_keyword |= kind not in ("comment",)
        seen_msgstr |= kind == "msgstr"
    return lead, blocks


class Document:
    """A catalog as read: `po` to change (polib), `text()` to write it minimally."""

    def __init__(self, text: str, path: Path | str = "<catalog>") -> None:
        self.po = parse(text, path)
        lines = text.splitlines(keepends=True)
        self._lead, self._blocks = _split(lines)
        starts, number = [], 1 + len(self._lead)
        for block in self._blocks:
            starts.append(number)
            number += len(block.lines) + len(block.gap)
        for entry in self.po:
            index = bisect.bisect_right(starts, entry.linenum) - 1
            block = self._blocks[index]
            if block.entry is not None:
                raise CatalogSyntaxError(path, entry.linenum, "two entries without a break")
            block.entry, block.was = entry, state(entry)
        self._header = next((b for b in self._blocks if b.entry is None
                             and any(_line_kind(line) == "start" for line in b.lines)), None)
        self._header_was = _header_state(self.po)

    def text(self, header_changed: bool = False) -> str:
        """The catalog with `po`'s current content, rewriting only what changed
        (`header_changed`: write a header even if the file had none and nothing changed)."""
        placed = {id(b.entry): b for b in self._blocks if b.entry is not None}
        out: list[tuple[list[str], list[str], _Block | None]] = []
        trailing: list[_Block] = []  # comment-only blocks after the last entry stay last
        for block in self._blocks:
            if block.entry is None:
                if block is self._header:
                    out.append((self._header_lines(block), block.gap, block))
                elif out and not any(b.entry is not None for b in self._blocks[
                        self._blocks.index(block):]):
                    trailing.append(block)
                else:
                    out.append((block.lines, block.gap, block))
        if self._header is None and (header_changed or self._header_state_changed()):
            out.insert(0, (self._fresh_header(), ["\n"], None))
        for entry in self.po:
            found = placed.get(id(entry))
            if found is None:
                out.append(([line + "\n" for line in _fresh(entry)], [], None))
            else:
                out.append((self._entry_lines(found, entry), found.gap, found))
        out += [(b.lines, b.gap, b) for b in trailing]
        return self._join(out)

    def _join(self, out: list[tuple[list[str], list[str], _Block | None]]) -> str:
        successor = {id(a): b for a, b in zip(self._blocks, self._blocks[1:], strict=False)}
        parts = list(self._lead)
        for n, (lines, gap, block) in enumerate(out):
            if n + 1 == len(out):
                parts += [*lines, *gap]
                break
            following = out[n + 1][2]
            if lines and not lines[-1].endswith("\n"):
                lines = [*lines[:-1], lines[-1] + "\n"]
            keeps_neighbour = block is not None and following is not None \
                and successor.get(id(block)) is following
            parts += [*lines, *(gap if gap or keeps_neighbour else ["\n"])]
        return "".join(parts)

    def _entry_lines(self, block: _Block, entry: polib.POEntry) -> list[str]:
        now = state(entry)
        if now == block.was:
            return block.lines
        assert block.was is not None
        old = block.sections()
        moved = now["obsolete"] != block.was["obsolete"]
        lines: list[str] = []
        for section in (*render.COMMENT_SECTIONS, *render.keywords(entry)):
            same = section in old and now.get(section) == block.was.get(section) and \
                (not moved or section in ("tcomment", "comment", "occurrences", "flags"))
            if same:
                lines += old[section]
            else:
                lines += [line + "\n" for line in render.section_lines(entry, section)]
        return lines

    def _header_state_changed(self) -> bool:
        return _header_state(self.po) != self._header_was

    def _header_lines(self, block: _Block) -> list[str]:
        if not self._header_state_changed():
            return block.lines
        old = block.sections()
        header, _, fuzzy = self._header_was
        lines = old.get("tcomment", []) if self.po.header == header else \
            [line + "\n" for line in render.comment_lines("#", self.po.header)]
        if tuple(self.po.metadata_is_fuzzy or ()) == fuzzy:
            lines += old.get("flags", [])
        elif self.po.metadata_is_fuzzy:
            lines.append("#, fuzzy\n")
        lines += old.get("msgid", ['msgid ""\n'])
        return lines + self._metadata_kept(old.get("msgstr", []))

    def _metadata_kept(self, old: list[str]) -> list[str]:
        """The header's msgstr: the lines of unchanged fields as they were, others rendered
        (a new POT-Creation-Date changes one line, not a re-wrapped header)."""
        fresh = [line + "\n" for line in self._metadata_lines()]
        was = self._header_was[1]
        groups = _field_groups(old[1:]) if old[:1] == ['msgstr ""\n'] else []
        if len(groups) != len(was):
            return fresh
        kept = dict(zip(was, groups, strict=True))
        new_groups = _field_groups(fresh[1:])
        if len(new_groups) != len(self.po.metadata):
            return fresh
        return [fresh[0], *(line for item, group in zip(self.po.metadata.items(), new_groups,
                                                        strict=True)
                            for line in kept.get(item, group))]

    def _metadata_lines(self) -> list[str]:
        value = "".join(f"{name}: {text}\n" for name, text in self.po.metadata.items())
        return render.field_lines("", "msgstr", value)

    def _fresh_header(self) -> list[str]:
        lines = render.comment_lines("#", self.po.header) if self.po.header else []
        lines += ["#, fuzzy"] if self.po.metadata_is_fuzzy else []
        return [line + "\n" for line in [*lines, 'msgid ""', *self._metadata_lines()]]


def _field_groups(lines: list[str]) -> list[list[str]]:
    """Header msgstr lines grouped by field: each field's last line ends with `\\n"`."""
    groups: list[list[str]] = [[]]
    for line in lines:
        groups[-1].append(line)
        if line.rstrip().endswith('\\n"'):
            groups.append([])
    return groups[:-1] if not groups[-1] else []


def _fresh(entry: polib.POEntry) -> list[str]:
    """A new entry, every section rendered."""
    return [line for section in (*render.COMMENT_SECTIONS, *render.keywords(entry))
            for line in render.section_lines(entry, section)]


def render_new(po: polib.POFile) -> str:
    """A whole catalog written from scratch (a new file), as msgcat writes it."""
    document = Document("", "<new>")
    document.po = po
    return document.text(header_changed=True)
