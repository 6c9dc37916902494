"""`l10n translate IN_DIR OUT_DIR`: a batch run (docs/batch.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from l10n.cli.base import FAILED, INTERRUPTED, BadInput
from l10n.config import Settings
from l10n.editions import LANGUAGES
from l10n.errors import ServiceError
from l10n.packages import demo
from l10n.packages.store import ModelStore


class _ManyValues(click.Command):
    """Lets `--targets ru de fr` take every value up to the next option, as documented,
    by rewriting it to the `--targets ru --targets de --targets fr` click parses."""

    many = ("--targets",)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        spread: list[str] = []
        option, taken = None, 0
        for arg in [*args, "--"]:
            if option and (arg in self.many or arg.startswith("-")) and not taken:
                spread.append(option)  # no value: click says so
            if arg in self.many:
                option, taken = arg, 0
            elif option and not arg.startswith("-"):
                spread += [option, arg]
                taken += 1
            else:
                option = None
                spread.append(arg)
        return super().parse_args(ctx, spread[:-1])


@click.command(cls=_ManyValues)
@click.argument("in_dir", type=click.Path(path_type=Path))
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--targets", multiple=True, metavar="LANG...", type=click.Choice(LANGUAGES),
              help="editions to write (default: L10N_DEFAULT_TARGETS)")
@click.option("--source", default="en", show_default=True,
              help="source language of the models to ensure")
@click.option("--jobs", type=int, metavar="N",
              help="articles translated at once, in worker processes; 0: one per CPU core "
                   "(default: L10N_BATCH_JOBS, 0; see docs/batch.md)")
def translate(in_dir: Path, out_dir: Path, targets: tuple[str, ...], source: str,
              jobs: int | None) -> None:
    """Translate a folder of articles into every edition, incrementally.

    Exit 0: all translated (or unchanged); 1: some articles failed; 2: cannot start;
    130 / 143: stopped by Ctrl+C / SIGTERM (finished articles are kept: run again).
    """
    from l10n.batch.pool import cpu_count
    from l10n.batch.run import SUMMARY, BatchError, run

    settings = Settings.from_env()
    if not in_dir.is_dir():
        raise BadInput(f"input folder not found: {in_dir}")
    jobs = settings.batch_jobs if jobs is None else jobs
    if jobs < 0:
        raise BadInput("--jobs (L10N_BATCH_JOBS) must be 0 (one per core) or more")
    wanted = list(targets or settings.default_targets)
    ensure_models(settings, source, wanted)
    try:
        summary = run(settings, in_dir, out_dir, wanted, jobs=jobs or cpu_count(),
                      stream=sys.stdout)
    except BatchError as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"\n{summary.text()}\nOutput: {out_dir}/<lang>/; report: {out_dir / SUMMARY}")
    if summary.interrupted:
        raise click.exceptions.Exit(INTERRUPTED[summary.interrupted])
    if summary.failed:
        raise click.exceptions.Exit(FAILED)


def ensure_models(settings: Settings, source: str, targets: list[str]) -> None:
    """Install the bundled demo models for missing pairs, saying so plainly."""
    store = ModelStore(settings.packages_dir)
    missing = [t for t in targets if t != source and store.find(source, t) is None]
    if not missing:
        return
    files = {p.stem: p for p in demo.model_files()}
    wanted = [files[f"{source}_{t}"] for t in missing if f"{source}_{t}" in files]
    if len(wanted) < len(missing):
        raise ServiceError(
            f"no model installed for {', '.join(f'{source}-{t}' for t in missing)}; "
            "install one with `l10n models install FILE.argosmodel` (or `make models` online)",
            code="models_missing")
    click.echo(f"No installed model for {', '.join(missing)}: installing the bundled DEMO "
               f"models into {store.dir}.\nThe demo models only know the demo corpus "
               "(fixtures/corpus/); install real Argos models for real articles (see README, "
               "'Models').", err=True)
    for path in wanted:
        store.install(path)
