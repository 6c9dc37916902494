"""Every error as JSON, in the shape of the API the request was made to.

One handler for everything (the service's own `ServiceError`s, werkzeug's HTTP errors, and
anything unexpected). The shape comes from the blueprint that owns the URL: `{"error": {"code",
"message"}}` by default, LibreTranslate's `{"error": "..."}` on its paths. A 404 or 405 happens
before any blueprint is chosen, so the owner is found by matching the URL again with a method
the rule allows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from l10n.errors import ServiceError, storage_full

log = logging.getLogger(__name__)
Renderer = Callable[[str, str, dict[str, Any]], dict[str, Any]]
"""(code, message, the service's own error body) -> the body the API's clients expect."""
HTTP_CODES = {413: "payload_too_large"}  # one code for "too large", whoever noticed it
RENDERERS = "l10n.error_renderers"


def install(app: Flask, renderers: Mapping[str, Renderer]) -> None:
    """Answer every error as JSON; `renderers` maps a blueprint name to its error shape."""
    app.extensions[RENDERERS] = dict(renderers)
    app.register_error_handler(Exception, handle)


def handle(exc: Exception) -> tuple[Response, int, dict[str, str]]:
    full = storage_full(exc)
    if full is not None:
        log.error("a write failed: %s", exc)
        exc = full
    if isinstance(exc, ServiceError):
        return _answer(exc.status, exc.code, exc.message, exc.to_dict(), exc.headers)
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        code = HTTP_CODES.get(status) or (exc.name or "error").lower().replace(" ", "_")
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}  # Allow
        return _answer(status, code, exc.description or "", None, headers)
    log.exception("unhandled error")
    return _answer(500, "internal_error", "internal error; see the server log", None, {})


def _answer(status: int, code: str, message: str, body: dict[str, Any] | None,
            headers: Mapping[str, str]) -> tuple[Response, int, dict[str, str]]:
    body = body or {"error": {"code": code, "message": message}}
    renderer = current_app.extensions[RENDERERS].get(_owner())
    if renderer is not None:
        body = renderer(code, message, body)
    return jsonify(body), status, dict(headers)


def _owner() -> str | None:
    """The blueprint of the URL, also when the method (405) did not route."""
    if request.blueprint:
        return request.blueprint
    failed = request.routing_exception
    if isinstance(failed, MethodNotAllowed) and failed.valid_methods:
        adapter = current_app.url_map.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match(method=next(iter(failed.valid_methods)))
        except HTTPException:
            return None
        return str(endpoint).rpartition(".")[0] or None
    return None
