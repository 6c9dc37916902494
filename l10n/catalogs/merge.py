"""Merging a template into a catalog the way GNU msgmerge (with --previous) does.

Why msgmerge's rules: they are what translators' tools expect, and each one keeps review
honest. For every template string, in the template's order:
- the catalog's entry with the same msgctxt and msgid keeps its translation and its fuzzy
  flag; its references, extracted comments and format flags come from the template (so
  format flags are only those the extractor of the source language set);
- else an obsolete entry with that msgid comes back, marked fuzzy (msgmerge 0.21 revives it
  as final; here a translation nobody looked at since the string went away is reviewed);
- else the most similar translated entry (similarity above msgmerge's 0.6) lends its
  translation, marked fuzzy, with its msgid kept as the `#|` previous msgid;
- else the entry is new and empty.
Entries no template string took become obsolete with their flags and translator comments;
untranslated ones are dropped, as msgmerge drops them. Obsolete entries stay as they were.
"""

from __future__ import annotations

from difflib import SequenceMatcher

import polib

from l10n.catalogs.entries import is_empty

FUZZY_THRESHOLD = 0.6  # msgmerge's FUZZY_THRESHOLD

Key = tuple[str | None, str]


def merge(po: polib.POFile, template: polib.POFile, nplurals: int) -> None:
    """Bring `po` (changed in place) up to date with `template`."""
    live: dict[Key, polib.POEntry] = {}
    retired: dict[Key, polib.POEntry] = {}
    for entry in po:
        (retired if entry.obsolete else live).setdefault((entry.msgctxt, entry.msgid), entry)
    used: set[int] = set()
    result: list[polib.POEntry | None] = []
    pending: list[tuple[int, polib.POEntry]] = []
    for wanted in (t for t in template if not t.obsolete and t.msgid):
        key = (wanted.msgctxt, wanted.msgid)
        found = live.get(key)
        if found is None and key in retired:
            found = _revive(retired[key])
        if found is not None and id(found) not in used:
            used.add(id(found))
            _refresh(found, wanted, nplurals)
            result.append(found)
        else:
            pending.append((len(result), wanted))
            result.append(None)
    candidates = [e for e in po if e.msgid and not is_empty(e)]
    for index, wanted in pending:
        result[index] = _from_similar(wanted, candidates, used, nplurals)
    leftovers = [e for e in po if id(e) not in used and (e.obsolete or not is_empty(e))]
    for entry in leftovers:
        if not entry.obsolete:
            entry.obsolete = True
            entry.occurrences, entry.comment = [], ""
    po[:] = [*(e for e in result if e is not None), *leftovers]
    created = template.metadata.get("POT-Creation-Date")
    if created and po.metadata.get("POT-Creation-Date") != created:
        po.metadata["POT-Creation-Date"] = created


def _revive(entry: polib.POEntry) -> polib.POEntry:
    entry.obsolete = False
    if not is_empty(entry) and "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
        entry.previous_msgctxt, entry.previous_msgid = entry.msgctxt, entry.msgid
        entry.previous_msgid_plural = entry.msgid_plural
    return entry


def _flags(fuzzy: bool, wanted: polib.POEntry) -> list[str]:
    return ["fuzzy"] * fuzzy + [f for f in wanted.flags if f != "fuzzy"]


def _refresh(entry: polib.POEntry, wanted: polib.POEntry, nplurals: int) -> None:
    """The template's side of an entry that keeps its translation."""
    if entry.occurrences != wanted.occurrences:
        entry.occurrences = list(wanted.occurrences)
    if entry.comment != wanted.comment:
        entry.comment = wanted.comment
    if entry.msgid_plural != wanted.msgid_plural:
        _replural(entry, wanted, nplurals)
    flags = _flags(entry.fuzzy, wanted)
    if sorted(flags) != sorted(entry.flags):
        entry.flags = flags
    if not entry.fuzzy:
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None


def _replural(entry: polib.POEntry, wanted: polib.POEntry, nplurals: int) -> None:
    """A string that gained, lost or changed its plural: the translation is kept, fuzzy."""
    if not entry.fuzzy:
        entry.flags.insert(0, "fuzzy")
        entry.previous_msgctxt, entry.previous_msgid = entry.msgctxt, entry.msgid
        entry.previous_msgid_plural = entry.msgid_plural
    if wanted.msgid_plural and not entry.msgid_plural:
        entry.msgstr_plural = {n: entry.msgstr if n == 0 else "" for n in range(nplurals)}
        entry.msgstr = ""
    elif entry.msgid_plural and not wanted.msgid_plural:
        entry.msgstr = entry.msgstr_plural.get(0, "")
        entry.msgstr_plural = {}
    entry.msgid_plural = wanted.msgid_plural


def _from_similar(wanted: polib.POEntry, candidates: list[polib.POEntry], used: set[int],
                  nplurals: int) -> polib.POEntry:
    """A new entry, with the translation of the most similar one (same context) if any."""
    entry = polib.POEntry(msgctxt=wanted.msgctxt, msgid=wanted.msgid,
                          msgid_plural=wanted.msgid_plural, comment=wanted.comment,
                          occurrences=list(wanted.occurrences), flags=_flags(False, wanted))
    if wanted.msgid_plural:
        entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
    best, best_score = None, FUZZY_THRESHOLD
    for candidate in candidates:
        if candidate.msgctxt != wanted.msgctxt:
            continue
        matcher = SequenceMatcher(None, wanted.msgid, candidate.msgid, autojunk=False)
        if matcher.real_quick_ratio() > best_score and matcher.quick_ratio() > best_score:
            score = matcher.ratio()
            if score > best_score:
                best, best_score = candidate, score
    if best is None:
        return entry
    used.add(id(best))
    entry.flags.insert(0, "fuzzy")
    entry.previous_msgctxt, entry.previous_msgid = best.msgctxt, best.msgid
    entry.previous_msgid_plural = best.msgid_plural
    singular = best.msgstr or best.msgstr_plural.get(0, "")
    if wanted.msgid_plural:
        forms = best.msgstr_plural or {0: singular}
        entry.msgstr_plural = {n: forms.get(n, "") for n in range(nplurals)}
    else:
        entry.msgstr = singular
    return entry
