"""Shape limits: hostile nesting and density are refused early (413, the limit named) or
finish in bounded time; nothing recurses over the input's depth."""

from __future__ import annotations

import time

import pytest

from l10n.errors import TooLarge
from l10n.markup.inline import render
from l10n.markup.limits import Limits
from l10n.markup.registry import parse_document

SENTENCE = "The minister met Anton Kulikov in Damascus."


@pytest.mark.parametrize("fmt, text, code", [
    ("html", "<b>" * 8000 + "x" + "</b>" * 8000, "nesting_too_deep"),  # 98 s of CPU, then a 500
    ("html", "<b>" * 1000 + "x", "nesting_too_deep"),  # used to be a RecursionError
    ("html", "<div>" * 5000, "nesting_too_deep"),
    ("html", "".join(f'<b class="c{i}">w ' for i in range(3000)), "nesting_too_deep"),
    ("html", "<p>" + "<b>w</b> " * 2000 + "</p>", "too_many_tags"),
    ("markdown", "<b>w</b> " * 2000, "too_many_tags"),  # took 25 s
    ("markdown", "[" * 3000 + "w" + "](u)" * 3000, "nesting_too_deep"),
    ("markdown", "*" * 3000 + "w" + "*" * 3000, "too_many_tags"),
])
def test_hostile_shapes_are_refused_early(fmt, text, code):
    started = time.process_time()
    with pytest.raises(TooLarge) as caught:
        parse_document(text, fmt, "en")
    assert caught.value.code == code and caught.value.status == 413
    assert ("L10N_MAX_NESTING" if code == "nesting_too_deep" else "L10N_MAX_TAGS_PER_SEGMENT") \
        in caught.value.message
    assert time.process_time() - started < 2.0


def test_limits_are_settings():
    deep = "<p>" + "<b>" * 30 + "word" + "</b>" * 30 + "</p>"
    parse_document(deep, "html", "en")
    with pytest.raises(TooLarge):
        parse_document(deep, "html", "en", Limits(max_nesting=20))
    with pytest.raises(TooLarge):
        parse_document(f"<p>{SENTENCE} <b>a</b> <b>b</b> <b>c</b></p>", "html", "en", Limits(max_tags=2))


@pytest.mark.parametrize("fmt, text", [
    ("html", ("<p>" + "<b>" * 90 + "word. " + "</b>" * 90 + "</p>") * 20),
    ("html", "<b><p>word</b> text</p>" * 1500),
    ("html", "<p>" + " ".join(f'<a href="/{i}">word</a>' for i in range(150)) + ".</p>"),
    ("markdown", "*a _b " * 4000),
    ("markdown", "[a `b <c " * 300),
    ("text", "{n, plural, one {" * 3000),
])
def test_dense_input_within_limits_is_fast(fmt, text):
    started = time.process_time()
    doc = parse_document(text, fmt, "en")
    doc.render(lambda i, unit: render(unit, unit.text, lambda t: t))
    assert time.process_time() - started < 2.0 * max(1, len(text) / 50_000)


def test_over_limit_request_is_a_413_json_error(client):
    response = client.post("/v1/translate", json={"text": "<b>" * 5000 + "x", "format": "html",
                                                  "source": "en", "targets": ["de"]})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "nesting_too_deep"
