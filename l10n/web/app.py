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
from l10n.jobs import webhooks
from l10n.jobs.runner import Runner
from l10n.jobs.store import JobStore
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory
from l10n.translate.pipeline import Pipeline
from l10n.web import admission, catalogs, errors, jobs, libretranslate, localise, meta, schemas, v1
from l10n.web.admission import Gate
from l10n.web.context import Services, UntrustedJSON, services
from l10n.web.metrics import Metrics
from l10n.web.preview import views as preview

log = logging.getLogger(__name__)
BLUEPRINTS = (v1.bp, localise.bp, jobs.bp, libretranslate.bp, catalogs.bp, preview.bp, meta.bp)


def create_app(settings: Settings | None = None, engine: Engine | None = None,
               memory: Memory | None = None) -> Flask:
    settings = settings or Settings.from_env()
    engine = engine or Engine(settings)
    memory = memory or Memory.from_settings(settings)
    app = Flask(__name__)
    app.json = UntrustedJSON(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    pipeline = Pipeline(settings, engine, memory=memory)
    app.extensions["l10n"] = Services(
        settings=settings, engine=engine, memory=memory, pipeline=pipeline, gate=Gate(settings),
        metrics=Metrics(engine, memory), jobs=job_runner(settings, pipeline),
        ready=preload(engine) if settings.preload else None)
    errors.install(app, {libretranslate.bp.name: libretranslate.render_error})
    app.before_request(start_clock)
    app.before_request(refuse_large_bodies)
    app.after_request(observe)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if settings.cors_origins:
        CORS(app, origins=list(settings.cors_origins), allow_headers=["Authorization",
             "Content-Type"], expose_headers=["Retry-After"], max_age=600)
        app.after_request(vary_on_origin)
    admission.redact_access_logs()
    return app


def job_runner(settings: Settings, pipeline: Pipeline) -> Runner:
    policy = webhooks.Policy(settings.webhook_secret, settings.webhook_hosts,
                             settings.webhook_allow_private, settings.webhook_attempts,
                             settings.webhook_backoff)
    return Runner(JobStore(settings.jobs_file, settings.job_retention), pipeline,
                  schemas.render_article_result, policy, workers=settings.job_workers,
                  queue=settings.job_queue)


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


def vary_on_origin(response: Response) -> Response:
    """With CORS, every answer depends on the Origin header (whether it may be read, and by
    whom): a cache must not hand one origin's answer to another."""
    response.vary.add("Origin")
    return response


def observe(response: Response) -> Response:
    services().metrics.observe(request.url_rule.rule if request.url_rule else None,
                               request.method, response.status_code,
                               time.perf_counter() - g.get("started", time.perf_counter()))
    return response
