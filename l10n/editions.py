"""The editions of the site: the one table every other module reads.

An edition is a language the site publishes in. Its code (ISO 639-1) names it everywhere: in
the API, in `locales/<code>/`, in the glossary's columns, in the output folders. The other
facts differ from the code where the world does: the Portuguese edition is Brazilian (Babel's
bare `pt` is European Portuguese, whose plural rule counts 0 as plural), and English is written
in British English. Time zones are the readers' defaults (overridable, `L10N_TIMEZONES`).

`check_language` is the one validator of a language code that arrives from outside.
"""

from __future__ import annotations

from dataclasses import dataclass

from l10n.errors import InputError


@dataclass(frozen=True)
class Edition:
    code: str  # ISO 639-1: the API's language code
    locale: str  # the Babel/CLDR locale the edition is written in (catalog Language header)
    timezone: str  # IANA zone its dates are shown in, unless L10N_TIMEZONES says otherwise
    plural_forms: str  # the gettext Plural-Forms header of its catalog
    script: str  # ISO 15924: Cyrl needs transliteration of Latin names, and vice versa


EDITIONS: dict[str, Edition] = {e.code: e for e in (
    Edition("en", "en_GB", "Europe/London", "nplurals=2; plural=(n != 1);", "Latn"),
    Edition("ru", "ru", "Europe/Moscow",
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 "
            "&& (n%100<10 || n%100>=20) ? 1 : 2);", "Cyrl"),
    Edition("de", "de", "Europe/Berlin", "nplurals=2; plural=(n != 1);", "Latn"),
    Edition("fr", "fr", "Europe/Paris", "nplurals=2; plural=(n > 1);", "Latn"),
    Edition("pt", "pt_BR", "America/Sao_Paulo", "nplurals=2; plural=(n > 1);", "Latn"),
    Edition("es", "es", "Europe/Madrid", "nplurals=2; plural=(n != 1);", "Latn"),
)}
LANGUAGES: tuple[str, ...] = tuple(EDITIONS)  # English, the newsroom's language, first
SOURCE_LANGUAGE = "en"
DEFAULT_TARGETS: tuple[str, ...] = tuple(c for c in LANGUAGES if c != SOURCE_LANGUAGE)


def edition(code: str) -> Edition:
    """The edition for a code; ValueError for anything else (never a guess)."""
    try:
        return EDITIONS[code]
    except (KeyError, TypeError):
        raise ValueError(f"unsupported edition language {code!r}") from None


def check_language(code: object, field_name: str, *, allow_auto: bool = False) -> str:
    """A language code from a request or a file: an edition code (or "auto" where allowed)."""
    if not isinstance(code, str):
        raise InputError(f"{field_name} must be a language code string",
                         code="wrong_type", field=field_name)
    if allow_auto and code == "auto":
        return code
    if code not in EDITIONS:
        raise InputError(f"{code} is not supported (supported: {', '.join(LANGUAGES)})",
                         code="unsupported_language", field=field_name)
    return code
