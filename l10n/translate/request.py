"""Requests from outside, checked: pydantic models that validate what an API body or a batch
file holds, and the machinery every API's request models share (l10n/web/schemas.py and each
blueprint declare theirs with it; l10n/web/openapi.py generates the document from them).

It sits below the drivers (batch, jobs) and the web layer, which all read articles alike; it
knows no Flask.

How an API declares a route's shapes (every blueprint does the same; see docs/api.md):

    class EchoRequest(RequestModel):          # strict: "5" is no integer, 5 no string
        text: Text                            # non-empty, at most L10N_MAX_CHARS
        target: Language                      # checked by l10n.editions.check_language

    class Echo(ResponseModel):
        text: str

    @bp.post("/echo")
    @operation(request=EchoRequest, response=Echo, errors=(400,), summary="Say it again")
    def echo() -> dict[str, Any]:
        req = parse(EchoRequest, json_body(), services().settings)
        return Echo(text=req.text).dump()

A body that does not fit its model raises an `InputError` with the code of the first problem
(`missing_field`, `wrong_type`, `empty_text`, `unsupported_language`, `unknown_format`,
`invalid_json`, ... ; `payload_too_large` is a 413) and `field` set from where it is. A
validator refuses with `refuse(code, message)`; the message is the one the client reads (the
LibreTranslate models keep LibreTranslate's). A limit that comes from the settings is checked
against `info.context["settings"]` and shown in the document through `Limit`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from l10n.config import Settings
from l10n.editions import LANGUAGES, check_language
from l10n.errors import InputError, ServiceError, TooLarge
from l10n.markup import registry as formats
from l10n.translate.article import Article

M = TypeVar("M", bound="RequestModel")


# ------------------------------------------------------------------ the machinery
class RequestModel(BaseModel):
    """A request body: strict types (JSON's), unknown fields ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")
    messages: ClassVar[dict[str, str]] = {}
    """Templates for pydantic's own errors, by our code, with {field} and {expected}: an
    emulated API that prescribes its messages (LibreTranslate) sets them."""


class ResponseModel(BaseModel):
    """A response body; `dump()` is what the view returns."""

    model_config = ConfigDict(from_attributes=True)

    def dump(self, *, exclude_none: bool = False) -> Any:
        return self.model_dump(mode="json", exclude_none=exclude_none)


def refuse(code: str, message: str) -> PydanticCustomError:
    """What a validator raises: the error code and the message the client reads."""
    return PydanticCustomError(code, "{refused}", {"refused": message})


def parse(model: type[M], body: Any, settings: Settings) -> M:
    """`body` (parsed JSON, or a form's fields) as `model`, or the InputError of its first
    problem."""
    if not isinstance(body, dict):
        raise InputError(model.messages.get("invalid_json", "the request body must be a JSON "
                                            "object"), code="invalid_json")
    try:
        return model.model_validate(body, context={"settings": settings})
    except ValidationError as exc:
        raise input_error(exc, model.messages) from None


EXPECTED = {"string_type": "a string", "list_type": "a list", "dict_type": "an object",
            "model_type": "an object", "int_type": "an integer", "bool_type": "a boolean",
            "float_type": "a number", "tuple_type": "a list"}


def input_error(exc: ValidationError, messages: dict[str, str]) -> ServiceError:
    """The first problem pydantic found, in the service's terms."""
    first = exc.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"] if isinstance(part, str)) or None
    kind, refused = first["type"], (first.get("ctx") or {}).get("refused")
    if refused is not None:  # a validator's own `refuse`
        code, message = kind, str(refused)
    elif kind == "missing":
        code = "missing_field"
        message = messages.get(code, "missing field: {field}").format(field=field)
    elif kind in EXPECTED:
        code = "wrong_type"
        message = messages.get(code, "{field} must be {expected}").format(
            field=field or "body", expected=EXPECTED[kind])
    else:  # a constraint of pydantic's own (a number's range...)
        code, message = "invalid_value", f"{field or 'body'}: {first['msg']}"
    error_class = TooLarge if code == TooLarge.code else InputError
    return error_class(message, code=code, field=field)


DOCUMENTED: ContextVar[Settings | None] = ContextVar("documented_settings", default=None)


@contextmanager
def documenting(settings: Settings) -> Iterator[None]:
    """While openapi.build generates the schemas: the settings whose limits `Limit` shows."""
    token = DOCUMENTED.set(settings)
    try:
        yield
    finally:
        DOCUMENTED.reset(token)


@dataclass(frozen=True)
class Limit:
    """`Annotated` metadata: JSON-schema `keyword` set to the setting in force (the check
    itself is a validator reading `info.context["settings"]`)."""

    keyword: str
    setting: str

    def __get_pydantic_json_schema__(self, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core)
        settings = DOCUMENTED.get()
        if settings is not None:
            schema[self.keyword] = getattr(settings, self.setting)
        return schema


@dataclass(frozen=True)
class SchemaOf:
    """`Annotated` metadata: the field's whole JSON schema, built from the settings in force
    (a limit inside a oneOf, say), or `default` outside of `documenting`."""

    build: Callable[[Settings], JsonSchemaValue]

    def __get_pydantic_json_schema__(self, core: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        settings = DOCUMENTED.get()
        return self.build(settings) if settings is not None else handler(core)


def settings_of(info: ValidationInfo) -> Settings:
    settings: Settings = (info.context or {})["settings"]
    return settings


def _checked(check: Callable[[Any, str], Any]) -> Callable[[Any, ValidationInfo], Any]:
    """A validator from a check that raises InputError (check_language): same code, same
    message, reported where the field is."""
    def validate(value: Any, info: ValidationInfo) -> Any:
        try:
            return check(value, info.field_name or "body")
        except InputError as exc:
            raise refuse(exc.code, exc.message) from None
    return validate


# ------------------------------------------------------------------ shared field types
def _text(value: Any, info: ValidationInfo) -> Any:
    """A text field: non-empty, and within L10N_MAX_CHARS characters of text. In a model with
    a `format` (declared before the text), markup does not count: a 200 KB HTML page with
    80,000 characters of text is within the limit; L10N_MAX_BODY_BYTES bounds the whole."""
    name, limit = info.field_name, settings_of(info).max_chars
    if not isinstance(value, str):
        raise refuse("wrong_type", f"{name} must be a string")
    if not value.strip():
        raise refuse("empty_text", f"{name} is empty")
    size = len(value)
    if size > limit and info.data.get("format", "text") != "text":
        size = formats.translatable_chars(value, info.data["format"])
    if size > limit:
        raise refuse("payload_too_large",
                     f"{name} has {size} characters of text; the limit is {limit}")
    return value


LANGUAGE_SCHEMA = {"type": "string", "enum": list(LANGUAGES)}
Text = Annotated[str, BeforeValidator(_text), Field(min_length=1),
                 Limit("maxLength", "max_chars")]
MarkupText = Annotated[str, BeforeValidator(_text), Field(
    min_length=1, description="at most x-max-chars characters of text: the markup of html and "
                              "markdown does not count"), Limit("x-max-chars", "max_chars")]
Language = Annotated[str, BeforeValidator(_checked(check_language)),
                     WithJsonSchema(LANGUAGE_SCHEMA)]
Source = Annotated[str, BeforeValidator(_checked(
    lambda code, name: check_language(code, name, allow_auto=True))),
    WithJsonSchema({"type": "string", "enum": ["auto", *LANGUAGES], "default": "auto"})]


def _targets(value: Any, info: ValidationInfo) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise refuse("wrong_type", "targets must be a non-empty list of language codes")
    return tuple(dict.fromkeys(_checked(check_language)(t, info) for t in value))


Targets = Annotated[tuple[str, ...], BeforeValidator(_targets), WithJsonSchema({
    "oneOf": [LANGUAGE_SCHEMA, {"type": "array", "items": LANGUAGE_SCHEMA, "minItems": 1}],
    "description": "default: every edition (L10N_DEFAULT_TARGETS)"})]


def _format(value: Any) -> str:
    if value not in formats.NAMES:
        raise refuse("unknown_format",
                     f"unknown format {value!r} (one of: {', '.join(formats.NAMES)})")
    return str(value)


Format = Annotated[str, BeforeValidator(_format),
                   WithJsonSchema({"type": "string", "enum": list(formats.NAMES),
                                   "default": "text"})]


class WithTargets(RequestModel):
    """A request into editions: `targets` left out (()) means every edition but the
    source's own, decided by the pipeline once the source language is known."""

    targets: Targets = ()


def _published(value: Any) -> Any:
    """ISO 8601 with a zone, shown in every edition's zone: so not at the ends of time."""
    if value is None or value == "":
        return value
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is not None and moment.tzinfo is not None:
            utc = moment.astimezone(UTC).replace(tzinfo=None)
            if datetime.min + timedelta(days=2) < utc < datetime.max - timedelta(days=2):
                return value
    except (ValueError, OverflowError):
        pass
    raise refuse("invalid_date", "meta.published must be an ISO 8601 date-time with a time "
                 "zone, e.g. 2026-03-05T21:30:00Z")


class ArticleMeta(RequestModel):
    model_config = ConfigDict(extra="allow")
    author: str | None = None
    published: Annotated[str | None, BeforeValidator(_published),
                         Field(description="ISO 8601 with a zone")] = None
    category: Annotated[Any, WithJsonSchema({"type": "string"})] = None  # passed through
    tags: Annotated[Any, WithJsonSchema({"type": "array", "items": {"type": "string"}})] = None


def _article_id(value: Any) -> Any:
    if value is not None and (not isinstance(value, (str, int)) or isinstance(value, bool)):
        raise refuse("wrong_type", "id must be a string")
    return None if value is None else str(value)


ArticleId = Annotated[str | None, BeforeValidator(_article_id),
                      WithJsonSchema({"type": ["string", "integer"]})]


class ArticleRequest(WithTargets):
    """What the CMS sends: l10n.translate.article.Article, as JSON."""

    id: ArticleId = None
    source: Source = "auto"
    format: Format = "text"
    title: str = ""
    lead: str = ""
    body: str = ""
    captions: list[str] = []
    meta: ArticleMeta = ArticleMeta()
    _chars: int = PrivateAttr(0)

    @model_validator(mode="after")
    def _has_text(self, info: ValidationInfo) -> ArticleRequest:
        article = self.article()
        if not article.fields() or not article.plain_text().strip():
            raise refuse("empty_text",
                         "the article has no text (title, lead, body and captions are empty)")
        self._chars = formats.translatable_chars(article.plain_text(), self.format)
        limit = settings_of(info).max_chars
        if self._chars > limit:
            raise refuse("payload_too_large", f"the article has {self._chars} characters of "
                         f"text; the limit is {limit}")
        return self

    @property
    def chars(self) -> int:
        """What the article costs per edition: its characters of text, markup not counted."""
        return self._chars

    def article(self) -> Article:
        meta = self.meta.model_dump(exclude_unset=True)
        return Article(title=self.title, lead=self.lead, body=self.body,
                       captions=tuple(self.captions), format=self.format, source=self.source,
                       targets=self.targets, id=self.id,
                       meta=meta)


def parse_article(body: Any, settings: Settings) -> Article:
    """An article from the API, a batch file or the preview form, validated alike."""
    return parse(ArticleRequest, body, settings).article()


# ------------------------------------------------------------------ JSON from outside
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


def loads_untrusted(text: str | bytes, **kwargs: Any) -> Any:
    """JSON from outside (a request body, an uploaded file): `json.loads`, then `check_json`;
    ValueError for anything it refuses, RecursionError included."""
    try:
        return check_json(json.loads(text, **kwargs))
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
