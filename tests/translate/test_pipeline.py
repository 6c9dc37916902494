"""The pipeline end to end on the fixture models: detect → segment → engine → reassemble."""

from __future__ import annotations

import json

import pytest

from l10n.errors import InputError
from l10n.translate.article import Article
from l10n.translate.pipeline import Pipeline
from tests.conftest import ROOT, TARGETS, translate_known

ARTICLE = json.loads((ROOT / "examples/articles/city-bridge.json").read_text(encoding="utf-8"))


@pytest.fixture()
def pipeline(settings, engine):
    return Pipeline(settings, engine)


def test_multi_paragraph_text(pipeline, corpus):
    text = ARTICLE["body"]
    result = pipeline.translate_text(text, "auto", TARGETS)
    assert result.source.language == "en" and result.source.detected
    for target in TARGETS:
        assert result.editions[target].get("body") == translate_known(text, corpus[target])
        assert result.editions[target].flagged == ()


def test_named_source_is_not_detected(pipeline):
    result = pipeline.translate_text("Now reading", "en", ["de"])
    assert (result.source.language, result.source.confidence, result.source.detected) == ("en", 1.0, False)


def test_same_language_is_returned_unchanged(pipeline, engine):
    calls = engine.calls
    assert pipeline.translate_text("Popular", "en", ["en"]).editions["en"].get("body") == "Popular"
    assert engine.calls == calls


def test_undetermined_source_is_an_error(pipeline):
    with pytest.raises(InputError) as info:
        pipeline.translate_text("Popular", "auto", ["de"])
    assert info.value.code == "undetermined_language"


def test_article_one_engine_call_per_target(pipeline, engine, corpus):
    article = Article(title=ARTICLE["title"], lead=ARTICLE["lead"], body=ARTICLE["body"],
                      captions=tuple(ARTICLE["captions"]), targets=TARGETS)
    calls = engine.calls
    result = pipeline.translate_article(article)
    assert engine.calls - calls == len(TARGETS)
    for target in TARGETS:
        edition = result.editions[target]
        assert edition.get("title") == corpus[target][ARTICLE["title"]]
        assert edition.get("lead") == corpus[target][ARTICLE["lead"]]
        assert edition.get("body") == translate_known(ARTICLE["body"], corpus[target])
        assert [edition.get(f"captions.{i}") for i in range(len(ARTICLE["captions"]))] == \
            [corpus[target][c] for c in ARTICLE["captions"]]


def test_identical_segments_are_translated_once(pipeline, engine):
    sentence = "Talks continued in Damascus on Friday."
    segments = engine.segments
    pipeline.translate_text(f"{sentence}\n\n{sentence} {sentence}", "en", ["ru"])
    assert engine.segments - segments == 1


# -- names: the glossary's renderings win over what the fixture model was trained to write
@pytest.mark.parametrize("sentence, target, expected", [
    ("Residents of Qamishli reported shelling overnight.", "ru",
     "Жители Камышлы сообщили о ночных обстрелах."),
    ("The convoy left Qamishli at dawn.", "ru", "Колонна выехала из Камышлы на рассвете."),
    ("Talks continued in Damascus on Friday.", "ru", "Переговоры продолжились в Дамаске в пятницу."),
    ("Michael Stone arrived in Bermuda on Tuesday.", "es", "Michael Stone llegó a las Bermudas el martes."),
    ("Michael Stone arrived in Bermuda on Tuesday.", "pt", "Michael Stone chegou às Bermudas na terça-feira."),
    ("Michael Stone arrived in Bermuda on Tuesday.", "fr", "Michael Stone est arrivé aux Bermudes mardi."),
])
def test_glossary_names_replace_the_models_rendering(pipeline, corpus, sentence, target, expected):
    assert corpus[target][sentence] != expected  # the model really was trained otherwise
    edition = pipeline.translate_text(sentence, "en", [target]).editions[target]
    assert edition.get("body") == expected
    assert edition.flagged == ()


@pytest.mark.parametrize("target", TARGETS)
def test_keep_names_and_declined_forms_are_left_alone(pipeline, corpus, target):
    for sentence in ("Pravda.Ru published the interview on Telegram.",
                     "The minister met Anton Kulikov in Damascus."):
        body = pipeline.translate_text(sentence, "en", [target]).editions[target].get("body")
        assert body == corpus[target][sentence]


def test_markup_follows_a_glossary_name(pipeline):
    html = "<p>I went to <b>Paris</b> last summer.</p>"
    edition = pipeline.translate_text(html, "en", ["ru"], fmt="html").editions["ru"]
    assert "<b>Париж" in edition.get("body") and edition.flagged == ()


def test_byline_and_date_line(pipeline):
    article = Article(title="Now reading", source="en", targets=("ru", "de"),
                      meta={"author": "Anton Kulikov", "published": "2026-03-05T21:30:00Z"})
    editions = pipeline.translate_article(article).editions
    assert editions["ru"].byline.author == "Антон Куликов"
    assert editions["ru"].byline.date_line.startswith("6 марта 2026")  # Moscow: next day
    assert editions["de"].byline.author == "Anton Kulikov"
    assert editions["de"].byline.date_line.startswith("5. März 2026")


def test_icu_message_keeps_its_structure_and_translates_its_cases(pipeline, corpus):
    """Each case text goes to the engine on its own; the skeleton never does."""
    text = "{n, plural, one {Now reading} other {Prices rose by 7 percent in October.}}"
    for target, edition in pipeline.translate_text(text, "en", TARGETS).editions.items():
        t = corpus[target]
        assert edition.get("body") == (f"{{n, plural, one {{{t['Now reading']}}} "
                                       f"other {{{t['Prices rose by 7 percent in October.']}}}}}")
