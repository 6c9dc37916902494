"""`l10n catalogs ...`: every workflow command, and its exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from l10n.catalogs import EDITIONS, catalog_path
from tests.cli.runner import invoke
from tests.conftest import ROOT


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def test_every_command_runs_from_the_command_line(locales, tmp_path, monkeypatch):
    run = ["--locales", str(locales)]
    extracted = invoke("catalogs", "extract", *run, "--root", str(ROOT))
    updated = invoke("catalogs", "update", *run, "--lang", "pt")
    compiled = invoke("catalogs", "compile", *run, "--lang", "pt")
    assert (extracted.exit_code, updated.exit_code, compiled.exit_code) == (0, 0, 0)
    assert "messages.pot: unchanged" in extracted.stdout
    assert "pt/LC_MESSAGES/messages.po: unchanged" in updated.stdout
    assert catalog_path(locales, "pt").with_suffix(".mo").exists()
    status = invoke("catalogs", "status", *run, "--json")
    assert status.exit_code == 0
    assert [row["language"] for row in json.loads(status.stdout)] == list(EDITIONS)
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path / "no-models"))
    failed = invoke("catalogs", "pretranslate", *run, "--lang", "es")
    assert failed.exit_code == 1 and "no installed model translates en to es" in failed.stderr
    refused = invoke("catalogs", "check", *run, "--lang", "../etc")  # not an edition
    assert refused.exit_code == 2 and "'../etc' is not one of" in refused.stderr
    assert invoke("catalogs", "no-such-command").exit_code == 2


def test_the_commands_use_l10n_locales_dir_by_default(locales, monkeypatch):
    monkeypatch.setenv("L10N_LOCALES_DIR", str(locales))
    path = catalog_path(locales, "de")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr "Foto: %(credit)s"', 'msgstr "Foto"'), encoding="utf-8")
    checked = invoke("catalogs", "check", "--lang", "de")
    assert checked.exit_code == 1
    assert f"{path}:" in checked.stdout  # the folder of the setting, not ./locales
    status = invoke("catalogs", "status", "--json")
    assert status.exit_code == 0
    assert {row["language"] for row in json.loads(status.stdout)} == set(EDITIONS)


def test_a_bad_setting_is_exit_status_2(monkeypatch):
    monkeypatch.setenv("L10N_BEAM_SIZE", "many")
    done = invoke("catalogs", "status")
    assert done.exit_code == 2 and "L10N_BEAM_SIZE" in done.stderr
