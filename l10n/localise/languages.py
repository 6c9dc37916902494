"""Language and country names from CLDR (through Babel), as each edition should show them.

A language menu lists every edition in its own language ("Deutsch", "Português"), never in
the current page's language and never as a country ("Spain"). CLDR writes language names in
lower case for languages that do so mid-sentence ("русский", "français"); a menu entry stands
alone like the start of a sentence, so `autonym` capitalises its first letter (Babel does not
ship CLDR's contextTransforms, which say the same for UI menus).

`locale_for` turns an edition code into its Babel locale (the editions table says which:
"pt" is Brazilian, "en" British; see docs/editors.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale

from l10n.editions import edition


def locale_for(lang: str) -> Locale:
    """The Babel locale an edition is written in; ValueError for a code that is no edition."""
    return Locale.parse(edition(lang).locale)


def autonym(code: str) -> str:
    """A language's name in itself, capitalised for a menu: "Русский", "Português"."""
    locale = locale_for(code)
    name = locale.get_language_name(locale) or code
    return name[:1].upper() + name[1:]


def language_name(code: str, display_lang: str) -> str:
    """Language `code` named in `display_lang`, as CLDR writes it mid-sentence ("russe")."""
    return _lookup(locale_for(display_lang).languages, code, "language")


def _lookup(names: Mapping[str, str], key: str, what: str) -> str:
    try:
        return names[key]
    except KeyError:
        raise ValueError(f"CLDR has no {what} {key!r}") from None
