"""Batch runs: translate a folder of articles into every edition, incrementally.

    l10n translate IN_DIR OUT_DIR [--targets ru de ...] [--jobs N]

Input files (found recursively; hidden files and folders, and OUT_DIR, are skipped):

- `*.json`: an article in the HTTP API's schema (its own `targets` are replaced by the run's);
- `*.md`, `*.markdown`: Markdown with YAML front matter; `title`, `lead`, `captions` are
  translated, `author`, `published`, `category`, `tags` become the article's meta, `id` and
  `source` are read, the text below the front matter is the body;
- `*.html`, `*.htm`: one HTML document or fragment, translated as a whole (a document's
  `<title>` included, as part of the body; see html.py for what is kept).

Output: `OUT_DIR/<lang>/<same relative path>` in the input's format (JSON → the edition JSON
of the API; Markdown → the same front matter with translated title, lead and captions plus
`language` and the localised `byline`; HTML → the translated document, `<html lang>` set),
every file written atomically (files.write_atomic). `OUT_DIR/summary.json` reports the run.

Incremental and resumable: `OUT_DIR/.l10n-manifest.json` records, per article, the hash of the
file and, per target, the model that translated it, and the glossary version. It is rewritten
(atomically) after each article's outputs are on disk, so an interrupted run — Ctrl+C, SIGTERM
or SIGKILL — loses at most the articles in flight, and the next run skips what is done. An
edited article is translated again, but through the translation memory: only its changed
segments reach the engine. A lock file keeps two runs from writing into one OUT_DIR.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from l10n.atomic import write_atomic
from l10n.config import Settings
from l10n.errors import ServiceError
from l10n.packages.demo import NOTICE
from l10n.translate.article import Article, parse_article
from l10n.web.schemas import render_edition, render_label

if TYPE_CHECKING:
    from l10n.translate.pipeline import ArticleResult, Pipeline

MANIFEST = ".l10n-manifest.json"
SUMMARY = "summary.json"
LOCK = ".l10n-lock"
KINDS = {".json": "json", ".md": "markdown", ".markdown": "markdown",
         ".html": "html", ".htm": "html"}
FRONT_MATTER_META = ("author", "published", "category", "tags")
_HTML_LANG = re.compile(r'(<html\b[^>]*?\blang=")[^"]*(")', re.IGNORECASE)


class BatchError(Exception):
    """The run cannot start (output folder locked or unusable)."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl+C: stop after writing what is finished."""


# ---------------------------------------------------------------- article files
def find_articles(in_dir: Path, exclude: Path | None = None) -> list[str]:
    """Article files under `in_dir` as sorted POSIX paths relative to it."""
    found = []
    for path in in_dir.rglob("*"):
        relative = path.relative_to(in_dir)
        if (path.suffix.lower() not in KINDS or not path.is_file()
                or any(part.startswith(".") for part in relative.parts)
                or (exclude is not None and path.resolve().is_relative_to(exclude))):
            continue
        found.append(relative.as_posix())
    return sorted(found)


def kind_of(relative: str) -> str:
    return KINDS[Path(relative).suffix.lower()]


def load_article(kind: str, text: str, targets: Sequence[str], settings: Settings) -> Article:
    """Parse a file's text into an article (validated like an API request)."""
    if kind == "json":
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc}") from None
        if isinstance(body, dict):
            body = {**body, "targets": list(targets)}
    elif kind == "markdown":
        body = _markdown_body(text)
        body["targets"] = list(targets)
    else:
        body = {"format": "html", "body": text, "targets": list(targets)}
    return parse_article(body, settings)


def _markdown_body(text: str) -> dict[str, Any]:
    import frontmatter

    post = frontmatter.loads(text)
    front = post.metadata
    meta = {key: _plain(front[key]) for key in FRONT_MATTER_META if key in front}
    body: dict[str, Any] = {"format": "markdown", "body": post.content, "meta": meta}
    for key in ("title", "lead", "captions", "id", "source"):
        if key in front:
            body[key] = front[key]
    return body


def _plain(value: Any) -> Any:
    """YAML reads `published: 2026-03-05T21:30:00Z` as a datetime; the article wants text."""
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def render_output(kind: str, text: str, article: Article, result: ArticleResult,
                  target: str) -> str:
    """One edition of a file, in the file's own format."""
    edition = result.editions[target]
    if kind == "json":
        payload = {"id": article.id, "language": target, "format": article.format,
                   "source_language": result.source.language,
                   **render_edition(article, edition), "meta": article.meta}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if kind == "markdown":
        import frontmatter

        post = frontmatter.loads(text)
        for name in ("title", "lead"):
            if name in post.metadata:
                post.metadata[name] = edition.get(name)
        if "captions" in post.metadata:
            post.metadata["captions"] = [edition.get(f"captions.{i}")
                                         for i in range(len(article.captions))]
        post.metadata["language"] = target
        if edition.demo:
            post.metadata["demo"] = render_label(edition)["notice"]
        if edition.byline is not None:
            post.metadata["byline"] = asdict(edition.byline)
        post.content = edition.get("body")
        # width: YAML would fold long titles over several lines (libyaml wants a C int)
        return frontmatter.dumps(post, sort_keys=False, width=1 << 30) + "\n"
    html = _HTML_LANG.sub(rf"\g<1>{target}\g<2>", edition.get("body"), count=1)
    if edition.demo:  # said where an editor opening the source will see it
        html += "\n<!-- " + render_label(edition)["notice"].replace("--", "\u2013") + " -->\n"
    return html


# ---------------------------------------------------------------- manifest
@dataclass(frozen=True)
class Done:
    """What translated an article: the manifest's record of it."""

    sha256: str
    source: str  # the article's source language (detected or given)
    glossary: str  # glossary version
    models: dict[str, str]  # target → model key (pair, version, folder)


class Manifest:
    """`OUT_DIR/.l10n-manifest.json`: the articles whose outputs are complete."""

    VERSION = 1

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.articles: dict[str, Done] = {}
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == self.VERSION:
                    self.articles = {k: Done(**v) for k, v in data["articles"].items()}
            except (ValueError, TypeError, KeyError):
                self.articles = {}  # unreadable: translate everything again

    def pending(self, relative: str, sha256: str, targets: Sequence[str], glossary: str,
                model_key: Callable[[str, str], str | None], out_dir: Path) -> list[str]:
        """The targets of an article that need translating (all of them unless it is
        unchanged and was translated by the installed model with this glossary)."""
        done = self.articles.get(relative)
        if done is None or done.sha256 != sha256 or done.glossary != glossary:
            return list(targets)
        return [t for t in targets
                if done.models.get(t) != model_key(done.source, t)
                or not (out_dir / t / relative).is_file()]

    def record(self, relative: str, done: Done) -> None:
        previous = self.articles.get(relative)
        if previous is not None and (previous.sha256, previous.glossary) == (done.sha256,
                                                                             done.glossary):
            done = Done(done.sha256, done.source, done.glossary,
                        {**previous.models, **done.models})
        self.articles[relative] = done
        payload = {"version": self.VERSION,
                   "articles": {k: asdict(v) for k, v in sorted(self.articles.items())}}
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


# ---------------------------------------------------------------- translating one file
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
            outcome.error = f"internal error: {type(exc).__name__}: {exc}"
        outcome.engine_calls = engine.calls - calls
        outcome.engine_segments = engine.segments - sent
        outcome.memory_hits = (memory.hits - hits) if memory else 0
        outcome.seconds = time.monotonic() - started
        return outcome

    def _translate(self, job: Job, outcome: Outcome) -> Done:
        import yaml

        raw = (self.in_dir / job.relative).read_bytes()
        kind = kind_of(job.relative)
        try:
            text = raw.decode("utf-8")
            article = load_article(kind, text, job.targets, self.pipeline.settings)
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text") from None
        except yaml.YAMLError as exc:
            raise ValueError(f"invalid front matter: {exc}") from None
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
        source = result.source.language
        store = self.pipeline.engine.store
        return Done(
            sha256=hashlib.sha256(raw).hexdigest(), source=source,
            glossary=self.pipeline.glossary.get().version,
            models={t: store.route_key(source, t) or "" for t in job.targets if t != source})


def make_pipeline(settings: Settings) -> Pipeline:
    """The batch pipeline: the engine and the translation memory of `settings`."""
    from l10n.translate.engine import Engine
    from l10n.translate.memory import Memory  # here: memory.py imports this module
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


# ---------------------------------------------------------------- progress
class Progress:
    """Plain log lines: what a cron job's log or CI shows (not a terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = self.count = 0

    def start(self, total: int, skipped: int) -> None:
        self.total = total
        if skipped:
            self.say(f"skipped {skipped} unchanged articles")

    def advance(self, outcome: Outcome) -> None:
        self.count += 1
        if outcome.error is not None:
            self.say(f"FAILED {outcome.relative}: {outcome.error}")
            return
        self.say(f"[{self.count}/{self.total}] translated {outcome.relative} "
                 f"({outcome.done.source if outcome.done else '?'} → "
                 f"{', '.join(outcome.targets)}): {outcome.segments} segments, "
                 f"{outcome.memory_hits} from memory, {outcome.seconds:.1f} s")

    def say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        pass


class BarProgress(Progress):
    """tqdm bars on a terminal: articles (with ETA) and segments, each with its rate."""

    def start(self, total: int, skipped: int) -> None:
        from tqdm import tqdm

        super().start(total, skipped)
        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
        self.articles = tqdm(total=total, unit="article", file=self.stream, position=0,
                             dynamic_ncols=True)
        self.segments = tqdm(unit="seg", file=self.stream, position=1, dynamic_ncols=True)

    def advance(self, outcome: Outcome) -> None:
        self.count += 1
        if outcome.error is not None:
            self.say(f"FAILED {outcome.relative}: {outcome.error}")
        self.articles.update(1)
        self.segments.update(outcome.segments)

    def say(self, line: str) -> None:
        from tqdm import tqdm

        tqdm.write(line, file=self.stream)

    def close(self) -> None:
        if hasattr(self, "articles"):
            self.segments.close()
            self.articles.close()


def progress_for(stream: TextIO) -> Progress:
    return BarProgress(stream) if stream.isatty() else Progress(stream)


# ---------------------------------------------------------------- the run
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
        outcomes = _outcomes(work, settings, in_dir, out_dir, jobs, pipeline)
        try:
            for outcome in outcomes:
                if outcome.done is not None:
                    manifest.record(outcome.relative, outcome.done)
                summary.add(outcome)
                progress.advance(outcome)
        except KeyboardInterrupt as exc:
            summary.interrupted = "SIGTERM" if isinstance(exc, Interrupted) else "SIGINT"
        finally:
            outcomes.close()  # stops the worker processes now, not at garbage collection
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


def _outcomes(work: list[Job], settings: Settings, in_dir: Path, out_dir: Path, jobs: int,
              pipeline: Pipeline | None) -> Iterator[Outcome]:
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
        path.unlink(missing_ok=True)
