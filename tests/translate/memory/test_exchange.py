"""Memory exchange: JSONL and TMX exports round-trip, TMX is TMX 1.4, other tools' TMX and
exports from before schema version 2 import, malformed files are refused with their place."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from l10n.translate.memory import Entry, Memory
from l10n.translate.memory.exchange import (
    export_file,
    from_jsonl,
    from_tmx,
    import_file,
    to_jsonl,
    to_tmx,
)
from l10n.translate.types import Translation
from tests.translate.memory.entries import ALIGNED, machine, sample

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture()
def memory(tmp_path: Path) -> Memory:
    return Memory(tmp_path / "m.sqlite3")


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
    assert copy.lookup("en", "de", "en-de@1.0:m", ["Hello world"])["Hello world"] \
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
    assert memory.lookup("en", "de", "any", ["Press here."])["Press here."].human


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
        "model_key": "en-de@1.0:m", "source_spans": [], "target_spans": [], "alignment": []}


def test_exports_from_schema_version_1_import_without_their_glossary_version(memory, tmp_path):
    line = {"kind": "machine", "source": "en", "target": "de", "text": "Hello world",
            "translation": "Hallo Welt", "created_at": "2026-03-05T21:30:00+00:00",
            "model_key": "en-de@1.0:m", "glossary_version": "g1",
            "source_spans": [[0, 5], [5, 11]], "target_spans": [[0, 5], [5, 10]],
            "alignment": [0, 1]}
    (tmp_path / "old.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert import_file(memory, tmp_path / "old.jsonl") == (1, 0)
    tmx = to_tmx([machine("Bye", "Tschüss")]).replace(
        '<prop type="x-l10n-model">', '<prop type="x-l10n-glossary">g1</prop>'
        '<prop type="x-l10n-model">')
    assert "x-l10n-glossary" in tmx
    (tmp_path / "old.tmx").write_text(tmx, encoding="utf-8")
    assert import_file(memory, tmp_path / "old.tmx") == (1, 0)
    found = memory.lookup("en", "de", "en-de@1.0:m", ["Hello world", "Bye"])
    assert found["Hello world"].translation == ALIGNED
    assert found["Bye"].translation.text == "Tschüss"
