"""The service's own API's request and response models (/v1), and the error body; the
machinery and the shared field types are l10n/translate/request.py's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from l10n.editions import LANGUAGES
from l10n.errors import InputError
from l10n.localise.glossary import Glossary, GlossaryError, GlossaryFile
from l10n.localise.languages import autonym, language_name
from l10n.markup import registry as formats
from l10n.packages import demo
from l10n.packages.store import InstalledModel
from l10n.translate import qa
from l10n.translate.article import Article
from l10n.translate.detect import Detection
from l10n.translate.pipeline import (
    ArticleResult,
    Edition,
    edition_data,
    failure_data,
    label_data,
    qa_data,
)
from l10n.translate.request import (
    Format,
    Language,
    MarkupText,
    RequestModel,
    ResponseModel,
    Source,
    Text,
    WithTargets,
    refuse,
)


# ------------------------------------------------------------------ errors
class ErrorDetail(BaseModel):
    code: str = Field(description="what is wrong, for programs: e.g. missing_field")
    message: str = Field(description="what is wrong, for people")
    field: str | None = Field(None, description="the request field at fault, when one is")


class Error(BaseModel):
    """Every error of this service's own API."""

    error: ErrorDetail


# ------------------------------------------------------------------ /v1 requests
class TranslateRequest(WithTargets):
    format: Format = "text"  # first: the text's limit depends on it
    text: MarkupText
    source: Source = "auto"

    @property
    def chars(self) -> int:
        """What the request costs per edition: its characters of text."""
        return formats.translatable_chars(self.text, self.format)


class DetectRequest(RequestModel):
    text: Text


class LanguagesQuery(RequestModel):
    display: Language = "en"


class GlossaryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: str
    ru: str | None = None
    de: str | None = None
    fr: str | None = None
    pt: str | None = None
    es: str | None = None
    kind: str | None = Field(None, json_schema_extra={
        "enum": ["person", "place", "org", "media"]})
    flags: list[str] = Field([], json_schema_extra={
        "items": {"type": "string", "enum": ["keep", "indeclinable"]}})
    note: str | None = None


class GlossaryDocument(BaseModel):
    """The glossary as JSON; checked by l10n.localise.glossary, which reports every problem."""

    entries: list[GlossaryEntry]


class Correction(RequestModel):
    """A reviewer's correction (PUT /v1/memory)."""

    source: Language
    target: Language
    text: Text
    translation: Text
    reviewer: str | None = None

    @field_validator("target")
    @classmethod
    def _two_languages(cls, target: str, info: ValidationInfo) -> str:
        if info.data.get("source") == target:
            raise refuse("same_language", "source and target are the same language")
        return target


# ------------------------------------------------------------------ /v1 responses
UnitInterval = Annotated[float, Field(ge=0, le=1)]


class Model(ResponseModel):
    source: str
    target: str
    pair: str
    version: str
    name: str
    size_bytes: int
    demo: bool = Field(description="a demo (fixture) model, not a real translator")

    @classmethod
    def of(cls, model: InstalledModel) -> Model:
        return cls(source=model.source, target=model.target, pair=model.pair,
                   version=model.version, name=model.name, size_bytes=model.size_bytes,
                   demo=model.demo)


def demo_label(models: Sequence[InstalledModel]) -> dict[str, Any]:
    """`demo` and, when demo models are installed, a `notice` saying so in plain words."""
    pairs = [m.pair for m in models if m.demo]
    if not pairs:
        return {"demo": False}
    return {"demo": True, "notice": f"Demo models installed ({', '.join(pairs)}): "
                                    f"translations {demo.NOTICE}."}


class EditionLabel(ResponseModel):
    """How an edition was made."""

    route: list[str] = Field(description="the languages the text went through, e.g. "
                                         "[fr, en, ru] through English")
    demo: bool = Field(description="a demo (fixture) model made it")
    notice: str | None = Field(None, description="when demo: what that means, in words")


class FailureDetail(ResponseModel):
    code: Literal["unsupported_pair", "model_unavailable", "engine_error"]
    message: str


class EditionFailure(ResponseModel):
    """An edition that could not be made; the others are still returned (200)."""

    error: FailureDetail


def _in_order(result: ArticleResult, render: Any) -> dict[str, Any]:
    """Editions in the order asked for, a failed one as {"error": {...}}."""
    made = {t: render(e) for t, e in result.editions.items()}
    made.update({t: EditionFailure.model_validate(failure_data(f))
                 for t, f in result.failed.items()})
    return {t: made[t] for t in result.targets}


class SourceInfo(ResponseModel):
    language: str
    confidence: UnitInterval
    detected: bool


class FlaggedSegment(ResponseModel):
    field: str
    index: int
    source: str
    translation: str
    flags: Annotated[list[str], WithJsonSchema({"type": "array", "items": {
        "type": "string", "enum": list(qa.FLAGS),
        "description": "; ".join(f"{code}: {meaning}" for code, meaning in qa.FLAGS.items())}})]


class QA(ResponseModel):
    segments: int
    flagged: list[FlaggedSegment]

    @classmethod
    def of(cls, edition: Edition) -> QA:
        return cls.model_validate(qa_data(edition))


class TranslateResult(ResponseModel):
    source: SourceInfo
    translations: dict[str, str]
    qa: dict[str, QA]
    editions: dict[str, EditionLabel | EditionFailure]

    @classmethod
    def of(cls, result: ArticleResult) -> TranslateResult:
        return cls(source=SourceInfo.model_validate(result.source),
                   translations={t: e.get("body") for t, e in result.editions.items()},
                   qa={t: QA.of(e) for t, e in result.editions.items()},
                   editions=_in_order(result, lambda e: EditionLabel.model_validate(
                       label_data(e))))


class Byline(ResponseModel):
    author: str
    date_line: str
    needs_review: bool


class ArticleEdition(ResponseModel):
    title: str
    lead: str
    body: str
    captions: list[str]
    byline: Byline | None
    qa: QA
    route: list[str]
    demo: bool
    notice: str | None = None

    @classmethod
    def of(cls, article: Article, edition: Edition) -> ArticleEdition:
        """From the pipeline's plain data (which a batch run writes as it is)."""
        return cls.model_validate(edition_data(article, edition))


class ArticleTranslation(ResponseModel):
    id: str | None
    format: str
    source: SourceInfo
    editions: dict[str, ArticleEdition | EditionFailure]

    @classmethod
    def of(cls, article: Article, result: ArticleResult) -> ArticleTranslation:
        return cls(id=article.id, format=article.format,
                   source=SourceInfo.model_validate(result.source),
                   editions=_in_order(result, lambda e: ArticleEdition.of(article, e)))


def render_article_result(article: Article, result: ArticleResult) -> dict[str, Any]:
    """An article's translation as /v1/articles/translate answers (and a job's result holds)."""
    return ArticleTranslation.of(article, result).dump()


class Candidate(ResponseModel):
    language: str
    confidence: UnitInterval


class DetectionResult(ResponseModel):
    language: str = Field(description="a code, or und")
    confidence: UnitInterval
    reliable: bool
    candidates: list[Candidate]

    @classmethod
    def of(cls, found: Detection) -> DetectionResult:
        return cls(language=found.language, confidence=found.confidence,
                   reliable=found.reliable,
                   candidates=[Candidate(language=c, confidence=p) for c, p in found.candidates])


class LanguageInfo(ResponseModel):
    code: str
    name: str
    autonym: str
    targets: list[str]


class Languages(ResponseModel):
    """Every supported language named in `display` and in itself, with installed targets."""

    languages: list[LanguageInfo]
    pairs: list[Model]
    demo: bool
    notice: str | None = None

    @classmethod
    def of(cls, display: str, models: Sequence[InstalledModel]) -> Languages:
        return cls(languages=[LanguageInfo(code=code, name=language_name(code, display),
                                        autonym=autonym(code),
                                        targets=sorted(m.target for m in models
                                                       if m.source == code))
                              for code in LANGUAGES],
                   pairs=[Model.of(m) for m in models], **demo_label(models))


class VersionedGlossary(ResponseModel):
    version: str
    entries: list[dict[str, Any]]

    @classmethod
    def of(cls, glossary: Glossary) -> VersionedGlossary:
        return cls(version=glossary.version, **glossary.to_json())


class MemoryEntry(ResponseModel):
    stored: bool
    kind: str = Field(json_schema_extra={"enum": ["human", "machine"]})
    source: str
    target: str
    text: str
    translation: str
    created_at: str
    reviewer: str | None = None


def replace_glossary(store: GlossaryFile, body: Any) -> Glossary:
    try:
        return store.put(body)
    except GlossaryError as exc:
        raise InputError("invalid glossary: " + "; ".join(exc.errors), code="invalid_glossary") from None
