"""Fixtures of the web tests."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from l10n.translate.engine import Engine
from l10n.translate.memory import Memory


@pytest.fixture()
def german_only_client(settings, installed_models, tmp_path):
    """A service with only en→de installed: German → Russian has neither a model nor a way
    through English."""
    from service import create_app

    packages = tmp_path / "models"
    packages.mkdir()
    (german,) = [p for p in installed_models.iterdir() if "en_de" in p.name]
    shutil.copytree(german, packages / german.name)
    local = replace(settings, models_dir=packages)
    return create_app(local, Engine(local), Memory(tmp_path / "m.sqlite3")).test_client()
