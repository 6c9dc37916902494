"""`/v1/catalogs`: each edition's progress, and its UI strings as JSON, read from the .po
files (L10N_LOCALES_DIR) on every request."""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from l10n.catalogs import EDITIONS, catalog_path
from tests.conftest import ROOT


@pytest.fixture()
def locales(tmp_path) -> Path:
    """A copy of the shipped catalogs, to edit and break."""
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return tmp_path / "locales"


@pytest.fixture()
def served(settings, engine, locales):
    from service import create_app

    return create_app(replace(settings, locales_dir=locales), engine).test_client()


def edit(locales: Path, lang: str, msgid: str, msgstr: str, fuzzy: bool = False) -> None:
    path = catalog_path(locales, lang)
    stat = path.stat()
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    entry.msgstr = msgstr
    entry.flags = ["fuzzy"] if fuzzy else []
    po.save(str(path))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later save


def test_status_of_every_edition(client):
    response = client.get("/v1/catalogs")
    assert response.status_code == 200
    rows = response.get_json()["catalogs"]
    assert [row["language"] for row in rows] == list(EDITIONS)
    pt = rows[list(EDITIONS).index("pt")]
    assert pt["locale"] == "pt_BR"
    assert pt["translated"] + pt["fuzzy"] + pt["untranslated"] == pt["total"] > 0
    assert set(pt) == {"language", "locale", "total", "translated", "fuzzy", "untranslated",
                       "percent", "last_modified"}


def test_messages_of_one_edition(client):
    body = client.get("/v1/catalogs/ru").get_json()
    assert (body["language"], body["locale"], body["nplurals"]) == ("ru", "ru", 3)
    assert body["messages"]["World"] == "Мир"
    assert body["messages"]["button\u0004Translate"]  # context\x04msgid, as in .mo files
    assert len(body["plurals"]["{count} comment"]) == 3


def test_fuzzy_entries_only_when_asked(served, locales):
    edit(locales, "de", "World", "Welt (Entwurf)", fuzzy=True)
    assert "World" not in served.get("/v1/catalogs/de").get_json()["messages"]
    for flag in ("1", "true"):
        messages = served.get(f"/v1/catalogs/de?fuzzy={flag}").get_json()["messages"]
        assert messages["World"] == "Welt (Entwurf)"


def test_a_saved_edit_is_served_on_the_next_request(served, locales):
    assert served.get("/v1/catalogs/fr").get_json()["messages"]["World"] == "Monde"
    edit(locales, "fr", "World", "Le monde")
    assert served.get("/v1/catalogs/fr").get_json()["messages"]["World"] == "Le monde"


@pytest.mark.parametrize("lang", ["en", "xx", "..", "ru_RU"])
def test_a_language_without_a_catalog_is_404(client, lang):
    response = client.get(f"/v1/catalogs/{lang}")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "unknown_catalog" and "editions: ru, de, fr, pt, es" in error["message"]


def test_a_missing_catalog_file_is_404_and_left_out_of_the_status(served, locales):
    catalog_path(locales, "pt").unlink()
    response = served.get("/v1/catalogs/pt")
    assert response.status_code == 404 and str(locales) not in response.get_data(as_text=True)
    rows = served.get("/v1/catalogs").get_json()["catalogs"]
    assert "pt" not in [row["language"] for row in rows]


def test_a_broken_catalog_is_503_with_a_code(served, locales):
    path = catalog_path(locales, "es")
    path.write_text(path.read_text("utf-8") + '\nmsgid "Broken"\nmsgstr sin comillas\n', "utf-8")
    for url in ("/v1/catalogs/es", "/v1/catalogs"):
        response = served.get(url)
        assert response.status_code == 503, url
        error = response.get_json()["error"]
        assert error["code"] == "catalog_broken" and "line" in error["message"]
        assert str(locales) not in error["message"]
    assert served.get("/v1/catalogs/de").status_code == 200  # the others are still served


# ------------------------------------------------------- a translator's edit of one entry
ENTRIES = "/v1/catalogs/ru/entries"


def test_a_translator_sets_one_entry_and_only_its_lines_change(served, locales):
    path = catalog_path(locales, "de")
    before = path.read_text(encoding="utf-8")
    read = served.get("/v1/catalogs/de/entries", query_string={"msgid": "Popular"}).get_json()
    assert read["msgstr"] and read["fuzzy"] is False
    response = served.put("/v1/catalogs/de/entries", json={
        "msgid": "Popular", "msgstr": "Am meisten gelesen", "fuzzy": True, "hash": read["hash"]})
    assert response.status_code == 200, response.get_json()
    saved = response.get_json()
    assert (saved["msgstr"], saved["fuzzy"]) == ("Am meisten gelesen", True)
    assert saved["hash"] != read["hash"]
    after = path.read_text(encoding="utf-8")
    changes = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert sorted(changes) == sorted(["+#, fuzzy", f'-msgstr "{read["msgstr"]}"',
                                      '+msgstr "Am meisten gelesen"'])
    # A second reviewer who read the entry before that save is refused, not silently merged.
    stale = served.put("/v1/catalogs/de/entries", json={
        "msgid": "Popular", "msgstr": "Beliebt", "hash": read["hash"]})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_entry"
    assert path.read_text(encoding="utf-8") == after


def test_plural_and_context_entries_are_set_by_their_forms(served, locales):
    read = served.get(ENTRIES, query_string={"msgid": "{count} comment"}).get_json()
    assert len(read["msgstr_plural"]) == 3
    forms = ["{count} отзыв", "{count} отзыва", "{count} отзывов"]
    saved = served.put(ENTRIES, json={"msgid": "{count} comment", "msgstr_plural": forms,
                                      "hash": read["hash"]}).get_json()
    assert saved["msgstr_plural"] == forms
    assert polib.pofile(str(catalog_path(locales, "ru"))).find("{count} comment") \
        .msgstr_plural == dict(enumerate(forms))
    button = served.get(ENTRIES, query_string={"msgid": "Translate", "msgctxt": "button"})
    assert button.status_code == 200 and button.get_json()["msgctxt"] == "button"
    assert served.get(ENTRIES, query_string={"msgid": "Translate"}).status_code == 404


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"msgid": "No such string", "msgstr": "x", "hash": "0"}, 404, "unknown_entry"),
    ({"msgid": "Popular", "msgstr": "x"}, 400, "invalid_field"),
    ({"msgid": "Popular", "msgstr": 3, "hash": "0"}, 400, "invalid_field"),
    ({"msgid": "Popular", "msgstr": "x", "msgstr_plural": ["x"], "hash": "0"}, 400,
     "invalid_field"),
    ({"msgid": "Popular", "msgstr": "x", "hash": "0", "extra": 1}, 400, "invalid_field"),
    ({"msgid": "{count} comment", "msgstr": "x", "hash": "0"}, 409, "stale_entry"),
    (["not", "an", "object"], 400, "invalid_body"),
])
def test_bad_edits_are_refused_and_the_catalog_is_left_alone(served, locales, body, status,
                                                            code):
    before = catalog_path(locales, "ru").read_bytes()
    response = served.put(ENTRIES, json=body)
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)
    assert catalog_path(locales, "ru").read_bytes() == before


def test_a_wrong_shape_for_the_entry_is_refused(served, locales):
    read = served.get(ENTRIES, query_string={"msgid": "{count} comment"}).get_json()
    response = served.put(ENTRIES, json={"msgid": "{count} comment", "msgstr": "x",
                                         "hash": read["hash"]})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "msgstr_plural"  # what it must send
    short = served.put(ENTRIES, json={"msgid": "{count} comment", "msgstr_plural": ["x"],
                                      "hash": read["hash"]})
    assert short.status_code == 400


def test_editing_needs_a_key_when_keys_are_configured(settings, engine, locales, tmp_path):
    from l10n.web.admission import hash_key
    from service import create_app

    keys = tmp_path / "keys"
    keys.write_text(f"{hash_key('translator-key')}  translators  roles=review\n"
                    f"{hash_key('newsroom-key')}  newsroom\n", encoding="utf-8")
    client = create_app(replace(settings, locales_dir=locales, api_keys_file=keys),
                        engine).test_client()
    read = client.get(ENTRIES, query_string={"msgid": "Popular"},
                      headers={"Authorization": "Bearer translator-key"}).get_json()
    body = {"msgid": "Popular", "msgstr": "Популярное сегодня", "hash": read["hash"]}
    assert client.put(ENTRIES, json=body).status_code == 403
    assert client.put(ENTRIES, json=body,  # a translate-only key reads, but may not edit
                      headers={"Authorization": "Bearer newsroom-key"}).status_code == 403
    assert client.put(ENTRIES, json=body,
                      headers={"Authorization": "Bearer translator-key"}).status_code == 200
