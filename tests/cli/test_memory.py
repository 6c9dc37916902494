"""`l10n memory`: export, import, purge and stats on the memory of L10N_DATA_DIR; exit codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from l10n.translate.memory import Memory
from tests.cli.runner import invoke
from tests.translate.memory.entries import sample


def test_export_import_purge_stats(tmp_path, monkeypatch):
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path / "data"))
    entries = sample(Memory(tmp_path / "data" / "memory.sqlite3"))
    result = invoke("memory", "stats")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "en-de\ten-de@1.0:m\t2\t2026-03-05T21:30:00+00:00" in out
    assert "en-ru\thuman corrections\t1\t" in out and "5 entries in " in out

    result = invoke("memory", "export", str(tmp_path / "all.tmx"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"exported 5 entries to {tmp_path / 'all.tmx'} (tmx)")
    assert ET.parse(tmp_path / "all.tmx").getroot().tag == "tmx"
    result = invoke("memory", "export", str(tmp_path / "all.tmx.jsonl"))
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "all.tmx.jsonl").read_text().splitlines()) == 5

    result = invoke("memory", "purge", "--pair", "en-de", "--model", "en-de@1.0:m")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("purged 2 entries")
    result = invoke("memory", "purge", "--corrections")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("purged 3 entries")
    result = invoke("memory", "import", str(tmp_path / "all.tmx"))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"imported 5 entries from {tmp_path / 'all.tmx'}\n"
    assert Memory(tmp_path / "data" / "memory.sqlite3").entries() == entries


def test_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "bad.jsonl").write_text('{"kind": "robot"}\n')
    result = invoke("memory", "import", str(tmp_path / "bad.jsonl"))
    assert result.exit_code == 2, result.output
    assert 'bad.jsonl: line 1: kind must be "machine" or "human"' in result.stderr
    result = invoke("memory", "import", str(tmp_path / "missing.tmx"))
    assert result.exit_code == 2, result.output
    assert invoke("memory", "purge", "--model", "k", "--corrections").exit_code == 2
    assert invoke("memory", "purge", "--pair", "english-german").exit_code == 2
