"""The pseudo-language model (en→qps) through the real Engine and Pipeline, on unseen sentences.

Unlike the memorisers, this model generalises (tests/pseudo.py): it reorders, copies spans
and mangles some of them as real models do, so attention-based tag placement and span
recovery meet real model output here. Sentences are generated with pseudo.TEST_SEED, never
a training seed. Thresholds sit below the figures measured in docs/bench.md (quality), which
`make bench` produces on more sentences; the committed model gets about a third of unseen
sentences exactly right (chrF 88), so the thresholds are those of a middling real model.
"""

from __future__ import annotations

import pytest

from l10n.localise.glossary import COLUMNS, GlossaryFile
from l10n.translate.pipeline import Pipeline

from .. import pseudo, quality

SEED = pseudo.TEST_SEED * 100


@pytest.fixture(scope="module")
def pipeline(pseudo_settings, pseudo_engine, tmp_path_factory) -> Pipeline:
    path = tmp_path_factory.mktemp("glossary") / "none.tsv"
    path.write_text("\t".join(COLUMNS) + "\n", encoding="utf-8")  # a glossary of no names
    empty = GlossaryFile(path)
    return Pipeline(pseudo_settings, pseudo_engine, glossary=empty)


def test_reproduces_the_rules_on_unseen_sentences(pipeline):
    scores = quality.reference_scores(pipeline, pseudo.Generator(SEED).sentences(60))
    assert scores["exact"] >= 0.25, scores
    assert scores["chrf"] >= 85, scores


@pytest.fixture(scope="module")
def placement(pipeline) -> quality.Placement:
    return quality.score_placement(pipeline, quality.placement_cases(SEED + 1, 40))


def test_attention_places_inline_elements_on_unseen_html(placement):
    assert placement.elements >= 60
    assert placement.exact >= 0.3 * placement.elements, placement.shares()
    assert placement.exact + placement.partial >= 0.7 * placement.elements, placement.shares()


def test_no_inline_element_comes_out_empty(placement):
    assert placement.empty == 0, placement.shares()


def test_spans_survive_or_are_flagged_never_lost_silently(pipeline):
    spans = quality.span_sentences(SEED + 2, 40)
    score = quality.score_spans(pipeline, spans, "as_is")
    total = score.total()
    assert total["lost_silently"] == 0, score.shares()
    assert total["kept"] + total["recovered"] >= 0.45 * sum(total.values()), score.shares()


def test_spans_the_model_mangles_are_recovered_from_its_output(pipeline):
    """`1200 people` comes out as `1.200`, `http://` as `http: //`: check() puts them back."""
    sentences = [s for s in quality.span_sentences(SEED + 3, 120)
                 if any(w.kind in ("number", "url") and w.pseudo not in (None, w.english)
                        for w in s.words)][:15]
    score = quality.score_spans(pipeline, sentences, "as_is")
    assert score.total()["recovered"] >= 8, score.shares()
    assert score.total()["lost_silently"] == 0
