"""Checking a catalog: everything `msgfmt --check` rejects, pofilter's placeholder checks,
and the house rules (as warnings, see house.py).

msgfmt's classes: PO syntax, the header (fields, charset, Plural-Forms), plural forms per
entry, format strings of flagged entries, newlines at the ends, duplicate definitions (live
and obsolete entries alike). Beyond msgfmt, as pofilter does: placeholders of every entry
whose msgid visibly uses a format, flagged or not; and Plural-Forms compared as rules with
the edition's (an error) or, without an edition, with the locale's (a warning). Problems of
fuzzy entries are warnings: they are not compiled or served until a translator reviews them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n.catalogs import house, placeholders
from l10n.catalogs.entries import Counts, counts, is_empty, pairs
from l10n.catalogs.errors import CatalogSyntaxError
from l10n.catalogs.layout import Edition, catalog_path, editions
from l10n.catalogs.plurals import PluralRule, locale_plural_forms, plural_rule, rule_mismatch
from l10n.catalogs.pofile import parse
from l10n.catalogs.store import snapshot


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    msgid: str  # "" for the header
    message: str
    severity: str = "error"  # "error" fails the check; "warning" is reported only

    def __str__(self) -> str:
        shown = json.dumps(self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "...",
                           ensure_ascii=False) if self.msgid else "(header)"
        return f"{self.path}:{self.line}: {self.severity}: {shown}: {self.message}"


@dataclass
class Checked:
    """The check of one catalog."""

    lang: str | None
    path: Path
    counts: Counts | None  # None: the file could not be read
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def failed(self, strict: bool = False) -> bool:
        """Errors fail; with `strict` (release builds) so does anything left to translate."""
        incomplete = self.counts is not None and (self.counts.fuzzy or self.counts.untranslated)
        return bool(self.errors) or bool(strict and incomplete)


_HEADER_FIELDS = {  # required field: initial values that gettext and Babel leave in it
    "Project-Id-Version": ("PACKAGE VERSION", "PROJECT VERSION"),
    "PO-Revision-Date": ("YEAR-MO-DA",),
    "Last-Translator": ("FULL NAME",),
    "Language-Team": ("LANGUAGE",),
    "MIME-Version": (),
    "Content-Type": ("text/plain; charset=CHARSET",),
    "Content-Transfer-Encoding": ("ENCODING",),
    "Language": (),
}


def check_catalogs(locales_dir: Path, langs: Iterable[str] | None = None) -> list[Checked]:
    """Check each edition's catalog (a missing one is an error)."""
    return [check_catalog(catalog_path(locales_dir, ed.code), ed) for ed in editions(langs)]


def check_catalog(path: Path, ed: Edition | None = None) -> Checked:
    """Check one catalog; `ed` adds the edition's rules (its Plural-Forms and Language)."""
    path = Path(path)
    lang = ed.code if ed else None
    try:
        text = snapshot(path).text
        if text is None:
            return Checked(lang, path, None, [Problem(path, 0, "", "no such catalog")])
        po = parse(text, path)
    except CatalogSyntaxError as exc:
        return Checked(lang, path, None, [Problem(path, exc.line, "", exc.detail)])
    lines = text.splitlines()
    header_line = next((i for i, line in enumerate(lines, 1) if line.startswith('msgid ""')), 1)
    has_plurals = any(e.msgid_plural for e in po if not e.obsolete)
    rule, header_problems = _check_header(po, ed, has_plurals)
    chosen, rule_problems = house.severities(po)
    problems = [Problem(path, header_line, "", message, severity)
                for message, severity in [*header_problems,
                                          *((m, "error") for m in rule_problems)]]
    language = placeholders.catalog_language(po)
    locale = ed.code if ed else po.metadata.get("Language")
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:
        line = _msgid_line(lines, entry)
        found = [] if entry.obsolete else list(_entry_problems(entry, rule, locale, language,
                                                                chosen))
        key = (entry.msgctxt, entry.msgid)
        if key in seen:  # msgfmt counts obsolete entries too
            found.insert(0, (f"duplicate message definition (first at line {seen[key]})", "error"))
        seen.setdefault(key, line)
        problems += [Problem(path, line, entry.msgid, message, severity)
                     for message, severity in found]
    return Checked(lang, path, counts(po), problems)


def _msgid_line(lines: list[str], entry: polib.POEntry) -> int:
    prefix = "#~ msgid " if entry.obsolete else "msgid "
    return next((i for i in range(entry.linenum, len(lines) + 1)
                 if lines[i - 1].startswith(prefix)), entry.linenum)


def _check_header(po: polib.POFile, ed: Edition | None,
                  has_plurals: bool) -> tuple[PluralRule | None, list[tuple[str, str]]]:
    problems: list[str] = []
    warnings: list[str] = []
    if not po.metadata:
        problems.append("no header entry (msgid \"\")")
    if "fuzzy" in (po.metadata_is_fuzzy or []):
        problems.append("the header is marked fuzzy: msgfmt ignores it (remove the flag)")
    for name, defaults in _HEADER_FIELDS.items():
        value = po.metadata.get(name)
        if po.metadata and value is None:
            problems.append(f"header field {name!r} is missing")
        elif value is not None and any(value.startswith(d) for d in defaults):
            problems.append(f"header field {name!r} still has its initial value {value!r}")
    charset = re.search(r"charset=([^\s;]+)", po.metadata.get("Content-Type", ""))
    if po.metadata and (charset is None or charset.group(1).lower() not in ("utf-8", "utf8")):
        problems.append("Content-Type must declare charset=UTF-8")
    if ed and "Language" in po.metadata and po.metadata["Language"] != ed.locale:
        problems.append(f"Language is {po.metadata.get('Language')!r}; "
                        f"the {ed.code} edition is {ed.locale!r}")
    rule = _check_plural_forms(po, ed, has_plurals, problems, warnings)
    return rule, [(m, "error") for m in problems] + [(m, "warning") for m in warnings]


def _check_plural_forms(po: polib.POFile, ed: Edition | None, has_plurals: bool,
                        problems: list[str], warnings: list[str]) -> PluralRule | None:
    header = po.metadata.get("Plural-Forms")
    if header is None:
        if ed or has_plurals:
            problems.append("no Plural-Forms header" + (f"; the {ed.code} edition needs "
                                                        f"{ed.plural_forms!r}" if ed else ""))
        return None
    try:
        rule = plural_rule(header)
    except ValueError as exc:
        problems.append(f"Plural-Forms: {exc}")
        return None
    if ed:
        mismatch = rule_mismatch(header, ed.plural_forms)
        if mismatch:
            problems.append(f"Plural-Forms is {header!r}; the {ed.code} edition needs "
                            f"{ed.plural_forms!r} ({mismatch})")
    elif po.metadata.get("Language"):
        expected = locale_plural_forms(po.metadata["Language"])
        mismatch = expected and rule_mismatch(header, expected)
        if mismatch:
            warnings.append(f"Plural-Forms {header!r} is not the rule of "
                            f"{po.metadata['Language']!r}, {expected!r} ({mismatch})")
    return rule


def _entry_problems(entry: polib.POEntry, rule: PluralRule | None, lang: str | None,
                    language: str, chosen: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(message, severity) for one live entry."""
    for message in _structure_problems(entry, rule):
        yield message, "error"
    if is_empty(entry):
        yield "untranslated", "warning"
        return
    if entry.fuzzy:
        yield "fuzzy: needs review", "warning"
    for message in _translation_problems(entry, rule, language):
        yield message, "warning" if entry.fuzzy else "error"
    for pair in (p for p in pairs(entry) if p.text):
        for name, message in house.problems(lang, pair.label, pair.source, pair.text):
            if chosen[name] != "off":
                yield message, "warning" if entry.fuzzy else chosen[name]
    if not entry.fuzzy and chosen["same-as-source"] != "off" and _same_as_source(entry,
                                                                                  language):
        yield ("translation is the same as the source (fine if intended)",
               chosen["same-as-source"])


def _structure_problems(entry: polib.POEntry, rule: PluralRule | None) -> Iterator[str]:
    """Shape errors: msgfmt rejects them whether or not the entry is fuzzy."""
    if entry.msgid_plural:
        nplurals = rule.nplurals if rule else 2
        forms = sorted(entry.msgstr_plural)
        if forms != list(range(nplurals)):
            yield f"has plural forms {forms}, but the header says nplurals={nplurals}"
        yield from _newline_problems("msgid", entry.msgid, "msgid_plural", entry.msgid_plural)
    elif entry.msgstr_plural:
        yield "has msgstr[N] forms but no msgid_plural"


def _newline_problems(source_label: str, source: str, label: str, text: str) -> Iterator[str]:
    for where, test in (("begin", str.startswith), ("end", str.endswith)):
        if test(source, "\n") != test(text, "\n"):
            yield f"'{source_label}' and '{label}' do not both {where} with '\\n'"


def _translation_problems(entry: polib.POEntry, rule: PluralRule | None,
                          language: str) -> Iterator[str]:
    entry_pairs = pairs(entry)
    missing = [pair.label for pair in entry_pairs if not pair.text]
    if entry.msgid_plural and missing:
        yield f"missing plural forms: {', '.join(missing)}"
    kinds = placeholders.format_kinds(entry, language)
    for pair in (pair for pair in entry_pairs if pair.text):
        yield from _newline_problems("msgid", entry.msgid, pair.label, pair.text)
        for kind in kinds:
            # As msgfmt does: every plural form is held against msgid_plural, and a form
            # used for a single number may leave the number out.
            strict = pair.form is None or rule is None or pair.form in rule.shared_forms
            for problem in placeholders.mismatches(kind, entry.msgid_plural or entry.msgid,
                                                   pair.text, strict):
                yield f"{pair.label}: {kind}: {problem}"


def _same_as_source(entry: polib.POEntry, language: str) -> bool:
    """Translated exactly as the source, and the source has words to translate."""
    if any(pair.source != pair.text for pair in pairs(entry)):
        return False
    words = placeholders.words_only(entry.msgid, placeholders.format_kinds(entry, language))
    return re.search(r"[^\W\d_]", words) is not None
