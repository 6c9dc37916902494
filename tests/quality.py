"""Scoring the pipeline on the pseudo-language model's output against the rules' reference.

Shared by the tests (a few dozen sentences, thresholds) and bench/quality.py (hundreds,
figures for docs/bench.md), so both measure the same thing: tag placement against the
alignment the rules imply, span safety per strategy (spans shown as they are, or masked as
numbered tokens), and QA flags on clean output. Sentences come from tests/pseudo.py's
generator with seeds the model was not trained on.
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from l10n.localise.glossary import Entry, Glossary
from l10n.markup.inline import Unit
from l10n.translate import protect, qa
from l10n.translate.article import Article
from l10n.translate.pipeline import Pipeline

from . import pseudo

_ELEMENT = re.compile(r'<a href="/e/(\d+)">(.*?)</a>', re.S)


# ---------------------------------------------------------------- reference translation
def reference_scores(pipeline: Pipeline, sentences: list[pseudo.Sentence]) -> dict:
    """Exact-match share and mean chrF of the model's output against the rules."""
    out = pipeline.engine.translate("en", pseudo.CODE, [s.english for s in sentences])
    exact = sum(t.text == s.pseudo for t, s in zip(out, sentences))
    chrf = sum(pseudo.chrf(t.text, s.pseudo) for t, s in zip(out, sentences)) / len(sentences)
    return {"sentences": len(sentences), "exact": round(exact / len(sentences), 3),
            "chrf": round(chrf, 1)}


# ---------------------------------------------------------------- tag placement
@dataclass(frozen=True)
class Case:
    """A sentence as HTML with inline elements, and what each element must wrap."""

    html: str
    expected: tuple[str, ...]  # element k must wrap exactly expected[k] of the translation
    reference: str  # the rules' translation of the whole sentence
    english: str  # the sentence as plain text (what the engine sees)


def placement_case(sentence: pseudo.Sentence, rng: random.Random, elements: int = 2) -> Case | None:
    """Wrap up to `elements` sibling phrases whose translation is contiguous in the rules'
    output (a single moved verb, a noun phrase with its adjectives swapped, a name, a span)."""
    words = sentence.words
    where = sentence.pseudo_spans()
    rank = {index: k for k, index in enumerate(sentence.order)}
    last = len(words) - 1  # never the whole sentence: that is placed without alignment
    candidates = []
    for i in range(len(words)):
        for j in range(i, min(i + 4, len(words))):
            chunk = range(i, j + 1)
            if words[i].kind == "punct" or words[j].kind == "punct" or (i == 0 and j >= last - 1):
                continue
            if any(k not in rank for k in chunk):
                continue
            ranks = sorted(rank[k] for k in chunk)
            if ranks[-1] - ranks[0] == len(ranks) - 1:  # contiguous in the translation
                candidates.append((i, j))
    rng.shuffle(candidates)
    chosen: list[tuple[int, int]] = []
    for i, j in candidates:
        if len(chosen) < elements and all(j < a or b < i for a, b in chosen):
            chosen.append((i, j))
    if not chosen:
        return None
    chosen.sort()
    spans = sentence.english_spans()
    text, out, position = sentence.english, [], 0
    expected = []
    for number, (i, j) in enumerate(chosen):
        start, end = spans[i][0], spans[j][1]
        out += [html.escape(text[position:start]), f'<a href="/e/{number}">',
                html.escape(text[start:end]), "</a>"]
        position = end
        images = [where[k] for k in range(i, j + 1)]
        expected.append(sentence.pseudo[min(s for s, _ in images):max(e for _, e in images)])
    out.append(html.escape(text[position:]))
    return Case("".join(out), tuple(expected), sentence.pseudo, text)


@dataclass
class Placement:
    elements: int = 0
    exact: int = 0  # wraps exactly the words the rules say
    partial: int = 0  # wraps some of them
    empty: int = 0  # wraps nothing, or only punctuation/space
    uncertain: int = 0  # its sentence was flagged tag_position_uncertain
    model_exact: int = 0  # sentences whose translation equals the reference
    sentences: int = 0

    def shares(self) -> dict:
        n = max(1, self.elements)
        return {"sentences": self.sentences, "elements": self.elements,
                "exact": round(self.exact / n, 3), "some_right_words": round(self.partial / n, 3),
                "empty_or_punctuation": round(self.empty / n, 3),
                "flagged_uncertain": round(self.uncertain / n, 3),
                "translation_exact": round(self.model_exact / max(1, self.sentences), 3)}


def score_placement(pipeline: Pipeline, cases: list[Case]) -> Placement:
    """One HTML article, one paragraph per case, into qps; each element judged."""
    body = "\n".join(f"<p>{case.html}</p>" for case in cases)
    edition = pipeline.translate_article(
        Article(body=body, format="html", source="en", targets=(pseudo.CODE,))
    ).editions[pseudo.CODE]
    paragraphs = re.findall(r"<p>(.*?)</p>", edition.get("body"), re.S)
    assert len(paragraphs) == len(cases), "paragraph structure changed"
    uncertain = {s.source for s in edition.flagged if "tag_position_uncertain" in s.flags}
    score = Placement(sentences=len(cases))
    for case, paragraph in zip(cases, paragraphs):
        found = {int(k): html.unescape(inner) for k, inner in _ELEMENT.findall(paragraph)}
        plain = html.unescape(re.sub(r"<[^>]+>", "", paragraph))
        score.model_exact += plain == case.reference
        for k, want in enumerate(case.expected):
            got = found.get(k, "")
            score.elements += 1
            score.uncertain += case.english in uncertain
            if not re.search(r"\w", got):
                score.empty += 1
            elif got == want:
                score.exact += 1
            elif set(re.findall(r"\w+", got)) & set(re.findall(r"\w+", want)):
                score.partial += 1
    return score


def placement_cases(seed: int, count: int) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for sentence in pseudo.Generator(seed, span_share=0.3).sentences(count * 2):
        case = placement_case(sentence, rng)
        if case is not None:
            cases.append(case)
        if len(cases) == count:
            break
    return cases


# ---------------------------------------------------------------- span safety
OUTCOMES = ("kept", "recovered", "flagged", "lost_silently")


@dataclass
class Spans:
    counts: dict[str, Counter] = field(default_factory=dict)  # kind → outcome → spans
    sentences: int = 0
    exact: int = 0  # final text equal to the clean reference (spans as in the source)
    chrf: float = 0.0

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def total(self) -> Counter:
        return sum(self.counts.values(), Counter())

    def shares(self) -> dict:
        total = self.total()
        n = max(1, sum(total.values()))
        return {"spans": sum(total.values()), "sentences": self.sentences,
                **{o: round(total[o] / n, 3) for o in OUTCOMES},
                "lost_silently_count": total["lost_silently"],
                "translation_exact": round(self.exact / max(1, self.sentences), 3),
                "translation_chrf": round(self.chrf / max(1, self.sentences), 1),
                "by_kind": {kind: {o: c[o] for o in OUTCOMES}
                            for kind, c in sorted(self.counts.items())}}


def span_sentences(seed: int, count: int) -> list[pseudo.Sentence]:
    out = []
    for s in pseudo.Generator(seed, span_share=1.0).sentences(count * 3):
        if protect.find_spans(s.english):
            out.append(s)
        if len(out) == count:
            break
    return out


def clean_reference(sentence: pseudo.Sentence) -> str:
    """The rules' translation with every span as in the source (nothing mangled or dropped)."""
    masked, table = sentence.masked()
    text = masked.pseudo
    for token, span in table.items():
        text = text.replace(token, span)
    return text


def mask(text: str) -> tuple[str, dict[str, str]]:
    """The masking strategy: every protected span as a numbered token ⟦k⟧."""
    table: dict[str, str] = {}
    out, position = [], 0
    for span in protect.find_spans(text):
        token = pseudo.MASK.format(len(table) + 1)
        table[token] = span.text
        out += [text[position:span.start], token]
        position = span.end
    out.append(text[position:])
    return "".join(out), table


def score_spans(pipeline: Pipeline, sentences: list[pseudo.Sentence], strategy: str) -> Spans:
    """`as_is`: the pipeline as it ships (the model sees the spans; check() recovers or
    flags); `masked`: the model sees numbered tokens, put back after translation, then the
    same check."""
    texts = [s.english for s in sentences]
    score = Spans(sentences=len(sentences))
    if strategy == "as_is":
        done, _, _ = pipeline.translate_units("en", pseudo.CODE, [Unit(t) for t in texts],
                                              Glossary())
        raws = [d.engine.text if d.engine else d.text for d in done]
        finals = [d.text for d in done]
        flag_sets = [set(d.flags) for d in done]
    else:
        masked = [mask(t) for t in texts]
        out = pipeline.engine.translate("en", pseudo.CODE, [m for m, _ in masked])
        raws, finals, flag_sets = [], [], []
        for text, (_, table), result in zip(texts, masked, out):
            raw = result.text
            restored = raw
            for token, original in table.items():
                if raw.count(token) == 1:
                    restored = restored.replace(token, original)
            checked = protect.check(text, restored)
            raws.append(restored)
            finals.append(checked.text)
            flag_sets.append(set(checked.flags) | qa.flags(text, checked.text, "en",
                                                           pseudo.CODE, pipeline.settings))
    for sentence, raw, final, flags in zip(sentences, raws, finals, flag_sets):
        reference = clean_reference(sentence)
        score.exact += final == reference
        score.chrf += pseudo.chrf(final, reference)
        for span in protect.find_spans(sentence.english):
            if _has(raw, span.text):
                outcome = "kept"
            elif _has(final, span.text):
                outcome = "recovered"
            elif protect.FLAG_FOR_KIND[span.kind] in flags:
                outcome = "flagged"
            else:
                outcome = "lost_silently"
            score.add(span.kind, outcome)
    return score


def _has(text: str, span: str) -> bool:
    return any(s.text == span for s in protect.find_spans(text))


# ---------------------------------------------------------------- QA flags on clean output
def qa_false_positives(pipeline: Pipeline, sentences: list[pseudo.Sentence]) -> dict:
    """Flags raised on translations that equal the rules' clean reference: all false."""
    done, _, _ = pipeline.translate_units("en", pseudo.CODE,
                                          [Unit(s.english) for s in sentences], Glossary())
    clean = [d for d, s in zip(done, sentences)
             if d.engine is not None and d.engine.text == clean_reference(s)]
    flags = Counter(flag for d in clean for flag in d.flags)
    return {"clean_segments": len(clean),
            "rate": {flag: round(count / max(1, len(clean)), 3)
                     for flag, count in sorted(flags.items())}}


# ---------------------------------------------------------------- glossary enforcement
class PseudoGlossary(Glossary):
    """A test glossary of the pseudo-language's names with a qps rendering for each (the
    product glossary has columns for the real editions only)."""

    def rendering(self, entry: Entry, lang: str) -> str:  # type: ignore[override]
        return pseudo.glossary_rendering(entry.en) if lang == pseudo.CODE \
            else Glossary.rendering(entry, lang)


def pseudo_glossary() -> PseudoGlossary:
    return PseudoGlossary(tuple(Entry(en=n, ru=n, de=n, fr=n, pt=n, es=n, kind="place")
                                for n in pseudo.lexicon().names))


def name_sentences(seed: int, count: int) -> list[pseudo.Sentence]:
    out = []
    for s in pseudo.Generator(seed, span_share=0.2).sentences(count * 5):
        if any(w.kind == "name" for w in s.words):
            out.append(s)
        if len(out) == count:
            break
    return out


def score_glossary(pipeline: Pipeline, sentences: list[pseudo.Sentence]) -> dict:
    """Each glossary name of the source: in the output as the glossary spells it
    (`enforced`), flagged `name_unresolved`, or missed silently."""
    glossary = pseudo_glossary()
    done, _, _ = pipeline.translate_units("en", pseudo.CODE,
                                          [Unit(s.english) for s in sentences], glossary)
    counts: Counter = Counter()
    exact = 0
    for sentence, d in zip(sentences, done):
        names = [w.english for w in sentence.words if w.kind == "name"]
        want = clean_reference(sentence)
        for name in dict.fromkeys(names):
            want = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", pseudo.glossary_rendering(name), want)
        exact += d.text == want
        for name in names:
            rendering = pseudo.glossary_rendering(name)
            if len(re.findall(rf"(?<!\w){re.escape(rendering)}(?!\w)", d.text)) >= names.count(name):
                counts["enforced"] += 1
            elif "name_unresolved" in d.flags:
                counts["flagged"] += 1
            else:
                counts["missed_silently"] += 1
    n = max(1, sum(counts.values()))
    return {"sentences": len(sentences), "names": sum(counts.values()),
            **{k: round(counts[k] / n, 3) for k in ("enforced", "flagged", "missed_silently")},
            "translation_exact": round(exact / max(1, len(sentences)), 3)}
