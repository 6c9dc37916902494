"""`POST /v1/format`: numbers, percentages, amounts and dates as each edition writes them.

A CMS renders its own pages (prices, poll results, event dates) and needs them in the
edition's conventions, from the same CLDR data and time zones the article bylines use.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from flask import Blueprint
from pydantic import BaseModel, BeforeValidator, RootModel, ValidationInfo, WithJsonSchema

from l10n.editions import LANGUAGES, check_language
from l10n.errors import InputError
from l10n.localise import dates
from l10n.web import admission, openapi
from l10n.web.context import json_body, services
from l10n.web.schemas import LANGUAGE_SCHEMA, RequestModel, parse, refuse

bp = Blueprint("localise", __name__, url_prefix="/v1")
bp.before_request(admission.admit)
operation = openapi.operations_for("v1")
MAX_VALUES = 100  # of each kind in one request
MAX_MAGNITUDE = 1e15  # beyond, a float no longer holds every digit the page would show


def _refusing(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A validator from a check that raises InputError: the same code and message."""
    def validate(value: Any) -> Any:
        try:
            return check(value)
        except InputError as exc:
            raise refuse(exc.code, exc.message) from None
    return validate


def _values(check: Callable[[Any, str], Any]) -> Callable[[Any, ValidationInfo], list[Any]]:
    """A validator of a list of at most MAX_VALUES values, each passed through `check`."""
    def validate(values: Any, info: ValidationInfo) -> list[Any]:
        name = info.field_name or "body"
        return _refusing(lambda v: [check(x, name) for x in _list(v, name)])(values)
    return validate


def _items(schema: dict[str, Any]) -> WithJsonSchema:
    return WithJsonSchema({"type": "array", "maxItems": MAX_VALUES, "items": schema})


NUMBER = {"type": "number", "exclusiveMinimum": -MAX_MAGNITUDE,
          "exclusiveMaximum": MAX_MAGNITUDE}


class FormatRequest(RequestModel):
    """What to format; every list is optional, `languages` defaults to every edition."""

    languages: Annotated[list[str], BeforeValidator(_refusing(_languages)),
                         WithJsonSchema({"type": "array", "items": LANGUAGE_SCHEMA,
                                         "minItems": 1, "description": "default: every edition"})
                         ] = list(LANGUAGES)
    numbers: Annotated[list[Any], BeforeValidator(_values(_number)), _items(NUMBER)] = []
    percents: Annotated[list[Any], BeforeValidator(_values(_number)), _items(NUMBER)] = []
    amounts: Annotated[list[Any], BeforeValidator(_values(lambda v, name: _amount(v))),
                       _items({"type": "object", "required": ["value", "currency"],
                               "properties": {"value": NUMBER, "currency": {
                                   "type": "string", "pattern": "^[A-Z]{3}$"}}})] = []
    dates: Annotated[list[Any], BeforeValidator(_values(lambda v, name: _moment(v))),
                     _items({"type": "string", "format": "date-time"})] = []


class Formatted(BaseModel):
    numbers: list[str]
    percents: list[str]
    amounts: list[str]
    dates: list[str]


class FormattedByLanguage(RootModel[dict[str, Formatted]]):
    """Each requested edition's renderings, in the order sent."""


@bp.post("/format")
@operation("Numbers, percentages, amounts and dates per edition (CLDR)",
           request=FormatRequest, response=FormattedByLanguage, errors=(400,))
def format_values() -> dict[str, Any]:
    settings = services().settings
    req = parse(FormatRequest, json_body(), settings)
    zones = dates.timezones(settings.timezones)
    return {lang: {
        "numbers": [dates.number(n, lang) for n in req.numbers],
        "percents": [dates.percent(p, lang) for p in req.percents],
        "amounts": [dates.currency(value, code, lang) for value, code in req.amounts],
        "dates": [dates.date_line(m, lang, tz=zones[lang]) for m in req.dates],
    } for lang in req.languages}


def _languages(langs: Any) -> list[str]:
    if not isinstance(langs, list) or not langs:
        raise InputError("languages must be a non-empty list of language codes",
                         code="wrong_type", field="languages")
    return list(dict.fromkeys(check_language(code, "languages") for code in langs))


def _list(values: Any, name: str) -> list[Any]:
    if not isinstance(values, list):
        raise InputError(f"{name} must be a list", code="wrong_type", field=name)
    if len(values) > MAX_VALUES:
        raise InputError(f"{name} has {len(values)} items; at most {MAX_VALUES}",
                         code="too_many_items", field=name)
    return values


def _number(value: Any, name: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{name} must hold numbers", code="wrong_type", field=name)
    if not math.isfinite(value) or abs(value) >= MAX_MAGNITUDE:
        raise InputError(f"{name}: {value!r} is out of range (|x| < 1e15)", code="out_of_range",
                         field=name)
    return value


def _amount(value: Any) -> tuple[float | int, str]:
    if not isinstance(value, dict):
        raise InputError('amounts must hold {"value": 12.5, "currency": "EUR"} objects',
                         code="wrong_type", field="amounts")
    code = value.get("currency")
    if not isinstance(code, str) or len(code) != 3 or not code.isascii() or not code.isupper():
        raise InputError("currency must be an ISO 4217 code such as EUR", code="wrong_type",
                         field="amounts")
    return _number(value.get("value"), "amounts"), code


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise InputError("dates must be ISO 8601 times with a time zone, e.g. "
                         "2026-03-05T21:30:00Z", code="wrong_type", field="dates")
    if not 1900 <= moment.year <= 9998:  # a local time must not overflow the calendar
        raise InputError(f"{value!r} is out of range (years 1900–9998)", code="out_of_range",
                         field="dates")
    return moment
