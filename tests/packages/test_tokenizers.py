"""Every package variant argostranslate 1.11 reads, installed and translating exactly:
SentencePiece (the fixtures), BPE (`bpe.model`) and a `target_prefix` package, each built
from a fixture model's trained weights (tests/packages/variants.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from l10n.packages import demo, tokenizers
from l10n.packages.store import ModelStore
from l10n.translate.engine import Engine
from l10n.translate.pipeline import Pipeline
from tests.packages import variants

FIXTURE = demo.MODELS_DIR / "en_de.argosmodel"


@pytest.fixture(scope="module")
def variant_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("variants")


@pytest.fixture(scope="module")
def bpe(variant_dir):
    """(engine with only the BPE en-de package installed, corpus pairs it reproduces)."""
    package, kept = variants.bpe_package(FIXTURE, variant_dir / "bpe.argosmodel",
                                         demo.load_pair("en", "de"), "en", "de")
    store = ModelStore(variant_dir / "bpe-models")
    model = store.install(package)
    assert (model.path / "bpe.model").is_file() and not (model.path / "sentencepiece.model").exists()
    return store, kept


@pytest.fixture(scope="module")
def prefixed(variant_dir):
    store = ModelStore(variant_dir / "prefix-models")
    model = store.install(variants.prefix_package(FIXTURE, variant_dir / "prefix.argosmodel"))
    assert model.target_prefix == variants.PREFIX
    return store


def test_bpe_package_translates_exactly(settings, bpe):
    store, kept = bpe
    assert len(kept) >= 3
    engine = Engine(replace(settings, models_dir=store.dir))
    (model,) = store.installed()
    assert isinstance(tokenizers.load(model.path, "en", "de"), tokenizers.BPETokenizer)
    out = engine.translate("en", "de", [s for s, _ in kept], with_alignment=True)
    assert [t.text for t in out] == [t for _, t in kept]
    assert all(t.alignment and len(t.alignment) == len(t.target_spans) for t in out)


def test_bpe_package_in_the_pipeline(settings, bpe):
    store, kept = bpe
    pipeline = Pipeline(settings, Engine(replace(settings, models_dir=store.dir)))
    source, target = kept[0]
    edition = pipeline.translate_text(f"<p><b>{source}</b></p>", "en", ["de"], "html").editions["de"]
    assert edition.get("body") == f"<p><b>{target}</b></p>"


def test_target_prefix_package_translates_exactly(settings, prefixed, corpus):
    engine = Engine(replace(settings, models_dir=prefixed.dir))
    table = corpus["de"]
    assert [t.text for t in engine.translate("en", "de", list(table))] == list(table.values())


def test_target_prefix_is_required_by_that_package(prefixed):
    """Without the forced prefix the model has no start token: the prefix really is used."""
    import ctranslate2

    (model,) = prefixed.installed()
    translator = ctranslate2.Translator(str(model.path / "model"))
    tokens = tokenizers.load(model.path, "en", "de").encode("Popular")
    with pytest.raises(ValueError, match="decoder start token"):
        translator.translate_batch([tokens])


def test_no_tokenizer_is_an_error(tmp_path):
    with pytest.raises(tokenizers.TokenizerMissing):
        tokenizers.load(tmp_path, "en", "de")


def test_sentencepiece_decoding_keeps_underscores(engine):
    (model,) = [m for m in engine.store.installed() if m.pair == "en-de"]
    tok = tokenizers.load(model.path, "en", "de")
    assert tok.decode(tok.encode("%(user_name)s")) == "%(user_name)s"
