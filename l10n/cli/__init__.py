"""The `l10n` command line: batch translation, models, the translation memory, UI catalogs.

One click group, `main` (the `l10n` console script, `python -m l10n.cli`); one module per
command group. Every command reads its settings with `Settings.from_env()` and exits by the
one table in l10n/cli/base.py. Only this package prints; the library logs.
"""

from __future__ import annotations

import logging

import click

from l10n.cli import catalogs, memory, models, translate
from l10n.cli.base import EXIT_CODES, Group


@click.group(cls=Group, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="l10n", prog_name="l10n")
def main() -> None:
    """Translate and localise a news site's articles and UI strings (README.md, docs/)."""
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")


main.add_command(translate.translate)
main.add_command(models.models)
main.add_command(memory.memory)
main.add_command(catalogs.catalogs)
