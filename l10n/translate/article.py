"""The article: what the CMS sends and what each edition gives back (plain data; the web
layer's ArticleRequest validates it, l10n/web/schemas.py).

    {"id", "source": "auto"|code, "targets": [...], "format": "text"|"markdown"|"html",
     "title", "lead", "body", "captions": [...], "meta": {"author", "published", "category", "tags"}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
        """meta.published, validated (l10n/web/schemas.py) as ISO 8601 with a time zone."""
        value = self.meta.get("published")
        return datetime.fromisoformat(value) if isinstance(value, str) and value else None

    def fields(self) -> list[tuple[str, str]]:
        """(name, text) of every translatable field; captions are caption.0, caption.1..."""
        named = [(name, getattr(self, name)) for name in TEXT_FIELDS]
        named += [(f"captions.{i}", c) for i, c in enumerate(self.captions)]
        return [(name, text) for name, text in named if text]

    def plain_text(self) -> str:
        return "\n\n".join(text for _, text in self.fields())
