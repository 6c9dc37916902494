"""Article files: which files are articles, how each format is read, and how each edition is
written back in the file's own format.

- `*.json`: an article in the HTTP API's schema (its own `targets` are replaced by the run's);
  the edition is the API's edition JSON;
- `*.md`, `*.markdown`: Markdown with YAML front matter; `title`, `lead`, `captions` are
  translated, `author`, `published`, `category`, `tags` become the article's meta, `id` and
  `source` are read, the text below the front matter is the body; the edition keeps the front
  matter with translated title, lead and captions plus `language` and the localised `byline`;
- `*.html`, `*.htm`: one HTML document or fragment, translated as a whole (a document's
  `<title>` included, as part of the body; see markup/html.py for what is kept); the edition
  is the translated document with `<html lang>` set.

- `*.docx`, `*.odt`, `*.srt`, `*.txt`: document files, translated whole with their structure
  and formatting kept (l10n/translate/documents.py), written back in the same format.

Hidden files and folders are not articles.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from l10n.config import Settings
from l10n.translate.article import Article
from l10n.translate.pipeline import ArticleResult, edition_data, label_data
from l10n.translate.request import loads_untrusted, parse_article

KINDS = {".json": "json", ".md": "markdown", ".markdown": "markdown",
         ".html": "html", ".htm": "html",
         # document files, translated whole as the document API does (translate/documents.py)
         ".docx": "document", ".odt": "document", ".srt": "document", ".txt": "document"}
FRONT_MATTER_META = ("author", "published", "category", "tags")
_HTML_LANG = re.compile(r'(<html\b[^>]*?\blang=")[^"]*(")', re.IGNORECASE)


def find_articles(in_dir: Path, exclude: Path | None = None) -> list[str]:
    """Article files under `in_dir` as sorted POSIX paths relative to it."""
    found = []
    for path in in_dir.rglob("*"):
        relative = path.relative_to(in_dir)
        if (path.suffix.lower() not in KINDS or not path.is_file()
                or any(part.startswith(".") for part in relative.parts)
                or (exclude is not None and path.resolve().is_relative_to(exclude))):
            continue
        found.append(relative.as_posix())
    return sorted(found)


def kind_of(relative: str) -> str:
    return KINDS[Path(relative).suffix.lower()]


def read_article(raw: bytes, kind: str, targets: Sequence[str],
                 settings: Settings) -> tuple[str, Article]:
    """A file's text and its article; ValueError (with the reason) for what is not one."""
    import yaml

    try:
        text = raw.decode("utf-8")
        return text, load_article(kind, text, targets, settings)
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"invalid front matter: {exc}") from None


def load_article(kind: str, text: str, targets: Sequence[str], settings: Settings) -> Article:
    """Parse a file's text into an article (validated like an API request)."""
    if kind == "json":
        try:
            body = loads_untrusted(text)
        except ValueError as exc:  # also too deep, or a lone surrogate
            raise ValueError(f"invalid JSON: {exc}") from None
        if isinstance(body, dict):
            body = {**body, "targets": list(targets)}
    elif kind == "markdown":
        body = _markdown_body(text)
        body["targets"] = list(targets)
    else:
        body = {"format": "html", "body": text, "targets": list(targets)}
    return parse_article(body, settings)


def _markdown_body(text: str) -> dict[str, Any]:
    import frontmatter

    post = frontmatter.loads(text)
    front = post.metadata
    meta = {key: _plain(front[key]) for key in FRONT_MATTER_META if key in front}
    body: dict[str, Any] = {"format": "markdown", "body": post.content, "meta": meta}
    for key in ("title", "lead", "captions", "id", "source"):
        if key in front:
            body[key] = front[key]
    return body


def _plain(value: Any) -> Any:
    """YAML reads `published: 2026-03-05T21:30:00Z` as a datetime; the article wants text."""
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def render_output(kind: str, text: str, article: Article, result: ArticleResult,
                  target: str) -> str:
    """One edition of a file, in the file's own format."""
    edition = result.editions[target]
    if kind == "json":
        payload = {"id": article.id, "language": target, "format": article.format,
                   "source_language": result.source.language,
                   **edition_data(article, edition), "meta": article.meta}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if kind == "markdown":
        import frontmatter

        post = frontmatter.loads(text)
        for name in ("title", "lead"):
            if name in post.metadata:
                post.metadata[name] = edition.get(name)
        if "captions" in post.metadata:
            post.metadata["captions"] = [edition.get(f"captions.{i}")
                                         for i in range(len(article.captions))]
        post.metadata["language"] = target
        if edition.demo:
            post.metadata["demo"] = label_data(edition)["notice"]
        if edition.byline is not None:
            post.metadata["byline"] = asdict(edition.byline)
        post.content = edition.get("body")
        # width: YAML would fold long titles over several lines (libyaml wants a C int)
        return frontmatter.dumps(post, sort_keys=False, width=1 << 30) + "\n"
    html = _HTML_LANG.sub(rf"\g<1>{target}\g<2>", edition.get("body"), count=1)
    if edition.demo:  # said where an editor opening the file will see it
        html += "\n<!-- " + label_data(edition)["notice"].replace("--", "\u2013") + " -->\n"
    return html
