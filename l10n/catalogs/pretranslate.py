"""Machine translation of a catalog's EMPTY entries, marked fuzzy for a translator's review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from l10n.catalogs import placeholders
from l10n.catalogs.entries import is_empty, source
from l10n.catalogs.house import typeset
from l10n.catalogs.layout import Edition, catalog_path, editions
from l10n.catalogs.plurals import plural_rule
from l10n.catalogs.store import edit_catalog
from l10n.editions import SOURCE_LANGUAGE

if TYPE_CHECKING:
    from l10n.translate.engine import Engine

MACHINE_NOTE = "Machine translation: {model} (pretranslate), please review"


@dataclass
class Pretranslated:
    """What pretranslate did to one edition's catalog."""

    lang: str
    model: str | None = None  # e.g. "en-ru@1.0"
    filled: list[str] = field(default_factory=list)    # msgids now machine-translated, fuzzy
    rejected: list[str] = field(default_factory=list)  # msgids left empty: placeholders broke
    error: str | None = None


def pretranslate(locales_dir: Path, engine: Engine, langs: Iterable[str] | None = None,
                 source_language: str = SOURCE_LANGUAGE) -> list[Pretranslated]:
    """Fill the EMPTY entries of each catalog by machine translation, marked fuzzy.

    Translated and fuzzy entries are never touched, and only the filled entries' lines
    change in the file. A plural entry gets every form (msgid for msgstr[0], msgid_plural
    for the others). A filled entry carries a translator comment naming the model; one
    whose placeholders (%(x)s, %s, {x}, {0}) did not come through exactly stays empty and
    is listed in `rejected`.
    """
    results = []
    for ed in editions(langs):
        result = Pretranslated(ed.code)
        results.append(result)
        if not engine.supports(source_language, ed.code):
            result.error = f"no installed model translates {source_language} to {ed.code}"
            continue
        model = engine.model_for(source_language, ed.code)
        result.model = f"{model.pair}@{model.version}"
        machine: dict[str, str] = {}  # kept across retries: a replay translates only new text

        def fill(po: polib.POFile, ed: Edition = ed, result: Pretranslated = result,
                 machine: dict[str, str] = machine) -> None:
            result.filled, result.rejected = [], []
            nplurals = plural_rule(po.metadata.get("Plural-Forms", ed.plural_forms)).nplurals
            language = placeholders.catalog_language(po)
            work = [(e, [source(e, j) for j in range(nplurals if e.msgid_plural else 1)])
                    for e in po if not e.obsolete and not e.fuzzy and is_empty(e)]
            pending = sorted({src for _, sources in work for src in sources} - machine.keys())
            translated = engine.translate(source_language, ed.code, pending) if pending else []
            machine.update(zip(pending, (t.text for t in translated), strict=True))
            for entry, sources in work:
                forms = [typeset(ed.code, src, machine[src]) for src in sources]
                broken = [problem for src, text in zip(sources, forms, strict=True)
                          for kind in placeholders.format_kinds(entry, language)
                          for problem in placeholders.mismatches(kind, src, text, strict=True)]
                if broken or not all(forms):
                    result.rejected.append(entry.msgid)
                    continue
                if entry.msgid_plural:
                    entry.msgstr_plural = dict(enumerate(forms))
                else:
                    entry.msgstr = forms[0]
                entry.flags.insert(0, "fuzzy")
                note = MACHINE_NOTE.format(model=result.model)
                entry.tcomment = f"{entry.tcomment}\n{note}" if entry.tcomment else note
                result.filled.append(entry.msgid)

        edit_catalog(catalog_path(locales_dir, ed.code), fill)
    return results
