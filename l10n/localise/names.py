"""Make a translated segment spell every glossary name the glossary's way.

Machine translation mangles names: it translates them ("Michael Stone" → "Michael Piedra"),
transliterates them its own way ("Qamishli" → "Камышли") or declines the wrong stem
("Damascus" → "в Дамаскусе"). `enforce` finds each glossary name of the source in the
translation and puts the glossary's rendering there, declined in Russian to the case the
sentence gives it ("в Дамаске"). Names missing from the glossary can be transliterated
(`transliterate`, `render_name`); such renderings are flagged for an editor's review.

Transliteration follows one named standard in both directions: the Wikipedia romanisation of
Russian as implemented by iuliia (`iuliia.WIKIPEDIA`), which is close to how the
English-language press spells Russian names. Cyrillic→Latin is iuliia itself; Latin→Cyrillic
is its reverse (`_to_cyrillic`), exact for names spelled by that standard
("Dmitry Sudakov" → "Дмитрий Судаков") and a best effort for other names.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

import iuliia
import pymorphy3

from l10n.localise.glossary import Entry, Glossary, Match

Locate = Callable[[int, int], tuple[int, int] | None]
"""The pipeline's aligner: a source span → the span of its translation, or None."""

SIMILARITY = 0.75
"""Two names whose Latin spellings are at least this similar (difflib ratio) are taken for
one name spelled two ways: "Kamyshli"/"Kamyshly" 0.88, "Damaskuse"/"Damask" 0.80."""

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CASE_ALIASES = {"gen2": "gent", "acc2": "accs", "loc2": "loct", "voct": "nomn"}
# The cases a preposition governs: tells "в Дамаскусе" (locative) from a dative in "-е".
_PREPOSITION_CASES = {
    **dict.fromkeys(("в", "во", "на"), ("loct", "accs")),
    **dict.fromkeys(("о", "об", "обо", "при"), ("loct",)),
    **dict.fromkeys(("к", "ко", "по"), ("datv",)),
    **dict.fromkeys(("с", "со"), ("ablt", "gent")),
    **dict.fromkeys(("за", "под", "над", "перед", "между"), ("ablt", "accs")),
    **dict.fromkeys(("через", "про"), ("accs",)),
    **dict.fromkeys(("из", "от", "до", "у", "без", "для", "около", "возле", "после", "из-за"),
                    ("gent",)),
}
_WORD = re.compile(r"\w+(?:[-.'’]\w+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@dataclass(frozen=True)
class Fix:
    """A name the model wrote its own way, replaced by the glossary's rendering."""

    entry: Entry
    found: str  # what the model wrote, at translated[start:end]
    replacement: str  # the glossary rendering, declined where Russian needs it
    start: int
    end: int
    method: str  # "similar": found by spelling; "located": span given by the aligner


@dataclass(frozen=True)
class NameResult:
    text: str
    applied: list[Fix]
    unresolved: list[Match]  # source names with no trace in the translation: for review


@dataclass(frozen=True)
class Rendering:
    text: str
    needs_review: bool  # transliterated, not taken from the glossary


def enforce(
    source: str, translated: str, target: str, glossary: Glossary, locate: Locate | None = None
) -> NameResult:
    """Put the glossary rendering of every glossary name of `source` into `translated`."""
    claimed: list[tuple[int, int]] = []
    pending: list[Match] = []
    for match in glossary.find_in(source, "en"):  # first claim every rendering already there
        span = _present(translated, glossary.rendering(match.entry, target), match.entry,
                        target, claimed)
        if span:
            claimed.append(span)
        else:
            pending.append(match)
    fixes: list[Fix] = []
    unresolved: list[Match] = []
    for match in pending:
        rendering = glossary.rendering(match.entry, target)
        span, method = _similar(translated, rendering, match.entry, target, claimed), "similar"
        if span is None and locate is not None:
            span, method = _located(locate(match.start, match.end), translated, claimed), "located"
        if span is None:
            unresolved.append(match)
            continue
        start, end = span
        replacement = _declined(rendering, match.entry, target, translated, start, end)
        fixes.append(Fix(match.entry, translated[start:end], replacement, start, end, method))
        claimed.append(span)
    text = translated
    for fix in sorted(fixes, key=lambda fix: fix.start, reverse=True):
        text = text[: fix.start] + fix.replacement + text[fix.end :]
    return NameResult(text, fixes, unresolved)


def rendering_spans(words: str, text: str, target: str, glossary: Glossary) -> list[tuple[int, int]]:
    """Where the glossary rendering of `words` (a source-language name) stands in `text`,
    in any of its inflected forms: lets markup around a name follow the name."""
    entry = glossary.get(words)
    if entry is None:
        return []
    forms = sorted(_forms(glossary.rendering(entry, target), entry, target), key=len, reverse=True)
    pattern = rf"(?<!\w)(?:{'|'.join(map(re.escape, forms))})(?!\w)"
    return [m.span() for m in re.finditer(pattern, text)]


def transliterate(name: str, to_script: str) -> str:
    """`name` in Latin ("Latn") or Cyrillic ("Cyrl") letters, by the Wikipedia standard."""
    if to_script == "Latn":
        return iuliia.WIKIPEDIA.translate(name)
    if to_script == "Cyrl":
        return _to_cyrillic(name)
    raise ValueError(f"unknown script {to_script!r}: expected 'Latn' or 'Cyrl'")


def render_name(name: str, lang: str, glossary: Glossary) -> Rendering:
    """A person's name for edition `lang`: the glossary's rendering when it has one, else the
    name itself in its edition's script, transliterated (and flagged) where the script differs."""
    entry = glossary.get(name)
    if entry is not None:
        return Rendering(glossary.rendering(entry, lang), needs_review=False)
    script = "Cyrl" if lang == "ru" else "Latn"
    if ("Cyrl" if _CYRILLIC.search(name) else "Latn") == script:
        return Rendering(name, needs_review=False)
    return Rendering(transliterate(name, script), needs_review=True)


# -- finding the name in the translation -----------------------------------------------------


def _present(
    text: str, rendering: str, entry: Entry, target: str, claimed: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The first unclaimed place where the rendering (in any of its forms) already stands."""
    forms = sorted(_forms(rendering, entry, target), key=len, reverse=True)
    pattern = rf"(?<!\w)(?:{'|'.join(map(re.escape, forms))})(?!\w)"
    return next((m.span() for m in re.finditer(pattern, text)
                 if not _overlaps(m.span(), claimed)), None)


def _similar(
    text: str, rendering: str, entry: Entry, target: str, claimed: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The model's own spelling of the name: among runs of capitalised words, the stretch as
    long as the rendering that shares a word with it ("Michael Piedra") or that spells alike
    in Latin letters ("Камышли"); a shorter run must spell alike."""
    known_words = {word.casefold() for form in _forms(rendering, entry, target)
                   for word in form.split()}
    wanted = (_latin(rendering), _latin(entry.en))  # the model may also copy the source form
    size = len(rendering.split())
    best: tuple[tuple[bool, float], tuple[int, int]] | None = None
    for run in _capitalised_runs(text):
        width = min(size, len(run))
        for i in range(len(run) - width + 1):
            span = (run[i][0], run[i + width - 1][1])
            if _overlaps(span, claimed):
                continue
            words = text[span[0] : span[1]]
            shares = width == size and any(w.casefold() in known_words for w in words.split())
            ratio = max(SequenceMatcher(None, _latin(words), w).ratio() for w in wanted)
            if (shares or ratio >= SIMILARITY) and (best is None or (shares, ratio) > best[0]):
                best = ((shares, ratio), span)
    return best[1] if best else None


def _located(
    span: tuple[int, int] | None, text: str, claimed: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The aligner's span, if it is a usable one that no other name holds."""
    if span is None or not 0 <= span[0] < span[1] <= len(text) or _overlaps(span, claimed):
        return None
    return span


def _capitalised_runs(text: str) -> list[list[tuple[int, int]]]:
    """Spans of words written with a capital (any part: "al-Sharaa"), grouped into runs of
    neighbours separated by one space."""
    runs: list[list[tuple[int, int]]] = []
    for m in _WORD.finditer(text):
        if not any(part[:1].isupper() for part in re.split(r"[-'’]", m.group())):
            continue
        if runs and text[runs[-1][-1][1] : m.start()] == " ":
            runs[-1].append(m.span())
        else:
            runs.append([m.span()])
    return runs


def _overlaps(span: tuple[int, int], claimed: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in claimed)


def _latin(text: str) -> str:
    """One script to compare spellings in: Latin, lower case, without accents."""
    if _CYRILLIC.search(text):
        text = iuliia.WIKIPEDIA.translate(text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# -- Russian declension ----------------------------------------------------------------------


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def _declinable(entry: Entry, target: str) -> bool:
    return target == "ru" and not (entry.keep or entry.indeclinable)


def _forms(rendering: str, entry: Entry, target: str) -> frozenset[str]:
    """Every spelling of the rendering that counts as correct in `target`."""
    if _declinable(entry, target):
        animate = entry.kind == "person"
        return frozenset(_inflect(rendering, case, animate) for case in CASES)
    if target == "de":
        return frozenset((rendering, rendering + "s"))  # German genitive: Putins, Berlins
    return frozenset((rendering,))


def _declined(
    rendering: str, entry: Entry, target: str, text: str, start: int, end: int
) -> str:
    """The rendering in the grammatical case of the words it replaces (Russian only)."""
    if not _declinable(entry, target):
        return rendering
    return _inflect(rendering, _case_at(text, start, end), entry.kind == "person")


def _case_at(text: str, start: int, end: int) -> str:
    """The case of the words at text[start:end]: its last word's parse, narrowed to the
    cases the preceding preposition governs."""
    words = _WORD.findall(text[start:end])
    before = re.search(r"(\S+)\s+$", text[:start])
    allowed = _PREPOSITION_CASES.get(before.group(1).lower() if before else "")
    cases = [_CASE_ALIASES.get(p.tag.case, p.tag.case)
             for p in _morph().parse(words[-1]) if p.tag.case] if words else []
    if allowed:
        cases = [case for case in cases if case in allowed] or list(allowed)
    return cases[0] if cases else "nomn"


@lru_cache(maxsize=4096)
def _inflect(phrase: str, case: str, animate: bool) -> str:
    """Decline each word of a nominative name. A word with no nominative reading in the
    gender of a leading first name stays as it is (a woman's "Вебер" does not decline)."""
    words: list[str] = []
    gender = None
    for index, word in enumerate(phrase.split(" ")):
        parse = next((p for p in _morph().parse(word) if p.tag.case == "nomn"
                      and (gender is None or p.tag.gender is None or p.tag.gender == gender)),
                     None)
        if parse is None:
            words.append(word)
            continue
        if index == 0 and "Name" in parse.tag:
            gender = parse.tag.gender
        wanted = case
        if case == "accs" and (parse.tag.number == "plur" or parse.tag.gender == "masc"):
            wanted = "gent" if animate else "nomn"  # there accusative = genitive or nominative
        form = parse.inflect({wanted})
        words.append(_cased_like(form.word, word) if form else word)
    return " ".join(words)


def _cased_like(word: str, model: str) -> str:
    """Give a lower-case word the capitals of the word it was made from ("аш-Шараа", "NATO")."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    parts, model_parts = word.split("-"), model.split("-")
    if len(parts) != len(model_parts):
        parts, model_parts = [word], [model]
    return "-".join(p[:1].upper() + p[1:] if m[:1].isupper() else p
                    for p, m in zip(parts, model_parts))


# -- Latin → Cyrillic: the Wikipedia schema in reverse ---------------------------------------

_SCHEMA = json.loads(iuliia.WIKIPEDIA.path.read_text(encoding="utf-8"))  # the rules to reverse
# Letters after which (and at a word's start) the schema writes "е" as "ye".
_YE_AFTER = {key[0] for key in _SCHEMA["prev_mapping"] if len(key) == 2}
# What each Latin spelling stands for; where several letters share one ("e": е/э, "y": й/ы),
# the first in the alphabet is the default and `_reverse_word` decides by context.
_REVERSE = {lat: cyr for cyr, lat in reversed(_SCHEMA["mapping"].items()) if lat}
# Letters the schema never writes, at their usual value in Russian renderings of names.
_REVERSE |= {"c": "к", "h": "х", "j": "дж", "q": "к", "w": "в", "x": "кс"}
_LONGEST = max(map(len, _REVERSE))
_VOWELS = set("аеёиоуыэюя")


def _to_cyrillic(name: str) -> str:
    return re.sub(r"[A-Za-z]+", lambda m: _cased_like(_reverse_word(m.group().lower()),
                                                      m.group()), name)


def _reverse_word(word: str) -> str:
    """One lower-case Latin word → Cyrillic, undoing the schema's context rules."""
    out = ""
    i = 0
    while i < len(word):
        prev = out[-1] if out else ""
        ye_context = not prev or prev in _YE_AFTER
        if word.startswith("ye", i):
            out, i = out + ("е" if ye_context else "ье"), i + 2
        elif word[i] == "e":
            out, i = out + ("э" if ye_context else "е"), i + 1
        elif word[i] == "y" and not word.startswith(("ya", "yu", "yo"), i):
            if prev and prev not in _VOWELS:
                if i == len(word) - 1:
                    out += "ий"  # the schema's ending rule: -ий/-ый → -y
                else:
                    out += "ь" if word.startswith("yi", i) else "ы"  # "ьи" → "yi"
            else:
                out += "й"
            i += 1
        else:
            size = next(n for n in range(_LONGEST, 0, -1) if word[i : i + n] in _REVERSE or n == 1)
            out, i = out + _REVERSE.get(word[i : i + size], word[i : i + size]), i + size
    return out
