"""The HTTP service: wires Flask routes to the `l10n` library, nothing more.

    flask --app service run            # development server on 127.0.0.1:5000

Every error, including Flask's own (404, 405, 413, malformed JSON), is answered as JSON:
`{"error": {"code": "...", "message": "..."}}`, except on LibreTranslate's paths
(`compat.PATHS`), which answer LibreTranslate's `{"error": "..."}`.

Before any route, `Gate.admit` counts the request against the caller's rate limit and checks
its API key (docs/api.md); routes that do work then charge its characters with `charge`.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, Response, g, jsonify, request
from flask_cors import CORS
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from l10n import catalogs
from l10n.config import Settings
from l10n.errors import InputError, NotFound, ServiceError
from l10n.translate.article import parse_article
from l10n.translate.detect import detect
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory, entry_json, parse_correction
from l10n.translate.pipeline import Pipeline
from l10n.web import docs as apidocs
from l10n.web import libretranslate as compat
from l10n.web import openapi, preview
from l10n.web import schemas as api
from l10n.web.auth import bearer_token
from l10n.web.metrics import Metrics
from l10n.web.ratelimit import RateLimited
from l10n.web.security import Gate

log = logging.getLogger("l10n.service")
HTTP_CODES = {413: "payload_too_large"}  # one code for "too large", whoever noticed it
PROBES = frozenset({"/health", "/metrics"})  # for infrastructure: no key, no rate limit
PUBLIC = PROBES | {"/languages", "/v1/languages", "/openapi.json", "/spec", "/docs"}  # no key


def preload(engine: Engine) -> threading.Event:
    """Load every installed model in a background thread (L10N_PRELOAD=1), so that the first
    requests do not pay for it; the event is set when all are loaded (or failed, logged)."""
    ready = threading.Event()

    def load() -> None:
        try:
            for model in engine.store.installed():
                try:
                    engine.model_for(model.source, model.target)
                except Exception:  # one broken package must not block the rest
                    log.exception("preloading %s failed", model.pair)
        finally:
            ready.set()

    threading.Thread(target=load, name="l10n-preload", daemon=True).start()
    return ready


def create_app(settings: Settings | None = None, engine: Engine | None = None,
               memory: Memory | None = None) -> Flask:
    settings = settings or Settings.from_env()
    engine = engine or Engine(settings)
    memory = memory or Memory.from_settings(settings)
    pipeline = Pipeline(settings, engine, memory=memory)
    ready = preload(engine) if settings.preload else None

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["l10n"] = {"settings": settings, "engine": engine, "pipeline": pipeline,
                              "memory": memory}

    def json_body():
        body = request.get_json(force=True, silent=True)
        if body is None:
            raise InputError("the request body is not valid JSON", code="invalid_json")
        return body

    def error(status: int, code: str, message: str, body: dict | None = None,
              headers: dict[str, str] | None = None):
        if request.path in compat.PATHS:
            body = compat.render_error(message)
        return jsonify(body or {"error": {"code": code, "message": message}}), status, headers

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        headers = exc.headers if isinstance(exc, RateLimited) else None
        return error(exc.status, exc.code, exc.message, exc.to_dict(), headers)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = HTTP_CODES.get(exc.code or 0) or (exc.name or "error").lower().replace(" ", "_")
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}  # Allow
        return error(exc.code or 500, code, exc.description or "", headers=headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return error(500, "internal_error", "internal error; see the server log")

    gate = Gate(settings)
    metrics = Metrics(engine, lambda: app.extensions["l10n"].get("memory"))
    app.extensions["l10n"].update(gate=gate, metrics=metrics)
    if settings.cors_origins:
        CORS(app, origins=list(settings.cors_origins), allow_headers=["Authorization",
             "Content-Type"], expose_headers=["Retry-After"], max_age=600)

    @app.before_request
    def start_clock():
        g.started = time.perf_counter()

    @app.before_request
    def refuse_large_bodies():
        """413 on every route, also those that never read their body, before any work."""
        if (request.content_length or 0) > settings.max_body_bytes:
            raise RequestEntityTooLarge()

    @app.before_request
    def admit():
        if request.method == "OPTIONS" or request.path in PROBES:
            return
        presented = bearer_token(request.headers.get("Authorization"))
        if presented is None and request.path in compat.PATHS and request.method == "POST":
            presented = compat.presented_key(
                request.get_json(silent=True) if request.is_json else request.form)
        g.caller = gate.admit(request.remote_addr or "", request.headers.getlist(
            "X-Forwarded-For"), presented, needs_key=request.path not in PUBLIC)

    @app.after_request
    def observe(response: Response):
        metrics.observe(request.url_rule.rule if request.url_rule else None, request.method,
                        response.status_code, time.perf_counter() - g.started)
        return response

    def charge(chars: int) -> None:
        """Take the characters a request translates or detects from the caller's quota."""
        gate.charge(g.caller, chars)

    def compat_fields() -> dict:
        if request.is_json:
            return compat.json_fields(request.get_json(silent=True))
        return compat.form_fields(request.form.to_dict(flat=False))

    def routes() -> list[tuple[str, str]]:
        return [(rule.rule, method) for rule in app.url_map.iter_rules()
                if rule.endpoint != "static" for method in rule.methods or ()]

    @app.get("/health")
    def health():
        if ready is not None and not ready.is_set():
            return {"status": "loading"}, 503  # L10N_PRELOAD: not in the load balancer yet
        return {"status": "ok", "models": [api.render_model(m) for m in engine.store.installed()]}

    @app.get("/v1/languages")
    def languages():
        display = api.parse_display_language(request.args.get("display", "en"))
        return api.render_languages(display, engine.store.installed())

    @app.get("/v1/glossary")
    def get_glossary():
        glossary = pipeline.glossary.get()
        return {"version": glossary.version, **glossary.to_json()}

    @app.put("/v1/glossary")
    def put_glossary():
        glossary = api.replace_glossary(pipeline.glossary, json_body())
        return {"version": glossary.version, **glossary.to_json()}

    @app.post("/v1/detect")
    def detect_language():
        text = api.parse_detect(json_body(), settings)
        charge(len(text))
        return api.render_detection(detect(text, settings))

    @app.post("/v1/translate")
    def translate():
        req = api.parse_translate(json_body(), settings)
        charge(len(req.text) * len(req.targets))
        result = pipeline.translate_text(req.text, req.source, req.targets, req.format)
        return api.render_text_result(result)

    @app.post("/v1/articles/translate")
    def translate_article():
        article = parse_article(json_body(), settings)
        charge(len(article.plain_text()) * len(article.targets))
        return api.render_article_result(article, pipeline.translate_article(article))

    @app.put("/v1/memory")
    def put_memory():
        req = parse_correction(json_body(), settings)
        entry = memory.correct(req.source, req.target, req.text, req.translation, req.reviewer)
        return {"stored": True, **entry_json(entry)}

    # LibreTranslate's API (l10n/compat.py): JSON or form bodies, its error shape.
    @app.post("/translate")
    def compat_translate():
        req = compat.parse_translate(compat_fields(), settings)
        charge(req.chars)
        return compat.translate(req, pipeline)

    @app.post("/detect")
    def compat_detect():
        text = compat.parse_detect(compat_fields(), settings)
        charge(len(text))
        return jsonify(compat.render_detections(detect(text, settings)))

    @app.get("/languages")
    def compat_languages():
        return jsonify(compat.render_languages(engine.store.installed()))

    # Describing and watching the service.
    @app.get("/openapi.json")
    @app.get("/spec")
    def spec():
        return openapi.build(settings, routes())

    @app.get("/docs")
    def docs():
        return apidocs.render_docs(openapi.build(settings, routes()))

    @app.get("/metrics")
    def prometheus():
        body, content_type = metrics.render()
        return Response(body, content_type=content_type)

    # The site's UI strings (docs/translators.md): what translators have done, per edition.
    @app.errorhandler(catalogs.CatalogNotFound)
    def unknown_catalog(exc: catalogs.CatalogNotFound):
        lang = (request.view_args or {}).get("lang")
        return error(404, "unknown_catalog", f"no catalog for language {lang!r} "
                                             f"(editions: {', '.join(catalogs.EDITIONS)})")

    @app.errorhandler(catalogs.CatalogSyntaxError)
    def broken_catalog(exc: catalogs.CatalogSyntaxError):
        return error(503, "catalog_broken", f"a catalog cannot be read until a translator "
                                            f"fixes it: line {exc.line}: {exc.detail}")

    @app.get("/v1/catalogs")
    def catalog_status():
        return {"catalogs": catalogs.catalog_status(settings.locales_dir)}

    @app.get("/v1/catalogs/<lang>")
    def catalog_messages(lang: str):
        fuzzy = request.args.get("fuzzy", "") in ("1", "true")
        return catalogs.catalog_messages(settings.locales_dir, lang, include_fuzzy=fuzzy)

    # The edition preview (docs/preview.md): HTML pages for editors, under a strict CSP.
    pages = preview.Pages(settings, lambda: sorted({m.source for m in engine.store.installed()}))

    def page(html: str, status: int = 200) -> Response:
        return Response(html, status, preview.HEADERS, mimetype="text/html")

    def page_language() -> str:
        return preview.ui_language(request.args.get("lang"),
                                   request.headers.get("Accept-Language"))

    @app.get("/preview")
    def preview_form():
        return page(pages.form(page_language()))

    @app.post("/preview")
    def preview_article():
        try:
            article = preview.read_form(request.form, request.files, settings)
            charge(len(article.plain_text()) * len(article.targets))
            shown = preview.from_result(article, pipeline.translate_article(article), pipeline)
        except ServiceError as exc:  # the form again, with what was sent and why it failed
            return page(pages.form(page_language(), preview.FormValues.sent(request.form),
                                   exc.message), exc.status)
        return page(pages.result(page_language(), shown, preview.FormValues.of(article)))

    @app.get("/preview/<path:article_id>")
    def preview_stored(article_id: str):
        try:
            shown = preview.load_stored(settings.preview_dir, article_id,
                                        pipeline.glossary.get(), settings.default_targets)
        except NotFound:
            if not preview.wants_html(request.headers.get("Accept")):
                raise
            return page(pages.not_found(page_language(), article_id), 404)
        return page(pages.result(page_language(), shown))

    return app
