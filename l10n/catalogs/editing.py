"""A translator's edit of one entry: set its msgstr (and fuzzy flag), safely.

Optimistic concurrency by entry hash: the client sends the hash of the entry as it read it
(`entry_view`), and the edit is refused (StaleEntry) if the entry has changed since, so two
reviewers never overwrite each other. Other entries may change meanwhile: the edit is
replayed on the file as it is on disk (store.edit_catalog), and only this entry's lines
are rewritten.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n.catalogs.errors import EntryNotFound, StaleEntry
from l10n.catalogs.layout import catalog_path, edition
from l10n.catalogs.plurals import plural_rule
from l10n.catalogs.serving import load
from l10n.catalogs.store import edit_catalog
from l10n.errors import InputError


def entry_hash(entry: polib.POEntry) -> str:
    """What a translator sees of an entry (strings, plural forms, fuzzy), hashed."""
    seen = [entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr,
            sorted(entry.msgstr_plural.items()), entry.fuzzy]
    return hashlib.sha256(json.dumps(seen, ensure_ascii=False).encode("utf-8")).hexdigest()


def _find(po: polib.POFile, msgctxt: str | None, msgid: str) -> polib.POEntry:
    for entry in po:
        if not entry.obsolete and entry.msgid == msgid and entry.msgctxt == msgctxt:
            return entry
    raise EntryNotFound(f"no entry with msgctxt {msgctxt!r} and msgid {msgid!r}")


def entry_view(entry: polib.POEntry) -> dict:
    return {"msgctxt": entry.msgctxt, "msgid": entry.msgid,
            "msgid_plural": entry.msgid_plural or None,
            "msgstr": entry.msgstr if not entry.msgid_plural else None,
            "msgstr_plural": [t for _, t in sorted(entry.msgstr_plural.items())]
            if entry.msgid_plural else None,
            "fuzzy": entry.fuzzy, "hash": entry_hash(entry)}


def read_entry(locales_dir: Path, lang: str, msgctxt: str | None, msgid: str) -> dict:
    _, po, _ = load(locales_dir, lang)
    return entry_view(_find(po, msgctxt, msgid))


@dataclass(frozen=True)
class EntryEdit:
    msgctxt: str | None
    msgid: str
    expected_hash: str
    fuzzy: bool
    msgstr: str | None = None             # a singular entry
    msgstr_plural: list[str] | None = None  # a plural entry: every form, in order


def _text(body: dict, name: str, optional: bool = False) -> str | None:
    value = body.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InputError(f"'{name}' must be a string", code="invalid_field", field=name)
    return value


def parse_edit(body: object) -> EntryEdit:
    """The JSON body of PUT /v1/catalogs/<lang>/entries (docs/translators.md)."""
    if not isinstance(body, dict):
        raise InputError("the body must be a JSON object", code="invalid_body")
    known = {"msgctxt", "msgid", "hash", "fuzzy", "msgstr", "msgstr_plural"}
    unknown = sorted(set(body) - known)
    if unknown:
        raise InputError(f"unknown fields: {', '.join(unknown)}", code="invalid_field",
                         field=unknown[0])
    fuzzy = body.get("fuzzy", False)
    if not isinstance(fuzzy, bool):
        raise InputError("'fuzzy' must be true or false", code="invalid_field", field="fuzzy")
    forms = body.get("msgstr_plural")
    if forms is not None and (not isinstance(forms, list)
                              or not all(isinstance(f, str) for f in forms)):
        raise InputError("'msgstr_plural' must be a list of strings", code="invalid_field",
                         field="msgstr_plural")
    if (body.get("msgstr") is None) == (forms is None):
        raise InputError("send exactly one of 'msgstr' and 'msgstr_plural'",
                         code="invalid_field", field="msgstr")
    return EntryEdit(msgctxt=_text(body, "msgctxt", optional=True),
                     msgid=_text(body, "msgid") or "", expected_hash=_text(body, "hash") or "",
                     fuzzy=fuzzy, msgstr=_text(body, "msgstr", optional=True),
                     msgstr_plural=forms)


def set_entry(locales_dir: Path, lang: str, edit: EntryEdit) -> dict:
    """Apply `edit` to the edition's catalog; the entry as now saved (with its new hash).
    Raises EntryNotFound, StaleEntry, or InputError when the strings do not fit the entry."""
    ed = edition(lang)
    saved: dict = {}

    def apply(po: polib.POFile) -> None:
        entry = _find(po, edit.msgctxt, edit.msgid)
        if entry_hash(entry) != edit.expected_hash:
            raise StaleEntry(f"entry {edit.msgid!r} changed since it was read; "
                             f"its hash is now {entry_hash(entry)}")
        if entry.msgid_plural:
            nplurals = plural_rule(po.metadata.get("Plural-Forms", ed.plural_forms)).nplurals
            if edit.msgstr_plural is None or len(edit.msgstr_plural) != nplurals:
                raise InputError(f"this entry has a plural: send msgstr_plural with "
                                 f"{nplurals} forms", code="invalid_field",
                                 field="msgstr_plural")
            entry.msgstr_plural = dict(enumerate(edit.msgstr_plural))
        else:
            if edit.msgstr is None or edit.msgstr_plural is not None:
                raise InputError("this entry has no plural: send msgstr",
                                 code="invalid_field", field="msgstr")
            entry.msgstr = edit.msgstr
        if edit.fuzzy != entry.fuzzy:
            entry.flags = ["fuzzy", *entry.flags] if edit.fuzzy else \
                [f for f in entry.flags if f != "fuzzy"]
        if not entry.fuzzy:  # reviewed: the previous source string has done its job
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        saved.clear()
        saved.update(entry_view(entry))

    edit_catalog(catalog_path(locales_dir, ed.code), apply)
    return saved
