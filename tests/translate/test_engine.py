"""The engine on the project's real fixture models (CTranslate2 + SentencePiece)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from l10n.translate.engine import Engine, UnsupportedPair
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
