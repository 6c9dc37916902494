"""The job store: every job's state in SQLite, so a restart loses no accepted job.

A job is written once when accepted (`queued`), updated as it runs (progress per edition),
and once more when it ends (`done` with its result, `failed` with an error, `cancelled`). Rows
are kept for `retention` seconds after they end, then purged. WAL mode and short
transactions make it safe for the service's threads and several processes on one machine.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
ENDED = frozenset({DONE, FAILED, CANCELLED})
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    progress TEXT NOT NULL DEFAULT '{}',
    result TEXT,
    error TEXT,
    callback TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_updated ON jobs (status, updated);
"""


@dataclass(frozen=True)
class Job:
    id: str
    owner: str  # the caller's identity (its key's name, or its address): only it may see the job
    status: str
    request: dict[str, Any]
    progress: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    callback: str | None = None
    created: float = 0.0
    updated: float = 0.0


class JobStore:
    def __init__(self, path: Path, retention: float) -> None:
        self.path, self.retention = path, retention
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._conn().executescript(_SCHEMA)  # its own transaction, idempotent

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def create(self, owner: str, request: dict[str, Any], callback: str | None) -> Job:
        now = time.time()
        job = Job(secrets.token_urlsafe(16), owner, QUEUED, request, callback=callback,
                  created=now, updated=now)
        with self._write() as conn:
            conn.execute("INSERT INTO jobs (id, owner, status, request, callback, created, updated)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (job.id, owner, QUEUED, json.dumps(request), callback, now, now))
        return job

    def get(self, job_id: str) -> Job | None:
        row = self._conn().execute(
            "SELECT id, owner, status, request, progress, result, error, callback, created, "
            "updated FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        return Job(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]),
                   json.loads(row[5]) if row[5] else None, json.loads(row[6]) if row[6] else None,
                   row[7], row[8], row[9])

    def claim(self, lease: float) -> Job | None:
        """Take the oldest queued job (or one whose runner stopped updating it for `lease`
        seconds: its process died) and mark it running; None when there is none. Atomic, so
        two runners, in one process or several, never take the same job."""
        now = time.time()
        with self._write() as conn:
            row = conn.execute(
                "SELECT id FROM jobs WHERE status = ? OR (status = ? AND updated < ?) "
                "ORDER BY created LIMIT 1", (QUEUED, RUNNING, now - lease)).fetchone()
            if row is None:
                return None
            conn.execute("UPDATE jobs SET status = ?, progress = '{}', updated = ? WHERE id = ?",
                         (RUNNING, now, row[0]))
        return self.get(row[0])

    def queued(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM jobs WHERE status = ?",
                                        (QUEUED,)).fetchone()[0])

    def progress(self, job_id: str, progress: dict[str, Any]) -> bool:
        """Record progress; False when the job was cancelled (the runner then stops)."""
        with self._write() as conn:
            cur = conn.execute("UPDATE jobs SET progress = ?, updated = ? WHERE id = ? AND status = ?",
                               (json.dumps(progress), time.time(), job_id, RUNNING))
        return cur.rowcount == 1

    def finish(self, job_id: str, status: str, *, result: dict[str, Any] | None = None,
               error: dict[str, Any] | None = None) -> bool:
        """running → done/failed; False when it had been cancelled."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE jobs SET status = ?, result = ?, error = ?, updated = ? "
                "WHERE id = ? AND status = ?",
                (status, json.dumps(result) if result is not None else None,
                 json.dumps(error) if error is not None else None, time.time(), job_id, RUNNING))
        return cur.rowcount == 1

    def cancel(self, job_id: str) -> bool:
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE jobs SET status = ?, updated = ? WHERE id = ? AND status IN (?, ?)",
                (CANCELLED, time.time(), job_id, QUEUED, RUNNING))
        return cur.rowcount == 1

    def purge(self, now: float | None = None) -> int:
        """Forget ended jobs older than the retention; the number forgotten."""
        cutoff = (now or time.time()) - self.retention
        with self._write() as conn:
            cur = conn.execute(f"DELETE FROM jobs WHERE status IN ({','.join('?' * len(ENDED))}) "
                               "AND updated < ?", (*sorted(ENDED), cutoff))
        return cur.rowcount
