"""The page at `/`: try the service in a browser, with an article or a document file.

`/` is the preview page (l10n/web/preview/: paste or upload an article, choose editions, see
each edition with its QA flags), localised like it, with one more form: a document (DOCX,
ODT, HTML, Markdown, TXT, SRT) translated whole into the chosen editions through the same
pipeline as `/v1`, LibreTranslate's `/translate_file` and DeepL's `/v2/document`. The answer
lists each edition's file, downloadable for `L10N_DOCUMENT_RETENTION` seconds, with its flags.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, request, url_for

from l10n.editions import check_language
from l10n.errors import InputError, ServiceError
from l10n.localise.languages import autonym
from l10n.translate import documents
from l10n.web import admission, openapi
from l10n.web.context import charge, services
from l10n.web.filestore import file_store
from l10n.web.preview import views as preview
from l10n.web.preview.forms import FormValues
from l10n.web.preview.pages import Pages

bp = Blueprint("home", __name__)
bp.before_request(admission.admit)
operation = openapi.operations_for("pages")
PAGE = openapi.page()


@dataclass(frozen=True)
class DocumentEdition:
    lang: str
    name: str
    url: str
    flagged: tuple[documents.Flagged, ...]


@bp.get("/")
@admission.public
@operation("This page: try the service (an article, or a document file)", responses={
    "200": PAGE})
def home() -> Response:
    values = FormValues(targets=services().settings.default_targets)
    return preview._page(_pages()._page(preview._language(), values=values, **_document_form()))


def _pages() -> Pages:
    return preview._pages()


def _document_form() -> dict[str, object]:
    return {"document_formats": ",".join(documents.supported())}


@bp.post("/documents")
@operation("The page's document form: a file translated into the chosen editions",
           responses={"200": PAGE, "400": PAGE, "413": PAGE},
           media=openapi.FORMS[1:])
def translate_document() -> Response:
    svc = services()
    ui = preview._language()
    try:
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise InputError("choose a file to translate", code="missing_field", field="file")
        source = check_language(request.form.get("source") or "auto", "source", allow_auto=True)
        targets = [check_language(t, "targets") for t in request.form.getlist("targets")]
        if not targets:
            raise InputError("choose at least one edition", code="missing_field",
                             field="targets")
        data = upload.read()
        done = []
        for target in dict.fromkeys(targets):  # each edition rebuilds the file afresh
            doc = documents.open_document(data, upload.filename, svc.settings)
            charge(doc.chars)
            done.append(documents.translate_document(doc, source, target, svc.pipeline))
    except ServiceError as exc:
        values = FormValues(targets=svc.settings.default_targets)
        html = _pages()._page(ui, values=values, document_error=exc.message, **_document_form())
        return preview._page(html, exc.status)
    editions = []
    for result in done:
        stored = file_store().put(result.data, {"filename": result.filename,
                                                "media_type": result.media_type})
        url = url_for("libretranslate.download_file", filename=f"{stored.id}.{result.filename}")
        editions.append(DocumentEdition(result.target, autonym(result.target), url,
                                        result.flagged))
    html = _pages()._page(ui, document=upload.filename, document_editions=editions)
    return preview._page(html)

