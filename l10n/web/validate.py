"""Checks on untrusted input shared by every entry point (HTTP bodies, batch files).

Each raises an `InputError` whose code names the problem: `invalid_json`, `missing_field`,
`wrong_type`, `empty_text`, `unsupported_language`, or `TooLarge` (413).
"""

from __future__ import annotations

from typing import Any

from l10n.config import Settings
from l10n.editions import check_language
from l10n.errors import InputError, TooLarge


def require_object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise InputError("the request body must be a JSON object", code="invalid_json")
    return body


def require_text(body: dict, name: str, settings: Settings) -> str:
    if name not in body:
        raise InputError(f"missing field: {name}", code="missing_field", field=name)
    value = body[name]
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string", code="wrong_type", field=name)
    if not value.strip():
        raise InputError(f"{name} is empty", code="empty_text", field=name)
    if len(value) > settings.max_chars:
        raise TooLarge(f"{name} has {len(value)} characters; the limit is {settings.max_chars}",
                       field=name)
    return value


def parse_targets(body: dict, settings: Settings) -> tuple[str, ...]:
    """The requested editions; () when the body names none: every edition but the source's
    own (decided once the source language is known, Pipeline.default_targets)."""
    if "targets" not in body:
        return ()
    targets = body["targets"]
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list) or not targets:
        raise InputError("targets must be a non-empty list of language codes",
                         code="wrong_type", field="targets")
    return tuple(dict.fromkeys(check_language(t, "targets") for t in targets))
