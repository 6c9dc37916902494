"""LibreTranslate's API (`/translate`, `/detect`, `/languages`) on this service's pipeline.

Same paths, fields and error messages as LibreTranslate, so that its clients and plugins
work unchanged. Where this differs, it is on purpose (docs/api.md, "LibreTranslate API"):
- a batch (`q` as a list) with `source: auto` is detected item by item, and
  `detectedLanguage` is a list with one entry per item; an item too short to tell takes the
  language of the whole batch (LibreTranslate detects once, for the batch);
- `alternatives` is accepted and answered with empty lists: the engine keeps one hypothesis
  and inventing others would be dishonest;
- a field of the wrong type is a 400 (LibreTranslate answers 500), translations are never
  HTML-unescaped, and a request over a limit is refused with 413, never truncated.
Errors on these paths are LibreTranslate's `{"error": "<message>"}` (`render_error`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from l10n.config import Settings
from l10n.editions import LANGUAGES
from l10n.errors import InputError, TooLarge
from l10n.localise.languages import language_name
from l10n.packages.store import InstalledModel
from l10n.translate.article import Article
from l10n.translate.detect import Detection, detect
from l10n.translate.pipeline import Pipeline
from l10n.web import admission
from l10n.web.context import charge, services

FORMATS = ("text", "html")


@dataclass(frozen=True)
class TranslateRequest:
    texts: tuple[str, ...]
    batch: bool  # `q` was a list: answer with lists
    source: str  # a language code or "auto"
    target: str
    format: str
    alternatives: int

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts)


def render_error(code: str, message: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"error": message}


def json_fields(body: Any) -> dict[str, Any]:
    """The fields of a JSON body; `body` is None when it did not parse."""
    if not isinstance(body, dict):
        raise InputError("Invalid JSON format", code="invalid_json")
    return body


def form_fields(form: Mapping[str, list[str]]) -> dict[str, Any]:
    """The fields of a form (urlencoded or multipart): a repeated field becomes a list.

    Browsers send form text with CRLF line ends; like LibreTranslate, `q` is normalised to LF
    so that character counts agree with the JSON body of the same text.
    """
    fields: dict[str, Any] = {}
    for name, values in form.items():
        if name == "q":
            values = [v.replace("\r\n", "\n") for v in values]
        fields[name] = values[0] if len(values) == 1 else values
    return fields


def presented_key(body: Any) -> str | None:
    """LibreTranslate's `api_key` field of a parsed JSON body or form, whatever else is wrong
    with the body (that is reported later, once the caller has been counted)."""
    key = body.get("api_key") if isinstance(body, Mapping) else None
    return key if isinstance(key, str) and key else None


def parse_translate(fields: Mapping[str, Any], settings: Settings) -> TranslateRequest:
    q = fields.get("q")
    if q is None or q == "" or q == []:
        raise _missing("q")
    if isinstance(q, str):
        texts, batch = (q,), False
    elif isinstance(q, list) and all(isinstance(t, str) for t in q):
        texts, batch = tuple(q), True
    else:
        raise InputError("Invalid request: q must be a string or a list of strings",
                         code="wrong_type", field="q")
    if len(texts) > settings.max_batch_items:
        raise TooLarge(f"Invalid request: request ({len(texts)}) exceeds batch limit "
                       f"({settings.max_batch_items})", field="q")
    _check_chars(sum(len(t) for t in texts), settings)
    source = _language(fields, "source", allow_auto=True)
    target = _language(fields, "target", allow_auto=False)
    fmt = fields.get("format")
    if fmt is None or fmt == "":
        fmt = "text"
    if fmt not in FORMATS:
        raise InputError(f"{fmt} format is not supported", code="unknown_format", field="format")
    return TranslateRequest(texts, batch, source, target, fmt, _alternatives(fields, settings))


def parse_detect(fields: Mapping[str, Any], settings: Settings) -> str:
    q = fields.get("q")
    if q is None or q == "":
        raise _missing("q")
    if not isinstance(q, str):
        raise InputError("Invalid request: q must be a string", code="wrong_type", field="q")
    _check_chars(len(q), settings)
    return q


def translate(req: TranslateRequest, pipeline: Pipeline) -> dict:
    """Translate every text; texts with the same source language go to the engine together.

    Each text travels as a caption of one article: captions are independent fields, so the
    pipeline translates them all in one engine call and gives each back on its own.
    """
    found = _detect_items(req.texts, pipeline.settings) if req.source == "auto" else None
    sources = [d.language for d in found] if found else [req.source] * len(req.texts)
    out = [""] * len(req.texts)
    for source in dict.fromkeys(sources):
        _check_pair(pipeline, source, req.target)
        indexes = [i for i, s in enumerate(sources) if s == source]
        article = Article(captions=tuple(req.texts[i] for i in indexes), source=source,
                          targets=(req.target,), format=req.format)
        edition = pipeline.translate_article(article).editions[req.target]
        for n, i in enumerate(indexes):
            out[i] = edition.get(f"captions.{n}")
    body: dict[str, Any] = {"translatedText": out if req.batch else out[0]}
    if found:
        detected = [_detected(d) for d in found]
        body["detectedLanguage"] = detected if req.batch else detected[0]
    if req.alternatives:
        body["alternatives"] = [[] for _ in out] if req.batch else []
    return body


def render_detections(found: Detection) -> list[dict]:
    """LibreTranslate's answer: candidates best first, confidence 0–100, a best guess even where
    /v1/detect says "und" ("Hello"); a text without letters gets English at 0, as there."""
    if not found.candidates:
        return [{"confidence": 0.0, "language": "en"}]
    ranked = [(code, round(p * 100, 2)) for code, p in found.candidates]
    return [{"confidence": percent, "language": code}
            for n, (code, percent) in enumerate(ranked) if n == 0 or percent > 0]


def render_languages(models: Sequence[InstalledModel]) -> list[dict]:
    """Languages of the installed models, with the targets each translates to."""
    present = {m.source for m in models} | {m.target for m in models}
    return [{"code": code, "name": language_name(code, "en"),
             "targets": sorted(m.target for m in models if m.source == code)}
            for code in LANGUAGES if code in present]


def _missing(name: str) -> InputError:
    return InputError(f"Invalid request: missing {name} parameter", code="missing_field",
                      field=name)


def _check_chars(chars: int, settings: Settings) -> None:
    if chars > settings.max_chars:
        raise TooLarge(f"Invalid request: request ({chars}) exceeds text limit "
                       f"({settings.max_chars})", field="q")


def _language(fields: Mapping[str, Any], name: str, *, allow_auto: bool) -> str:
    code = fields.get(name)
    if code is None or code == "":
        raise _missing(name)
    if not isinstance(code, str):
        raise InputError(f"Invalid request: {name} must be a string", code="wrong_type",
                         field=name)
    if not (allow_auto and code == "auto") and code not in LANGUAGES:
        raise InputError(f"{code} is not supported", code="unsupported_language", field=name)
    return code


def _alternatives(fields: Mapping[str, Any], settings: Settings) -> int:
    value = fields.get("alternatives")
    if value is None or value == "":
        return 0
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InputError("Invalid request: alternatives must be a non-negative integer",
                         code="wrong_type", field="alternatives")
    if value > settings.max_alternatives:
        raise InputError(f"Invalid request: alternatives ({value}) exceeds limit "
                         f"({settings.max_alternatives})", code="too_many_alternatives",
                         field="alternatives")
    return value


def _detect_items(texts: Sequence[str], settings: Settings) -> list[Detection]:
    found = [detect(t, settings) for t in texts]
    if all(d.reliable for d in found):
        return found
    whole = detect("\n\n".join(texts), settings) if len(texts) > 1 else found[0]
    if not whole.reliable:
        raise InputError("could not determine the source language (text too short or "
                         "ambiguous); pass source explicitly", code="undetermined_language",
                         field="source")
    return [d if d.reliable else whole for d in found]


def _detected(found: Detection) -> dict:
    return {"confidence": round(found.confidence * 100, 2), "language": found.language}


def _check_pair(pipeline: Pipeline, source: str, target: str) -> None:
    try:
        pipeline.engine.route(source, target)  # direct, or through English
    except LookupError:
        raise InputError(f"{language_name(target, 'en')} ({target}) is not available as a "
                         f"target language from {language_name(source, 'en')} ({source})",
                         code="unsupported_pair") from None


# ------------------------------------------------------------------------------ the routes
def _fields() -> dict[str, Any]:
    if request.is_json:
        return json_fields(request.get_json(silent=True))
    return form_fields(request.form.to_dict(flat=False))


def _key_in_body() -> str | None:
    if request.method != "POST":
        return None
    return presented_key(request.get_json(silent=True) if request.is_json else request.form)


bp = Blueprint("libretranslate", __name__)
bp.before_request(partial(admission.admit, _key_in_body))


@bp.post("/translate")
def translate_route() -> ResponseReturnValue:
    svc = services()
    req = parse_translate(_fields(), svc.settings)
    charge(req.chars)
    return translate(req, svc.pipeline)


@bp.post("/detect")
def detect_route() -> ResponseReturnValue:
    settings = services().settings
    text = parse_detect(_fields(), settings)
    charge(len(text))
    return jsonify(render_detections(detect(text, settings)))


@bp.get("/languages")
@admission.public
def languages_route() -> ResponseReturnValue:
    return jsonify(render_languages(services().engine.store.installed()))
