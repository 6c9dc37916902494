"""The check (l10n.catalogs.checks) against GNU `msgfmt -c` and translate-toolkit's pofilter
on real-world catalogues, and Plural-Forms compared as rules."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from l10n.catalogs import check_catalog
from l10n.catalogs.plurals import rule_mismatch

from .real import CATALOGUES, IDS, MSGFMT, gnu

_BESIDE = Path(sys.executable).parent / "pofilter"  # the test extra, in the same venv
POFILTER = str(_BESIDE) if _BESIDE.exists() else shutil.which("pofilter")


def _entry_at(po: polib.POFile, line: int) -> polib.POEntry | None:
    """The entry whose lines hold `line` (None: the header)."""
    before = [e for e in po if e.linenum <= line]
    return max(before, key=lambda e: e.linenum) if before else None


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_check_reports_every_error_msgfmt_reports(path):
    result = gnu(MSGFMT, "--check", "-o", "/dev/null", str(path))
    po = polib.pofile(str(path))
    checked = check_catalog(path)
    reported = {p.msgid for p in checked.errors}
    errors = [int(m.group(1)) for m in re.finditer(rf"^{re.escape(str(path))}:(\d+): (?!\.\.\.)",
                                                   result.stderr, re.MULTILINE)]
    for line in errors:
        entry = _entry_at(po, line)
        assert (entry.msgid if entry else "") in reported, (line, result.stderr)
    assert bool(errors) == (result.returncode != 0)  # the files msgfmt rejects all have some
    assert bool(errors) <= checked.failed()


def _pofilter(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    """msgid -> the failures pofilter's printf and brace checks report on it."""
    out = tmp_path / path.name
    subprocess.run([POFILTER, "-t", "printf", "-t", "pythonbraceformat", "--nofuzzy",
                    str(path), str(out)], capture_output=True, timeout=120, check=False)
    if not out.exists():
        return {}
    return {e.msgid: re.findall(r"\(pofilter\) (\w+)", e.tcomment) for e in polib.pofile(str(out))
            if "(pofilter)" in e.tcomment}


@pytest.mark.skipif(POFILTER is None, reason="translate-toolkit (pofilter) not installed")
@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_check_reports_the_brace_and_printf_errors_pofilter_reports(path, tmp_path):
    failures = _pofilter(path, tmp_path)
    po = polib.pofile(str(path))
    errors = {p.msgid: p.message for p in check_catalog(path).errors}
    for msgid, tests in failures.items():
        entry = next(e for e in po if e.msgid == msgid and not e.obsolete)
        if "printf" in tests and "no-c-format" in entry.flags:
            continue  # the extractor said it is no format string: msgfmt's rule, not pofilter's
        assert msgid in errors, (msgid, tests)


def test_the_broken_brace_field_of_ihatemoney_fails_the_check():
    path = next(p for p in CATALOGUES if p.parent.name == "ihatemoney" and p.name == "pt.po")
    (problem,) = [p for p in check_catalog(path).errors if "dual_object" in p.msgid]
    assert "expected '}' before end of string" in problem.message  # .format() would crash


def test_house_rules_never_fail_a_real_catalogue_and_keyword_lists_pass():
    for path in CATALOGUES:
        checked = check_catalog(path)
        assert not [p for p in checked.errors if "French" in p.message or "punctuation" in
                    p.message or "whitespace" in p.message]
    calculator = next(p for p in CATALOGUES if p.parent.name == "gnome-calculator")
    assert not [p for p in check_catalog(calculator).problems
                if p.msgid.startswith("calculation;") and "French" in p.message]


@pytest.mark.parametrize(("header", "expected", "differs"), [
    ("nplurals=2; plural=n != 1;", "nplurals=2; plural=(n != 1);", None),
    ("nplurals=2; plural=(n > 1)", "nplurals=2; plural=n>1;", None),
    ("nplurals=2; plural=(n > 1);", "nplurals=2; plural=(n != 1);", "n=0 gets form 0, form 1 expected"),
    ("nplurals=2; plural=(n != 1);", "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
     "nplurals=2, 3 expected"),
])
def test_plural_forms_are_compared_as_rules(header, expected, differs):
    found = rule_mismatch(header, expected)
    assert (found is None) if differs is None else (differs in found)


def _write(tmp_path: Path, language: str, plural_forms: str) -> Path:
    path = tmp_path / "messages.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Project-Id-Version: x 1\\n"\n"PO-Revision-Date: 2026-01-01\\n"\n'
        '"Last-Translator: A <a@example.org>\\n"\n"Language-Team: T\\n"\n'
        f'"Language: {language}\\n"\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n\nmsgid "Hello."\nmsgstr "Hola."\n',
        encoding="utf-8")
    return path


def test_without_an_edition_plural_forms_are_checked_against_the_locale(tmp_path):
    checked = check_catalog(_write(tmp_path, "es", "nplurals=2; plural=(n > 1);"))
    (warning,) = [p for p in checked.problems if "Plural-Forms" in p.message]
    assert warning.severity == "warning" and "n=0" in warning.message
    spelled = check_catalog(_write(tmp_path, "es", "nplurals=2; plural=n != 1;"))
    assert spelled.problems == []  # formatting alone is no difference
