"""The OpenAPI 3.1 document of the service (`/openapi.json`, `/spec`), generated from the routes.

Each view declares its operation with `@operation(...)` (summary, request and response models
of l10n/web/schemas.py, the errors it can answer); `build` walks the app's routes and turns
every declaration into a path item, and every model into a component schema. What the
declaration does not say is derived: the 403/429 answers and the security requirement from the
view's admission (`@admission.public`, `@admission.probe`), 413 everywhere (a body over the
limit is refused on every path, even a GET), the path parameters from the rule, the error
shape from the blueprint (`error_model`). A route without a declaration is left out, and
tests/web/test_openapi.py names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from l10n.config import Settings
from l10n.web import admission
from l10n.web.schemas import Error, documenting

Schema = dict[str, Any]
View = TypeVar("View", bound=Callable[..., Any])
REF = "#/components/schemas/{model}"
JSON = "application/json"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_OR_FORMS = (JSON, *FORMS)
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait",
                               "schema": {"type": "integer", "minimum": 1}}}

ERRORS = {
    400: "Invalid request: the error's code names the problem",
    403: "Missing or invalid API key, or a key without the role this operation needs",
    404: "Not found",
    409: "In conflict with the resource's state",
    413: "Over a limit: body bytes, characters of text, batch items, or the whole quota",
    429: "Rate limit or character quota exceeded; retry after `Retry-After` seconds",
    503: "Unavailable for now",
}


@dataclass(frozen=True)
class Answer:
    """A JSON answer of `model` with its own description (a 202 "Accepted"...)."""

    model: type[BaseModel]
    description: str


def json_answer(model: type[BaseModel], description: str) -> Answer:
    return Answer(model, description)


@dataclass(frozen=True)
class Operation:
    """What a view tells the document about itself."""

    summary: str
    tags: tuple[str, ...]
    request: type[BaseModel] | None = None  # the JSON body (and the form fields, with forms)
    response: type[BaseModel] | None = None  # the 200 JSON body
    errors: tuple[int, ...] = ()  # besides 413 and what admission answers (403, 429)
    description: str = ""
    query: type[BaseModel] | None = None  # query parameters, one per field
    path: Mapping[str, Schema] = field(default_factory=dict)  # a path parameter's schema
    media: tuple[str, ...] = (JSON,)  # the request body's media types (JSON_OR_FORMS...)
    error_model: type[BaseModel] = Error
    responses: Mapping[str, Schema | type[BaseModel] | Answer] = field(default_factory=dict)
    """Other answers by status: a model (JSON of it), an `Answer`, or a schema (`page()`)."""

    def models(self) -> list[type[BaseModel]]:
        named = [self.request, self.query, self.response, self.error_model,
                 *(a.model if isinstance(a, Answer) else a for a in self.responses.values())]
        return [m for m in named if isinstance(m, type)]


def operation(summary: str, *, tags: Iterable[str] = (), **declared: Any) -> Callable[[View], View]:
    """Declare a view's operation (see `Operation`); a blueprint binds its tag and error
    shape once: `operation = partial(openapi.operation, tags=["v1"])`."""
    op = Operation(summary, tuple(tags), **declared)

    def declare(view: View) -> View:
        view.openapi = op  # type: ignore[attr-defined]
        return view
    return declare


def operations_for(tag: str, **defaults: Any) -> Callable[..., Callable[[View], View]]:
    """`operation` with a blueprint's tag and defaults (its error shape) bound."""
    return partial(operation, tags=[tag], **defaults)


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: `/v1/catalogs/<lang>` → `/v1/catalogs/{lang}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _ref(model: type[BaseModel]) -> Schema:
    return {"$ref": REF.format(model=model.__name__)}


def _json(schema: Schema, description: str = "OK") -> Schema:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _errors(op: Operation, statuses: Iterable[int]) -> dict[str, Schema]:
    out = {}
    for status in sorted(set(statuses)):
        out[str(status)] = _json(_ref(op.error_model), ERRORS[status])
        if status == 429:
            out[str(status)]["headers"] = RETRY_AFTER
    return out


def _parameters(op: Operation, rule: str, schemas: Mapping[str, Schema]) -> list[Schema]:
    params = [{"name": name, "in": "path", "required": True,
               "schema": dict(op.path.get(name, {"type": "string"}))}
              for name in re.findall(r"{([^}]+)}", openapi_path(rule))]
    if op.query is not None:
        query = schemas[op.query.__name__]
        for name, schema in query.get("properties", {}).items():
            param = {"name": name, "in": "query", "schema": {
                k: v for k, v in schema.items() if k not in ("title", "description")}}
            if "description" in schema:
                param["description"] = schema["description"]
            params.append(param)
    return params


def _item(op: Operation, rule: str, kind: str | None, schemas: Mapping[str, Schema]) -> Schema:
    statuses = [*op.errors, 413]
    if kind != admission.PROBE:
        statuses.append(429)
    if kind not in (admission.PROBE, admission.PUBLIC):
        statuses.append(403)
    responses: dict[str, Schema] = {}
    if op.response is not None:
        responses["200"] = _json(_ref(op.response))
    responses.update(_errors(op, [s for s in statuses if str(s) not in op.responses]))
    for status, answer in op.responses.items():
        if isinstance(answer, Answer):
            responses[status] = _json(_ref(answer.model), answer.description)
        elif isinstance(answer, type):
            responses[status] = _json(_ref(answer), ERRORS.get(int(status), "OK"))
        else:
            responses[status] = dict(answer)
    item: Schema = {"tags": list(op.tags), "summary": op.summary}
    if op.description:
        item["description"] = op.description
    if kind in (admission.PROBE, admission.PUBLIC):
        item["security"] = []
    params = _parameters(op, rule, schemas)
    if params:
        item["parameters"] = params
    if op.request is not None:
        item["requestBody"] = {"required": True,
                               "content": {t: {"schema": _ref(op.request)} for t in op.media}}
    item["responses"] = dict(sorted(responses.items()))
    return item


def _components(ops: Iterable[Operation], settings: Settings) -> dict[str, Schema]:
    """Every model the operations name, and the models those use, as component schemas."""
    models = dict.fromkeys(model for op in ops for model in op.models())
    with documenting(settings):
        _, top = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    return dict(sorted(top.get("$defs", {}).items()))


def build(settings: Settings, app: Flask) -> dict[str, Any]:
    """The document for the routes `app` has, with the limits `settings` sets."""
    found: list[tuple[str, str, Operation, str | None]] = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        op = getattr(view, "openapi", None)
        if op is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method.lower(), op, getattr(view, "admission", None)))
    schemas = _components([op for _, _, op, _ in found], settings)
    paths: dict[str, dict[str, Schema]] = {}
    for path, method, op, kind in sorted(found, key=lambda f: (f[0], f[1])):
        paths.setdefault(openapi_path(path), {})[method] = _item(op, path, kind, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "l10n: translation and localisation for news publishers",
            "version": "1",
            "description": (
                "Every error is JSON: `{\"error\": {\"code\", \"message\"}}` on this API's "
                "paths, `{\"error\": \"<message>\"}` on LibreTranslate's (/translate, /detect, "
                "/languages). Keys are needed only when the operator configured them; a "
                "write needs a key with its role (docs/api.md, Roles). "
                f"Limits in force: {settings.max_body_bytes} body bytes, {settings.max_chars} "
                f"characters of text (markup not counted), {settings.max_batch_items} batch "
                f"items, rate {settings.rate_limit}, character quota {settings.char_quota}."),
        },
        "servers": [{"url": "/"}],
        "security": [{}, {"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "an API key from the operator"}},
        },
    }


def page(description: str = "HTML page", *, or_json: type[BaseModel] | None = None) -> Schema:
    """A response that is an HTML page; `or_json`: that JSON instead for a client that is no
    browser (the preview's errors)."""
    content: Schema = {"text/html": {"schema": {"type": "string"}}}
    if or_json is not None:
        content[JSON] = {"schema": _ref(or_json)}
    return {"description": description, "content": content}
