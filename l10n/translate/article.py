"""The article: what the CMS sends and what each edition gives back.

    {"id", "source": "auto"|code, "targets": [...], "format": "text"|"markdown"|"html",
     "title", "lead", "body", "captions": [...], "meta": {"author", "published", "category", "tags"}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from l10n.config import Settings
from l10n.editions import check_language
from l10n.errors import InputError, TooLarge
from l10n.web.validate import parse_targets, require_object

FORMATS = ("text", "markdown", "html")
TEXT_FIELDS = ("title", "lead", "body")


@dataclass(frozen=True)
class Article:
    title: str = ""
    lead: str = ""
    body: str = ""
    captions: tuple[str, ...] = ()
    format: str = "text"
    source: str = "auto"
    targets: tuple[str, ...] = ()
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def author(self) -> str:
        author = self.meta.get("author")
        return author if isinstance(author, str) else ""

    @property
    def published(self) -> datetime | None:
        """meta.published, validated by parse_article as ISO 8601 with a time zone."""
        value = self.meta.get("published")
        return datetime.fromisoformat(value) if isinstance(value, str) and value else None

    def fields(self) -> list[tuple[str, str]]:
        """(name, text) of every translatable field; captions are caption.0, caption.1..."""
        named = [(name, getattr(self, name)) for name in TEXT_FIELDS]
        named += [(f"captions.{i}", c) for i, c in enumerate(self.captions)]
        return [(name, text) for name, text in named if text]

    def plain_text(self) -> str:
        return "\n\n".join(text for _, text in self.fields())


def parse_article(body: Any, settings: Settings) -> Article:
    body = require_object(body)
    strings = {}
    for name in TEXT_FIELDS:
        value = body.get(name, "")
        if not isinstance(value, str):
            raise InputError(f"{name} must be a string", code="wrong_type", field=name)
        strings[name] = value
    captions = body.get("captions", [])
    if not isinstance(captions, list) or not all(isinstance(c, str) for c in captions):
        raise InputError("captions must be a list of strings", code="wrong_type", field="captions")
    fmt = body.get("format", "text")
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})",
                         code="unknown_format", field="format")
    meta = body.get("meta", {})
    if not isinstance(meta, dict):
        raise InputError("meta must be an object", code="wrong_type", field="meta")
    _check_meta(meta)
    article_id = body.get("id")
    if article_id is not None and not isinstance(article_id, (str, int)):
        raise InputError("id must be a string", code="wrong_type", field="id")
    article = Article(
        title=strings["title"], lead=strings["lead"], body=strings["body"],
        captions=tuple(captions), format=fmt,
        source=check_language(body.get("source", "auto"), "source", allow_auto=True),
        targets=parse_targets(body, settings),
        id=None if article_id is None else str(article_id), meta=meta,
    )
    if not article.fields() or not article.plain_text().strip():
        raise InputError("the article has no text (title, lead, body and captions are empty)",
                         code="empty_text")
    size = sum(len(text) for _, text in article.fields())
    if size > settings.max_chars:
        raise TooLarge(f"the article has {size} characters; the limit is {settings.max_chars}")
    return article


def _check_meta(meta: dict) -> None:
    author, published = meta.get("author"), meta.get("published")
    if author is not None and not isinstance(author, str):
        raise InputError("meta.author must be a string", code="wrong_type", field="meta.author")
    if published is None or published == "":
        return
    try:
        moment = datetime.fromisoformat(published) if isinstance(published, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError("meta.published must be an ISO 8601 date-time with a time zone, "
                         "e.g. 2026-03-05T21:30:00Z", code="invalid_date", field="meta.published")
