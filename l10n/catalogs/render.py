"""PO text for new or changed entries, wrapped exactly as GNU msgcat and msgmerge wrap it.

Why: a file that this project, Poedit and msgmerge all write the same way converges; one
that each tool re-wraps differently turns every round trip into a diff of the whole file.
The rules are GNU gettext's (write-po.c): page width 79, a string is split after each `\\n`
and elsewhere at Unicode line-break opportunities (UAX #14: after spaces, after hyphens,
never inside an escape sequence), filling each line greedily; a string that needs more than
one line starts with an empty `""` line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import polib

WIDTH = 79
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
            "\b": "\\b", "\f": "\\f", "\v": "\\v"}

# Line-breaking classes (UAX #14) of the characters PO strings are made of; the default
# is AL (letters), wide East Asian characters are ID.
_CLASSES = {
    " ": "SP", "!": "EX", "?": "EX", '"': "QU", "'": "QU", "(": "OP", "[": "OP", "{": "OP",
    ")": "CP", "]": "CP", "}": "CL", ",": "IS", ".": "IS", ":": "IS", ";": "IS", "/": "SY",
    "-": "HY", "%": "PO", "$": "PR", "+": "PR", "\\": "PR", "|": "BA", "\u00a0": "GL",
    "\u202f": "GL", "\u2011": "GL", "\u2010": "BA", "\u2013": "BA", "\u2014": "B2",
    "\u00ab": "QU", "\u00bb": "QU", "\u2018": "QU", "\u2019": "QU", "\u201c": "QU",
    "\u201d": "QU", "\u201e": "OP", "\u2026": "IN", "\u00bf": "OP", "\u00a1": "OP",
    "\u20ac": "PR", "\u00a3": "PR", "\u00b0": "PO", "\u3001": "CL", "\u3002": "CL",
    **dict.fromkeys("0123456789", "NU"),
}


def _class(char: str) -> str:
    found = _CLASSES.get(char)
    if found:
        return found
    return "ID" if unicodedata.east_asian_width(char) in "WF" else "AL"


def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _may_break(before: str, after: str, before_spaces: str) -> bool:
    """UAX #14's pair rules (LB7-LB31) for a break between classes `before` and `after`;
    `before_spaces` is the class before the run of spaces that ends at `before`."""
    b, a, x = before, after, before_spaces
    if a == "SP" or b == "GL" or (a == "GL" and b not in ("SP", "BA", "HY")):
        return False
    if a in ("CL", "CP", "EX", "IS", "SY") or x == "OP" or (x == "QU" and a == "OP") \
            or (x == "B2" and a == "B2"):
        return False
    if b == "SP":
        return True
    if "QU" in (a, b) or a in ("BA", "HY", "IN"):
        return False
    if (b, a) in {("AL", "NU"), ("NU", "AL"), ("PR", "AL"), ("PO", "AL"), ("AL", "PR"),
                  ("AL", "PO"), ("PR", "NU"), ("PO", "NU"), ("PR", "OP"), ("PO", "OP"),
                  ("OP", "NU"), ("HY", "NU"), ("AL", "AL"), ("AL", "OP"),
                  ("NU", "OP"), ("CP", "AL"), ("CP", "NU")}:
        return False
    return not (b == "NU" and a in ("NU", "SY", "IS", "PO", "PR", "CL", "CP"))


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)


def _portions(text: str) -> list[str]:
    """The string cut after each newline: GNU starts a new line there."""
    pieces = text.split("\n")
    portions = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1] or not portions:
        portions.append(pieces[-1])
    return portions


def _breaks(portion: str, escaped: str, start: int, width: int) -> list[int]:
    """Where to break `escaped` (the portion as written), greedily as libunistring does."""
    opportunities = [False] * len(escaped)
    classes: list[str] = []
    inside: list[bool] = []  # the second character of an escape sequence
    for char in portion:
        written = _ESCAPES.get(char, char)
        classes.append(_class(written[0]))
        inside.append(False)
        if len(written) == 2:
            classes.append(_class(written[1]))
            inside.append(True)
    last_non_space = ""
    for i in range(1, len(escaped)):
        if classes[i - 1] != "SP":
            last_non_space = classes[i - 1]
        opportunities[i] = not inside[i] and _may_break(classes[i - 1], classes[i],
                                                        last_non_space)
    if portion.endswith("\n"):  # never break just before the final "\n"
        opportunities[len(escaped) - 2] = False
    breaks: list[int] = []
    column, piece, last = start, 0, None
    for i, char in enumerate(escaped):
        if opportunities[i]:
            if last is not None and column + piece > width:
                breaks.append(last)
                column = 0
            last, column, piece = i, column + piece, 0
        piece += _width(char)
    if last is not None and column + piece > width:
        breaks.append(last)
    return breaks


def field_lines(prefix: str, name: str, value: str, width: int = WIDTH) -> list[str]:
    """`name "value"` as GNU writes it, one or more lines, each starting with `prefix`
    ("" for live entries, "#~ " for obsolete ones, "#| " for previous strings)."""
    after_break = len(prefix) + 1
    room = width - 1 - after_break
    lines: list[str] = []
    first = True
    portions = _portions(value)
    for index, portion in enumerate(portions):
        escaped = escape(portion)
        start = len(prefix) + len(name) + 2 - after_break if first else 0
        breaks = _breaks(portion, escaped, start, room)
        if first and escaped and (index < len(portions) - 1 or start > room
                                  or breaks):
            lines.append(f'{prefix}{name} ""')
            first = False
            breaks = _breaks(portion, escaped, 0, room)
        head = f"{prefix}{name} " if first else prefix
        first = False
        cuts = [0, *breaks, len(escaped)]
        for n, (left, right) in enumerate(zip(cuts, cuts[1:], strict=False)):
            lines.append(f'{head if n == 0 else prefix}"{escaped[left:right]}"')
    return lines


def comment_lines(mark: str, text: str) -> list[str]:
    """`# text` / `#. text` lines, one per line of `text`; an empty line is a bare mark."""
    return [f"{mark} {line}" if line else mark for line in text.split("\n")]


def reference_lines(occurrences: Iterable[tuple[str, str]], width: int = WIDTH) -> list[str]:
    """`#: file:line ...`, filled up to the page width as GNU does."""
    lines: list[str] = []
    current = "#:"
    for filename, line in occurrences:
        item = f"{filename}:{line}" if line else filename
        if current != "#:" and len(current) + 1 + len(item) > width:
            lines.append(current)
            current = "#:"
        current += " " + item
    if current != "#:":
        lines.append(current)
    return lines


def previous_lines(entry: polib.POEntry) -> list[str]:
    prefix = "#~| " if entry.obsolete else "#| "
    lines: list[str] = []
    for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            lines += field_lines(prefix, name, value)
    return lines


def string_lines(entry: polib.POEntry, name: str) -> list[str]:
    """One keyword's lines: msgctxt, msgid, msgid_plural, msgstr or msgstr[N]."""
    prefix = "#~ " if entry.obsolete else ""
    if name.startswith("msgstr["):
        value = entry.msgstr_plural.get(int(name[7:-1]), "")
    else:
        value = getattr(entry, name)
    return field_lines(prefix, name, value)


def keywords(entry: polib.POEntry) -> list[str]:
    """The keyword sections an entry has, in PO order."""
    names = (["msgctxt"] if entry.msgctxt is not None else []) + ["msgid"]
    if entry.msgid_plural:
        forms = sorted(entry.msgstr_plural) or [0, 1]
        return names + ["msgid_plural"] + [f"msgstr[{n}]" for n in forms]
    return names + ["msgstr"]


def section_lines(entry: polib.POEntry, section: str) -> list[str]:
    """The lines of one section of an entry (see `SECTIONS`), freshly rendered."""
    if section == "tcomment":
        return comment_lines("#", entry.tcomment) if entry.tcomment else []
    if section == "comment":
        return comment_lines("#.", entry.comment) if entry.comment else []
    if section == "occurrences":
        return reference_lines(entry.occurrences)
    if section == "flags":
        return ["#, " + ", ".join(entry.flags)] if entry.flags else []
    if section == "previous":
        return previous_lines(entry)
    return string_lines(entry, section)


COMMENT_SECTIONS = ("tcomment", "comment", "occurrences", "flags", "previous")
