"""`python -m l10n.cli`: the same as the `l10n` console script."""

from l10n.cli import main

main(prog_name="l10n")
