"""The service's own document API (`/v1/documents`): a file translated whole, with its report.

    POST /v1/documents       multipart: file, target, source (default auto)
    GET  /v1/documents/<id>  the translated file (kept L10N_DOCUMENT_RETENTION seconds)

The same pipeline as LibreTranslate's `/translate_file` and DeepL's `/v2/document`
(l10n/markup/documents.py); this answer adds what they cannot say: the detected source, the
segment count and every flagged sentence with its place in the file.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from flask import Blueprint, Response, request, url_for
from pydantic import WithJsonSchema

from l10n.errors import InputError, NotFound
from l10n.translate import documents
from l10n.translate.request import Language, RequestModel, ResponseModel, Source, parse
from l10n.web import admission, openapi
from l10n.web.context import charge, services
from l10n.web.filestore import attachment, file_store
from l10n.web.schemas import SourceInfo

bp = Blueprint("documents", __name__, url_prefix="/v1/documents")
bp.before_request(admission.admit)
operation = openapi.operations_for("v1")
FILE = {"description": "The translated file", "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


class DocumentRequest(RequestModel):
    """The form fields beside the uploaded `file` (.docx, .odt, .html, .md, .txt, .srt)."""

    file: Annotated[Any, WithJsonSchema({"type": "string", "format": "binary"})] = None
    source: Source = "auto"
    target: Language


class FlaggedPart(ResponseModel):
    part: str  # where in the file: "word/document.xml paragraph 4", "cue 12"
    source: str
    translation: str
    flags: list[str]


class TranslatedDocument(ResponseModel):
    id: str
    filename: str
    source: SourceInfo
    target: str
    chars: int
    segments: int
    flagged: list[FlaggedPart]
    download: str


@bp.post("")
@operation("Translate a document file, keeping its structure", request=DocumentRequest,
           response=TranslatedDocument, errors=(400,), media=openapi.FORMS[1:])
def translate() -> dict[str, Any]:
    svc = services()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InputError("missing field: file", code="missing_field", field="file")
    req = parse(DocumentRequest, request.form.to_dict(), svc.settings)
    doc = documents.open_document(upload.read(), upload.filename, svc.settings)
    charge(doc.chars)
    done = documents.translate_document(doc, req.source, req.target, svc.pipeline)
    stored = file_store().put(done.data, {"filename": done.filename,
                                          "media_type": done.media_type})
    return TranslatedDocument(
        id=stored.id, filename=done.filename, source=SourceInfo(**asdict(done.source)),
        target=done.target, chars=done.chars, segments=done.segments,
        flagged=[FlaggedPart(part=f.part, source=f.source, translation=f.translation,
                             flags=list(f.flags)) for f in done.flagged],
        download=url_for(".download", document_id=stored.id)).dump()


@bp.get("/<document_id>")
@operation("Download a translated document", errors=(404,), responses={"200": FILE})
def download(document_id: str) -> Response:
    stored = file_store().get(document_id)
    if stored is None:
        raise NotFound(f"no translated document {document_id!r} (or it has expired)")
    return Response(file_store().read(stored), mimetype=stored.meta["media_type"],
                    headers={"Content-Disposition": attachment(stored.meta["filename"])})
