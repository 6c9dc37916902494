"""Rendering the preview pages: one Jinja environment for every language, the page language
from `?lang=` or Accept-Language, and the strict headers every page carries."""

from __future__ import annotations

import base64
import gettext
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, pass_context
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header

from l10n import catalogs
from l10n.config import Settings
from l10n.editions import DEFAULT_TARGETS, LANGUAGES, SOURCE_LANGUAGE
from l10n.localise.languages import autonym
from l10n.markup.registry import NAMES as FORMATS
from l10n.web.preview.forms import FormValues
from l10n.web.preview.view import Preview, Shown, bcp47

if TYPE_CHECKING:

    pass

log = logging.getLogger(__name__)



UI_LANGUAGES = LANGUAGES  # the page speaks English (the msgids) and every edition
STYLESHEET = (Path(__file__).resolve().parents[1] / "static" / "preview.css").read_text("utf-8")
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLESHEET.encode("utf-8")).digest()).decode()


def headers(settings: Settings) -> dict[str, str]:
    """Every preview response carries these: no script of any origin, no plug-in, no frame,
    and images only from the service and the configured sources (the site's CDN): an
    article body must not make an editor's browser call a tracking pixel."""
    images = " ".join(("'self'", *settings.preview_image_sources))
    csp = ("default-src 'none'; "
           f"style-src 'sha256-{_STYLE_HASH}'; "  # the one inline stylesheet, nothing else
           f"img-src {images}; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer"}


def ui_language(requested: str | None, accept_language: str | None) -> str:
    """The page's language: `?lang=` when it is one, else the browser's best, else English."""
    if requested in UI_LANGUAGES:
        return requested
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(UI_LANGUAGES, default=SOURCE_LANGUAGE)


def wants_html(accept: str | None) -> bool:
    """An error for a browser is a page, for anything else (curl's */*) JSON."""
    best = parse_accept_header(accept, MIMEAccept).best_match(["application/json", "text/html"])
    return best == "text/html"


# ----------------------------------------------------------------------------- rendering
def _from_context(method: str) -> Callable[..., str]:
    @pass_context
    def call(context: Any, *args: Any) -> str:
        return getattr(context["translations"], method)(*args)
    return call


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(catalogs.TEMPLATES_DIR), autoescape=True,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_from_context("gettext"), ngettext=_from_context("ngettext"),
        pgettext=_from_context("pgettext"), npgettext=_from_context("npgettext"),
        newstyle=True)
    return env


@dataclass
class Pages:
    """Renders the preview pages; catalogs are read per request (a translator's saved edit
    shows at once), and a missing or broken one falls back to English, logged."""

    settings: Settings
    source_languages: Callable[[], Sequence[str]]  # those with an installed model
    env: Environment = field(default_factory=_environment)

    def form(self, ui: str, values: FormValues | None = None, error: str | None = None) -> str:
        values = values or FormValues(targets=self.settings.default_targets)
        return self._page(ui, values=values, error=error)

    def result(self, ui: str, preview: Preview, values: FormValues | None = None) -> str:
        original = self._article(preview.source, preview, framed=False) \
            if preview.source else None
        editions = [(shown, self._article(shown, preview, framed=True))
                    for shown in preview.editions]
        return self._page(ui, preview=preview, original=original, editions=editions,
                          values=values)

    def not_found(self, ui: str, article_id: str) -> str:
        return self._page(ui, missing=article_id)

    def _page(self, ui: str, **context: Any) -> str:
        sources = list(self.source_languages()) or [SOURCE_LANGUAGE]
        return self.env.get_template("preview.html").render(
            translations=self._translations(ui), ui=ui, bcp47=bcp47(ui), css=Markup(STYLESHEET),
            ui_menu=[(code, autonym(code), f"?lang={code}") for code in UI_LANGUAGES],
            sources=[(code, autonym(code)) for code in sources],
            targets=[(code, autonym(code)) for code in DEFAULT_TARGETS],
            formats=FORMATS, **context)

    def _article(self, shown: Shown, preview: Preview, framed: bool) -> Markup:
        """One article in its own language: an edition framed by the site's chrome, or the
        original alone."""
        menu = [(preview.source.lang, preview.source.name, "#original")] \
            if preview.source else []
        menu += [(e.lang, e.name, f"#ed-{e.lang}") for e in preview.editions]
        return Markup(self.env.get_template("preview_edition.html").render(
            translations=self._translations(shown.lang), edition=shown, framed=framed,
            menu=menu, editor=preview.editor, site=self.settings.site_name,
            since=self.settings.site_since, year=datetime.now(UTC).year))

    def _translations(self, lang: str) -> gettext.NullTranslations:
        if lang == SOURCE_LANGUAGE:
            return gettext.NullTranslations()
        try:
            return catalogs.translations(self.settings.locales_dir, lang)
        except catalogs.CatalogError as exc:
            log.warning("preview in %s shows English strings: %s", lang, exc)
            return gettext.NullTranslations()
