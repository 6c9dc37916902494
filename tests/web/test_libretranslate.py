"""LibreTranslate's API: fields, bodies (JSON, urlencoded, multipart), messages; through the test
client, and over real HTTP for the bodies a browser or a client library sends."""

from __future__ import annotations

from dataclasses import replace

import pytest
import requests
from werkzeug.datastructures import MultiDict

from tests.conftest import REVERSED, TARGETS

SENTENCE = "Talks continued in Damascus on Friday."
PARIS = "I went to Paris last summer."
LIMITS = {"max_chars": 400, "max_batch_items": 3, "max_alternatives": 3}


@pytest.fixture()
def app(settings, engine, tmp_path):
    """The app with small limits, so that going over them takes small requests."""
    from service import create_app

    return create_app(replace(settings, memory_path=tmp_path / "memory.sqlite3", **LIMITS),
                      engine)


def post(base: str, path: str, **kwargs) -> requests.Response:
    """Over real HTTP."""
    return requests.post(base + path, timeout=60, **kwargs)


def french(corpus) -> str:
    return corpus["fr"][SENTENCE] + " " + corpus["fr"][PARIS]


@pytest.mark.slow
def test_translate_json(live_server, corpus):
    response = post(live_server, "/translate", json={"q": SENTENCE, "source": "en",
                                                     "target": "de"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"translatedText": corpus["de"][SENTENCE]}


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
@pytest.mark.slow
def test_translate_form(live_server, corpus, encoding):
    fields = {"q": SENTENCE, "source": "en", "target": "es", "format": "text"}
    if encoding == "urlencoded":
        response = post(live_server, "/translate", data=fields)
        assert "urlencoded" in response.request.headers["Content-Type"]
    else:
        response = post(live_server, "/translate",
                        files={k: (None, v) for k, v in fields.items()})
        assert "multipart" in response.request.headers["Content-Type"]
    assert response.status_code == 200
    assert response.json() == {"translatedText": corpus["es"][SENTENCE]}


@pytest.mark.slow
def test_form_text_line_ends_count_as_lf(live_server):
    """Browsers send CRLF in forms: counted as LF, like the same text sent as JSON."""
    text = f"{SENTENCE}\n\n{PARIS}\n\n{SENTENCE}"
    text += " " * (LIMITS["max_chars"] - len(text))  # exactly at the limit with LF
    crlf = text.replace("\n", "\r\n")
    fields = {"source": "en", "target": "fr"}
    as_json = post(live_server, "/translate", json={**fields, "q": text})
    as_form = post(live_server, "/translate", data={**fields, "q": crlf})
    assert as_json.status_code == as_form.status_code == 200, as_form.text
    assert as_form.json() == as_json.json()
    error_of(post(live_server, "/translate", json={**fields, "q": crlf}), 413)


def test_batch_keeps_order(client, corpus):
    response = client.post("/translate", json={"q": [PARIS, SENTENCE], "source": "en",
                                                     "target": "es"})
    assert response.get_json() == {"translatedText": [corpus["es"][PARIS], corpus["es"][SENTENCE]]}


def test_form_batch_is_repeated_q(client, corpus):
    response = client.post("/translate",
                    data=MultiDict([("q", PARIS), ("q", SENTENCE), ("source", "en"),
                                          ("target", "pt")]))
    assert response.get_json() == {"translatedText": [corpus["pt"][PARIS], corpus["pt"][SENTENCE]]}


def test_auto_detection_single(client, corpus):
    body = client.post("/translate", json={"q": SENTENCE + " " + PARIS, "source": "auto",
                                                 "target": "de"}).get_json()
    assert body["translatedText"] == corpus["de"][SENTENCE] + " " + corpus["de"][PARIS]
    detected = body["detectedLanguage"]
    assert set(detected) == {"confidence", "language"} and detected["language"] == "en"
    assert 70 <= detected["confidence"] <= 100  # a percentage, not a probability


def test_batch_is_detected_item_by_item(client, corpus):
    """Unlike LibreTranslate (one detection per batch): each item has its own language."""
    texts = [SENTENCE + " " + PARIS, french(corpus)]
    body = client.post("/translate", json={"q": texts, "source": "auto",
                                                 "target": "fr"}).get_json()
    assert [d["language"] for d in body["detectedLanguage"]] == ["en", "fr"]
    assert body["translatedText"] == [corpus["fr"][SENTENCE] + " " + corpus["fr"][PARIS],
                                      french(corpus)]  # French into French: as it was


def test_short_item_takes_the_language_of_the_batch(client, corpus):
    body = client.post("/translate", json={"q": ["Popular", SENTENCE + " " + PARIS],
                                                 "source": "auto", "target": "de"}).get_json()
    assert body["translatedText"][0] == corpus["de"]["Popular"]
    assert [d["language"] for d in body["detectedLanguage"]] == ["en", "en"]


def test_alternatives_are_honestly_empty(client, corpus):
    single = client.post("/translate", json={"q": SENTENCE, "source": "en", "target": "de",
                                                   "alternatives": 3}).get_json()
    assert single == {"translatedText": corpus["de"][SENTENCE], "alternatives": []}
    batch = client.post("/translate", data=MultiDict([("q", SENTENCE), ("q", PARIS),
                                                  ("source", "en"), ("target", "de"),
                                                  ("alternatives", "2")])).get_json()
    assert batch["alternatives"] == [[], []]


def test_html_is_translated_and_never_unescaped(client, corpus):
    html = f"<p>{SENTENCE}</p><p><code>a &lt;b&gt; c</code></p>"
    body = client.post("/translate", json={"q": html, "source": "en", "target": "de",
                                                 "format": "html"}).get_json()
    assert body["translatedText"] == (f"<p>{corpus['de'][SENTENCE]}</p>"
                                      "<p><code>a &lt;b&gt; c</code></p>")


def error_of(response, status: int) -> str:
    """LibreTranslate's error shape: {"error": "<message>"}, nothing else (a requests or a
    test-client response)."""
    body = response.json() if callable(response.json) else response.json
    assert response.status_code == status, body
    assert list(body) == ["error"] and isinstance(body["error"], str)
    return body["error"]


FIELDS = {"q": SENTENCE, "source": "en", "target": "de"}
TRANSLATE_ERRORS = [
    ({"source": "en", "target": "de"}, "Invalid request: missing q parameter"),
    ({**FIELDS, "q": ""}, "Invalid request: missing q parameter"),
    ({**FIELDS, "q": []}, "Invalid request: missing q parameter"),
    ({"q": SENTENCE, "target": "de"}, "Invalid request: missing source parameter"),
    ({"q": SENTENCE, "source": "en"}, "Invalid request: missing target parameter"),
    ({**FIELDS, "target": "zz"}, "zz is not supported"),
    ({**FIELDS, "source": "xx"}, "xx is not supported"),
    ({**FIELDS, "target": "auto"}, "auto is not supported"),
    ({**FIELDS, "format": "xml"}, "xml format is not supported"),
    ({**FIELDS, "q": 42}, "Invalid request: q must be a string or a list of strings"),
    ({**FIELDS, "q": [SENTENCE, 7]}, "Invalid request: q must be a string or a list of strings"),
    ({**FIELDS, "q": {"text": SENTENCE}},
     "Invalid request: q must be a string or a list of strings"),
    ({**FIELDS, "source": ["en"]}, "Invalid request: source must be a string"),
    ({**FIELDS, "alternatives": -1}, "Invalid request: alternatives must be a non-negative integer"),
    ({**FIELDS, "alternatives": "two"},
     "Invalid request: alternatives must be a non-negative integer"),
    ({**FIELDS, "alternatives": True},
     "Invalid request: alternatives must be a non-negative integer"),
    ({**FIELDS, "alternatives": 4}, "Invalid request: alternatives (4) exceeds limit (3)"),
    ({**FIELDS, "alternatives": "9" * 5000},
     "Invalid request: alternatives (999999999…) exceeds limit (3)"),
]


@pytest.mark.parametrize("fields, message", TRANSLATE_ERRORS)
def test_translate_errors(client, fields, message):
    assert error_of(client.post("/translate", json=fields), 400) == message


def test_a_pair_with_no_model_and_no_pivot_reads_as_libretranslate_says(german_only_client):
    client = german_only_client
    assert error_of(client.post("/translate", json={**FIELDS, "source": "de", "target": "ru"}),
                    400) == "Russian (ru) is not available as a target language from German (de)"


def test_form_errors_read_the_same(client):
    assert error_of(client.post("/translate", data={"source": "en", "target": "de"}),
                    400) == "Invalid request: missing q parameter"
    assert error_of(client.post("/translate", data={**FIELDS, "target": "zz"}),
                    400) == "zz is not supported"


def test_undetermined_language_is_a_400(client):
    message = error_of(client.post("/translate", json={"q": "Popular", "source": "auto",
                                                             "target": "de"}), 400)
    assert "source" in message


def test_invalid_json(client):
    response = client.post("/translate", data=b"{nope",
                    headers={"Content-Type": "application/json"})
    assert error_of(response, 400) == "Invalid JSON format"
    response = client.post("/translate", json=["q", SENTENCE])
    assert error_of(response, 400) == "Invalid JSON format"


def test_limits_are_refused_not_truncated(client):
    many = client.post("/translate", json={**FIELDS, "q": [SENTENCE] * 4})
    assert error_of(many, 413) == "Invalid request: request (4) exceeds batch limit (3)"
    long = "x" * 401
    assert error_of(client.post("/translate", json={**FIELDS, "q": long}),
                    413) == "Invalid request: request (401) exceeds text limit (400)"
    spread = [long[:200], long[:201]]
    assert error_of(client.post("/translate", json={**FIELDS, "q": spread}),
                    413) == "Invalid request: request (401) exceeds text limit (400)"
    assert error_of(client.post("/detect", json={"q": long}),
                    413) == "Invalid request: request (401) exceeds text limit (400)"


def test_detect(client, corpus):
    for response in (client.post("/detect", json={"q": french(corpus)}),
                     client.post("/detect", data={"q": french(corpus)})):
        assert response.status_code == 200
        found = response.get_json()
        assert found[0]["language"] == "fr" and 50 < found[0]["confidence"] <= 100
        assert all(set(d) == {"confidence", "language"} for d in found)
        assert [d["confidence"] for d in found] == sorted((d["confidence"] for d in found),
                                                          reverse=True)


def test_detect_errors(client):
    assert error_of(client.post("/detect", json={}),
                    400) == "Invalid request: missing q parameter"
    assert error_of(client.post("/detect", json={"q": ["a", "b"]}),
                    400) == "Invalid request: q must be a string"


def test_languages(client):
    response = client.get("/languages")
    assert response.status_code == 200
    by_code = {lang["code"]: lang for lang in response.get_json()}
    assert set(by_code) == {"en", *TARGETS}
    assert all(set(lang) == {"code", "name", "targets"} for lang in by_code.values())
    assert by_code["en"] == {"code": "en", "name": "English", "targets": sorted(TARGETS)}
    back = ["en"] if "pt" in REVERSED else []  # the xx→en fixture models translate back
    assert by_code["pt"] == {"code": "pt", "name": "Portuguese", "targets": back}


@pytest.mark.parametrize("method, path", [("GET", "/translate"), ("PUT", "/translate"),
                                          ("GET", "/detect"), ("POST", "/languages"),
                                          ("PATCH", "/detect")])
def test_wrong_method_is_a_405(client, method, path):
    response = client.open(path, method=method)
    error_of(response, 405)
    assert method not in response.headers["Allow"]


def test_spec_is_the_openapi_document(client):
    spec = client.get("/spec").get_json()
    assert spec == client.get("/openapi.json").get_json()
    assert {"/translate", "/detect", "/languages"} <= set(spec["paths"])


def test_health_is_untouched(client):
    assert client.get("/health").get_json()["status"] == "ok"
