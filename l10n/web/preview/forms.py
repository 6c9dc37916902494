"""The preview form: what an editor sent (pasted or uploaded), read into an Article, and the
values to show again when it failed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from l10n.batch import KINDS, load_article
from l10n.config import Settings
from l10n.editions import DEFAULT_TARGETS, SOURCE_LANGUAGE
from l10n.errors import InputError
from l10n.translate.article import Article
from l10n.web.schemas import parse_article

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage, MultiDict



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
        texts = {name: form.get(name, "") for name in ("title", "lead", "body", "captions",
                                                       "author", "published")}
        return cls(**texts,
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


