"""LibreTranslate's routes beyond /translate: its own API tests' checks (libretranslate/tests/
test_api, re-expressed) and its Python client (libretranslatepy) over real HTTP, files,
suggestions and the settings its page reads.
"""

from __future__ import annotations

import io
import json
import urllib.error
from dataclasses import replace

import docx
import pytest
import requests
from libretranslatepy import LibreTranslateAPI

from l10n.web.admission import hash_key
from tests.translate.test_documents import PARIS, PRICES, RIGHTS, TALKS, word_file

REVIEWER = "reviewer-key-0123456789"
WRITER = "writer-key-0123456789"


@pytest.mark.slow
def test_libretranslates_own_api_checks_over_http(live_server):
    """Each check of LibreTranslate's tests/test_api, made over HTTP against this service."""
    def post(path, **kwargs):
        return requests.post(live_server + path, timeout=60, **kwargs)

    def get(path):
        return requests.get(live_server + path, timeout=60)

    failed = post("/detect")
    assert failed.status_code == 400 and "error" in failed.json()
    assert get("/detect").status_code == 405
    assert get("/frontend/settings").status_code == 200
    languages = get("/languages")
    assert languages.status_code == 200
    assert "code" in languages.json()[0] and "name" in languages.json()[0]
    assert post("/languages").status_code == 405
    health = get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert post("/health").status_code == 405
    assert get("/spec").status_code == 200 and post("/spec").status_code == 405
    one = post("/translate", data={"q": "Hello", "source": "en", "target": "es",
                                   "format": "text"})
    assert one.status_code == 200 and "translatedText" in one.json()
    batch = post("/translate", json={"q": ["Hello", "World"], "source": "en", "target": "es",
                                     "format": "text"})
    assert batch.status_code == 200 and len(batch.json()["translatedText"]) == 2
    unsupported = post("/translate", data={"q": "Hello", "source": "en", "target": "zz",
                                           "format": "text"})
    assert unsupported.status_code == 400 and unsupported.json() == {"error": "zz is not supported"}
    missing = post("/translate", data={"source": "en", "target": "es", "format": "text"})
    assert missing.status_code == 400
    assert missing.json() == {"error": "Invalid request: missing q parameter"}


@pytest.mark.slow
def test_libretranslates_detect_check_over_http(live_server):
    detect = requests.post(live_server + "/detect", data={"q": "Hello"}, timeout=60)
    assert detect.status_code == 200
    assert "confidence" in detect.json()[0] and "language" in detect.json()[0]


@pytest.mark.slow
def test_libretranslatepy_client(live_server, corpus):
    client = LibreTranslateAPI(live_server)
    assert client.translate(TALKS, "en", "de") == corpus["de"][TALKS]
    languages = client.languages()
    assert {lang["code"] for lang in languages} == {"en", "ru", "de", "fr", "pt", "es"}
    found = client.detect(corpus["fr"][TALKS] + " " + corpus["fr"][PARIS])
    assert found[0]["language"] == "fr" and 0 < found[0]["confidence"] <= 100
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.translate(TALKS, "en", "zz")
    assert refused.value.code == 400
    assert json.loads(refused.value.read()) == {"error": "zz is not supported"}


@pytest.mark.slow
def test_translate_file_and_download_over_http(live_server, corpus):
    sent = requests.post(live_server + "/translate_file", timeout=60,
                         data={"source": "en", "target": "fr"},
                         files={"file": ("story.docx", word_file())})
    assert sent.status_code == 200, sent.text
    url = sent.json()["translatedFileUrl"]
    assert url.startswith(live_server + "/download_file/") and url.endswith(".story.docx")
    fetched = requests.get(url, timeout=60)
    assert fetched.status_code == 200
    assert "story.docx" in fetched.headers["Content-Disposition"]
    result = docx.Document(io.BytesIO(fetched.content))
    assert result.paragraphs[0].text == corpus["fr"][TALKS]
    assert result.tables[0].rows[0].cells[0].text == corpus["fr"][RIGHTS]


def test_translate_file_errors_are_libretranslates(client):
    def send(fields, file=None):
        data = dict(fields)
        if file is not None:
            data["file"] = file
        return client.post("/translate_file", data=data, content_type="multipart/form-data")

    fields = {"source": "en", "target": "de"}
    assert send(fields).get_json() == {"error": "Invalid request: missing file parameter"}
    pdf = send(fields, (io.BytesIO(b"%PDF"), "a.pdf"))
    assert pdf.status_code == 400
    assert pdf.get_json() == {"error": "Invalid request: file format not supported"}
    zz = send({"source": "en", "target": "zz"}, (io.BytesIO(b"x"), "a.txt"))
    assert zz.get_json() == {"error": "zz is not supported"}
    no_target = send({"source": "en"}, (io.BytesIO(b"x"), "a.txt"))
    assert no_target.get_json() == {"error": "Invalid request: missing target parameter"}
    assert client.get("/download_file/" + "0" * 32 + ".a.txt").status_code == 404


def test_translate_file_subtitles_and_source_auto(client, corpus):
    srt = f"1\n00:00:01,000 --> 00:00:03,000\n{PRICES}\n".encode()
    sent = client.post("/translate_file", content_type="multipart/form-data", data={
        "source": "auto", "target": "es", "file": (io.BytesIO(srt), "clip.srt")})
    url = sent.get_json()["translatedFileUrl"]
    fetched = client.get(url.replace("http://localhost", ""))
    assert fetched.get_data(as_text=True) == (
        f"1\n00:00:01,000 --> 00:00:03,000\n{corpus['es'][PRICES]}\n")


def test_frontend_settings(client):
    body = client.get("/frontend/settings").get_json()
    assert body["charLimit"] == 100_000 and body["keyRequired"] is False
    assert body["suggestions"] is True and body["filesTranslation"] is True
    assert {".docx", ".odt", ".srt", ".txt", ".html", ".md"} <= set(body["supportedFilesFormat"])
    assert body["language"] == {"source": {"code": "en", "name": "English"},
                                "target": {"code": "ru", "name": "Russian"}}


@pytest.fixture()
def keyed(settings, engine, tmp_path):
    from service import create_app

    keys = tmp_path / "keys"
    keys.write_text(f"{hash_key(REVIEWER)} desk roles=review\n{hash_key(WRITER)} cms\n")
    return create_app(replace(settings, data_dir=tmp_path / "data", api_keys_file=keys,
                              memory_path=tmp_path / "memory.sqlite3"), engine).test_client()


def test_a_suggestion_is_served_only_once_a_reviewer_accepts_it(keyed, corpus):
    better = "Die Preise sind im Oktober um 7 Prozent gestiegen."
    fields = {"q": PRICES, "source": "en", "target": "de", "api_key": WRITER}

    def served() -> str:
        return keyed.post("/translate", data=fields).get_json()["translatedText"]

    assert served() == corpus["de"][PRICES]
    suggested = keyed.post("/suggest", data={**fields, "s": better})
    assert suggested.get_json() == {"success": True}
    assert served() == corpus["de"][PRICES]  # waiting for review: not served
    writer = {"Authorization": f"Bearer {WRITER}"}
    reviewer = {"Authorization": f"Bearer {REVIEWER}"}
    assert keyed.get("/v1/suggestions", headers=writer).status_code == 403
    pending = keyed.get("/v1/suggestions", headers=reviewer).get_json()["suggestions"]
    assert [(s["text"], s["translation"], s["submitted_by"]) for s in pending] == [
        (PRICES, better, "key:cms")]
    number = pending[0]["id"]
    assert keyed.post(f"/v1/suggestions/{number}/accept", headers=writer).status_code == 403
    accepted = keyed.post(f"/v1/suggestions/{number}/accept", headers=reviewer)
    assert accepted.get_json()["state"] == "accepted"
    assert accepted.get_json()["reviewer"] == "key:desk"
    assert served() == better
    again = keyed.post(f"/v1/suggestions/{number}/reject", headers=reviewer)
    assert again.status_code == 404


def test_suggest_errors(keyed):
    base = {"q": PRICES, "s": "x", "source": "en", "target": "de", "api_key": WRITER}
    for name in ("q", "s", "source", "target"):
        fields = {k: v for k, v in base.items() if k != name}
        response = keyed.post("/suggest", data=fields)
        assert response.status_code == 400
        assert response.get_json() == {"error": f"Invalid request: missing {name} parameter"}
    assert keyed.post("/suggest", data={**base, "api_key": "nope"}).status_code == 403
    rejected = keyed.post("/suggest", data=base)
    assert rejected.status_code == 200
    reviewer = {"Authorization": f"Bearer {REVIEWER}"}
    number = keyed.get("/v1/suggestions", headers=reviewer).get_json()["suggestions"][0]["id"]
    keyed.post(f"/v1/suggestions/{number}/reject", headers=reviewer)
    listed = keyed.get("/v1/suggestions?state=rejected", headers=reviewer).get_json()
    assert [s["id"] for s in listed["suggestions"]] == [number]
