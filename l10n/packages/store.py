"""Installed Argos packages: validate, install atomically, list, remove.

Installation goes through argostranslate's own package code (`install_from_path`, `Package`),
pointed at a staging folder instead of the user's home. A package is first checked without
unpacking (`inspect_package`: a zip of exactly one top-level folder, within the size caps,
metadata of the types argostranslate reads, a tokenizer and a CTranslate2 model), then
unpacked into a staging folder beside the packages directory, LOADED and made to translate one
sentence there (`trial`), and only then moved into place with one rename, into a folder named
from the validated pair and version (never the archive's own folder name, which could be
another pair's). A failed or interrupted install leaves nothing behind.

Reading the folder never fails because of what is on disk: a folder whose metadata is broken
is listed by `broken()` and skipped, the rest serve. Every install and remove rewrites the
stamp file `.generation` (atomically), which running engines compare to pick up changes.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import threading
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import packaging.version

from l10n.atomic import write_atomic
from l10n.packages import demo

log = logging.getLogger(__name__)

_ARGOS_LOCK = threading.Lock()  # argostranslate.settings is process-global
STAMP = ".generation"
# Caps (docs/models.md). Argos' largest packages unpack to about 400 MB.
MAX_UNPACKED_BYTES = 2 << 30
MAX_MEMBERS = 1000
MAX_METADATA_BYTES = 1 << 20
_CODE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
# metadata.json keys argostranslate's IPackage.load_metadata_from_json reads, by type.
_STRINGS = ("code", "package_version", "argos_version", "from_name", "to_name", "type",
            "target_prefix", "name", "description")
_LISTS = ("from_codes", "to_codes", "links", "languages", "dependencies", "source_languages",
          "target_languages")
_VOCABULARIES = (("shared_vocabulary.json",), ("shared_vocabulary.txt",),
                 ("source_vocabulary.json", "target_vocabulary.json"),
                 ("source_vocabulary.txt", "target_vocabulary.txt"))


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
    target_prefix: str = ""
    demo: bool = False  # one of the repository's fixture models, not a real translator

    @property
    def pair(self) -> str:
        return f"{self.source}-{self.target}"

    @property
    def key(self) -> str:
        """Identifies the exact model in caches: pair, package version, folder."""
        return f"{self.pair}@{self.version}:{self.path.name}"


def check_metadata(metadata: object, where: str) -> dict:
    """metadata.json as argostranslate reads it, refused when a value has the wrong type."""
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        raise PackageError(f"{where}: not a translation package")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _CODE.match(value):
            raise PackageError(f"{where}: metadata.json {key} must be a language code, "
                               f"not {value!r}")
    for key in _STRINGS:
        if key in metadata and not isinstance(metadata[key], str):
            raise PackageError(f"{where}: metadata.json {key} must be a string")
    for key in _LISTS:
        if key in metadata and not isinstance(metadata[key], list):
            raise PackageError(f"{where}: metadata.json {key} must be a list")
    for key in ("languages", "source_languages", "target_languages"):
        if not all(isinstance(item, dict) for item in metadata.get(key, [])):
            raise PackageError(f"{where}: metadata.json {key} must list objects")
    version = metadata.get("package_version", "0") or "0"
    try:
        packaging.version.Version(version)
    except packaging.version.InvalidVersion:
        raise PackageError(f"{where}: package_version {version!r} is not a PEP 440 "
                           "version") from None
    return metadata


def inspect_package(path: Path) -> dict:
    """Check an `.argosmodel` file without installing it; return its metadata."""
    path = Path(path)
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path.name}: not a zip archive (a download may be truncated)")
    with zipfile.ZipFile(path) as archive:
        infos = [i for i in archive.infolist() if i.filename]
        if len(infos) > MAX_MEMBERS:
            raise PackageError(f"{path.name}: {len(infos)} members (at most {MAX_MEMBERS})")
        unpacked = sum(i.file_size for i in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            raise PackageError(f"{path.name}: unpacks to {unpacked} bytes "
                               f"(at most {MAX_UNPACKED_BYTES})")
        names = [i.filename for i in infos]
        for name in names:
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts:
                raise PackageError(f"{path.name}: unsafe member path {name!r}")
        tops = {PurePosixPath(n).parts[0] for n in names}
        if len(tops) != 1 or not any("/" in n for n in names):
            raise PackageError(f"{path.name}: must hold exactly one top-level folder, "
                               f"found {sorted(tops)}")
        top = tops.pop()
        members = {i.filename: i for i in infos}
        meta_info = members.get(f"{top}/metadata.json")
        if meta_info is None:
            raise PackageError(f"{path.name}: missing metadata.json")
        if meta_info.file_size > MAX_METADATA_BYTES:
            raise PackageError(f"{path.name}: metadata.json is {meta_info.file_size} bytes "
                               f"(at most {MAX_METADATA_BYTES})")
        bad = archive.testzip()
        if bad is not None:
            raise PackageError(f"{path.name}: corrupt member {bad} (checksum mismatch)")
        try:
            metadata = json.loads(archive.read(meta_info))
        except ValueError as exc:
            raise PackageError(f"{path.name}: invalid metadata.json ({exc})") from None
    check_metadata(metadata, path.name)
    if not ({f"{top}/sentencepiece.model", f"{top}/bpe.model"} & set(members)):
        raise PackageError(f"{path.name}: no sentencepiece.model or bpe.model "
                           "(translation would fail)")
    for required in ("model.bin", "config.json"):
        if f"{top}/model/{required}" not in members:
            raise PackageError(f"{path.name}: no CTranslate2 model (model/{required})")
    if not any(all(f"{top}/model/{v}" in members for v in group) for group in _VOCABULARIES):
        raise PackageError(f"{path.name}: no CTranslate2 vocabulary in model/")
    return metadata


def trial(folder: Path, metadata: dict) -> None:
    """Load an unpacked package as the engine will and translate one word with it."""
    import ctranslate2

    from l10n.packages import tokenizers

    try:
        translator = ctranslate2.Translator(str(folder / "model"), device="cpu",
                                            compute_type="auto", intra_threads=1)
        tokenizer = tokenizers.load(folder, metadata["from_code"], metadata["to_code"])
        prefix = metadata.get("target_prefix") or ""
        tokens = tokenizer.encode("Hello")
        result = translator.translate_batch([tokens], target_prefix=[[prefix]] if prefix else None,
                                            beam_size=1, max_decoding_length=8)
        tokenizer.decode(result[0].hypotheses[0])
    except Exception as exc:  # whatever a broken model raises, the package is refused
        raise PackageError(f"{folder.name}: the model does not load or translate "
                           f"({type(exc).__name__}: {exc})") from None


def folder_name(metadata: dict) -> str:
    """The installed folder, derived from the validated pair and version."""
    version = (metadata.get("package_version") or "0").replace(".", "_")
    return f"translate-{metadata['from_code']}_{metadata['to_code']}-{version}"


def _version(text: str) -> packaging.version.Version:
    try:
        return packaging.version.Version(text)
    except packaging.version.InvalidVersion:
        return packaging.version.Version("0")


class ModelStore:
    """The packages directory of this service."""

    def __init__(self, packages_dir: Path) -> None:
        self.dir = Path(packages_dir)

    def stamp(self) -> tuple[int, ...]:
        """Changes whenever a package is installed, upgraded or removed (in any process)."""
        try:
            folder = self.dir.stat()
        except FileNotFoundError:
            return ()
        try:
            mark = (self.dir / STAMP).stat()
        except FileNotFoundError:
            return (folder.st_mtime_ns, folder.st_ino)
        return (folder.st_mtime_ns, folder.st_ino, mark.st_mtime_ns, mark.st_ino)

    def _touch(self) -> None:
        write_atomic(self.dir / STAMP, uuid.uuid4().hex + "\n")

    def scan(self) -> tuple[list[InstalledModel], dict[str, str]]:
        """The usable packages, and the folders that are not, with why."""
        if not self.dir.is_dir():
            return [], {}
        from argostranslate.package import Package  # light import (no torch, no spaCy)

        models, broken = [], {}
        for folder in sorted(p for p in self.dir.iterdir() if p.is_dir()):
            if folder.name.startswith("."):
                continue
            try:
                meta_path = folder / "metadata.json"
                if meta_path.stat().st_size > MAX_METADATA_BYTES:
                    raise PackageError("metadata.json over the size cap")
                metadata = check_metadata(json.loads(meta_path.read_bytes()), folder.name)
                package = Package(folder)
            except (OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
                broken[folder.name] = str(exc)  # one bad folder never hides the rest
                continue
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            models.append(InstalledModel(
                source=package.from_code, target=package.to_code,
                version=package.package_version or "0", name=package.to_name or "",
                path=folder, size_bytes=size, target_prefix=package.target_prefix or "",
                demo=demo.is_demo(metadata),
            ))
        return models, broken

    def installed(self) -> list[InstalledModel]:
        return self.scan()[0]

    def find(self, source: str, target: str) -> InstalledModel | None:
        """The newest installed package for a pair."""
        candidates = [m for m in self.installed() if (m.source, m.target) == (source, target)]
        if not candidates:
            return None
        return max(candidates, key=lambda m: _version(m.version))

    def route_key(self, source: str, target: str) -> str | None:
        """The model keys that translate a pair: its own package's, or the two through
        English ("ru-en@1.0:…+en-de@1.0:…"); None when neither is installed."""
        direct = self.find(source, target)
        if direct is not None or "en" in (source, target):
            return direct.key if direct else None
        legs = [self.find(source, "en"), self.find("en", target)]
        return "+".join(m.key for m in legs if m) if all(legs) else None

    def install(self, package_file: Path) -> InstalledModel:
        """Install (or upgrade to) a package file; replaces older packages of the same pair."""
        metadata = inspect_package(package_file)
        pair = (metadata["from_code"], metadata["to_code"])
        self.dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".l10n-staging-", dir=self.dir.parent))
        try:
            _argos_install(package_file, staging / "unpacked")
            (unpacked,) = [p for p in (staging / "unpacked").iterdir() if p.is_dir()]
            trial(unpacked, metadata)
            previous = [m for m in self.installed() if (m.source, m.target) == pair]
            final = self.dir / folder_name(metadata)
            if final.exists():  # same pair and version: move the old one aside first
                final.rename(staging / "old")
            unpacked.rename(final)
            for model in previous:
                if model.path != final:
                    shutil.rmtree(model.path, ignore_errors=True)
            self._touch()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        installed = self.find(*pair)
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
        if removed:
            self._touch()
        return removed


def _argos_install(package_file: Path, into: Path) -> None:
    """argostranslate.package.install_from_path, aimed at `into` instead of the home dir."""
    from argostranslate import package, settings

    into.mkdir(parents=True, exist_ok=True)
    with _ARGOS_LOCK:
        saved = settings.package_data_dir
        settings.package_data_dir = into
        try:
            package.install_from_path(package_file)
        finally:
            settings.package_data_dir = saved
