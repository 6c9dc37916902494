"""LibreTranslate's API on this service's pipeline: `/translate`, `/detect`, `/languages`,
`/frontend/settings`, `/translate_file` (+ `/download_file/<name>`) and `/suggest`.

Same paths, fields and error messages as LibreTranslate, so that its clients and plugins
work unchanged. Where this differs, it is on purpose (docs/api.md, "LibreTranslate API"):
- a batch (`q` as a list) with `source: auto` is detected item by item, and
  `detectedLanguage` is a list with one entry per item; an item too short to tell takes the
  language of the whole batch (LibreTranslate detects once, for the batch);
- `alternatives` is accepted and answered with empty lists: the engine keeps one hypothesis
  and inventing others would be dishonest;
- a field of the wrong type is a 400 (LibreTranslate answers 500), translations are never
  HTML-unescaped, and a request over a limit is refused with 413, never truncated.
- `/translate_file` translates DOCX, ODT, HTML, Markdown, TXT and SRT through the article
  pipeline (l10n/markup/documents.py), not LibreTranslate's list (ODP, PPTX, EPUB are not
  read); the result is kept `L10N_DOCUMENT_RETENTION` seconds;
- `/suggest` stores the suggestion for review (l10n/web/suggestions.py); it is served only
  once a reviewer accepts it, never on submission.
Errors on these paths are LibreTranslate's `{"error": "<message>"}` (`render_error`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Annotated, Any, ClassVar

from flask import Blueprint, Response, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import BeforeValidator, Field, RootModel, ValidationInfo, WithJsonSchema

from l10n.config import Settings
from l10n.editions import LANGUAGES, check_language
from l10n.errors import InputError
from l10n.localise.languages import language_name
from l10n.packages.store import InstalledModel
from l10n.translate import documents
from l10n.translate.article import Article
from l10n.translate.detect import Detection, detect
from l10n.translate.pipeline import Pipeline
from l10n.translate.request import RequestModel, ResponseModel, SchemaOf, parse, refuse, settings_of
from l10n.web import admission, openapi
from l10n.web.context import charge, services
from l10n.web.filestore import attachment, file_store
from l10n.web.suggestions import suggestions

FORMATS = ("text", "html")
MESSAGES = {"invalid_json": "Invalid JSON format",
            "missing_field": "Invalid request: missing {field} parameter",
            "wrong_type": "Invalid request: {field} must be {expected}"}
"""LibreTranslate's own words for what pydantic finds (its other messages are below)."""


def _missing(name: str) -> Exception:
    return refuse("missing_field", MESSAGES["missing_field"].format(field=name))


def _check_chars(chars: int, settings: Settings) -> None:
    if chars > settings.max_chars:
        raise refuse("payload_too_large", f"Invalid request: request ({chars}) exceeds text "
                     f"limit ({settings.max_chars})")


def _q(value: Any, info: ValidationInfo) -> Any:
    """A text, or a batch (a list; a repeated form field)."""
    settings = settings_of(info)
    if value is None or value == "" or value == []:
        raise _missing("q")
    if isinstance(value, str):
        texts = [value]
    elif isinstance(value, list) and all(isinstance(t, str) for t in value):
        texts = value
    else:
        raise refuse("wrong_type", "Invalid request: q must be a string or a list of strings")
    if isinstance(value, list) and len(texts) > settings.max_batch_items:
        raise refuse("payload_too_large", f"Invalid request: request ({len(texts)}) exceeds "
                     f"batch limit ({settings.max_batch_items})")
    _check_chars(sum(len(t) for t in texts), settings)
    return value


def _detect_q(value: Any, info: ValidationInfo) -> Any:
    if value is None or value == "":
        raise _missing("q")
    if not isinstance(value, str):
        raise refuse("wrong_type", "Invalid request: q must be a string")
    _check_chars(len(value), settings_of(info))
    return value


def _nonempty(value: Any, *, name: str) -> Any:
    if value is None or value == "":
        raise _missing(name)
    if not isinstance(value, str):
        raise refuse("wrong_type", f"Invalid request: {name} must be a string")
    return value


def _language(value: Any, info: ValidationInfo, *, allow_auto: bool) -> Any:
    """l10n.editions.check_language, in LibreTranslate's words."""
    name = info.field_name or "source"
    if value is None or value == "":
        raise _missing(name)
    try:
        return check_language(value, name, allow_auto=allow_auto)
    except InputError as exc:
        if exc.code == "unsupported_language":
            raise refuse(exc.code, f"{value} is not supported") from None
        raise refuse(exc.code, f"Invalid request: {name} must be a string") from None


def _format(value: Any) -> Any:
    if value is None or value == "":
        return "text"
    if value not in FORMATS:
        raise refuse("unknown_format", f"{value} format is not supported")
    return value


MAX_DIGITS = 9  # more digits than any limit needs; int() of thousands would be slow


def _alternatives(value: Any, info: ValidationInfo) -> Any:
    limit = settings_of(info).max_alternatives
    if value is None or value == "":
        return 0
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        digits = value.strip()
        if len(digits) > MAX_DIGITS:
            raise refuse("too_many_alternatives", f"Invalid request: alternatives "
                         f"({digits[:MAX_DIGITS]}…) exceeds limit ({limit})")
        value = int(digits)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise refuse("wrong_type", "Invalid request: alternatives must be a non-negative integer")
    if value > limit:
        shown = value if value < 10 ** MAX_DIGITS else f"{str(value)[:MAX_DIGITS]}…"
        raise refuse("too_many_alternatives",
                     f"Invalid request: alternatives ({shown}) exceeds limit ({limit})")
    return value


def _q_schema(settings: Settings) -> dict[str, Any]:
    item = {"type": "string", "maxLength": settings.max_chars}
    return {"oneOf": [{**item, "minLength": 1},
                      {"type": "array", "items": item, "minItems": 1,
                       "maxItems": settings.max_batch_items}],
            "description": f"a text, or a batch of at most {settings.max_batch_items}; "
                           f"{settings.max_chars} characters in all"}


LANGUAGE = {"type": "string", "enum": list(LANGUAGES)}
ApiKey = Annotated[Any, WithJsonSchema({"type": "string", "description": "or Authorization: "
                                                                         "Bearer"})]


SourceLanguage = Annotated[str, BeforeValidator(partial(_language, allow_auto=True)),
                          WithJsonSchema({"type": "string", "enum": ["auto", *LANGUAGES]})]
TargetLanguage = Annotated[str, BeforeValidator(partial(_language, allow_auto=False)),
                          WithJsonSchema(LANGUAGE)]


class LibreTranslateRequest(RequestModel):
    messages: ClassVar[dict[str, str]] = MESSAGES


class CompatTranslateRequest(LibreTranslateRequest):
    q: Annotated[str | list[str], BeforeValidator(_q), SchemaOf(_q_schema)]
    source: SourceLanguage
    target: TargetLanguage
    format: Annotated[str, BeforeValidator(_format), WithJsonSchema(
        {"type": "string", "enum": list(FORMATS), "default": "text"})] = "text"
    alternatives: Annotated[int, BeforeValidator(_alternatives), SchemaOf(lambda s: {
        "type": "integer", "minimum": 0, "maximum": s.max_alternatives,
        "description": "accepted; always answered with [] (one hypothesis)"})] = 0
    api_key: ApiKey = None

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.q,) if isinstance(self.q, str) else tuple(self.q)

    @property
    def batch(self) -> bool:
        """`q` was a list: answer with lists."""
        return isinstance(self.q, list)

    @property
    def chars(self) -> int:
        return sum(len(t) for t in self.texts)


class CompatDetectRequest(LibreTranslateRequest):
    q: Annotated[str, BeforeValidator(_detect_q), SchemaOf(lambda s: {
        "type": "string", "minLength": 1, "maxLength": s.max_chars})]
    api_key: ApiKey = None


class CompatError(ResponseModel):
    """LibreTranslate's error shape."""

    error: str


class CompatDetected(ResponseModel):
    confidence: float = Field(ge=0, le=100)
    language: str


class CompatTranslateResult(ResponseModel):
    translatedText: str | list[str]
    detectedLanguage: CompatDetected | list[CompatDetected] | None = Field(
        None, description="when source is auto; per item for a batch")
    alternatives: list[Any] | None = Field(None, description="[] per text: one hypothesis")


class CompatDetections(RootModel[list[CompatDetected]]):
    """Candidates best first, confidence 0–100; empty when the text has too few letters."""


class CompatLanguage(ResponseModel):
    code: str
    name: str
    targets: list[str]


class CompatLanguages(RootModel[list[CompatLanguage]]):
    """Languages of the installed models, with the targets each translates to."""


def render_error(code: str, message: str, body: dict[str, Any]) -> dict[str, Any]:
    return CompatError(error=message).dump()


def json_fields(body: Any) -> dict[str, Any]:
    """The fields of a JSON body; `body` is None when it did not parse."""
    if not isinstance(body, dict):
        raise InputError(MESSAGES["invalid_json"], code="invalid_json")
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


def parse_translate(fields: Mapping[str, Any], settings: Settings) -> CompatTranslateRequest:
    return parse(CompatTranslateRequest, dict(fields), settings)


def parse_detect(fields: Mapping[str, Any], settings: Settings) -> str:
    return parse(CompatDetectRequest, dict(fields), settings).q


def translate(req: CompatTranslateRequest, pipeline: Pipeline) -> dict[str, Any]:
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
    detected = [_detected(d) for d in found] if found else None
    result = CompatTranslateResult(
        translatedText=out if req.batch else out[0],
        detectedLanguage=(detected if req.batch else detected[0]) if detected else None,
        alternatives=([[] for _ in out] if req.batch else []) if req.alternatives else None)
    return result.dump(exclude_none=True)


def render_detections(found: Detection) -> list[dict[str, Any]]:
    """LibreTranslate's answer: candidates best first, confidence 0–100, a best guess even where
    /v1/detect says "und" ("Hello"); a text without letters gets English at 0, as there."""
    if not found.candidates:
        ranked = [("en", 0.0)]
    else:
        ranked = [(code, round(p * 100, 2)) for code, p in found.candidates]
    return CompatDetections([CompatDetected(confidence=percent, language=code)
                             for n, (code, percent) in enumerate(ranked)
                             if n == 0 or percent > 0]).model_dump(mode="json")


def render_languages(models: Sequence[InstalledModel]) -> list[dict[str, Any]]:
    present = {m.source for m in models} | {m.target for m in models}
    return CompatLanguages([CompatLanguage(code=code, name=language_name(code, "en"),
                                           targets=sorted(m.target for m in models
                                                          if m.source == code))
                            for code in LANGUAGES if code in present]).model_dump(mode="json")


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


def _detected(found: Detection) -> CompatDetected:
    return CompatDetected(confidence=round(found.confidence * 100, 2), language=found.language)


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
operation = openapi.operations_for("libretranslate", error_model=CompatError)


@bp.post("/translate")
@operation("LibreTranslate: translate text(s)", request=CompatTranslateRequest,
           response=CompatTranslateResult, errors=(400,), media=openapi.JSON_OR_FORMS,
           description="JSON or form body. A batch with source auto is detected per item.")
def translate_route() -> ResponseReturnValue:
    svc = services()
    req = parse_translate(_fields(), svc.settings)
    charge(req.chars)
    return translate(req, svc.pipeline)


@bp.post("/detect")
@operation("LibreTranslate: detect the language", request=CompatDetectRequest,
           response=CompatDetections, errors=(400,), media=openapi.JSON_OR_FORMS,
           description="Candidates best first; an empty list when the text is too short.")
def detect_route() -> ResponseReturnValue:
    settings = services().settings
    text = parse_detect(_fields(), settings)
    charge(len(text))
    return jsonify(render_detections(detect(text, settings)))


@bp.get("/languages")
@admission.public
@operation("LibreTranslate: installed languages", response=CompatLanguages)
def languages_route() -> ResponseReturnValue:
    return jsonify(render_languages(services().engine.store.installed()))


class CompatFileRequest(LibreTranslateRequest):
    """The form fields beside the uploaded `file`."""

    file: Annotated[Any, WithJsonSchema({"type": "string", "format": "binary",
                                         "description": "the document (see "
                                                        "supportedFilesFormat)"})] = None
    source: SourceLanguage
    target: TargetLanguage
    api_key: ApiKey = None


class CompatSuggestRequest(LibreTranslateRequest):
    q: Annotated[str, BeforeValidator(_detect_q)]
    s: Annotated[str, BeforeValidator(partial(_nonempty, name="s"))]
    source: TargetLanguage  # a language, never auto
    target: TargetLanguage
    api_key: ApiKey = None


class CompatLanguageRef(ResponseModel):
    code: str
    name: str


class CompatFrontendLanguages(ResponseModel):
    source: CompatLanguageRef
    target: CompatLanguageRef


class CompatFrontendSettings(ResponseModel):
    charLimit: int
    frontendTimeout: int
    apiKeys: bool
    keyRequired: bool
    suggestions: bool
    filesTranslation: bool
    supportedFilesFormat: list[str]
    language: CompatFrontendLanguages


class CompatTranslatedFile(ResponseModel):
    translatedFileUrl: str


class CompatSuggested(ResponseModel):
    success: bool


@bp.get("/frontend/settings")
@admission.public
@operation("LibreTranslate: settings for its web page", response=CompatFrontendSettings)
def frontend_settings() -> ResponseReturnValue:
    svc = services()
    return render_frontend_settings(svc.settings, svc.gate.keys.required,
                                    svc.engine.store.installed())


def render_frontend_settings(settings: Settings, keys: bool,
                             models: Sequence[InstalledModel]) -> dict[str, Any]:
    """What LibreTranslate's page reads at start: limits, whether keys are needed, languages
    (the first installed pair: source, and its first target in the editions' order)."""
    sources = [code for code in LANGUAGES if any(m.source == code for m in models)]
    source = sources[0] if sources else "en"
    targets = [c for c in LANGUAGES if any(m.source == source and m.target == c for m in models)]
    target = targets[0] if targets else source
    return CompatFrontendSettings(
        charLimit=settings.max_chars, frontendTimeout=500, apiKeys=keys, keyRequired=keys,
        suggestions=True, filesTranslation=True, supportedFilesFormat=documents.supported(),
        language=CompatFrontendLanguages(
            source=CompatLanguageRef(code=source, name=language_name(source, "en")),
            target=CompatLanguageRef(code=target, name=language_name(target, "en")))).dump()


@bp.post("/translate_file")
@operation("LibreTranslate: translate a file", request=CompatFileRequest,
           response=CompatTranslatedFile, errors=(400,), media=openapi.FORMS[1:],
           description="DOCX, ODT, HTML, Markdown, TXT or SRT, structure kept; the answer "
                       "names the URL to download the translation from.")
def translate_file_route() -> ResponseReturnValue:
    svc = services()
    upload = request.files.get("file")
    if upload is None:
        raise _missing_file()
    req = parse(CompatFileRequest, form_fields(request.form.to_dict(flat=False)), svc.settings)
    if not upload.filename:
        raise InputError("Invalid request: empty file", code="empty_text", field="file")
    if documents.file_format(upload.filename) is None:
        raise InputError("Invalid request: file format not supported",
                         code="unsupported_format", field="file")
    doc = documents.open_document(upload.read(), upload.filename, svc.settings)
    charge(doc.chars)
    if req.source != "auto":
        _check_pair(svc.pipeline, req.source, req.target)
    done = documents.translate_document(doc, req.source, req.target, svc.pipeline)
    stored = file_store().put(done.data, {"filename": done.filename,
                                          "media_type": done.media_type})
    url = url_for(".download_file", filename=f"{stored.id}.{done.filename}", _external=True)
    return CompatTranslatedFile(translatedFileUrl=url).dump()


def _missing_file() -> InputError:
    return InputError(MESSAGES["missing_field"].format(field="file"), code="missing_field",
                      field="file")


@bp.get("/download_file/<string:filename>")
@admission.public
@operation("LibreTranslate: download a translated file", errors=(404,), responses={
    "200": {"description": "The translated file",
            "content": {"application/octet-stream": {"schema": {"type": "string",
                                                               "format": "binary"}}}}})
def download_file(filename: str) -> ResponseReturnValue:
    """The id in the name is the secret: 128 random bits, like LibreTranslate's uuid4."""
    file_id, _, name = filename.partition(".")
    stored = file_store().get(file_id)
    if stored is None or stored.meta["filename"] != name:
        raise InputError("Invalid filename", code="not_found", status=404)
    return Response(file_store().read(stored), mimetype=stored.meta["media_type"],
                    headers={"Content-Disposition": attachment(name)})


@bp.post("/suggest")
@operation("LibreTranslate: suggest a better translation", request=CompatSuggestRequest,
           response=CompatSuggested, errors=(400,), media=openapi.JSON_OR_FORMS,
           description="Stored for review (/v1/suggestions); never served before a reviewer "
                       "accepts it.")
def suggest_route() -> ResponseReturnValue:
    req = parse(CompatSuggestRequest, _fields(), services().settings)
    suggestions().add(req.source, req.target, req.q, req.s, g.caller.identity)
    return CompatSuggested(success=True).dump()
