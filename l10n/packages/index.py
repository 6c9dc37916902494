"""The Argos package index: download, verify and install the editions' models.

    l10n models install        # en→ru, de, fr, pt, es: the newest of each in the index

The index (`L10N_MODEL_INDEX`, by default argospm's official `index.json`; an http(s) or
file URL, or a path) is a JSON list of packages: `from_code`, `to_code`, `package_version`,
`links` (download URLs, tried in order; relative ones resolve against the index URL, so a
mirror folder with its own index.json works), optionally `sha256`. For each wanted pair the
newest entry is downloaded into a temporary folder beside the models, with a progress bar,
then verified before anything is installed: the byte count against Content-Length, the
SHA-256 when the index gives one (the official index does not), the zip's integrity and
layout (`models.inspect_package`), and that the package's metadata names the pair and version
the index promised. Only then does `ModelStore.install` put it in place atomically; a failed
or interrupted download leaves nothing behind. Pairs already installed at the index's version
(or newer) are not downloaded again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urljoin, urlparse

import packaging.version

from l10n.packages.store import InstalledModel, ModelStore, PackageError, inspect_package

log = logging.getLogger(__name__)

CHUNK = 1 << 20


class IndexUnavailable(Exception):
    """The package index cannot be fetched or read: offline, wrong URL, not an index."""


class DownloadError(PackageError):
    """A package could not be downloaded, or what came is not what the index promised."""


@dataclass(frozen=True)
class IndexEntry:
    source: str
    target: str
    version: str
    links: tuple[str, ...]
    sha256: str | None = None

    @property
    def pair(self) -> str:
        return f"{self.source}-{self.target}"


@dataclass(frozen=True)
class Installed:
    """What `install_from_index` did for one pair."""

    pair: str
    version: str
    action: str  # "installed", "upgraded" or "up to date"


def index_url(location: str) -> str:
    """A URL for the index setting: URLs as they are, file paths as file:// URLs."""
    if urlparse(location).scheme in ("http", "https", "file"):
        return location
    return Path(location).expanduser().resolve().as_uri()


def fetch_index(location: str, timeout: float) -> list[IndexEntry]:
    """The translation packages listed by the index at `location`."""
    url = index_url(location)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = json.loads(response.read())
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise IndexUnavailable(f"cannot reach the model index {url} ({reason})") from None
    except ValueError as exc:
        raise IndexUnavailable(f"{url} is not a package index: {exc}") from None
    if not isinstance(data, list):
        raise IndexUnavailable(f"{url} is not a package index (expected a JSON list)")
    entries = []
    for item in data:
        if not isinstance(item, dict) or item.get("type", "translate") != "translate":
            continue  # sentence splitters and future package kinds
        links = item.get("links")
        if not (isinstance(item.get("from_code"), str) and isinstance(item.get("to_code"), str)
                and isinstance(links, list) and links and all(isinstance(x, str) for x in links)):
            continue
        sha256 = item.get("sha256")
        entries.append(IndexEntry(item["from_code"], item["to_code"],
                                  str(item.get("package_version") or "0"),
                                  tuple(urljoin(url, link) for link in links),
                                  sha256.lower() if isinstance(sha256, str) else None))
    return entries


def newest(entries: Sequence[IndexEntry], source: str, target: str) -> IndexEntry | None:
    candidates = [e for e in entries if (e.source, e.target) == (source, target)]
    return max(candidates, key=lambda e: _version(e.version), default=None)


def download(entry: IndexEntry, into: Path, timeout: float, stream: TextIO) -> Path:
    """Download a package into the folder `into`, trying its links in order."""
    errors = []
    for url in entry.links:
        path = into / Path(urlparse(url).path).name
        try:
            _fetch(url, path, timeout, stream, f"{entry.pair} {entry.version}")
            return path
        except (urllib.error.URLError, OSError, DownloadError) as exc:
            errors.append(f"{url}: {getattr(exc, 'reason', None) or exc}")
            path.unlink(missing_ok=True)
    raise DownloadError(f"{entry.pair} {entry.version}: download failed: " + "; ".join(errors))


def _fetch(url: str, path: Path, timeout: float, stream: TextIO, label: str) -> None:
    from tqdm import tqdm

    with urllib.request.urlopen(url, timeout=timeout) as response, open(path, "wb") as out:
        length = response.headers.get("Content-Length")
        expected = int(length) if length and length.isdigit() else None
        received = 0
        with tqdm(total=expected, unit="B", unit_scale=True, unit_divisor=1024, desc=label,
                  file=stream, disable=None, leave=False) as bar:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    if expected is not None and received != expected:
        raise DownloadError(f"truncated: {received} of {expected} bytes")


def verify(entry: IndexEntry, path: Path) -> None:
    """Refuse a download that is not the package the index entry describes."""
    if entry.sha256 is not None:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != entry.sha256:
            raise DownloadError(f"{entry.pair} {entry.version}: SHA-256 mismatch "
                                f"(got {digest.hexdigest()}, the index says {entry.sha256})")
    metadata = inspect_package(path)
    found = (metadata["from_code"], metadata["to_code"])
    if found != (entry.source, entry.target):
        raise DownloadError(f"{path.name}: the index lists it as {entry.pair}, but the package "
                            f"translates {'-'.join(found)}")
    version = str(metadata.get("package_version") or "0")
    if _version(version) != _version(entry.version):
        raise DownloadError(f"{path.name}: the index lists version {entry.version}, but the "
                            f"package is version {version}")


def install_from_index(store: ModelStore, location: str, source: str, targets: Sequence[str],
                       timeout: float, stream: TextIO = sys.stderr,
                       report: Callable[[str], None] = log.info) -> list[Installed]:
    """Install or upgrade the models for `source` → each of `targets` from the index.

    Raises IndexUnavailable (nothing done) or, after trying every pair, DownloadError naming
    the pairs that failed (not listed, download failed, refused); the others stay installed.
    """
    entries = fetch_index(location, timeout)
    done, failures = [], []
    for target in targets:
        entry = newest(entries, source, target)
        if entry is None:
            failures.append(f"{source}-{target}: not in the index")
            report(f"{source}-{target}: not in the model index {index_url(location)}")
            continue
        current = store.find(source, target)
        if current is not None and _version(current.version) >= _version(entry.version):
            done.append(Installed(entry.pair, current.version, "up to date"))
            report(f"{entry.pair} {current.version}: up to date")
            continue
        try:
            model = _download_and_install(store, entry, timeout, stream, report)
        except PackageError as exc:  # DownloadError included: nothing of it is installed
            failures.append(str(exc))
            report(f"{entry.pair}: REFUSED: {exc}")
            continue
        action = "upgraded" if current is not None else "installed"
        done.append(Installed(model.pair, model.version, action))
        report(f"{model.pair} {model.version}: {action}"
               + (f" (was {current.version})" if current is not None else ""))
    if failures:
        raise DownloadError("; ".join(failures))
    return done


def _download_and_install(store: ModelStore, entry: IndexEntry, timeout: float,
                          stream: TextIO, report: Callable[[str], None]) -> InstalledModel:
    store.dir.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".l10n-download-", dir=store.dir.parent))
    try:
        report(f"{entry.pair} {entry.version}: downloading {entry.links[0]}")
        path = download(entry, folder, timeout, stream)
        verify(entry, path)
        return store.install(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _version(text: str) -> packaging.version.Version:
    try:
        return packaging.version.parse(text)
    except packaging.version.InvalidVersion:
        return packaging.version.parse("0")
