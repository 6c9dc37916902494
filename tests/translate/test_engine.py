"""The engine on the project's real fixture models (CTranslate2 + SentencePiece)."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path

import ctranslate2
import pytest

from l10n.packages import demo
from l10n.packages.store import ModelStore
from l10n.translate.engine import BrokenPackage, Device, Engine, UnsupportedPair, choose_device
from tests.conftest import TARGETS


@pytest.mark.parametrize("target", TARGETS)
def test_every_corpus_sentence_in_one_batched_call(engine, corpus, target):
    table = corpus[target]
    calls = engine.calls
    out = engine.translate("en", target, list(table))
    assert engine.calls == calls + 1
    assert [t.text for t in out] == list(table.values())


def test_single_sentence(engine, corpus):
    sentence = "Talks continued in Damascus on Friday."
    (result,) = engine.translate("en", "de", [sentence])
    assert result.text == corpus["de"][sentence]


def test_empty_list_makes_no_call(engine):
    calls = engine.calls
    assert engine.translate("en", "ru", []) == []
    assert engine.calls == calls


def test_unknown_pair(engine):
    with pytest.raises(UnsupportedPair):
        engine.translate("de", "ru", ["Hallo Welt."])


def test_over_long_input_is_cut_not_truncated(settings, corpus):
    """A sentence over max_input_tokens goes in several chunks; every chunk is translated."""
    engine = Engine(replace(settings, max_input_tokens=12))
    first = "Subscribe to our newsletter"
    second = "Talks continued in Damascus on Friday."
    segments_before = engine.segments
    (result,) = engine.translate("en", "fr", [f"{first} {second}"])
    assert engine.segments - segments_before >= 2
    assert corpus["fr"][second] in result.text


def test_alignment_data_is_consistent(engine, corpus):
    sentence = "I went to Paris last summer."
    (result,) = engine.translate("en", "fr", [sentence], with_alignment=True)
    assert result.text == corpus["fr"][sentence]
    assert len(result.alignment) == len(result.target_spans)
    assert all(0 <= k < len(result.source_spans) for k in result.alignment)
    assert result.source_spans[-1][1] == len(sentence)
    assert result.target_spans[-1][1] == len(result.text)


def test_threads_share_one_engine(settings, corpus):
    engine = Engine(settings)
    sentences = list(corpus["es"])[:20]
    results, errors = [], []

    def work():
        try:
            results.append([t.text for t in engine.translate("en", "es", sentences)])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [[corpus["es"][s] for s in sentences]] * 4
    assert len(engine._loaded) == 1  # loaded once despite the race


# -- device
def test_auto_device_on_this_machine(settings):
    gpus = ctranslate2.get_cuda_device_count()
    device = choose_device(settings)
    if gpus:
        assert (device.device, device.compute_type) in {("cuda", "int8_float16"),
                                                         ("cuda", "float16")}
    else:
        assert device == Device("cpu", 0, "int8")
    assert choose_device(replace(settings, device="cpu", compute_type="float32")) == \
        Device("cpu", 0, "float32")


@pytest.mark.skipif(ctranslate2.get_cuda_device_count() == 0, reason="no CUDA device")
def test_cuda_translates_the_corpus(settings, corpus):
    engine = Engine(replace(settings, device="cuda"))
    assert engine.device.device == "cuda"
    table = corpus["de"]
    assert [t.text for t in engine.translate("en", "de", list(table))] == list(table.values())


# -- packages changing under a running engine
def _copy_packages(installed: Path, into: Path, pairs: tuple[str, ...]) -> ModelStore:
    """A packages folder holding some of the session's installed fixture packages."""
    into.mkdir(parents=True, exist_ok=True)
    for folder in installed.iterdir():
        if folder.is_dir() and folder.name.split("-")[1] in {p.replace("-", "_") for p in pairs}:
            shutil.copytree(folder, into / folder.name)
    return ModelStore(into)


def test_a_package_installed_meanwhile_is_used_by_the_next_call(settings, tmp_path, corpus):
    packages = tmp_path / "models"
    packages.mkdir()
    workers = [Engine(replace(settings, models_dir=packages)) for _ in range(2)]  # 2 processes
    assert not any(engine.supports("en", "pt") for engine in workers)
    other_process = ModelStore(packages)  # e.g. `l10n models install` beside the service
    other_process.install(next(p for p in demo.model_files() if p.stem == "en_pt"))
    sentence = "Talks continued in Damascus on Friday."
    for engine in workers:
        assert engine.refresh()
        assert engine.translate("en", "pt", [sentence])[0].text == corpus["pt"][sentence]
        assert not engine.refresh()  # nothing changed since
    other_process.remove("en", "pt")
    for engine in workers:
        assert engine.refresh()
        with pytest.raises(UnsupportedPair):
            engine.translate("en", "pt", [sentence])


def test_upgrades_under_concurrent_requests(settings, installed_models, tmp_path, corpus):
    """Requests keep being answered, correctly, while the package is reinstalled."""
    store = _copy_packages(installed_models, tmp_path / "models", ("en-es",))
    engine = Engine(replace(settings, models_dir=store.dir))
    package = next(p for p in demo.model_files() if p.stem == "en_es")
    sentences = list(corpus["es"])[:8]
    stop, errors, answers = threading.Event(), [], []

    def serve() -> None:
        while not stop.is_set():
            engine.refresh()
            try:
                answers.append([t.text for t in engine.translate("en", "es", sentences)])
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=serve) for _ in range(2)]
    for t in threads:
        t.start()
    for _ in range(2):
        store.install(package)
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert answers and all(a == [corpus["es"][s] for s in sentences] for a in answers)


def test_a_broken_package_on_disk_makes_only_its_pair_unavailable(settings, installed_models,
                                                                   tmp_path, corpus):
    store = _copy_packages(installed_models, tmp_path / "models", ("en-fr", "en-de"))
    (fr,) = [p for p in store.dir.iterdir() if "en_fr" in p.name]
    (fr / "model" / "model.bin").write_bytes(b"garbage")
    engine = Engine(replace(settings, models_dir=store.dir))
    with pytest.raises(BrokenPackage, match="en-fr package cannot be loaded"):
        engine.translate("en", "fr", ["Popular"])
    assert not engine.supports("en", "fr")
    assert engine.translate("en", "de", ["Popular"])[0].text == corpus["de"]["Popular"]


def test_route_names_every_missing_package(settings, installed_models, tmp_path):
    store = _copy_packages(installed_models, tmp_path / "models", ("en-de", "en-ru"))
    engine = Engine(replace(settings, models_dir=store.dir))
    assert engine.route("en", "de") == ("en", "de")
    assert engine.route("de", "de") == ("de",)
    with pytest.raises(UnsupportedPair) as caught:
        engine.route("de", "ru")
    assert caught.value.missing == ("de-ru", "de-en")
    assert "through English: missing de-ru, de-en" in str(caught.value)
    with pytest.raises(UnsupportedPair, match="en to fr$"):
        engine.route("en", "fr")


def test_a_reload_keeps_the_translators_of_unchanged_packages(settings, installed_models,
                                                              tmp_path):
    store = _copy_packages(installed_models, tmp_path / "models", ("en-de", "en-fr"))
    engine = Engine(replace(settings, models_dir=store.dir))
    german, french = engine._load("en", "de"), engine._load("en", "fr")
    store.install(next(p for p in demo.model_files() if p.stem == "en_fr"))  # reinstalled
    assert engine.refresh()
    assert engine._load("en", "de") is german
    assert engine._load("en", "fr") is not french
