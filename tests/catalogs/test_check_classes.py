"""The check (l10n.catalogs.checks), one error class at a time, each held to GNU msgfmt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from l10n.catalogs import (
    catalog_path,
    check_catalogs,
)
from tests.cli.runner import invoke

from .shared import (
    LANGUAGE_HEADER,
    MSGFMT,
    PLURAL_FORMS,
    msgfmt_check,
)


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


def test_check_command_reports_file_line_and_fails(tmp_path):
    case = CASES["python-format missing"]
    write_catalog(tmp_path, "ru", case.text)
    done = invoke("catalogs", "check", "--locales", str(tmp_path), "--lang", "ru")
    assert done.exit_code == 1
    out = done.stdout
    path = catalog_path(tmp_path, "ru")
    line = case.text.splitlines().index('msgid "Photo: %(credit)s"') + 1
    assert f'{path}:{line}: error: "Photo: %(credit)s": msgstr: python-format: ' \
           f"%(credit)s is missing" in out
    assert out.rstrip().endswith("check failed")
    write_catalog(tmp_path, "ru", VALID["ru"])
    assert invoke("catalogs", "check", "--locales", str(tmp_path), "--lang", "ru").exit_code == 0


def test_a_missing_catalog_fails_the_check(tmp_path):
    (checked,) = check_catalogs(tmp_path, ["es"])
    assert checked.failed() and "no such catalog" in checked.errors[0].message
