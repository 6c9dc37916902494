"""Serving an edition's strings (l10n.catalogs.serving): JSON, gettext for the pages."""

from __future__ import annotations

import os
from datetime import datetime

import jinja2
import polib
import pytest

from l10n.catalogs import (
    EDITIONS,
    TEMPLATES_DIR,
    CatalogNotFound,
    catalog_messages,
    catalog_path,
    catalog_status,
    edit_catalog,
    serving,
    translations,
)

from .shared import (
    LOCALES,
    PLURAL_FORMS,
    entry,
)


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
