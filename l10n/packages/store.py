"""Installed Argos packages: validate, install atomically, list, remove.

Installation goes through argostranslate's own package code (`install_from_path`, `Package`),
pointed at the configured packages directory instead of the user's home. A package is first
checked (a zip with exactly one top-level folder, metadata naming the pair, a tokenizer and a
CTranslate2 model), extracted into a staging folder beside the packages directory and moved
into place with one rename, so a failed or interrupted install never leaves a half package
that would break every later listing.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import packaging.version

log = logging.getLogger(__name__)

_ARGOS_LOCK = threading.Lock()  # argostranslate.settings is process-global


class PackageError(ValueError):
    """A file is not a usable translation package."""


@dataclass(frozen=True)
class InstalledModel:
    source: str
    target: str
    version: str
    name: str
    path: Path
    size_bytes: int

    @property
    def pair(self) -> str:
        return f"{self.source}-{self.target}"

    @property
    def key(self) -> str:
        """Identifies the exact model in caches: pair, package version, folder."""
        return f"{self.pair}@{self.version}:{self.path.name}"


def inspect_package(path: Path) -> dict:
    """Check an `.argosmodel` file without installing it; return its metadata."""
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path.name}: not a zip archive (a download may be truncated)")
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise PackageError(f"{path.name}: corrupt member {bad} (checksum mismatch)")
        names = [n for n in archive.namelist() if n]
        for name in names:
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts:
                raise PackageError(f"{path.name}: unsafe member path {name!r}")
        tops = {PurePosixPath(n).parts[0] for n in names}
        if len(tops) != 1 or not any("/" in n for n in names):
            raise PackageError(f"{path.name}: must hold exactly one top-level folder, "
                               f"found {sorted(tops)}")
        top = tops.pop()
        members = set(names)
        try:
            metadata = json.loads(archive.read(f"{top}/metadata.json"))
        except (KeyError, ValueError) as exc:
            raise PackageError(f"{path.name}: missing or invalid metadata.json ({exc})") from None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        raise PackageError(f"{path.name}: not a translation package")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise PackageError(f"{path.name}: metadata.json lacks {key}")
    if not ({f"{top}/sentencepiece.model", f"{top}/bpe.model"} & members):
        raise PackageError(f"{path.name}: no sentencepiece.model (translation would fail)")
    if f"{top}/model/model.bin" not in members:
        raise PackageError(f"{path.name}: no CTranslate2 model (model/model.bin)")
    return metadata


class ModelStore:
    """The packages directory of this service."""

    def __init__(self, packages_dir: Path) -> None:
        self.dir = Path(packages_dir)

    def installed(self) -> list[InstalledModel]:
        if not self.dir.is_dir():
            return []
        from argostranslate.package import Package  # light import (no torch, no spaCy)

        models = []
        for folder in sorted(p for p in self.dir.iterdir() if p.is_dir()):
            try:
                package = Package(folder)
            except (OSError, ValueError):
                continue  # not a package folder; never let one bad folder hide the rest
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            models.append(InstalledModel(
                source=package.from_code, target=package.to_code,
                version=package.package_version or "0", name=package.to_name or "",
                path=folder, size_bytes=size,
            ))
        return models

    def find(self, source: str, target: str) -> InstalledModel | None:
        """The newest installed package for a pair."""
        candidates = [m for m in self.installed() if (m.source, m.target) == (source, target)]
        if not candidates:
            return None
        return max(candidates, key=lambda m: packaging.version.parse(m.version))

    def install(self, package_file: Path) -> InstalledModel:
        """Install (or upgrade to) a package file; replaces older packages of the same pair."""
        metadata = inspect_package(package_file)
        self.dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".l10n-staging-", dir=self.dir.parent))
        try:
            _argos_install(package_file, staging)
            (folder,) = [p for p in staging.iterdir() if p.is_dir()]
            previous = [m for m in self.installed()
                        if (m.source, m.target) == (metadata["from_code"], metadata["to_code"])]
            final = self.dir / folder.name
            if final.exists():  # same folder name: move the old one aside first
                aside = staging / (folder.name + ".old")
                final.rename(aside)
            folder.rename(final)
            for model in previous:
                if model.path != final:
                    shutil.rmtree(model.path, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        installed = self.find(metadata["from_code"], metadata["to_code"])
        assert installed is not None
        log.info("installed %s %s from %s into %s (replacing %s)", installed.pair,
                 installed.version, package_file, installed.path,
                 ", ".join(m.version for m in previous) or "nothing")
        return installed

    def remove(self, source: str, target: str) -> list[InstalledModel]:
        removed = [m for m in self.installed() if (m.source, m.target) == (source, target)]
        for model in removed:
            shutil.rmtree(model.path)
            log.info("removed %s %s (%s)", model.pair, model.version, model.path)
        return removed


def _argos_install(package_file: Path, into: Path) -> None:
    """argostranslate.package.install_from_path, aimed at `into` instead of the home dir."""
    from argostranslate import package, settings

    with _ARGOS_LOCK:
        saved = settings.package_data_dir
        settings.package_data_dir = into
        try:
            package.install_from_path(package_file)
        finally:
            settings.package_data_dir = saved
