"""What every `l10n` command shares: the exit-code table and the mapping of the library's
errors onto it, so that no command decides on its own what a failure exits with."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import click

from l10n.config import ConfigError
from l10n.errors import ServiceError
from l10n.localise.glossary import GlossaryError
from l10n.packages.store import PackageError

OK, FAILED, BAD_INPUT = 0, 1, 2
INTERRUPTED = {"SIGINT": 130, "SIGTERM": 143}
EXIT_CODES = f"""\b
Exit codes (every command):
  {OK}         done
  {FAILED}         some of the work failed (each failure is reported)
  {BAD_INPUT}         bad input or setting: usage, a missing or unreadable file, an L10N_*
            variable with a value that cannot be used (the message names it)
  {INTERRUPTED["SIGINT"]}, {INTERRUPTED["SIGTERM"]}  stopped by Ctrl+C, SIGTERM (`translate`: run again to resume)"""


class Failed(click.ClickException):
    """Exit 1: the work was tried and (some of it) failed."""

    exit_code = FAILED

    def __init__(self, message: str, command: str | None = None) -> None:
        super().__init__(message)
        ctx = click.get_current_context(silent=True)
        self.command = command or (ctx.command_path if ctx else "l10n")

    def show(self, file: Any = None) -> None:
        click.echo(f"{self.command}: {self.format_message()}", err=True)


class BadInput(Failed):
    """Exit 2: the command cannot start (bad input, bad setting)."""

    exit_code = BAD_INPUT


class Group(click.Group):
    """A command group whose commands' errors exit by the table: a setting the service cannot
    use, a bad glossary, request or package (2), a database that failed (1), Ctrl+C (130)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ConfigError, GlossaryError, PackageError) as exc:
            raise BadInput(str(exc), _path(ctx)) from None
        except ServiceError as exc:
            raise BadInput(exc.message, _path(ctx)) from None
        except sqlite3.Error as exc:
            raise Failed(str(exc), _path(ctx)) from None
        except KeyboardInterrupt:
            click.echo(f"{_path(ctx)}: interrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED["SIGINT"]) from None


def _path(ctx: click.Context) -> str:
    """The command that failed: the group's path and the subcommand it was running."""
    return " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))


class Pair(click.ParamType):
    """SRC-TGT, e.g. en-de: the languages of a model or of memory entries."""

    name = "SRC-TGT"

    def __init__(self, languages: Sequence[str] | None = None) -> None:
        self.languages = languages  # None: any codes (models of languages no edition has)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        source, _, target = str(value).partition("-")
        known = self.languages
        if not (source and target) or (known is not None and not {source, target} <= set(known)):
            self.fail(f"{value!r} is not a pair like en-de", param, ctx)
        return source, target
