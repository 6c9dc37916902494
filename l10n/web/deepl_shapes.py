"""DeepL API v2's request and response shapes (pydantic models), and its language codes.

DeepL names languages in upper case and distinguishes regional targets: EN-GB and EN-US are
both this service's `en` edition (written in British English), PT-BR and PT-PT both its `pt`
edition (Brazilian Portuguese: PT-PT is served by the pt_BR model). A bare `EN` or `PT` target,
deprecated by DeepL, is accepted too. Sources are the base codes (EN, DE, ...).

Parameters DeepL has and this service cannot honour (formality, context, split_sentences,
preserve_formatting, splitting and non-splitting tags, outline detection, model type...) are
accepted, and named in the `X-L10N-Ignored-Parameters` response header so a client can see
that they had no effect.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, RootModel, WithJsonSchema

from l10n.config import Settings
from l10n.editions import LANGUAGES
from l10n.errors import InputError, TooLarge
from l10n.localise.languages import language_name
from l10n.translate.request import RequestModel, ResponseModel, parse, refuse

MAX_TEXTS = 50
REGIONAL_TARGETS = {"EN-GB": "en", "EN-US": "en", "PT-BR": "pt", "PT-PT": "pt"}
NO_EFFECT = ("formality", "context", "split_sentences", "preserve_formatting",
             "non_splitting_tags", "splitting_tags", "outline_detection", "model_type",
             "tag_handling_version", "custom_instructions", "style_id")
TRUE = ("1", "true", "True", True, 1)


def source_code(value: str | None) -> str | None:
    """DeepL source code → edition code; None: detect. InputError if not an edition."""
    if value is None or value == "":
        return None
    code = value.strip().lower()
    if code not in LANGUAGES:
        raise InputError("Value for 'source_lang' not supported.", code="unsupported_language",
                         field="source_lang")
    return code


def target_code(value: str | None) -> str:
    if value is None or value == "":
        raise InputError("Parameter 'target_lang' not specified.", code="missing_field",
                         field="target_lang")
    upper = value.strip().upper()
    code = REGIONAL_TARGETS.get(upper, upper.lower())
    if code not in LANGUAGES:
        raise InputError("Value for 'target_lang' not supported.", code="unsupported_language",
                         field="target_lang")
    return code


def deepl_targets(code: str) -> list[str]:
    """The DeepL target codes an edition answers to (EN-GB and EN-US for `en`...)."""
    regional = [name for name, edition in REGIONAL_TARGETS.items() if edition == code]
    return regional or [code.upper()]


MESSAGES = {"invalid_json": "Invalid JSON in the request body.",
            "missing_field": "Parameter '{field}' not specified.",
            "wrong_type": "Value for '{field}' not supported."}
"""DeepL's words for what pydantic finds."""


def _one_of(*allowed: str) -> Any:
    def check(value: Any) -> Any:
        if value in (None, ""):
            return None
        if value not in allowed:
            raise refuse("wrong_type", MESSAGES["wrong_type"].format(field="tag_handling"))
        return value
    return BeforeValidator(check)


def _tags(value: Any) -> list[str]:
    """DeepL takes a comma-separated string, a list, or a list of comma-separated strings."""
    items = [value] if isinstance(value, str) else list(value or [])
    return [t.strip() for item in items for t in str(item).split(",") if t.strip()]


def _flag(value: Any) -> bool:
    return value in TRUE


class DeepLRequest(RequestModel):
    messages: ClassVar[dict[str, str]] = MESSAGES


class DeepLTranslateRequest(DeepLRequest):
    text: list[str] = Field(min_length=1, max_length=MAX_TEXTS)
    target_lang: str
    source_lang: str | None = None
    tag_handling: Annotated[str | None, _one_of("html", "xml"),
                            WithJsonSchema({"type": "string", "enum": ["html", "xml"]})] = None
    ignore_tags: Annotated[list[str], BeforeValidator(_tags)] = []
    glossary_id: str | None = None
    show_billed_characters: Annotated[bool, BeforeValidator(_flag)] = False
    formality: Annotated[Any, WithJsonSchema({"type": "string", "description": "accepted, "
                                              "no effect (X-L10N-Ignored-Parameters)"})] = None
    context: Annotated[Any, WithJsonSchema({"type": "string", "description": "accepted, "
                                            "no effect"})] = None


class DeepLTextResult(ResponseModel):
    detected_source_language: str
    text: str
    billed_characters: int | None = None


class DeepLTranslateResponse(ResponseModel):
    translations: list[DeepLTextResult]


class DeepLLanguageInfo(ResponseModel):
    language: str
    name: str
    supports_formality: bool | None = None


class DeepLUsage(ResponseModel):
    character_count: int
    character_limit: int


class DeepLGlossaryRequest(DeepLRequest):
    name: str = Field(min_length=1)
    source_lang: str
    target_lang: str
    entries: str
    entries_format: Annotated[str, BeforeValidator(lambda v: v or "tsv"),
                              WithJsonSchema({"type": "string", "enum": ["tsv", "csv"]})] = "tsv"


class DeepLGlossaryInfo(ResponseModel):
    glossary_id: str
    name: str
    ready: bool = True
    source_lang: str
    target_lang: str
    creation_time: str
    entry_count: int


class DeepLDocumentHandle(ResponseModel):
    document_id: str
    document_key: str


class DeepLDocumentStatus(ResponseModel):
    document_id: str
    status: Literal["queued", "translating", "done", "downloaded", "error"]
    seconds_remaining: int | None = None
    billed_characters: int | None = None
    error_message: str | None = None


class DeepLGlossaryList(ResponseModel):
    glossaries: list[DeepLGlossaryInfo]


class DeepLLanguagePair(ResponseModel):
    source_lang: str
    target_lang: str


class DeepLGlossaryPairs(ResponseModel):
    supported_languages: list[DeepLLanguagePair]


class DeepLLanguages(RootModel[list[DeepLLanguageInfo]]):
    """Source languages, or targets with DeepL's regional codes (EN-GB, PT-BR...)."""


class DeepLLanguagesQuery(DeepLRequest):
    type: Annotated[str, WithJsonSchema({"type": "string", "enum": ["source", "target"],
                                         "default": "source"})] = "source"


class DeepLDocumentQuery(DeepLRequest):
    document_key: str


class DeepLDocumentUpload(DeepLRequest):
    """The form fields beside the uploaded `file`."""

    file: Annotated[Any, WithJsonSchema({"type": "string", "format": "binary"})] = None
    target_lang: str
    source_lang: str | None = None
    filename: str | None = None
    glossary_id: str | None = None
    output_format: str | None = None


class DeepLError(ResponseModel):
    """DeepL's error shape."""

    message: str


def parse_translate(fields: dict[str, Any], settings: Settings
                    ) -> tuple[DeepLTranslateRequest, list[str]]:
    """The request, and the parameters it sent that have no effect here."""
    text = fields.get("text")
    if text is None or text == [] or text == "":
        raise InputError("Parameter 'text' not specified.", code="missing_field", field="text")
    if isinstance(text, str):
        fields = {**fields, "text": [text]}
    if isinstance(fields["text"], list) and len(fields["text"]) > MAX_TEXTS:
        raise TooLarge(f"Too many texts: at most {MAX_TEXTS} in one request.", field="text")
    request = parse(DeepLTranslateRequest, fields, settings)
    ignored = [name for name in NO_EFFECT if fields.get(name) not in (None, "", [], "default")]
    return request, ignored


def languages(codes: list[str], kind: str) -> list[dict[str, Any]]:
    """GET /v2/languages: the installed sources, or every DeepL code of the installed targets."""
    if kind == "source":
        return [DeepLLanguageInfo(language=c.upper(), name=language_name(c, "en")).dump(
            exclude_none=True) for c in codes]
    out = []
    for code in codes:
        for deepl in deepl_targets(code):
            name = language_name(code, "en") + _variant(deepl)
            out.append(DeepLLanguageInfo(language=deepl, name=name, supports_formality=False).dump())
    return out


def _variant(deepl: str) -> str:
    return {"EN-GB": " (British)", "EN-US": " (American)", "PT-BR": " (Brazilian)",
            "PT-PT": " (European)"}.get(deepl, "")


def timestamp(moment: float) -> str:
    """DeepL's creation_time: ISO 8601 with microseconds and an offset."""
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="microseconds")
