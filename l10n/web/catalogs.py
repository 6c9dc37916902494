"""The site's UI strings over HTTP (docs/translators.md): what translators have done, per edition."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from pydantic import ConfigDict, Field

from l10n import catalogs
from l10n.errors import InputError, NotFound, ServiceError
from l10n.web import admission, errors, openapi
from l10n.web.context import json_body, services
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


class EntryQuery(RequestModel):
    msgid: str
    msgctxt: str | None = None


class CatalogEntry(ResponseModel):
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    msgstr: str | None
    msgstr_plural: list[str] | None
    fuzzy: bool
    hash: str = Field(description="send it back to change the entry")


class CatalogEntryEdit(RequestModel):
    """One entry's new translation (documents the body; catalogs.parse_edit checks it)."""

    model_config = ConfigDict(extra="forbid")
    msgctxt: str | None = None
    msgid: str
    hash: str = Field(description="the entry's hash as read")
    fuzzy: bool = False
    msgstr: str | None = Field(None, description="an entry without a plural")
    msgstr_plural: list[str] | None = Field(None, description="an entry with a plural: every "
                                                              "form")


class CatalogBroken(ServiceError):
    status = 503
    code = "catalog_broken"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


@bp.errorhandler(catalogs.CatalogNotFound)
def unknown_catalog(exc: catalogs.CatalogNotFound) -> Any:
    lang = (request.view_args or {}).get("lang")
    return errors.handle(NotFound(f"no catalog for language {lang!r} (editions: {', '.join(catalogs.EDITIONS)})",
                                  code="unknown_catalog"))


@bp.errorhandler(catalogs.CatalogSyntaxError)
def broken_catalog(exc: catalogs.CatalogSyntaxError) -> Any:
    return errors.handle(CatalogBroken(f"a catalog cannot be read until a translator fixes "
                                       f"it: line {exc.line}: {exc.detail}"))


@bp.errorhandler(catalogs.EntryNotFound)
def unknown_entry(exc: catalogs.EntryNotFound) -> Any:
    return errors.handle(NotFound(str(exc), code="unknown_entry"))


@bp.errorhandler(catalogs.StaleEntry)
def stale_entry(exc: catalogs.StaleEntry) -> Any:
    return errors.handle(Conflict(str(exc), code="stale_entry"))


@bp.errorhandler(catalogs.CatalogConflict)
def busy_catalog(exc: catalogs.CatalogConflict) -> Any:
    return errors.handle(Conflict(str(exc), code="catalog_busy"))


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


@bp.get("/<lang>/entries")
@operation("One entry of an edition's catalog, with its hash", query=EntryQuery,
           response=CatalogEntry, errors=(400, 404), responses={"503": Error})
def catalog_entry(lang: str) -> dict[str, Any]:
    msgid = request.args.get("msgid")
    if msgid is None:
        raise InputError("the 'msgid' query parameter is required", code="invalid_field",
                         field="msgid")
    return catalogs.read_entry(services().settings.locales_dir, lang,
                               request.args.get("msgctxt"), msgid)


@bp.put("/<lang>/entries")
@admission.requires(admission.REVIEW)
@operation("A translator sets one entry's translation", request=CatalogEntryEdit,
           response=CatalogEntry, errors=(400, 404),
           responses={"409": openapi.json_answer(Error, "The entry changed since it was read "
                                                 "(stale_entry), or the file kept changing "
                                                 "(catalog_busy)"), "503": Error},
           description="Only that entry's lines change in the .po file. Refused with 409 when "
                       "the entry changed since it was read (its hash differs). Needs a key "
                       "with the review role.")
def put_catalog_entry(lang: str) -> dict[str, Any]:
    """A translator's or reviewer's edit of one entry."""
    edit = catalogs.parse_edit(json_body())
    return catalogs.set_entry(services().settings.locales_dir, lang, edit)
