"""Describing and watching the service: health, the OpenAPI document, its docs page, metrics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue

from l10n.web import admission, docs, openapi, schemas
from l10n.web.context import services

bp = Blueprint("meta", __name__)
bp.before_request(admission.admit)


def _routes() -> list[tuple[str, str]]:
    return [(rule.rule, method) for rule in current_app.url_map.iter_rules()
            if rule.endpoint != "static" for method in rule.methods or ()]


def _loading() -> bool:
    ready = services().ready
    return ready is not None and not ready.is_set()  # L10N_PRELOAD: models still loading


@bp.get("/health")
@admission.probe
def health() -> ResponseReturnValue:
    """Exactly LibreTranslate's answer, for the probes and clients that compare it."""
    return ({"status": "loading"}, 503) if _loading() else {"status": "ok"}


@bp.get("/v1/health")
@admission.probe
def rich_health() -> ResponseReturnValue:
    if _loading():
        return {"status": "loading"}, 503
    return {"status": "ok",
            "models": [schemas.render_model(m) for m in services().engine.store.installed()]}


@bp.get("/openapi.json")
@bp.get("/spec")
@admission.public
def spec() -> dict[str, Any]:
    return openapi.build(services().settings, _routes())


@bp.get("/docs")
@admission.public
def docs_page() -> str:
    return docs.render_docs(openapi.build(services().settings, _routes()))


@bp.get("/metrics")
@admission.probe
def prometheus() -> Response:
    body, content_type = services().metrics.render()
    return Response(body, content_type=content_type)
