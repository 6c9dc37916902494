"""A batch run: what changed under IN_DIR is translated into OUT_DIR, incrementally.

Output: `OUT_DIR/<lang>/<same relative path>` in the input's format (files.py), every file
written atomically. `OUT_DIR/summary.json` reports the run. Incremental and resumable: the
manifest (manifest.py) is rewritten after each article's outputs are on disk, so an
interrupted run — Ctrl+C, SIGTERM or SIGKILL — loses at most the articles in flight, and the
next run skips what is done. An edited article is translated again, but through the
translation memory: only its changed segments reach the engine. A lock file keeps two runs
from writing into one OUT_DIR.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from l10n.atomic import write_atomic
from l10n.batch.files import find_articles
from l10n.batch.manifest import Manifest
from l10n.batch.pool import Job, Outcome, make_pipeline, outcomes
from l10n.batch.progress import progress_for
from l10n.config import Settings
from l10n.packages.demo import NOTICE

if TYPE_CHECKING:
    from l10n.translate.pipeline import Pipeline

log = logging.getLogger(__name__)

SUMMARY = "summary.json"
LOCK = ".l10n-lock"


class BatchError(Exception):
    """The run cannot start (output folder locked or unusable)."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl+C: stop after writing what is finished."""


@dataclass
class Summary:
    articles: int = 0  # article files found
    translated: int = 0
    skipped: int = 0  # unchanged since the last run
    failed: list[dict] = field(default_factory=list)  # {"article", "error"}
    segments: int = 0  # translatable units written (all editions)
    engine_segments: int = 0  # of which sent to the engine
    engine_calls: int = 0
    memory_hits: int = 0  # of which found in the translation memory
    flagged_segments: int = 0
    flagged: list[dict] = field(default_factory=list)  # {"article", "language", "field", ...}
    seconds: float = 0.0
    targets: list[str] = field(default_factory=list)
    jobs: int = 1
    interrupted: str | None = None  # "SIGINT" or "SIGTERM" when the run was stopped
    demo: list[str] = field(default_factory=list)  # articles translated by demo models
    notice: str | None = None  # the demo label in plain words, when `demo` is not empty

    def add(self, outcome: Outcome) -> None:
        if outcome.demo:
            self.demo.append(outcome.relative)
            self.notice = "Editions of these articles were " + NOTICE + "."
        self.engine_calls += outcome.engine_calls
        self.engine_segments += outcome.engine_segments
        self.memory_hits += outcome.memory_hits
        if outcome.error is not None:
            self.failed.append({"article": outcome.relative, "error": outcome.error})
            return
        self.translated += 1
        self.segments += outcome.segments
        self.flagged_segments += len(outcome.flagged)
        self.flagged += outcome.flagged

    def text(self) -> str:
        stopped = f" (INTERRUPTED by {self.interrupted}; run again to resume)" \
            if self.interrupted else ""
        return (f"{self.translated}/{self.articles} articles translated into "
                f"{', '.join(self.targets)}, {self.skipped} unchanged, {len(self.failed)} "
                f"failed{stopped}; {self.segments} segments ({self.memory_hits} from memory, "
                f"{self.engine_segments} through the engine in {self.engine_calls} calls), "
                f"{self.flagged_segments} flagged for review; {self.seconds:.1f} s"
                + (f"\nDEMO MODELS: {len(self.demo)} articles were {NOTICE}." if self.demo else ""))


def run(settings: Settings, in_dir: Path, out_dir: Path, targets: Sequence[str],
        jobs: int = 1, stream: TextIO = sys.stdout,
        pipeline: Pipeline | None = None) -> Summary:
    """Translate what changed under `in_dir` into `out_dir`; see the module docstring.

    `jobs` > 1 translates that many articles at once in worker processes, each with its own
    engine (and `settings.intra_threads` threads); `pipeline` (tests) replaces the in-process
    one when `jobs` is 1.
    """
    started = time.monotonic()
    summary = Summary(targets=list(targets), jobs=jobs)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir), _sigterm_interrupts():
        _remove_stale_temporaries(out_dir)
        manifest = Manifest(out_dir)
        pipeline = pipeline or (make_pipeline(settings) if jobs == 1 else None)
        found, work = _plan(settings, in_dir, out_dir, targets, manifest, pipeline)
        summary.articles, summary.skipped = found, found - len(work)
        progress = progress_for(stream)
        progress.start(len(work), summary.skipped)
        finished = outcomes(work, settings, in_dir, out_dir, jobs, pipeline)
        try:
            for outcome in finished:
                if outcome.done is not None:
                    manifest.record(outcome.relative, outcome.done)
                summary.add(outcome)
                progress.advance(outcome)
        except KeyboardInterrupt as exc:
            summary.interrupted = "SIGTERM" if isinstance(exc, Interrupted) else "SIGINT"
            log.warning("%s: run stopped by %s; finished articles are kept", out_dir,
                        summary.interrupted)
        finally:
            finished.close()  # stops the worker processes now, not at garbage collection
            progress.close()
            summary.seconds = round(time.monotonic() - started, 3)
            write_atomic(out_dir / SUMMARY,
                         json.dumps(asdict(summary), ensure_ascii=False, indent=2) + "\n")
    return summary


def _plan(settings: Settings, in_dir: Path, out_dir: Path, targets: Sequence[str],
          manifest: Manifest, pipeline: Pipeline | None) -> tuple[int, list[Job]]:
    """How many articles there are, and those (with, per article, the targets) that need
    translating."""
    from l10n.localise.glossary import GlossaryFile
    from l10n.packages.store import ModelStore

    glossary = (pipeline.glossary if pipeline else GlossaryFile(settings.glossary)).get().version
    store = ModelStore(settings.packages_dir)
    keys: dict[tuple[str, str], str | None] = {}

    def model_key(source: str, target: str) -> str | None:
        if (source, target) not in keys:
            keys[(source, target)] = store.route_key(source, target)
        return keys[(source, target)]

    jobs = []
    articles = find_articles(in_dir, exclude=out_dir.resolve())
    for relative in articles:
        try:
            sha256 = hashlib.sha256((in_dir / relative).read_bytes()).hexdigest()
        except OSError:
            sha256 = ""  # unreadable: the worker reports it
        wanted = manifest.pending(relative, sha256, targets, glossary, model_key, out_dir)
        if wanted:
            jobs.append(Job(relative, tuple(wanted)))
    return len(articles), jobs


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold `OUT_DIR/.l10n-lock` for the run (released by the kernel even on SIGKILL)."""
    with open(out_dir / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchError(f"another `l10n translate` is writing to {out_dir}") from None
        yield


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM (systemd, docker stop, kill) into the same clean stop as Ctrl+C."""
    def stop(signum, frame):
        raise Interrupted()

    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files of write_atomic left by a killed run (only ours: we hold the lock)."""
    for path in out_dir.rglob(".*.tmp"):
        log.info("removing %s, left by a run that was killed", path)
        path.unlink(missing_ok=True)
