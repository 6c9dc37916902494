"""Safe writes (l10n.catalogs.store): round trips, failures, concurrent writers."""

from __future__ import annotations

import difflib
import multiprocessing
import os
import shutil
from pathlib import Path

import polib
import pytest

from l10n.catalogs import (
    CatalogConflict,
    CatalogSyntaxError,
    check_catalog,
    edit_catalog,
)

from .shared import (
    MSGFMT,
    ROUNDTRIP,
    entry,
    fields,
    msgfmt_check,
    translator_saves,
)


# ------------------------------------------------------------------- round trip and writes
@pytest.fixture
def roundtrip(tmp_path: Path) -> Path:
    path = tmp_path / "messages.po"
    shutil.copy(ROUNDTRIP, path)
    return path


def test_the_round_trip_catalog_is_valid_with_its_four_plural_forms():
    checked = check_catalog(ROUNDTRIP)  # no edition: checked against its own header
    assert checked.errors == [] and checked.counts.untranslated == 1
    if MSGFMT:
        assert msgfmt_check(ROUNDTRIP).returncode == 0


def test_round_trip_without_changes_keeps_the_file_byte_for_byte(roundtrip):
    assert edit_catalog(roundtrip, lambda po: None) is False
    assert roundtrip.read_bytes() == ROUNDTRIP.read_bytes()


def test_an_edit_changes_that_entry_and_nothing_else(roundtrip):
    def fill(po):
        entry(po, "Not translated yet").msgstr = "Še ni prevedeno"
    assert edit_catalog(roundtrip, fill) is True
    old = ROUNDTRIP.read_text(encoding="utf-8").splitlines()
    new = roundtrip.read_text(encoding="utf-8").splitlines()
    changes = [line for line in difflib.unified_diff(old, new, lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changes == ['-msgstr ""', '+msgstr "Še ni prevedeno"']
    before, after = polib.pofile(str(ROUNDTRIP)), polib.pofile(str(roundtrip))
    assert after.metadata == before.metadata
    assert [fields(e) for e in after if e.msgid != "Not translated yet"] == \
           [fields(e) for e in before if e.msgid != "Not translated yet"]
    assert any(e.obsolete and e.fuzzy and len(e.msgstr_plural) == 4 for e in after)


def test_a_file_formatted_by_another_tool_keeps_every_entry_through_an_edit(roundtrip):
    narrow = str(polib.pofile(str(ROUNDTRIP), wrapwidth=40))  # as another editor wraps it
    roundtrip.write_text(narrow, encoding="utf-8")
    assert narrow != ROUNDTRIP.read_text(encoding="utf-8")
    assert edit_catalog(roundtrip, lambda po: None) is False  # formatting alone: not written
    assert roundtrip.read_text(encoding="utf-8") == narrow

    def fill(po):
        entry(po, "Last materials").msgstr = "Zadnji članki"
    edit_catalog(roundtrip, fill)
    before, after = polib.pofile(narrow), polib.pofile(str(roundtrip))
    entry(before, "Last materials").msgstr = "Zadnji članki"
    assert [fields(e) for e in after] == [fields(e) for e in before]
    assert after.metadata == before.metadata


@pytest.mark.parametrize("bad", ['msgstr "Foto', "msgstr Foto", 'msgstr "Fo\\qto"'])
def test_lines_the_lenient_parser_would_swallow_are_refused(roundtrip, bad):
    text = ROUNDTRIP.read_text(encoding="utf-8").replace('msgstr "Foto: %(credit)s"', bad)
    roundtrip.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogSyntaxError) as raised:
        edit_catalog(roundtrip, lambda po: None)
    assert raised.value.line == text.splitlines().index(bad) + 1
    assert roundtrip.read_text(encoding="utf-8") == text


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(roundtrip, monkeypatch):
    def fail(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        edit_catalog(roundtrip, lambda po: setattr(po[0], "msgstr", "x"))
    assert roundtrip.read_bytes() == ROUNDTRIP.read_bytes()
    assert sorted(p.name for p in roundtrip.parent.iterdir()) == ["messages.po"]


# ---------------------------------------------------------------------- concurrent edits
def test_a_translator_save_during_an_edit_is_merged_not_lost(roundtrip):
    calls = []

    def fill(po):
        calls.append(1)
        if len(calls) == 1:  # the translator saves while this edit is under way
            translator_saves(roundtrip, "Last materials", "Najnovejše")
        entry(po, "Not translated yet").msgstr = "Še ni prevedeno"
    assert edit_catalog(roundtrip, fill) is True
    po = polib.pofile(str(roundtrip))
    assert entry(po, "Last materials").msgstr == "Najnovejše"
    assert entry(po, "Not translated yet").msgstr == "Še ni prevedeno"
    assert len(calls) == 2


def test_a_file_that_keeps_changing_is_left_as_the_translator_saved_it(roundtrip):
    saves = iter(range(100))

    def fill(po):
        translator_saves(roundtrip, "Last materials", f"Različica {next(saves)}")
        entry(po, "Not translated yet").msgstr = "Še ni prevedeno"
    with pytest.raises(CatalogConflict, match="changed on disk"):
        edit_catalog(roundtrip, fill)
    po = polib.pofile(str(roundtrip))
    assert entry(po, "Last materials").msgstr == f"Različica {next(saves) - 1}"
    assert entry(po, "Not translated yet").msgstr == ""


def test_a_translator_save_that_breaks_the_file_is_not_overwritten(roundtrip):
    def fill(po):
        broken = ROUNDTRIP.read_text(encoding="utf-8").replace('msgstr "Prevedi"', "msgstr Prevedi")
        roundtrip.write_text(broken, encoding="utf-8")
        entry(po, "Not translated yet").msgstr = "Še ni prevedeno"
    with pytest.raises(CatalogSyntaxError):
        edit_catalog(roundtrip, fill)
    assert "msgstr Prevedi" in roundtrip.read_text(encoding="utf-8")


def _fill_entries(path: str, numbers: list[int]) -> None:
    for number in numbers:
        def fill(po, number=number):
            entry(po, f"String {number}").msgstr = f"Translation {number}"
        while True:
            try:
                edit_catalog(Path(path), fill)
                break
            except CatalogConflict:  # told, not lost: try again
                continue


def test_concurrent_writers_lose_no_edit(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=utf-8", "Language": "de"}
    for number in range(24):
        po.append(polib.POEntry(msgid=f"String {number}", msgstr=""))
    path = tmp_path / "messages.po"
    path.write_text(str(po), encoding="utf-8")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_fill_entries, args=(str(path), list(range(k, 24, 4))))
               for k in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    result = polib.pofile(str(path))
    assert {e.msgid: e.msgstr for e in result} == {f"String {n}": f"Translation {n}"
                                                   for n in range(24)}
