"""The OpenAPI 3.1 document of the service (`/openapi.json`, `/spec`), written by hand.

Written, not generated from the routes: routes only wire HTTP to `l10n`, and the shapes live
in the parsers and renderers, which no introspection can read. What keeps it honest instead:
`build` documents exactly the routes the app has (a route missing from `_operations` fails
`tests/test_openapi.py`), limits come from the `Settings` in force, and a schemathesis run
checks every documented operation against the running app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from l10n.config import Settings
from l10n.editions import LANGUAGES
from l10n.translate.article import FORMATS as ARTICLE_FORMATS
from l10n.web.libretranslate import FORMATS as COMPAT_FORMATS

Schema = dict[str, Any]

LANGUAGE: Schema = {"type": "string", "enum": list(LANGUAGES)}
SOURCE: Schema = {"type": "string", "enum": ["auto", *LANGUAGES], "default": "auto"}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
NUMBER_0_1: Schema = {"type": "number", "minimum": 0, "maximum": 1}
JOB_ID: Schema = {"name": "job_id", "in": "path", "required": True,
                  "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: Iterable[str] = (), **properties: Schema) -> Schema:
    return {"type": "object", "required": list(required), "properties": properties}


def _json(schema: Schema, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page(description: str = "HTML page", *, or_json: bool = False) -> dict:
    """A response that is an HTML page; `or_json`: JSON instead for a client that is no
    browser (the preview's errors)."""
    content = {"text/html": {"schema": {"type": "string"}}}
    if or_json:
        content["application/json"] = {"schema": _ref("Error")}
    return {"description": description, "content": content}


def _body(schema: Schema, *, forms: bool = False) -> dict:
    types = ["application/json"]
    if forms:
        types += ["application/x-www-form-urlencoded", "multipart/form-data"]
    return {"required": True, "content": {t: {"schema": schema} for t in types}}


ERRORS = {
    400: "Invalid request: the error's code names the problem",
    403: "Missing or invalid API key (only when the operator configured keys)",
    404: "Not found",
    413: "Over a limit: body bytes, characters, batch items, or the whole character quota",
    429: "Rate limit or character quota exceeded; retry after `Retry-After` seconds",
}


def _errors(*statuses: int, compat: bool = False) -> dict:
    schema = _ref("CompatError" if compat else "Error")
    out = {}
    for status in statuses:
        out[str(status)] = _json(schema, ERRORS[status])
        if status == 429:
            out[str(status)]["headers"] = {"Retry-After": {
                "description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}}
    return out


def _text(settings: Settings) -> Schema:
    return {"type": "string", "minLength": 1, "maxLength": settings.max_chars}


def _schemas(settings: Settings) -> dict[str, Schema]:
    text = _text(settings)
    qa = _obj(["segments", "flagged"], segments={"type": "integer"}, flagged={
        "type": "array", "items": _obj(["field", "index", "source", "translation", "flags"],
                                       field={"type": "string"}, index={"type": "integer"},
                                       source={"type": "string"},
                                       translation={"type": "string"},
                                       flags={"type": "array", "items": {"type": "string"}})})
    glossary_entry = {
        **_obj(["en"], **{lang: {"type": "string"} for lang in LANGUAGES},
               kind={"type": "string", "enum": ["person", "place", "org", "media"]},
               flags={"type": "array",
                      "items": {"type": "string", "enum": ["keep", "indeclinable"]}},
               note={"type": "string"}),
        "additionalProperties": False}
    q_item: Schema = {"type": "string", "maxLength": settings.max_chars}
    return {
        "Error": _obj(["error"], error=_obj(["code", "message"], code={"type": "string"},
                                            message={"type": "string"},
                                            field={"type": "string"})),
        "CompatError": _obj(["error"], error={"type": "string"}),
        "Model": _obj(["source", "target", "pair", "version", "name", "size_bytes", "demo"],
                      source=LANGUAGE, target=LANGUAGE, pair={"type": "string"},
                      version={"type": "string"}, name={"type": "string"},
                      size_bytes={"type": "integer"},
                      demo={"type": "boolean", "description": "a demo (fixture) model"}),
        "EditionLabel": _obj(
            ["route", "demo"],
            route={"type": "array", "items": LANGUAGE,
                   "description": "the languages the text went through, e.g. [fr, en, ru]"},
            demo={"type": "boolean"},
            notice={"type": "string", "description": "when demo: what that means, in words"}),
        "EditionError": _obj(["error"], error=_obj(["code", "message"], code={
            "type": "string", "enum": ["unsupported_pair", "model_unavailable", "engine_error"]},
            message={"type": "string"})),
        "Source": _obj(["language", "confidence", "detected"], language=LANGUAGE,
                       confidence=NUMBER_0_1, detected={"type": "boolean"}),
        "QA": qa,
        "Detection": _obj(["language", "confidence", "reliable", "candidates"],
                          language={"type": "string", "description": "a code, or und"},
                          confidence=NUMBER_0_1, reliable={"type": "boolean"},
                          candidates={"type": "array", "items": _obj(
                              ["language", "confidence"], language=LANGUAGE,
                              confidence=NUMBER_0_1)}),
        "JobAccepted": _obj(["id", "status", "status_url"], id={"type": "string"},
                            status={"type": "string"}, status_url={"type": "string"}),
        "Job": _obj(["id", "status", "progress", "created", "updated"], id={"type": "string"},
                    status={"type": "string",
                            "enum": ["queued", "running", "done", "failed", "cancelled"]},
                    progress={"type": "object"}, created={"type": "number"},
                    updated={"type": "number"},
                    result={"type": "object", "properties": {"articles": {
                        "type": "array", "items": _ref("ArticleResult")}}},
                    error={"type": "object"}),
        "TranslateRequest": _obj(
            ["text"], text=text, source=SOURCE,
            targets={"oneOf": [LANGUAGE, {"type": "array", "items": LANGUAGE, "minItems": 1}],
                     "description": "default: every edition but the source's own"},
            format={"type": "string", "enum": list(ARTICLE_FORMATS), "default": "text"}),
        "TranslateResult": _obj(
            ["source", "translations", "qa", "editions"], source=_ref("Source"),
            translations={"type": "object", "additionalProperties": {"type": "string"}},
            qa={"type": "object", "additionalProperties": _ref("QA")},
            editions={"type": "object", "additionalProperties": {
                "oneOf": [_ref("EditionLabel"), _ref("EditionError")]}}),
        "Article": _obj(
            [], id={"type": ["string", "integer"]}, source=SOURCE,
            targets={"oneOf": [LANGUAGE, {"type": "array", "items": LANGUAGE, "minItems": 1}]},
            format={"type": "string", "enum": list(ARTICLE_FORMATS), "default": "text"},
            title={"type": "string"}, lead={"type": "string"}, body={"type": "string"},
            captions={"type": "array", "items": {"type": "string"}},
            meta=_obj([], author={"type": "string"}, category={"type": "string"},
                      published={"type": "string", "description": "ISO 8601 with a zone"},
                      tags={"type": "array", "items": {"type": "string"}})),
        "ArticleResult": _obj(
            ["id", "format", "source", "editions"], id={"type": ["string", "integer", "null"]},
            format={"type": "string"}, source=_ref("Source"),
            editions={"type": "object", "additionalProperties": {"oneOf": [_obj(
                ["title", "lead", "body", "captions", "byline", "qa", "route", "demo"],
                title={"type": "string"}, lead={"type": "string"}, body={"type": "string"},
                captions={"type": "array", "items": {"type": "string"}},
                byline={"oneOf": [{"type": "null"}, _obj(
                    ["author", "date_line", "needs_review"], author={"type": "string"},
                    date_line={"type": "string"}, needs_review={"type": "boolean"})]},
                qa=_ref("QA"), route={"type": "array", "items": LANGUAGE},
                demo={"type": "boolean"}, notice={"type": "string"}),
                _ref("EditionError")]}}),
        "Glossary": _obj(["entries"], entries={"type": "array", "items": glossary_entry}),
        "VersionedGlossary": _obj(["version", "entries"], version={"type": "string"},
                                  entries={"type": "array", "items": glossary_entry}),
        "Correction": _obj(["source", "target", "text", "translation"], source=LANGUAGE,
                           target=LANGUAGE, text=text, translation=text,
                           reviewer={"type": "string"}),
        "MemoryEntry": _obj(["stored", "kind", "source", "target", "text", "translation",
                             "created_at"], stored={"type": "boolean"},
                            kind={"type": "string", "enum": ["human", "machine"]},
                            source=LANGUAGE, target=LANGUAGE, text={"type": "string"},
                            translation={"type": "string"}, created_at={"type": "string"},
                            reviewer={"type": ["string", "null"]}),
        "CompatTranslateRequest": _obj(
            ["q", "source", "target"],
            q={"oneOf": [{**q_item, "minLength": 1},
                         {"type": "array", "items": q_item, "minItems": 1,
                          "maxItems": settings.max_batch_items}],
               "description": f"a text, or a batch of at most {settings.max_batch_items}; "
                             f"{settings.max_chars} characters in all"},
            source={"type": "string", "enum": ["auto", *LANGUAGES]},
            target=LANGUAGE,
            format={"type": "string", "enum": list(COMPAT_FORMATS), "default": "text"},
            alternatives={"type": "integer", "minimum": 0, "maximum": settings.max_alternatives,
                          "description": "accepted; always answered with [] (one hypothesis)"},
            api_key={"type": "string", "description": "or Authorization: Bearer"}),
        "CompatDetected": _obj(["confidence", "language"],
                               confidence={"type": "number", "minimum": 0, "maximum": 100},
                               language=LANGUAGE),
        "CompatTranslateResult": _obj(
            ["translatedText"],
            translatedText={"oneOf": [{"type": "string"},
                                      {"type": "array", "items": {"type": "string"}}]},
            detectedLanguage={"oneOf": [_ref("CompatDetected"),
                                        {"type": "array", "items": _ref("CompatDetected")}],
                              "description": "when source is auto; per item for a batch"},
            alternatives={"type": "array", "description": "[] per text: one hypothesis"}),
        "CompatDetectRequest": _obj(["q"], q={**q_item, "minLength": 1},
                                    api_key={"type": "string"}),
        "CatalogStatus": _obj(["language", "locale", "total", "translated", "fuzzy",
                               "untranslated", "percent", "last_modified"],
                              language=LANGUAGE, locale={"type": "string"},
                              total={"type": "integer"}, translated={"type": "integer"},
                              fuzzy={"type": "integer"}, untranslated={"type": "integer"},
                              percent={"type": "number"}, last_modified={"type": "string"}),
        "CatalogMessages": _obj(
            ["language", "locale", "plural_forms", "nplurals", "messages", "plurals"],
            language=LANGUAGE, locale={"type": "string"}, plural_forms={"type": "string"},
            nplurals={"type": "integer"},
            messages={"type": "object", "additionalProperties": {"type": "string"}},
            plurals={"type": "object", "additionalProperties": {
                "type": "array", "items": {"type": "string"}}}),
        "CatalogEntry": _obj(
            ["msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "fuzzy", "hash"],
            msgctxt=NULLABLE_STRING, msgid={"type": "string"}, msgid_plural=NULLABLE_STRING,
            msgstr=NULLABLE_STRING,
            msgstr_plural={"type": ["array", "null"], "items": {"type": "string"}},
            fuzzy={"type": "boolean"},
            hash={"type": "string", "description": "send it back to change the entry"}),
        "CatalogEntryEdit": {**_obj(
            ["msgid", "hash"], msgctxt=NULLABLE_STRING, msgid={"type": "string"},
            hash={"type": "string", "description": "the entry's hash as read"},
            fuzzy={"type": "boolean", "default": False},
            msgstr={"type": "string", "description": "an entry without a plural"},
            msgstr_plural={"type": "array", "items": {"type": "string"},
                           "description": "an entry with a plural: every form"}),
            "additionalProperties": False},
        "PreviewForm": _obj(
            ["targets"], title={"type": "string"}, lead={"type": "string"},
            body={"type": "string"}, captions={"type": "string", "description": "one a line"},
            format={"type": "string", "enum": list(ARTICLE_FORMATS)}, source=SOURCE,
            targets={"type": "array", "items": LANGUAGE, "minItems": 1},
            author={"type": "string"}, published={"type": "string"},
            file={"type": "string", "format": "binary",
                  "description": ".json, .md or .html article; replaces the text fields"}),
    }


def _operations(settings: Settings) -> dict[tuple[str, str], dict]:
    """(path, method) → operation, for every route the service may have."""
    public = (413, 429)  # a body over the limit is refused on every path, even a GET
    gated = (403, *public)
    return {
        ("/health", "get"): {
            "tags": ["service"], "summary": "Liveness and installed models",
            "description": "Never rate-limited and never needs a key: for load balancers.",
            "security": [],
            "responses": {"200": _json(_obj(["status", "device", "models", "demo", "broken"],
                                            status={"type": "string", "const": "ok"},
                                            device=_obj(["device", "index", "compute_type"],
                                                        device={"enum": ["cpu", "cuda"]},
                                                        index={"type": "integer"},
                                                        compute_type={"type": "string"}),
                                            models={"type": "array",
                                                    "items": _ref("Model")},
                                            demo={"type": "boolean"},
                                            notice={"type": "string"},
                                            broken={"type": "object", "additionalProperties":
                                                    {"type": "string"}})),
                          "503": _json(_obj(["status"], status={"const": "loading"}),
                                       "Models still loading (L10N_PRELOAD)"),
                          **_errors(413)}},
        ("/metrics", "get"): {
            "tags": ["service"], "summary": "Prometheus metrics",
            "description": "Requests by route template and status, latency, engine segments, "
                           "translation-memory hits. No per-client or per-key labels. Never "
                           "rate-limited and never needs a key.",
            "security": [],
            "responses": {"200": {"description": "Prometheus text format",
                                  "content": {"text/plain": {"schema": {"type": "string"}}}},
                          **_errors(413)}},
        ("/openapi.json", "get"): {
            "tags": ["service"], "summary": "This document", "security": [],
            "responses": {"200": _json({"type": "object"}), **_errors(*public)}},
        ("/spec", "get"): {
            "tags": ["libretranslate"], "summary": "This document (LibreTranslate's path)",
            "security": [],
            "responses": {"200": _json({"type": "object"}), **_errors(*public)}},
        ("/docs", "get"): {
            "tags": ["service"], "summary": "This document as an HTML page", "security": [],
            "responses": {"200": {"description": "HTML",
                                  "content": {"text/html": {"schema": {"type": "string"}}}},
                          **_errors(*public)}},
        ("/v1/languages", "get"): {
            "tags": ["v1"], "summary": "Languages, named in a display language", "security": [],
            "parameters": [{"name": "display", "in": "query", "schema": {**LANGUAGE,
                                                                         "default": "en"}}],
            "responses": {"200": _json(_obj(
                ["languages", "pairs"],
                languages={"type": "array", "items": _obj(
                    ["code", "name", "autonym", "targets"], code=LANGUAGE,
                    name={"type": "string"}, autonym={"type": "string"},
                    targets={"type": "array", "items": LANGUAGE})},
                pairs={"type": "array", "items": _ref("Model")})), **_errors(400, *public)}},
        ("/v1/detect", "post"): {
            "tags": ["v1"], "summary": "Detect the language of a text",
            "requestBody": _body(_obj(["text"], text=_text(settings))),
            "responses": {"200": _json(_ref("Detection")), **_errors(400, *gated)}},
        ("/v1/format", "post"): {
            "tags": ["v1"], "summary": "Numbers, percentages, amounts and dates per edition (CLDR)",
            "requestBody": _body(_obj(
                [], languages={"type": "array", "items": LANGUAGE, "minItems": 1},
                numbers={"type": "array", "maxItems": 100, "items": {"type": "number"}},
                percents={"type": "array", "maxItems": 100, "items": {"type": "number"}},
                amounts={"type": "array", "maxItems": 100, "items": _obj(
                    ["value", "currency"], value={"type": "number"},
                    currency={"type": "string", "pattern": "^[A-Z]{3}$"})},
                dates={"type": "array", "maxItems": 100,
                       "items": {"type": "string", "format": "date-time"}})),
            "responses": {"200": _json({"type": "object", "additionalProperties": _obj(
                ["numbers", "percents", "amounts", "dates"],
                **{k: {"type": "array", "items": {"type": "string"}}
                   for k in ("numbers", "percents", "amounts", "dates")})}),
                **_errors(400, *gated)}},
        ("/v1/translate", "post"): {
            "tags": ["v1"], "summary": "Translate a text into one or more editions",
            "requestBody": _body(_ref("TranslateRequest")),
            "responses": {"200": _json(_ref("TranslateResult")), **_errors(400, *gated)}},
        ("/v1/articles/translate", "post"): {
            "tags": ["v1"], "summary": "Translate an article: fields, captions, byline",
            "requestBody": _body(_ref("Article")),
            "responses": {"200": _json(_ref("ArticleResult")), **_errors(400, *gated)}},
        ("/v1/glossary", "get"): {
            "tags": ["v1"], "summary": "The names glossary and its version",
            "responses": {"200": _json(_ref("VersionedGlossary")), **_errors(*gated)}},
        ("/v1/glossary", "put"): {
            "tags": ["v1"], "summary": "Replace the names glossary",
            "requestBody": _body(_ref("Glossary")),
            "responses": {"200": _json(_ref("VersionedGlossary")),
                          **_errors(400, *gated)}},
        ("/v1/memory", "put"): {
            "tags": ["v1"], "summary": "Store a reviewer's correction in translation memory",
            "requestBody": _body(_ref("Correction")),
            "responses": {"200": _json(_ref("MemoryEntry")), **_errors(400, *gated)}},
        ("/v1/jobs", "post"): {
            "tags": ["v1"], "summary": "Translate one article or a list in the background",
            "description": "202 at once; poll status_url, or name callback_url for a signed "
                           "webhook (docs/jobs.md).",
            "requestBody": _body({"type": "object", "properties": {
                "article": _ref("Article"),
                "articles": {"type": "array", "items": _ref("Article"), "minItems": 1,
                             "maxItems": settings.max_batch_items},
                "callback_url": {"type": "string", "format": "uri"}}}),
            "responses": {"202": _json(_ref("JobAccepted"), "Accepted"),
                          **_errors(400, *gated), "503": _json(_ref("Error"), "Queue full")}},
        ("/v1/jobs/{job_id}", "get"): {
            "tags": ["v1"], "summary": "A job's status, progress and result",
            "parameters": [JOB_ID],
            "responses": {"200": _json(_ref("Job")), **_errors(404, *gated)}},
        ("/v1/jobs/{job_id}", "delete"): {
            "tags": ["v1"], "summary": "Cancel a job that has not ended",
            "parameters": [JOB_ID],
            "responses": {"200": _json(_ref("Job")), **_errors(404, *gated),
                          "409": _json(_ref("Error"), "The job has already ended")}},
        ("/translate", "post"): {
            "tags": ["libretranslate"], "summary": "LibreTranslate: translate text(s)",
            "description": "JSON or form body. A batch with source auto is detected per item.",
            "requestBody": _body(_ref("CompatTranslateRequest"), forms=True),
            "responses": {"200": _json(_ref("CompatTranslateResult")),
                          **_errors(400, *gated, compat=True)}},
        ("/detect", "post"): {
            "tags": ["libretranslate"], "summary": "LibreTranslate: detect the language",
            "description": "Candidates best first; an empty list when the text is too short.",
            "requestBody": _body(_ref("CompatDetectRequest"), forms=True),
            "responses": {"200": _json({"type": "array", "items": _ref("CompatDetected")}),
                          **_errors(400, *gated, compat=True)}},
        ("/languages", "get"): {
            "tags": ["libretranslate"], "summary": "LibreTranslate: installed languages",
            "security": [],
            "responses": {"200": _json({"type": "array", "items": _obj(
                ["code", "name", "targets"], code=LANGUAGE, name={"type": "string"},
                targets={"type": "array", "items": LANGUAGE})}),
                **_errors(*public, compat=True)}},
        ("/v1/catalogs", "get"): {
            "tags": ["v1"], "summary": "Translation progress of the site's UI strings",
            "responses": {"200": _json(_obj(["catalogs"], catalogs={
                "type": "array", "items": _ref("CatalogStatus")})),
                "503": _json(_ref("Error"), "A catalog is broken until a translator fixes it"),
                **_errors(*gated)}},
        ("/v1/catalogs/{lang}", "get"): {
            "tags": ["v1"], "summary": "One edition's translated UI strings",
            "parameters": [
                {"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "fuzzy", "in": "query", "description": "1 or true: fuzzy ones too",
                 "schema": {"type": "string"}}],
            "responses": {"200": _json(_ref("CatalogMessages")), **_errors(404, *gated),
                          "503": _json(_ref("Error"), "The catalog is broken")}},
        ("/v1/catalogs/{lang}/entries", "get"): {
            "tags": ["v1"], "summary": "One entry of an edition's catalog, with its hash",
            "parameters": [
                {"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "msgid", "in": "query", "required": True,
                 "schema": {"type": "string"}},
                {"name": "msgctxt", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json(_ref("CatalogEntry")), **_errors(400, 404, *gated),
                          "503": _json(_ref("Error"), "The catalog is broken")}},
        ("/v1/catalogs/{lang}/entries", "put"): {
            "tags": ["v1"], "summary": "A translator sets one entry's translation",
            "description": "Only that entry's lines change in the .po file. Refused with 409 "
                           "when the entry changed since it was read (its hash differs).",
            "parameters": [
                {"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": _body(_ref("CatalogEntryEdit")),
            "responses": {"200": _json(_ref("CatalogEntry")), **_errors(400, 404, *gated),
                          "409": _json(_ref("Error"), "The entry changed since it was read "
                                                     "(stale_entry), or the file kept "
                                                     "changing (catalog_busy)"),
                          "503": _json(_ref("Error"), "The catalog is broken")}},
        ("/preview", "get"): {
            "tags": ["preview"], "summary": "The edition preview form, for editors",
            "parameters": [{"name": "lang", "in": "query", "schema": {"type": "string"},
                            "description": "the page's language; else Accept-Language"}],
            "responses": {"200": _page(), **_errors(*gated)}},
        ("/preview", "post"): {
            "tags": ["preview"], "summary": "Translate an article and show every edition",
            "description": "An invalid article gives the form again, with the reason, as a "
                           "page with the error's status.",
            "parameters": [{"name": "lang", "in": "query", "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {
                t: {"schema": _ref("PreviewForm")}
                for t in ("application/x-www-form-urlencoded", "multipart/form-data")}},
            "responses": {"200": _page(), "400": _page("The form again, with the error"),
                          "413": _page("Over a limit", or_json=True),
                          "429": {**_page("Over the quota", or_json=True),
                                  "headers": _errors(429)["429"]["headers"]},
                          **_errors(403)}},
        ("/preview/{article_id}", "get"): {
            "tags": ["preview"], "summary": "An article a batch run translated",
            "parameters": [
                {"name": "article_id", "in": "path", "required": True,
                 "schema": {"type": "string"}},
                {"name": "lang", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _page(), "404": _page("No such article", or_json=True),
                          **_errors(*gated)}},
    }


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: `/v1/catalogs/<lang>` → `/v1/catalogs/{lang}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def build(settings: Settings, routes: Iterable[tuple[str, str]]) -> dict:
    """The document for the routes the app has, with the limits `settings` sets."""
    operations = _operations(settings)
    paths: dict[str, dict] = {}
    for rule, method in sorted(routes):
        key = (openapi_path(rule), method.lower())
        if key in operations:
            paths.setdefault(key[0], {})[key[1]] = operations[key]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "l10n: translation and localisation for news publishers",
            "version": "1",
            "description": (
                "Every error is JSON: `{\"error\": {\"code\", \"message\"}}` on this API's "
                "paths, `{\"error\": \"<message>\"}` on LibreTranslate's (/translate, /detect, "
                "/languages). Keys are needed only when the operator configured them. "
                f"Limits in force: {settings.max_body_bytes} body bytes, {settings.max_chars} "
                f"characters, {settings.max_batch_items} batch items, rate "
                f"{settings.rate_limit}, character quota {settings.char_quota}."),
        },
        "servers": [{"url": "/"}],
        "security": [{}, {"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": _schemas(settings),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "an API key from the operator"}},
        },
    }
