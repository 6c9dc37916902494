"""The translation memory: hits spare the engine, keys miss on model or glossary changes, human
corrections win, concurrent and killed writers lose nothing, exports round-trip."""

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
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from l10n.config import Settings
from l10n.translate.engine import Engine, Translation
from l10n.translate.memory import (
    Entry,
    Memory,
    export_file,
    from_jsonl,
    from_tmx,
    import_file,
    main_memory,
    normalise,
    to_jsonl,
    to_tmx,
)
from l10n.translate.pipeline import Pipeline
from tests.conftest import ROOT, TARGETS, translate_known

ARTICLE = json.loads((ROOT / "examples/articles/city-bridge.json").read_text(encoding="utf-8"))
NEW_PARAGRAPH = ("Rescuers found the two missing climbers alive on Saturday morning. "
                 "Nobody was injured, but 60 residents had to spend the night in a school.")
ALIGNED = Translation("Hallo Welt", ((0, 5), (5, 11)), ((0, 5), (5, 10)), (0, 1))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Stores `batches` transactions of `size` entries (each translation names its source), printing
# each batch number once committed; with a "go" file, waits for it first so writers overlap.
WRITER = """
import sys, time
from pathlib import Path
from l10n.translate.engine import Translation
from l10n.translate.memory import Memory
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
    memory.store("en", "de", "en-de@1.0:m", "g1", items)
    print(b, flush=True)
"""


def writer(path: Path, tag: str, batches: int, size: int, wait: bool = False) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(batches), str(size),
         *(["wait"] if wait else [])],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "ready\n"
    return process


def machine(text: str, out: str, model: str = "en-de@1.0:m", target: str = "de",
            translation: Translation | None = None) -> Entry:
    return Entry("en", target, text, translation or Translation(out), "2026-03-05T21:30:00+00:00",
                 model, "g1")


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


def test_human_correction_wins_over_machine_translation(settings, engine, corpus, memory):
    from service import create_app

    app = create_app(settings, engine, memory=memory)
    assert app.extensions["l10n"].memory is memory
    client = app.test_client()
    sentence = "Rescuers found the two missing climbers alive on Saturday morning."
    ask = {"text": sentence, "source": "en", "targets": ["de", "fr"]}
    assert client.post("/v1/translate", json=ask).get_json()["translations"] == \
        {"de": corpus["de"][sentence], "fr": corpus["fr"][sentence]}
    human = "Die Bergwacht fand die beiden Vermissten am Samstagmorgen lebend."
    response = client.put("/v1/memory", json={
        "source": "en", "target": "de", "text": "  " + sentence.replace(" ", "\n ", 1),
        "translation": human, "reviewer": "anna"})
    assert response.status_code == 200
    assert response.get_json() | {"created_at": None} == {
        "stored": True, "kind": "human", "source": "en", "target": "de",
        "text": "  " + sentence.replace(" ", "\n ", 1), "translation": human,
        "created_at": None, "reviewer": "anna"}
    calls = engine.calls
    body = client.post("/v1/translate", json=ask).get_json()
    assert body["translations"] == {"de": human, "fr": corpus["fr"][sentence]}
    assert engine.calls == calls


# -- the memory itself
def test_app_keeps_its_memory_in_the_data_dir(settings, engine, tmp_path):
    from service import create_app

    app = create_app(Settings(data_dir=tmp_path, models_dir=settings.models_dir), engine)
    memory = app.extensions["l10n"].memory
    assert memory.path == tmp_path / "memory.sqlite3" and memory.path.exists()
    assert app.extensions["l10n"].pipeline.memory is memory


def test_model_or_glossary_change_misses(memory):
    memory.store("en", "de", "en-de@1.0:m", "g1", [("Hello world", ALIGNED)])
    assert memory.lookup("en", "de", "en-de@1.1:m", "g1", ["Hello world"]) == {}
    assert memory.lookup("en", "de", "en-de@1.0:m", "g2", ["Hello world"]) == {}
    assert memory.lookup("en", "fr", "en-de@1.0:m", "g1", ["Hello world"]) == {}
    hit = memory.lookup("en", "de", "en-de@1.0:m", "g1", ["Hello world"])["Hello world"]
    assert (hit.translation, hit.human) == (ALIGNED, False)
    assert (memory.hits, memory.misses) == (1, 3)


def test_lookup_normalises_but_keeps_spans_only_for_the_same_spelling(memory):
    memory.store("en", "de", "k", "g", [("Hello world", ALIGNED), ("Café", Translation("Kaffee"))])
    spelled = ["Hello world", " Hello \u00a0 world\n", "Cafe\u0301", "Unknown"]
    found = memory.lookup("en", "de", "k", "g", spelled)
    assert set(found) == {"Hello world", " Hello \u00a0 world\n", "Cafe\u0301"}
    assert found["Hello world"].translation == ALIGNED
    assert found[" Hello \u00a0 world\n"].translation == Translation("Hallo Welt")  # offsets differ
    assert found["Cafe\u0301"].translation.text == "Kaffee"
    assert normalise(" a \t b\n") == "a b"


def test_human_correction_is_found_for_every_model_and_glossary(memory):
    memory.store("en", "de", "k1", "g1", [("Hello world", ALIGNED)])
    memory.correct("en", "de", "Hello  world", "Servus, Welt", reviewer="anna")
    for model, glossary in (("k1", "g1"), ("k2", "g9")):
        hit = memory.lookup("en", "de", model, glossary, ["Hello world"])["Hello world"]
        assert (hit.translation, hit.human) == (Translation("Servus, Welt"), True)
    assert memory.lookup("en", "fr", "k1", "g1", ["Hello world"]) == {}


def test_threads_writing_at_once_lose_nothing(memory):
    def write(tag: int) -> None:
        for i in range(50):
            memory.store("en", "de", "k", "g", [(f"{tag} {i}", Translation(f"T {tag} {i}"))])

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [f"{t} {i}" for t in range(8) for i in range(50)]
    found = memory.lookup("en", "de", "k", "g", texts)
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
    assert Memory(path).lookup("en", "de", "en-de@1.0:m", "g1", ["r0 0 0"])["r0 0 0"]


# -- export, import, purge
def sample(memory: Memory) -> list[Entry]:
    memory.add([
        machine("Hello world", "", translation=ALIGNED),
        machine(' <b>Tom & "Jerry"</b>  ', "<b>Tom & „Jerry“</b>"),
        machine("Hello world", "Bonjour le monde", model="en-fr@1.0:m", target="fr"),
        Entry("en", "ru", "Talks continued.", Translation("Переговоры продолжились."),
              "2026-01-02T03:04:05+00:00", reviewer="olga"),
        Entry("en", "de", "Bye", Translation("Tschüss"), "2026-01-02T03:04:05+00:00"),
    ])
    return memory.entries()


@pytest.mark.parametrize("fmt", ["jsonl", "tmx"])
def test_export_import_round_trip(memory, tmp_path, fmt):
    entries = sample(memory)
    assert len(entries) == 5
    path = tmp_path / f"memory.{fmt}"
    path.write_text("old")
    assert export_file(memory, path, fmt) == 5
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file
    copy = Memory(tmp_path / "copy.sqlite3")
    assert import_file(copy, path) == (5, 0)
    assert copy.entries() == entries
    assert copy.lookup("en", "de", "en-de@1.0:m", "g1", ["Hello world"])["Hello world"] \
        .translation == ALIGNED


def test_tmx_is_tmx_1_4(memory):
    root = ET.fromstring(to_tmx(sample(memory)).encode())
    assert (root.tag, root.get("version")) == ("tmx", "1.4")
    header = root.find("header")
    for attribute in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                      "srclang", "datatype"):
        assert header.get(attribute), attribute
    assert header.get("srclang") == "en"
    units = root.findall("body/tu")
    assert len(units) == 5
    for tu in units:
        tuvs = tu.findall("tuv")
        assert len(tuvs) == 2 and tuvs[0].get(XML_LANG) == "en"
        assert all(tuv.find("seg") is not None for tuv in tuvs)
    assert units[4].get("creationid") == "olga"
    assert units[4].get("creationdate") == "20260102T030405Z"


def test_tmx_from_another_tool_imports_as_human_corrections(memory, tmp_path):
    path = tmp_path / "agency.tmx"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="en-US" datatype="html"/>
  <body>
    <tu creationid="agency" creationdate="20240102T030405Z">
      <tuv xml:lang="de-DE"><seg>Drücken Sie <bpt i="1">&lt;b&gt;</bpt><hi>hier</hi><ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="en-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="it-IT"><seg>Premi qui.</seg></tuv>
    </tu>
  </body>
</tmx>
""", encoding="utf-8")
    assert import_file(memory, path) == (1, 1)  # Italian is not an edition
    assert memory.entries() == [Entry("en", "de", "Press here.", Translation("Drücken Sie hier."),
                                      "2024-01-02T03:04:05+00:00", reviewer="agency")]
    assert memory.lookup("en", "de", "any", "any", ["Press here."])["Press here."].human


@pytest.mark.parametrize("text, problem", [
    ('{"kind": "machine", "source": "en"}\n', "line 1: target must be a string"),
    ('\n{"kind": "human"}\n', "line 2: source must be a string"),
    ("not json\n", "line 1: Expecting value"),
])
def test_malformed_jsonl_is_rejected_with_its_line(text, problem):
    with pytest.raises(ValueError, match=problem):
        from_jsonl(text)


def test_malformed_tmx_is_rejected():
    with pytest.raises(ValueError, match="not valid XML"):
        from_tmx(b"<tmx><header/><body><tu>")
    bad = to_tmx([machine("a", "b")]).replace('"alignment": []', '"alignment": ["x"]')
    with pytest.raises(ValueError, match="alignment must be a list of integers"):
        from_tmx(bad.encode())


def test_jsonl_lines_are_entries(memory):
    lines = to_jsonl(sample(memory)).splitlines()
    assert len(lines) == 5
    assert json.loads(lines[0]) == {
        "kind": "machine", "source": "en", "target": "de", "text": ' <b>Tom & "Jerry"</b>  ',
        "translation": "<b>Tom & „Jerry“</b>", "created_at": "2026-03-05T21:30:00+00:00",
        "model_key": "en-de@1.0:m", "glossary_version": "g1",
        "source_spans": [], "target_spans": [], "alignment": []}


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


# -- command line
def test_cli_export_import_purge_stats(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path / "data"))
    entries = sample(Memory(tmp_path / "data" / "memory.sqlite3"))
    assert main_memory(["stats"]) == 0
    out = capsys.readouterr().out
    assert "en-de\ten-de@1.0:m\t2\t2026-03-05T21:30:00+00:00" in out
    assert "en-ru\thuman corrections\t1\t" in out and "5 entries in " in out

    assert main_memory(["export", str(tmp_path / "all.tmx")]) == 0
    assert capsys.readouterr().out.startswith(f"exported 5 entries to {tmp_path / 'all.tmx'} (tmx)")
    assert ET.parse(tmp_path / "all.tmx").getroot().tag == "tmx"
    assert main_memory(["export", str(tmp_path / "all.tmx.jsonl")]) == 0
    assert len((tmp_path / "all.tmx.jsonl").read_text().splitlines()) == 5

    assert main_memory(["purge", "--pair", "en-de", "--model", "en-de@1.0:m"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("purged 2 entries")
    assert main_memory(["purge", "--corrections"]) == 0
    assert capsys.readouterr().out.startswith("purged 3 entries")
    assert main_memory(["import", str(tmp_path / "all.tmx")]) == 0
    assert capsys.readouterr().out == f"imported 5 entries from {tmp_path / 'all.tmx'}\n"
    assert Memory(tmp_path / "data" / "memory.sqlite3").entries() == entries


def test_cli_errors(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "bad.jsonl").write_text('{"kind": "robot"}\n')
    assert main_memory(["import", str(tmp_path / "bad.jsonl")]) == 2
    assert 'bad.jsonl: line 1: kind must be "machine" or "human"' in capsys.readouterr().err
    assert main_memory(["import", str(tmp_path / "missing.tmx")]) == 2
    with pytest.raises(SystemExit):
        main_memory(["purge", "--model", "k", "--corrections"])
    with pytest.raises(SystemExit):
        main_memory(["purge", "--pair", "english-german"])


# -- HTTP validation
@pytest.mark.parametrize("body, code", [
    ([], "invalid_json"),
    ({"target": "de", "text": "a", "translation": "b"}, "missing_field"),
    ({"source": "en", "target": "xx", "text": "a", "translation": "b"}, "unsupported_language"),
    ({"source": "en", "target": "en", "text": "a", "translation": "b"}, "same_language"),
    ({"source": "en", "target": "de", "text": " ", "translation": "b"}, "empty_text"),
    ({"source": "en", "target": "de", "text": "a"}, "missing_field"),
    ({"source": "en", "target": "de", "text": "a", "translation": 5}, "wrong_type"),
    ({"source": "en", "target": "de", "text": "a", "translation": "b", "reviewer": 5},
     "wrong_type"),
])
def test_put_memory_rejects_bad_input(settings, engine, memory, body, code):
    from service import create_app

    client = create_app(settings, engine, memory=memory).test_client()
    response = client.put("/v1/memory", json=body)
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, code)
    assert memory.entries() == []
