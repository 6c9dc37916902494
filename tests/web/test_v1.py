"""The /v1 API: its routes' editions (routes, demo labels, partial results) and the memory
over HTTP: PUT /v1/memory stores a reviewer's correction that wins over the
machine, bad bodies are refused with their code, the app keeps its memory in the data dir."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from l10n.config import Settings
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory


@pytest.fixture()
def memory(tmp_path) -> Memory:
    return Memory(tmp_path / "m.sqlite3")


def test_human_correction_wins_over_machine_translation(settings, engine, corpus, memory):
    from service import create_app

    app = create_app(settings, engine, memory=memory)
    assert app.extensions["l10n"].memory is memory
    client = app.test_client()
    sentence = "Rescuers found the two missing climbers alive on Saturday morning."
    ask = {"text": sentence, "source": "en", "targets": ["de", "fr"]}
    assert client.post("/v1/translate", json=ask).get_json()["translations"] == \
        {"de": corpus["de"][sentence], "fr": corpus["fr"][sentence]}
    human = "Die Bergwacht fand die beiden Vermissten am Samstagmorgen lebend."
    response = client.put("/v1/memory", json={
        "source": "en", "target": "de", "text": "  " + sentence.replace(" ", "\n ", 1),
        "translation": human, "reviewer": "anna"})
    assert response.status_code == 200
    assert response.get_json() | {"created_at": None} == {
        "stored": True, "kind": "human", "source": "en", "target": "de",
        "text": "  " + sentence.replace(" ", "\n ", 1), "translation": human,
        "created_at": None, "reviewer": "anna"}
    calls = engine.calls
    body = client.post("/v1/translate", json=ask).get_json()
    assert body["translations"] == {"de": human, "fr": corpus["fr"][sentence]}
    assert engine.calls == calls


def test_app_keeps_its_memory_in_the_data_dir(settings, engine, tmp_path):
    from service import create_app

    app = create_app(Settings(data_dir=tmp_path, models_dir=settings.models_dir), engine)
    memory = app.extensions["l10n"].memory
    assert memory.path == tmp_path / "memory.sqlite3" and memory.path.exists()
    assert app.extensions["l10n"].pipeline.memory is memory


@pytest.mark.parametrize("body, code", [
    ([], "invalid_json"),
    ({"target": "de", "text": "a", "translation": "b"}, "missing_field"),
    ({"source": "en", "target": "xx", "text": "a", "translation": "b"}, "unsupported_language"),
    ({"source": "en", "target": "en", "text": "a", "translation": "b"}, "same_language"),
    ({"source": "en", "target": "de", "text": " ", "translation": "b"}, "empty_text"),
    ({"source": "en", "target": "de", "text": "a"}, "missing_field"),
    ({"source": "en", "target": "de", "text": "a", "translation": 5}, "wrong_type"),
    ({"source": "en", "target": "de", "text": "a", "translation": "b", "reviewer": 5},
     "wrong_type"),
])
def test_put_memory_rejects_bad_input(settings, engine, memory, body, code):
    from service import create_app

    client = create_app(settings, engine, memory=memory).test_client()
    response = client.put("/v1/memory", json=body)
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, code)
    assert memory.entries() == []


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
