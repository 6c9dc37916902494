"""The service's own API, `/v1/...`: detect, translate texts and articles, glossary, memory.

Each view parses the body into a request shape (l10n/web/schemas.py), charges the caller's
characters, calls the library and renders the result; nothing else happens here.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from l10n.translate.article import parse_article
from l10n.translate.detect import detect
from l10n.translate.memory.exchange import entry_json
from l10n.web import admission, schemas
from l10n.web.context import charge, json_body, services
from l10n.web.corrections import parse_correction

bp = Blueprint("v1", __name__, url_prefix="/v1")
bp.before_request(admission.admit)


@bp.get("/languages")
@admission.public
def languages() -> dict[str, Any]:
    display = schemas.parse_display_language(request.args.get("display", "en"))
    return schemas.render_languages(display, services().engine.store.installed())


@bp.get("/glossary")
def get_glossary() -> dict[str, Any]:
    glossary = services().pipeline.glossary.get()
    return {"version": glossary.version, **glossary.to_json()}


@bp.put("/glossary")
def put_glossary() -> dict[str, Any]:
    glossary = schemas.replace_glossary(services().pipeline.glossary, json_body())
    return {"version": glossary.version, **glossary.to_json()}


@bp.post("/detect")
def detect_language() -> dict[str, Any]:
    settings = services().settings
    text = schemas.parse_detect(json_body(), settings)
    charge(len(text))
    return schemas.render_detection(detect(text, settings))


@bp.post("/translate")
def translate() -> dict[str, Any]:
    svc = services()
    req = schemas.parse_translate(json_body(), svc.settings)
    charge(len(req.text) * (len(req.targets) or len(svc.settings.default_targets)))
    result = svc.pipeline.translate_text(req.text, req.source, req.targets, req.format)
    return schemas.render_text_result(result)


@bp.post("/articles/translate")
def translate_article() -> dict[str, Any]:
    svc = services()
    article = parse_article(json_body(), svc.settings)
    charge(len(article.plain_text()) * (len(article.targets) or len(svc.settings.default_targets)))
    return schemas.render_article_result(article, svc.pipeline.translate_article(article))


@bp.put("/memory")
def put_memory() -> dict[str, Any]:
    svc = services()
    req = parse_correction(json_body(), svc.settings)
    entry = svc.memory.correct(req.source, req.target, req.text, req.translation, req.reviewer)
    return {"stored": True, **entry_json(entry)}
