"""/v1 responses: each edition's route and demo label, partial results when one edition fails."""

from __future__ import annotations

import shutil
from dataclasses import replace

from l10n.translate.engine import Engine
from l10n.translate.memory import Memory


def test_each_edition_says_its_route_and_the_demo_label(client, corpus):
    sentence = "Prices rose by 7 percent in October."
    body = client.post("/v1/articles/translate", json={
        "title": sentence, "source": "en", "targets": ["ru", "de"]}).get_json()
    for target in ("ru", "de"):
        edition = body["editions"][target]
        assert edition["title"] == corpus[target][sentence]
        assert edition["route"] == ["en", target] and edition["demo"] is True
        assert "demo model" in edition["notice"]
    text = client.post("/v1/translate", json={"text": sentence, "source": "en",
                                              "targets": ["fr"]}).get_json()
    assert text["editions"]["fr"]["route"] == ["en", "fr"]


def test_languages_mark_demo_pairs(client):
    body = client.get("/v1/languages").get_json()
    assert body["demo"] is True and all(p["demo"] for p in body["pairs"])


def test_a_failed_edition_is_an_error_object_beside_the_others(settings, installed_models,
                                                              tmp_path, corpus):
    from service import create_app

    packages = tmp_path / "models"
    packages.mkdir()
    (german,) = [p for p in installed_models.iterdir() if "en_de" in p.name]
    shutil.copytree(german, packages / german.name)
    local = replace(settings, models_dir=packages)
    client = create_app(local, Engine(local), Memory(tmp_path / "m.sqlite3")).test_client()
    response = client.post("/v1/articles/translate", json={
        "title": "Popular", "source": "en", "targets": ["ru", "de"]})
    assert response.status_code == 200
    editions = response.get_json()["editions"]
    assert list(editions) == ["ru", "de"]
    assert editions["de"]["title"] == corpus["de"]["Popular"]
    assert editions["ru"] == {"error": {"code": "unsupported_pair",
                                        "message": "no installed model translates en to ru"}}
    everything_failed = client.post("/v1/articles/translate", json={
        "title": "Popular", "source": "en", "targets": ["ru", "fr"]})
    assert everything_failed.status_code == 400
    assert everything_failed.get_json()["error"]["code"] == "unsupported_pair"
