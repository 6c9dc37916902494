"""The memory's store: one SQLite file of machine translations and reviewers' corrections.

Machine entries are keyed by (source, target, model key, normalised segment) and hold the
engine's raw output: the glossary's names are put in after lookup (pipeline.py), so a glossary
edit changes no entry and sends nothing back to the engine, while a model upgrade misses. A
reviewer's correction is keyed by (source, target, normalised segment) only: it wins over machine
entries whatever the model, and the pipeline uses it as written.

Storage is WAL mode: readers never wait, writers (threads, gunicorn workers) queue on
`busy_timeout`, and every write is one transaction, so a process killed mid-write leaves the
last committed state. `synchronous=NORMAL` means a power cut may lose the latest commits (they
are simply translated again), never the file's consistency.

The schema is versioned with `PRAGMA user_version`; opening an older file migrates it in one
transaction (`_MIGRATIONS`), a newer one is refused rather than misread.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from l10n.config import Settings
from l10n.translate.types import Translation

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another one before failing
_CHUNK = 500  # segments per `IN (...)`: well under SQLite's limit on bound variables

SCHEMA_VERSION = 2
_TABLES = (
    """CREATE TABLE IF NOT EXISTS machine (
        source TEXT NOT NULL, target TEXT NOT NULL,
        model_key TEXT NOT NULL,
        segment TEXT NOT NULL,      -- normalised source: the key
        source_text TEXT NOT NULL,  -- as sent to the engine: the spans refer to it
        translation TEXT NOT NULL,
        alignment TEXT NOT NULL,    -- JSON: source_spans, target_spans, alignment
        created_at TEXT NOT NULL,
        PRIMARY KEY (source, target, model_key, segment)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS human (
        source TEXT NOT NULL, target TEXT NOT NULL,
        segment TEXT NOT NULL, source_text TEXT NOT NULL,
        translation TEXT NOT NULL, reviewer TEXT, created_at TEXT NOT NULL,
        PRIMARY KEY (source, target, segment)
    ) WITHOUT ROWID""",
)
# Version 1 keyed machine entries on the glossary version too. Its entries of one model and
# segment under several glossaries hold the same engine output: the newest one is kept.
_MIGRATIONS = {
    1: (
        _TABLES[0].replace("EXISTS machine", "EXISTS machine_v2"),
        "INSERT OR REPLACE INTO machine_v2 SELECT source, target, model_key, segment, "
        "source_text, translation, alignment, created_at FROM machine ORDER BY created_at",
        "DROP TABLE machine",
        "ALTER TABLE machine_v2 RENAME TO machine",
    ),
}
_PUT_MACHINE = ("INSERT OR REPLACE INTO machine (source, target, model_key, segment, "
                "source_text, translation, alignment, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_PUT_HUMAN = ("INSERT OR REPLACE INTO human (source, target, segment, source_text, translation, "
              "reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")


class MemoryFileError(ValueError):
    """An import file that is not a memory export (bad JSON line, bad TMX, bad field)."""


@dataclass(frozen=True)
class Hit:
    translation: Translation
    human: bool  # a reviewer's correction: use as written, skip the machine checks


@dataclass(frozen=True)
class Entry:
    """One memory entry as exported, imported and answered by PUT /v1/memory."""

    source: str
    target: str
    text: str  # the source segment
    translation: Translation
    created_at: str  # UTC, ISO 8601, seconds
    model_key: str | None = None  # None: a human correction
    reviewer: str | None = None

    @property
    def human(self) -> bool:
        return self.model_key is None


@dataclass(frozen=True)
class Count:
    """Entries of one pair made by one model (`model_key` None: human corrections)."""

    pair: str
    model_key: str | None
    entries: int
    newest: str


def normalise(text: str) -> str:
    """The lookup form of a segment: NFC, whitespace runs collapsed to one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


class Memory:
    """The memory in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.hits = 0  # cumulative in this process, for metrics
        self.misses = 0
        self._counter_lock = threading.Lock()
        self._local = threading.local()
        with self._transaction() as conn:
            _migrate(conn, self.path)
        # Opened by the app factory, possibly before gunicorn forks: leave no connection behind.
        self.close()

    @classmethod
    def from_settings(cls, settings: Settings) -> Memory:
        return cls(settings.memory_file)

    # -- connections
    def _connect(self) -> sqlite3.Connection:
        """This thread's connection: SQLite connections must cross neither threads nor forks."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, isolation_level=None)  # transactions: explicit
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            local.conn, local.pid = conn, os.getpid()
        return local.conn

    def close(self) -> None:
        """Close this thread's connection (the last one to close folds the WAL into the file)."""
        conn = self._local.__dict__.pop("conn", None)
        self._local.__dict__.pop("pid", None)
        if conn is not None:
            conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands or none of it does. IMMEDIATE takes the write
        lock up front, so concurrent writers queue on busy_timeout instead of deadlocking."""
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- what the pipeline uses
    def lookup(self, source: str, target: str, model_key: str,
               texts: Sequence[str]) -> dict[str, Hit]:
        """Hits for those `texts` the memory knows, keyed by the text as given.

        A machine entry stored for another spelling of the same normalised segment comes back
        without spans and alignment: those are character offsets into the stored spelling.
        """
        unique = list(dict.fromkeys(texts))
        wanted: dict[str, list[str]] = {}
        for text in unique:
            wanted.setdefault(normalise(text), []).append(text)
        conn = self._connect()
        found: dict[str, Hit] = {}
        human = _select(conn, "SELECT segment, translation FROM human "
                              "WHERE source = ? AND target = ? AND segment IN ({marks})",
                        (source, target), list(wanted))
        for segment, translation in human:
            for text in wanted.pop(segment):
                found[text] = Hit(Translation(translation), human=True)
        machine = _select(conn, "SELECT segment, source_text, translation, alignment FROM machine "
                                "WHERE source = ? AND target = ? AND model_key = ? "
                                "AND segment IN ({marks})",
                          (source, target, model_key), list(wanted))
        for segment, source_text, translation, alignment in machine:
            full = translation_from(translation, json.loads(alignment))
            for text in wanted[segment]:
                found[text] = Hit(full if text == source_text else Translation(translation),
                                  human=False)
        with self._counter_lock:
            self.hits += len(found)
            self.misses += len(unique) - len(found)
        return found

    def store(self, source: str, target: str, model_key: str,
              items: Sequence[tuple[str, Translation]]) -> None:
        """Remember engine output for `items` (source text, translation) in one transaction."""
        at = now()
        self.add([Entry(source, target, text, translation, at, model_key)
                  for text, translation in items])

    # -- human corrections, import, export, maintenance
    def correct(self, source: str, target: str, text: str, translation: str,
                reviewer: str | None = None) -> Entry:
        """Record a reviewer's translation of one segment (a sentence, as the pipeline splits
        articles): it wins over machine entries for every model."""
        entry = Entry(source, target, text, Translation(translation), now(), reviewer=reviewer)
        self.add([entry])
        return entry

    def add(self, entries: Iterable[Entry]) -> int:
        """Write entries in one transaction, replacing those with the same key."""
        machine, human = [], []
        for e in entries:
            if e.human:
                human.append((e.source, e.target, normalise(e.text), e.text, e.translation.text,
                              e.reviewer, e.created_at))
            else:
                machine.append((e.source, e.target, e.model_key, normalise(e.text), e.text,
                                e.translation.text, json.dumps(alignment_data(e.translation)),
                                e.created_at))
        with self._transaction() as conn:
            conn.executemany(_PUT_MACHINE, machine)
            conn.executemany(_PUT_HUMAN, human)
        return len(machine) + len(human)

    def entries(self) -> list[Entry]:
        """Every entry, machine ones first, from one consistent snapshot."""
        conn = self._connect()
        conn.execute("BEGIN")  # a read transaction: both tables as of the same moment
        try:
            machine = conn.execute(
                "SELECT source, target, source_text, translation, alignment, created_at, "
                "model_key FROM machine ORDER BY source, target, model_key, segment").fetchall()
            human = conn.execute(
                "SELECT source, target, source_text, translation, created_at, reviewer "
                "FROM human ORDER BY source, target, segment").fetchall()
        finally:
            conn.execute("COMMIT")
        return [Entry(s, t, text, translation_from(out, json.loads(al)), at, model)
                for s, t, text, out, al, at, model in machine] + \
               [Entry(s, t, text, Translation(out), at, reviewer=reviewer)
                for s, t, text, out, at, reviewer in human]

    def purge(self, pair: tuple[str, str] | None = None, model: str | None = None,
              corrections: bool = False) -> int:
        """Delete machine entries (of `pair`, of `model`: the filters combine) and, only when
        asked, human corrections of `pair`: they cannot be made again by re-translating."""
        pair_sql, params = ("source = ? AND target = ?", list(pair)) if pair else ("1", [])
        model_sql, model_params = ("model_key = ?", [model]) if model else ("1", [])
        with self._transaction() as conn:
            deleted = conn.execute(f"DELETE FROM machine WHERE {pair_sql} AND {model_sql}",
                                   params + model_params).rowcount
            if corrections:
                deleted += conn.execute(f"DELETE FROM human WHERE {pair_sql}", params).rowcount
        return deleted

    def stats(self) -> list[Count]:
        rows = self._connect().execute(
            "SELECT source, target, model_key, COUNT(*), MAX(created_at) FROM machine "
            "GROUP BY source, target, model_key UNION ALL "
            "SELECT source, target, NULL, COUNT(*), MAX(created_at) FROM human "
            "GROUP BY source, target ORDER BY 1, 2, 3").fetchall()
        return [Count(f"{s}-{t}", model, n, newest) for s, t, model, n, newest in rows]


def _select(conn: sqlite3.Connection, query: str, params: tuple, segments: list[str]
            ) -> Iterator[tuple]:
    """Rows of `query` whose `IN ({marks})` is filled chunk by chunk with `segments`."""
    for start in range(0, len(segments), _CHUNK):
        chunk = segments[start:start + _CHUNK]
        yield from conn.execute(query.format(marks=", ".join("?" * len(chunk))),
                                (*params, *chunk)).fetchall()


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file's schema to SCHEMA_VERSION (inside the caller's transaction)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"{path}: memory schema version {version} is newer than this l10n "
            f"({SCHEMA_VERSION}); upgrade l10n or use another L10N_MEMORY_PATH")
    if version == 0:  # a new file (or one from before versioning, which had no other schema)
        for table in _TABLES:
            conn.execute(table)
    else:
        for old in range(version, SCHEMA_VERSION):
            log.info("%s: migrating the memory schema from version %d", path, old)
            for statement in _MIGRATIONS[old]:
                conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def now() -> str:
    """The current UTC time as entries record it (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def alignment_data(translation: Translation) -> dict[str, list]:
    """A translation's spans and alignment as JSON-ready lists (stored and exported)."""
    return {"source_spans": [list(s) for s in translation.source_spans],
            "target_spans": [list(s) for s in translation.target_spans],
            "alignment": list(translation.alignment)}


def translation_from(text: str, data: dict[str, Any]) -> Translation:
    """A Translation from `alignment_data`'s form; checks the shapes, as imports are untrusted."""
    spans = {}
    for name in ("source_spans", "target_spans"):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(
                isinstance(s, list) and len(s) == 2 and all(type(i) is int for i in s)
                for s in value):
            raise MemoryFileError(f"{name} must be a list of [start, end] integer pairs")
        spans[name] = tuple((s[0], s[1]) for s in value)
    alignment = data.get("alignment", [])
    if not isinstance(alignment, list) or not all(type(i) is int for i in alignment):
        raise MemoryFileError("alignment must be a list of integers")
    return Translation(text, spans["source_spans"], spans["target_spans"], tuple(alignment))
