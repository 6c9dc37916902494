"""`l10n` in-process, through click's test runner: exit code, stdout and stderr apart."""

from __future__ import annotations

from click.testing import CliRunner, Result

from l10n.cli import main


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="l10n")
