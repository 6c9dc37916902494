"""Describing and watching the service: health, the OpenAPI document, its docs page, metrics."""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue
from pydantic import Field

from l10n.web import admission, docs, openapi
from l10n.web.context import services
from l10n.web.schemas import Model, ResponseModel, demo_label

bp = Blueprint("meta", __name__)
bp.before_request(admission.admit)
operation = openapi.operations_for("service")
TEXT = {"description": "Prometheus text format",
        "content": {"text/plain": {"schema": {"type": "string"}}}}
HTML = {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}


class Device(ResponseModel):
    device: Literal["cpu", "cuda"]
    index: int
    compute_type: str


class Health(ResponseModel):
    status: Literal["ok"]
    device: Device
    models: list[Model]
    demo: bool = Field(description="demo (fixture) models are installed")
    notice: str | None = Field(None, description="when demo: what that means, in words")
    broken: dict[str, str] = Field(description="package folders not used, with why")


class Loading(ResponseModel):
    """Models still loading (L10N_PRELOAD): not in the load balancer yet."""

    status: Literal["loading"]


class Document(ResponseModel):
    """The OpenAPI document."""


@bp.get("/health")
@admission.probe
@operation("Liveness and installed models", response=Health, responses={"503": Loading},
           description="Never rate-limited and never needs a key: for load balancers.")
def health() -> ResponseReturnValue:
    svc = services()
    if svc.ready is not None and not svc.ready.is_set():
        return Loading(status="loading").dump(), 503
    svc.engine.refresh()
    models, broken = svc.engine.store.scan()
    return Health(status="ok", device=Device.model_validate(svc.engine.device.as_json()),
                  models=[Model.of(m) for m in models], broken=broken,
                  **demo_label(models)).dump(exclude_none=True)


@bp.get("/openapi.json")
@admission.public
@operation("This document", response=Document)
def spec() -> dict[str, Any]:
    return openapi.build(services().settings, current_app)


@bp.get("/spec")
@admission.public
@openapi.operation("This document (LibreTranslate's path)", tags=["libretranslate"],
                   response=Document)
def libretranslate_spec() -> dict[str, Any]:
    return spec()


@bp.get("/docs")
@admission.public
@operation("This document as an HTML page", responses={"200": HTML})
def docs_page() -> Response:
    return Response(docs.render_docs(openapi.build(services().settings, current_app)),
                    headers=docs.HEADERS, mimetype="text/html")


@bp.get("/metrics")
@admission.probe
@operation("Prometheus metrics", responses={"200": TEXT},
           description="Requests by route template and status, latency, engine segments, "
                       "translation-memory hits. No per-client or per-key labels. Never "
                       "rate-limited and never needs a key.")
def prometheus() -> Response:
    body, content_type = services().metrics.render()
    return Response(body, content_type=content_type)
