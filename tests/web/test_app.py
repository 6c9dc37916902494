"""The HTTP API: the Flask test client for every error path, real HTTP for the happy path."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace

import pytest

from tests.conftest import MEMORISERS, ROOT, TARGETS

SENTENCE = "Prices rose by 7 percent in October."


def test_health_is_exactly_libretranslates(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert client.post("/health").status_code == 405


def test_rich_health_lists_the_models(client):
    body = client.get("/v1/health").get_json()
    assert body["status"] == "ok"
    assert sorted(m["pair"] for m in body["models"]) == sorted(m.replace("_", "-") for m in MEMORISERS)


def test_languages_lists_installed_pairs_with_versions(client):
    pairs = client.get("/v1/languages").get_json()["pairs"]
    assert {(p["pair"], p["version"]) for p in pairs} == {(m.replace("_", "-"), "1.0") for m in MEMORISERS}


def test_detect(client, corpus):
    body = client.post("/v1/detect", json={"text": corpus["fr"][SENTENCE] + " " +
                                           corpus["fr"]["I went to Paris last summer."]}).get_json()
    assert body["language"] == "fr" and body["reliable"]


def test_translate_defaults_to_all_editions(client, corpus):
    response = client.post("/v1/translate", json={"text": SENTENCE})
    assert response.status_code == 200
    body = response.get_json()
    assert body["source"]["language"] == "en" and body["source"]["detected"]
    assert body["translations"] == {t: corpus[t][SENTENCE] for t in TARGETS}


ERRORS = [
    ("/v1/translate", b"{not json", 400, "invalid_json"),
    ("/v1/translate", [1, 2], 400, "invalid_json"),
    ("/v1/translate", {}, 400, "missing_field"),
    ("/v1/translate", {"text": 42}, 400, "wrong_type"),
    ("/v1/translate", {"text": "   "}, 400, "empty_text"),
    ("/v1/translate", {"text": SENTENCE, "source": "xx"}, 400, "unsupported_language"),
    ("/v1/translate", {"text": SENTENCE, "source": 7}, 400, "wrong_type"),
    ("/v1/translate", {"text": SENTENCE, "targets": ["de", "zz"]}, 400, "unsupported_language"),
    ("/v1/translate", {"text": SENTENCE, "targets": []}, 400, "wrong_type"),
    ("/v1/translate", {"text": SENTENCE, "targets": {"de": 1}}, 400, "wrong_type"),
    ("/v1/translate", {"text": "Popular"}, 400, "undetermined_language"),
    ("/v1/detect", {}, 400, "missing_field"),
    ("/v1/detect", {"text": ["a"]}, 400, "wrong_type"),
    ("/v1/detect", {"text": ""}, 400, "empty_text"),
    ("/v1/detect", b"", 400, "invalid_json"),
]


@pytest.mark.parametrize("path, body, status, code", ERRORS)
def test_errors_are_json_with_a_code(client, path, body, status, code):
    if isinstance(body, bytes):
        response = client.post(path, data=body, content_type="application/json")
    else:
        response = client.post(path, json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]


def test_a_pair_with_no_model_and_no_pivot_is_unsupported_pair(german_only_client):
    client = german_only_client
    response = client.post("/v1/translate", json={"text": "Hallo Welt, wie geht es dir heute?",
                                                  "source": "de", "targets": ["ru"]})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unsupported_pair"


def test_unknown_route_and_wrong_method(client):
    assert client.get("/v1/nope").get_json()["error"]["code"] == "not_found"
    response = client.get("/v1/translate")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_too_large(settings, engine):
    from service import create_app

    small = replace(settings, max_body_bytes=200, max_chars=50)
    client = create_app(small, engine).test_client()
    response = client.post("/v1/translate", json={"text": "x" * 500})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    response = client.post("/v1/translate", json={"text": "Long enough sentence. " * 3})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


@pytest.mark.slow
def test_over_real_http(live_server, corpus):
    request = urllib.request.Request(
        live_server + "/v1/translate", method="POST",
        data=json.dumps({"text": SENTENCE, "targets": ["ru", "es"]}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    assert body["translations"] == {"ru": corpus["ru"][SENTENCE], "es": corpus["es"][SENTENCE]}
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(urllib.request.Request(
            live_server + "/v1/translate", method="POST", data=b"nope",
            headers={"Content-Type": "application/json"}), timeout=30)
    assert info.value.code == 400
    assert json.load(info.value)["error"]["code"] == "invalid_json"


def test_languages_in_a_display_language(client):
    body = client.get("/v1/languages?display=de").get_json()
    by_code = {lang["code"]: lang for lang in body["languages"]}
    assert by_code["pt"]["autonym"] == "Português" and by_code["es"]["autonym"] == "Español"
    assert by_code["ru"]["name"] == "Russisch" and by_code["ru"]["autonym"] == "Русский"
    assert by_code["en"]["targets"] == sorted(TARGETS)
    assert client.get("/v1/languages?display=xx").status_code == 400


def test_glossary_read_and_replace(settings, engine, tmp_path):
    import shutil

    from service import create_app

    path = tmp_path / "names.tsv"
    shutil.copy(settings.glossary or ROOT / "glossary/names.tsv", path)
    client = create_app(replace(settings, glossary=path), engine).test_client()
    before = client.get("/v1/glossary").get_json()
    entries = before["entries"] + [{"en": "Volgoretsk", "ru": "Волгорецк", "de": "Wolgorezk",
                                    "fr": "Volgoretsk", "pt": "Volgoretsk", "es": "Volgoretsk",
                                    "kind": "place", "flags": [], "note": ""}]
    after = client.put("/v1/glossary", json={"entries": entries}).get_json()
    assert after["version"] != before["version"]
    assert "Volgoretsk" in path.read_text(encoding="utf-8")
    body = client.post("/v1/translate", json={
        "text": "Volgoretsk council approves new bridge over the Volga", "source": "en",
        "targets": ["de"]}).get_json()
    assert "Wolgorezk" in body["translations"]["de"]
    bad = client.put("/v1/glossary", json={"entries": [{"en": "", "kind": "nope"}]})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_glossary"
    assert client.get("/v1/glossary").get_json()["version"] == after["version"]


# -- hostile bodies: every JSON operation of the document answers 400 with a code -------------
HOSTILE = {
    "nested 990 deep": "[" * 990 + "]" * 990,
    "nested in a field": '{"text": ' + "[" * 500 + "]" * 500 + "}",
    "lone surrogate": '{"text": "\\ud800 Prices rose.", "q": "\\udc00", "source": "en", '
                      '"target": "de", "targets": ["de"], "translation": "x", "entries": []}',
    "surrogate api_key": '{"q": "Prices rose.", "source": "en", "target": "de", '
                         '"api_key": "\\ud800"}',
    "surrogate key": '{"\\ud800": 1}',
}


def sample_path(path: str, parameters: list[dict]) -> str:
    """The path with each parameter filled in as its schema allows (1, an enum's first)."""
    for param in parameters:
        schema = param.get("schema", {})
        value = schema["enum"][0] if "enum" in schema else (
            "1" if schema.get("type") == "integer" else "de")
        path = path.replace("{" + param["name"] + "}", str(value))
    return path


def json_operations(client) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").get_json()
    return [(sample_path(path, op.get("parameters", [])), method)
            for path, item in spec["paths"].items() for method, op in item.items()
            if "application/json" in op.get("requestBody", {}).get("content", {})]


def test_hostile_json_is_a_400_everywhere(client):
    operations = json_operations(client)
    assert {("/v1/translate", "post"), ("/translate", "post"), ("/v1/memory", "put"),
            ("/v1/glossary", "put")} <= set(operations)
    for path, method in operations:
        for name, body in HOSTILE.items():
            response = client.open(path, method=method.upper(), data=body,
                                   content_type="application/json")
            assert response.status_code == 400, (path, name, response.get_data(as_text=True))
            answer = response.get_json()
            if path.startswith("/v2/"):  # DeepL's shape
                assert answer["message"]
                continue
            error = answer["error"]
            assert error if isinstance(error, str) else error["code"] == "invalid_json"


# -- limits: characters of text and bytes of body, apart ---------------------------------------
def test_markup_does_not_count_toward_the_character_limit(settings, engine, corpus):
    from service import create_app

    client = create_app(replace(settings, max_chars=100, max_body_bytes=4000),
                        engine).test_client()
    link = "https://example.org/" + "x" * 300
    html = f'<p><a href="{link}" class="story-link">{SENTENCE}</a></p>'  # 36 of text, 380 in all
    response = client.post("/v1/translate", json={"text": html, "format": "html",
                                                  "source": "en", "targets": ["de"]})
    assert response.status_code == 200, response.get_json()
    assert corpus["de"][SENTENCE] in response.get_json()["translations"]["de"]
    article = client.post("/v1/articles/translate", json={
        "title": SENTENCE, "body": html, "format": "html", "source": "en", "targets": ["de"]})
    assert article.status_code == 200, article.get_json()
    as_text = client.post("/v1/translate", json={"text": html, "source": "en",
                                                 "targets": ["de"]})
    assert as_text.status_code == 413  # as plain text, every character is text
    more_text = f"<p>{' '.join([SENTENCE] * 3)}</p>"  # 108 characters of text
    refused = client.post("/v1/translate", json={"text": more_text, "format": "html",
                                                 "source": "en", "targets": ["de"]})
    assert refused.status_code == 413
    assert "characters of text; the limit is 100" in refused.get_json()["error"]["message"]
    too_big = client.post("/v1/translate", json={"text": html * 11, "format": "html"})
    assert too_big.status_code == 413  # the body's bytes, whatever the text
    assert too_big.get_json()["error"]["code"] == "payload_too_large"
