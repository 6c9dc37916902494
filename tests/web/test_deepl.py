"""DeepL's API v2: DeepL's official Python client over real HTTP, the rest via the test client.

Texts are corpus sentences of the fixture models, so translations are known exactly.
"""

from __future__ import annotations

import io
from dataclasses import replace

import deepl
import docx
import pytest

from l10n.web.admission import hash_key
from tests.conftest import REVERSED
from tests.translate.test_documents import PARIS, PRICES, RIGHTS, TALKS, word_file

KEY = "deepl-test-key-0123456789"
PLAIN = "translate-only-key-0123456789"
AUTH = {"Authorization": f"DeepL-Auth-Key {KEY}"}
BRIDGE = "Volgoretsk council approves new bridge over the Volga"


@pytest.fixture()
def app(settings, engine, tmp_path):
    """Keys required, with a character quota, so that usage and refusals are real."""
    from service import create_app

    keys = tmp_path / "keys"
    keys.write_text(f"{hash_key(KEY)} cms 5000/day roles=review\n{hash_key(PLAIN)} writer\n")
    return create_app(replace(settings, data_dir=tmp_path / "data", api_keys_file=keys,
                              memory_path=tmp_path / "memory.sqlite3"), engine)


@pytest.fixture()
def translator(live_server):
    return deepl.Translator(KEY, server_url=live_server, send_platform_info=False)


@pytest.mark.slow
def test_official_client_text_usage_and_languages(translator, corpus):
    result = translator.translate_text(TALKS, target_lang="DE", source_lang="EN")
    assert result.text == corpus["de"][TALKS]
    assert result.detected_source_lang == "EN" and result.billed_characters == len(TALKS)
    both = translator.translate_text([PARIS, PRICES], target_lang="PT-BR")
    assert [r.text for r in both] == [corpus["pt"][PARIS], corpus["pt"][PRICES]]
    html = translator.translate_text(f"<p>{PARIS}</p><p><b>{RIGHTS}</b></p>", target_lang="FR",
                                     tag_handling="html")
    assert html.text == f"<p>{corpus['fr'][PARIS]}</p><p><b>{corpus['fr'][RIGHTS]}</b></p>"
    usage = translator.get_usage()
    assert usage.character.count == len(TALKS) + len(PARIS) + len(PRICES) + len(
        f"<p>{PARIS}</p><p><b>{RIGHTS}</b></p>")
    assert usage.character.limit == 5000 and not usage.any_limit_reached
    sources = {lang.code for lang in translator.get_source_languages()}
    assert sources == {"EN", *(code.upper() for code in REVERSED)}  # xx→en makes xx a source
    targets = {lang.code for lang in translator.get_target_languages()}
    english = {"EN-GB", "EN-US"} if REVERSED else set()
    assert targets == {"RU", "DE", "FR", "PT-BR", "PT-PT", "ES", *english}


@pytest.mark.slow
def test_official_client_glossary(translator, corpus):
    glossary = translator.create_glossary("city names", "EN", "DE", {"Volgoretsk": "Wolgorezk"})
    assert glossary.entry_count == 1 and glossary.source_lang == "EN"
    assert translator.get_glossary_entries(glossary) == {"Volgoretsk": "Wolgorezk"}
    assert [g.glossary_id for g in translator.list_glossaries()] == [glossary.glossary_id]
    plain = translator.translate_text(BRIDGE, source_lang="EN", target_lang="DE")
    assert plain.text == corpus["de"][BRIDGE] and "Volgoretsk" in plain.text
    named = translator.translate_text(BRIDGE, source_lang="EN", target_lang="DE",
                                      glossary=glossary)
    assert named.text == corpus["de"][BRIDGE].replace("Volgoretsk", "Wolgorezk")
    translator.delete_glossary(glossary)
    with pytest.raises(deepl.GlossaryNotFoundException):
        translator.get_glossary(glossary.glossary_id)


@pytest.mark.slow
def test_official_client_documents(translator, corpus, tmp_path):
    out = io.BytesIO()
    status = translator.translate_document(word_file(), out, target_lang="ES",
                                           filename="story.docx")
    assert status.done and status.billed_characters > 0
    result = docx.Document(io.BytesIO(out.getvalue()))
    assert result.paragraphs[0].text == corpus["es"][TALKS]
    assert result.tables[0].rows[0].cells[0].text == corpus["es"][RIGHTS]
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><h1>{TALKS}</h1><p>{PARIS}</p></body></html>")
    translated = tmp_path / "page.es.html"
    translator.translate_document_from_filepath(page, translated, target_lang="ES")
    text = translated.read_text()
    assert f"<h1>{corpus['es'][TALKS]}</h1><p>{corpus['es'][PARIS]}</p>" in text


def test_form_bodies_and_every_regional_target(client, corpus):
    for target, edition in (("EN-GB", "en"), ("en-us", "en"), ("PT-PT", "pt"), ("ru", "ru")):
        response = client.post("/v2/translate", headers=AUTH,
                               data={"text": [PRICES], "target_lang": target, "source_lang": "EN"})
        assert response.status_code == 200, response.get_json()
        text = response.get_json()["translations"][0]["text"]
        assert text == (PRICES if edition == "en" else corpus[edition][PRICES])


def test_keys_are_required_and_errors_are_deepls(client):
    fields = {"text": [PRICES], "target_lang": "DE"}
    missing = client.post("/v2/translate", data=fields)
    assert missing.status_code == 403 and set(missing.get_json()) == {"message"}
    wrong = client.post("/v2/translate", data=fields,
                        headers={"Authorization": "DeepL-Auth-Key nope"})
    assert wrong.status_code == 403
    legacy = client.post("/v2/translate", data={**fields, "auth_key": KEY})
    assert legacy.status_code == 200
    for body, message in (({"target_lang": "DE"}, "Parameter 'text' not specified."),
                          ({"text": "x", "target_lang": "XX"},
                           "Value for 'target_lang' not supported."),
                          ({"text": "x", "target_lang": "DE", "source_lang": "EN-GB"},
                           "Value for 'source_lang' not supported."),
                          ({"text": "x", "target_lang": "DE", "tag_handling": "yaml"},
                           "Value for 'tag_handling' not supported.")):
        response = client.post("/v2/translate", json=body, headers=AUTH)
        assert response.status_code == 400 and response.get_json() == {"message": message}
    too_many = client.post("/v2/translate", json={"text": ["a"] * 51, "target_lang": "DE"},
                           headers=AUTH)
    assert too_many.status_code == 413


def test_used_up_quota_is_456(client):
    text = " ".join([PRICES] * 70)  # over half the 5000-character quota
    assert 2500 < len(text) < 5000
    assert client.post("/v2/translate", json={"text": [TALKS], "target_lang": "DE"},
                       headers=AUTH).status_code == 200
    first = client.post("/v2/translate", json={"text": [text], "target_lang": "DE",
                                               "source_lang": "EN"}, headers=AUTH)
    second = client.post("/v2/translate", json={"text": [text], "target_lang": "DE",
                                                "source_lang": "EN"}, headers=AUTH)
    assert first.status_code == 200 and second.status_code == 456
    assert "quota" in second.get_json()["message"]


def test_parameters_without_effect_are_named(client, corpus):
    response = client.post("/v2/translate", headers=AUTH, json={
        "text": [PRICES], "target_lang": "DE", "formality": "more", "context": "economy",
        "split_sentences": "0", "preserve_formatting": True})
    assert response.status_code == 200
    assert response.get_json()["translations"][0]["text"] == corpus["de"][PRICES]
    assert response.headers["X-L10N-Ignored-Parameters"] == (
        "formality, context, split_sentences, preserve_formatting")


def test_ignore_tags_keep_their_content(client, corpus):
    text = f"<p>{PRICES}</p><p><x-name>{RIGHTS}</x-name></p>"
    response = client.post("/v2/translate", headers=AUTH, json={
        "text": [text], "target_lang": "DE", "tag_handling": "html", "ignore_tags": "x-name"})
    translated = response.get_json()["translations"][0]["text"]
    assert translated == f"<p>{corpus['de'][PRICES]}</p><p><x-name>{RIGHTS}</x-name></p>"


def test_glossaries_are_written_by_reviewers_only(client):
    plain = {"Authorization": f"DeepL-Auth-Key {PLAIN}"}
    body = {"name": "n", "source_lang": "en", "target_lang": "de", "entries": "a\tb"}
    assert client.post("/v2/glossaries", headers=plain, json=body).status_code == 403
    assert client.post("/v2/glossaries", headers=AUTH, json=body).status_code == 201
    assert client.get("/v2/glossaries", headers=plain).status_code == 200


def test_glossary_entries_csv_and_mismatches(client):
    created = client.post("/v2/glossaries", headers=AUTH, json={
        "name": "n", "source_lang": "en", "target_lang": "fr", "entries_format": "csv",
        "entries": "Volgoretsk,Volgorietsk,en,fr\n\"Volga, river\",Volga\n"})
    assert created.status_code == 201
    info = created.get_json()
    assert info["entry_count"] == 2 and info["target_lang"] == "fr" and info["ready"] is True
    entries = client.get(f"/v2/glossaries/{info['glossary_id']}/entries", headers=AUTH)
    assert entries.mimetype == "text/tab-separated-values"
    assert entries.get_data(as_text=True) == "Volgoretsk\tVolgorietsk\nVolga, river\tVolga\n"
    mismatch = client.post("/v2/translate", headers=AUTH, json={
        "text": ["x"], "source_lang": "EN", "target_lang": "DE",
        "glossary_id": info["glossary_id"]})
    assert mismatch.status_code == 400
    for entries_text in ("only-one-column\n", "a\tb\na\tc\n", ""):
        bad = client.post("/v2/glossaries", headers=AUTH, json={
            "name": "n", "source_lang": "en", "target_lang": "de", "entries": entries_text})
        assert bad.status_code == 400, entries_text
    assert client.get("/v2/glossaries/00000000-0000-0000-0000-000000000000",
                      headers=AUTH).status_code == 404


def test_document_needs_its_key_and_downloads_once(client, corpus):
    upload = client.post("/v2/document", headers=AUTH, data={
        "target_lang": "DE", "file": (io.BytesIO(f"{PRICES}\n".encode()), "a.txt")})
    handle = upload.get_json()
    assert upload.status_code == 200 and set(handle) == {"document_id", "document_key"}
    path = f"/v2/document/{handle['document_id']}"
    assert client.post(path, headers=AUTH, json={"document_key": "0" * 32}).status_code == 404
    status = client.post(path, headers=AUTH, json={"document_key": handle["document_key"]})
    assert status.get_json()["status"] == "done"
    result = client.post(path + "/result", headers=AUTH,
                         json={"document_key": handle["document_key"]})
    assert result.get_data(as_text=True) == corpus["de"][PRICES] + "\n"
    again = client.post(path + "/result", headers=AUTH,
                        json={"document_key": handle["document_key"]})
    assert again.status_code == 404


def test_a_failed_document_reports_error_status(client):
    upload = client.post("/v2/document", headers=AUTH, data={
        "target_lang": "DE", "file": (io.BytesIO(b"1 2 3\n"), "numbers.txt")})
    handle = upload.get_json()
    status = client.post(f"/v2/document/{handle['document_id']}", headers=AUTH,
                         json={"document_key": handle["document_key"]}).get_json()
    assert status["status"] == "error" and "source language" in status["error_message"]
