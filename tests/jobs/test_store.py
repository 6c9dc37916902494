"""The job store: atomic claims, cancellation, leases after a dead process, retention."""

import time

from l10n.jobs.store import CANCELLED, DONE, QUEUED, RUNNING, JobStore


def test_a_job_is_claimed_once_then_finished(tmp_path):
    store = JobStore(tmp_path / "jobs.sqlite3", retention=60)
    other = JobStore(tmp_path / "jobs.sqlite3", retention=60)  # another process's view
    job = store.create("key:a", {"articles": []}, None)
    assert store.get(job.id).status == QUEUED and store.queued() == 1
    claimed = store.claim(lease=60)
    assert claimed is not None and claimed.id == job.id and claimed.status == RUNNING
    assert other.claim(lease=60) is None  # never twice
    assert store.progress(job.id, {"editions_done": 1})
    assert store.finish(job.id, DONE, result={"articles": [1]})
    assert store.get(job.id).result == {"articles": [1]} and store.get(job.id).status == DONE


def test_cancelled_jobs_are_never_claimed_and_stop_reporting_progress(tmp_path):
    store = JobStore(tmp_path / "jobs.sqlite3", retention=60)
    waiting = store.create("key:a", {}, None)
    assert store.cancel(waiting.id)
    assert store.claim(lease=60) is None and store.get(waiting.id).status == CANCELLED
    running = store.create("key:a", {}, None)
    store.claim(lease=60)
    assert store.cancel(running.id)
    assert not store.progress(running.id, {}) and not store.finish(running.id, DONE)
    assert not store.cancel(running.id)  # already ended


def test_a_job_whose_runner_died_is_claimed_again_after_its_lease(tmp_path):
    store = JobStore(tmp_path / "jobs.sqlite3", retention=60)
    job = store.create("key:a", {}, None)
    store.claim(lease=60)
    assert store.claim(lease=60) is None
    time.sleep(0.05)
    again = store.claim(lease=0.01)
    assert again is not None and again.id == job.id and again.progress == {}


def test_ended_jobs_are_purged_after_the_retention(tmp_path):
    store = JobStore(tmp_path / "jobs.sqlite3", retention=10)
    job = store.create("key:a", {}, None)
    store.claim(lease=60)
    store.finish(job.id, DONE, result={})
    assert store.purge(now=time.time() + 5) == 0
    assert store.purge(now=time.time() + 11) == 1 and store.get(job.id) is None
