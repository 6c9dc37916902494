"""`l10n catalogs <command>`: extract, update, compile, pretranslate, check, status.

The catalogs folder is `--locales`, by default Settings.locales_dir (L10N_LOCALES_DIR).
Exit codes: 0 ok, 1 the work failed (a check failed, a catalog could not be written), 2 bad
input or setting.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from l10n.catalogs.checks import check_catalogs
from l10n.catalogs.errors import CatalogError
from l10n.catalogs.layout import EDITIONS
from l10n.catalogs.pretranslate import pretranslate
from l10n.catalogs.serving import catalog_status
from l10n.catalogs.store import Written
from l10n.catalogs.workflow import compile_catalogs, extract, update
from l10n.config import ConfigError, Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="l10n catalogs",
                                     description="The translators' workflow for UI strings "
                                                 "(docs/translators.md).")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--locales", type=Path,
                        help="catalogs folder (default: L10N_LOCALES_DIR, else locales/)")
    per_lang = argparse.ArgumentParser(add_help=False, parents=[common])
    per_lang.add_argument("--lang", action="append", choices=list(EDITIONS),
                          help="only this edition (repeatable; default: all)")
    commands = parser.add_subparsers(dest="command", required=True)
    extract_ = commands.add_parser("extract", parents=[common],
                                   help="templates and code -> messages.pot")
    extract_.add_argument("--root", type=Path, default=Path("."),
                          help="source tree to extract from (default: .)")
    extract_.add_argument("--config", type=Path, help="extraction config (default: ROOT/babel.cfg)")
    commands.add_parser("update", parents=[per_lang], help="messages.pot -> every .po")
    commands.add_parser("compile", parents=[per_lang], help=".po -> .mo")
    commands.add_parser("pretranslate", parents=[per_lang],
                        help="machine-translate empty entries (fuzzy)")
    check_ = commands.add_parser("check", parents=[per_lang], help="check the catalogs")
    check_.add_argument("--strict", action="store_true",
                        help="also fail while anything is untranslated or fuzzy (releases)")
    status_ = commands.add_parser("status", parents=[common], help="progress per edition")
    status_.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main_catalogs(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.locales is None:
            args.locales = settings.locales_dir
        return _COMMANDS[args.command](args, settings)
    except ConfigError as exc:
        print(f"l10n catalogs {args.command}: {exc}", file=sys.stderr)
        return 2
    except CatalogError as exc:
        print(f"l10n catalogs {args.command}: {exc}", file=sys.stderr)
        return 1


def _print_written(results: Iterable[Written]) -> int:
    for written in results:
        print(f"{written.path}: {written.action} ({written.messages} messages)")
    return 0


def _run_pretranslate(args: argparse.Namespace, settings: Settings) -> int:
    from l10n.translate.engine import Engine

    status = 0
    for result in pretranslate(args.locales, Engine(settings), args.lang):
        if result.error:
            print(f"{result.lang}: {result.error}", file=sys.stderr)
            status = 1
            continue
        print(f"{result.lang}: {len(result.filled)} entries machine-translated with "
              f"{result.model}, marked fuzzy for review")
        for msgid in result.rejected:
            print(f"{result.lang}: left empty, placeholders did not survive: {msgid!r}")
    return status


def _run_check(args: argparse.Namespace, settings: Settings) -> int:
    failed = False
    for checked in check_catalogs(args.locales, args.lang):
        for problem in checked.problems:
            print(problem)
        if checked.counts:
            c = checked.counts
            print(f"{checked.path}: {c.translated}/{c.total} translated ({c.percent}%), "
                  f"{c.fuzzy} fuzzy, {c.untranslated} untranslated, "
                  f"{len(checked.errors)} errors")
        failed |= checked.failed(args.strict)
    print("check failed" if failed else "check passed")
    return 1 if failed else 0


def _run_status(args: argparse.Namespace, settings: Settings) -> int:
    rows = catalog_status(args.locales)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        print(f"{row['language']:3} {row['locale']:6} {row['translated']:4}/{row['total']:<4} "
              f"{row['percent']:5.1f}%  fuzzy {row['fuzzy']:<3} untranslated "
              f"{row['untranslated']:<3} modified {row['last_modified']}")
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "extract": lambda a, s: _print_written([extract(a.locales, a.root, a.config)]),
    "update": lambda a, s: _print_written(update(a.locales, a.lang)),
    "compile": lambda a, s: _print_written(compile_catalogs(a.locales, a.lang)),
    "pretranslate": _run_pretranslate,
    "check": _run_check,
    "status": _run_status,
}
