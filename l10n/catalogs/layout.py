"""Which editions have a catalog (every edition but the source's), and where it lives."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from l10n.catalogs.errors import CatalogNotFound
from l10n.editions import EDITIONS as ALL_EDITIONS
from l10n.editions import SOURCE_LANGUAGE, Edition

DOMAIN = "messages"
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"  # the pages


EDITIONS: dict[str, Edition] = {code: ed for code, ed in ALL_EDITIONS.items()
                               if code != SOURCE_LANGUAGE}  # a catalog translates the source


def edition(lang: str) -> Edition:
    """The edition for a language code; the whitelist that keeps paths inside locales/."""
    if not isinstance(lang, str) or lang not in EDITIONS:
        raise CatalogNotFound(f"no catalog for language {lang!r} "
                              f"(editions: {', '.join(EDITIONS)})")
    return EDITIONS[lang]


def editions(langs: Iterable[str] | None) -> list[Edition]:
    return [edition(lang) for lang in (langs or EDITIONS)]


def template_path(locales_dir: Path) -> Path:
    return Path(locales_dir) / f"{DOMAIN}.pot"


def catalog_path(locales_dir: Path, lang: str) -> Path:
    return Path(locales_dir) / edition(lang).code / "LC_MESSAGES" / f"{DOMAIN}.po"
