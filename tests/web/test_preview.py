"""The edition preview page: the form, the editions in their chrome, QA flags and names,
stored editions, the page's language, and that nothing from an article ever runs.

The browser tests (marked slow) drive Debian's Chromium through Playwright against a real
server; they share one browser for the module.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from l10n.batch import run
from l10n.config import Settings
from l10n.localise import dates
from l10n.localise.glossary import Glossary
from l10n.translate.pipeline import Pipeline
from l10n.web.preview import sanitise, view
from tests.conftest import ROOT, TARGETS, translate_known

TELESCOPE = json.loads((ROOT / "examples/articles/telescope.json").read_text("utf-8"))
AUTONYMS = ["English", "Русский", "Deutsch", "Français", "Português", "Español"]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = ('<p>Fine <b>bold</b> text.</p>'
           '<script>window.__pwned = 1</script>'
           '<img src="x" onerror="window.__pwned = 2">'
           '<a href="javascript:window.__pwned = 3" onclick="window.__pwned = 4">link</a>'
           '<p id="ed-ru" class="name" style="color:red" onmouseover="window.__pwned = 5">x</p>'
           '<svg onload="window.__pwned = 6"></svg><iframe src="https://example.org"></iframe>'
           '<style>body { display: none }</style><form action="https://evil.example"></form>')


def form_of(article: dict, fmt: str = "text", targets=TARGETS) -> dict:
    """The preview form's fields for an article in the API's JSON shape."""
    meta = article.get("meta", {})
    return {"title": article.get("title", ""), "lead": article.get("lead", ""),
            "body": article.get("body", ""), "captions": "\n".join(article.get("captions", [])),
            "author": meta.get("author", ""), "published": meta.get("published", ""),
            "format": fmt, "source": "en", "targets": list(targets)}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def assert_strict_csp(headers) -> None:
    policy = dict(part.strip().split(" ", 1) for part in
                  headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'"
    assert "script-src" not in policy and "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"


# --------------------------------------------------------------------------- sanitising
@pytest.mark.parametrize("fmt, text", [
    ("html", HOSTILE),
    ("markdown", "Fine **bold** text.\n\n" + HOSTILE + "\n\n[link](javascript:alert(1))"),
    ("text", HOSTILE),
])
def test_markup_is_sanitised_whatever_the_format(fmt, text):
    for inline in (False, True):
        out = sanitise.to_html(text, fmt, inline=inline)
        tree = BeautifulSoup(out, "html.parser")
        assert not tree.find_all(["script", "style", "svg", "iframe", "form"])
        for tag in tree.find_all(True):
            assert not [a for a in tag.attrs if a.startswith("on") or a in ("id", "class",
                                                                              "style")]
            assert not tag.get("href", "").startswith("javascript")
        if fmt != "text":  # markup: the script's and the style's content are gone too
            assert "__pwned = 1" not in out and "display: none" not in out
            assert "<b>bold</b>" in out or "<strong>bold</strong>" in out
    assert "&lt;script&gt;" in sanitise.to_html(HOSTILE, "text")  # plain text stays text


def test_plain_text_paragraphs_and_markdown_blocks():
    assert sanitise.to_html("One.\nTwo.\n\nThree & <four>", "text") == \
        "<p>One.<br>Two.</p><p>Three &amp; &lt;four&gt;</p>"
    assert sanitise.to_html("## Head\n\n- *a*", "markdown") == \
        "<h2>Head</h2>\n<ul>\n<li><em>a</em></li>\n</ul>\n"
    assert sanitise.to_html("**Title**", "markdown", inline=True) == "<strong>Title</strong>"


def test_names_are_marked_on_text_nodes_only():
    glossary = Glossary.load()
    spans = sanitise.name_spans(glossary, "ru")
    safe = sanitise.to_html('<p title="Чили">Телескоп в Чили. &lt;b&gt;Чили</p>', "html")
    marked = sanitise.mark_names(safe, spans)
    assert marked == ('<p title="Чили">Телескоп в <mark class="name">Чили</mark>. '
                      '&lt;b&gt;<mark class="name">Чили</mark></p>')
    declined = sanitise.mark_names("<p>фото Даниэля Вебера</p>", spans)
    assert declined == '<p>фото <mark class="name">Даниэля Вебера</mark></p>'


# ------------------------------------------------------------------------------ the form
def test_form_page_works_without_script_and_labels_every_field(client):
    response = client.get("/preview?lang=de")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert_strict_csp(response.headers)
    page = soup(response)
    assert page.html["lang"] == "de" and page.title.string == "Vorschau der Ausgaben"
    assert not page.find_all("script")
    form = page.find("form")
    assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
    for field in form.find_all(["input", "textarea", "select"]):
        if field.get("type") == "checkbox":
            assert field.find_parent("label"), field
        else:
            assert page.find("label", attrs={"for": field["id"]}), field
    assert [box["value"] for box in form.find_all("input", type="checkbox")] == list(TARGETS)
    assert [h.name for h in page.find_all(["h1", "h2"])] == ["h1", "h2"]
    assert page.find("header") and page.find("main")


@pytest.mark.parametrize("query, accept, lang, title", [
    ("", "pt-BR,pt;q=0.9,en;q=0.5", "pt-BR", "Pré-visualização das edições"),
    ("", "ja, ru;q=0.3", "ru", "Предпросмотр версий"),
    ("", "ja", "en-GB", "Edition preview"),
    ("?lang=fr", "de", "fr", "Aperçu des éditions"),
    ("?lang=xx", "es", "es", "Vista previa de las ediciones"),
])
def test_page_language_from_the_query_or_the_browser(client, query, accept, lang, title):
    page = soup(client.get("/preview" + query, headers={"Accept-Language": accept}))
    assert page.html["lang"] == lang and page.h1.get_text(strip=True) == title


def test_a_broken_catalog_falls_back_to_english(settings, engine, tmp_path):
    from service import create_app

    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    (locales / "ru/LC_MESSAGES/messages.po").write_text('msgid "x"\nmsgstr broken\n')
    client = create_app(replace(settings, locales_dir=locales), engine).test_client()
    response = client.get("/preview?lang=ru")
    assert response.status_code == 200 and soup(response).h1.get_text(strip=True) == \
        "Edition preview"


# ----------------------------------------------------------------------------- submitting
def test_submitted_article_shows_the_original_and_every_edition(client, corpus):
    response = client.post("/preview?lang=ru", data=form_of(TELESCOPE))
    assert response.status_code == 200
    assert_strict_csp(response.headers)
    page = soup(response)
    original = page.find(id="original")
    assert original.find(class_="site")["lang"] == "en-GB"
    assert original.find(class_="headline").get_text() == TELESCOPE["title"]
    published = datetime.fromisoformat(TELESCOPE["meta"]["published"])
    for lang in TARGETS:
        panel = page.find(id=f"ed-{lang}")
        site = panel.find(class_="site")
        assert site["lang"] == view.bcp47(lang)
        assert site.find(class_="headline").get_text() == corpus[lang][TELESCOPE["title"]]
        assert dates.date_line(published, lang) in site.find(class_="dateline").get_text()
        menu = site.find(class_="language-menu")
        assert [a.get_text() for a in menu.find_all("a")] == AUTONYMS
        assert menu.find("a", attrs={"aria-current": "page"})["href"] == f"#ed-{lang}"
    ru = page.find(id="ed-ru")
    assert ru.find(class_="now-reading").h2.get_text() == "Сейчас читают"
    assert "Все права защищены" in ru.find(class_="copyright").get_text()
    assert [m.get_text() for m in ru.find_all("mark", class_="name")][:2] == \
        ["Чили", "Даниэля Вебера"]
    assert "Отмеченных фрагментов нет" in ru.find(class_="quality").get_text()
    form = page.find("form")  # again, filled in, to edit and submit once more
    assert form.find(id="title")["value"] == TELESCOPE["title"]


def test_flagged_segments_show_their_flags_and_their_source(client):
    unknown = "The committee of flamingo wranglers postponed 14 votes until 2031."
    article = {"title": "Talks", "body": unknown}
    page = soup(client.post("/preview", data=form_of(article, targets=["de"])))
    panel = page.find(id="ed-de")
    assert panel.h2.find(class_="badge")  # the count next to the edition's name
    segment = panel.find(class_="flagged").find(class_="segment")
    assert segment["title"] == unknown  # hovering shows the original
    flags = [code.get_text() for code in segment.find_all("code", class_="flag")]
    assert flags and "Body, segment 1" in segment.get_text()
    legend = panel.find(class_="flag-legend")
    assert [dt.get_text() for dt in legend.find_all("dt")] == sorted(flags)
    assert all(dd.get_text(strip=True) for dd in legend.find_all("dd"))


def test_uploaded_file_replaces_the_fields(client, corpus):
    data = {"targets": ["fr"], "title": "ignored", "file": (
        io.BytesIO(json.dumps(TELESCOPE).encode()), "telescope.json")}
    page = soup(client.post("/preview", data=data, content_type="multipart/form-data"))
    assert page.find(id="ed-fr").find(class_="headline").get_text() == \
        corpus["fr"][TELESCOPE["title"]]
    assert page.find(id="title")["value"] == TELESCOPE["title"]
    assert not page.find(id="ed-de")


@pytest.mark.parametrize("data, message", [
    ({"title": "", "body": "", "targets": ["de"]}, "no text"),
    ({"body": "Hello there.", "targets": []}, "choose at least one edition"),
    ({"body": "Hello.", "published": "yesterday", "targets": ["de"]}, "ISO 8601"),
    ({"body": "Hello.", "targets": ["de"], "file": (io.BytesIO(b"{"), "a.json")}, "invalid JSON"),
    ({"targets": ["de"], "file": (io.BytesIO(b"[" * 990 + b"]" * 990), "a.json")},
     "invalid JSON"),
    ({"targets": ["de"], "file": (io.BytesIO(b'{"title": "\\ud800 Hi"}'), "a.json")},
     "invalid JSON"),
])
def test_a_refused_article_shows_the_form_again_with_the_reason(client, data, message):
    response = client.post("/preview?lang=es", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert_strict_csp(response.headers)
    page = soup(response)
    alert = page.find(role="alert")
    assert "No se pudo traducir el artículo." in alert.get_text() and message in alert.get_text()
    assert page.find(id="body").get_text() == data.get("body", "")


def test_hostile_article_is_sanitised_in_every_column(client):
    article = {"title": '<img src=x onerror="window.__pwned=1">Title', "body": HOSTILE}
    page = soup(client.post("/preview", data=form_of(article, fmt="html", targets=["de"])))
    assert not page.find_all(["script", "iframe", "svg"])
    assert len(page.find_all("form")) == 1 and len(page.find_all(id="ed-ru")) == 0
    for tag in page.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")], tag
    assert page.find(id="original").find("b").get_text() == "bold"


# ------------------------------------------------------------------------ stored editions
@pytest.fixture(scope="module")
def stored(settings, engine, tmp_path_factory) -> Path:
    """A batch run's output: the demo article, and a nested one with a flagged segment."""
    source = tmp_path_factory.mktemp("in")
    (source / "2026").mkdir()
    shutil.copy(ROOT / "examples/articles/telescope.json", source)
    (source / "2026/flamingos.json").write_text(json.dumps(
        {"title": "Talks", "body": "The flamingo wranglers postponed 14 votes until 2031.",
         "meta": {"editor": "Maria Sokolova"}}))
    out = tmp_path_factory.mktemp("out")
    run(settings, source, out, TARGETS, stream=io.StringIO(), pipeline=Pipeline(settings, engine))
    return out


@pytest.fixture(scope="module")
def stored_client(settings, engine, stored):
    from service import create_app

    return create_app(replace(settings, preview_dir=stored), engine).test_client()


def test_stored_editions_are_shown_by_id(stored_client, corpus):
    response = stored_client.get("/preview/telescope", headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert_strict_csp(response.headers)
    page = soup(response)
    assert not page.find(id="original") and not page.find("form")
    for lang in TARGETS:
        assert page.find(id=f"ed-{lang}").find(class_="headline").get_text() == \
            corpus[lang][TELESCOPE["title"]]
    nested = soup(stored_client.get("/preview/2026/flamingos"))
    assert nested.find(id="ed-fr").find(class_="flagged")
    assert "no-editor" not in nested.find(id="ed-fr").find(class_="site")["class"]


@pytest.mark.parametrize("article_id", [
    "missing", "../in/telescope", "2026/../telescope", ".manifest", "telescope.json/x",
    "..%2F..%2Fetc%2Fpasswd", "2026/", "de/../../in/telescope",
])
def test_unknown_or_invalid_ids_are_404(stored_client, article_id):
    response = stored_client.get(f"/preview/{article_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_article"
    page = stored_client.get(f"/preview/{article_id}?lang=pt", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert_strict_csp(page.headers)
    assert soup(page).h2.get_text() == "Artigo não encontrado"


def test_a_symlink_out_of_the_folder_is_not_followed(stored_client, stored, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"title": "secret"}))
    link = stored / "de" / "leak.json"
    link.symlink_to(secret)
    try:
        assert stored_client.get("/preview/leak").status_code == 404
    finally:
        link.unlink()


def test_a_corrupt_edition_file_is_a_clear_error(settings, engine, tmp_path):
    from service import create_app

    (tmp_path / "de").mkdir()
    (tmp_path / "de/bad.json").write_text("[]")
    client = create_app(replace(settings, preview_dir=tmp_path), engine).test_client()
    response = client.get("/preview/bad")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "invalid_edition"


def test_preview_settings_from_the_environment(tmp_path):
    settings = Settings.from_env({"L10N_PREVIEW_DIR": str(tmp_path / "eds"),
                                  "L10N_LOCALES_DIR": str(tmp_path / "loc"),
                                  "L10N_SITE_NAME": "Daily Planet", "L10N_SITE_SINCE": "1938"})
    assert (settings.preview_dir, settings.locales_dir) == (tmp_path / "eds", tmp_path / "loc")
    assert (settings.site_name, settings.site_since) == ("Daily Planet", 1938)
    assert Settings().locales_dir == ROOT / "locales"
    assert Settings().preview_dir == Path("out/editions")


# ------------------------------------------------------------------------------ browser
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for every browser test of the module, with a fresh profile."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/system-deps.sh installs it; CI has it)")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="l10n-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS,
                viewport={"width": 1280, "height": 1000}, locale="en-GB")
            yield context
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def fill_form(page, article: dict, fmt: str = "text") -> None:
    fields = form_of(article, fmt)
    for name in ("title", "lead", "body", "captions", "author", "published"):
        page.fill(f"#{name}", fields[name])
    page.select_option("#format", fmt)


@pytest.mark.slow
def test_end_to_end_in_chromium(browser, live_server, corpus):
    page = browser.new_page()
    page.goto(f"{live_server}/preview")
    fill_form(page, TELESCOPE)
    with page.expect_navigation():
        page.click("button[type=submit]")
    published = datetime.fromisoformat(TELESCOPE["meta"]["published"])
    assert page.is_visible("#ed-ru") and not page.is_visible("#ed-de")  # first tab by default
    for lang in TARGETS:
        page.click(f'.tabs a[href="#ed-{lang}"]')
        panel = page.locator(f"#ed-{lang}")
        assert panel.is_visible()
        assert [p.is_visible() for p in page.locator(".edition-panel").all()].count(True) == 1
        site = panel.locator(".site")
        assert site.get_attribute("lang") == view.bcp47(lang)
        table = corpus[lang]
        assert site.locator(".headline").inner_text() == table[TELESCOPE["title"]]
        assert site.locator(".lead").inner_text() == table[TELESCOPE["lead"]]
        paragraphs = site.locator(".body p").all_inner_texts()
        assert paragraphs == translate_known(TELESCOPE["body"], table).split("\n\n")
        assert dates.date_line(published, lang) in site.locator(".dateline").inner_text()
        assert site.locator(".language-menu a").all_inner_texts() == AUTONYMS
    page.click('.tabs a[href="#ed-ru"]')
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "preview.png"), full_page=True)
    page.close()


@pytest.mark.slow
def test_script_in_an_article_never_runs(browser, live_server):
    page = browser.new_page()
    page.goto(f"{live_server}/preview")
    fill_form(page, {"title": '<img src="x" onerror="window.__pwned = 7">Title',
                     "body": HOSTILE}, fmt="html")
    with page.expect_navigation() as navigation:
        page.click("button[type=submit]")
    assert_strict_csp({"Content-Security-Policy":
                       navigation.value.headers["content-security-policy"]})
    page.hover("#original .body a")
    page.click("#original .body a")
    page.wait_for_timeout(200)  # an onerror/onload would have fired by now
    found = page.evaluate("""() => ({
        pwned: window.__pwned,
        scripts: document.scripts.length,
        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
                  .filter(a => a.name.startsWith('on')).map(a => a.name),
        js_urls: [...document.querySelectorAll('[href],[src]')].filter(e =>
                 /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src'))).length,
        frames: document.querySelectorAll('iframe, svg, object, embed').length,
        forms: document.forms.length,
    })""")
    assert found == {"pwned": None, "scripts": 0, "handlers": [], "js_urls": 0, "frames": 0,
                     "forms": 1}
    assert page.is_visible("#ed-ru")  # the hostile <style> hid nothing
    page.close()


def img_src(response) -> str:
    policy = dict(part.strip().split(" ", 1) for part in
                  response.headers["Content-Security-Policy"].split(";"))
    return policy["img-src"]


@pytest.mark.parametrize("sources, allowed", [
    ((), "'self'"),
    (("https://cdn.example",), "'self' https://cdn.example"),
])
def test_remote_images_load_only_from_configured_sources(settings, engine, tmp_path, sources,
                                                          allowed):
    """A tracking pixel in an article body must not make the editor's browser call out."""
    from service import create_app

    client = create_app(replace(settings, preview_image_sources=sources,
                                memory_path=tmp_path / "m.sqlite3"), engine).test_client()
    body = '<p>Prices rose.<img src="https://tracker.example/p.gif" alt=""></p>'
    response = client.post("/preview", data=form_of({"body": body}, "html", ["de"]))
    assert response.status_code == 200
    assert img_src(response) == allowed
    assert img_src(client.get("/preview")) == allowed
    assert Settings.from_env({"L10N_PREVIEW_IMAGE_SOURCES": "https://a.example, https://b"}
                             ).preview_image_sources == ("https://a.example", "https://b")


def test_editions_of_demo_models_say_so(client):
    page = soup(client.post("/preview?lang=de", data=form_of(TELESCOPE)))
    for lang in TARGETS:
        badge = page.find(id=f"ed-{lang}").find(class_="demo")
        assert "demo model" in badge.get_text() and "l10n models install" in badge.get_text()
    assert page.find(id="original").find(class_="demo") is None
