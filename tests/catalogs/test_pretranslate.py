"""pretranslate (l10n.catalogs.pretranslate) through the real engine with the fixture models."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from l10n.catalogs import (
    catalog_path,
    check_catalogs,
    edit_catalog,
    pretranslate,
    update,
)

from .shared import (
    LOCALES,
    entry,
    translator_saves,
)


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
