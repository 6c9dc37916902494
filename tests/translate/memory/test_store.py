"""The memory's store: hits spare the engine, keys miss on a model change but not on a glossary
edit, human corrections win, concurrent and killed writers lose nothing, old files migrate."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from l10n.localise.glossary import DEFAULT_GLOSSARY, GlossaryFile
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory, normalise
from l10n.translate.memory.store import SCHEMA_VERSION
from l10n.translate.pipeline import Pipeline
from l10n.translate.types import Translation
from tests.conftest import ROOT, TARGETS, translate_known
from tests.translate.memory.entries import ALIGNED, machine, sample

ARTICLE = json.loads((ROOT / "examples/articles/city-bridge.json").read_text(encoding="utf-8"))
NEW_PARAGRAPH = ("Rescuers found the two missing climbers alive on Saturday morning. "
                 "Nobody was injured, but 60 residents had to spend the night in a school.")

# Stores `batches` transactions of `size` entries (each translation names its source), printing
# each batch number once committed; with a "go" file, waits for it first so writers overlap.
WRITER = """
import sys, time
from pathlib import Path
from l10n.translate.memory import Memory
from l10n.translate.types import Translation
path, tag, batches, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
memory = Memory(path)
print("ready", flush=True)
go = Path(path).with_name("go")
while len(sys.argv) > 5 and not go.exists():
    time.sleep(0.005)
spans = tuple((i, i + 1) for i in range(40))
for b in range(batches):
    items = [(f"{tag} {b} {i}", Translation(f"T:{tag} {b} {i}", spans, spans, tuple(range(40))))
             for i in range(size)]
    memory.store("en", "de", "en-de@1.0:m", items)
    print(b, flush=True)
"""


def writer(path: Path, tag: str, batches: int, size: int, wait: bool = False) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(batches), str(size),
         *(["wait"] if wait else [])],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "ready\n"
    return process


@pytest.fixture()
def memory(tmp_path: Path) -> Memory:
    return Memory(tmp_path / "m.sqlite3")


# -- with the real fixture engine
def test_second_identical_request_makes_no_engine_call(settings, corpus, memory):
    engine = Engine(settings)
    pipeline = Pipeline(settings, engine, memory=memory)
    first = pipeline.translate_text(ARTICLE["body"], "en", TARGETS)
    assert engine.calls == len(TARGETS) and memory.hits == 0
    second = pipeline.translate_text(ARTICLE["body"], "en", TARGETS)
    assert engine.calls == len(TARGETS)
    assert memory.hits == memory.misses > 0
    for target in TARGETS:
        expected = translate_known(ARTICLE["body"], corpus[target])
        assert first.editions[target].get("body") == second.editions[target].get("body") == expected


def test_edited_paragraph_alone_goes_to_the_engine(settings, corpus, memory):
    engine = Engine(settings)
    pipeline = Pipeline(settings, engine, memory=memory)
    pipeline.translate_text(ARTICLE["body"], "en", TARGETS)
    paragraphs = ARTICLE["body"].split("\n\n")
    paragraphs[2] = NEW_PARAGRAPH
    edited = "\n\n".join(paragraphs)
    calls, segments = engine.calls, engine.segments
    result = pipeline.translate_text(edited, "en", TARGETS)
    assert engine.calls - calls == len(TARGETS)
    assert engine.segments - segments == 2 * len(TARGETS)  # the new paragraph's two sentences
    for target in TARGETS:
        assert result.editions[target].get("body") == translate_known(edited, corpus[target])


def test_glossary_edit_renders_from_memory_with_no_engine_call(settings, memory, tmp_path):
    """The memory holds raw engine output; names are put in after lookup, so an edited
    glossary shows in the next translation without sending anything to the engine."""
    names = tmp_path / "names.tsv"
    names.write_text(DEFAULT_GLOSSARY.read_text(encoding="utf-8"), encoding="utf-8")
    engine = Engine(settings)
    pipeline = Pipeline(settings, engine, GlossaryFile(names), memory)
    sentence = "Residents of Qamishli reported shelling overnight."
    first = pipeline.translate_text(sentence, "en", ["ru"]).editions["ru"].get("body")
    assert first == "Жители Камышлы сообщили о ночных обстрелах."
    calls = engine.calls
    edited = names.read_text(encoding="utf-8").replace("Qamishli\tКамышлы", "Qamishli\tЭль-Камышлы")
    assert edited != names.read_text(encoding="utf-8")
    names.write_text(edited, encoding="utf-8")
    second = pipeline.translate_text(sentence, "en", ["ru"]).editions["ru"].get("body")
    assert second == "Жители Эль-Камышлы сообщили о ночных обстрелах."
    assert engine.calls == calls


# -- the memory itself
def test_model_change_misses_glossary_is_not_part_of_the_key(memory):
    memory.store("en", "de", "en-de@1.0:m", [("Hello world", ALIGNED)])
    assert memory.lookup("en", "de", "en-de@1.1:m", ["Hello world"]) == {}
    assert memory.lookup("en", "fr", "en-de@1.0:m", ["Hello world"]) == {}
    hit = memory.lookup("en", "de", "en-de@1.0:m", ["Hello world"])["Hello world"]
    assert (hit.translation, hit.human) == (ALIGNED, False)
    assert (memory.hits, memory.misses) == (1, 2)


def test_lookup_normalises_but_keeps_spans_only_for_the_same_spelling(memory):
    memory.store("en", "de", "k", [("Hello world", ALIGNED), ("Café", Translation("Kaffee"))])
    spelled = ["Hello world", " Hello \u00a0 world\n", "Cafe\u0301", "Unknown"]
    found = memory.lookup("en", "de", "k", spelled)
    assert set(found) == {"Hello world", " Hello \u00a0 world\n", "Cafe\u0301"}
    assert found["Hello world"].translation == ALIGNED
    assert found[" Hello \u00a0 world\n"].translation == Translation("Hallo Welt")  # offsets differ
    assert found["Cafe\u0301"].translation.text == "Kaffee"
    assert normalise(" a \t b\n") == "a b"


def test_human_correction_is_found_for_every_model(memory):
    memory.store("en", "de", "k1", [("Hello world", ALIGNED)])
    memory.correct("en", "de", "Hello  world", "Servus, Welt", reviewer="anna")
    for model in ("k1", "k2"):
        hit = memory.lookup("en", "de", model, ["Hello world"])["Hello world"]
        assert (hit.translation, hit.human) == (Translation("Servus, Welt"), True)
    assert memory.lookup("en", "fr", "k1", ["Hello world"]) == {}


def test_threads_writing_at_once_lose_nothing(memory):
    def write(tag: int) -> None:
        for i in range(50):
            memory.store("en", "de", "k", [(f"{tag} {i}", Translation(f"T {tag} {i}"))])

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [f"{t} {i}" for t in range(8) for i in range(50)]
    found = memory.lookup("en", "de", "k", texts)
    assert len(memory.entries()) == len(found) == 400
    assert all(found[text].translation.text == f"T {text}" for text in texts)


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "m.sqlite3"
    Memory(path)
    processes = [writer(path, tag, 300, 1, wait=True) for tag in ("a", "b")]
    (tmp_path / "go").touch()
    for process in processes:
        assert process.wait(timeout=120) == 0  # no "database is locked"
    entries = Memory(path).entries()
    assert len(entries) == 600
    assert {e.text for e in entries} == {f"{tag} {b} 0" for tag in "ab" for b in range(300)}


@pytest.mark.slow
def test_writer_killed_mid_write_leaves_a_consistent_database(tmp_path):
    path = tmp_path / "m.sqlite3"
    size, committed = 50, 0
    for round_ in range(3):
        process = writer(path, f"r{round_}", 10**9, size)
        for _ in range(random.randint(3, 8)):
            last = int(process.stdout.readline())
        time.sleep(random.uniform(0, 0.05))
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
        committed += last + 1

        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            rows = db.execute("SELECT source_text, translation, alignment FROM machine").fetchall()
        assert len(rows) % size == 0  # whole transactions only
        assert len(rows) >= committed * size  # every batch reported committed is there
        for text, translation, alignment in rows:
            assert translation == "T:" + text
            assert json.loads(alignment) == {"source_spans": [[i, i + 1] for i in range(40)],
                                             "target_spans": [[i, i + 1] for i in range(40)],
                                             "alignment": list(range(40))}
    assert Memory(path).lookup("en", "de", "en-de@1.0:m", ["r0 0 0"])["r0 0 0"]


def test_purge_by_pair_and_model_keeps_corrections_unless_asked(memory):
    sample(memory)
    memory.add([machine("Old", "Alt", model="en-de@0.9:m")])
    assert memory.purge(("en", "de"), "en-de@0.9:m") == 1
    assert memory.purge(("en", "fr")) == 1
    assert [(e.target, e.model_key) for e in memory.entries()] == \
        [("de", "en-de@1.0:m"), ("de", "en-de@1.0:m"), ("de", None), ("ru", None)]
    assert memory.purge() == 2
    assert memory.purge(("en", "ru"), corrections=True) == 1
    assert [e.target for e in memory.entries()] == ["de"]
    assert memory.purge(corrections=True) == 1
    assert memory.entries() == []


# -- schema versions
V1_MACHINE = """CREATE TABLE machine (
    source TEXT NOT NULL, target TEXT NOT NULL, model_key TEXT NOT NULL,
    glossary_version TEXT NOT NULL, segment TEXT NOT NULL, source_text TEXT NOT NULL,
    translation TEXT NOT NULL, alignment TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (source, target, model_key, glossary_version, segment)) WITHOUT ROWID"""
V1_HUMAN = """CREATE TABLE human (
    source TEXT NOT NULL, target TEXT NOT NULL, segment TEXT NOT NULL,
    source_text TEXT NOT NULL, translation TEXT NOT NULL, reviewer TEXT,
    created_at TEXT NOT NULL, PRIMARY KEY (source, target, segment)) WITHOUT ROWID"""


def test_a_version_1_file_is_migrated_keeping_the_newest_entry(tmp_path):
    path = tmp_path / "old.sqlite3"
    spans = json.dumps({"source_spans": [[0, 5], [5, 11]], "target_spans": [[0, 5], [5, 10]],
                        "alignment": [0, 1]})
    with sqlite3.connect(path) as db:
        db.execute(V1_MACHINE)
        db.execute(V1_HUMAN)
        db.executemany("INSERT INTO machine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            ("en", "de", "k", "g2", "Hello world", "Hello world", "Hallo Welt", spans,
             "2026-02-01T00:00:00+00:00"),
            ("en", "de", "k", "g1", "Hello world", "Hello world", "Hallo, Welt", "{}",
             "2026-01-01T00:00:00+00:00"),
            ("en", "fr", "k", "g1", "Bye", "Bye", "Salut", "{}", "2026-01-01T00:00:00+00:00"),
        ])
        db.execute("INSERT INTO human VALUES ('en', 'ru', 'Bye', 'Bye', 'Пока', 'olga', "
                   "'2026-01-01T00:00:00+00:00')")
        db.execute("PRAGMA user_version = 1")
    db.close()
    memory = Memory(path)
    assert memory.lookup("en", "de", "k", ["Hello world"])["Hello world"].translation == ALIGNED
    assert [(e.target, e.translation.text, e.model_key) for e in memory.entries()] == \
        [("de", "Hallo Welt", "k"), ("fr", "Salut", "k"), ("ru", "Пока", None)]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        columns = [row[1] for row in db.execute("PRAGMA table_info(machine)")]
    db.close()
    assert "glossary_version" not in columns
    assert len(Memory(path).entries()) == 3  # opening again migrates nothing twice


def test_a_file_of_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(sqlite3.DatabaseError, match="newer than this l10n"):
        Memory(path)
