"""`l10n catalogs ...` (l10n.catalogs.command)."""

from __future__ import annotations

import json

from l10n.catalogs import (
    EDITIONS,
    catalog_path,
    main_catalogs,
)

from .shared import (
    REPO,
)


# --------------------------------------------------------------------------------- CLI
def test_every_command_runs_from_the_command_line(locales, tmp_path, capsys, monkeypatch):
    run = ["--locales", str(locales)]
    assert main_catalogs(["extract", *run, "--root", str(REPO)]) == 0
    assert main_catalogs(["update", *run, "--lang", "pt"]) == 0
    assert main_catalogs(["compile", *run, "--lang", "pt"]) == 0
    out = capsys.readouterr().out
    assert "messages.pot: unchanged" in out and "pt/LC_MESSAGES/messages.po: unchanged" in out
    assert catalog_path(locales, "pt").with_suffix(".mo").exists()
    assert main_catalogs(["status", *run, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["language"] for row in rows] == list(EDITIONS)
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path / "no-models"))
    assert main_catalogs(["pretranslate", *run, "--lang", "es"]) == 1
    assert "no installed model translates en to es" in capsys.readouterr().err
    assert main_catalogs(["check", *run, "--lang", "../etc"]) == 2  # not an edition
    assert "'../etc' is not one of" in capsys.readouterr().err
    assert main_catalogs(["no-such-command"]) == 2


def test_the_commands_use_l10n_locales_dir_by_default(locales, capsys, monkeypatch):
    monkeypatch.setenv("L10N_LOCALES_DIR", str(locales))
    path = catalog_path(locales, "de")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr "Foto: %(credit)s"', 'msgstr "Foto"'), encoding="utf-8")
    assert main_catalogs(["check", "--lang", "de"]) == 1
    assert f"{path}:" in capsys.readouterr().out  # the folder of the setting, not ./locales
    assert main_catalogs(["status", "--json"]) == 0
    assert {row["language"] for row in json.loads(capsys.readouterr().out)} == set(EDITIONS)


def test_a_bad_setting_is_exit_status_2(monkeypatch, capsys):
    monkeypatch.setenv("L10N_BEAM_SIZE", "many")
    assert main_catalogs(["status"]) == 2
    assert "L10N_BEAM_SIZE" in capsys.readouterr().err
