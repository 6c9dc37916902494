"""Shared fixtures: the project's real fixture models installed in a temp dir, a live server.

argostranslate reads its settings and creates folders under $HOME when first imported, so the
XDG variables point into a temp dir before anything imports it: tests never touch the user's
home.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

_SANDBOX = Path(tempfile.mkdtemp(prefix="l10n-tests-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_SANDBOX / _name.lower())
for _name in [n for n in os.environ if n.startswith("L10N_")]:
    del os.environ[_name]

import pytest  # noqa: E402

from l10n.config import Settings  # noqa: E402
from l10n.packages import demo  # noqa: E402
from l10n.packages.store import ModelStore  # noqa: E402
from l10n.translate.engine import Engine  # noqa: E402

from . import pseudo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("ru", "de", "fr", "pt", "es")
REVERSED = tuple(t for t in TARGETS  # the xx→en memorisers committed (fixtures/README.md)
                 if (ROOT / "fixtures" / "models" / f"{t}_en.argosmodel").is_file())
MEMORISERS = (*(f"en_{t}" for t in TARGETS), *(f"{t}_en" for t in REVERSED))


@pytest.fixture(scope="session")
def sandbox() -> Path:
    return _SANDBOX


def _install(names: tuple[str, ...], packages: Path) -> Path:
    files = {path.stem: path for path in demo.model_files()}
    missing = [name for name in names if name not in files]
    assert not missing, f"fixture models missing ({', '.join(missing)}): run `make test-models`"
    store = ModelStore(packages)
    for name in names:
        store.install(files[name])
    return packages


@pytest.fixture(scope="session")
def installed_models(sandbox: Path) -> Path:
    """The memorising fixture packages (en→xx, xx→en) installed once, through
    argostranslate's package code."""
    return _install(MEMORISERS, sandbox / "installed" / "models")


@pytest.fixture(scope="session")
def pseudo_settings(sandbox: Path) -> Settings:
    """The pseudo-language model (en→qps, tests/pseudo.py) in a packages folder of its own,
    so that it never shows up among the real editions."""
    packages = _install((f"en_{pseudo.CODE}",), sandbox / "installed" / "pseudo")
    return Settings(data_dir=sandbox / "pseudo-data", models_dir=packages)


@pytest.fixture(scope="session")
def pseudo_engine(pseudo_settings: Settings) -> Engine:
    return Engine(pseudo_settings)


@pytest.fixture(scope="session")
def settings(sandbox: Path, installed_models: Path) -> Settings:
    return Settings(data_dir=sandbox / "data", models_dir=installed_models)


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Engine:
    return Engine(settings)


@pytest.fixture(scope="session")
def corpus() -> dict[str, dict[str, str]]:
    """target → {English sentence: memorised translation}."""
    return {t: dict(demo.load_pair("en", t)) for t in TARGETS}


@pytest.fixture(scope="session")
def reverse_corpus() -> dict[str, dict[str, str]]:
    """source → {corpus sentence in that language: its English original}."""
    return {t: {xx: en for en, xx in demo.load_pair("en", t)} for t in TARGETS}


@pytest.fixture()
def app(settings: Settings, engine: Engine, tmp_path: Path):
    """A fresh app per test, with its own translation memory (tests count engine calls)."""
    from l10n.translate.memory import Memory
    from service import create_app

    return create_app(settings, engine, memory=Memory(tmp_path / "memory.sqlite3"))


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def live_server(app):
    """The app served over real HTTP on 127.0.0.1 (an ephemeral port) for one test."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def translate_known(text: str, table: dict[str, str]) -> str:
    """Expected translation of a text made of corpus sentences joined by single spaces.

    Works paragraph by paragraph and greedily by corpus sentence, independently of the
    project's own segmenter, so it can catch a segmentation bug.
    """
    english = sorted(table, key=len, reverse=True)
    out_paragraphs = []
    for paragraph in text.split("\n\n"):
        rest, parts = paragraph, []
        while rest:
            match = next((s for s in english if rest.startswith(s)), None)
            assert match is not None, f"not made of corpus sentences: {rest!r}"
            parts.append(table[match])
            rest = rest[len(match):].lstrip(" ")
        out_paragraphs.append(" ".join(parts))
    return "\n\n".join(out_paragraphs)
