"""Reviewing suggested translations (/v1/suggestions): list, accept into the memory, reject.

Suggestions arrive through LibreTranslate's `/suggest` (l10n/web/libretranslate.py) and wait
here; an accepted one is written to the translation memory as a reviewer's correction, the
only way a suggestion ever reaches a reader.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, g, request

from l10n.errors import InputError, NotFound
from l10n.translate.suggestions import STATES, Suggestions
from l10n.web import admission
from l10n.web.context import json_body, services

bp = Blueprint("suggestions", __name__, url_prefix="/v1/suggestions")
bp.before_request(admission.admit)
EXTENSION = "l10n.suggestions"


def suggestions() -> Suggestions:
    if EXTENSION not in current_app.extensions:
        current_app.extensions[EXTENSION] = Suggestions(
            services().settings.data_dir / "suggestions.sqlite3")
    found: Suggestions = current_app.extensions[EXTENSION]
    return found


@bp.get("")
def listed() -> dict[str, Any]:
    state = request.args.get("state", "pending")
    if state not in STATES:
        raise InputError(f"state must be one of {', '.join(STATES)}", code="wrong_type",
                         field="state")
    return {"suggestions": [asdict(s) for s in suggestions().listed(state)]}


@bp.post("/<int:suggestion_id>/<any(accept, reject):decision>")
def decide(suggestion_id: int, decision: str) -> dict[str, Any]:
    body = json_body() if request.content_length else {}
    reviewer = body.get("reviewer") if isinstance(body, dict) else None
    if reviewer is None:
        reviewer = g.caller.identity
    if not isinstance(reviewer, str) or not reviewer:
        raise InputError("reviewer must be a string", code="wrong_type", field="reviewer")
    decided = suggestions().decide(suggestion_id, decision == "accept", reviewer)
    if decided is None:
        raise NotFound(f"no pending suggestion {suggestion_id}")
    if decided.state == "accepted":
        services().memory.correct(decided.source, decided.target, decided.text,
                                  decided.translation, reviewer)
    return asdict(decided)
