"""One article into five editions: one edition after another, then concurrently.

    python bench/concurrency.py     # alone (figures merged into bench/results.json), or via run.py

The pipeline translates the editions of one request on a thread pool (`L10N_TARGET_WORKERS`,
default: one thread per core) while CTranslate2 releases the GIL; this measures what that
gains on this machine against the same pipeline with one worker, and against raw CTranslate2
doing the same translate_batch calls one after another and concurrently (the limit). Wall
seconds, best of REPEATS; the CPU seconds per wall second show how many cores were busy.
Both pipeline runs must give identical editions.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.config import Settings  # noqa: E402

REPEATS = 3
TARGETS = ("ru", "de", "fr", "pt", "es")


def _best(work) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall seconds, CPU seconds) of the fastest of REPEATS runs of `work()`."""
    runs = []
    for _ in range(REPEATS):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(runs)


def measure(models: Path) -> dict:
    import ctranslate2
    from sentences import articles

    from l10n.markup.registry import parse_document
    from l10n.packages import tokenizers
    from l10n.translate.article import Article
    from l10n.translate.engine import Engine, choose_device
    from l10n.translate.pipeline import Pipeline

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        base = replace(Settings(), data_dir=Path(tmp), models_dir=models)
        engine = Engine(base)
        for target in TARGETS:
            engine.model_for("en", target)
        first = articles()[0]
        article = Article(title=first.title, body=first.body, source="en", targets=TARGETS)
        sequential = Pipeline(replace(base, target_workers=1), engine)
        concurrent = Pipeline(replace(base, target_workers=cores), engine)
        assert sequential.translate_article(article).editions == \
            concurrent.translate_article(article).editions
        seq = _best(lambda: sequential.translate_article(article))
        par = _best(lambda: concurrent.translate_article(article))

        device = choose_device(base)
        units = [u.text for text in (first.title, first.body)
                 for u in parse_document(text, "text", "en").units]
        jobs = []
        for target in TARGETS:
            model = engine.model_for("en", target)
            tok = tokenizers.load(model.path, "en", target)
            translator = ctranslate2.Translator(
                str(model.path / "model"), device=device.device, compute_type=device.compute_type,
                inter_threads=1, intra_threads=base.intra_threads)
            tokens = [tok.encode(u) for u in units]
            longest = max(map(len, tokens))

            def call(translator=translator, tokens=tokens, longest=longest) -> None:  # type: ignore[no-untyped-def]
                translator.translate_batch(tokens, beam_size=base.beam_size,
                                           patience=base.patience,
                                           max_batch_size=base.max_batch_size,
                                           max_decoding_length=2 * longest + 16)

            jobs.append(call)
        raw_seq = _best(lambda: [job() for job in jobs])
        with ThreadPoolExecutor(cores) as pool:
            raw_par = _best(lambda: list(pool.map(lambda job: job(), jobs)))

    def row(figures: tuple[float, float]) -> dict:
        return {"wall_s": round(figures[0], 3), "cpu_s": round(figures[1], 3),
                "busy_cores": round(figures[1] / figures[0], 2)}

    return {
        "work": f"one article ({len(units)} segments) into {len(TARGETS)} editions, beam "
                f"{base.beam_size}",
        "cores": cores, "workers": cores,
        "pipeline_sequential": row(seq), "pipeline_concurrent": row(par),
        "raw_sequential": row(raw_seq), "raw_concurrent": row(raw_par),
        "speedup": round(seq[0] / par[0], 2), "raw_speedup": round(raw_seq[0] / raw_par[0], 2),
        "concurrent_pipeline/raw": round(raw_par[0] / par[0], 2),
    }


def line(figures: dict) -> str:
    """The figures in one sentence, for docs/bench.md."""
    f = figures
    return (f"{f['work'].capitalize()} on {f['cores']} cores: editions one after another "
            f"{f['pipeline_sequential']['wall_s']} s, concurrently "
            f"{f['pipeline_concurrent']['wall_s']} s (×{f['speedup']}, "
            f"{f['pipeline_concurrent']['busy_cores']} cores busy); raw CTranslate2, the same "
            f"calls: {f['raw_sequential']['wall_s']} s → {f['raw_concurrent']['wall_s']} s "
            f"(×{f['raw_speedup']}).")


def main() -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    import build_model
    from run import RESULTS, WORK, install

    models = install(build_model.build(WORK / "packages"), WORK / "models")
    figures = measure(models)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results["concurrency"] = figures
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
