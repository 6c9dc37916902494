"""The names glossary: how each person, place, organisation and medium is written per edition.

Editors keep it as a TSV file in the repository (`glossary/names.tsv`, one name a row, header
`en ru de fr pt es kind flags note`); the service reads and replaces it through JSON
(`{"entries": [{"en": ..., "ru": ..., "kind": ..., "flags": [...], "note": ...}]}`). Both forms
go through the same validation, so a file that loads is a file the API would accept.

`version` hashes the canonical content: a batch run's manifest records it, so any edit to the
glossary (even to a note) writes every article again with the new names (from the translation
memory, which holds engine output before names are put in).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.atomic import write_atomic
from l10n.editions import LANGUAGES
from l10n.resources import shipped

log = logging.getLogger(__name__)

LANGUAGES = LANGUAGES  # the glossary's language columns, English (the source) first
KINDS = ("person", "place", "org", "media")
FLAGS = ("keep", "indeclinable")
COLUMNS = (*LANGUAGES, "kind", "flags", "note")
DEFAULT_GLOSSARY = shipped("glossary/names.tsv")  # the repository's, or the wheel's copy


class GlossaryError(ValueError):
    """Glossary content that cannot be used; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Entry:
    """One name in every edition's language; a `keep` name has its English form in each."""

    en: str
    ru: str
    de: str
    fr: str
    pt: str
    es: str
    kind: str
    flags: frozenset[str] = frozenset()
    note: str = ""

    @property
    def keep(self) -> bool:
        return "keep" in self.flags

    @property
    def indeclinable(self) -> bool:
        return "indeclinable" in self.flags


@dataclass(frozen=True)
class Match:
    """A glossary name found in a text: `text[start:end]` is its form in that language."""

    entry: Entry
    start: int
    end: int


@dataclass(frozen=True)
class Glossary:
    """An immutable list of names; replace the whole glossary to change it."""

    entries: tuple[Entry, ...] = ()
    _index: dict[str, tuple[re.Pattern[str], dict[str, Entry]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @staticmethod
    def rendering(entry: Entry, lang: str) -> str:
        """How `entry` is written in edition `lang`."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        return getattr(entry, lang)

    def get(self, en: str) -> Entry | None:
        """The entry whose English form is exactly `en`."""
        return next((entry for entry in self.entries if entry.en == en), None)

    def find_in(self, text: str, lang: str = "en") -> list[Match]:
        """Glossary names in `text` (whole words, case-sensitive), longest name first at each
        position, left to right, never overlapping."""
        if not self.entries:
            return []
        if lang not in self._index:
            forms = {self.rendering(entry, lang): entry for entry in self.entries}
            alternatives = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
            self._index[lang] = (pattern, forms)
        pattern, forms = self._index[lang]
        return [Match(forms[m.group()], m.start(), m.end()) for m in pattern.finditer(text)]

    @property
    def version(self) -> str:
        """A hash of the canonical content: equal glossaries share it, any change of a cell
        changes it."""
        return hashlib.sha256(self.to_tsv().encode("utf-8")).hexdigest()[:16]

    # -- JSON (the HTTP API) -----------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {"entries": [_entry_to_item(entry) for entry in self.entries]}

    @classmethod
    def from_json(cls, data: Any) -> Glossary:
        entries, errors = _parse_document(data)
        if errors:
            raise GlossaryError(errors)
        return cls(tuple(entries))

    # -- TSV (the file editors edit) ---------------------------------------------------------

    def to_tsv(self) -> str:
        rows = [COLUMNS]
        for entry in self.entries:
            item = _entry_to_item(entry)
            rows.append(tuple(",".join(v) if isinstance(v, list) else v for v in item.values()))
        return "".join("\t".join(row) + "\n" for row in rows)

    @classmethod
    def load(cls, path: str | os.PathLike[str] = DEFAULT_GLOSSARY) -> Glossary:
        """Read and validate a glossary file; GlossaryError names the bad lines."""
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        header = tuple(cell.strip() for cell in lines[0].split("\t")) if lines else ()
        if header != COLUMNS:
            raise GlossaryError([f"{path}: header must be {' '.join(COLUMNS)!r} (tab-separated)"])
        items, errors = [], []
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            cells = line.split("\t")
            if len(cells) > len(COLUMNS):
                errors.append(f"line {number}: {len(cells)} cells, at most {len(COLUMNS)}")
                continue
            item: dict[str, Any] = dict(zip(COLUMNS, [*cells, *[""] * (len(COLUMNS) - len(cells))]))
            item["flags"] = [flag.strip() for flag in item["flags"].split(",") if flag.strip()]
            items.append((f"line {number}", item))
        entries, entry_errors = _parse_items(items)
        if errors or entry_errors:
            raise GlossaryError([f"{path}: {error}" for error in errors + entry_errors])
        return cls(tuple(entries))

    def save(self, path: str | os.PathLike[str] = DEFAULT_GLOSSARY) -> None:
        """Write the file atomically: readers see the old glossary or the new one, never half."""
        write_atomic(Path(path), self.to_tsv())


def validate(data: Any) -> list[str]:
    """Every problem in a JSON glossary document (empty when `from_json` would accept it)."""
    return _parse_document(data)[1]


def _entry_to_item(entry: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {lang: getattr(entry, lang) for lang in LANGUAGES}
    return item | {"kind": entry.kind, "flags": sorted(entry.flags), "note": entry.note}


def _parse_document(data: Any) -> tuple[list[Entry], list[str]]:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return [], ['expected an object {"entries": [...]}']
    if extra := sorted(set(data) - {"entries"}):
        return [], [f"unknown top-level keys {extra}"]
    return _parse_items([(f"entries[{i}]", item) for i, item in enumerate(data["entries"])])


def _parse_items(items: list[tuple[str, Any]]) -> tuple[list[Entry], list[str]]:
    """Validate (where, item) pairs into entries; English forms must be unique."""
    entries: list[Entry] = []
    errors: list[str] = []
    first_seen: dict[str, str] = {}
    for where, item in items:
        entry, problems = _parse_item(item)
        errors += [f"{where}: {problem}" for problem in problems]
        if entry is None:
            continue
        if entry.en in first_seen:
            errors.append(f"{where}: {entry.en!r} is already defined at {first_seen[entry.en]}")
        first_seen.setdefault(entry.en, where)
        entries.append(entry)
    return entries, errors


def _parse_item(item: Any) -> tuple[Entry | None, list[str]]:
    if not isinstance(item, dict):
        return None, ["expected an object"]
    problems = [f"unknown key {key!r}" for key in item if key not in COLUMNS]
    text: dict[str, str] = {}
    for key in (*LANGUAGES, "kind", "note"):
        value = item.get(key, "")
        if not isinstance(value, str):
            problems.append(f"{key} must be a string")
        elif re.search(r"[\t\r\n]", value):
            problems.append(f"{key} contains a tab or line break")
        else:
            text[key] = value.strip()
    flags = item.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
        problems.append("flags must be a list of strings")
        flags = []
    problems += [f"unknown flag {flag!r} (known: {', '.join(FLAGS)})" for flag in flags
                 if flag not in FLAGS]
    if problems:
        return None, problems
    if text["kind"] not in KINDS:
        problems.append(f"kind {text['kind']!r} is not one of {', '.join(KINDS)}")
    if not text["en"]:
        problems.append("en is empty")
    for lang in LANGUAGES[1:]:
        if "keep" in flags:
            if text[lang] not in ("", text["en"]):
                problems.append(f"{lang} {text[lang]!r} differs from en but the name is 'keep'")
            text[lang] = text["en"]  # a kept name may leave its other cells empty
        elif not text[lang]:
            problems.append(f"{lang} is empty (fill it in, or flag the name 'keep')")
    if problems:
        return None, problems
    return Entry(**text, flags=frozenset(flags)), []


class GlossaryFile:
    """The glossary on disk, re-read when the file changes (edits need no restart).

    The file must exist when the service starts: a missing glossary is an error then, not an
    empty glossary that would let every name through untouched. If it disappears later, the
    last glossary read stays in use (and the loss is logged).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path or DEFAULT_GLOSSARY)
        if not self.path.is_file():
            raise GlossaryError([f"{self.path}: no such glossary file (L10N_GLOSSARY names it)"])
        self._stamp: tuple[int, int] | None = None
        self._glossary = Glossary(())
        self.get()

    def get(self) -> Glossary:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            log.error("%s is gone: the names glossary read last stays in use", self.path)
            return self._glossary
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp != self._stamp:
            self._glossary, self._stamp = Glossary.load(self.path), stamp
        return self._glossary

    def put(self, data: Any) -> Glossary:
        """Replace the glossary with a validated JSON document; GlossaryError if invalid."""
        glossary = Glossary.from_json(data)
        glossary.save(self.path)
        return self.get()
