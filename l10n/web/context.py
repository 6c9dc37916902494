"""What every view shares: the services `create_app` built once, the caller's quota, the body.

Views are plain functions in blueprints; they reach the engine, memory and pipeline through
`services()` instead of closures over `create_app`'s locals, so each blueprint can be read (and
tested) on its own.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request
from flask.json.provider import DefaultJSONProvider

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


MAX_DEPTH = 32  # arrays and objects inside each other; the deepest request body needs 4
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_json(value: Any) -> Any:
    """`value` (parsed JSON) if every string is Unicode and it nests at most MAX_DEPTH deep.

    JSON may escape a lone surrogate ("\\ud800"), which Python decodes into a string that no
    codec can write: it would fail later, anywhere (hashing an API key, the memory, the
    response). Deep nesting would exhaust the stack of whatever walks it next. Both are refused
    here, with ValueError, as bad JSON. The walk is iterative, so it never recurses itself.
    """
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ValueError("a string holds a lone UTF-16 surrogate, which is not Unicode")
        elif isinstance(item, (list, dict)):
            if depth >= MAX_DEPTH:
                raise ValueError(f"JSON nested more than {MAX_DEPTH} levels deep")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return value


class UntrustedJSON(DefaultJSONProvider):
    """Flask's JSON, with request bodies checked by `check_json`: every `get_json` (and so
    every API) refuses them as invalid JSON, never with a 500. Answers keep their keys' order
    and write non-ASCII as it is."""

    ensure_ascii = False
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return check_json(json.loads(s, **kwargs))
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def json_body() -> Any:
    """The request's JSON, whatever its Content-Type; `invalid_json`, saying why, when it does
    not parse (or `check_json` refuses it)."""
    try:
        return current_app.json.loads(request.get_data(cache=True))
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InputError(f"the request body is not valid JSON: {exc}",
                         code="invalid_json") from None

