"""Translating article files: one Worker (one pipeline) per process, and the pool that runs
them, in this process or in `jobs` worker processes, yielding each article's Outcome as it
finishes.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from l10n.atomic import write_atomic
from l10n.batch.files import kind_of, read_article, render_output
from l10n.batch.manifest import Done
from l10n.config import Settings
from l10n.errors import ServiceError
from l10n.translate import documents

if TYPE_CHECKING:
    from l10n.translate.pipeline import Pipeline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    relative: str
    targets: tuple[str, ...]


@dataclass
class Outcome:
    """One article's result, sent back from a worker process."""

    relative: str
    targets: tuple[str, ...]
    done: Done | None = None
    error: str | None = None
    segments: int = 0  # translatable units in the written editions
    engine_segments: int = 0  # of which sent to the engine (the rest came from memory)
    engine_calls: int = 0
    memory_hits: int = 0
    flagged: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    demo: bool = False  # a demo (fixture) model made one of its editions


class Worker:
    """Translates article files with one pipeline (one per process)."""

    def __init__(self, pipeline: Pipeline, in_dir: Path, out_dir: Path) -> None:
        self.pipeline, self.in_dir, self.out_dir = pipeline, in_dir, out_dir

    def __call__(self, job: Job) -> Outcome:
        started = time.monotonic()
        outcome = Outcome(job.relative, job.targets)
        engine, memory = self.pipeline.engine, self.pipeline.memory
        calls, sent, hits = engine.calls, engine.segments, memory.hits if memory else 0
        try:
            outcome.done = self._translate(job, outcome)
        except (ServiceError, ValueError, OSError) as exc:
            outcome.error = getattr(exc, "message", None) or str(exc)
        except Exception as exc:
            log.exception("internal error on %s", job.relative)
            outcome.error = f"internal error: {type(exc).__name__}: {exc}"
        outcome.engine_calls = engine.calls - calls
        outcome.engine_segments = engine.segments - sent
        outcome.memory_hits = (memory.hits - hits) if memory else 0
        outcome.seconds = time.monotonic() - started
        return outcome

    def _translate(self, job: Job, outcome: Outcome) -> Done:
        raw = (self.in_dir / job.relative).read_bytes()
        kind = kind_of(job.relative)
        if kind == "document":
            return self._document(job, raw, outcome)
        text, article = read_article(raw, kind, job.targets, self.pipeline.settings)
        result = self.pipeline.translate_article(article)
        for target in result.editions:
            write_atomic(self.out_dir / target / job.relative,
                         render_output(kind, text, article, result, target))
            edition = result.editions[target]
            outcome.demo |= edition.demo
            outcome.segments += edition.segments
            outcome.flagged += [{"article": job.relative, "language": target, "field": s.field,
                                 "index": s.index, "flags": list(s.flags)}
                                for s in edition.flagged]
        if result.failed:  # the other editions are written; this article is reported
            raise ServiceError("; ".join(f.message for f in result.failed.values()),
                               code="edition_failed")
        return self._done(job, raw, result.source.language)


    def _document(self, job: Job, raw: bytes, outcome: Outcome) -> Done:
        """A document file into each edition, as the document API translates it."""
        doc = documents.open_document(raw, job.relative, self.pipeline.settings)
        source = ""
        for target in job.targets:
            done = documents.translate_document(doc, "auto", target, self.pipeline)
            source = done.source.language
            write_atomic(self.out_dir / target / job.relative, done.data)
            route = self.pipeline.engine.route(source, target)
            outcome.demo |= any(self.pipeline.engine.model_for(a, b).demo
                                for a, b in zip(route, route[1:]))
            outcome.segments += done.segments
            outcome.flagged += [{"article": job.relative, "language": target,
                                 "field": flagged.part, "flags": list(flagged.flags)}
                                for flagged in done.flagged]
        return self._done(job, raw, source)

    def _done(self, job: Job, raw: bytes, source: str) -> Done:
        """What the manifest keeps of a file: its content, and what translated it."""
        store = self.pipeline.engine.store
        return Done(
            sha256=hashlib.sha256(raw).hexdigest(), source=source,
            glossary=self.pipeline.glossary.get().version,
            models={t: store.route_key(source, t) or "" for t in job.targets if t != source})


def make_pipeline(settings: Settings) -> Pipeline:
    """The batch pipeline: the engine and the translation memory of `settings`."""
    from l10n.translate.engine import Engine
    from l10n.translate.memory import Memory
    from l10n.translate.pipeline import Pipeline

    return Pipeline(settings, Engine(settings), memory=Memory.from_settings(settings))


_worker: Worker | None = None  # the worker of a pool process


def cpu_count() -> int:
    """The CPU cores this process may run on: the default number of worker processes."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_worker(settings: Settings, in_dir: Path, out_dir: Path, parent: int) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler came with fork()
    _die_with(parent)
    _worker = Worker(make_pipeline(settings), in_dir, out_dir)


def _die_with(parent: int) -> None:
    """A worker must not go on translating into OUT_DIR after its parent was SIGKILLed
    (kill -9, the OOM killer): the next run owns OUT_DIR then. Linux: PR_SET_PDEATHSIG."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _work(job: Job) -> Outcome:
    assert _worker is not None
    return _worker(job)


def outcomes(work: list[Job], settings: Settings, in_dir: Path, out_dir: Path, jobs: int,
             pipeline: Pipeline | None) -> Generator[Outcome, None, None]:
    """Outcomes as articles finish: in this process, or from a pool of `jobs` processes."""
    if jobs == 1 or len(work) <= 1:
        worker = Worker(pipeline or make_pipeline(settings), in_dir, out_dir)
        yield from map(worker, work)
        return
    # fork: workers start in milliseconds and inherit the imports; the parent holds no
    # translator and no SQLite connection, so nothing unsafe is duplicated. The processes
    # share the cores: each translates its article's editions one after another.
    executor = ProcessPoolExecutor(min(jobs, len(work)), multiprocessing.get_context("fork"),
                                   _start_worker, (replace(settings, target_workers=1), in_dir,
                                                   out_dir, os.getpid()))
    futures = {executor.submit(_work, job): job for job in work}
    finished = False
    try:
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory?): report, go on
                job = futures[future]
                yield Outcome(job.relative, job.targets, error="worker process died")
        finished = True
    finally:
        if not finished:  # interrupted: stop the articles in flight (the next run redoes them)
            executor.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():
                child.terminate()
        executor.shutdown(wait=True)
