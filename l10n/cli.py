"""The `l10n` command line: batch translation, models, catalogs.

Exit codes: 0 success, 1 some work failed (reported), 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from l10n.config import ConfigError, Settings
from l10n.editions import LANGUAGES
from l10n.errors import ServiceError
from l10n.packages import demo
from l10n.packages.demo import NOTICE
from l10n.packages.store import ModelStore, PackageError


def _store(settings: Settings) -> ModelStore:
    return ModelStore(settings.packages_dir)


def ensure_models(settings: Settings, source: str, targets: list[str]) -> None:
    """Install the bundled demo models for missing pairs, saying so plainly."""
    store = _store(settings)
    missing = [t for t in targets if t != source and store.find(source, t) is None]
    if not missing:
        return
    files = {p.stem: p for p in demo.model_files()}
    wanted = [files.get(f"{source}_{t}") for t in missing]
    if not all(wanted):
        raise ServiceError(
            f"no model installed for {', '.join(f'{source}-{t}' for t in missing)}; "
            "install one with `l10n models install FILE.argosmodel` (or `make models` online)",
            code="models_missing")
    print(f"No installed model for {', '.join(missing)}: installing the bundled DEMO models "
          f"into {store.dir}.\nThe demo models only know the demo corpus (fixtures/corpus/); "
          "install real Argos models for real articles (see README, 'Models').", file=sys.stderr)
    for path in wanted:
        store.install(path)


def cmd_translate(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0: all translated (or unchanged); 1: some articles failed; 2: cannot start;
    130 / 143: stopped by Ctrl+C / SIGTERM (finished articles are kept: run again)."""
    from l10n.batch import SUMMARY, BatchError, cpu_count, run

    if not args.in_dir.is_dir():
        print(f"l10n translate: input folder not found: {args.in_dir}", file=sys.stderr)
        return 2
    jobs = settings.batch_jobs if args.jobs is None else args.jobs
    if jobs < 0:
        print("l10n translate: --jobs (L10N_BATCH_JOBS) must be 0 (one per core) or more",
              file=sys.stderr)
        return 2
    targets = args.targets or list(settings.default_targets)
    ensure_models(settings, args.source, targets)
    try:
        summary = run(settings, args.in_dir, args.out_dir, targets, jobs=jobs or cpu_count())
    except BatchError as exc:
        print(f"l10n translate: {exc}", file=sys.stderr)
        return 2
    print(f"\n{summary.text()}\nOutput: {args.out_dir}/<lang>/; report: "
          f"{args.out_dir / SUMMARY}")
    if summary.interrupted:
        return 143 if summary.interrupted == "SIGTERM" else 130
    return 1 if summary.failed else 0


def cmd_models(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    if args.action == "list":
        models, broken = store.scan()
        for folder, why in broken.items():
            print(f"{folder}: BROKEN, not used: {why}", file=sys.stderr)
        if not models:
            print(f"no models installed in {store.dir}")
        for m in models:
            print(f"{m.pair}\t{m.version}\t{m.size_bytes / 1e6:.1f} MB\t{m.path.name}"
                  + ("\tDEMO" if m.demo else ""))
        if any(m.demo for m in models):
            print(f"DEMO models (marked DEMO): translations {NOTICE}.")
        return 0
    if args.action == "install":
        if not args.files:
            return _install_from_index(store, settings)
        for path in args.files:
            model = store.install(path)
            print(f"installed {model.pair} {model.version} from {path}")
        return 0
    if args.action == "remove":
        removed = [m for pair in args.files for m in store.remove(*str(pair).split("-", 1))]
        for m in removed:
            print(f"removed {m.pair} {m.version}")
        return 0 if removed else 1
    raise AssertionError(args.action)


def _install_from_index(store: ModelStore, settings: Settings) -> int:
    """`l10n models install` without files: the editions' models from the package index."""
    from l10n.packages.index import DownloadError, IndexUnavailable, install_from_index

    try:
        install_from_index(store, settings.model_index, "en", settings.default_targets,
                           settings.download_timeout)
    except IndexUnavailable as exc:
        print(f"l10n models install: {exc}.\nOffline? Install package files instead: "
              "`l10n models install FILE.argosmodel ...` (see docs/models.md); "
              "L10N_MODEL_INDEX names another index or a local mirror.", file=sys.stderr)
        return 2
    except DownloadError as exc:
        print(f"l10n models install: not installed: {exc}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="l10n", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    tr = sub.add_parser("translate", help="translate a folder of articles into every edition")
    tr.add_argument("in_dir", type=Path)
    tr.add_argument("out_dir", type=Path)
    tr.add_argument("--targets", nargs="+", metavar="LANG", choices=LANGUAGES)
    tr.add_argument("--source", default="en", help="source language of the models to ensure")
    tr.add_argument("--jobs", type=int, metavar="N",
                    help="articles translated at once, in worker processes; 0: one per CPU "
                         "core (default: L10N_BATCH_JOBS, 0; see docs/batch.md)")
    tr.set_defaults(func=cmd_translate)

    models = sub.add_parser("models", help="install, list and remove translation models")
    models.add_argument("action", choices=["list", "install", "remove"])
    models.add_argument("files", nargs="*", type=Path,
                        help="install: .argosmodel files (none: download the editions' models "
                             "from L10N_MODEL_INDEX); remove: pairs like en-de")
    models.set_defaults(func=cmd_models)

    sub.add_parser("catalogs", help="gettext catalogs (see `l10n catalogs -h`)", add_help=False)
    sub.add_parser("memory", help="the translation memory (see `l10n memory -h`)", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "catalogs":  # these have their own parser for the remaining arguments
        from l10n.catalogs import main_catalogs

        return main_catalogs(rest)
    if args.command == "memory":
        from l10n.translate.memory import main_memory

        return main_memory(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        settings = Settings.from_env()
        return args.func(args, settings)
    except (ConfigError, PackageError) as exc:
        print(f"l10n: {exc}", file=sys.stderr)
        return 2
    except ServiceError as exc:
        print(f"l10n: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("l10n: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
