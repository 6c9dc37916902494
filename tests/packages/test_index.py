"""Models from a package index, for real: an index and packages served over HTTP on 127.0.0.1;
and readiness (L10N_PRELOAD): /health answers 503 until every model is loaded."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from l10n.packages.index import DownloadError, IndexUnavailable, install_from_index
from l10n.packages.store import ModelStore
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory
from tests.conftest import ROOT
from tests.packages.test_store import _fixture, _repack


class _Quiet(SimpleHTTPRequestHandler):
    requests: list[str]

    def log_message(self, *args) -> None:
        self.requests.append(self.path)


class Index:
    """A folder served on 127.0.0.1: `index.json` and the package files it lists."""

    def __init__(self, folder: Path, url: str, requests: list[str]) -> None:
        self.folder, self.url, self.requests = folder, url, requests
        self.entries: list[dict] = []

    def publish(self, pair: str, package: Path, version: str = "1.0", **extra) -> None:
        name = f"{pair.replace('-', '_')}-{version}.argosmodel"
        shutil.copy(package, self.folder / name)
        source, target = pair.split("-")
        self.entries.append({"package_version": version, "from_code": source,
                             "to_code": target, "type": "translate",
                             "links": [f"{self.url}/{name}"], **extra})
        (self.folder / "index.json").write_text(json.dumps(self.entries))

    @property
    def index(self) -> str:
        return f"{self.url}/index.json"

    def downloads(self) -> list[str]:
        return [r for r in self.requests if r.endswith(".argosmodel")]


@pytest.fixture()
def served(tmp_path):
    folder = tmp_path / "www"
    folder.mkdir()
    requests: list[str] = []
    handler = type("Handler", (_Quiet,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Index(folder, f"http://127.0.0.1:{server.server_port}", requests)
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _install(store: ModelStore, index: Index, targets=("de",)):
    return install_from_index(store, index.index, "en", targets, timeout=10,
                              report=lambda line: None)


def _bump(version: str):
    def edit(name, data):
        if name.endswith("metadata.json"):
            data = json.dumps({**json.loads(data), "package_version": version}).encode()
        return name.replace("1_0", version.replace(".", "_")), data
    return edit


def _leftovers(store: ModelStore) -> list[str]:
    return [p.name for p in store.dir.parent.iterdir() if p.name.startswith(".l10n-")]


def test_install_from_the_index_then_nothing_to_do(tmp_path, served):
    served.publish("en-de", _fixture("en-de"))
    served.publish("en-fr", _fixture("en-fr"))
    store = ModelStore(tmp_path / "data/models")
    done = _install(store, served, ("de", "fr"))
    assert [(d.pair, d.version, d.action) for d in done] == [("en-de", "1.0", "installed"),
                                                            ("en-fr", "1.0", "installed")]
    assert [(m.pair, m.version) for m in store.installed()] == [("en-de", "1.0"),
                                                               ("en-fr", "1.0")]
    again = _install(store, served, ("de", "fr"))
    assert {d.action for d in again} == {"up to date"}
    assert len(served.downloads()) == 2  # nothing downloaded the second time
    assert _leftovers(store) == []


def test_upgrade_to_a_newer_version_in_the_index(tmp_path, served):
    store = ModelStore(tmp_path / "data/models")
    served.publish("en-es", _fixture("en-es"))
    _install(store, served, ("es",))
    newer = _repack(_fixture("en-es"), tmp_path / "en_es-1.1.argosmodel", _bump("1.1"))
    digest = hashlib.sha256(newer.read_bytes()).hexdigest()
    served.publish("en-es", newer, version="1.1", sha256=digest)
    (done,) = _install(store, served, ("es",))
    assert (done.version, done.action) == ("1.1", "upgraded")
    assert [(m.pair, m.version) for m in store.installed()] == [("en-es", "1.1")]


def _truncated(package: Path, tmp_path: Path) -> Path:
    data = package.read_bytes()
    (tmp_path / "half.argosmodel").write_bytes(data[: len(data) // 2])
    return tmp_path / "half.argosmodel"


def _flipped(package: Path, tmp_path: Path) -> Path:
    data = bytearray(package.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the model's compressed bytes: a CRC mismatch
    (tmp_path / "flipped.argosmodel").write_bytes(bytes(data))
    return tmp_path / "flipped.argosmodel"


@pytest.mark.parametrize("served_file, extra, problem", [
    (_truncated, {}, "not a zip archive"),
    (_flipped, {}, "corrupt member"),
    (lambda p, _: p, {"sha256": "0" * 64}, "SHA-256 mismatch"),
    (lambda p, t: _repack(p, t / "v2.argosmodel", _bump("2.0")), {}, "is version 2.0"),
])
def test_a_bad_download_is_refused_and_leaves_nothing(tmp_path, served, served_file, extra,
                                                      problem):
    served.publish("en-de", served_file(_fixture("en-de"), tmp_path), **extra)
    store = ModelStore(tmp_path / "data/models")
    with pytest.raises(DownloadError, match=problem):
        _install(store, served)
    assert store.installed() == []
    assert _leftovers(store) == []


def test_a_package_of_another_pair_is_refused(tmp_path, served):
    served.publish("en-ru", _fixture("en-de"))
    store = ModelStore(tmp_path / "data/models")
    with pytest.raises(DownloadError, match="translates en-de"):
        _install(store, served, ("ru",))
    assert store.installed() == []


def test_pairs_that_fail_do_not_stop_the_others(tmp_path, served):
    served.publish("en-de", _fixture("en-de"))
    store = ModelStore(tmp_path / "data/models")
    with pytest.raises(DownloadError, match="en-pt: not in the index"):
        _install(store, served, ("pt", "de"))
    assert [m.pair for m in store.installed()] == ["en-de"]


def test_an_unreachable_index(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(IndexUnavailable, match="cannot reach the model index"):
        _install(ModelStore(tmp_path / "models"),
                 Index(tmp_path, f"http://127.0.0.1:{port}", []))


def _l10n(*args: str, data: Path, index: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "L10N_DATA_DIR": str(data), "L10N_MODEL_INDEX": index,
           "L10N_DEFAULT_TARGETS": "de,fr"}
    return subprocess.run([sys.executable, "-m", "l10n.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_cli_models_install_from_the_index(tmp_path, served):
    served.publish("en-de", _fixture("en-de"))
    served.publish("en-fr", _fixture("en-fr"))
    run = _l10n("models", "install", data=tmp_path / "data", index=served.index)
    assert run.returncode == 0, run.stderr
    assert "en-de 1.0: installed" in run.stdout and "en-fr 1.0: installed" in run.stdout
    listed = _l10n("models", "list", data=tmp_path / "data", index=served.index).stdout
    assert listed.splitlines()[0].startswith("en-de\t1.0\t")


@pytest.mark.slow
def test_cli_models_install_exit_codes(tmp_path, served):
    unreachable = _l10n("models", "install", data=tmp_path / "data",
                        index=str(tmp_path / "no-such-mirror/index.json"))
    assert unreachable.returncode == 2
    assert "cannot reach the model index" in unreachable.stderr
    assert "l10n models install FILE.argosmodel" in unreachable.stderr
    served.publish("en-de", _fixture("en-de"))
    served.publish("en-fr", _truncated(_fixture("en-fr"), tmp_path))
    partly = _l10n("models", "install", data=tmp_path / "data", index=served.index)
    assert partly.returncode == 1
    assert "en-fr: REFUSED" in partly.stdout and "not installed" in partly.stderr


# ---------------------------------------------------------------- readiness
class _SlowEngine(Engine):
    """Loads models only when the test lets it, and remembers which."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.go = threading.Event()
        self.loaded: list[str] = []

    def model_for(self, source: str, target: str):
        assert self.go.wait(timeout=60)
        model = super().model_for(source, target)
        self.loaded.append(model.pair)
        return model


def test_preload_answers_503_until_every_model_is_loaded(tmp_path, settings):
    from service import create_app

    engine = _SlowEngine(settings)
    app = create_app(replace(settings, preload=True), engine, Memory(tmp_path / "m.sqlite3"))
    client = app.test_client()
    loading = client.get("/health")
    assert loading.status_code == 503 and loading.get_json() == {"status": "loading"}
    engine.go.set()
    deadline = time.monotonic() + 60
    while (response := client.get("/health")).status_code == 503:
        assert time.monotonic() < deadline, "models never finished loading"
        time.sleep(0.02)
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    assert sorted(engine.loaded) == sorted(m.pair for m in engine.store.installed())
