"""A full disk: the memory is a cache for translations, but the point of a correction."""

from __future__ import annotations

import errno

from l10n.errors import StorageFull, storage_full
from l10n.translate.memory import Memory
from l10n.translate.pipeline import Pipeline
from tests.conftest import translate_known

LONG = "x" * 20_000  # needs new pages whatever free space the file has


def fill(memory: Memory) -> None:
    """Cap this thread's connection at the pages the file has: SQLite's SQLITE_FULL, the same
    error a full disk gives."""
    conn = memory._connect()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_translations_are_served_when_only_caching_them_fails(settings, engine, corpus,
                                                              tmp_path):
    memory = Memory(tmp_path / "memory.sqlite3")
    memory._connect().execute("PRAGMA query_only = ON")  # every write fails, as on a full disk
    pipeline = Pipeline(settings, engine, memory=memory)
    sentence = next(iter(corpus["de"]))
    for attempt in (1, 2):
        calls = engine.calls
        result = pipeline.translate_text(sentence, "en", ["de"], "text")
        assert result.editions["de"].get("body") == translate_known(sentence, corpus["de"])
        assert engine.calls == calls + 1  # nothing was cached: the engine again
        assert memory.write_failures == attempt


def test_a_correction_on_a_full_disk_is_507_and_nothing_is_written(settings, engine, tmp_path):
    from service import create_app

    memory = Memory(tmp_path / "memory.sqlite3")
    app = create_app(settings, engine, memory=memory)
    fill(memory)
    response = app.test_client().put("/v1/memory", json={
        "source": "en", "target": "de", "text": LONG, "translation": LONG})
    assert response.status_code == 507
    assert response.get_json()["error"]["code"] == "insufficient_storage"
    assert memory.stats() == Memory(tmp_path / "memory.sqlite3").stats()


def test_os_and_sqlite_full_errors_are_recognised():
    assert isinstance(storage_full(OSError(errno.ENOSPC, "No space left on device")), StorageFull)
    import sqlite3

    assert storage_full(sqlite3.OperationalError("database or disk is full")) is not None
    assert storage_full(OSError(errno.EACCES, "Permission denied")) is None
    assert storage_full(ValueError("full")) is None
