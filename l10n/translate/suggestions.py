"""Translations suggested by users, held for review: never served until a reviewer accepts one.

LibreTranslate's `/suggest` lets anyone propose a better translation. Served at once, that
would let anyone rewrite the site's editions; so a suggestion is only stored here (its own
SQLite file, `<data_dir>/suggestions.sqlite3`), listed for reviewers (GET /v1/suggestions),
and only an accepted one becomes a correction in the translation memory, which the pipeline
then uses as written. A rejected one stays on record as rejected.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """CREATE TABLE IF NOT EXISTS suggestion (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, text TEXT NOT NULL,
    translation TEXT NOT NULL, submitted_by TEXT NOT NULL, submitted REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', reviewer TEXT, decided REAL)"""
_COLUMNS = "id, source, target, text, translation, submitted_by, submitted, state, reviewer"
STATES = ("pending", "accepted", "rejected")


@dataclass(frozen=True)
class Suggestion:
    id: int
    source: str
    target: str
    text: str
    translation: str
    submitted_by: str  # the caller's identity (key name or address)
    submitted: float
    state: str
    reviewer: str | None


class Suggestions:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, source: str, target: str, text: str, translation: str,
            submitted_by: str) -> Suggestion:
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO suggestion (source, target, text, translation, submitted_by, "
                "submitted) VALUES (?, ?, ?, ?, ?, ?)",
                (source, target, text, translation, submitted_by, time.time()))
            row_id = cursor.lastrowid
        found = self.get(int(row_id or 0))
        assert found is not None
        return found

    def get(self, suggestion_id: int) -> Suggestion | None:
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM suggestion WHERE id = ?",
                               (suggestion_id,)).fetchone()
        return Suggestion(*row) if row else None

    def listed(self, state: str = "pending", limit: int = 100) -> list[Suggestion]:
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM suggestion WHERE state = ? "
                                "ORDER BY id LIMIT ?", (state, limit)).fetchall()
        return [Suggestion(*row) for row in rows]

    def decide(self, suggestion_id: int, accepted: bool, reviewer: str) -> Suggestion | None:
        """Accept or reject a pending suggestion; None when there is no such pending one."""
        with self._connect() as conn:
            changed = conn.execute(
                "UPDATE suggestion SET state = ?, reviewer = ?, decided = ? "
                "WHERE id = ? AND state = 'pending'",
                ("accepted" if accepted else "rejected", reviewer, time.time(), suggestion_id))
            if changed.rowcount == 0:
                return None
        return self.get(suggestion_id)
