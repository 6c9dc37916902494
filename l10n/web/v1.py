"""The service's own API, `/v1/...`: detect, translate texts and articles, glossary, memory.

Each view validates its body with its request model (l10n/web/schemas.py), charges the
caller's characters, calls the library and renders the result with its response model; its
`@operation` declares both for the OpenAPI document. Writes need a role (`admission.requires`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from l10n.translate.detect import detect
from l10n.translate.memory.exchange import entry_json
from l10n.translate.request import ArticleRequest, parse
from l10n.web import admission, openapi
from l10n.web.context import charge, json_body, services
from l10n.web.schemas import (
    ArticleTranslation,
    Correction,
    DetectionResult,
    DetectRequest,
    GlossaryDocument,
    Languages,
    LanguagesQuery,
    MemoryEntry,
    TranslateRequest,
    TranslateResult,
    VersionedGlossary,
    replace_glossary,
)

bp = Blueprint("v1", __name__, url_prefix="/v1")
bp.before_request(admission.admit)
operation = openapi.operations_for("v1")


@bp.get("/languages")
@admission.public
@operation("Languages, named in a display language", query=LanguagesQuery, response=Languages,
           errors=(400,))
def languages() -> dict[str, Any]:
    svc = services()
    query = parse(LanguagesQuery, request.args.to_dict(), svc.settings)
    return Languages.of(query.display, svc.engine.store.installed()).dump()


@bp.get("/glossary")
@operation("The names glossary and its version", response=VersionedGlossary)
def get_glossary() -> dict[str, Any]:
    return VersionedGlossary.of(services().pipeline.glossary.get()).dump()


@bp.put("/glossary")
@admission.requires(admission.ADMIN)
@operation("Replace the names glossary", request=GlossaryDocument, response=VersionedGlossary,
           errors=(400,), description="Needs a key with the admin role.")
def put_glossary() -> dict[str, Any]:
    return VersionedGlossary.of(replace_glossary(services().pipeline.glossary,
                                                 json_body())).dump()


@bp.post("/detect")
@operation("Detect the language of a text", request=DetectRequest, response=DetectionResult,
           errors=(400,))
def detect_language() -> dict[str, Any]:
    settings = services().settings
    req = parse(DetectRequest, json_body(), settings)
    charge(len(req.text))
    return DetectionResult.of(detect(req.text, settings)).dump()


@bp.post("/translate")
@operation("Translate a text into one or more editions", request=TranslateRequest,
           response=TranslateResult, errors=(400,))
def translate() -> dict[str, Any]:
    svc = services()
    req = parse(TranslateRequest, json_body(), svc.settings)
    charge(req.chars * (len(req.targets) or len(svc.settings.default_targets)))
    result = svc.pipeline.translate_text(req.text, req.source, req.targets, req.format)
    return TranslateResult.of(result).dump()


@bp.post("/articles/translate")
@operation("Translate an article: fields, captions, byline", request=ArticleRequest,
           response=ArticleTranslation, errors=(400,))
def translate_article() -> dict[str, Any]:
    svc = services()
    req = parse(ArticleRequest, json_body(), svc.settings)
    article = req.article()
    charge(req.chars * (len(article.targets) or len(svc.settings.default_targets)))
    return ArticleTranslation.of(article, svc.pipeline.translate_article(article)).dump()


@bp.put("/memory")
@admission.requires(admission.REVIEW)
@operation("Store a reviewer's correction in translation memory", request=Correction,
           response=MemoryEntry, errors=(400,), description="Needs a key with the review role.")
def put_memory() -> dict[str, Any]:
    svc = services()
    req = parse(Correction, json_body(), svc.settings)
    entry = svc.memory.correct(req.source, req.target, req.text, req.translation, req.reviewer)
    return {"stored": True, **entry_json(entry)}
