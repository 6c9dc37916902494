"""Installing packages through argostranslate's package code, safely."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from l10n.packages import demo
from l10n.packages.store import ModelStore, PackageError, inspect_package


def _fixture(pair: str) -> Path:
    return next(p for p in demo.model_files() if p.stem == pair.replace("-", "_"))


def test_install_and_list(tmp_path):
    store = ModelStore(tmp_path / "models")
    model = store.install(_fixture("en-de"))
    assert (model.source, model.target, model.version) == ("en", "de", "1.0")
    assert [m.pair for m in store.installed()] == ["en-de"]
    assert store.find("en", "de").size_bytes > 1_000_000
    assert store.find("en", "ru") is None


def _repack(src: Path, dest: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            result = edit(item.filename, zin.read(item.filename))
            if result is not None:
                zout.writestr(result[0], result[1])
    return dest


def test_upgrade_replaces_older_version(tmp_path):
    def bump(name, data):
        if name.endswith("metadata.json"):
            meta = json.loads(data)
            meta["package_version"] = "1.1"
            data = json.dumps(meta).encode()
        return name.replace("1_0", "1_1"), data

    newer = _repack(_fixture("en-es"), tmp_path / "en_es-1.1.argosmodel", bump)
    store = ModelStore(tmp_path / "models")
    store.install(_fixture("en-es"))
    store.install(newer)
    assert [(m.pair, m.version) for m in store.installed()] == [("en-es", "1.1")]


@pytest.mark.parametrize("problem, edit", [
    ("one top-level folder", lambda n, d: (n.split("/", 1)[1], d)),
    ("sentencepiece.model", lambda n, d: None if n.endswith("sentencepiece.model") else (n, d)),
    ("model.bin", lambda n, d: None if n.endswith("model.bin") else (n, d)),
    ("metadata.json", lambda n, d: (n, b"{not json") if n.endswith("metadata.json") else (n, d)),
    ("unsafe", lambda n, d: ("../" + n, d) if n.endswith("README.md") else (n, d)),
])
def test_bad_packages_are_refused_and_leave_nothing(tmp_path, problem, edit):
    bad = _repack(_fixture("en-fr"), tmp_path / "bad.argosmodel", edit)
    store = ModelStore(tmp_path / "models")
    with pytest.raises(PackageError, match=problem):
        store.install(bad)
    assert store.installed() == []
    assert not list(tmp_path.glob(".l10n-staging-*"))


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.argosmodel"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(PackageError, match="not a zip"):
        inspect_package(path)


def test_remove(tmp_path):
    store = ModelStore(tmp_path / "models")
    store.install(_fixture("en-pt"))
    assert [m.pair for m in store.remove("en", "pt")] == ["en-pt"]
    assert store.installed() == []
