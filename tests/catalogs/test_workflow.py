"""extract, update and compile (l10n.catalogs.workflow) on the project's own catalogs and a
small source tree; real Babel, polib and GNU msgfmt."""

from __future__ import annotations

import gettext
import shutil
import subprocess

import polib
import pytest

from l10n.catalogs import (
    EDITIONS,
    CatalogSyntaxError,
    catalog_path,
    check_catalogs,
    compile_catalogs,
    edit_catalog,
    extract,
    update,
)
from l10n.editions import DEFAULT_TARGETS

from .shared import (
    LANGUAGE_HEADER,
    LOCALES,
    PLURAL_FORMS,
    REPO,
    entry,
    msgfmt_check,
    needs_msgfmt,
    write_template,
)


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


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")
def test_a_new_catalog_is_written_as_msgcat_writes_it(tmp_path):
    shutil.copy(LOCALES / "messages.pot", tmp_path / "messages.pot")
    update(tmp_path, ["ru"])
    path = catalog_path(tmp_path, "ru")
    formatted = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True)
    assert formatted.stdout == path.read_text(encoding="utf-8")
