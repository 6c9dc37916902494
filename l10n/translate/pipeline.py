"""The translation pipeline: detect → segment → engine → check → reassemble.

This is the one place that knows the order of the steps; each step lives in its own module
and knows nothing of the others. Per target language, all units of all fields of an article
go to the engine in one call, identical units once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from l10n.config import Settings
from l10n.errors import InputError
from l10n.localise import dates, names
from l10n.localise.glossary import Glossary, GlossaryFile
from l10n.markup.inline import Placed, Unit, render
from l10n.markup.limits import Limits
from l10n.markup.registry import Document, escaper, parse_document, structure
from l10n.translate import protect, qa
from l10n.translate.article import Article
from l10n.translate.detect import detect
from l10n.translate.engine import Engine, UnsupportedPair
from l10n.translate.segment import has_words
from l10n.translate.types import Translation

if TYPE_CHECKING:
    from l10n.translate.memory import Memory


@dataclass(frozen=True)
class SourceInfo:
    language: str
    confidence: float  # 1.0 when the caller named the language
    detected: bool


@dataclass(frozen=True)
class Segment:
    """A translated unit that a reviewer should look at."""

    field: str
    index: int
    source: str
    translation: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Edition:
    """One target language of an article: its fields in the article's format."""

    language: str
    fields: dict[str, str]
    flagged: tuple[Segment, ...] = ()
    segments: int = 0
    byline: dates.Byline | None = None  # when the article names its author and date

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


@dataclass(frozen=True)
class ArticleResult:
    source: SourceInfo
    editions: dict[str, Edition] = field(default_factory=dict)


@dataclass(frozen=True)
class _Done:
    """A unit's translation after checks: final plain text, engine output, flags."""

    text: str
    engine: Translation | None
    flags: tuple[str, ...]


def qa_data(edition: Edition) -> dict[str, Any]:
    """An edition's review report as plain JSON-ready data."""
    return {"segments": edition.segments, "flagged": [asdict(s) for s in edition.flagged]}


def edition_data(article: Article, edition: Edition) -> dict[str, Any]:
    """An edition's fields as plain JSON-ready data, one key per article field (captions as a
    list): what the HTTP API answers and a batch run writes for a `.json` article."""
    return {
        "title": edition.get("title"), "lead": edition.get("lead"), "body": edition.get("body"),
        "captions": [edition.get(f"captions.{i}") for i in range(len(article.captions))],
        "byline": asdict(edition.byline) if edition.byline else None,
        "qa": qa_data(edition),
    }


class Pipeline:
    def __init__(self, settings: Settings, engine: Engine,
                 glossary: GlossaryFile | None = None, memory: Memory | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.memory = memory
        self.glossary = glossary or GlossaryFile(settings.glossary)
        self.zones = dates.timezones(settings.timezones)
        self.limits = Limits(settings.max_nesting, settings.max_tags_per_segment)

    def resolve_source(self, text: str, source: str) -> SourceInfo:
        """The caller's language, or the detected one; undetermined text is an error."""
        if source != "auto":
            return SourceInfo(source, 1.0, False)
        found = detect(text, self.settings)
        if not found.reliable:
            raise InputError(
                "could not determine the source language (text too short or ambiguous); "
                "pass \"source\" explicitly", code="undetermined_language", field="source")
        return SourceInfo(found.language, found.confidence, True)

    def translate_text(self, text: str, source: str, targets: Sequence[str],
                       fmt: str = "text") -> ArticleResult:
        return self.translate_article(Article(body=text, source=source, targets=tuple(targets),
                                              format=fmt))

    def translate_article(self, article: Article,
                          glossary: Glossary | None = None) -> ArticleResult:
        """`glossary` replaces the names glossary for this article (DeepL's glossary_id)."""
        info = self.resolve_source(article.plain_text(), article.source)
        docs: dict[str, Document] = {
            name: parse_document(text, article.format, info.language, self.limits)
            for name, text in article.fields()
        }
        units = [(name, i, unit) for name, doc in docs.items() for i, unit in enumerate(doc.units)]
        glossary = self.glossary.get() if glossary is None else glossary
        shapes = {name: structure(article.format, text, self.limits)
                  for name, text in article.fields()}
        editions = {}
        for target in article.targets:
            done = self.translate_units(info.language, target, [u for _, _, u in units], glossary)
            editions[target] = self._edition(article, target, docs, units, done, glossary, shapes)
        return ArticleResult(info, editions)

    def translate_units(self, source: str, target: str, units: Sequence[Unit],
                        glossary: Glossary) -> list[_Done]:
        """Translate units for one target: one engine call, identical texts once, then check
        protected spans and put the glossary's names in."""
        if source == target:
            return [_Done(u.text, None, ()) for u in units]
        wanted = list(dict.fromkeys(u.text for u in units if _needs_engine(u)))
        try:
            model = self.engine.model_for(source, target)
        except UnsupportedPair as exc:
            raise InputError(str(exc), code="unsupported_pair") from None
        # The memory holds raw engine output, keyed without the glossary: names are put in
        # below, after lookup, so a glossary edit re-renders from memory with no engine call.
        scope = (source, target, model.key)
        recalled = self.memory.lookup(*scope, wanted) if self.memory and wanted else {}
        human = {text: hit.translation.text for text, hit in recalled.items() if hit.human}
        by_text = {text: hit.translation for text, hit in recalled.items()}
        misses = [text for text in wanted if text not in by_text]
        if misses:
            fresh = self.engine.translate(source, target, misses, with_alignment=True)
            by_text.update(zip(misses, fresh, strict=True))
            if self.memory:
                self.memory.store(*scope, list(zip(misses, fresh, strict=True)))
        out = []
        for unit in units:
            result = by_text.get(unit.text)
            if result is None:  # nothing the engine should see (only code, numbers...)
                out.append(_Done(unit.text, None, ()))
                continue
            if unit.text in human:  # a reviewer's correction is used as written
                out.append(_Done(human[unit.text], None, ()))
                continue
            checked = protect.check(unit.text, result.text)
            named = names.enforce(unit.text, checked.text, target, glossary) \
                if source == "en" else names.NameResult(checked.text, [], [])
            # QA judges the engine's output, before the glossary puts its names in.
            flags = set(checked.flags) | qa.flags(unit.text, checked.text, source, target,
                                                  self.settings)
            if named.unresolved:
                flags.add(qa.flag("name_unresolved"))
            out.append(_Done(named.text, result, tuple(sorted(flags))))
        return out

    def _edition(self, article: Article, target: str, docs: dict[str, Document],
                 units: list[tuple[str, int, Unit]], done: list[_Done],
                 glossary: Glossary, shapes: dict[str, object]) -> Edition:
        escape = escaper(article.format)

        def anchor(words: str, text: str) -> list[tuple[int, int]]:
            return names.rendering_spans(words, text, target, glossary)

        by_key = {(name, i): d for (name, i, _), d in zip(units, done, strict=True)}
        placed: dict[tuple[str, int], Placed] = {}
        fields = {}
        for name, doc in docs.items():
            def place(i: int, unit: Unit, name: str = name) -> Placed:
                d = by_key[(name, i)]
                result = render(unit, d.text, escape, d.engine, anchor)
                placed[(name, i)] = result
                return result

            fields[name] = doc.render(place)
        broken = {name for name in fields
                  if structure(article.format, fields[name], self.limits) != shapes[name]}
        flagged = []
        for (name, i, unit), d in zip(units, done, strict=True):
            shown = placed.get((name, i), Placed(d.text, (), d.text))
            flags = set(d.flags) | set(shown.flags)
            if name in broken and (unit.marks or i == 0):
                flags.add(qa.flag("tag_mismatch"))
            if flags:  # the reviewer sees what was published, opaque text included
                flagged.append(Segment(name, i, unit.text, shown.plain, tuple(sorted(flags))))
        byline = None
        if article.author and article.published:
            byline = dates.byline(article.author, article.published, target, glossary,
                                  tz=self.zones[target])
        return Edition(target, fields, tuple(flagged), len(units), byline)


def _needs_engine(unit: Unit) -> bool:
    """Units whose only words sit in opaque marks (code, translate="no") stay as they are."""
    opaque = [(m.start, m.end) for m in unit.marks if m.opaque]
    text = "".join(ch for k, ch in enumerate(unit.text)
                   if not any(s <= k < e for s, e in opaque))
    return has_words(text)
