"""/v1/health: the device, the installed models, the demo label, broken package folders."""

from __future__ import annotations

import shutil
from dataclasses import replace

from l10n.translate.engine import Engine
from l10n.translate.memory import Memory


def test_health_reports_device_and_demo_models(client):
    body = client.get("/v1/health").get_json()
    assert body["device"]["device"] in ("cpu", "cuda")
    assert body["device"]["compute_type"]
    assert body["demo"] is True and all(m["demo"] for m in body["models"])
    assert "demo model" in body["notice"] and "l10n models install" in body["notice"]
    assert body["broken"] == {}


def test_health_survives_a_broken_package_and_sees_new_ones(settings, installed_models, tmp_path):
    from service import create_app

    packages = tmp_path / "models"
    packages.mkdir()
    local = replace(settings, models_dir=packages)
    client = create_app(local, Engine(local), Memory(tmp_path / "m.sqlite3")).test_client()
    assert client.get("/v1/health").get_json()["models"] == []
    bad = packages / "translate-en_xx-1_0"
    bad.mkdir()
    (bad / "metadata.json").write_text('{"from_code": "en", "to_code": "ru", "languages": 5}')
    (german,) = [p for p in installed_models.iterdir() if "en_de" in p.name]
    shutil.copytree(german, packages / german.name)
    response = client.get("/v1/health")
    assert response.status_code == 200
    body = response.get_json()
    assert [m["pair"] for m in body["models"]] == ["en-de"]
    assert "languages must be a list" in body["broken"]["translate-en_xx-1_0"]
    assert client.post("/v1/translate", json={"text": "Popular", "source": "en",
                                              "targets": ["de"]}).status_code == 200
