"""The edition preview page: an article beside its editions, as an editor checks it.

    GET  /preview          the form: paste or upload an article, choose format and editions
    POST /preview          translate it and show the original beside every edition
    GET  /preview/<id>     an article a batch run already translated (L10N_PREVIEW_DIR)

Each edition is shown inside the site's chrome (chrome.html) in that edition's language,
with the QA flags of its segments and the glossary's names marked; the page's own strings
are in the editor's language (`?lang=`, else Accept-Language). One Jinja environment
serves every language: its gettext callables read the `translations` variable of the
render, so an edition's chrome is a render of its own, with its own catalog.

Article text is untrusted and reaches the page only through `to_html`: rendered from its
format, then sanitised by nh3 with an allow-list (no script, no event handler, no
`javascript:` URL, no `id` or `class` that could pose as the page's own), and names are
marked on the text nodes of the sanitised tree, never by replacing strings in HTML. The
Content-Security-Policy of `HEADERS` forbids every script, so a gap in sanitising would still
run nothing.
"""

from __future__ import annotations

import base64
import gettext
import hashlib
import html
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nh3
from jinja2 import Environment, FileSystemLoader, pass_context
from markdown_it import MarkdownIt
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header

from l10n import catalogs
from l10n.batch import KINDS, load_article
from l10n.config import Settings
from l10n.editions import DEFAULT_TARGETS, LANGUAGES
from l10n.errors import InputError, NotFound, ServiceError
from l10n.localise import dates, names
from l10n.localise.glossary import Glossary
from l10n.localise.languages import autonym, locale_for
from l10n.markup.registry import NAMES as FORMATS
from l10n.translate.article import Article
from l10n.translate.pipeline import ArticleResult, Segment
from l10n.web.schemas import parse_article

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage, MultiDict

    from l10n.translate.pipeline import Pipeline

log = logging.getLogger(__name__)

UI_LANGUAGES = LANGUAGES  # the page speaks English (the msgids) and every edition
SOURCE_LANGUAGE = catalogs.SOURCE_LANGUAGE
STYLESHEET = (Path(__file__).resolve().parents[1] / "static" / "preview.css").read_text("utf-8")
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLESHEET.encode("utf-8")).digest()).decode()
CSP = ("default-src 'none'; "
       f"style-src 'sha256-{_STYLE_HASH}'; "  # the one inline stylesheet, nothing else
       "img-src 'self' https:; "  # the article's photos, from its CDN
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer"}
"""Every preview response carries these: no script of any origin, no plug-in, no frame."""

# ----------------------------------------------------------------------------- sanitising
INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "br", "cite", "code", "del", "dfn", "em", "i",
                        "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
                        "sup", "time", "u", "var"})
BLOCK_TAGS = INLINE_TAGS | {"blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
                            "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol",
                            "p", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
ATTRIBUTES = {"*": {"lang", "title"}, "a": {"href", "hreflang"},
              "img": {"src", "alt", "width", "height"}, "time": {"datetime"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
              "ol": {"start"}}
_DROPPED_WITH_CONTENT = {"script", "style", "template", "title", "noscript", "textarea"}
_CLEANERS = {
    inline: nh3.Cleaner(tags=set(INLINE_TAGS if inline else BLOCK_TAGS),
                        clean_content_tags=_DROPPED_WITH_CONTENT, attributes=ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"},
                        link_rel="noopener noreferrer nofollow")
    for inline in (False, True)
}
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough", "table"])
_BLANK_LINES = re.compile(r"\n\s*\n")


def to_html(text: str, fmt: str, *, inline: bool = False) -> str:
    """An article field as safe HTML: rendered from its format (text paragraphs, Markdown,
    HTML), then sanitised; `inline` for titles, leads and captions (phrasing content only)."""
    if fmt == "markdown":
        raw = _MARKDOWN.renderInline(text) if inline else _MARKDOWN.render(text)
    elif fmt == "html":
        raw = text
    elif inline:
        raw = html.escape(text)
    else:
        raw = "".join(f"<p>{html.escape(p.strip()).replace(chr(10), '<br>')}</p>"
                      for p in _BLANK_LINES.split(text) if p.strip())
    return _CLEANERS[inline].clean(raw)


Spans = Callable[[str], list[tuple[int, int]]]


class _TextNodes(HTMLParser):
    """Re-emits sanitised HTML as it is, passing each text node through `mark`."""

    def __init__(self, mark: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.mark, self.out = mark, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(f"<{tag}" + "".join(
            f' {name}="{html.escape(value or "")}"' for name, value in attrs) + ">")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(self.mark(data))


def mark_names(safe_html: str, spans: Spans) -> Markup:
    """Put `<mark class="name">` around the spans `spans` finds in each text node of
    `safe_html` (output of `to_html`). Working on text nodes keeps the markup intact: a name
    is never matched inside an attribute or across a tag, and text is escaped again on the
    way out."""
    def mark(text: str) -> str:
        out, at = [], 0
        for start, end in spans(text):
            out += [html.escape(text[at:start], quote=False), '<mark class="name">',
                    html.escape(text[start:end], quote=False), "</mark>"]
            at = end
        return "".join(out) + html.escape(text[at:], quote=False)

    parser = _TextNodes(mark)
    parser.feed(safe_html)
    parser.close()
    return Markup("".join(parser.out))


def name_spans(glossary: Glossary, lang: str) -> Spans:
    """Where the glossary's names stand in a text of `lang`, in any of their inflected forms
    (в Дамаске), longest first and never overlapping."""
    def spans(text: str) -> list[tuple[int, int]]:
        found = sorted({span for entry in glossary.entries
                        for span in names.rendering_spans(entry.en, text, lang, glossary)},
                       key=lambda s: (s[0], -s[1]))
        kept: list[tuple[int, int]] = []
        for start, end in found:
            if not kept or start >= kept[-1][1]:
                kept.append((start, end))
        return kept
    return spans


# ------------------------------------------------------------------------------ view data
@dataclass(frozen=True)
class Shown:
    """One language's article as the page shows it: safe HTML, names marked."""

    lang: str
    title: Markup
    lead: Markup
    body: Markup
    captions: tuple[Markup, ...]
    byline: dates.Byline | None = None
    flagged: tuple[Segment, ...] = ()
    segments: int = 0

    @property
    def bcp47(self) -> str:
        return bcp47(self.lang)

    @property
    def name(self) -> str:
        return autonym(self.lang)


@dataclass(frozen=True)
class Preview:
    """An article and its editions; `source` is None for stored editions (a batch run
    writes the editions, not the original)."""

    editions: tuple[Shown, ...]
    source: Shown | None = None
    article_id: str | None = None
    editor: str = ""  # meta.editor, for the byline


def show(lang: str, fmt: str, fields: Mapping[str, str], captions: int, glossary: Glossary,
         byline: dates.Byline | None = None, flagged: tuple[Segment, ...] = (),
         segments: int = 0) -> Shown:
    """Render the fields of one language (title, lead, body, captions.N) for the page."""
    spans = name_spans(glossary, lang)

    def render(name: str, inline: bool = True) -> Markup:
        return mark_names(to_html(fields.get(name, ""), fmt, inline=inline), spans)

    return Shown(lang, render("title"), render("lead"), render("body", inline=False),
                 tuple(render(f"captions.{i}") for i in range(captions)), byline, flagged,
                 segments)


def from_result(article: Article, result: ArticleResult, pipeline: Pipeline) -> Preview:
    """The page for an article just translated."""
    glossary = pipeline.glossary.get()
    captions = len(article.captions)
    source_byline = None
    if article.author and article.published:
        source_byline = dates.byline(article.author, article.published, SOURCE_LANGUAGE,
                                     glossary, tz=pipeline.zones[SOURCE_LANGUAGE])
    source = show(result.source.language, article.format, dict(article.fields()), captions,
                  glossary, byline=source_byline)
    editions = tuple(show(lang, article.format, edition.fields, captions, glossary,
                          byline=edition.byline, flagged=edition.flagged,
                          segments=edition.segments)
                     for lang, edition in result.editions.items())
    return Preview(editions, source, article.id, _editor(article.meta))


def _editor(meta: Mapping[str, Any]) -> str:
    editor = meta.get("editor")
    return editor if isinstance(editor, str) else ""


# ----------------------------------------------------------------------- stored editions
_NAME = r"[A-Za-z0-9_][A-Za-z0-9._-]{0,199}"  # no leading dot: neither "..", nor hidden files
_ARTICLE_ID = re.compile(rf"{_NAME}(?:/{_NAME})*")


def stored_paths(preview_dir: Path, article_id: str,
                 langs: Sequence[str] = DEFAULT_TARGETS) -> dict[str, Path]:
    """The edition files of `article_id` (`<lang>/<id>.json`, as `l10n translate` writes
    them) that exist. The id is a relative path of plain names: no `..`, no leading dot or
    slash, nothing that resolves outside the folder (a symlink included). NotFound for an
    id that breaks this or names nothing."""
    if not _ARTICLE_ID.fullmatch(article_id):
        raise NotFound(f"no translated article {article_id!r}: an id is a path of letters, "
                       "digits, '.', '_' and '-'", code="unknown_article")
    root = Path(preview_dir).resolve()
    found = {}
    for lang in langs:
        path = (root / lang / f"{article_id}.json").resolve()
        if path.is_relative_to(root / lang) and path.is_file():
            found[lang] = path
    if not found:
        raise NotFound(f"no translated article {article_id!r} in the editions folder",
                       code="unknown_article")
    return found


def load_stored(preview_dir: Path, article_id: str, glossary: Glossary,
                langs: Sequence[str] = DEFAULT_TARGETS) -> Preview:
    """The page for an article a batch run translated: its `.json` editions."""
    editions, editor = [], ""
    for lang, path in stored_paths(preview_dir, article_id, langs).items():
        try:
            data = json.loads(path.read_text("utf-8"))
            editions.append(_stored_edition(lang, data, glossary))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.error("%s: not an edition file: %r", path, exc)
            raise ServiceError(f"the {lang} edition of {article_id!r} is not a valid edition "
                               "file; run the batch again", code="invalid_edition",
                               status=500) from None
        editor = editor or _editor(data.get("meta") or {})
    return Preview(tuple(editions), None, article_id, editor)


def _stored_edition(lang: str, data: dict[str, Any], glossary: Glossary) -> Shown:
    """An edition file as `l10n translate` writes it (batch.render_output)."""
    fields = {name: data.get(name) or "" for name in ("title", "lead", "body")}
    captions = [c for c in data.get("captions") or [] if isinstance(c, str)]
    fields.update((f"captions.{i}", c) for i, c in enumerate(captions))
    byline, qa = data.get("byline"), data.get("qa") or {}
    return show(lang, data["format"] if data.get("format") in FORMATS else "text", fields,
                len(captions), glossary,
                byline=dates.Byline(**byline) if isinstance(byline, dict) else None,
                flagged=tuple(Segment(s["field"], s["index"], s["source"], s["translation"],
                                      tuple(s["flags"])) for s in qa.get("flagged", [])),
                segments=qa.get("segments", 0))


# ---------------------------------------------------------------------------------- form
@dataclass(frozen=True)
class FormValues:
    """What the form shows: empty at first, the article just sent after a submit."""

    title: str = ""
    lead: str = ""
    body: str = ""
    captions: str = ""  # one a line
    author: str = ""
    published: str = ""
    format: str = "text"
    source: str = SOURCE_LANGUAGE
    targets: tuple[str, ...] = DEFAULT_TARGETS

    @classmethod
    def sent(cls, form: MultiDict[str, str]) -> FormValues:
        """The fields as submitted, to show again with the reason they were refused."""
        return cls(*(form.get(name, "") for name in ("title", "lead", "body", "captions",
                                                     "author", "published")),
                   format=form.get("format", "text"),
                   source=form.get("source", SOURCE_LANGUAGE),
                   targets=tuple(form.getlist("targets")))

    @classmethod
    def of(cls, article: Article) -> FormValues:
        published = article.meta.get("published")
        return cls(article.title, article.lead, article.body, "\n".join(article.captions),
                   article.author, published if isinstance(published, str) else "",
                   article.format, article.source, article.targets)


def read_form(form: MultiDict[str, str], files: MultiDict[str, FileStorage],
              settings: Settings) -> Article:
    """The article of a submitted form, validated as the API validates one. An uploaded file
    replaces the text fields: `.json`, `.md` and `.html` are read as a batch run reads them,
    anything else as the body in the chosen format."""
    targets = form.getlist("targets")
    if not targets:
        raise InputError("choose at least one edition", code="missing_field", field="targets")
    body = form.get("body", "")
    upload = files.get("file")
    if upload is not None and upload.filename:
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the file is not UTF-8 text", code="wrong_type",
                             field="file") from None
        kind = KINDS.get(Path(upload.filename).suffix.lower())
        if kind is not None:
            try:
                return load_article(kind, text, targets, settings)
            except ValueError as exc:  # a JSON or front-matter syntax error
                raise InputError(f"{upload.filename}: {exc}", code="invalid_file",
                                 field="file") from None
        body = text
    meta = {name: form.get(name, "").strip() for name in ("author", "published")}
    return parse_article({
        "title": form.get("title", ""), "lead": form.get("lead", ""),
        "body": body,
        "captions": [line.strip() for line in form.get("captions", "").splitlines()
                     if line.strip()],
        "format": form.get("format", "text"), "source": form.get("source", SOURCE_LANGUAGE),
        "targets": targets, "meta": {k: v for k, v in meta.items() if v},
    }, settings)


def ui_language(requested: str | None, accept_language: str | None) -> str:
    """The page's language: `?lang=` when it is one, else the browser's best, else English."""
    if requested in UI_LANGUAGES:
        return requested
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(UI_LANGUAGES, default=SOURCE_LANGUAGE)


def wants_html(accept: str | None) -> bool:
    """An error for a browser is a page, for anything else (curl's */*) JSON."""
    best = parse_accept_header(accept, MIMEAccept).best_match(["application/json", "text/html"])
    return best == "text/html"


# ----------------------------------------------------------------------------- rendering
def _from_context(method: str) -> Callable[..., str]:
    @pass_context
    def call(context: Any, *args: Any) -> str:
        return getattr(context["translations"], method)(*args)
    return call


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(catalogs.TEMPLATES_DIR), autoescape=True,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_from_context("gettext"), ngettext=_from_context("ngettext"),
        pgettext=_from_context("pgettext"), npgettext=_from_context("npgettext"),
        newstyle=True)
    return env


@dataclass
class Pages:
    """Renders the preview pages; catalogs are read per request (a translator's saved edit
    shows at once), and a missing or broken one falls back to English, logged."""

    settings: Settings
    source_languages: Callable[[], Sequence[str]]  # those with an installed model
    env: Environment = field(default_factory=_environment)

    def form(self, ui: str, values: FormValues | None = None, error: str | None = None) -> str:
        values = values or FormValues(targets=self.settings.default_targets)
        return self._page(ui, values=values, error=error)

    def result(self, ui: str, preview: Preview, values: FormValues | None = None) -> str:
        original = self._article(preview.source, preview, framed=False) \
            if preview.source else None
        editions = [(shown, self._article(shown, preview, framed=True))
                    for shown in preview.editions]
        return self._page(ui, preview=preview, original=original, editions=editions,
                          values=values)

    def not_found(self, ui: str, article_id: str) -> str:
        return self._page(ui, missing=article_id)

    def _page(self, ui: str, **context: Any) -> str:
        sources = list(self.source_languages()) or [SOURCE_LANGUAGE]
        return self.env.get_template("preview.html").render(
            translations=self._translations(ui), ui=ui, bcp47=bcp47(ui), css=Markup(STYLESHEET),
            ui_menu=[(code, autonym(code), f"?lang={code}") for code in UI_LANGUAGES],
            sources=[(code, autonym(code)) for code in sources],
            targets=[(code, autonym(code)) for code in DEFAULT_TARGETS],
            formats=FORMATS, **context)

    def _article(self, shown: Shown, preview: Preview, framed: bool) -> Markup:
        """One article in its own language: an edition framed by the site's chrome, or the
        original alone."""
        menu = [(preview.source.lang, preview.source.name, "#original")] \
            if preview.source else []
        menu += [(e.lang, e.name, f"#ed-{e.lang}") for e in preview.editions]
        return Markup(self.env.get_template("preview_edition.html").render(
            translations=self._translations(shown.lang), edition=shown, framed=framed,
            menu=menu, editor=preview.editor, site=self.settings.site_name,
            since=self.settings.site_since, year=datetime.now(UTC).year))

    def _translations(self, lang: str) -> gettext.NullTranslations:
        if lang == SOURCE_LANGUAGE:
            return gettext.NullTranslations()
        try:
            return catalogs.translations(self.settings.locales_dir, lang)
        except catalogs.CatalogError as exc:
            log.warning("preview in %s shows English strings: %s", lang, exc)
            return gettext.NullTranslations()


def bcp47(lang: str) -> str:
    """The `lang` attribute of a language: "pt-BR" for the Brazilian edition, "en-GB"."""
    return str(locale_for(lang)).replace("_", "-")
