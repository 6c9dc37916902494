"""The edition preview pages (docs/preview.md): HTML for editors, under a strict CSP."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, current_app, request
from pydantic import Field

from l10n.errors import NotFound, ServiceError
from l10n.translate.engine import Engine
from l10n.web import admission, openapi
from l10n.web.context import charge, services
from l10n.web.preview import forms, pages, view
from l10n.web.schemas import Error, Format, RequestModel, Source, Targets

bp = Blueprint("preview", __name__, url_prefix="/preview")
bp.before_request(admission.admit)
PAGES = "l10n.preview.pages"
operation = openapi.operations_for("preview")


class PageQuery(RequestModel):
    lang: str | None = Field(None, description="the page's language; else Accept-Language")


class PreviewForm(RequestModel):
    """The preview form's fields (read by forms.read_form, validated as an article)."""

    targets: Targets
    title: str = ""
    lead: str = ""
    body: str = ""
    captions: str = Field("", description="one a line")
    format: Format = "text"
    source: Source = "auto"
    author: str = ""
    published: str = ""
    file: str = Field("", json_schema_extra={
        "format": "binary", "description": ".json, .md or .html article; replaces the text "
                                           "fields"})


def _source_languages(engine: Engine) -> list[str]:
    return sorted({m.source for m in engine.store.installed()})


def _pages() -> pages.Pages:
    """Built once per app: its Jinja environment caches the compiled templates."""
    if PAGES not in current_app.extensions:
        svc = services()
        current_app.extensions[PAGES] = pages.Pages(svc.settings,
                                                      partial(_source_languages, svc.engine))
    built: pages.Pages = current_app.extensions[PAGES]
    return built


def _page(html: str, status: int = 200) -> Response:
    return Response(html, status, pages.headers(services().settings), mimetype="text/html")


def _language() -> str:
    return pages.ui_language(request.args.get("lang"), request.headers.get("Accept-Language"))


@bp.get("")
@operation("The edition preview form, for editors", query=PageQuery,
           responses={"200": openapi.page()})
def form() -> Response:
    return _page(_pages().form(_language()))


@bp.post("")
@operation("Translate an article and show every edition", query=PageQuery,
           request=PreviewForm, media=openapi.FORMS,
           description="An invalid article gives the form again, with the reason, as a page "
                       "with the error's status.",
           responses={"200": openapi.page(), "400": openapi.page("The form again, with the error"),
                      "413": openapi.page("Over a limit", or_json=Error),
                      "429": {**openapi.page("Over the quota", or_json=Error),
                              "headers": openapi.RETRY_AFTER}})
def translate() -> Response:
    svc = services()
    try:
        article = forms.read_form(request.form, request.files, svc.settings)
        charge(len(article.plain_text()) * len(article.targets))
        shown = view.from_result(article, svc.pipeline.translate_article(article), svc.pipeline)
    except ServiceError as exc:  # the form again, with what was sent and why it failed
        return _page(_pages().form(_language(), forms.FormValues.sent(request.form),
                                   exc.message), exc.status)
    return _page(_pages().result(_language(), shown, forms.FormValues.of(article)))


@bp.get("/<path:article_id>")
@operation("An article a batch run translated", query=PageQuery,
           responses={"200": openapi.page(), "404": openapi.page("No such article",
                                                                 or_json=Error)})
def stored(article_id: str) -> Response:
    svc = services()
    try:
        shown = view.load_stored(svc.settings.preview_dir, article_id,
                                    svc.pipeline.glossary.get(), svc.settings.default_targets)
    except NotFound:
        if not pages.wants_html(request.headers.get("Accept")):
            raise
        return _page(_pages().not_found(_language(), article_id), 404)
    return _page(_pages().result(_language(), shown))
