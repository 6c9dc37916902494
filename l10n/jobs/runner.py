"""The embedded job runner: jobs run in the service process on a few worker threads.

Without a broker this is how jobs run, so the README's two commands need nothing else. The
store is the queue: each worker thread claims the oldest queued job atomically, so the
processes of one machine (gunicorn workers) share the work without taking a job twice, and a
job whose process died (no update for `lease` seconds) is claimed again. Threads are few
(`L10N_JOB_WORKERS`, default 1: a job is CPU-bound work on the engine, which already uses the
cores it is given) and the queue bounded (`L10N_JOB_QUEUE`): a submission beyond it is refused
with 503 rather than accepted and left to wait for hours.

A job translates its articles edition by edition, recording progress after each, and stops
early when it was cancelled. Its end is delivered to the job's callback URL, if any, by a
separate thread, so retries with backoff never hold up translation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from typing import Any

from l10n.errors import ServiceError
from l10n.jobs import webhooks
from l10n.jobs.store import DONE, FAILED, Job, JobStore
from l10n.translate.article import Article
from l10n.translate.pipeline import ArticleResult, Pipeline

log = logging.getLogger(__name__)
Render = Callable[[Article, ArticleResult], dict[str, Any]]
"""How an article's result reads in the API (the web layer's renderer)."""


class QueueFull(ServiceError):
    status = 503
    code = "queue_full"


def to_request(articles: list[Article]) -> dict[str, Any]:
    """Validated articles as the plain data the store keeps."""
    return {"articles": [asdict(a) for a in articles]}


def from_request(request: dict[str, Any]) -> list[Article]:
    return [Article(**{**a, "captions": tuple(a["captions"]), "targets": tuple(a["targets"])})
            for a in request["articles"]]


class Runner:
    def __init__(self, store: JobStore, pipeline: Pipeline, render: Render,
                 policy: webhooks.Policy, *, workers: int, queue: int,
                 lease: float = 600.0, poll: float = 1.0) -> None:
        self.store, self.pipeline, self.render, self.policy = store, pipeline, render, policy
        self.workers, self.queue, self.lease, self.poll = workers, queue, lease, poll
        self.wake, self.closed = threading.Event(), threading.Event()
        self.threads: list[threading.Thread] = []
        self.deliveries = ThreadPoolExecutor(1, thread_name_prefix="l10n-webhook")
        self._started = threading.Lock()
        if store.queued():  # accepted before a restart
            self._start()

    def submit(self, owner: str, articles: list[Article], callback: str | None) -> Job:
        if callback is not None:
            webhooks.check_url(callback, self.policy)
        if self.store.queued() >= self.queue:
            raise QueueFull(f"{self.queue} jobs are already waiting; try again later")
        job = self.store.create(owner, to_request(articles), callback)
        self._start()
        self.wake.set()
        return job

    def cancel(self, job_id: str) -> bool:
        return self.store.cancel(job_id)

    def close(self) -> None:
        self.closed.set()
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout=30)
        self.deliveries.shutdown(wait=True)

    def _start(self) -> None:
        with self._started:
            if not self.threads:
                self.threads = [threading.Thread(target=self._work, name=f"l10n-job-{i}",
                                                 daemon=True) for i in range(self.workers)]
                for thread in self.threads:
                    thread.start()

    def _work(self) -> None:
        while not self.closed.is_set():
            job = self.store.claim(self.lease)
            if job is None:
                self.wake.wait(self.poll)
                self.wake.clear()
                continue
            self._translate(job)
            self.store.purge()

    def _translate(self, job: Job) -> None:
        done, results = 0, []
        try:
            articles = [replace(a, targets=self.pipeline.targets_of(a))
                        for a in from_request(job.request)]
            total = sum(len(a.targets) for a in articles)
            for article in articles:
                result: ArticleResult | None = None
                for target in article.targets:
                    one = self.pipeline.translate_article(replace(article, targets=(target,)))
                    result = one if result is None else replace(
                        result, editions={**result.editions, **one.editions},
                        failed={**result.failed, **one.failed},
                        targets=result.targets + one.targets)
                    done += 1
                    if not self.store.progress(job.id, {"editions_done": done,
                                                        "editions_total": total}):
                        return  # cancelled
                if result is not None:
                    results.append(self.render(article, result))
        except ServiceError as exc:
            self._end(job, FAILED, error=exc.to_dict()["error"])
            return
        except Exception:
            log.exception("job %s failed", job.id)
            self._end(job, FAILED, error={"code": "internal_error",
                                          "message": "internal error; see the server log"})
            return
        self._end(job, DONE, result={"articles": results})

    def _end(self, job: Job, status: str, *, result: dict[str, Any] | None = None,
             error: dict[str, Any] | None = None) -> None:
        if not self.store.finish(job.id, status, result=result, error=error):
            return  # cancelled meanwhile: the caller asked for nothing more
        if job.callback:
            payload = {"id": job.id, "status": status, "result": result, "error": error}
            self.deliveries.submit(webhooks.deliver, job.callback, job.id, payload, self.policy)
