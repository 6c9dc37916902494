"""Reviewing suggested translations (/v1/suggestions): list, accept into the memory, reject.

Suggestions arrive through LibreTranslate's `/suggest` (l10n/web/libretranslate.py) and wait
here; an accepted one is written to the translation memory as a reviewer's correction, the
only way a suggestion ever reaches a reader.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from flask import Blueprint, current_app, g, request
from pydantic import WithJsonSchema

from l10n.errors import InputError, NotFound
from l10n.translate.request import RequestModel, ResponseModel, parse
from l10n.translate.suggestions import STATES, Suggestions
from l10n.web import admission, openapi
from l10n.web.context import json_body, services

bp = Blueprint("suggestions", __name__, url_prefix="/v1/suggestions")
bp.before_request(admission.admit)
operation = openapi.operations_for("v1")
EXTENSION = "l10n.suggestions"


class SuggestionsQuery(RequestModel):
    state: Annotated[str, WithJsonSchema({"type": "string", "enum": list(STATES),
                                          "default": "pending"})] = "pending"


class Decision(RequestModel):
    reviewer: str | None = None


class SuggestionOut(ResponseModel):
    id: int
    source: str
    target: str
    text: str
    translation: str
    submitted_by: str
    submitted: float
    state: str
    reviewer: str | None


class SuggestionList(ResponseModel):
    suggestions: list[SuggestionOut]


def suggestions() -> Suggestions:
    if EXTENSION not in current_app.extensions:
        current_app.extensions[EXTENSION] = Suggestions(
            services().settings.data_dir / "suggestions.sqlite3")
    found: Suggestions = current_app.extensions[EXTENSION]
    return found


@bp.get("")
@admission.requires(admission.REVIEW)
@operation("Suggested translations waiting for review (or decided)", query=SuggestionsQuery,
           response=SuggestionList, errors=(400,))
def listed() -> dict[str, Any]:
    state = parse(SuggestionsQuery, request.args.to_dict(), services().settings).state
    if state not in STATES:
        raise InputError(f"state must be one of {', '.join(STATES)}", code="wrong_type",
                         field="state")
    return SuggestionList(suggestions=[SuggestionOut(**asdict(s))
                                       for s in suggestions().listed(state)]).dump()


@bp.post("/<int:suggestion_id>/<any(accept, reject):decision>")
@admission.requires(admission.REVIEW)
@operation("Accept a suggestion into the memory, or reject it", request=Decision,
           response=SuggestionOut, errors=(400, 404),
           description="Accepted, it becomes a reviewer's correction that the pipeline uses "
                       "as written. The body is optional.")
def decide(suggestion_id: int, decision: str) -> dict[str, Any]:
    body = json_body() if request.content_length else {}
    reviewer = parse(Decision, body, services().settings).reviewer or g.caller.identity
    decided = suggestions().decide(suggestion_id, decision == "accept", reviewer)
    if decided is None:
        raise NotFound(f"no pending suggestion {suggestion_id}")
    if decided.state == "accepted":
        services().memory.correct(decided.source, decided.target, decided.text,
                                  decided.translation, reviewer)
    return SuggestionOut(**asdict(decided)).dump()
