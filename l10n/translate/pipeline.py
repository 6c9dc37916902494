"""The translation pipeline: detect → segment → engine → check → reassemble.

This is the one place that knows the order of the steps; each step lives in its own module
and knows nothing of the others. Per target language, all units of all fields of an article
go to the engine in one call per leg (one leg, or two through English), identical units once;
the editions of one article are translated concurrently, one thread per edition up to
`Settings.workers`. A unit written in another language than the article's (a quoted Russian
sentence in an English article) is translated from its own language, kept as it is in the
edition of its own language, or flagged `other_language` when no model translates it. An
edition that cannot be made (no model, a broken package, an engine failure) comes back as an
`EditionError` beside the others; only when every edition fails is the request an error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from l10n.config import Settings
from l10n.errors import InputError, ServiceError
from l10n.localise import dates, names
from l10n.localise.glossary import Glossary, GlossaryFile
from l10n.markup.inline import Placed, Unit, render
from l10n.markup.limits import Limits
from l10n.markup.registry import Document, escaper, parse_document, structure
from l10n.packages import demo
from l10n.translate import protect, qa
from l10n.translate.article import Article
from l10n.translate.detect import detect
from l10n.translate.engine import PIVOT, BrokenPackage, Engine, UnsupportedPair, compose
from l10n.translate.segment import has_words
from l10n.translate.types import Translation

if TYPE_CHECKING:
    from l10n.translate.memory import Memory

log = logging.getLogger(__name__)
OTHER_LANGUAGE = qa.flag("other_language")
# A unit is in another language than its article's when QA's wrong_language rule says so
# (qa.other_language: the same detector and threshold), or when a short unit is in the other
# script (a Cyrillic quote in a Latin-script article, or the reverse) and detected as a
# language of that script. Tested on the whole corpus: no corpus sentence is taken for
# another language.
SCRIPT_MIN_LETTERS = 8
CYRILLIC = frozenset({"ru"})


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
    route: tuple[str, ...] = ()  # the languages the article's text went through
    demo: bool = False  # a demo (fixture) model made it: not a real translation

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


@dataclass(frozen=True)
class EditionError:
    """Why one edition could not be made; the other editions are still returned."""

    language: str
    code: str  # unsupported_pair | model_unavailable | engine_error
    message: str
    status: int  # the HTTP status when every edition failed this way

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class ArticleResult:
    source: SourceInfo
    editions: dict[str, Edition] = field(default_factory=dict)
    failed: dict[str, EditionError] = field(default_factory=dict)
    targets: tuple[str, ...] = ()  # the editions asked for, in order: made or failed


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
        **label_data(edition),
    }


def label_data(edition: Edition) -> dict[str, Any]:
    """How an edition was made: its route (["fr", "en", "ru"] through English) and whether a
    demo model made it, said in plain words."""
    label: dict[str, Any] = {"route": list(edition.route), "demo": edition.demo}
    if edition.demo:
        label["notice"] = "This edition was " + demo.NOTICE + "."
    return label


def failure_data(failure: EditionError) -> dict[str, Any]:
    """A failed edition, in the place of its fields."""
    return {"error": failure.to_dict()}


class Pipeline:
    def __init__(self, settings: Settings, engine: Engine,
                 glossary: GlossaryFile | None = None, memory: Memory | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.memory = memory
        self.glossary = glossary or GlossaryFile(settings.glossary)
        self.zones = dates.timezones(settings.timezones)
        self.limits = Limits(settings.max_nesting, settings.max_tags_per_segment)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

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

    def default_targets(self, source: str) -> tuple[str, ...]:
        """Every edition but the source's own: English and L10N_DEFAULT_TARGETS."""
        return tuple(t for t in dict.fromkeys((PIVOT, *self.settings.default_targets))
                     if t != source)

    def targets_of(self, article: Article) -> tuple[str, ...]:
        """The editions an article asks for, or by default every edition but its own."""
        if article.targets:
            return article.targets
        return self.default_targets(self.resolve_source(article.plain_text(), article.source).language)

    def translate_text(self, text: str, source: str, targets: Sequence[str],
                       fmt: str = "text") -> ArticleResult:
        return self.translate_article(Article(body=text, source=source, targets=tuple(targets),
                                              format=fmt))

    def translate_article(self, article: Article,
                          glossary: Glossary | None = None) -> ArticleResult:
        """`glossary` replaces the names glossary for this article (DeepL's glossary_id)."""
        self.engine.refresh()  # packages installed or removed meanwhile, by any process
        info = self.resolve_source(article.plain_text(), article.source)
        targets = article.targets or self.default_targets(info.language)
        docs: dict[str, Document] = {
            name: parse_document(text, article.format, info.language, self.limits)
            for name, text in article.fields()
        }
        units = [(name, i, unit) for name, doc in docs.items() for i, unit in enumerate(doc.units)]
        plain = [u for _, _, u in units]
        glossary = self.glossary.get() if glossary is None else glossary
        shapes = {name: structure(article.format, text, self.limits)
                  for name, text in article.fields()}
        languages = self.segment_languages(info.language, plain)
        try:
            legs = self._first_legs(info.language, targets, plain, languages)
        except Exception:  # a shortcut only: each edition then reports its own failure
            log.exception("translating the shared legs into English failed")
            legs = {}

        def one(target: str) -> Edition | EditionError:
            try:
                done, route, demo = self.translate_units(info.language, target, plain, glossary,
                                                         languages, legs)
                edition = self._edition(article, target, docs, units, done, glossary, shapes)
            except (UnsupportedPair, BrokenPackage) as exc:
                code, status = (("unsupported_pair", 400) if isinstance(exc, UnsupportedPair)
                                else ("model_unavailable", 503))
                return EditionError(target, code, str(exc), status)
            except ServiceError:
                raise
            except Exception as exc:  # the engine failed on this edition; the others go on
                log.exception("translating into %s failed", target)
                return EditionError(target, "engine_error",
                                    f"translating into {target} failed: {exc}", 500)
            return replace(edition, route=route, demo=demo)

        outcomes = self._map(one, targets)
        editions = {t: o for t, o in zip(targets, outcomes) if isinstance(o, Edition)}
        failed = {t: o for t, o in zip(targets, outcomes) if isinstance(o, EditionError)}
        if failed and not editions:
            first = next(iter(failed.values()))
            raise ServiceError("; ".join(dict.fromkeys(e.message for e in failed.values())),
                               code=first.code, status=first.status)
        return ArticleResult(info, editions, failed, tuple(targets))

    def _map(self, work: Callable[[str], Edition | EditionError],
             targets: Sequence[str]) -> list[Edition | EditionError]:
        """Editions one after another, or concurrently on the pipeline's thread pool (the
        engine releases the GIL while it translates)."""
        if len(targets) < 2 or self.settings.workers < 2:
            return [work(t) for t in targets]
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.settings.workers,
                                                thread_name_prefix="l10n-edition")
        return list(self._pool.map(work, targets))

    def segment_languages(self, source: str, units: Sequence[Unit]) -> list[str]:
        """The language of each unit: the article's, unless detection is sure of another."""
        return [segment_language(unit.text, source, self.settings) for unit in units]

    def _first_legs(self, source: str, targets: Sequence[str], units: Sequence[Unit],
                    languages: Sequence[str]) -> dict[tuple[str, str], dict]:
        """Legs into English that several editions share (pivots, and the en edition),
        translated once before the editions fan out."""
        legs: dict[tuple[str, str], dict] = {}
        for language in dict.fromkeys(languages):
            if language == PIVOT:
                continue
            texts = [u.text for u, lang in zip(units, languages, strict=True)
                     if lang == language and _needs_engine(u)]
            needed: dict[str, None] = {}  # what some edition reads from this leg, in order
            for target in targets:
                try:
                    route = self.engine.route(language, target)
                except (UnsupportedPair, BrokenPackage):
                    continue
                if route[:2] == (language, PIVOT):
                    corrected = self._corrected(route, texts)
                    needed.update(dict.fromkeys(t for t in texts if t not in corrected))
            if needed:
                legs[(language, PIVOT)] = self._leg(language, PIVOT, list(needed))
        return legs

    def _corrected(self, route: tuple[str, ...], texts: Sequence[str]) -> dict[str, Translation]:
        """Reviewers' corrections of a routed pair (they correct the pair, not a leg)."""
        if len(route) < 3 or not self.memory or not texts:
            return {}
        hits = self.memory.lookup(route[0], route[-1], "", texts)
        return {text: hit.translation for text, hit in hits.items() if hit.human}

    def translate_units(self, source: str, target: str, units: Sequence[Unit],
                        glossary: Glossary, languages: Sequence[str] | None = None,
                        legs: dict[tuple[str, str], dict] | None = None,
                        ) -> tuple[list[_Done], tuple[str, ...], bool]:
        """Translate units for one target: one engine call per leg, identical texts once,
        then check protected spans and put the glossary's names in. Returns the units' results,
        the route of the article's language and whether a demo model took part."""
        languages = languages or [source] * len(units)
        route = self.engine.route(source, target)  # the edition fails without one
        results: dict[int, _Done] = {}
        demo = False
        for language in dict.fromkeys(languages):
            group = [k for k, lang in enumerate(languages) if lang == language]
            if language == target:  # already in the edition's language: kept as written
                results.update({k: _Done(units[k].text, None, ()) for k in group})
                continue
            try:
                path = route if language == source else self.engine.route(language, target)
            except (UnsupportedPair, BrokenPackage):
                results.update({k: _Done(units[k].text, None, (OTHER_LANGUAGE,))
                                for k in group})
                continue
            demo |= any(self.engine.model_for(a, b).demo for a, b in zip(path, path[1:]))
            done = self._through(path, [units[k] for k in group], glossary, legs or {})
            results.update(zip(group, done))
        return [results[k] for k in range(len(units))], route, demo

    def _leg(self, source: str, target: str,
             texts: Sequence[str]) -> dict[str, tuple[Translation, bool]]:
        """One leg of a route: the memory first, then one engine call for the rest.
        Values: (translation, whether a reviewer wrote it)."""
        wanted = list(dict.fromkeys(texts))
        model = self.engine.model_for(source, target)
        # The memory holds raw engine output, keyed without the glossary: names are put in
        # after lookup, so a glossary edit re-renders from memory with no engine call.
        scope = (source, target, model.key)
        recalled = self.memory.lookup(*scope, wanted) if self.memory and wanted else {}
        out = {text: (hit.translation, hit.human) for text, hit in recalled.items()}
        misses = [text for text in wanted if text not in out]
        if misses:
            fresh = self.engine.translate(source, target, misses, with_alignment=True)
            out.update((text, (t, False)) for text, t in zip(misses, fresh, strict=True))
            if self.memory:
                self.memory.store(*scope, list(zip(misses, fresh, strict=True)))
        return out

    def _through(self, route: tuple[str, ...], units: Sequence[Unit], glossary: Glossary,
                 legs: dict[tuple[str, str], dict]) -> list[_Done]:
        """Units along a route (direct, or through English), then the checks."""
        source, target = route[0], route[-1]
        wanted = list(dict.fromkeys(u.text for u in units if _needs_engine(u)))  # once each:
        # `current` below moves each text along the route, so a repeat would read a later leg
        engine: dict[str, Translation] = {}
        human: dict[str, bool] = {}
        for text, correction in self._corrected(route, wanted).items():
            engine[text], human[text] = correction, True
        wanted = [t for t in wanted if t not in engine]
        current = {text: text for text in wanted}  # unit text → what the next leg reads
        for a, b in zip(route, route[1:]):
            feed = list(dict.fromkeys(current[t] for t in wanted))
            if not feed:
                break
            cached = legs.get((a, b), {})
            leg = {x: cached[x] for x in feed if x in cached}
            if len(leg) < len(feed):
                leg.update(self._leg(a, b, [x for x in feed if x not in leg]))
            for text in wanted:
                into, by_reviewer = leg[current[text]]
                previous = engine.get(text)
                engine[text] = into if previous is None else compose(previous, into)
                human[text] = by_reviewer
                if b != target:  # the next leg reads the intermediate, its spans repaired
                    current[text] = into.text if by_reviewer else \
                        protect.check(current[text], into.text).text
        out = []
        for unit in units:
            result = engine.get(unit.text)
            if result is None:  # nothing the engine should see (only code, numbers...)
                out.append(_Done(unit.text, None, ()))
                continue
            if human[unit.text]:  # a reviewer's correction is used as written
                out.append(_Done(result.text, None, ()))
                continue
            checked = protect.check(unit.text, result.text)
            english = current[unit.text] if route[-2] == PIVOT else None  # the last leg's input
            named = names.enforce(english, checked.text, target, glossary) \
                if english is not None else names.NameResult(checked.text, [], [])
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


def segment_language(text: str, source: str, settings: Settings) -> str:
    """The language one unit of a `source` article is written in."""
    other = qa.other_language(text, source, settings)
    if other is not None:
        return other
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters) * 2 > len(letters)
    if len(letters) < SCRIPT_MIN_LETTERS or (source in CYRILLIC) == cyrillic:
        return source
    found = detect(text, settings)
    return found.best if found.reliable and (found.best in CYRILLIC) == cyrillic else source


def _needs_engine(unit: Unit) -> bool:
    """Units whose only words sit in opaque marks (code, translate="no") stay as they are."""
    opaque = [(m.start, m.end) for m in unit.marks if m.opaque]
    text = "".join(ch for k, ch in enumerate(unit.text)
                   if not any(s <= k < e for s, e in opaque))
    return has_words(text)
