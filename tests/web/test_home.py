"""The page at `/`: the preview form and a document form; a document into chosen editions."""

from __future__ import annotations

import io

import docx
import pytest

from tests.translate.test_documents import PRICES, TALKS, UNKNOWN, word_file
from tests.web.test_preview import browser  # noqa: F401  (the shared Chromium fixture)


def test_root_is_the_page_not_a_json_404(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'action="/preview?lang=en"' in page and 'action="/documents?lang=en"' in page
    assert 'accept=".txt,.html,.htm,.md,.srt,.docx,.odt"' in page
    assert "script-src" not in response.headers["Content-Security-Policy"]  # no script at all


def test_root_page_in_the_browser_language(client):
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="de">' in page


def test_a_document_into_two_editions(client, corpus):
    response = client.post("/documents", content_type="multipart/form-data", data={
        "file": (io.BytesIO(word_file()), "story.docx"), "source": "en",
        "targets": ["de", "fr"]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "story.docx" in page
    for lang in ("de", "fr"):
        link = page.split(f'id="doc-{lang}"')[1].split('href="')[1].split('"')[0]
        result = docx.Document(io.BytesIO(client.get(link).data))
        assert result.paragraphs[0].text == corpus[lang][TALKS]


@pytest.mark.parametrize("data, message", [
    ({"source": "en", "targets": ["de"]}, "choose a file"),
    ({"source": "en", "file": (io.BytesIO(PRICES.encode()), "a.txt")}, "at least one edition"),
    ({"source": "en", "targets": ["de"], "file": (io.BytesIO(b"%PDF"), "a.pdf")},
     "unsupported file format"),
])
def test_a_refused_document_shows_the_form_with_the_reason(client, data, message):
    response = client.post("/documents", content_type="multipart/form-data", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'action="/documents?lang=en"' in page


@pytest.mark.slow
def test_a_document_through_the_page_in_chromium(browser, live_server, corpus, tmp_path):  # noqa: F811
    """Open /, upload a .docx in the document form, download an edition's file."""
    source = tmp_path / "story.docx"
    source.write_bytes(word_file())
    page = browser.new_page()
    page.goto(f"{live_server}/")
    page.set_input_files("#document", str(source))
    boxes = page.locator('.document-form input[name="targets"]')
    for box in boxes.all():
        box.uncheck()
    page.check('.document-form input[value="es"]')
    with page.expect_navigation():
        page.click(".document-form button[type=submit]")
    assert page.locator(".document-edition").count() == 1
    with page.expect_download() as download:
        page.click("#doc-es a")
    result = docx.Document(download.value.path())
    assert result.paragraphs[0].text == corpus["es"][TALKS]
    page.close()


def test_v1_documents_reports_flags_by_place(client, corpus):
    srt = (f"1\n00:00:01,000 --> 00:00:03,000\n{PRICES}\n\n"
           f"2\n00:00:04,000 --> 00:00:05,000\n{UNKNOWN}\n")
    response = client.post("/v1/documents", content_type="multipart/form-data", data={
        "file": (io.BytesIO(srt.encode()), "clip.srt"), "source": "en", "target": "de"})
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["source"] == {"language": "en", "confidence": 1.0, "detected": False}
    assert body["segments"] == 2
    assert [(f["part"], f["source"]) for f in body["flagged"]] == [("cue 2", UNKNOWN)]
    text = client.get(body["download"]).get_data(as_text=True)
    assert text.startswith(f"1\n00:00:01,000 --> 00:00:03,000\n{corpus['de'][PRICES]}\n\n2\n")
    assert client.get("/v1/documents/" + "0" * 32).status_code == 404
    missing = client.post("/v1/documents", content_type="multipart/form-data",
                          data={"target": "de"})
    assert missing.status_code == 400 and missing.get_json()["error"]["field"] == "file"
