"""The Flask application factory: builds the services once and wires the blueprints.

    flask --app service run                 # development server on 127.0.0.1:5000
    gunicorn 'service:create_app()'         # production

Every error, including Flask's own (404, 405, 413, malformed JSON), is answered as JSON in the
shape of the API its URL belongs to (l10n/web/errors.py). Each blueprint admits its requests
(l10n/web/admission.py: rate limit, API key) before any view runs; views that do work then
charge their characters.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, Response, g, request
from flask_cors import CORS
from werkzeug.exceptions import RequestEntityTooLarge

from l10n.config import Settings
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory
from l10n.translate.pipeline import Pipeline
from l10n.web import (
    catalogs,
    deepl,
    documents,
    errors,
    home,
    libretranslate,
    meta,
    suggestions,
    v1,
)
from l10n.web.admission import Gate
from l10n.web.context import Services, services
from l10n.web.metrics import Metrics
from l10n.web.preview import views as preview

log = logging.getLogger(__name__)
BLUEPRINTS = (v1.bp, libretranslate.bp, catalogs.bp, preview.bp, meta.bp, suggestions.bp,
              deepl.bp, home.bp, documents.bp)


def create_app(settings: Settings | None = None, engine: Engine | None = None,
               memory: Memory | None = None) -> Flask:
    settings = settings or Settings.from_env()
    engine = engine or Engine(settings)
    memory = memory or Memory.from_settings(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["l10n"] = Services(
        settings=settings, engine=engine, memory=memory,
        pipeline=Pipeline(settings, engine, memory=memory), gate=Gate(settings),
        metrics=Metrics(engine, memory), ready=preload(engine) if settings.preload else None)
    errors.install(app, {libretranslate.bp.name: libretranslate.render_error,
                         deepl.bp.name: deepl.render_error})
    app.before_request(start_clock)
    app.before_request(refuse_large_bodies)
    app.after_request(observe)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if settings.cors_origins:
        CORS(app, origins=list(settings.cors_origins), allow_headers=["Authorization",
             "Content-Type"], expose_headers=["Retry-After"], max_age=600)
    return app


def preload(engine: Engine) -> threading.Event:
    """Load every installed model in a background thread (L10N_PRELOAD=1), so that the first
    requests do not pay for it; the event is set when all are loaded (or failed, logged)."""
    ready = threading.Event()
    threading.Thread(target=_load_all, args=(engine, ready), name="l10n-preload",
                     daemon=True).start()
    return ready


def _load_all(engine: Engine, ready: threading.Event) -> None:
    try:
        for model in engine.store.installed():
            try:
                engine.model_for(model.source, model.target)
            except Exception:  # one broken package must not block the rest
                log.exception("preloading %s failed", model.pair)
    finally:
        ready.set()


def start_clock() -> None:
    g.started = time.perf_counter()


def refuse_large_bodies() -> None:
    """413 on every route, also those that never read their body, before any work."""
    if (request.content_length or 0) > services().settings.max_body_bytes:
        raise RequestEntityTooLarge()


def observe(response: Response) -> Response:
    services().metrics.observe(request.url_rule.rule if request.url_rule else None,
                               request.method, response.status_code,
                               time.perf_counter() - g.get("started", time.perf_counter()))
    return response
