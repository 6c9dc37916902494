"""DeepL's API v2 (`/v2/...`) on this service's pipeline, for the CMS plugins that speak it.

Point a DeepL client or plugin at this service's URL as its server (deepl-python's
`server_url`, a plugin's "API URL" setting) with any of the service's API keys as its auth key.
Routes: translate, languages, usage, glossaries (+ language pairs), document (upload, status,
download). Keys come as DeepL sends them, `Authorization: DeepL-Auth-Key <key>` (or the old
`auth_key` parameter), and are the project's own keys (l10n/web/admission.py): with no keys
file the service is open and any key is accepted. Errors are DeepL's `{"message": ...}` with
its status codes: 400 bad request, 403 key refused, 404 not found, 413 too large, 429 too
many requests, 456 character quota used up.

What differs, on purpose (docs/api.md, "DeepL API"): parameters the engine cannot honour are
accepted and named in `X-L10N-Ignored-Parameters`; `tag_handling=xml` goes through the HTML
parser (element names are lower-cased); documents are translated during the upload, so the
first status query already says `done`; a glossary is laid over the names glossary
(l10n/localise/pair_glossaries.py).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from l10n.editions import LANGUAGES
from l10n.errors import InputError, NotFound, ServiceError
from l10n.localise.glossary import Glossary
from l10n.localise.pair_glossaries import (
    PairGlossaries,
    PairGlossary,
    overlay,
    parse_entries,
    to_tsv,
)
from l10n.markup import ignore
from l10n.translate import documents
from l10n.translate.article import Article
from l10n.translate.request import parse
from l10n.web import admission, openapi
from l10n.web import deepl_shapes as shapes
from l10n.web.admission import RateLimited
from l10n.web.context import charge, services
from l10n.web.filestore import Stored, attachment, file_store

NO_QUOTA = 10**12  # /v2/usage's limit when the caller has no quota: never reached
LISTS = ("text", "ignore_tags", "non_splitting_tags", "splitting_tags")
IGNORED_HEADER = "X-L10N-Ignored-Parameters"


def render_error(code: str, message: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"message": message}


def deepl_key() -> str | None:
    scheme, _, token = (request.headers.get("Authorization") or "").strip().partition(" ")
    if scheme.lower() == "deepl-auth-key" and token.strip():
        return token.strip()
    return request.args.get("auth_key") or request.form.get("auth_key") or None


bp = Blueprint("deepl", __name__, url_prefix="/v2")
bp.before_request(partial(admission.admit, deepl_key))
operation = openapi.operations_for("deepl", error_model=shapes.DeepLError)
FILE = {"description": "The translated document", "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


@bp.errorhandler(RateLimited)
def quota_used_up(exc: RateLimited) -> ResponseReturnValue:
    """DeepL answers a used-up character quota with 456, not 429."""
    status = 456 if exc.code == "quota_exceeded" else 429
    return jsonify(message=exc.message), status, exc.headers


def _fields() -> dict[str, Any]:
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise InputError("Invalid JSON in the request body.", code="invalid_json")
        return body
    # Form fields also on a GET: DeepL's clients send GET /v2/languages with a form body.
    values = {**request.args.to_dict(flat=False), **request.form.to_dict(flat=False)}
    return {k: (v if k in LISTS else v[0]) for k, v in values.items()}


def glossaries() -> PairGlossaries:
    name = "l10n.deepl.glossaries"
    if name not in current_app.extensions:
        current_app.extensions[name] = PairGlossaries(services().settings.data_dir / "glossaries")
    found: PairGlossaries = current_app.extensions[name]
    return found


def _installed_pairs() -> set[tuple[str, str]]:
    return {(m.source, m.target) for m in services().engine.store.installed()}


# ------------------------------------------------------------------------------ translate
@bp.post("/translate")
@operation("DeepL: translate texts", request=shapes.DeepLTranslateRequest,
           response=shapes.DeepLTranslateResponse, errors=(400,), media=openapi.JSON_OR_FORMS,
           responses={"456": shapes.DeepLError},
           description="Up to 50 texts. Parameters without effect here are named in the "
                       "X-L10N-Ignored-Parameters header.")
def translate() -> ResponseReturnValue:
    req, ignored = shapes.parse_translate(_fields(), services().settings)
    source = shapes.source_code(req.source_lang)
    target = shapes.target_code(req.target_lang)
    glossary = _glossary_for(req.glossary_id, source, target)
    charge(sum(len(t) for t in req.text))
    fmt = "html" if req.tag_handling else "text"
    texts = [ignore.mark(t, req.ignore_tags) for t in req.text] if fmt == "html" else req.text
    article = Article(captions=tuple(texts), source=source or "auto", targets=(target,),
                      format=fmt)
    result = services().pipeline.translate_article(article, glossary=glossary)
    edition = result.editions[target]
    detected = result.source.language.upper()
    body = shapes.DeepLTranslateResponse(translations=[
        shapes.DeepLTextResult(detected_source_language=detected,
                          text=ignore.unmark(edition.get(f"captions.{i}")) if fmt == "html"
                          else edition.get(f"captions.{i}"),
                          billed_characters=len(text) if req.show_billed_characters else None)
        for i, text in enumerate(req.text)])
    response = jsonify(body.model_dump(exclude_none=True))
    if ignored:
        response.headers[IGNORED_HEADER] = ", ".join(ignored)
    return response


def _glossary_for(glossary_id: str | None, source: str | None, target: str) -> Glossary | None:
    if not glossary_id:
        return None
    if source is None:
        raise InputError("Use of a glossary requires the source_lang parameter to be specified.",
                         code="missing_field", field="source_lang")
    found = glossaries().get(glossary_id)
    if found is None:
        raise InputError("Glossary not found.", code="unknown_glossary", field="glossary_id")
    if (found.source, found.target) != (source, target):
        raise InputError("The glossary's languages do not match source_lang and target_lang.",
                         code="glossary_mismatch", field="glossary_id")
    return overlay(services().pipeline.glossary.get(), found)


# ------------------------------------------------------------------------------ languages, usage
@bp.get("/languages")
@admission.public
@operation("DeepL: source or target languages", query=shapes.DeepLLanguagesQuery,
           response=shapes.DeepLLanguages, errors=(400,))
def languages() -> ResponseReturnValue:
    kind = parse(shapes.DeepLLanguagesQuery, _fields(), services().settings).type
    if kind not in ("source", "target"):
        raise InputError("Value for 'type' not supported.", code="wrong_type", field="type")
    pairs = _installed_pairs()
    side = {s for s, _ in pairs} if kind == "source" else {t for _, t in pairs}
    return jsonify(shapes.languages([c for c in LANGUAGES if c in side], kind))


@bp.get("/usage")
@operation("DeepL: characters used of the key's quota", response=shapes.DeepLUsage)
def usage() -> ResponseReturnValue:
    found = services().gate.char_usage(g.caller)
    used, limit = found if found else (0, NO_QUOTA)
    return shapes.DeepLUsage(character_count=used, character_limit=limit).model_dump()


# ------------------------------------------------------------------------------ glossaries
@bp.get("/glossary-language-pairs")
@admission.public
@operation("DeepL: language pairs a glossary may have", response=shapes.DeepLGlossaryPairs)
def glossary_pairs() -> ResponseReturnValue:
    return {"supported_languages": [{"source_lang": s, "target_lang": t}
                                    for s, t in sorted(_installed_pairs()) if s == "en"]}


def _info(found: PairGlossary) -> dict[str, Any]:
    return shapes.DeepLGlossaryInfo(
        glossary_id=found.id, name=found.name, source_lang=found.source,
        target_lang=found.target, creation_time=shapes.timestamp(found.created),
        entry_count=len(found.entries)).model_dump()


def _glossary(glossary_id: str) -> PairGlossary:
    found = glossaries().get(glossary_id)
    if found is None:
        raise NotFound("Glossary not found.", code="unknown_glossary")
    return found


@bp.post("/glossaries")
@admission.requires(admission.REVIEW)
@operation("DeepL: create a glossary", request=shapes.DeepLGlossaryRequest, errors=(400,),
           media=openapi.JSON_OR_FORMS, responses={"200": shapes.DeepLGlossaryInfo,
                                                   "201": shapes.DeepLGlossaryInfo},
           description="Entries as TSV or CSV; laid over the names glossary when a "
                       "translation names it.")
def create_glossary() -> ResponseReturnValue:
    req = parse(shapes.DeepLGlossaryRequest, _fields(), services().settings)
    source = shapes.source_code(req.source_lang) or ""
    target = shapes.target_code(req.target_lang)
    if source != "en" or (source, target) not in _installed_pairs():
        raise InputError("Unsupported glossary source and target language pair.",
                         code="unsupported_pair")
    created = glossaries().create(req.name, source, target,
                                  parse_entries(req.entries, req.entries_format))
    return _info(created), 201


@bp.get("/glossaries")
@operation("DeepL: list glossaries", response=shapes.DeepLGlossaryList)
def list_glossaries() -> ResponseReturnValue:
    return {"glossaries": [_info(found) for found in glossaries().listed()]}


@bp.get("/glossaries/<glossary_id>")
@operation("DeepL: one glossary", response=shapes.DeepLGlossaryInfo, errors=(404,))
def get_glossary(glossary_id: str) -> ResponseReturnValue:
    return _info(_glossary(glossary_id))


@bp.get("/glossaries/<glossary_id>/entries")
@operation("DeepL: a glossary's entries", errors=(404,), responses={"200": {
    "description": "source<TAB>target, one entry a line",
    "content": {"text/tab-separated-values": {"schema": {"type": "string"}}}}})
def glossary_entries(glossary_id: str) -> ResponseReturnValue:
    accept = request.headers.get("Accept", "text/tab-separated-values")
    if "tab-separated-values" not in accept and "*/*" not in accept:
        raise InputError("Only text/tab-separated-values is supported.", code="not_acceptable",
                         status=415)
    return Response(to_tsv(_glossary(glossary_id)),
                    content_type="text/tab-separated-values; charset=utf-8")


@bp.delete("/glossaries/<glossary_id>")
@admission.requires(admission.REVIEW)
@operation("DeepL: delete a glossary", errors=(404,),
           responses={"204": {"description": "Deleted"}})
def delete_glossary(glossary_id: str) -> ResponseReturnValue:
    if not glossaries().delete(glossary_id):
        raise NotFound("Glossary not found.", code="unknown_glossary")
    return "", 204


# ------------------------------------------------------------------------------ documents
@bp.post("/document")
@operation("DeepL: upload a document to translate", request=shapes.DeepLDocumentUpload,
           response=shapes.DeepLDocumentHandle, errors=(400,), media=openapi.FORMS[1:],
           responses={"456": shapes.DeepLError},
           description="DOCX, ODT, HTML, Markdown, TXT or SRT; translated during the upload.")
def upload_document() -> ResponseReturnValue:
    svc = services()
    upload = request.files.get("file")
    if upload is None:
        raise InputError("Parameter 'file' not specified.", code="missing_field", field="file")
    fields = parse(shapes.DeepLDocumentUpload, _fields(), svc.settings)
    source = shapes.source_code(fields.source_lang)
    target = shapes.target_code(fields.target_lang)
    name = fields.filename or upload.filename or ""
    wanted = fields.output_format
    if wanted and f".{wanted.lower().lstrip('.')}" != documents.extension(name):
        raise InputError("Value for 'output_format' not supported: the output is in the "
                         "format of the input.", code="unsupported_format", field="output_format")
    glossary = _glossary_for(fields.glossary_id, source, target)
    doc = documents.open_document(upload.read(), name, svc.settings)
    charge(doc.chars)
    try:
        done = documents.translate_document(doc, source or "auto", target, svc.pipeline, glossary)
    except ServiceError as exc:  # the upload was fine, the translation failed: DeepL's "error"
        stored = file_store().put(b"", {"filename": name, "status": "error",
                                        "error_message": exc.message})
    else:
        stored = file_store().put(done.data, {
            "filename": name, "media_type": done.media_type, "status": "done",
            "billed_characters": done.chars,
            "flagged": [f.__dict__ for f in done.flagged]})
    return shapes.DeepLDocumentHandle(document_id=stored.id, document_key=stored.key).model_dump()


def _document(document_id: str) -> Stored:
    key = parse(shapes.DeepLDocumentQuery, _fields(), services().settings).document_key
    stored = file_store().get(document_id, key)
    if stored is None:
        raise NotFound("Document not found.", code="unknown_document")
    return stored


@bp.route("/document/<document_id>", methods=["GET", "POST"])
@operation("DeepL: a document's status", request=shapes.DeepLDocumentQuery,
           response=shapes.DeepLDocumentStatus, errors=(400, 404), media=openapi.JSON_OR_FORMS)
def document_status(document_id: str) -> ResponseReturnValue:
    stored = _document(document_id)
    meta = stored.meta
    return shapes.DeepLDocumentStatus(
        document_id=stored.id, status=meta["status"],
        seconds_remaining=0 if meta["status"] == "done" else None,
        billed_characters=meta.get("billed_characters"),
        error_message=meta.get("error_message")).model_dump(exclude_none=True)


@bp.route("/document/<document_id>/result", methods=["GET", "POST"])
@operation("DeepL: download a translated document", request=shapes.DeepLDocumentQuery,
           errors=(400, 404), media=openapi.JSON_OR_FORMS, responses={"200": FILE})
def document_result(document_id: str) -> ResponseReturnValue:
    """The file, once: DeepL deletes a document when it has been downloaded."""
    stored = _document(document_id)
    status = stored.meta["status"]
    if status == "error":
        raise InputError(stored.meta.get("error_message") or "The translation failed.",
                         code="translation_failed")
    if status == "downloaded":
        raise NotFound("Document already downloaded.", code="unknown_document")
    data = file_store().read(stored)
    file_store().update(stored, status="downloaded")
    return Response(data, mimetype=stored.meta["media_type"],
                    headers={"Content-Disposition": attachment(stored.meta["filename"])})
