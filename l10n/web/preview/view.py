"""What the preview shows of one article: each edition's fields as safe HTML, its flagged
segments and its byline, built from a pipeline result or from a batch run's stored files."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from l10n.editions import DEFAULT_TARGETS, SOURCE_LANGUAGE
from l10n.errors import NotFound, ServiceError
from l10n.localise import dates
from l10n.localise.glossary import Glossary
from l10n.localise.languages import autonym, locale_for
from l10n.markup.registry import NAMES as FORMATS
from l10n.translate.article import Article
from l10n.translate.pipeline import ArticleResult, Segment, label_data
from l10n.web.preview.sanitise import mark_names, name_spans, to_html

if TYPE_CHECKING:

    from l10n.translate.pipeline import Pipeline

log = logging.getLogger(__name__)


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
    notice: str = ""  # the demo label (English, as the API gives it) when a demo model made it

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
    editions = tuple(replace(show(lang, article.format, edition.fields, captions, glossary,
                                  byline=edition.byline, flagged=edition.flagged,
                                  segments=edition.segments),
                             notice=label_data(edition).get("notice", ""))
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
    notice = data["notice"] if isinstance(data.get("notice"), str) else ""
    return replace(show(lang, data["format"] if data.get("format") in FORMATS else "text", fields,
                        len(captions), glossary,
                        byline=dates.Byline(**byline) if isinstance(byline, dict) else None,
                        flagged=tuple(Segment(s["field"], s["index"], s["source"],
                                              s["translation"], tuple(s["flags"]))
                                      for s in qa.get("flagged", [])),
                        segments=qa.get("segments", 0)), notice=notice)


def bcp47(lang: str) -> str:
    """The `lang` attribute of a language: "pt-BR" for the Brazilian edition, "en-GB"."""
    return str(locale_for(lang)).replace("_", "-")
