"""The site's UI strings over HTTP (docs/translators.md): what translators have done, per edition."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from l10n import catalogs
from l10n.errors import InputError, NotFound, ServiceError
from l10n.web import admission, errors
from l10n.web.context import json_body, services

bp = Blueprint("catalogs", __name__, url_prefix="/v1/catalogs")
bp.before_request(admission.admit)


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
def catalog_status() -> dict[str, Any]:
    return {"catalogs": catalogs.catalog_status(services().settings.locales_dir)}


@bp.get("/<lang>")
def catalog_messages(lang: str) -> dict[str, Any]:
    fuzzy = request.args.get("fuzzy", "") in ("1", "true")
    return catalogs.catalog_messages(services().settings.locales_dir, lang, include_fuzzy=fuzzy)


@bp.get("/<lang>/entries")
def catalog_entry(lang: str) -> dict[str, Any]:
    msgid = request.args.get("msgid")
    if msgid is None:
        raise InputError("the 'msgid' query parameter is required", code="invalid_field",
                         field="msgid")
    return catalogs.read_entry(services().settings.locales_dir, lang,
                               request.args.get("msgctxt"), msgid)


@bp.put("/<lang>/entries")
def put_catalog_entry(lang: str) -> dict[str, Any]:
    """A translator's or reviewer's edit of one entry: any valid key today; once keys have
    roles, requiring "review" is one line here."""
    edit = catalogs.parse_edit(json_body())
    return catalogs.set_entry(services().settings.locales_dir, lang, edit)
