"""The site's UI strings over HTTP (docs/translators.md): what translators have done, per edition."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from l10n import catalogs
from l10n.errors import NotFound, ServiceError
from l10n.web import admission, errors
from l10n.web.context import services

bp = Blueprint("catalogs", __name__, url_prefix="/v1/catalogs")
bp.before_request(admission.admit)


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
def catalog_status() -> dict[str, Any]:
    return {"catalogs": catalogs.catalog_status(services().settings.locales_dir)}


@bp.get("/<lang>")
def catalog_messages(lang: str) -> dict[str, Any]:
    fuzzy = request.args.get("fuzzy", "") in ("1", "true")
    return catalogs.catalog_messages(services().settings.locales_dir, lang, include_fuzzy=fuzzy)
