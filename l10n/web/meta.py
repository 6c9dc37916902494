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


@bp.get("/health")
@admission.probe
def health() -> ResponseReturnValue:
    svc = services()
    if svc.ready is not None and not svc.ready.is_set():
        return {"status": "loading"}, 503  # L10N_PRELOAD: not in the load balancer yet
    svc.engine.refresh()
    models, broken = svc.engine.store.scan()
    return {"status": "ok", "device": svc.engine.device.as_json(),
            **schemas.render_models(models), "broken": broken}


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
