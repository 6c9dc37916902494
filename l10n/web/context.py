"""What every view shares: the services `create_app` built once, the caller's quota, the body.

Views are plain functions in blueprints; they reach the engine, memory and pipeline through
`services()` instead of closures over `create_app`'s locals, so each blueprint can be read (and
tested) on its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request

from l10n.config import Settings
from l10n.errors import InputError
from l10n.jobs.runner import Runner
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory
from l10n.translate.pipeline import Pipeline
from l10n.web.admission import Gate
from l10n.web.metrics import Metrics


@dataclass
class Services:
    settings: Settings
    engine: Engine
    memory: Memory
    pipeline: Pipeline
    gate: Gate
    metrics: Metrics
    jobs: Runner
    ready: threading.Event | None  # L10N_PRELOAD: set once every model is loaded


def services() -> Services:
    found: Services = current_app.extensions["l10n"]
    return found


def charge(chars: int) -> None:
    """Take the characters a request translates or detects from the caller's quota."""
    services().gate.charge(g.caller, chars)


def json_body() -> Any:
    """The request's JSON, whatever its Content-Type; `invalid_json` when it does not parse."""
    body = request.get_json(force=True, silent=True)
    if body is None:
        raise InputError("the request body is not valid JSON", code="invalid_json")
    return body
