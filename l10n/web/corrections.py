"""The body of PUT /v1/memory (a reviewer's correction), checked like every API request.

It lives with the HTTP layer, not with the memory: the memory takes plain values
(`Memory.correct`) and never sees an untrusted body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from l10n.config import Settings
from l10n.editions import check_language
from l10n.errors import InputError
from l10n.web.validate import require_object, require_text


@dataclass(frozen=True)
class CorrectionRequest:
    source: str
    target: str
    text: str
    translation: str
    reviewer: str | None = None


def parse_correction(body: Any, settings: Settings) -> CorrectionRequest:
    """Source, target, text, translation and an optional reviewer; InputError names the field."""
    body = require_object(body)
    for name in ("source", "target"):
        if name not in body:
            raise InputError(f"missing field: {name}", code="missing_field", field=name)
    source = check_language(body["source"], "source")
    target = check_language(body["target"], "target")
    if source == target:
        raise InputError("source and target are the same language", code="same_language",
                         field="target")
    reviewer = body.get("reviewer")
    if reviewer is not None and not isinstance(reviewer, str):
        raise InputError("reviewer must be a string", code="wrong_type", field="reviewer")
    return CorrectionRequest(source, target, require_text(body, "text", settings),
                             require_text(body, "translation", settings), reviewer)
