"""Gettext catalogs of the site's UI strings: the translators' workflow, end to end.

Split like Babel's babel/messages:
    pofile.py       reading .po text, writing back only the edited entries
    render.py       new or changed entries, wrapped as GNU msgcat wraps them
    store.py        atomic writes that never overwrite someone else's save
    workflow.py     extract, update, compile
    merge.py        msgmerge-grade update of a catalog from the template
    checks.py       msgfmt --check and pofilter parity; house.py the house rules (warnings)
    placeholders.py format-string parsers; plurals.py Plural-Forms as rules
    pretranslate.py machine translation of empty entries, fuzzy
    serving.py      messages as JSON, gettext Translations for pages
    editing.py      a translator's edit of one entry, by entry hash
    layout.py       editions and where their catalogs live
This package re-exports what the service, the pages and the CLI use.
"""

from l10n.catalogs.checks import Checked, Problem, check_catalog, check_catalogs
from l10n.catalogs.editing import EntryEdit, parse_edit, read_entry, set_entry
from l10n.catalogs.entries import Counts
from l10n.catalogs.errors import (
                     CatalogConflict,
                     CatalogError,
                     CatalogNotFound,
                     CatalogSyntaxError,
                     EntryNotFound,
                     StaleEntry,
)
from l10n.catalogs.layout import (
                     EDITIONS,
                     TEMPLATES_DIR,
                     Edition,
                     catalog_path,
                     edition,
                     template_path,
)
from l10n.catalogs.pretranslate import SOURCE_LANGUAGE, Pretranslated, pretranslate
from l10n.catalogs.serving import (
                     CatalogTranslations,
                     catalog_messages,
                     catalog_status,
                     translations,
)
from l10n.catalogs.store import Written, edit_catalog
from l10n.catalogs.workflow import compile_catalogs, extract, update

__all__ = [
    "EDITIONS", "TEMPLATES_DIR", "CatalogConflict", "CatalogError", "CatalogNotFound",
    "CatalogSyntaxError", "CatalogTranslations", "Checked", "Counts", "Edition", "EntryEdit",
    "EntryNotFound", "Problem", "Pretranslated", "SOURCE_LANGUAGE", "StaleEntry", "Written", "catalog_messages",
    "catalog_path", "catalog_status", "check_catalog", "check_catalogs", "compile_catalogs",
    "edit_catalog", "edition", "extract", "parse_edit", "pretranslate", "read_entry",
    "set_entry", "template_path", "translations", "update",
]
