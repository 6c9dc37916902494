"""Glossaries for one language pair (DeepL's /v2/glossaries), laid over the names glossary.

A DeepL glossary maps source terms to target terms for one pair ("Volgoretsk" → "Wolgorezk",
EN → DE). The service's own glossary is the names glossary (glossary.py): every name in every
edition. A pair glossary is kept apart, so that a CMS plugin can never rewrite the newsroom's
names; a translation that names it (`glossary_id`) uses the names glossary with the pair
glossary's terms laid over it: a term the names glossary knows gets the pair glossary's
rendering in the target column, a new term becomes a name of its own (written as given,
never declined). Names are put in after the translation memory is consulted, so a cached
translation is the same with or without a pair glossary and each request gets its own names.

Each glossary is a JSON file in `<data_dir>/glossaries/`, written atomically.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n.atomic import write_atomic
from l10n.editions import LANGUAGES
from l10n.errors import InputError
from l10n.localise.glossary import Entry, Glossary

_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class PairGlossary:
    id: str
    name: str
    source: str
    target: str
    entries: tuple[tuple[str, str], ...]
    created: float


def parse_entries(text: str, fmt: str) -> tuple[tuple[str, str], ...]:
    """TSV (`source<TAB>target` a line) or CSV (`source,target[,source_lang,target_lang]`)."""
    if fmt == "tsv":
        rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    else:
        rows = [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    entries: dict[str, str] = {}
    for number, row in enumerate(rows, 1):
        if len(row) < 2 or (fmt == "tsv" and len(row) != 2) or len(row) not in (2, 4):
            raise InputError(f"Invalid glossary entries: line {number} must hold a source and "
                             "a target term", code="invalid_glossary", field="entries")
        source, target = row[0].strip(), row[1].strip()
        if not source or not target:
            raise InputError(f"Invalid glossary entries: line {number} has an empty term",
                             code="invalid_glossary", field="entries")
        if source in entries:
            raise InputError(f"Invalid glossary entries: {source!r} appears twice",
                             code="invalid_glossary", field="entries")
        entries[source] = target
    if not entries:
        raise InputError("Invalid glossary entries: no entries", code="invalid_glossary",
                         field="entries")
    if len(entries) > MAX_ENTRIES:
        raise InputError(f"Invalid glossary entries: more than {MAX_ENTRIES}",
                         code="invalid_glossary", field="entries")
    return tuple(entries.items())


def to_tsv(glossary: PairGlossary) -> str:
    return "".join(f"{s}\t{t}\n" for s, t in glossary.entries)


def overlay(names: Glossary, pair: PairGlossary) -> Glossary:
    """The names glossary with the pair glossary's terms in its target column."""
    terms = dict(pair.entries)
    entries = [_rendered(e, pair.target, terms.pop(e.en)) if e.en in terms else e
               for e in names.entries]
    for source, target in terms.items():
        columns = {code: source for code in LANGUAGES}
        columns[pair.target] = target
        entries.append(Entry(**columns, kind="org", flags=frozenset({"indeclinable"}),
                             note=f"pair glossary {pair.id}"))
    return Glossary(tuple(entries))


def _rendered(entry: Entry, lang: str, text: str) -> Entry:
    columns: dict[str, Any] = {**dataclasses.asdict(entry), lang: text}
    return Entry(**columns)


class PairGlossaries:
    def __init__(self, root: Path) -> None:
        self.root = root

    def create(self, name: str, source: str, target: str,
               entries: tuple[tuple[str, str], ...]) -> PairGlossary:
        glossary = PairGlossary(_uuid(), name, source, target, entries, time.time())
        write_atomic(self.root / f"{glossary.id}.json",
                     json.dumps(dataclasses.asdict(glossary), ensure_ascii=False))
        return glossary

    def get(self, glossary_id: str) -> PairGlossary | None:
        if not _ID.fullmatch(glossary_id):
            return None
        try:
            data = json.loads((self.root / f"{glossary_id}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return PairGlossary(**{**data, "entries": tuple(tuple(e) for e in data["entries"])})

    def listed(self) -> list[PairGlossary]:
        found = (self.get(p.stem) for p in sorted(self.root.glob("*.json")))
        return sorted((g for g in found if g), key=lambda g: g.created)

    def delete(self, glossary_id: str) -> bool:
        if self.get(glossary_id) is None:
            return False
        (self.root / f"{glossary_id}.json").unlink(missing_ok=True)
        return True


def _uuid() -> str:
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
