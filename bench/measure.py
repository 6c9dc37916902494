"""One benchmark measurement, run by bench/run.py in a fresh process of its own.

    python bench/measure.py {raw|pipeline|naive|memory|batch} --models DIR [options]

A fresh process per measurement makes the peak RSS figure that measurement's own, and keeps
argostranslate's process-global state (settings read at import, cached translators) from
leaking between them. Prints one JSON object. Model loading is done before the clock starts
(except for `batch`, which times a whole `l10n translate` run, as a newsroom sees it).

Single-threaded measurements report CPU time besides wall time: on a shared machine, other
processes inflate the wall time of a run (it waits for a core) but hardly its CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Self

from sentences import articles, sentences

from l10n.config import Settings

TARGET = "de"


def _settings(args: argparse.Namespace, data_dir: Path) -> Settings:
    return replace(Settings(), data_dir=data_dir, models_dir=args.models, beam_size=args.beam,
                   intra_threads=args.intra, inter_threads=args.inter)


class Clock:
    """Wall and CPU seconds (of all this process' threads) spent in a `with` block."""

    def __enter__(self) -> Self:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def figures(self, prefix: str = "") -> dict:
        return {f"{prefix}seconds": self.wall, f"{prefix}cpu_seconds": self.cpu}


def _peak_rss_mb() -> float:
    """This process' peak RSS since it started. Not ru_maxrss: Linux carries that over from
    the parent through fork and exec (bench/run.py holds 1.3 GB after building the model)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def raw(args: argparse.Namespace, data_dir: Path) -> dict:
    """CTranslate2 alone: every sentence in one translate_batch call (the limit)."""
    import ctranslate2
    import sentencepiece

    from l10n.packages.store import ModelStore

    settings = _settings(args, data_dir)
    model = ModelStore(args.models).find("en", TARGET)
    assert model is not None
    translator = ctranslate2.Translator(str(model.path / "model"), device="cpu",
                                        compute_type=settings.compute_type,
                                        intra_threads=args.intra, inter_threads=args.inter)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
    tokens = [sp.encode(s, out_type=str) for s in sentences()]
    with Clock() as clock:
        results = translator.translate_batch(tokens, beam_size=settings.beam_size,
                                             patience=settings.patience,
                                             max_batch_size=settings.max_batch_size)
    return {**clock.figures(), "segments": len(tokens),
            "source_tokens": sum(map(len, tokens)),
            "target_tokens": sum(len(r.hypotheses[0]) for r in results)}


def pipeline(args: argparse.Namespace, data_dir: Path) -> dict:
    """The project's pipeline, article by article: cold (empty memory), then warm."""
    from l10n.translate.article import Article
    from l10n.translate.engine import Engine
    from l10n.translate.memory import Memory
    from l10n.translate.pipeline import Pipeline

    settings = _settings(args, data_dir)
    engine = Engine(settings)
    engine.model_for("en", TARGET)
    memory = Memory.from_settings(settings)
    pipe = Pipeline(settings, engine, memory=memory)
    work = [Article(title=a.title, body=a.body, source="en", targets=(TARGET,))
            for a in articles()]
    result: dict = {"segments": len(sentences())}
    for prefix in ("", "warm_"):  # cold (an empty memory), then warm
        sent = engine.segments
        with Clock() as clock:
            for article in work:
                pipe.translate_article(article)
        result |= {**clock.figures(prefix), f"{prefix}engine_segments": engine.segments - sent}
    return {**result, "memory_hits": memory.hits}


def naive(args: argparse.Namespace, data_dir: Path) -> dict:
    """argostranslate.translate, field by field (it works paragraph by paragraph): what
    LibreTranslate does for each request.

    Offline sentence splitting: the bench packages carry a blank spaCy pipeline (`spacy/`,
    see build_model.py) and ARGOS_CHUNK_TYPE=SPACY makes argostranslate use it. With that
    chunk type argostranslate also looks, at import, for its cached multilingual spaCy model
    and downloads it when missing; an empty folder where it looks stops the download (the
    packaged pipeline is used either way).
    """
    cache = data_dir / "cache"
    (cache / "argos-translate" / "spacy" / "senter" / "model").mkdir(parents=True)
    os.environ.update({
        "ARGOS_PACKAGES_DIR": str(args.models), "ARGOS_CHUNK_TYPE": "SPACY",
        "ARGOS_BEAM_SIZE": str(args.beam), "ARGOS_INTRA_THREADS": str(args.intra),
        "ARGOS_INTER_THREADS": str(args.inter), "ARGOS_COMPUTE_TYPE": "int8",
        "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(data_dir / "data"),
        "XDG_CONFIG_HOME": str(data_dir / "config"),
    })
    from argostranslate import translate

    translation = translate.get_translation_from_codes("en", TARGET)
    translation.translate("Warm-up: load the model and the sentence splitter.")
    with Clock() as clock:
        for article in articles():
            translation.translate(article.title)
            translation.translate(article.body.replace("\n\n", "\n"))
    return {**clock.figures(), "segments": len(sentences())}


def memory(args: argparse.Namespace, data_dir: Path) -> dict:
    """One demo article into five editions: with an empty memory, then again."""
    from l10n.translate.article import parse_article
    from l10n.translate.engine import Engine
    from l10n.translate.memory import Memory
    from l10n.translate.pipeline import Pipeline

    settings = _settings(args, data_dir)
    engine = Engine(settings)
    for target in settings.default_targets:
        engine.model_for("en", target)
    pipe = Pipeline(settings, engine, memory=Memory.from_settings(settings))
    body = json.loads(args.article.read_text(encoding="utf-8"))
    article = parse_article({**body, "source": "en"}, settings)
    result: dict = {"article": args.article.name, "targets": list(article.targets)}
    for prefix in ("cold_", "warm_"):
        with Clock() as clock:
            pipe.translate_article(article)
        result |= clock.figures(prefix)
    return {**result, "segments": engine.segments,
            "speedup": result["cold_cpu_seconds"] / result["warm_cpu_seconds"]}


def batch(args: argparse.Namespace, data_dir: Path) -> dict:
    """A whole `l10n translate` run into five editions: the three demo articles and the first
    benchmark article (four articles of ~20 sentences, so that two workers get equal shares)."""
    import io
    import shutil

    from l10n.batch import run

    folder = data_dir / "in"
    shutil.copytree(args.articles, folder)
    for number, article in enumerate(articles()[:1]):
        (folder / f"bench-{number}.json").write_text(json.dumps(
            {"title": article.title, "body": article.body, "source": "en"}))
    settings = _settings(args, data_dir)
    summary = run(settings, folder, data_dir / "out", settings.default_targets,
                  jobs=args.jobs, stream=io.StringIO())
    assert not summary.failed, summary.failed
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": summary.seconds, "articles": summary.translated,
            "segments": summary.segments, "jobs": args.jobs, "intra_threads": args.intra,
            "inter_threads": args.inter, "peak_rss_mb_worker": round(workers, 1)}


MEASURES = {f.__name__: f for f in (raw, pipeline, naive, memory, batch)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("measure", choices=MEASURES)
    parser.add_argument("--models", type=Path, required=True, help="installed bench packages")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--intra", type=int, default=1)
    parser.add_argument("--inter", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--article", type=Path, help="memory: the demo article")
    parser.add_argument("--articles", type=Path, help="batch: the folder of articles")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        result = MEASURES[args.measure](args, Path(tmp))
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
