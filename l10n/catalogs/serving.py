"""Serving an edition's UI strings: as JSON for the front end, as gettext for the pages.

The .po files themselves are read, cached by (path, mtime_ns, size): a translator's saved
edit is served on the next request, with no compile step and no restart.
"""

from __future__ import annotations

import functools
import gettext
import os
from datetime import UTC, datetime
from pathlib import Path

import polib

from l10n.catalogs.entries import counts, is_complete
from l10n.catalogs.errors import CatalogNotFound
from l10n.catalogs.layout import EDITIONS, Edition, catalog_path, edition
from l10n.catalogs.plurals import plural_rule
from l10n.catalogs.pofile import decode, parse


@functools.lru_cache(maxsize=32)
def _cached(path: str, mtime_ns: int, size: int) -> polib.POFile:
    """A parsed catalog, keyed by what changes when the file is saved."""
    return parse(decode(Path(path).read_bytes(), Path(path)), path)


def load(locales_dir: Path, lang: str) -> tuple[Edition, polib.POFile, os.stat_result]:
    """An edition's catalog as it is on disk now (parsed once per saved version)."""
    ed = edition(lang)
    path = catalog_path(locales_dir, ed.code)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise CatalogNotFound(f"no catalog for language {lang!r} yet ({path})") from None
    return ed, _cached(str(path), stat.st_mtime_ns, stat.st_size), stat


def catalog_messages(locales_dir: Path, lang: str, include_fuzzy: bool = False) -> dict:
    """One edition's translations, ready for JSON: untranslated entries are left out (the
    caller falls back to the English msgid), fuzzy ones too unless `include_fuzzy` (the
    preview page may show them). Keys with a context are "context\\u0004msgid", as in .mo
    files. Raises CatalogNotFound for an unknown language or a missing catalog."""
    ed, po, _ = load(locales_dir, lang)
    plural_forms = po.metadata.get("Plural-Forms", ed.plural_forms)
    nplurals = plural_rule(plural_forms).nplurals
    messages: dict[str, str] = {}
    plurals: dict[str, list[str]] = {}
    for entry in po:
        if entry.obsolete or not is_complete(entry) or (entry.fuzzy and not include_fuzzy):
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if not entry.msgid_plural:
            messages[key] = entry.msgstr
        elif sorted(entry.msgstr_plural) == list(range(nplurals)):  # else: a broken entry
            plurals[key] = [text for _, text in sorted(entry.msgstr_plural.items())]
    return {"language": ed.code, "locale": ed.locale, "plural_forms": plural_forms,
            "nplurals": nplurals, "messages": messages, "plurals": plurals}


def catalog_status(locales_dir: Path) -> list[dict]:
    """Progress of each edition that has a catalog, in edition order."""
    rows = []
    for code in EDITIONS:
        try:
            ed, po, stat = load(locales_dir, code)
        except CatalogNotFound:
            continue
        found = counts(po)
        rows.append({
            "language": ed.code, "locale": ed.locale, "total": found.total,
            "translated": found.translated, "fuzzy": found.fuzzy,
            "untranslated": found.untranslated, "percent": found.percent,
            "last_modified": datetime.fromtimestamp(stat.st_mtime, UTC)
                                     .isoformat(timespec="seconds"),
        })
    return rows


class CatalogTranslations(gettext.NullTranslations):
    """gettext, ngettext, pgettext and npgettext over `catalog_messages`: what Jinja's
    `install_gettext_translations` needs to render the templates in an edition."""

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self._messages: dict[str, str] = payload["messages"]
        self._plurals: dict[str, list[str]] = payload["plurals"]
        self._form = plural_rule(payload["plural_forms"]).form

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._plural(msgid1, msgid1, msgid2, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._messages.get(f"{context}\x04{message}", message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._plural(f"{context}\x04{msgid1}", msgid1, msgid2, n)

    def _plural(self, key: str, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plurals.get(key)
        if forms is None:
            return msgid1 if n == 1 else msgid2
        return forms[int(self._form(n))]


def translations(locales_dir: Path, lang: str, include_fuzzy: bool = False) -> CatalogTranslations:
    """The edition's translations as a gettext object (for Jinja and for Python code)."""
    return CatalogTranslations(catalog_messages(locales_dir, lang, include_fuzzy))
