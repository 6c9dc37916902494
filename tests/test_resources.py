"""Outside a source checkout: a built wheel carries the default glossary and the UI catalogs,
and an l10n installed from it finds them (and serves from them) with no checkout around."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from l10n.editions import EDITIONS
from l10n.resources import shipped
from tests.conftest import ROOT

FROM_THE_WHEEL = """
import json, sys
from pathlib import Path
import l10n
from l10n import catalogs
from l10n.config import Settings
from l10n.localise.glossary import DEFAULT_GLOSSARY, GlossaryFile
settings = Settings.from_env()
print(json.dumps({
    "package": l10n.__file__, "glossary": str(DEFAULT_GLOSSARY),
    "names": len(GlossaryFile(settings.glossary).get().entries),
    "locales": str(settings.locales_dir),
    "catalogs": [row["language"] for row in catalogs.catalog_status(settings.locales_dir)],
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", str(ROOT), "-w", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    (built,) = out.glob("l10n-*.whl")
    return built


def test_the_wheel_carries_every_module_the_glossary_and_the_catalogs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "l10n").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    assert "l10n/shipped/glossary/names.tsv" in names
    assert "l10n/shipped/locales/messages.pot" in names
    for code in EDITIONS:
        if code != "en":
            assert f"l10n/shipped/locales/{code}/LC_MESSAGES/messages.po" in names


def test_installed_from_the_wheel_it_needs_no_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("L10N_")}
    env["PYTHONPATH"] = str(site)  # before the checkout's editable install on sys.path
    run = subprocess.run([sys.executable, "-c", FROM_THE_WHEEL], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert Path(found["package"]).is_relative_to(site)
    assert Path(found["glossary"]) == site / "l10n/shipped/glossary/names.tsv"
    assert Path(found["locales"]) == site / "l10n/shipped/locales"
    expected_names = len(shipped("glossary/names.tsv").read_text(encoding="utf-8")
                         .strip().splitlines()) - 1
    assert found["names"] == expected_names > 0
    assert found["catalogs"] == [code for code in EDITIONS if code != "en"]


def test_a_missing_glossary_stops_the_start(tmp_path):
    from l10n.config import ConfigError, Settings
    from l10n.localise.glossary import GlossaryError, GlossaryFile

    with pytest.raises(ConfigError, match="L10N_GLOSSARY"):
        Settings.from_env({"L10N_GLOSSARY": str(tmp_path / "none.tsv")})
    with pytest.raises(GlossaryError, match="no such glossary file"):
        GlossaryFile(tmp_path / "none.tsv")
