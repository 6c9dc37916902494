"""POST /v1/articles/translate: the CMS's endpoint, over the test client and real HTTP."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import replace

import pytest

from l10n.translate.pipeline import Pipeline
from tests.conftest import ROOT, TARGETS, translate_known
from tests.lossy import LossyEngine

ARTICLE = json.loads((ROOT / "examples/articles/telescope.json").read_text(encoding="utf-8"))


def test_article_in_all_editions(client, corpus, engine):
    calls = engine.calls
    response = client.post("/v1/articles/translate", json=ARTICLE)
    assert response.status_code == 200
    body = response.get_json()
    assert engine.calls - calls == len(TARGETS)
    assert body["source"]["language"] == "en" and body["id"] == ARTICLE["id"]
    for target in TARGETS:
        edition = body["editions"][target]
        assert edition["title"] == corpus[target][ARTICLE["title"]]
        assert edition["lead"] == corpus[target][ARTICLE["lead"]]
        assert edition["body"] == translate_known(ARTICLE["body"], corpus[target])
        assert edition["captions"] == [corpus[target][c] for c in ARTICLE["captions"]]
        assert edition["qa"]["flagged"] == []


@pytest.mark.parametrize("body, status, code", [
    ({**ARTICLE, "format": "docx"}, 400, "unknown_format"),
    ({**ARTICLE, "captions": "one"}, 400, "wrong_type"),
    ({**ARTICLE, "title": 5}, 400, "wrong_type"),
    ({"title": "", "body": ""}, 400, "empty_text"),
    ({**ARTICLE, "targets": ["xx"]}, 400, "unsupported_language"),
    ({**ARTICLE, "meta": []}, 400, "wrong_type"),
    ({**ARTICLE, "meta": {"published": "9999-12-31T23:59:59+00:00"}}, 400, "invalid_date"),
    ({**ARTICLE, "meta": {"published": "0001-01-01T00:00:00+00:00"}}, 400, "invalid_date"),
    ({**ARTICLE, "meta": {"published": "0001-01-01T00:00:00+05:00"}}, 400, "invalid_date"),
    ({**ARTICLE, "meta": {"published": "2026-03-05T21:30:00"}}, 400, "invalid_date"),
])
def test_bad_articles(client, body, status, code):
    response = client.post("/v1/articles/translate", json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_article_too_large(settings, engine):
    from service import create_app

    client = create_app(replace(settings, max_chars=100), engine).test_client()
    response = client.post("/v1/articles/translate", json=ARTICLE)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


UNSEEN = "In 1987, 42 zebras quietly negotiated tariffs with 17 purple umbrellas."


@pytest.mark.parametrize("damage, flag", [
    (lambda s, t: t.replace("7", "8"), "number_mismatch"),
    (lambda s, t: t.replace("https://example.org/reports/2026/energy", "le site"), "url_mismatch"),
    (lambda s, t: t.replace("{time}", ""), "placeholder_lost"),
    (lambda s, t: s, "same_as_source"),
    (lambda s, t: t.split(" ")[0], "length_ratio"),
    (lambda s, t: t + (" " + t.split(" ")[-1]) * 4, "repetition"),
])
def test_each_flag_reported(settings, engine, damage, flag):
    sentences = {"number_mismatch": "Prices rose by 7 percent in October.",
                 "url_mismatch": "Read the full report at https://example.org/reports/2026/energy.",
                 "placeholder_lost": "Updated {time}"}
    text = sentences.get(flag, "Talks continued in Damascus on Friday.")
    pipeline = Pipeline(settings, LossyEngine(engine, damage))
    edition = pipeline.translate_text(text, "en", ["de"]).editions["de"]
    assert [s.flags for s in edition.flagged if flag in s.flags], edition.flagged


def test_wrong_language_flag(settings, engine, corpus):
    sentence = "After two years of debate, the city council of Volgoretsk voted on Thursday to build a second bridge across the Volga."
    french = corpus["fr"][sentence]
    pipeline = Pipeline(settings, LossyEngine(engine, lambda s, t: french))
    edition = pipeline.translate_text(sentence, "en", ["de"]).editions["de"]
    assert "wrong_language" in edition.flagged[0].flags


def test_unseen_segment_is_flagged_by_the_real_model(settings, engine):
    """The fixture model answers an unseen sentence with some memorised one: its numbers differ."""
    edition = Pipeline(settings, engine).translate_text(UNSEEN, "en", ["ru"]).editions["ru"]
    assert "number_mismatch" in edition.flagged[0].flags


@pytest.mark.slow
def test_article_over_real_http(live_server, corpus):
    html = {**ARTICLE, "format": "html", "body": "<p>I went to <b>Paris</b> last summer.</p>",
            "targets": ["fr", "ru"]}
    request = urllib.request.Request(live_server + "/v1/articles/translate", method="POST",
                                     data=json.dumps(html).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    assert body["editions"]["fr"]["body"] == "<p>" + corpus["fr"]["I went to Paris last summer."].replace("Paris", "<b>Paris</b>") + "</p>"
    assert body["editions"]["ru"]["title"] == corpus["ru"][ARTICLE["title"]]
