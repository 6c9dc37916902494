"""Minimal writes (l10n.catalogs.pofile) and msgcat's wrapping (l10n.catalogs.render), held to
real-world catalogues and to GNU msgcat itself."""

from __future__ import annotations

import polib
import pytest

from l10n.catalogs import render
from l10n.catalogs.pofile import Document, parse

from .real import CATALOGUES, IDS, MSGCAT, VALID, changed_lines, gnu

needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) not installed")
LONG = ("Une traduction assez longue pour tenir sur plusieurs lignes, avec des espaces "
        "insécables\u00a0: et des «\u00a0guillemets\u00a0», un chemin /usr/share/l10n et "
        "un saut de ligne\nà la fin\n")


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_reading_and_writing_without_a_change_gives_the_same_bytes(path):
    text = path.read_text(encoding="utf-8")
    assert Document(text, path).text() == text


def _block(text: str, entry: polib.POEntry) -> list[str]:
    """The entry's lines in the file: from its first line to the next blank line."""
    lines = text.splitlines()
    end = entry.linenum - 1
    while end < len(lines) and lines[end].strip():
        end += 1
    return lines[entry.linenum - 1:end]


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_a_one_entry_edit_changes_only_that_entrys_lines(path):
    text = path.read_text(encoding="utf-8")
    for pick in (lambda e: not e.msgid_plural and e.msgstr and "\n" not in e.msgid,
                 lambda e: e.msgid_plural, lambda e: e.fuzzy):
        document = Document(text, path)
        target = next((e for e in document.po if not e.obsolete and pick(e)), None)
        if target is None:
            continue
        old_lines = _block(text, target)
        if target.msgid_plural:
            target.msgstr_plural = {n: LONG for n in target.msgstr_plural}
        else:
            target.msgstr = LONG
        target.flags = [f for f in target.flags if f != "fuzzy"]
        target.previous_msgid = None
        new = document.text()
        changes = changed_lines(text, new)
        assert changes and all(line[1:] in old_lines for line in changes if line[0] == "-")
        before, after = parse(text, path), parse(new, path)
        assert [str(e) for e in after if e.msgid != target.msgid] == \
            [str(e) for e in before if e.msgid != target.msgid]
        assert after.metadata == before.metadata


@needs_msgcat
@pytest.mark.parametrize("path", VALID, ids=[IDS[CATALOGUES.index(p)] for p in VALID])
def test_strings_are_wrapped_exactly_as_msgcat_wraps_them(path):
    """Every msgctxt/msgid/msgstr line and every #: line of the catalogue as msgcat writes
    it equals what render.py writes for the same entry."""
    result = gnu(MSGCAT, str(path))
    written = result.stdout
    lines = written.splitlines()
    compared = 0
    for entry in polib.pofile(written):
        block = _block(written, entry)
        strings = [line for line in block if not line.startswith("#") or line.startswith("#~ ")]
        mine = [line for name in render.keywords(entry) for line in render.string_lines(entry,
                                                                                        name)]
        assert mine == strings, (entry.msgid, lines[entry.linenum - 1])
        if not entry.obsolete:
            assert render.reference_lines(entry.occurrences) == \
                [line for line in block if line.startswith("#:")]
        compared += 1
    assert compared > 200


@needs_msgcat
def test_edited_and_new_entries_keep_a_msgcat_file_as_msgcat_writes_it(tmp_path):
    """Files written by this project and by msgcat (or msgmerge, or Poedit at 79 columns)
    converge: after edits and new entries, msgcat has nothing to change."""
    for path in CATALOGUES:
        text = path.read_text(encoding="utf-8")
        if gnu(MSGCAT, str(path)).stdout != text:
            continue  # not written by a GNU tool in the first place
        document = Document(text, path)
        for entry in [e for e in document.po if not e.obsolete and not e.msgid_plural][:40:4]:
            entry.msgstr = LONG + entry.msgstr
        document.po.insert(3, polib.POEntry(msgid="A new string " * 9, msgstr=LONG * 2,
                                            occurrences=[("src/new.c", str(n)) for n in range(90, 99)],
                                            flags=["fuzzy", "c-format"], comment="New.\nTwo"))
        out = tmp_path / path.name
        out.write_text(document.text(), encoding="utf-8")
        assert gnu(MSGCAT, str(out)).stdout == out.read_text(encoding="utf-8"), path


def test_blank_lines_comment_only_blocks_and_previous_lines_survive_an_edit():
    text = ('# header comment\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '\n\n#\n# a comment block, blank line, then its entry\n\nmsgid "a"\nmsgstr "b"\n'
            'msgid "c"\nmsgstr "d"\n\n#, fuzzy\n#~| msgid "gone before"\n#~ msgid "gone"\n'
            '#~ msgstr "weg"\n\n# trailing comment\n')
    document = Document(text)
    c = next(e for e in document.po if e.msgid == "c")
    c.msgstr = "D"
    new = document.text()
    assert changed_lines(text, new) == ['-msgstr "d"', '+msgstr "D"']
    assert Document(new).text() == new


def test_an_entry_made_obsolete_is_rewritten_with_the_obsolete_prefix():
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '# kept\n#: a.py:1\n#, python-format\nmsgid "%s left"\nmsgstr "%s übrig"\n')
    document = Document(text)
    document.po[0].obsolete = True
    document.po[0].occurrences = []
    assert document.text().endswith(
        '# kept\n#, python-format\n#~ msgid "%s left"\n#~ msgstr "%s übrig"\n')


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_a_header_field_change_changes_that_line_only(path):
    text = path.read_text(encoding="utf-8")
    document = Document(text, path)
    old = document.po.metadata["POT-Creation-Date"]
    document.po.metadata["POT-Creation-Date"] = "2030-01-01 00:00+0000"
    assert changed_lines(text, document.text()) == [
        f'-"POT-Creation-Date: {old}\\n"', '+"POT-Creation-Date: 2030-01-01 00:00+0000\\n"']
