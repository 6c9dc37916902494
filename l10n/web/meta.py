"""Describing and watching the service: health, the OpenAPI document, its docs page, metrics."""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue
from pydantic import Field

from l10n.translate.request import ResponseModel
from l10n.web import admission, docs, openapi
from l10n.web.context import services
from l10n.web.schemas import Model, demo_label

bp = Blueprint("meta", __name__)
bp.before_request(admission.admit)
operation = openapi.operations_for("service")
TEXT = {"description": "Prometheus text format",
        "content": {"text/plain": {"schema": {"type": "string"}}}}
HTML = {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}


class Ok(ResponseModel):
    """Exactly LibreTranslate's /health answer."""

    status: Literal["ok"]


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


def _loading() -> bool:
    ready = services().ready
    return ready is not None and not ready.is_set()  # L10N_PRELOAD: models still loading


@bp.get("/health")
@admission.probe
@operation("Liveness (LibreTranslate's answer)", response=Ok, responses={"503": Loading},
           description="Never rate-limited and never needs a key: for load balancers.")
def health() -> ResponseReturnValue:
    """Exactly LibreTranslate's answer, for the probes and clients that compare it."""
    if _loading():
        return Loading(status="loading").dump(), 503
    return Ok(status="ok").dump()


@bp.get("/v1/health")
@admission.probe
@operation("Health: device, installed models, broken packages, the demo label",
           response=Health, responses={"503": Loading},
           description="Never rate-limited and never needs a key.")
def rich_health() -> ResponseReturnValue:
    if _loading():
        return Loading(status="loading").dump(), 503
    svc = services()
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
