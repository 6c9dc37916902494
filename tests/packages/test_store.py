"""Installing packages through argostranslate's package code, safely."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from l10n.packages import demo
from l10n.packages import store as store_module
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


def _with_metadata(tmp_path: Path, **changes) -> Path:
    def edit(name, data):
        if name.endswith("metadata.json"):
            meta = json.loads(data)
            meta.update(changes)
            data = json.dumps(meta).encode()
        return name, data

    return _repack(_fixture("en-fr"), tmp_path / "edited.argosmodel", edit)


@pytest.mark.parametrize("changes, problem", [
    ({"languages": 5}, "languages must be a list"),
    ({"languages": [5]}, "languages must list objects"),
    ({"from_name": ["French"]}, "from_name must be a string"),
    ({"to_code": 7}, "to_code must be a language code"),
    ({"from_code": "../en"}, "from_code must be a language code"),
    ({"package_version": "one point oh"}, "not a PEP 440 version"),
    ({"target_prefix": 3}, "target_prefix must be a string"),
])
def test_metadata_of_the_wrong_type_is_refused(tmp_path, changes, problem):
    store = ModelStore(tmp_path / "models")
    with pytest.raises(PackageError, match=problem):
        store.install(_with_metadata(tmp_path, **changes))
    assert store.installed() == []


def test_a_garbage_model_is_refused_by_a_trial_load(tmp_path):
    bad = _repack(_fixture("en-fr"), tmp_path / "bad.argosmodel",
                  lambda n, d: (n, b"garbage" * 100) if n.endswith("model.bin") else (n, d))
    store = ModelStore(tmp_path / "models")
    with pytest.raises(PackageError, match="does not load or translate"):
        store.install(bad)
    assert store.installed() == [] and not list(tmp_path.glob(".l10n-staging-*"))


def test_the_folder_comes_from_the_validated_pair_not_the_archive(tmp_path):
    """An en-fr archive whose folder is named like the en-de package replaces nothing."""
    store = ModelStore(tmp_path / "models")
    german = store.install(_fixture("en-de"))
    disguised = _repack(_fixture("en-fr"), tmp_path / "disguised.argosmodel",
                        lambda n, d: (german.path.name + "/" + n.split("/", 1)[1], d))
    french = store.install(disguised)
    assert french.path.name == "translate-en_fr-1_0"
    assert sorted(m.pair for m in store.installed()) == ["en-de", "en-fr"]
    assert store.find("en", "de").path == german.path


def test_size_caps(tmp_path, monkeypatch):
    huge_metadata = _with_metadata(tmp_path, description="x" * (store_module.MAX_METADATA_BYTES + 1))
    with pytest.raises(PackageError, match="metadata.json is .* bytes"):
        inspect_package(huge_metadata)
    monkeypatch.setattr(store_module, "MAX_UNPACKED_BYTES", 1_000_000)
    with pytest.raises(PackageError, match="unpacks to .* bytes"):
        inspect_package(_fixture("en-fr"))


def test_a_missing_file_is_named_as_such(tmp_path):
    with pytest.raises(PackageError, match="no such file"):
        inspect_package(tmp_path / "nothing.argosmodel")


def test_broken_folders_on_disk_are_listed_not_fatal(tmp_path):
    store = ModelStore(tmp_path / "models")
    store.install(_fixture("en-pt"))
    bad = store.dir / "translate-en_xx-1_0"
    bad.mkdir()
    (bad / "metadata.json").write_text('{"from_code": "en", "to_code": "es", "languages": 5}')
    (store.dir / "junk").mkdir()
    models, broken = store.scan()
    assert [m.pair for m in models] == ["en-pt"]
    assert "languages must be a list" in broken["translate-en_xx-1_0"]
    assert "junk" in broken
    assert [m.pair for m in store.remove("en", "pt")] == ["en-pt"]


def test_install_and_remove_change_the_stamp(tmp_path):
    store = ModelStore(tmp_path / "models")
    before = store.stamp()
    store.install(_fixture("en-pt"))
    installed = store.stamp()
    assert installed != before
    store.remove("en", "pt")
    assert store.stamp() not in (before, installed)
