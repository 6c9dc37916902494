"""The translators' workflow for the site's UI strings (l10n.catalogs), end to end.

Real Babel, polib, Jinja2 and GNU msgfmt (where installed); pretranslate through the real
engine with the fixture models (conftest's `engine`).
"""

from __future__ import annotations

import difflib
import gettext
import json
import multiprocessing
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2
import polib
import pytest

from l10n.catalogs import (
    EDITIONS,
    TEMPLATES_DIR,
    CatalogConflict,
    CatalogNotFound,
    CatalogSyntaxError,
    catalog_messages,
    catalog_path,
    catalog_status,
    check_catalog,
    check_catalogs,
    compile_catalogs,
    edit_catalog,
    extract,
    main_catalogs,
    pretranslate,
    serving,
    translations,
    update,
)
from l10n.editions import DEFAULT_TARGETS

REPO = Path(__file__).resolve().parents[2]
LOCALES = REPO / "locales"
ROUNDTRIP = Path(__file__).resolve().parents[1] / "data" / "catalogs" / "roundtrip.po"
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) not installed")

PLURAL_FORMS = {  # the publisher's rules, spelled out here independently of the code
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 "
          "&& (n%100<10 || n%100>=20) ? 1 : 2);",
    "de": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
}
LANGUAGE_HEADER = {"ru": "ru", "de": "de", "fr": "fr", "pt": "pt_BR", "es": "es"}


def msgfmt_check(path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([MSGFMT, "--check", *extra, "-o", os.devnull, str(path)],
                          capture_output=True, text=True)


def entry(po: polib.POFile, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    found = po.find(msgid, msgctxt=msgctxt) if msgctxt else po.find(msgid)
    assert found is not None, msgid
    return found


def fields(e: polib.POEntry) -> tuple:
    """Everything a round trip must keep of an entry."""
    return (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, dict(e.msgstr_plural),
            e.tcomment, e.comment, list(e.occurrences), list(e.flags), e.previous_msgctxt,
            e.previous_msgid, e.previous_msgid_plural, e.obsolete)


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A private copy of the shipped catalogs."""
    target = tmp_path / "locales"
    shutil.copytree(LOCALES, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small source tree laid out like the repository, with the repository's babel.cfg."""
    root = tmp_path / "project"
    (root / "l10n" / "web" / "templates").mkdir(parents=True)
    (root / "tests").mkdir()
    shutil.copy(REPO / "babel.cfg", root / "babel.cfg")
    (root / "l10n" / "views.py").write_text(
        "def page(_, name):\n"
        "    # Translators: greeting on the front page\n"
        "    return _('Hello %(name)s') % {'name': name}\n", encoding="utf-8")
    (root / "service.py").write_text(
        "def files(ngettext, n):\n"
        "    return ngettext('{n} file', '{n} files', n).format(n=n)\n", encoding="utf-8")
    (root / "tests" / "test_x.py").write_text("_('not a UI string')\n", encoding="utf-8")
    write_template(root, ["Popular", "Now reading"])
    return root


def write_template(root: Path, strings: list[str]) -> None:
    body = "".join(f'{{# Translators: about {s} #}}<p>{{{{ _("{s}") }}}}</p>\n' for s in strings)
    body += ('{{ ngettext("{count} comment", "{count} comments", n).format(count=n) }}\n'
             '{{ pgettext("button", "Translate") }}\n')
    (root / "l10n" / "web" / "templates" / "page.html").write_text(body, encoding="utf-8")


# ------------------------------------------------------------------------ shipped catalogs
def test_editions_are_the_service_targets():
    assert tuple(EDITIONS) == DEFAULT_TARGETS


@pytest.mark.parametrize("lang", list(PLURAL_FORMS))
def test_shipped_catalog_headers_follow_the_house_rules(lang):
    po = polib.pofile(str(catalog_path(LOCALES, lang)))
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[lang]
    assert po.metadata["Language"] == LANGUAGE_HEADER[lang]
    assert po.metadata["Content-Type"] == "text/plain; charset=utf-8"
    assert not po.metadata_is_fuzzy


@needs_msgfmt
@pytest.mark.parametrize("lang", list(EDITIONS))
def test_shipped_catalogs_pass_msgfmt_check(lang):
    for extra in ((), ("--use-fuzzy",)):
        result = msgfmt_check(catalog_path(LOCALES, lang), *extra)
        assert result.returncode == 0, result.stderr
        assert "warning" not in result.stderr, result.stderr


def test_shipped_catalogs_pass_our_check_and_every_string_is_translated():
    for checked in check_catalogs(LOCALES):
        assert not checked.failed(), [str(p) for p in checked.errors]
        assert checked.counts.untranslated == 0, checked.path
        po = polib.pofile(str(checked.path))
        for e in po.fuzzy_entries():  # a doubt or a machine, explained for the reviewer
            assert e.msgstr and e.tcomment, (checked.path, e.msgid)


def test_catalogs_are_extracted_from_the_sources_and_up_to_date(locales):
    """`make catalogs` on the committed tree changes nothing: every string comes from the
    templates and code (none typed into a catalog by hand), and none is missing."""
    assert extract(locales, root=REPO).action == "unchanged"
    assert all(w.action == "unchanged" for w in update(locales))
    for path in [locales / "messages.pot", *locales.glob("*/LC_MESSAGES/messages.po")]:
        assert path.read_bytes() == (LOCALES / path.relative_to(locales)).read_bytes()


# ---------------------------------------------------------------------- extract and update
def test_extract_reads_templates_and_python_code_per_babel_cfg(project, tmp_path):
    written = extract(tmp_path / "out", root=project)
    assert written.action == "created"
    pot = polib.pofile(str(written.path))
    hello = entry(pot, "Hello %(name)s")
    assert "python-format" in hello.flags
    assert hello.comment == "greeting on the front page"
    assert hello.occurrences == [("l10n/views.py", "3")]
    files = entry(pot, "{n} file")
    assert files.msgid_plural == "{n} files" and "python-brace-format" in files.flags
    popular = entry(pot, "Popular")
    assert popular.comment == "about Popular"
    assert popular.occurrences == [("l10n/web/templates/page.html", "1")]
    assert entry(pot, "Translate", msgctxt="button")
    assert pot.find("not a UI string") is None  # tests/ is not part of the UI


def test_update_keeps_translations_marks_changed_strings_and_keeps_obsolete(project, tmp_path):
    locales = tmp_path / "out"
    extract(locales, root=project)
    assert {w.action for w in update(locales, ["ru", "pt"])} == {"created"}
    for lang in ("ru", "pt"):  # new catalogs get the house plural rule, not Babel's `pt`
        po = polib.pofile(str(catalog_path(locales, lang)))
        assert po.metadata["Plural-Forms"] == PLURAL_FORMS[lang]
        assert po.metadata["Language"] == LANGUAGE_HEADER[lang]

    def translate(po):
        entry(po, "Popular").msgstr = "Популярное"
        entry(po, "Now reading").msgstr = "Сейчас читают"
        entry(po, "{count} comment").msgstr_plural = {0: "{count} комментарий",
                                                      1: "{count} комментария",
                                                      2: "{count} комментариев"}
        po.metadata["X-Generator"] = "Poedit 3.4"
    edit_catalog(catalog_path(locales, "ru"), translate)

    write_template(project, ["Most popular", "Archive"])  # changed, gone, new
    extract(locales, root=project)
    assert [w.action for w in update(locales, ["ru"])] == ["updated"]
    po = polib.pofile(str(catalog_path(locales, "ru")))
    changed = entry(po, "Most popular")
    assert changed.fuzzy and changed.msgstr == "Популярное"
    assert changed.previous_msgid == "Popular"
    gone = [e for e in po.obsolete_entries() if e.msgid == "Now reading"]
    assert gone and gone[0].msgstr == "Сейчас читают"
    assert entry(po, "{count} comment").msgstr_plural[2] == "{count} комментариев"
    assert entry(po, "Archive").msgstr == ""
    assert po.metadata["X-Generator"] == "Poedit 3.4"

    before = catalog_path(locales, "ru").read_bytes()
    extract(locales, root=project)
    assert [w.action for w in update(locales, ["ru"])] == ["unchanged"]
    assert catalog_path(locales, "ru").read_bytes() == before  # `#|` survives a re-run


def test_update_refuses_a_catalog_with_broken_syntax(locales):
    path = catalog_path(locales, "de")
    broken = path.read_text(encoding="utf-8").replace('msgstr "Welt"', 'msgstr "Welt', 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogSyntaxError, match="not PO syntax"):
        update(locales, ["de"])
    assert path.read_text(encoding="utf-8") == broken


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
def translator_saves(path: Path, msgid: str, text: str) -> None:
    """What Poedit does: rewrite the whole file with one entry changed."""
    po = polib.pofile(str(path))
    entry(po, msgid).msgstr = text
    path.write_text(str(po), encoding="utf-8")


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


# ------------------------------------------------------------------------------- check
def header(lang: str, plural_forms: str | None = None, **fields: str | None) -> str:
    values = {"Project-Id-Version": "l10n 0.1.0",
              "PO-Revision-Date": "2026-01-27 10:00+0000",
              "Last-Translator": "Anna Translator <anna@example.org>",
              "Language-Team": "Test edition",
              "Language": LANGUAGE_HEADER[lang],
              "MIME-Version": "1.0",
              "Content-Type": "text/plain; charset=UTF-8",
              "Content-Transfer-Encoding": "8bit",
              "Plural-Forms": plural_forms or PLURAL_FORMS[lang]}
    values.update(fields)
    lines = "".join(f'"{k}: {v}\\n"\n' for k, v in values.items() if v is not None)
    return f'msgid ""\nmsgstr ""\n{lines}\n'


VALID = {
    "ru": header("ru") + '''#, python-format
msgid "Photo: %(credit)s"
msgstr "Фото: %(credit)s"

#, python-format
msgid "%s of %d"
msgstr "%s из %d"

#, python-brace-format
msgid "Updated {time}"
msgstr "Обновлено {time}"

#, python-brace-format
msgid "{count} comment"
msgid_plural "{count} comments"
msgstr[0] "{count} комментарий"
msgstr[1] "{count} комментария"
msgstr[2] "{count} комментариев"

#, c-format
msgid "%s: %d items"
msgstr "%s: %d элементов"

msgid "All rights reserved."
msgstr "Все права защищены."
''',
    "fr": header("fr") + '''#, python-format
msgid "Photo: %(credit)s"
msgstr "Photo\u00a0: %(credit)s"

msgid "Ready?"
msgstr "Prêt\u00a0?"
''',
    "de": header("de") + '''#, python-brace-format
msgid "{count} comment"
msgid_plural "{count} comments"
msgstr[0] "ein Kommentar"
msgstr[1] "{count} Kommentare"
''',
}


@dataclass(frozen=True)
class Broken:
    name: str
    lang: str
    text: str
    at: str              # the report's line is the first line holding this (last with "!")
    expect: str          # in the problem's message
    msgfmt_fails: bool   # GNU msgfmt --check rejects it too (False: only warns, or accepts)


def ru(old: str, new: str) -> str:
    assert old in VALID["ru"]
    return VALID["ru"].replace(old, new, 1)


HEAD = 'msgid ""'
RIGHTS = 'msgid "All rights reserved."'
PLURAL = 'msgid "{count} comment"'
PHOTO = 'msgid "Photo: %(credit)s"'
UPDATED = 'msgid "Updated {time}"'
RIGHTS_RU = 'msgstr "Все права защищены."'
PHOTO_RU = 'msgstr "Фото: %(credit)s"'
UPDATED_RU = 'msgstr "Обновлено {time}"'
BROKEN = [
    # header (msgfmt only warns about most of these; for us they are errors)
    Broken("header field missing", "ru",
           ru('"Last-Translator: Anna Translator <anna@example.org>\\n"\n', ""),
           HEAD, "'Last-Translator' is missing", False),
    Broken("header field initial value", "ru",
           ru("Anna Translator <anna@example.org>", "FULL NAME <EMAIL@ADDRESS>"),
           HEAD, "'Last-Translator' still has its initial value", False),
    Broken("header charset", "ru", ru("charset=UTF-8", "charset=CHARSET"),
           HEAD, "charset", False),
    Broken("fuzzy header", "ru", "#, fuzzy\n" + VALID["ru"],
           HEAD, "header is marked fuzzy", False),
    Broken("no header", "ru", VALID["ru"][VALID["ru"].index("#, python-format"):],
           "#, python-format", "no header entry", False),
    Broken("wrong Language", "ru", ru("Language: ru", "Language: uk"),
           HEAD, "Language is 'uk'", False),
    # plural forms
    Broken("edition plural rule", "ru",
           ru(PLURAL_FORMS["ru"], "nplurals=3; plural=(n%10==1 ? 0 : n%10==2 ? 1 : 2);"),
           HEAD, "Plural-Forms is", False),
    Broken("nplurals disagrees with entries", "ru", ru(PLURAL_FORMS["ru"], PLURAL_FORMS["de"]),
           HEAD, "Plural-Forms is", True),
    Broken("plural expression out of range", "ru",
           ru(PLURAL_FORMS["ru"], "nplurals=3; plural=(n%10);"),
           HEAD, "plural expression gives", True),
    Broken("plural expression invalid", "ru", ru(PLURAL_FORMS["ru"], "nplurals=3; plural=(n != );"),
           HEAD, "Plural-Forms:", True),
    Broken("no Plural-Forms", "ru", ru(f'"Plural-Forms: {PLURAL_FORMS["ru"]}\\n"\n', ""),
           HEAD, "no Plural-Forms", True),
    Broken("plural form count", "ru", ru('msgstr[2] "{count} комментариев"\n', ""),
           PLURAL, "has plural forms [0, 1], but the header says nplurals=3", True),
    Broken("empty plural form", "ru", ru('msgstr[1] "{count} комментария"', 'msgstr[1] ""'),
           PLURAL, "missing plural forms: msgstr[1]", False),
    Broken("msgstr[N] without msgid_plural", "ru",
           ru(RIGHTS_RU, 'msgstr[0] "Все права защищены."'),
           RIGHTS, "no msgid_plural", True),
    # format strings, per flag
    Broken("python-format missing", "ru", ru(PHOTO_RU, 'msgstr "Фото"'),
           PHOTO, "%(credit)s is missing", True),
    Broken("python-format extra", "ru", ru(PHOTO_RU, 'msgstr "Фото: %(credit)s %(x)s"'),
           PHOTO, "%(x)s is not in the source", True),
    Broken("python-format type", "ru", ru(PHOTO_RU, 'msgstr "Фото: %(credit)d"'),
           PHOTO, "%(credit)d does not match %(credit)s", True),
    Broken("python-format order", "ru", ru('msgstr "%s из %d"', 'msgstr "%d из %s"'),
           'msgid "%s of %d"', "does not match", True),
    Broken("python-brace-format missing", "ru", ru(UPDATED_RU, 'msgstr "Обновлено"'),
           UPDATED, "{time} is missing", True),
    Broken("python-brace-format extra", "ru", ru(UPDATED_RU, 'msgstr "Обновлено {time} {x}"'),
           UPDATED, "{x} is not in the source", True),
    Broken("python-brace-format invalid", "ru", ru(UPDATED_RU, 'msgstr "Обновлено {time"'),
           UPDATED, "not a valid python-brace-format string", True),
    Broken("plural form for many numbers drops the number", "ru",
           ru('msgstr[0] "{count} комментарий"', 'msgstr[0] "один комментарий"'),
           PLURAL, "msgstr[0]: python-brace-format: {count} is missing", True),
    Broken("c-format", "ru", ru('msgstr "%s: %d элементов"', 'msgstr "%d: %s элементов"'),
           'msgid "%s: %d items"', "c-format", True),
    # newlines at the ends, duplicates, syntax
    Broken("newline at the beginning", "ru", ru(RIGHTS_RU, 'msgstr "\\nВсе права защищены."'),
           RIGHTS, "do not both begin with '\\n'", True),
    Broken("newline at the end", "ru", ru(RIGHTS_RU, 'msgstr "Все права защищены.\\n"'),
           RIGHTS, "do not both end with '\\n'", True),
    Broken("newline msgid_plural", "ru",
           ru('msgid_plural "{count} comments"', 'msgid_plural "{count} comments\\n"'),
           PLURAL, "'msgid' and 'msgid_plural' do not both end", True),
    Broken("duplicate", "ru",
           VALID["ru"] + '\nmsgid "All rights reserved."\nmsgstr "Права защищены."\n',
           RIGHTS + "!", "duplicate message definition", True),
    Broken("syntax: unterminated string", "ru", ru(RIGHTS_RU, 'msgstr "Все права'),
           'msgstr "Все права', "not PO syntax", True),
    Broken("syntax: invalid escape", "ru", ru(RIGHTS_RU, 'msgstr "Все\\q права"'),
           'msgstr "Все\\q', "not PO syntax", True),
]
CASES = {case.name: case for case in BROKEN}
HOUSE = [  # (rule, language, catalog, marker of the entry, message)
    ("whitespace", "ru", ru(RIGHTS_RU, 'msgstr "Все права защищены. "'), RIGHTS,
     "leading/trailing whitespace"),
    ("punctuation", "ru", ru(RIGHTS_RU, 'msgstr "Все права защищены"'), RIGHTS,
     "ends with 'no punctuation'"),
    ("french-spacing", "fr", VALID["fr"].replace("Prêt\u00a0?", "Prêt ?"), 'msgid "Ready?"',
     "no-break space (U+00A0) before '?'"),
    ("french-spacing", "fr", VALID["fr"].replace("Photo\u00a0:", "Photo:"), PHOTO,
     "no-break space (U+00A0) before ':'"),
]


@pytest.mark.parametrize(("rule", "lang", "text", "at", "expect"), HOUSE)
def test_house_rules_are_warnings_unless_the_catalog_says_otherwise(tmp_path, rule, lang, text,
                                                                   at, expect):
    write_catalog(tmp_path, lang, text)
    (checked,) = check_catalogs(tmp_path, [lang])
    line = text.splitlines().index(at) + 1
    assert [(p.line, p.severity) for p in checked.problems if expect in p.message] == \
        [(line, "warning")]
    assert not checked.failed()
    for severity, failed in (("error", True), ("off", False)):
        configured = text.replace('"Content-Type:', f'"X-House-Rules: {rule}={severity}\\n"\n'
                                                    '"Content-Type:', 1)
        write_catalog(tmp_path, lang, configured)
        (checked,) = check_catalogs(tmp_path, [lang])
        assert checked.failed() is failed
        assert any(expect in p.message for p in checked.problems) is failed


def test_a_french_keyword_list_needs_no_space_before_its_semicolons(tmp_path):
    text = VALID["fr"] + 'msgid "Calculator;Math;"\nmsgstr "Calculatrice;Calcul;"\n'
    write_catalog(tmp_path, "fr", text)
    (checked,) = check_catalogs(tmp_path, ["fr"])
    assert checked.problems == []


def test_a_bad_house_rules_field_is_an_error(tmp_path):
    text = VALID["ru"].replace('"Content-Type:', '"X-House-Rules: spelling=error\\n"\n'
                                                 '"Content-Type:', 1)
    write_catalog(tmp_path, "ru", text)
    (checked,) = check_catalogs(tmp_path, ["ru"])
    assert [p.message for p in checked.errors][0].startswith("X-House-Rules: 'spelling=error'")


def write_catalog(locales: Path, lang: str, text: str) -> Path:
    path = catalog_path(locales, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", list(VALID))
def test_the_valid_catalogs_pass_both_checks(tmp_path, lang):
    path = write_catalog(tmp_path, lang, VALID[lang])
    (checked,) = check_catalogs(tmp_path, [lang])
    assert checked.problems == [] and not checked.failed(strict=True)
    if MSGFMT:
        result = msgfmt_check(path)
        assert result.returncode == 0 and not result.stderr, result.stderr


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_check_catches_each_error_class(tmp_path, case):
    path = write_catalog(tmp_path, case.lang, case.text)
    (checked,) = check_catalogs(tmp_path, [case.lang])
    marker, last = case.at.rstrip("!"), case.at.endswith("!")
    lines = [n for n, line in enumerate(case.text.splitlines(), 1) if line.startswith(marker)]
    errors = [p for p in checked.errors if case.expect in p.message]
    assert errors, [str(p) for p in checked.problems]
    assert errors[0].line == lines[-1 if last else 0]
    assert errors[0].path == path
    assert checked.failed()
    if MSGFMT and case.msgfmt_fails:  # proves the class is one msgfmt rejects, and we too
        assert msgfmt_check(path).returncode != 0


def test_a_plural_form_used_for_one_number_may_say_one_instead_of_the_number(tmp_path):
    (checked,) = check_catalogs(write_catalog(tmp_path, "de", VALID["de"]).parents[2], ["de"])
    assert checked.problems == []  # de form 0 is only n=1; ru form 0 is 1, 21, 31... (above)


def test_problems_of_fuzzy_entries_are_warnings_until_strict(tmp_path):
    text = ru('#, python-brace-format\nmsgid "Updated {time}"\nmsgstr "Обновлено {time}"',
              '#, fuzzy, python-brace-format\nmsgid "Updated {time}"\nmsgstr "Обновлено"')
    write_catalog(tmp_path, "ru", text + '\nmsgid "New string"\nmsgstr ""\n')
    (checked,) = check_catalogs(tmp_path, ["ru"])
    assert checked.errors == []
    messages = {(p.msgid, p.severity, p.message) for p in checked.problems}
    missing = "msgstr: python-brace-format: {time} is missing"
    assert ("Updated {time}", "warning", missing) in messages
    assert ("New string", "warning", "untranslated") in messages
    assert (checked.counts.fuzzy, checked.counts.untranslated) == (1, 1)
    assert not checked.failed() and checked.failed(strict=True)


def test_same_as_source_is_a_warning_except_for_placeholders_only(tmp_path):
    text = VALID["ru"] + ('\nmsgid "Sport"\nmsgstr "Sport"\n\n#, python-format\n'
                          'msgid "%(author)s, %(date)s"\nmsgstr "%(author)s, %(date)s"\n')
    write_catalog(tmp_path, "ru", text)
    (checked,) = check_catalogs(tmp_path, ["ru"])
    assert [(p.msgid, p.severity) for p in checked.problems] == [("Sport", "warning")]


def test_check_command_reports_file_line_and_fails(tmp_path, capsys):
    case = CASES["python-format missing"]
    write_catalog(tmp_path, "ru", case.text)
    assert main_catalogs(["check", "--locales", str(tmp_path), "--lang", "ru"]) == 1
    out = capsys.readouterr().out
    path = catalog_path(tmp_path, "ru")
    line = case.text.splitlines().index('msgid "Photo: %(credit)s"') + 1
    assert f'{path}:{line}: error: "Photo: %(credit)s": msgstr: python-format: ' \
           f"%(credit)s is missing" in out
    assert out.rstrip().endswith("check failed")
    write_catalog(tmp_path, "ru", VALID["ru"])
    assert main_catalogs(["check", "--locales", str(tmp_path), "--lang", "ru"]) == 0


def test_a_missing_catalog_fails_the_check(tmp_path):
    (checked,) = check_catalogs(tmp_path, ["es"])
    assert checked.failed() and "no such catalog" in checked.errors[0].message


# ----------------------------------------------------------------------------- compile
def test_compile_writes_mo_files_gettext_uses_with_each_plural_rule(locales):
    written = compile_catalogs(locales)
    assert [w.path for w in written] == [catalog_path(locales, code).with_suffix(".mo")
                                         for code in EDITIONS]
    mo = {}
    for lang in EDITIONS:
        with catalog_path(locales, lang).with_suffix(".mo").open("rb") as handle:
            mo[lang] = gettext.GNUTranslations(handle)
    forms = [mo["ru"].ngettext("{count} comment", "{count} comments", n) for n in (1, 2, 5, 21)]
    assert forms == ["{count} комментарий", "{count} комментария", "{count} комментариев",
                     "{count} комментарий"]
    assert mo["pt"].ngettext("{count} comment", "{count} comments", 0) == "{count} comentário"
    assert mo["es"].ngettext("{count} comment", "{count} comments", 0) == "{count} comentarios"
    assert mo["ru"].pgettext("button", "Translate") == "Перевести"
    assert mo["de"].gettext("Incidents") == "Incidents"  # fuzzy: not compiled


def test_compiled_files_are_never_committed():
    mo = catalog_path(LOCALES, "ru").with_suffix(".mo")
    assert subprocess.run(["git", "check-ignore", "-q", str(mo)], cwd=REPO).returncode == 0


# ----------------------------------------------------------------------------- serving
def test_catalog_messages_gives_an_edition_ready_for_json():
    data = catalog_messages(LOCALES, "ru")
    assert data["language"] == "ru" and data["nplurals"] == 3
    assert data["plural_forms"] == PLURAL_FORMS["ru"]
    assert data["messages"]["Now reading"] == "Сейчас читают"
    assert data["messages"]["button\u0004Translate"] == "Перевести"
    assert "Translate" not in data["messages"]
    assert data["plurals"]["{count} comment"] == ["{count} комментарий", "{count} комментария",
                                                  "{count} комментариев"]
    pt = catalog_messages(LOCALES, "pt")
    assert (pt["language"], pt["locale"], pt["nplurals"]) == ("pt", "pt_BR", 2)


def test_fuzzy_translations_are_served_only_on_request():
    assert "Incidents" not in catalog_messages(LOCALES, "de")["messages"]
    fuzzy = catalog_messages(LOCALES, "de", include_fuzzy=True)
    assert fuzzy["messages"]["Incidents"] == "Blaulicht"


@pytest.mark.parametrize("lang", ["xx", "en", "../ru", "ru/../de", "", "ru\x00", "RU", None])
def test_only_editions_are_served(lang):
    with pytest.raises(CatalogNotFound):
        catalog_messages(LOCALES, lang)


def test_an_edition_without_a_catalog_is_not_found(tmp_path):
    with pytest.raises(CatalogNotFound):
        catalog_messages(tmp_path, "ru")


def test_edits_on_disk_are_served_without_a_restart_and_parsing_is_cached(locales, monkeypatch):
    parses = []
    real_parse = serving.parse
    monkeypatch.setattr(serving, "parse", lambda *a: parses.append(1) or real_parse(*a))
    serving._cached.cache_clear()
    assert catalog_messages(locales, "ru")["messages"]["Popular"] == "Популярное"
    catalog_messages(locales, "ru")
    assert len(parses) == 1

    def edit(po):
        entry(po, "Popular").msgstr = "Самое читаемое"
    edit_catalog(catalog_path(locales, "ru"), edit)
    parses.clear()
    assert catalog_messages(locales, "ru")["messages"]["Popular"] == "Самое читаемое"
    assert len(parses) == 1


def test_catalog_status_counts_each_edition(locales):
    os.utime(catalog_path(locales, "de"), (1769508000, 1769508000))
    rows = {row["language"]: row for row in catalog_status(locales)}
    assert list(rows) == list(EDITIONS)
    de, total = rows["de"], len(polib.pofile(str(locales / "messages.pot")))
    assert (de["total"], de["translated"], de["fuzzy"], de["untranslated"]) == \
           (total, total - 1, 1, 0)
    assert de["percent"] == round(100 * (total - 1) / total, 1) and rows["ru"]["percent"] == 100.0
    assert datetime.fromisoformat(de["last_modified"]).timestamp() == 1769508000
    catalog_path(locales, "es").unlink()
    assert "es" not in {row["language"] for row in catalog_status(locales)}


def render(lang: str, **values) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                             extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_translations(translations(LOCALES, lang), newstyle=True)
    page = env.from_string(
        '{% import "chrome.html" as c %}{% import "preview_strings.html" as p %}'
        "{{ c.site_header() }}{{ c.now_reading(articles) }}{{ c.popular(articles) }}"
        "{{ c.last_materials(articles) }}"
        '{{ c.byline("Anton Kulikov", "Dmitry Sudakov", "27.01.2026", updated="28.01.2026") }}'
        "{{ c.photo_credit(credit) }}"
        '{% for n in counts %}{{ c.comment_count(n, "#") }}{% endfor %}'
        '{{ c.subscribe("/subscribe") }}{{ c.language_menu(languages, lang) }}'
        '{{ c.site_footer("Example.Ru", 1999, 2026) }}'
        '{{ p.page_title() }}{{ p.source_picker([("en", "English")], "en") }}'
        "{{ p.article_input() }}{{ p.target_picker(languages_short, [lang]) }}"
        '{{ p.translate_button() }}{{ p.flagged_segments(["x"]) }}{{ p.original_text("t") }}')
    languages = [("ru", "Русский", "/ru/"), ("de", "Deutsch", "/de/"), ("fr", "Français", "/fr/"),
                 ("pt", "Português", "/pt/"), ("es", "Español", "/es/")]
    return page.render(articles=[{"title": "Headline", "url": "/a"}], languages=languages,
                       languages_short=[(c, n) for c, n, _ in languages], lang=lang, **values)


def test_templates_render_each_edition_with_its_plural_rule():
    html = render("ru", credit="<b>Anton</b>", counts=[1, 2, 5, 21])
    for text in ("Сейчас читают", "Популярное", "Последние материалы", "Фото: &lt;b&gt;Anton",
                 "1 комментарий", "2 комментария", "5 комментариев", "21 комментарий",
                 "Обновлено 28.01.2026", "Anton Kulikov, 27.01.2026",
                 "© 1999–2026 Example.Ru. Все права защищены.", "гиперссылка на Example.Ru",
                 "Перевести", "Исходный язык", 'placeholder="Вставьте текст статьи"',
                 'hreflang="pt">Português</a>', 'aria-current="page">Русский</a>'):
        assert text in html, text
    assert "0 comentário" in render("pt", credit="x", counts=[0])  # Brazil: 0 is singular
    assert "Photo\u00a0: x" in render("fr", credit="x", counts=[0])
    german = render("de", credit="x", counts=[1])
    assert ">Incidents<" in german and "1 Kommentar" in german  # fuzzy: English until reviewed


# ------------------------------------------------------------------------ pretranslate
class NoModels:
    """An engine with nothing installed (what a fresh machine has)."""

    def supports(self, source, target):
        return False


def test_pretranslate_without_a_model_reports_and_leaves_the_catalog(locales):
    before = catalog_path(locales, "ru").read_bytes()
    (result,) = pretranslate(locales, NoModels(), ["ru"])
    assert result.error == "no installed model translates en to ru"
    assert catalog_path(locales, "ru").read_bytes() == before


@pytest.fixture
def empty_locales(tmp_path: Path) -> Path:
    """Fresh catalogs from the real template: every entry empty."""
    target = tmp_path / "locales"
    target.mkdir()
    shutil.copy(LOCALES / "messages.pot", target / "messages.pot")
    update(target, ["ru", "fr"])
    return target


def test_pretranslate_fills_empty_entries_only_through_the_fixture_engine(engine, empty_locales):
    path = catalog_path(empty_locales, "ru")

    def prepare(po):
        entry(po, "Popular").msgstr = "Самое читаемое"  # a translator's work
        sitemap = entry(po, "Sitemap")
        sitemap.msgstr, sitemap.flags = "Карта", ["fuzzy"]  # a translator's draft
    edit_catalog(path, prepare)

    (result,) = pretranslate(empty_locales, engine, ["ru"])
    assert result.error is None and result.model == "en-ru@1.0"
    po = polib.pofile(str(path))
    assert entry(po, "Popular").msgstr == "Самое читаемое" and not entry(po, "Popular").fuzzy
    assert entry(po, "Sitemap").msgstr == "Карта"
    now = entry(po, "Now reading")
    assert now.msgstr == "Сейчас читают" and now.fuzzy
    assert now.tcomment == "Machine translation: en-ru@1.0 (pretranslate), please review"
    assert entry(po, "Updated {time}").msgstr == "Обновлено {time}"
    assert entry(po, "Photo: %(credit)s").msgstr == "Фото: %(credit)s"
    assert entry(po, "Last materials").msgstr == "Последние материалы"
    assert entry(po, "Subscribe to our newsletter").msgstr == "Подпишитесь на нашу рассылку"
    assert entry(po, "{count} comment").msgstr_plural == {
        0: "{count} комментарий", 1: "{count} комментариев", 2: "{count} комментариев"}
    assert "Popular" not in result.filled and "Now reading" in result.filled
    for e in po:  # everything filled kept its placeholders; everything rejected stays empty
        if e.msgid in result.rejected:
            assert not e.msgstr and not any(e.msgstr_plural.values()) and not e.fuzzy
        elif e.msgid in result.filled:
            assert e.fuzzy
    (checked,) = check_catalogs(empty_locales, ["ru"])
    assert not any("format" in p.message for p in checked.problems if p.msgid in result.filled)
    again = path.read_bytes()
    assert pretranslate(empty_locales, engine, ["ru"])[0].filled == []
    assert path.read_bytes() == again


def test_pretranslate_sets_french_no_break_spaces(engine, empty_locales):
    pretranslate(empty_locales, engine, ["fr"])
    po = polib.pofile(str(catalog_path(empty_locales, "fr")))
    assert entry(po, "Photo: %(credit)s").msgstr == "Photo\u00a0: %(credit)s"
    assert entry(po, "Now reading").msgstr == "Lus en ce moment"


class Damaging:
    """The real engine, with "{time}" lost from its output (as a weaker model might)."""

    def __init__(self, engine):
        self.engine = engine

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate(self, source, target, segments):
        results = self.engine.translate(source, target, segments)
        return [type(r)(r.text.replace("{time}", "")) for r in results]


def test_an_entry_whose_placeholders_did_not_survive_stays_empty(engine, empty_locales):
    (result,) = pretranslate(empty_locales, Damaging(engine), ["ru"])
    assert "Updated {time}" in result.rejected
    po = polib.pofile(str(catalog_path(empty_locales, "ru")))
    assert entry(po, "Updated {time}").msgstr == "" and not entry(po, "Updated {time}").fuzzy
    assert entry(po, "Now reading").msgstr == "Сейчас читают"


class SavingTranslator(Damaging):
    """The real engine; while it translates, a translator saves the catalog in Poedit."""

    def __init__(self, engine, path):
        super().__init__(engine)
        self.path, self.calls = path, 0

    def translate(self, source, target, segments):
        self.calls += 1
        if self.calls == 1:
            translator_saves(self.path, "Now reading", "Читают сейчас")
        return self.engine.translate(source, target, segments)


def test_a_translator_save_during_pretranslate_wins(engine, empty_locales):
    path = catalog_path(empty_locales, "ru")
    saving = SavingTranslator(engine, path)
    (result,) = pretranslate(empty_locales, saving, ["ru"])
    po = polib.pofile(str(path))
    assert entry(po, "Now reading").msgstr == "Читают сейчас" and not entry(po, "Now reading").fuzzy
    assert "Now reading" not in result.filled
    assert entry(po, "Popular").msgstr == "Популярное" and entry(po, "Popular").fuzzy
    assert saving.calls == 1  # the replay reused the machine translations it already had


# --------------------------------------------------------------------------------- CLI
def test_every_command_runs_from_the_command_line(locales, tmp_path, capsys, monkeypatch):
    run = ["--locales", str(locales)]
    assert main_catalogs(["extract", *run, "--root", str(REPO)]) == 0
    assert main_catalogs(["update", *run, "--lang", "pt"]) == 0
    assert main_catalogs(["compile", *run, "--lang", "pt"]) == 0
    out = capsys.readouterr().out
    assert "messages.pot: unchanged" in out and "pt/LC_MESSAGES/messages.po: unchanged" in out
    assert catalog_path(locales, "pt").with_suffix(".mo").exists()
    assert main_catalogs(["status", *run, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["language"] for row in rows] == list(EDITIONS)
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path / "no-models"))
    assert main_catalogs(["pretranslate", *run, "--lang", "es"]) == 1
    assert "no installed model translates en to es" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main_catalogs(["check", *run, "--lang", "../etc"])
