"""`l10n catalogs`: the catalogs folder comes from --locales, else from L10N_LOCALES_DIR."""

from __future__ import annotations

import json
import shutil

from tests.cli.runner import invoke
from tests.conftest import ROOT


def test_the_catalogs_folder_is_l10n_locales_dir_unless_named(tmp_path, monkeypatch):
    ours = tmp_path / "ours"
    shutil.copytree(ROOT / "locales", ours, ignore=shutil.ignore_patterns("*.mo"))
    shutil.rmtree(ours / "de")
    monkeypatch.setenv("L10N_LOCALES_DIR", str(ours))
    status = invoke("catalogs", "status", "--json")
    assert status.exit_code == 0, status.output
    languages = [row["language"] for row in json.loads(status.stdout)]
    assert "de" not in languages and "ru" in languages
    assert invoke("catalogs", "check", "--lang", "de").exit_code == 1  # no catalog there
    named = invoke("catalogs", "status", "--json", "--locales", str(ROOT / "locales"))
    assert "de" in [row["language"] for row in json.loads(named.stdout)]
    compiled = invoke("catalogs", "compile", "--lang", "ru")
    assert compiled.exit_code == 0 and str(ours / "ru") in compiled.stdout
