"""msgmerge-grade update (l10n.catalogs.merge through workflow.update_text), compared with
GNU msgmerge --previous on real-world catalogues."""

from __future__ import annotations

import random

import polib
import pytest

from l10n.catalogs import render
from l10n.catalogs.pofile import parse, render_new
from l10n.catalogs.workflow import update_text

from .real import CATALOGUES, IDS, MSGMERGE, VALID, changed_lines, entries, gnu, template_of

needs_msgmerge = pytest.mark.skipif(MSGMERGE is None, reason="GNU gettext not installed")
RULE = "nplurals=2; plural=(n != 1);"
VALID_IDS = [IDS[CATALOGUES.index(p)] for p in VALID]


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_update_with_an_unchanged_template_changes_nothing(path):
    text = path.read_text(encoding="utf-8")
    assert update_text(text, template_of(parse(text, path)), RULE, path) == text


def changed_template(po: polib.POFile) -> tuple[polib.POFile, polib.POEntry | None]:
    """Strings removed, strings edited a little, a new one, and an obsolete one back."""
    template = template_of(po)
    live = [e for e in template if e.msgid]
    chooser = random.Random(3)
    for gone in chooser.sample(live, 5):
        template.remove(gone)
    for edited in chooser.sample([e for e in template if len(e.msgid) > 12 and not e.msgid_plural
                                  and "\n" not in e.msgid], 5):
        edited.msgid = edited.msgid[:-3] + "xyz"
    template.append(polib.POEntry(msgid="A completely new string nobody has seen", msgstr=""))
    returning = next((e for e in po if e.obsolete and e.msgstr and not e.msgid_plural), None)
    if returning is not None:
        template.append(polib.POEntry(msgid=returning.msgid, msgctxt=returning.msgctxt))
    return template, returning


@needs_msgmerge
@pytest.mark.parametrize("path", VALID, ids=VALID_IDS)
def test_update_gives_the_entries_msgmerge_gives(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    po = parse(text, path)
    template, returning = changed_template(po)
    pot = tmp_path / "messages.pot"
    pot.write_text(render_new(template), encoding="utf-8")
    ours = update_text(text, template, RULE, path)
    theirs = gnu(MSGMERGE, "--previous", "--quiet", str(path), str(pot)).stdout
    mine, gnus = entries(parse(ours, "ours")), entries(polib.pofile(theirs))
    differ = {key for key in mine.keys() | gnus.keys() if mine.get(key) != gnus.get(key)}
    if returning is not None and not returning.fuzzy:
        # The one deliberate difference: msgmerge 0.21 revives an obsolete translation as
        # final; here it comes back fuzzy, for a review.
        key = (returning.msgctxt, returning.msgid, False)
        assert differ == {key}
        assert "fuzzy" in mine[key][3] and "fuzzy" not in gnus[key][3]
        assert mine[key][1] == gnus[key][1] == returning.msgstr
        assert mine[key][4] == returning.msgid  # `#| msgid`: the string as it was
    else:
        assert differ == set()
    # `#|` lines are wrapped as msgmerge wraps them.
    merged = polib.pofile(theirs)
    lines = theirs.splitlines()
    for entry in (e for e in merged if e.previous_msgid):
        block = lines[entry.linenum - 1:]
        block = block[:next((n for n, line in enumerate(block) if not line.strip()), len(block))]
        assert render.previous_lines(entry) == [line for line in block if line.startswith("#|")]
    # Fixed point: msgmerge on what update wrote, with the same template, decides nothing new.
    written = tmp_path / "ours.po"
    written.write_text(ours, encoding="utf-8")
    again = gnu(MSGMERGE, "--previous", "--quiet", str(written), str(pot)).stdout
    assert entries(polib.pofile(again)) == mine
    # Only the merged entries changed: about as many lines as msgmerge's own diff touches.
    assert len(changed_lines(text, ours)) <= 1.2 * len(changed_lines(text, theirs)) + 10


def _catalog(body: str) -> str:
    return ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n' + body)


def _template(*msgids: str, flags: str = "") -> polib.POFile:
    return parse(_catalog("".join(f'{flags}msgid "{m}"\nmsgstr ""\n\n' for m in msgids)), "pot")


def test_obsolete_entries_keep_their_flags_and_come_back_fuzzy():
    text = _catalog('#: a.py:1\n#, fuzzy, python-format\nmsgid "%s left"\nmsgstr "%s übrig"\n\n'
                    '#: a.py:2\nmsgid "Stay"\nmsgstr "Bleib"\n')
    gone = update_text(text, _template("Stay"), RULE)
    assert '#, fuzzy, python-format\n#~ msgid "%s left"\n#~ msgstr "%s übrig"' in gone
    assert "a.py:1" not in gone
    back = parse(update_text(gone, _template("Stay", "%s left", flags="#, python-format\n"),
                             RULE), "back")
    returned = next(e for e in back if e.msgid == "%s left")
    assert not returned.obsolete and returned.msgstr == "%s übrig"
    assert returned.flags == ["fuzzy", "python-format"]


def test_a_returning_reviewed_string_is_fuzzy_with_its_msgid_as_previous():
    text = _catalog('msgid "Stay"\nmsgstr "Bleib"\n\n#~ msgid "Back"\n#~ msgstr "Zurück"\n')
    back = parse(update_text(text, _template("Stay", "Back"), RULE), "back")
    returned = next(e for e in back if e.msgid == "Back")
    assert (returned.fuzzy, returned.msgstr, returned.previous_msgid) == (True, "Zurück", "Back")


def test_c_catalogues_never_gain_python_format(tmp_path):
    path = next(p for p in CATALOGUES if p.parent.name == "flatpak")
    text = path.read_text(encoding="utf-8")
    template = template_of(parse(text, path))
    for entry in template:
        entry.msgid += " (changed)"  # every string changed: every entry merged anew
    merged = parse(update_text(text, template, RULE, path), "merged")
    assert not any("python" in flag for e in merged for flag in e.flags)
    assert sum("c-format" in e.flags for e in merged if not e.obsolete) == \
        sum("c-format" in e.flags for e in template)


def test_a_similar_new_string_borrows_the_translation_as_fuzzy():
    text = _catalog('msgid "Delete the selected file"\nmsgstr "Ausgewählte Datei löschen"\n')
    merged = parse(update_text(text, _template("Delete the selected files", "Unrelated"), RULE),
                   "m")
    similar = next(e for e in merged if e.msgid == "Delete the selected files")
    assert similar.fuzzy and similar.previous_msgid == "Delete the selected file"
    assert similar.msgstr == "Ausgewählte Datei löschen"
    assert next(e for e in merged if e.msgid == "Unrelated").msgstr == ""
    assert not any(e.obsolete for e in merged)  # the borrowed entry is not kept twice


def test_a_catalogue_msgmerge_refuses_is_still_updated():
    """The ihatemoney files, which msgmerge refuses (duplicates), are still updated: the
    live entry is kept, the duplicate obsolete one left for `check` to report."""
    path = next(p for p in CATALOGUES if p.name == "pt.po")
    text = path.read_text(encoding="utf-8")
    template = template_of(parse(text, path))
    template.append(polib.POEntry(msgid="One more string"))
    merged = update_text(text, template, RULE, path)
    assert changed_lines(text, merged) == ["+", '+msgid "One more string"', '+msgstr ""']
