"""The edition preview pages (docs/preview.md): HTML for editors, under a strict CSP."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, current_app, request

from l10n.errors import NotFound, ServiceError
from l10n.translate.engine import Engine
from l10n.web import admission, preview
from l10n.web.context import charge, services

bp = Blueprint("preview", __name__, url_prefix="/preview")
bp.before_request(admission.admit)
PAGES = "l10n.preview.pages"


def _source_languages(engine: Engine) -> list[str]:
    return sorted({m.source for m in engine.store.installed()})


def _pages() -> preview.Pages:
    """Built once per app: its Jinja environment caches the compiled templates."""
    if PAGES not in current_app.extensions:
        svc = services()
        current_app.extensions[PAGES] = preview.Pages(svc.settings,
                                                      partial(_source_languages, svc.engine))
    pages: preview.Pages = current_app.extensions[PAGES]
    return pages


def _page(html: str, status: int = 200) -> Response:
    return Response(html, status, preview.HEADERS, mimetype="text/html")


def _language() -> str:
    return preview.ui_language(request.args.get("lang"), request.headers.get("Accept-Language"))


@bp.get("")
def form() -> Response:
    return _page(_pages().form(_language()))


@bp.post("")
def translate() -> Response:
    svc = services()
    try:
        article = preview.read_form(request.form, request.files, svc.settings)
        charge(len(article.plain_text()) * len(article.targets))
        shown = preview.from_result(article, svc.pipeline.translate_article(article), svc.pipeline)
    except ServiceError as exc:  # the form again, with what was sent and why it failed
        return _page(_pages().form(_language(), preview.FormValues.sent(request.form),
                                   exc.message), exc.status)
    return _page(_pages().result(_language(), shown, preview.FormValues.of(article)))


@bp.get("/<path:article_id>")
def stored(article_id: str) -> Response:
    svc = services()
    try:
        shown = preview.load_stored(svc.settings.preview_dir, article_id,
                                    svc.pipeline.glossary.get(), svc.settings.default_targets)
    except NotFound:
        if not preview.wants_html(request.headers.get("Accept")):
            raise
        return _page(_pages().not_found(_language(), article_id), 404)
    return _page(_pages().result(_language(), shown))
