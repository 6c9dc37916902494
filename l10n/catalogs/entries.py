"""What an entry holds: each msgstr with the source it translates, and how complete it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import polib


def source(entry: polib.POEntry, form: int) -> str:
    """What a msgstr translates: msgstr[0] the msgid, the other plural forms msgid_plural."""
    return entry.msgid_plural if form and entry.msgid_plural else entry.msgid


class Pair(NamedTuple):
    form: int | None  # None: not a plural entry
    source: str
    text: str

    @property
    def label(self) -> str:
        return "msgstr" if self.form is None else f"msgstr[{self.form}]"


def pairs(entry: polib.POEntry) -> list[Pair]:
    """Each msgstr of an entry with the source text it translates."""
    if not entry.msgid_plural:
        return [Pair(None, entry.msgid, entry.msgstr)]
    return [Pair(j, source(entry, j), text) for j, text in sorted(entry.msgstr_plural.items())]


def is_empty(entry: polib.POEntry) -> bool:
    return not entry.msgstr and not any(entry.msgstr_plural.values())


def is_complete(entry: polib.POEntry) -> bool:
    """Every msgstr filled in (fuzzy or not)."""
    return all(pair.text for pair in pairs(entry)) and bool(entry.msgstr or entry.msgstr_plural)


@dataclass(frozen=True)
class Counts:
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return round(100 * self.translated / self.total, 1) if self.total else 100.0


def counts(po: polib.POFile) -> Counts:
    live = [e for e in po if not e.obsolete]
    translated = sum(not e.fuzzy and is_complete(e) for e in live)
    fuzzy = sum(bool(e.fuzzy) for e in live)
    return Counts(translated, fuzzy, len(live) - translated - fuzzy)
