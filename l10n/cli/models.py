"""`l10n models list|install|remove`: the installed translation packages (docs/models.md)."""

from __future__ import annotations

from pathlib import Path

import click

from l10n.cli.base import FAILED, BadInput, Failed, Group, Pair
from l10n.config import Settings
from l10n.packages.demo import NOTICE
from l10n.packages.store import ModelStore


@click.group(cls=Group)
def models() -> None:
    """Install, list and remove translation models."""


def _store() -> tuple[Settings, ModelStore]:
    settings = Settings.from_env()
    return settings, ModelStore(settings.packages_dir)


@models.command("list")
def list_() -> None:
    """The installed models: pair, version, size, folder, DEMO for the demo models."""
    _, store = _store()
    installed, broken = store.scan()
    for folder, why in broken.items():
        click.echo(f"{folder}: BROKEN, not used: {why}", err=True)
    if not installed:
        click.echo(f"no models installed in {store.dir}")
    for m in installed:
        click.echo(f"{m.pair}\t{m.version}\t{m.size_bytes / 1e6:.1f} MB\t{m.path.name}"
                   + ("\tDEMO" if m.demo else ""))
    if any(m.demo for m in installed):
        click.echo(f"DEMO models (marked DEMO): translations {NOTICE}.")


@models.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def install(files: tuple[Path, ...]) -> None:
    """Install .argosmodel FILES; none: download the editions' models from L10N_MODEL_INDEX."""
    settings, store = _store()
    if not files:
        _install_from_index(store, settings)
        return
    for path in files:
        model = store.install(path)
        click.echo(f"installed {model.pair} {model.version} from {path}")


@models.command()
@click.argument("pairs", nargs=-1, type=Pair())
def remove(pairs: tuple[tuple[str, str], ...]) -> None:
    """Remove the models of PAIRS like en-de (exit 1 if none was installed)."""
    _, store = _store()
    removed = [m for source, target in pairs for m in store.remove(source, target)]
    for m in removed:
        click.echo(f"removed {m.pair} {m.version}")
    if not removed:
        raise click.exceptions.Exit(FAILED)


def _install_from_index(store: ModelStore, settings: Settings) -> None:
    from l10n.packages.index import DownloadError, IndexUnavailable, install_from_index

    try:
        install_from_index(store, settings.model_index, "en", settings.default_targets,
                           settings.download_timeout, report=click.echo)
    except IndexUnavailable as exc:
        raise BadInput(f"{exc}.\nOffline? Install package files instead: "
                       "`l10n models install FILE.argosmodel ...` (see docs/models.md); "
                       "L10N_MODEL_INDEX names another index or a local mirror.") from None
    except DownloadError as exc:
        raise Failed(f"not installed: {exc}") from None
