"""The site's UI strings over HTTP (docs/translators.md): what translators have done, per edition."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from pydantic import Field

from l10n import catalogs
from l10n.errors import NotFound, ServiceError
from l10n.web import admission, errors, openapi
from l10n.web.context import services
from l10n.web.schemas import Error, RequestModel, ResponseModel

bp = Blueprint("catalogs", __name__, url_prefix="/v1/catalogs")
bp.before_request(admission.admit)
operation = openapi.operations_for("v1")


class CatalogStatus(ResponseModel):
    language: str
    locale: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    percent: float
    last_modified: str


class Catalogs(ResponseModel):
    catalogs: list[CatalogStatus]


class CatalogMessages(ResponseModel):
    language: str
    locale: str
    plural_forms: str
    nplurals: int
    messages: dict[str, str]
    plurals: dict[str, list[str]]


class MessagesQuery(RequestModel):
    fuzzy: str | None = Field(None, description="1 or true: fuzzy ones too")


class CatalogBroken(ServiceError):
    status = 503
    code = "catalog_broken"


@bp.errorhandler(catalogs.CatalogNotFound)
def unknown_catalog(exc: catalogs.CatalogNotFound) -> Any:
    lang = (request.view_args or {}).get("lang")
    return errors.handle(NotFound(f"no catalog for language {lang!r} (editions: {', '.join(catalogs.EDITIONS)})",
                                  code="unknown_catalog"))


@bp.errorhandler(catalogs.CatalogSyntaxError)
def broken_catalog(exc: catalogs.CatalogSyntaxError) -> Any:
    return errors.handle(CatalogBroken(f"a catalog cannot be read until a translator fixes "
                                       f"it: line {exc.line}: {exc.detail}"))


@bp.get("")
@operation("Translation progress of the site's UI strings", response=Catalogs,
           responses={"503": Error})
def catalog_status() -> dict[str, Any]:
    return {"catalogs": catalogs.catalog_status(services().settings.locales_dir)}


@bp.get("/<lang>")
@operation("One edition's translated UI strings", query=MessagesQuery,
           response=CatalogMessages, errors=(404,), responses={"503": Error})
def catalog_messages(lang: str) -> dict[str, Any]:
    fuzzy = request.args.get("fuzzy", "") in ("1", "true")
    return catalogs.catalog_messages(services().settings.locales_dir, lang, include_fuzzy=fuzzy)
