"""`/v1/catalogs`: each edition's progress, and its UI strings as JSON, read from the .po
files (L10N_LOCALES_DIR) on every request."""

from __future__ import annotations

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
