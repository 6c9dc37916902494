"""`l10n catalogs extract|update|compile|pretranslate|check|status`: the translators'
workflow for UI strings (docs/translators.md), over the functions of l10n/catalogs.py.

The catalogs folder is `--locales`, else L10N_LOCALES_DIR. A catalog that cannot be read or
written (CatalogError) fails the command with exit 1, as a failed check does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from l10n import catalogs as lib
from l10n.cli.base import FAILED, Failed, Group
from l10n.config import Settings

F = TypeVar("F", bound=Callable[..., Any])


@click.group("catalogs", cls=Group)
def catalogs() -> None:
    """Gettext catalogs of the UI strings: extract, update, compile, pretranslate, check."""


def _locales(f: F) -> F:
    return click.option("--locales", type=click.Path(path_type=Path),
                        help="catalogs folder (default: L10N_LOCALES_DIR, locales/)")(f)


def _langs(f: F) -> F:
    return click.option("--lang", "langs", multiple=True, type=click.Choice(list(lib.EDITIONS)),
                        help="only this edition (repeatable; default: all)")(_locales(f))


@contextmanager
def _folder(locales: Path | None) -> Iterator[Path]:
    """The catalogs folder of the command; CatalogError exits 1 with its message."""
    folder = locales or Settings.from_env().locales_dir
    try:
        yield folder
    except lib.CatalogError as exc:
        raise Failed(str(exc)) from None


def _written(results: Iterable[lib.Written]) -> None:
    for written in results:
        click.echo(f"{written.path}: {written.action} ({written.messages} messages)")


@catalogs.command()
@_locales
@click.option("--root", type=click.Path(path_type=Path), default=Path("."),
              help="source tree to extract from (default: .)")
@click.option("--config", type=click.Path(path_type=Path),
              help="extraction config (default: ROOT/babel.cfg)")
def extract(locales: Path | None, root: Path, config: Path | None) -> None:
    """Templates and code -> messages.pot."""
    with _folder(locales) as folder:
        _written([lib.extract(folder, root, config)])


@catalogs.command()
@_langs
def update(locales: Path | None, langs: tuple[str, ...]) -> None:
    """messages.pot -> every .po."""
    with _folder(locales) as folder:
        _written(lib.update(folder, langs or None))


@catalogs.command("compile")
@_langs
def compile_(locales: Path | None, langs: tuple[str, ...]) -> None:
    """.po -> .mo."""
    with _folder(locales) as folder:
        _written(lib.compile_catalogs(folder, langs or None))


@catalogs.command()
@_langs
def pretranslate(locales: Path | None, langs: tuple[str, ...]) -> None:
    """Machine-translate empty entries (marked fuzzy)."""
    from l10n.translate.engine import Engine

    failed = False
    with _folder(locales) as folder:
        results = lib.pretranslate(folder, Engine(Settings.from_env()), langs or None)
    for result in results:
        if result.error:
            click.echo(f"{result.lang}: {result.error}", err=True)
            failed = True
            continue
        click.echo(f"{result.lang}: {len(result.filled)} entries machine-translated with "
                   f"{result.model}, marked fuzzy for review")
        for msgid in result.rejected:
            click.echo(f"{result.lang}: left empty, placeholders did not survive: {msgid!r}")
    if failed:
        raise click.exceptions.Exit(FAILED)


@catalogs.command()
@_langs
@click.option("--strict", is_flag=True,
              help="also fail while anything is untranslated or fuzzy (releases)")
def check(locales: Path | None, langs: tuple[str, ...], strict: bool) -> None:
    """Check the catalogs (exit 1 on any error)."""
    failed = False
    with _folder(locales) as folder:
        results = lib.check_catalogs(folder, langs or None)
    for checked in results:
        for problem in checked.problems:
            click.echo(str(problem))
        if checked.counts:
            c = checked.counts
            click.echo(f"{checked.path}: {c.translated}/{c.total} translated ({c.percent}%), "
                       f"{c.fuzzy} fuzzy, {c.untranslated} untranslated, "
                       f"{len(checked.errors)} errors")
        failed |= checked.failed(strict)
    click.echo("check failed" if failed else "check passed")
    if failed:
        raise click.exceptions.Exit(FAILED)


@catalogs.command()
@_locales
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def status(locales: Path | None, as_json: bool) -> None:
    """Progress per edition."""
    with _folder(locales) as folder:
        rows = lib.catalog_status(folder)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['language']:3} {row['locale']:6} {row['translated']:4}/{row['total']:<4} "
                   f"{row['percent']:5.1f}%  fuzzy {row['fuzzy']:<3} untranslated "
                   f"{row['untranslated']:<3} modified {row['last_modified']}")
