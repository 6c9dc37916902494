"""`l10n catalogs <command>`: extract, update, compile, pretranslate, check, status (click).

The catalogs folder is `--locales`, by default Settings.locales_dir (L10N_LOCALES_DIR).
Exit codes: 0 ok, 1 the work failed (a check failed, a catalog could not be written), 2 bad
input or setting. `catalogs` is a click group, ready for the one `l10n` click CLI;
`main_catalogs(argv)` runs it and returns the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from l10n.catalogs.checks import check_catalogs
from l10n.catalogs.errors import CatalogError
from l10n.catalogs.layout import EDITIONS
from l10n.catalogs.pretranslate import pretranslate
from l10n.catalogs.serving import catalog_status
from l10n.catalogs.store import Written
from l10n.catalogs.workflow import compile_catalogs, extract, update
from l10n.config import ConfigError, Settings

_LOCALES = click.option("--locales", type=click.Path(path_type=Path),
                        help="catalogs folder (default: L10N_LOCALES_DIR, else locales/)")
_LANG = click.option("--lang", "langs", multiple=True, type=click.Choice(list(EDITIONS)),
                     help="only this edition (repeatable; default: all)")


class _Failed(click.ClickException):
    exit_code = 1


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _folder(locales: Path | None) -> Path:
    return locales if locales is not None else _settings().locales_dir


def _print_written(results: Iterable[Written]) -> None:
    for written in results:
        click.echo(f"{written.path}: {written.action} ({written.messages} messages)")


@click.group(help="The translators' workflow for UI strings (docs/translators.md).")
def catalogs() -> None:
    pass


@catalogs.command("extract", help="templates and code -> messages.pot")
@_LOCALES
@click.option("--root", type=click.Path(path_type=Path), default=Path("."),
              help="source tree to extract from (default: .)")
@click.option("--config", type=click.Path(path_type=Path),
              help="extraction config (default: ROOT/babel.cfg)")
def extract_command(locales: Path | None, root: Path, config: Path | None) -> None:
    _print_written([extract(_folder(locales), root, config)])


@catalogs.command("update", help="messages.pot -> every .po, as msgmerge would")
@_LOCALES
@_LANG
def update_command(locales: Path | None, langs: tuple[str, ...]) -> None:
    _print_written(update(_folder(locales), langs or None))


@catalogs.command("compile", help=".po -> .mo")
@_LOCALES
@_LANG
def compile_command(locales: Path | None, langs: tuple[str, ...]) -> None:
    _print_written(compile_catalogs(_folder(locales), langs or None))


@catalogs.command("pretranslate", help="machine-translate empty entries (fuzzy)")
@_LOCALES
@_LANG
def pretranslate_command(locales: Path | None, langs: tuple[str, ...]) -> None:
    from l10n.translate.engine import Engine

    settings = _settings()
    failed = False
    for result in pretranslate(_folder(locales), Engine(settings), langs or None):
        if result.error:
            click.echo(f"{result.lang}: {result.error}", err=True)
            failed = True
            continue
        click.echo(f"{result.lang}: {len(result.filled)} entries machine-translated with "
                   f"{result.model}, marked fuzzy for review")
        for msgid in result.rejected:
            click.echo(f"{result.lang}: left empty, placeholders did not survive: {msgid!r}")
    if failed:
        raise _Failed("some editions could not be pre-translated")


@catalogs.command("check", help="check the catalogs (msgfmt -c, placeholders, house rules)")
@_LOCALES
@_LANG
@click.option("--strict", is_flag=True,
              help="also fail while anything is untranslated or fuzzy (releases)")
def check_command(locales: Path | None, langs: tuple[str, ...], strict: bool) -> None:
    failed = False
    for checked in check_catalogs(_folder(locales), langs or None):
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
        raise SystemExit(1)


@catalogs.command("status", help="progress per edition")
@_LOCALES
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def status_command(locales: Path | None, as_json: bool) -> None:
    rows = catalog_status(_folder(locales))
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['language']:3} {row['locale']:6} {row['translated']:4}/"
                   f"{row['total']:<4} {row['percent']:5.1f}%  fuzzy {row['fuzzy']:<3} "
                   f"untranslated {row['untranslated']:<3} modified {row['last_modified']}")


def main_catalogs(argv: Sequence[str] | None = None) -> int:
    """Run `l10n catalogs` with `argv`; the exit code (0, 1 or 2)."""
    try:
        catalogs.main(list(argv) if argv is not None else None, prog_name="l10n catalogs",
                      standalone_mode=False)
    except click.ClickException as exc:  # UsageError: 2; _Failed: 1
        exc.show()
        return exc.exit_code
    except CatalogError as exc:
        click.echo(f"l10n catalogs: {exc}", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.exceptions.Abort:
        return 1
    return 0
