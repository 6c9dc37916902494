"""`l10n memory export|import|purge|stats`: the translation memory (docs/memory.md).

Exit 2 for an unreadable or malformed file, 1 for a database error (e.g. locked > 30 s).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from l10n.cli.base import BadInput, Group, Pair
from l10n.config import Settings
from l10n.editions import LANGUAGES
from l10n.translate.memory import Memory
from l10n.translate.memory.exchange import FORMATS, export_file, import_file


@click.group(cls=Group)
def memory() -> None:
    """The translation memory: export, import, purge, stats."""


@contextmanager
def _opened() -> Iterator[Memory]:
    """The memory of the settings; a file that cannot be read or written exits 2."""
    try:
        store = Memory.from_settings(Settings.from_env())
    except OSError as exc:
        raise BadInput(str(exc)) from None
    try:
        yield store
    except (ValueError, OSError) as exc:  # MemoryFileError, unreadable files
        raise BadInput(str(exc)) from None
    finally:
        store.close()


@memory.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="default: tmx for a *.tmx FILE, else jsonl")
def export(file: Path, fmt: str | None) -> None:
    """Write every entry to FILE (atomically)."""
    fmt = fmt or ("tmx" if file.suffix.lower() == ".tmx" else "jsonl")
    with _opened() as store:
        count = export_file(store, file, fmt)
    click.echo(f"exported {count} entries to {file} ({fmt})")


@memory.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def import_(file: Path) -> None:
    """Add the entries of a JSONL or TMX file (told apart by content)."""
    with _opened() as store:
        count, skipped = import_file(store, file)
    click.echo(f"imported {count} entries from {file}"
               + (f"; skipped {skipped} in languages the service does not serve" if skipped else ""))


@memory.command()
@click.option("--pair", type=Pair(LANGUAGES), help="e.g. en-de")
@click.option("--model", metavar="KEY", help="a model key, as `stats` lists them")
@click.option("--corrections", is_flag=True,
              help="also delete human corrections (of --pair, or all)")
def purge(pair: tuple[str, str] | None, model: str | None, corrections: bool) -> None:
    """Delete machine entries: all, or those of a pair and/or a model."""
    if model and corrections:
        raise click.UsageError("--model and --corrections exclude each other")
    with _opened() as store:
        count = store.purge(pair, model, corrections)
        click.echo(f"purged {count} entries from {store.path}")


@memory.command()
def stats() -> None:
    """Entries per pair and model, and the newest entry of each."""
    with _opened() as store:
        counts = store.stats()
        for c in counts:
            click.echo(f"{c.pair}\t{c.model_key or 'human corrections'}\t{c.entries}\t{c.newest}")
        click.echo(f"{sum(c.entries for c in counts)} entries in {store.path} "
                   f"({store.path.stat().st_size / 1e6:.1f} MB)")
