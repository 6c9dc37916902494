"""`l10n models` as users run it (a subprocess): install, list, remove, a broken file."""

from __future__ import annotations

import pytest

from l10n.packages import demo
from tests.cli.process import l10n

pytestmark = pytest.mark.slow


def test_models_install_list_remove(tmp_path):
    data = tmp_path / "data"
    package = next(p for p in demo.model_files() if p.stem == "en_de")
    assert "installed en-de 1.0" in l10n("models", "install", str(package), data_dir=data, check=True).stdout
    listed = l10n("models", "list", data_dir=data, check=True).stdout
    assert listed.startswith("en-de\t1.0") and "\tDEMO\n" in listed and "demo model" in listed
    assert "removed en-de" in l10n("models", "remove", "en-de", data_dir=data, check=True).stdout
    assert "no models installed" in l10n("models", "list", data_dir=data, check=True).stdout


def test_models_install_refuses_a_broken_file(tmp_path):
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"not a zip")
    run = l10n("models", "install", str(bad), data_dir=tmp_path)
    assert run.returncode == 2 and "not a zip archive" in run.stderr
    missing = l10n("models", "install", str(tmp_path / "nothing.argosmodel"), data_dir=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
